"""Census's monthly merchandise trade archives (IMDB<yymm>.ZIP / EXDB<yymm>.ZIP, fixed-width detail files)
streamed into partitioned Parquet: synthetic archives in the record layouts Census documents (imdb.html,
exdb.html), summed over districts as the API reports them; bad lines are one clear error and leave the
store as it was; the streaming writer keeps no half vintage."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from usmca_monitor import api
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources import census_bulk
from usmca_monitor.sources.base import to_observations
from usmca_monitor.sources.census_api import plan
from usmca_monitor.sources.registry import source_specs
from usmca_monitor.store import Vintage, Warehouse
from usmca_monitor.store.warehouse import MANIFEST

from .census_mock import CensusApi
from .test_census_products import client


def _put(line: list[str], start: int, end: int, text: str, right: bool = False) -> None:
    width = end - start + 1
    cell = text.rjust(width) if right else text.ljust(width)
    assert len(cell) == width
    line[start - 1:end] = list(cell)


def import_line(hts: str, cty: str, district: str, month: str, value: int, subco: str = "00") -> str:
    """One IMP_DETL.TXT record (688 characters): the monthly measures at 29-358 (15 digits each,
    gen_val_mo at 179-193), the year-to-date ones after."""
    line = [" "] * 688
    for start, end, text in ((1, 10, hts), (11, 14, cty), (15, 16, subco), (17, 18, district), (19, 20, district),
                             (21, 22, "61"), (23, 26, "2024"), (27, 28, month)):
        _put(line, start, end, text)
    for start in range(29, 689, 15):
        _put(line, start, start + 14, "0", right=True)
    _put(line, 74, 88, str(value), right=True)  # con_val_mo: not read
    _put(line, 179, 193, str(value), right=True)  # gen_val_mo
    _put(line, 539, 553, str(value * 3), right=True)  # gen_val_yr: not read
    return "".join(line)


def export_line(schedule_b: str, cty: str, district: str, month: str, value: int, df: str = "1") -> str:
    """One EXP_DETL.TXT record: all_val_mo at 69-83 among the 15-digit monthly measures from 24."""
    line = [" "] * 323
    for start, end, text in ((1, 1, df), (2, 11, schedule_b), (12, 15, cty), (16, 17, district), (18, 21, "2024"),
                             (22, 23, month)):
        _put(line, start, end, text)
    for start in range(24, 324, 15):
        _put(line, start, start + 14, "0", right=True)
    _put(line, 69, 83, str(value), right=True)
    return "".join(line)


def archive(folder: Path, name: str, member: str, lines: list[str]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, "\r\n".join(lines) + "\r\n")  # Census's files end lines with CR LF
        zf.writestr("COUNTRY.TXT", "2010       MEXICO\r\n")
    return path


IMPORTS_2401 = [
    import_line("8703230190", "2010", "23", "01", 1_000_000),  # Mexico, two districts: summed
    import_line("8703230190", "2010", "24", "01", 250_000, subco="MX"),
    import_line("8703230190", "5700", "27", "01", 400_000),  # China
    import_line("8703230190", "5082", "13", "01", 10),  # Gaza Strip and West Bank: both PSE, summed
    import_line("8703230190", "5083", "13", "01", 5),
    import_line("8703230190", "8220", "13", "01", 7),  # no name: only in the world total
    import_line("8708999990", "2010", "23", "01", 0),  # year-to-date carrier: nothing this month
]
IMPORTS_2402 = [import_line("8703230190", "2010", "23", "02", 2_000_000)]
EXPORTS_2401 = [export_line("8708100000", "2010", "23", "01", 300_000),
                export_line("8708100000", "2010", "23", "01", 20_000, df="2")]  # foreign merchandise: summed


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    bulk = tmp_path / "merchandise"
    bulk.mkdir()
    archive(bulk, "IMDB2401.ZIP", "IMP_DETL.TXT", IMPORTS_2401)
    archive(bulk, "IMDB2402.ZIP", "imp_detl.txt", IMPORTS_2402)  # member names vary in case
    archive(bulk, "EXDB2401.ZIP", "EXP_DETL.TXT", EXPORTS_2401)
    (bulk / "readme.txt").write_text("not an archive")
    return bulk


def _value(rows: list[api.QueryRow], partner: str, product: str) -> float | None:
    return next(r.value for r in rows if r.partner == partner and r.product == product)


def test_a_folder_of_archives_becomes_one_partitioned_vintage(folder: Path, usmca_home: Path) -> None:
    vintage = api.import_file("census_trade", folder)
    imports = api.query("hs10_imports", partner=None, period="2024-01")
    assert _value(imports, "MEX", "HS:8703230190") == 1_250_000.0
    assert _value(imports, "CHN", "HS:8703230190") == 400_000.0
    assert _value(imports, "PSE", "HS:8703230190") == 15.0
    assert _value(imports, "WLD", "HS:8703230190") == 1_650_022.0  # every line, 8220 included
    assert not any(r.product == "HS:8708999990" for r in imports)  # a zero month is left out
    assert _value(api.query("hs10_imports", partner="MEX", period="2024-02"), "MEX", "HS:8703230190") == 2e6
    exports = api.query("hs10_exports", partner="MEX", period="2024-01")
    assert _value(exports, "MEX", "HS:8708100000") == 320_000.0
    assert imports[0].vintage == vintage.vintage and imports[0].badge == "computed"
    (entry,) = vintage.files
    assert entry.path == (f"observations/source=census_trade/vintage={vintage.vintage}/series=census.trade.hs10/"
                          "year=2024/part-0.parquet")
    assert (entry.year, entry.series, entry.last_month, entry.rows) == ("2024", ("census.trade.hs10",), "2024-02", 8)
    assert sorted(o.path for o in vintage.origins) == ["EXDB2401.ZIP", "IMDB2401.ZIP", "IMDB2402.ZIP"]
    assert all(o.sha256 and o.size for o in vintage.origins)


def test_small_blocks_and_batches_give_the_same_vintage(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streaming is not a shortcut: lines read 2 KB at a time and written 2 rows per batch sum alike."""
    monkeypatch.setattr(census_bulk, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(census_bulk, "OUTPUT_ROWS", 2)
    api.import_file("census_trade", folder)
    imports = api.query("hs10_imports", partner=None, period="2024-01")
    assert _value(imports, "MEX", "HS:8703230190") == 1_250_000.0
    assert _value(imports, "WLD", "HS:8703230190") == 1_650_022.0


@pytest.mark.parametrize(("line", "message"), [
    (import_line("8703230190", "2010", "23", "01", 5)[:150], "line 2 has 150 characters, fewer than the 193"),
    (import_line("8703230190", "2010", "23", "01", 5)[:178] + "    12x45" + " " * 500, "line 2: gen_val_mo"),
    (import_line("87032301", "2010", "23", "01", 5), "line 2: commodity '87032301  '"),
    (import_line("8703230190", "9999", "23", "01", 5), "unknown Census country code '9999'"),
])
def test_a_bad_line_is_one_error_and_changes_nothing(tmp_path: Path, usmca_home: Path, line: str,
                                                     message: str) -> None:
    api.import_file("census_trade", archive(tmp_path, "IMDB2402.ZIP", "IMP_DETL.TXT", IMPORTS_2402))
    before = (usmca_home / MANIFEST).read_bytes()
    bad = archive(tmp_path, "IMDB2401.ZIP", "IMP_DETL.TXT", [IMPORTS_2401[0], line])
    with pytest.raises(DataError, match=message) as caught:
        api.import_file("census_trade", bad)
    assert "IMDB2401.ZIP:IMP_DETL.TXT" in str(caught.value)
    assert (usmca_home / MANIFEST).read_bytes() == before
    assert len(list((usmca_home / "observations" / "source=census_trade").iterdir())) == 1


def test_an_archive_without_its_detail_file_or_a_wrong_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"holds no IMP_DETL\.TXT"):
        api.import_file("census_trade", archive(tmp_path, "IMDB2401.ZIP", "OTHER.TXT", ["x"]))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match=r"no IMDB<yymm>\.ZIP"):
        api.import_file("census_trade", empty)


