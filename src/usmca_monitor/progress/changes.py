"""Which targets a change of data moves, and those whose status changes: each target whose indicator
(or weighting indicator) moved, judged on the store before and after the change (a judge for
``indicators.impact.describe_change``)."""

from __future__ import annotations

from typing import Any

from usmca_monitor.indicators.impact import Impact
from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.model.goals import GoalSpec, TargetSpec
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.progress.evaluate import Loader, engine_loader, judge_target


def moved_targets(indicators: set[str]) -> list[tuple[GoalSpec, TargetSpec]]:
    """The targets whose indicator, or the indicator that weights their roll-up, is in ``indicators``."""
    return [(goal, target) for goal in load_catalog().goals for target in goal.targets
            if target.indicator and (target.indicator in indicators or target.aggregate.weights in indicators)]


def _status(goal: GoalSpec, target: TargetSpec, load: Loader) -> tuple[str, float | None]:
    try:
        result = judge_target(goal.id, target, load, load_catalog().milestones)
    except UsmcaError:  # an input the store lacks on that side: nothing can be judged there
        return "not_available", None
    return result.rolled.status, result.rolled.score


def target_changes(impact: Impact) -> dict[str, Any]:
    """``targets`` moved, ``status_changes`` (target, goal, status and score before and after) and the
    goal ``pages`` that show them."""
    chosen = moved_targets(set(impact.indicators))
    out: dict[str, Any] = {"targets": [t.id for _, t in chosen], "status_changes": [],
                           "pages": sorted({f"goals/{g.slug}.html" for g, _ in chosen})}
    if impact.before is None or not chosen:
        return out
    before, after = engine_loader(impact.before.engine), engine_loader(impact.after.engine)
    for goal, target in chosen:
        (old, old_score), (new, new_score) = _status(goal, target, before), _status(goal, target, after)
        if old != new:
            out["status_changes"].append({"target": target.id, "goal": goal.id, "title": target.title.model_dump(),
                                          "before": old, "after": new, "score_before": old_score,
                                          "score_after": new_score})
    return out
