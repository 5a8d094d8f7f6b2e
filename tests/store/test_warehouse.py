"""The warehouse keeps vintages whole: Parquet files listed by a manifest replaced in one rename; a bad
vintage changes nothing; what an interrupted write left is removed by the next writer; raw files are
content-addressed; writers take turns and a busy store names its holder."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pyarrow as pa
import pytest

from usmca_monitor.fsutil import BusyError
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import Origin
from usmca_monitor.sources.base import to_observations
from usmca_monitor.store import RawStore, Vintage, Warehouse
from usmca_monitor.store.warehouse import MANIFEST


def _rows(value: float = 1.0, period: str = "2024-01") -> list[dict[str, object]]:
    return [{"series": "s", "geo": "USA", "partner": "MEX", "product": None, "flow": "export",
             "measure": "value", "period": period, "freq": "M", "value": value, "unit": "USD"}]


def _origin() -> Origin:
    return Origin(producer="p", title="t", url="https://example.org/x", licence="l", citation="c", accessed="2026")


def _add(home: Path, vintage_id: str, created: str, value: float = 1.0, origins: list[Origin] | None = None) -> None:
    with Warehouse(home).writer() as writer:
        writer.add_vintage(Vintage(vintage_id, "src", created, "live", 1),
                           to_observations(_rows(value), "src", vintage_id, "official"), origins or [])


def test_vintages_newest_first_and_pinnable(tmp_path: Path) -> None:
    _add(tmp_path, "s@1", "2025-10")
    _add(tmp_path, "s@2", "2026-11-29T00:00:00Z", 2.0, [_origin()])
    wh = Warehouse(tmp_path)
    assert [v.vintage for v in wh.vintages("src")] == ["s@2", "s@1"]
    assert wh.resolve_vintage("src").vintage == "s@2"
    assert wh.resolve_vintage("src", "s@1").vintage == "s@1"
    assert wh.observations("s@1")["value"].to_pylist() == [1.0]
    assert wh.origins("s@2")[0].url == "https://example.org/x"
    with pytest.raises(UnknownCodeError, match="s@9"):
        wh.resolve_vintage("src", "s@9")


def test_files_record_what_they_hold(tmp_path: Path) -> None:
    _add(tmp_path, "s@1", "2025-10")
    (vintage,) = Warehouse(tmp_path).vintages()
    (entry,) = vintage.files
    assert (entry.series, entry.geos, entry.freqs, entry.last_month, entry.rows) == (("s",), ("USA",), ("M",),
                                                                                      "2024-01", 1)
    assert vintage.holds("s") and not vintage.holds("other")


def test_a_bad_vintage_leaves_the_warehouse_unchanged(tmp_path: Path) -> None:
    _add(tmp_path, "s@1", "2025")
    before = (tmp_path / MANIFEST).read_bytes()
    bad = to_observations(_rows(period="2024-13"), "src", "s@2", "official")
    with pytest.raises(DataError, match="2024-13"), Warehouse(tmp_path).writer() as writer:
        writer.add_vintage(Vintage("s@2", "src", "2026", "live", 1), bad, [])
    missing = pa.table({"series": ["s"]})
    with pytest.raises(DataError, match="missing column"), Warehouse(tmp_path).writer() as writer:
        writer.add_vintage(Vintage("s@3", "src", "2026", "live", 1), missing, [])
    assert (tmp_path / MANIFEST).read_bytes() == before
    assert [v.vintage for v in Warehouse(tmp_path).vintages()] == ["s@1"]
    assert sorted(p.name for p in (tmp_path / "observations" / "source=src").iterdir()) == ["vintage=s@1"]


def test_a_reader_keeps_its_view_while_a_writer_adds(tmp_path: Path) -> None:
    _add(tmp_path, "s@1", "2025")
    reader = Warehouse(tmp_path)
    _add(tmp_path, "s@2", "2026")
    assert [v.vintage for v in reader.vintages()] == ["s@1"]  # one consistent set for its life
    reader.refresh()
    assert [v.vintage for v in reader.vintages()] == ["s@2", "s@1"]


def test_leftovers_of_an_interrupted_write_are_removed_by_the_next_writer(tmp_path: Path) -> None:
    with Warehouse(tmp_path).writer() as writer:  # raw files are stored by writers, under the lock
        kept_origin = writer.put_raw(b"kept", _origin())
        writer.add_vintage(Vintage("s@1", "src", "2025", "live", 1),
                           to_observations(_rows(), "src", "s@1", "official"), [kept_origin])
    half = tmp_path / "observations" / "source=src" / "vintage=s@killed"
    (half / "series=s" / "year=2024").mkdir(parents=True)
    (half / "series=s" / "year=2024" / "part-0.parquet").write_bytes(b"PAR1 half written")
    orphan = RawStore(tmp_path).put(b"cited by no vintage", _origin())
    partial = tmp_path / "raw" / "ab" / ".tmp-xyz"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"partial")
    with Warehouse(tmp_path).writer() as writer:  # a writer cleans up first
        assert writer.collect_garbage() == []
    assert not half.exists() and not partial.exists() and orphan.sha256 not in RawStore(tmp_path)
    kept = Warehouse(tmp_path).origins("s@1")[0].sha256
    assert kept in RawStore(tmp_path)
    assert Warehouse(tmp_path).observations("s@1")["value"].to_pylist() == [1.0]


def test_raw_store_is_content_addressed(tmp_path: Path) -> None:
    raw = RawStore(tmp_path)
    first = raw.put(b"payload", _origin())
    again = raw.put(b"payload", _origin())
    assert first.sha256 == again.sha256 == "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5"
    assert raw.get(first.sha256) == b"payload"
    assert raw.origin(first.sha256).size == 7
    assert first.sha256 in raw


def test_a_corrupt_manifest_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="manifest is not valid JSON"):
        Warehouse(tmp_path)
    (tmp_path / MANIFEST).write_text(json.dumps({"format": 99, "vintages": []}), encoding="utf-8")
    with pytest.raises(DataError, match="format 99"):
        Warehouse(tmp_path)


def _hold(home: str, ready: multiprocessing.synchronize.Event, seconds: float) -> None:
    with Warehouse(Path(home)).writer():
        ready.set()
        time.sleep(seconds)


def test_a_busy_store_names_the_process_that_holds_it(tmp_path: Path) -> None:
    ready = multiprocessing.get_context("fork").Event()
    holder = multiprocessing.get_context("fork").Process(target=_hold, args=(str(tmp_path), ready, 5.0))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(BusyError, match=rf"held by pid {holder.pid}") as caught, \
                Warehouse(tmp_path).writer(wait=0.3):
            pass
        assert "fix: wait for that command to finish" in str(caught.value)
        reader = Warehouse(tmp_path)  # readers never wait for the lock
        assert reader.vintages() == []
    finally:
        holder.join(10)
    with Warehouse(tmp_path).writer(wait=1):  # the lock went with its holder
        pass


def test_vintages_are_hive_style_partitions_with_escaped_values(tmp_path: Path) -> None:
    """source=/vintage=/series=/year= folders (Hive's escapes, so any engine reads the values back);
    a small series sits in Hive's null year partition."""
    from usmca_monitor.store.layout import hive_value

    assert hive_value("census_trade@live-2026:01/x") == "census_trade@live-2026%3A01%2Fx"
    assert hive_value(".hidden") == "%2Ehidden"
    _add(tmp_path, "s@2026:1", "2026")
    (entry,) = Warehouse(tmp_path).vintage("s@2026:1").files
    assert entry.path == ("observations/source=src/vintage=s@2026%3A1/series=s/year=__HIVE_DEFAULT_PARTITION__/"
                          "part-0.parquet")
    assert (tmp_path / entry.path).is_file() and entry.year is None