def test_an_interrupted_stream_leaves_no_half_vintage(tmp_path: Path) -> None:
    """The manifest is replaced only after every batch is written: a failure mid-stream lists nothing
    and removes the files already written."""
    rows = [{"series": "census.trade.hs10", "geo": "USA", "partner": "MEX", "product": "HS:8703230190",
             "flow": "import", "measure": "value", "period": f"2024-{m:02d}", "freq": "M", "value": 1.0,
             "unit": "USD"} for m in (1, 2)]

    def batches() -> Iterator[pa.Table]:
        yield to_observations(rows[:1], "census_trade", "census_trade@x", "official")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), Warehouse(tmp_path).writer() as writer:
        writer.stream_vintage(Vintage("census_trade@x", "census_trade", "2026", "import", 0), batches(), [])
    assert Warehouse(tmp_path).vintages() == []
    assert not (tmp_path / "observations" / "source=census_trade" / "vintage=census_trade@x").exists()
    with Warehouse(tmp_path).writer() as writer:
        added = writer.stream_vintage(Vintage("census_trade@y", "census_trade", "2026", "import", 0),
                                      iter([to_observations(rows, "census_trade", "census_trade@y", "official")]), [])
    assert added.rows == 2 and isinstance(Warehouse(tmp_path).observations("census_trade@y"), pa.Table)


