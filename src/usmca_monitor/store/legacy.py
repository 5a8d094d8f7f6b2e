"""Stores written by versions before 0.2 kept observations in ``warehouse.duckdb``: their vintages
(updates and imports; embedded ones are read from the package) are moved once into the Parquet store."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb

from usmca_monitor.fsutil import BusyError
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.specs import Origin
from usmca_monitor.store.warehouse import Vintage, Warehouse

LEGACY = "warehouse.duckdb"
log = logging.getLogger(__name__)


def migrate_if_needed(home: Path) -> int:
    """Move the vintages of an old ``warehouse.duckdb`` into the store (once; the old file is then renamed
    ``warehouse.duckdb.migrated``). Returns how many vintages were moved (0 when there is nothing to do
    or another process is writing: it will be done by the next command)."""
    if not (home / LEGACY).is_file():
        return 0
    try:
        with Warehouse(home).writer(wait=5) as writer:
            if not (home / LEGACY).is_file():
                return 0
            moved = 0
            try:
                con = duckdb.connect(str(home / LEGACY), read_only=True)
            except duckdb.Error as exc:
                raise DataError(f"the store file of an older version cannot be read ({exc})", str(home / LEGACY),
                                f"move it aside (e.g. to {LEGACY}.old) and run the updates and imports again") from None
            try:
                for vintage_id, source_id, created, kind, rows, note, loaded in con.execute(
                        "SELECT vintage, source_id, created, kind, rows, coalesce(note, ''), "
                        "coalesce(loaded, '') FROM vintages WHERE kind <> 'embedded' ORDER BY created").fetchall():
                    if writer.warehouse.has_vintage(vintage_id):
                        continue
                    table = con.sql("SELECT * FROM observations WHERE vintage = ?",
                                    params=[vintage_id]).to_arrow_table()
                    origins = [Origin.model_validate(json.loads(row[0])) for row in con.execute(
                        "SELECT origin FROM origins WHERE vintage = ?", [vintage_id]).fetchall()]
                    old = Vintage(vintage_id, source_id, created, kind, rows, note, loaded)
                    writer.add_vintage(old, table, origins)
                    moved += 1
            finally:
                con.close()
            (home / LEGACY).rename(home / f"{LEGACY}.migrated")
            log.warning("moved %d vintage(s) from %s into the Parquet store", moved, home / LEGACY)
            return moved
    except BusyError:
        return 0
