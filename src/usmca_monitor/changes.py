"""What changed, for the API: ``usmca diff``, the change record a writer leaves after each new vintage,
and ``usmca refresh`` (update every live source, rebuild and publish when anything changed).

Part of the API layer (it composes ``store``, ``indicators``, ``progress`` and ``facts``); the command
line calls it through ``api.py``.

When a record is written: right after the manifest names the new vintage, while the writer still holds
the store's write lock (``api._store_vintage``). The writer first records every vintage the changelog
has not seen — a new embedded snapshot that came with an upgrade, or a vintage whose writer died before
its record — oldest first, so the changelog stays in the order vintages entered the store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.facts.changes import fact_changes
from usmca_monitor.indicators.impact import Judge, describe_change, pending_changes
from usmca_monitor.indicators.session import Session
from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.progress.changes import target_changes
from usmca_monitor.store import changelog
from usmca_monitor.store.diff import diff_tables, pick_pair
from usmca_monitor.store.paths import usmca_home
from usmca_monitor.store.warehouse import Vintage, Warehouse

log = logging.getLogger(__name__)
JUDGES: tuple[Judge, ...] = (fact_changes, target_changes)

# `usmca refresh` exit codes (README, "Scheduled refresh").
EXIT_UNCHANGED = 0   # every source answered; no observation changed; the site was left as it was
EXIT_PUBLISHED = 10  # something changed; the site was rebuilt and published
EXIT_ERROR = 1       # no source could be updated, or the build failed: data and site as they were
EXIT_PARTIAL = 3     # some sources failed (named on stderr); the others' changes, if any, were published


def diff(source_id: str, old: str | None = None, new: str | None = None, *, home: Path | None = None,
         judges: Sequence[Judge] = JUDGES) -> dict[str, Any]:
    """Every observation added, removed or revised between two vintages of ``source_id`` (default: its
    two newest), with what they move: indicators, facts, targets (status changes named) and pages."""
    with Session(home) as session:
        before, after = pick_pair(session.warehouse, source_id, old, new)
        return describe_change(session, before, after, judges, listed=None)


def record_changes(home: Path | None = None, judges: Sequence[Judge] = JUDGES) -> list[dict[str, Any]]:
    """Write the change record of every vintage the changelog has not seen (call it holding the write
    lock); returns the records written, oldest first. A record that cannot be made is logged and left to
    the next writer: the vintage itself is already stored."""
    root = home or usmca_home()
    changelog.collect_garbage(root)
    now = _now()
    written = []
    with Session(root) as session:
        try:
            records = pending_changes(session, changelog.seen(root), judges)
        except UsmcaError as exc:
            log.warning("the change record was not written (%s); the next update or import writes it", exc)
            return []
        for record in records:
            record["recorded"] = now if record["kind"] != "embedded" else record["recorded"]
            changelog.write_record(root, record)
            written.append(record)
    return written


def record_unseen(home: Path | None = None) -> list[dict[str, Any]]:
    """``record_changes`` under the store's write lock (a new embedded snapshot, a missed record)."""
    root = home or usmca_home()
    with Warehouse(root).writer():
        return record_changes(root)


def unchanged(warehouse: Warehouse, source_id: str, table: pa.Table) -> Vintage | None:
    """The newest vintage of ``source_id`` when ``table`` holds exactly what the store already reads
    for each of its series (so a refresh need not store it again), else None."""
    found = warehouse.vintages(source_id)
    if not found:
        return None
    for series in sorted(set(table["series"].to_pylist())):
        holder = next((v for v in found if v.holds(series)), None)
        if holder is None:
            return None
        changes, _ = diff_tables(warehouse.observations(holder.vintage, series),
                                 table.filter(pc.equal(table["series"], series)))
        if changes.num_rows:
            return None
    return found[0]


@dataclass
class RefreshResult:
    """What ``usmca refresh`` did."""

    records: list[dict[str, Any]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: bool = False
    pages: int = 0

    @property
    def changed(self) -> list[dict[str, Any]]:
        """The records with an added, removed or revised observation."""
        return [r for r in self.records if any(r["counts"][k] for k in ("added", "removed", "revised"))]

    @property
    def exit_code(self) -> int:
        """0 nothing changed, 10 changes published, 3 some sources failed, 1 all failed."""
        attempted = len(self.failed) + len(self.unchanged) + len({r["source_id"] for r in self.records})
        if self.failed and len(self.failed) >= attempted:
            return EXIT_ERROR
        if self.failed:
            return EXIT_PARTIAL
        return EXIT_PUBLISHED if self.published else EXIT_UNCHANGED


Updater = Callable[[str], Vintage | None]
Builder = Callable[[], int]


def refresh(sources: Sequence[str], update: Updater, build: Builder, home: Path | None = None) -> RefreshResult:
    """Update each source (``update`` returns None when the source answered what the store holds),
    record what changed, and when anything did — a new embedded snapshot included — ``build`` and
    publish. A source that fails is reported and the others go on; a failed build raises (the
    published site stays as it was)."""
    root = home or usmca_home()
    started = _now()
    result = RefreshResult(records=record_unseen(root))
    for source_id in sources:
        try:
            vintage = update(source_id)
        except UsmcaError as exc:
            result.failed.append((source_id, str(exc)))
            continue
        if vintage is None:
            result.unchanged.append(source_id)
    seen_now = {r["vintage"] for r in result.records}
    fresh = [r for r in reversed(changelog.read_records(root)) if r["vintage"] not in seen_now
             and r["recorded"] >= started]
    result.records.extend(fresh)
    if result.changed:
        result.pages = build()
        result.published = True
    return result


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