def _answer(header: list[str], rows: list[list[str]]) -> bytes:
    return json.dumps([header, *rows]).encode()


def test_the_hs10_api_query_streams_month_by_month(tmp_path: Path) -> None:
    """``usmca update census_trade --query hs10``: one call per flow and month (``time=YYYY-MM``), each
    answer (synthetic values in the documented shape: get variables, then the echoed COMM_LVL and time)
    stored raw and streamed as it arrives; a plain update asks for no HS10 call."""
    header = ["I_COMMODITY", "CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "COMM_LVL", "time"]
    answers = {
        "imports_hs_HS10_2024-01.json": _answer(header, [
            ["8703230190", "2010", "MEXICO", "1250000", "HS10", "2024-01"],
            ["8703230190", "5700", "CHINA", "400000", "HS10", "2024-01"],
            ["8703230190", "-", "TOTAL FOR ALL COUNTRIES", "1650022", "HS10", "2024-01"]]),
        "imports_hs_HS10_2024-02.json": _answer(header, [
            ["8703230190", "2010", "MEXICO", "2000000", "HS10", "2024-02"]]),
        "exports_hs_HS10_2024-01.json": _answer(
            ["E_COMMODITY", "CTY_CODE", "CTY_NAME", "ALL_VAL_MO", "COMM_LVL", "time"],
            [["8708100000", "2010", "MEXICO", "320000", "HS10", "2024-01"]]),
    }
    handler = CensusApi("204", override=answers)
    vintage = api.update("census_trade", client=client(handler, tmp_path), queries=["hs10"])
    asked = handler.calls()
    assert "imports_hs_HS10_2024-03.json" in asked and "exports_hs_HS10_2025-12.json" in asked
    assert all("HS10" in name for name in asked)
    assert vintage.series() == ["census.trade.hs10"] and len(vintage.origins) == 3
    imports = api.query("hs10_imports", partner=None, period="2024-01")
    assert _value(imports, "MEX", "HS:8703230190") == 1_250_000.0
    assert _value(imports, "WLD", "HS:8703230190") == 1_650_022.0  # the API's total for all countries
    assert _value(api.query("hs10_exports", partner="MEX", period="2024-01"), "MEX", "HS:8708100000") == 320_000.0
    assert api.query("hs10_imports", partner="MEX", period="2024") == []  # two months are not a year
    assert vintage.files[0].path.endswith("series=census.trade.hs10/year=2024/part-0.parquet")
    live = source_specs()["census_trade"].live
    assert live is not None
    assert not any(c.query.name == "hs10" for c in plan(live))  # only when named
