"""The DuckDB warehouse: observations by vintage, the vintages, and the origins of their raw files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.model.observation import OBSERVATION_COLUMNS, validate_observations
from usmca_monitor.model.specs import Origin

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS observations (
    series VARCHAR NOT NULL, geo VARCHAR NOT NULL, partner VARCHAR, product VARCHAR, flow VARCHAR,
    measure VARCHAR NOT NULL, period VARCHAR NOT NULL, freq VARCHAR NOT NULL, value DOUBLE,
    unit VARCHAR NOT NULL, source_id VARCHAR NOT NULL, vintage VARCHAR NOT NULL, status VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS vintages (
    vintage VARCHAR PRIMARY KEY, source_id VARCHAR NOT NULL, created VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, rows BIGINT NOT NULL, note VARCHAR
);
ALTER TABLE vintages ADD COLUMN IF NOT EXISTS loaded VARCHAR;
CREATE TABLE IF NOT EXISTS origins (
    vintage VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, origin JSON NOT NULL
);
"""


@dataclass(frozen=True)
class Vintage:
    """One update of one source: its observations and the raw files they came from."""

    vintage: str
    source_id: str
    created: str
    kind: str
    rows: int
    note: str = ""


class Warehouse:
    """Observations in one DuckDB file (``USMCA_HOME/warehouse.duckdb``)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only and path.exists()
        self.con = duckdb.connect(str(path), read_only=self.read_only)
        if not self.read_only:
            self.con.execute(_SCHEMA_SQL)

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def add_vintage(self, vintage: Vintage, observations: pa.Table, origins: list[Origin]) -> None:
        """Add a whole vintage at once; on any error the warehouse is left as it was."""
        table = validate_observations(observations, f"vintage {vintage.vintage}")
        with self._transaction() as con:
            con.execute("DELETE FROM observations WHERE vintage = ?", [vintage.vintage])
            con.execute("DELETE FROM origins WHERE vintage = ?", [vintage.vintage])
            con.execute("DELETE FROM vintages WHERE vintage = ?", [vintage.vintage])
            con.register("_incoming", table)
            con.execute(f"INSERT INTO observations SELECT {', '.join(OBSERVATION_COLUMNS)} FROM _incoming")
            con.unregister("_incoming")
            con.execute("INSERT INTO vintages (vintage, source_id, created, kind, rows, note, loaded) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [vintage.vintage, vintage.source_id, vintage.created, vintage.kind,
                         table.num_rows, vintage.note, _now()])
            for origin in origins:
                con.execute("INSERT INTO origins VALUES (?, ?, ?)",
                            [vintage.vintage, origin.sha256, origin.model_dump_json()])

    def vintages(self, source_id: str | None = None) -> list[Vintage]:
        """Vintages, newest first (by creation, then id)."""
        sql = "SELECT vintage, source_id, created, kind, rows, coalesce(note, '') FROM vintages"
        params: list[object] = []
        if source_id:
            sql += " WHERE source_id = ?"
            params.append(source_id)
        # Newest data first; among vintages with the same date (an embedded snapshot replaced by a newer
        # release of the package), the one loaded last.
        rows = self.con.execute(sql + " ORDER BY created DESC, loaded DESC NULLS LAST, vintage DESC",
                                params).fetchall()
        return [Vintage(*row) for row in rows]

    def has_vintage(self, vintage: str) -> bool:
        """Whether ``vintage`` is stored."""
        return bool(self.con.execute("SELECT count(*) FROM vintages WHERE vintage = ?", [vintage]).fetchall()[0][0])

    def current_vintage(self, source_id: str) -> Vintage | None:
        """The newest vintage of a source, or None."""
        found = self.vintages(source_id)
        return found[0] if found else None

    def resolve_vintage(self, source_id: str, pinned: str | None = None) -> Vintage:
        """The pinned vintage (checked) or the newest one of ``source_id``."""
        found = self.vintages(source_id)
        if pinned:
            for vintage in found:
                if vintage.vintage == pinned:
                    return vintage
            known = ", ".join(v.vintage for v in found) or "none"
            raise UnknownCodeError(f"unknown vintage {pinned!r} for source {source_id}",
                                   "--vintage", f"use one of: {known}")
        if not found:
            raise UnknownCodeError(f"no data stored for source {source_id}", "store",
                                   f"run `usmca build` or `usmca update {source_id}`")
        return found[0]

    def origins(self, vintage: str) -> list[Origin]:
        """The origins of the raw files behind a vintage."""
        rows = self.con.execute("SELECT origin FROM origins WHERE vintage = ? ORDER BY sha256",
                                [vintage]).fetchall()
        return [Origin.model_validate(json.loads(row[0])) for row in rows]

    def observations(self, vintage: str) -> pa.Table:
        """All observations of one vintage, as Arrow."""
        return self.con.sql("SELECT * FROM observations WHERE vintage = ?", params=[vintage]).to_arrow_table()


def _now() -> str:
    """The current UTC time to the microsecond (orders vintages loaded in the same second)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
