"""A store written by an older version (one ``warehouse.duckdb``) is moved once into the Parquet store;
a reader's first open of a new store writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from usmca_monitor import api
from usmca_monitor.model.errors import DataError
from usmca_monitor.store.legacy import LEGACY

OLD_SCHEMA = """
CREATE TABLE observations (series VARCHAR, geo VARCHAR, partner VARCHAR, product VARCHAR, flow VARCHAR,
    measure VARCHAR, period VARCHAR, freq VARCHAR, value DOUBLE, unit VARCHAR, source_id VARCHAR,
    vintage VARCHAR, status VARCHAR);
CREATE TABLE vintages (vintage VARCHAR PRIMARY KEY, source_id VARCHAR, created VARCHAR, kind VARCHAR,
    rows BIGINT, note VARCHAR, loaded VARCHAR);
CREATE TABLE origins (vintage VARCHAR, sha256 VARCHAR, origin JSON);
"""


def _old_store(home: Path) -> None:
    """An old store holding one imported OICA vintage (and an embedded one, which is not moved)."""
    home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home / LEGACY))
    con.execute(OLD_SCHEMA)
    origin = {"producer": "OICA", "title": "t", "url": "https://www.oica.net/", "licence": "l", "citation": "c",
              "accessed": "2026-12-01", "sha256": "ab" * 32}
    for vintage, kind, value in (("oica@import-20261201T000000Z", "import", 12.5e6),
                                 ("oica@embedded-old", "embedded", 1.0)):
        con.execute("INSERT INTO vintages VALUES (?, 'oica', '2026-12-01T00:00:00Z', ?, 1, '', '')", [vintage, kind])
        con.execute("INSERT INTO observations VALUES ('oica.production', 'MEX', NULL, 'OICA:TOTAL', NULL, "
                    "'production', '2030', 'A', ?, 'units', 'oica', ?, 'official')", [value, vintage])
        con.execute("INSERT INTO origins VALUES (?, ?, ?)", [vintage, origin["sha256"], json.dumps(origin)])
    con.close()


def test_an_old_store_is_moved_once_into_the_parquet_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _old_store(home)
    with api.open_session(home) as session:
        stored = [v.vintage for v in session.warehouse.stored()]
        assert stored == ["oica@import-20261201T000000Z"]  # the embedded one is read from the package
        assert session.origins(stored[0])[0].url == "https://www.oica.net/"
        assert session.observations(stored[0])["value"].to_pylist() == [12.5e6]
    assert not (home / LEGACY).exists() and (home / f"{LEGACY}.migrated").exists()
    with api.open_session(home) as session:  # once: nothing moved again
        assert [v.vintage for v in session.warehouse.stored()] == stored


def test_an_unreadable_old_store_is_one_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / LEGACY).write_bytes(b"not a database")
    with pytest.raises(DataError, match=r"cannot be read.*fix: move it aside"):
        api.open_session(home).__enter__()
    assert (home / LEGACY).read_bytes() == b"not a database"


def test_a_readers_first_open_writes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    home.mkdir()
    assert api.query("tdr", partner="MEX", period="2024", home=home)
    assert [p.name for p in home.iterdir()] == []
