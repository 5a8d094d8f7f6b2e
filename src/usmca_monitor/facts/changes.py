"""Which facts a change of data moves, and those whose value or verdict changes: each fact with a term
on a moved indicator or a changed (series, measure), checked on the store before and after the change
(a judge for ``indicators.impact.describe_change``)."""

from __future__ import annotations

from typing import Any

from usmca_monitor.facts.check import check_fact, fact_specs
from usmca_monitor.indicators.impact import Impact
from usmca_monitor.model.facts import FactSpec, FactTerm


def _moves(term: FactTerm, indicators: set[str], series: set[tuple[str, str]]) -> bool:
    if term.indicator is not None:
        return term.indicator in indicators
    measures = [term.measure] if isinstance(term.measure, str) else term.measure
    return any((term.series, m) in series for m in measures)


def moved_facts(indicators: set[str], series: set[tuple[str, str]]) -> list[FactSpec]:
    """The computed facts with a term on a moved indicator or a changed (series, measure)."""
    return [spec for spec in fact_specs().values()
            if spec.compute is not None and any(_moves(t, indicators, series) for t in spec.compute.terms.values())]


def fact_changes(impact: Impact) -> dict[str, Any]:
    """``facts`` moved and ``fact_changes`` (value for the report's period, latest value and verdict,
    before and after) of those whose value or verdict changed; the facts page among ``pages``."""
    chosen = moved_facts(set(impact.indicators), impact.moved_series)
    out: dict[str, Any] = {"facts": [s.id for s in chosen], "fact_changes": [],
                           "pages": ["facts/index.html"] if chosen else []}
    if impact.before is None:
        return out
    for spec in chosen:
        old, new = check_fact(spec, impact.before.engine), check_fact(spec, impact.after.engine)
        if (old.status, old.computed_value, old.latest_value) != (new.status, new.computed_value, new.latest_value):
            out["fact_changes"].append({
                "fact": spec.id, "goal": spec.goal, "period": spec.period, "status_before": old.status,
                "status_after": new.status, "value_before": old.computed_value, "value_after": new.computed_value,
                "latest_before": old.latest_value, "latest_after": new.latest_value,
                "latest_period": new.latest_period})
    return out
