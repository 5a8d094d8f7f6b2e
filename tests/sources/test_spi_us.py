"""U.S. States SPI import (`usmca import spi-us FILE`): the long and the wide layouts give the same
observations, and anything else is refused with one clear error. The files used are SYNTHETIC
(tests/fixtures/spi, made-up scores): the real download cannot be shipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.registry import get_adapter

SYNTHETIC_LONG = FIXTURES / "spi" / "SYNTHETIC_us_states_long.csv"
SYNTHETIC_WIDE = FIXTURES / "spi" / "SYNTHETIC_us_states_wide.csv"


def _rows(path: Path, reader: str) -> dict[tuple[str, str, str], float]:
    rows = get_adapter("spi_us").readers[reader](path, load_codelists())
    return {(str(r["geo"]), str(r["measure"]), str(r["period"])): float(r["value"]) for r in rows}  # type: ignore[arg-type]


def test_long_and_wide_layouts_read_the_same_values() -> None:
    adapter = get_adapter("spi_us")
    assert adapter.detect_reader(SYNTHETIC_LONG) == "long"
    assert adapter.detect_reader(SYNTHETIC_WIDE) == "wide"
    long, wide = _rows(SYNTHETIC_LONG, "long"), _rows(SYNTHETIC_WIDE, "wide")
    assert long == wide
    assert len(long) == 51 * 16 * 2  # 50 states and DC, index + 3 dimensions + 12 components, 2 years


def test_wide_layout_accepts_english_names_and_excel(tmp_path: Path) -> None:
    import openpyxl

    from usmca_monitor.spi_framework import measures

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Year", "State", *(m.names["en"] for m in measures())])
    sheet.append([2022, "Texas", *([60.5] * 16)])
    sheet.append([2022, "CA", *([70.25] * 16)])
    path = tmp_path / "download.xlsx"
    book.save(path)
    rows = _rows(path, get_adapter("spi_us").detect_reader(path))
    assert rows[("US-TX", "spi", "2022")] == 60.5 and rows[("US-CA", "personal_rights", "2022")] == 70.25


def test_import_command_takes_hyphenated_id_and_query_answers(usmca_home: Path) -> None:
    result = CliRunner().invoke(app, ["import", "spi-us", str(SYNTHETIC_WIDE)])
    assert result.exit_code == 0, result.output
    assert "spi_us: new vintage spi_us@import-" in result.output
    [row] = api.query("spi", geo="US-TX", period="2022")
    assert row.value == pytest.approx(_rows(SYNTHETIC_WIDE, "wide")[("US-TX", "spi", "2022")])
    assert row.vintage.startswith("spi_us@import-") and "mcv_spi" not in row.vintage
    [mx] = api.query("spi", geo="MX-NLE", period="2023")
    assert mx.vintage.startswith("mcv_spi@ed2025-") and "spi_us" not in mx.vintage


@pytest.mark.parametrize(("content", "message"), [
    ("a,b,c\n1,2,3\n", "neither the long nor the wide SPI layout"),
    ("year,iso_3166_2,level,code,score\n2022,US-XX,index,00,50\n", "unknown area 'US-XX'"),
    ("year,iso_3166_2,level,code,score\n2022,MX-NLE,index,00,50\n", "unknown area 'MX-NLE'"),
    ("year,iso_3166_2,level,code,score\n2022,US-TX,index,00,150\n", "outside 0–100"),
    ("year,iso_3166_2,level,code,score\n2022,US-TX,index,00,abc\n", "is not a number"),
    ("year,iso_3166_2,level,code,score\n2022,US-TX,index,09_99,50\n", "unknown SPI code"),
    ("year,iso_3166_2,level,code,score\n2022,US-TX,dimension,00,50\n", "does not match code"),
    ("year,iso_3166_2,level,code,score\n22,US-TX,index,00,50\n", "is not a year"),
    ("year,iso_3166_2,level,code,score\n2022,US-TX,index,00,50\n2022,US-TX,index,00,51\n", "a second score"),
    ("year,iso_3166_2,spi,basic_human_needs\n2022,US-TX,50,50\n", "neither the long nor the wide"),
])
def test_bad_files_fail_with_one_clear_error(tmp_path: Path, usmca_home: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        api.import_file("spi_us", path)
    with api.open_session() as session:  # nothing was stored
        assert session.vintages("spi_us") == []


def test_wide_file_missing_a_component_names_it(tmp_path: Path) -> None:
    text = SYNTHETIC_WIDE.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    drop = header.index("inclusiveness")
    lines = [",".join(v for i, v in enumerate(line.split(",")) if i != drop) for line in text]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column"):
        get_adapter("spi_us").readers["wide"](path, load_codelists())


def test_cli_reports_a_bad_file_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("state,value\nTexas,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "spi-us", str(path)])
    assert result.exit_code == 1
    assert "neither the long nor the wide SPI layout" in result.output
