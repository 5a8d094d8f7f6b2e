"""What a change of observations moves, and the change record of a vintage.

``moved_indicators`` follows the catalog's inputs graph: an indicator moves when one of its input
(series, measure) pairs holds a changed observation, or when an indicator it builds on moves. Pages
follow from indicators (``indicators/<id>.html`` and the topic pages of ``catalog/topics.yaml``).
Facts and targets belong to rooms above this one: their owners pass *judges* (``facts.changes``,
``progress.changes``) that name the facts and targets moved and those whose verdict or status changes,
judged on two sessions — the store as it was with the older vintage, and with the newer one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa

from usmca_monitor.codelists import catalog_path, read_yaml
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.indicators.session import Session
from usmca_monitor.model.observation import OBSERVATION_SCHEMA
from usmca_monitor.safety import json_ready, public_origin
from usmca_monitor.store.diff import DIFF_SCHEMA, ObservationDiff, WarehouseAsOf, diff_vintages, previous_vintage
from usmca_monitor.store.warehouse import Vintage

LISTED = 200  # observation changes kept in a change record (the largest first); `usmca diff` lists all


@dataclass
class Impact:
    """A change and the two sessions it is judged on (``before`` None for a source's first vintage)."""

    diff: ObservationDiff
    before: Session | None
    after: Session
    indicators: list[str]

    @property
    def moved_series(self) -> set[tuple[str, str]]:
        """The (series, measure) pairs with a changed observation."""
        return self.diff.moved()


Judge = Callable[[Impact], dict[str, Any]]


def moved_indicators(moved: Iterable[tuple[str, str]]) -> list[str]:
    """Every indicator whose inputs hold a changed (series, measure), directly or through the indicators
    it builds on."""
    pairs = set(moved)
    specs = indicator_specs()
    dependents: dict[str, set[str]] = {}
    found: set[str] = set()
    for spec_id, spec in specs.items():
        for item in spec.inputs.values():
            if item.indicator:
                dependents.setdefault(item.indicator, set()).add(spec_id)
            elif item.series and (item.series, item.measure) in pairs:
                found.add(spec_id)
    pending = list(found)
    while pending:
        for dependent in dependents.get(pending.pop(), ()):
            if dependent not in found:
                found.add(dependent)
                pending.append(dependent)
    return sorted(found)


@cache
def topics() -> dict[str, tuple[str, ...]]:
    """Topic page name → the indicators it shows (``catalog/topics.yaml``)."""
    document = read_yaml(catalog_path("topics.yaml")) or {}
    return {name: tuple(ids or ()) for name, ids in (document.get("topics") or {}).items()}


def pages_for(indicators: Sequence[str]) -> list[str]:
    """The pages that show ``indicators``: each one's page, then the topic pages (paths under ``<lang>/``)."""
    chosen = set(indicators)
    own = [f"indicators/{i}.html" for i in sorted(chosen)]
    shown = [f"topics/{name}.html" for name, ids in sorted(topics().items()) if chosen & set(ids)]
    return own + shown


def as_of(session: Session, vintage_id: str) -> Session:
    """A new session over the store as it was when ``vintage_id`` was its source's newest vintage
    (close it after use)."""
    view = WarehouseAsOf(session.warehouse, {session.vintage(vintage_id).source_id: vintage_id})
    return Session(warehouse=view, codelists=session.codelists, engine=session.reader.name)


def describe_change(session: Session, old: Vintage | None, new: Vintage, judges: Sequence[Judge] = (),
                    recorded: str | None = None, listed: int | None = LISTED) -> dict[str, Any]:
    """The change record of ``new`` against ``old`` (None: the source's first vintage here): the
    observation changes (the ``listed`` largest), their counts, what they move and what the judges add."""
    diff = first_vintage(session, new) if old is None else diff_vintages(session.warehouse, old, new)
    indicators = moved_indicators(diff.moved())
    record = _header(new, old, diff, recorded)
    total = diff.table.num_rows if old is not None else new.rows
    record.update({"indicators": indicators, "pages": pages_for(indicators), "observations_total": total,
                   "observations": diff.rows(listed if old is not None else 0), "facts": [], "fact_changes": [],
                   "targets": [], "status_changes": []})
    if not diff.empty and judges:
        after = as_of(session, new.vintage)
        before = as_of(session, old.vintage) if old is not None else None
        try:
            impact = Impact(diff, before, after, indicators)
            for judge in judges:
                extra = judge(impact)
                pages = extra.pop("pages", [])
                record.update(extra)
                record["pages"] = list(dict.fromkeys([*record["pages"], *pages]))
        finally:
            after.close()
            if before is not None:
                before.close()
    result: dict[str, Any] = json_ready(record)
    return result


def first_vintage(session: Session, new: Vintage) -> ObservationDiff:
    """A source's first vintage here: every observation is new. Only the (series, measure) pairs are
    read — one row per pair stands for them in the diff table; the counts come from the manifest."""
    parts = []
    for series in new.series():
        pairs = session.warehouse.observations(new.vintage, series).select(
            [c for c in DIFF_SCHEMA.names if c in OBSERVATION_SCHEMA.names])
        parts.append(pairs.group_by(["series", "measure"]).aggregate([]))
    pairs = pa.concat_tables(parts) if parts else pa.table({"series": [], "measure": []})
    n = pairs.num_rows
    fill = {"series": pairs["series"], "measure": pairs["measure"], "change": pa.array(["added"] * n, pa.string())}
    table = pa.table({f.name: fill.get(f.name, pa.nulls(n, f.type) if f.nullable else pa.array([""] * n, f.type))
                      for f in DIFF_SCHEMA}).cast(DIFF_SCHEMA)
    return ObservationDiff(new.source_id, None, new.vintage, table, series_added=tuple(new.series()),
                           added_rows=new.rows)


def _header(new: Vintage, old: Vintage | None, diff: ObservationDiff, recorded: str | None) -> dict[str, Any]:
    periods = sorted(p for p in set(diff.table["period"].to_pylist()) if p)
    return {
        "vintage": new.vintage, "source_id": new.source_id, "previous": old.vintage if old else None,
        "kind": new.kind, "created": new.created, "loaded": new.loaded,
        "recorded": recorded or new.loaded or _stamp(new.created), "rows": new.rows,
        "origins": [_origin(o.model_dump()) for o in new.origins],
        "counts": {"added": diff.count("added"), "removed": diff.count("removed"),
                   "revised": diff.count("revised"), "unchanged": diff.unchanged},
        "series": diff.series(), "carried": list(diff.carried), "series_added": list(diff.series_added),
        "periods": {"first": periods[0], "last": periods[-1]} if periods else None,
    }


def _origin(origin: dict[str, Any]) -> dict[str, Any]:
    shown = public_origin(origin)
    return {k: shown.get(k, "") for k in ("producer", "title", "url", "accessed", "sha256", "licence")}


def _stamp(created: str) -> str:
    """A sortable UTC time for a vintage known only by its date (``2025-10`` → ``2025-10-01T00:00:00Z``)."""
    parts = (created + "-01-01")[:10] if len(created) < 10 else created[:10]
    try:
        day = dt.date.fromisoformat(parts)
    except ValueError:
        return created
    return f"{day.isoformat()}T00:00:00Z"


def pending_changes(session: Session, seen: set[str], judges: Sequence[Judge] = ()) -> list[dict[str, Any]]:
    """Change records of the vintages the changelog has not seen (an embedded snapshot that came with
    an upgrade, a record a writer did not finish), oldest first, each against the vintage before it."""
    unseen = [v for v in session.warehouse.vintages() if v.vintage not in seen]
    records = []
    for vintage in sorted(unseen, key=lambda v: (v.created, v.loaded, v.vintage)):
        records.append(describe_change(session, previous_vintage(session.warehouse, vintage), vintage, judges))
    return records
