"""The goals catalog: ``catalog/goals/shared_goals.yaml`` (the four goals, default milestones, area
names) and ``catalog/goals/targets/goal<N>.yaml`` (each goal's targets), validated as GoalSpec."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from usmca_monitor.codelists import catalog_path, read_yaml
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.goals import GoalSpec, Milestone
from usmca_monitor.model.specs import Text


@dataclass(frozen=True)
class GoalsCatalog:
    """The shared goals with their targets, the default milestones and display names of group codes."""

    goals: tuple[GoalSpec, ...]
    milestones: tuple[Milestone, ...]
    areas: dict[str, Text]

    def goal(self, goal_id: int) -> GoalSpec:
        """The goal ``goal_id`` (1–4)."""
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise UnknownCodeError(f"unknown goal {goal_id}", "goal", "use 1, 2, 3 or 4")


def _validate(model: type[Any], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DataError(f"invalid {model.__name__} ({'.'.join(map(str, first['loc']))}: {first['msg']})",
                        str(path), f"fix the YAML against model/goals.py:{model.__name__}") from exc


@cache
def load_catalog() -> GoalsCatalog:
    """The goals catalog (each target id once across goals)."""
    path = catalog_path("goals", "shared_goals.yaml")
    document = read_yaml(path)
    targets: dict[int, list[Any]] = {}
    for target_file in sorted(catalog_path("goals", "targets").glob("*.yaml")):
        data = read_yaml(target_file)
        if not isinstance(data, dict) or "goal" not in data:
            raise DataError("a targets file names its goal and lists targets", str(target_file),
                            "start the file with `goal: N` and `targets:`")
        targets.setdefault(int(data["goal"]), []).extend(data.get("targets") or [])
    goals = tuple(_validate(GoalSpec, {**g, "targets": targets.get(int(g["id"]), [])}, path)
                  for g in document["goals"])
    seen: set[str] = set()
    for goal in goals:
        for target in goal.targets:
            if target.id in seen:
                raise DataError(f"target id {target.id!r} is declared twice", str(path), "give each target its own id")
            seen.add(target.id)
    milestones = tuple(_validate(Milestone, m, path) for m in document.get("milestones", []))
    areas = {code: Text.model_validate(names) for code, names in (document.get("areas") or {}).items()}
    return GoalsCatalog(goals=goals, milestones=milestones, areas=areas)
