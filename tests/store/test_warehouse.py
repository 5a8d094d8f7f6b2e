"""The warehouse keeps vintages whole: a bad vintage changes nothing; raw files are content-addressed."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import Origin
from usmca_monitor.sources.base import to_observations
from usmca_monitor.store import RawStore, Vintage, Warehouse


def _rows(value: float = 1.0, period: str = "2024-01") -> list[dict[str, object]]:
    return [{"series": "s", "geo": "USA", "partner": "MEX", "product": None, "flow": "export",
             "measure": "value", "period": period, "freq": "M", "value": value, "unit": "USD"}]


def _origin() -> Origin:
    return Origin(producer="p", title="t", url="https://example.org/x", licence="l", citation="c", accessed="2026")


def test_vintages_newest_first_and_pinnable(tmp_path: Path) -> None:
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.add_vintage(Vintage("s@1", "src", "2025-10", "embedded", 1),
                       to_observations(_rows(1.0), "src", "s@1", "official"), [])
        wh.add_vintage(Vintage("s@2", "src", "2026-11-29T00:00:00Z", "live", 1),
                       to_observations(_rows(2.0), "src", "s@2", "official"), [_origin()])
        assert [v.vintage for v in wh.vintages("src")] == ["s@2", "s@1"]
        assert wh.resolve_vintage("src").vintage == "s@2"
        assert wh.resolve_vintage("src", "s@1").vintage == "s@1"
        assert wh.observations("s@1")["value"].to_pylist() == [1.0]
        assert wh.origins("s@2")[0].url == "https://example.org/x"
        with pytest.raises(UnknownCodeError, match="s@9"):
            wh.resolve_vintage("src", "s@9")


def test_a_bad_vintage_leaves_the_warehouse_unchanged(tmp_path: Path) -> None:
    with Warehouse(tmp_path / "w.duckdb") as wh:
        wh.add_vintage(Vintage("s@1", "src", "2025", "embedded", 1),
                       to_observations(_rows(), "src", "s@1", "official"), [])
        bad = to_observations(_rows(period="2024-13"), "src", "s@2", "official")
        with pytest.raises(DataError, match="2024-13"):
            wh.add_vintage(Vintage("s@2", "src", "2026", "live", 1), bad, [])
        missing = pa.table({"series": ["s"]})
        with pytest.raises(DataError, match="missing column"):
            wh.add_vintage(Vintage("s@3", "src", "2026", "live", 1), missing, [])
        assert [v.vintage for v in wh.vintages()] == ["s@1"]
        assert wh.con.execute("SELECT count(*) FROM observations").fetchone() == (1,)


def test_raw_store_is_content_addressed(tmp_path: Path) -> None:
    raw = RawStore(tmp_path)
    first = raw.put(b"payload", _origin())
    again = raw.put(b"payload", _origin())
    assert first.sha256 == again.sha256 == "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5"
    assert raw.get(first.sha256) == b"payload"
    assert raw.origin(first.sha256).size == 7
    assert first.sha256 in raw


def test_a_newer_embedded_snapshot_with_the_same_date_becomes_current(tmp_path: Path) -> None:
    """A package upgrade ships a new embedded vintage dated like the old one: the one loaded last wins."""
    with Warehouse(tmp_path / "w.duckdb") as wh:
        for vintage_id, value in (("src@embedded-ffff", 1.0), ("src@embedded-0000", 2.0)):
            wh.add_vintage(Vintage(vintage_id, "src", "2025-10", "embedded", 1),
                           to_observations(_rows(value), "src", vintage_id, "official"), [])
        assert wh.resolve_vintage("src").vintage == "src@embedded-0000"
