"""The changelog: one change record per vintage that entered the store, as
``USMCA_HOME/changes/<recorded>-<vintage>.json``.

A writer (``update``, ``import``, ``refresh``) writes the record of its new vintage right after the
manifest, while it still holds the store's write lock, each record whole in one rename. A vintage the
changelog has not seen — one whose writer died between the manifest and its record, one written by an
older version, or a new embedded snapshot that came with an upgrade — is recorded by the next writer
(and shown, computed in memory, by a build until then). Records are never rewritten.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from usmca_monitor.fsutil import atomic_write
from usmca_monitor.model.errors import DataError

FOLDER = "changes"
FORMAT = 1


def folder(home: Path) -> Path:
    """Where the records of ``home`` live."""
    return home / FOLDER


def read_records(home: Path) -> list[dict[str, Any]]:
    """Every change record, newest first (by the time it was recorded, then vintage)."""
    base = folder(home)
    if not base.is_dir():
        return []
    records = []
    for path in base.glob("*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise DataError(f"a change record is not valid JSON ({exc})", str(path),
                            "move the file aside; `usmca diff SOURCE` recomputes any change") from None
        if record.get("format") == FORMAT:
            records.append(record)
    return sorted(records, key=lambda r: (r.get("recorded", ""), r.get("vintage", "")), reverse=True)


def seen(home: Path) -> set[str]:
    """The vintages the changelog has a record of."""
    return {r["vintage"] for r in read_records(home)}


def write_record(home: Path, record: dict[str, Any]) -> Path:
    """Write one record whole (a reader sees it complete or not at all); returns its path."""
    stamp = re.sub(r"[^0-9A-Za-z]", "", record["recorded"])
    name = re.sub(r"[^0-9A-Za-z@._-]", "_", record["vintage"]).lstrip(".")
    target = folder(home) / f"{stamp}-{name}.json"
    data = json.dumps({**record, "format": FORMAT}, indent=1, ensure_ascii=False, allow_nan=False)
    atomic_write(target, (data + "\n").encode("utf-8"))
    return target


def collect_garbage(home: Path) -> None:
    """Remove temporary files an interrupted record write left."""
    base = folder(home)
    if base.is_dir():
        for item in base.glob(".tmp-*"):
            item.unlink(missing_ok=True)
