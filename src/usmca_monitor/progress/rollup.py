"""Roll-up: series → target (mean score, Open SDG's rule) → goal (mean, or the conservative mean of the
two worst targets), and the North America aggregate of country series (simple or weighted, with a
coverage rule)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from usmca_monitor.progress.methods import Assessment, status_from_score


@dataclass(frozen=True)
class Rolled:
    """A status and score made from several parts, with how many parts had one."""

    status: str
    score: float | None
    covered: int
    total: int
    components: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {"status": self.status, "score": self.score, "covered": self.covered, "total": self.total,
                "components": self.components}


def combine(parts: Sequence[Assessment | Rolled]) -> Rolled:
    """The mean score of the parts that have one; ``target_achieved`` only when every part achieved it."""
    scored = [p for p in parts if p.score is not None]
    if not scored:
        return Rolled("not_available", None, 0, len(parts))
    mean = sum(p.score for p in scored if p.score is not None) / len(scored)
    everyone = len(scored) == len(parts) and all(p.status == "target_achieved" for p in parts)
    return Rolled("target_achieved" if everyone else status_from_score(mean), mean, len(scored), len(parts),
                  {"rule": "mean", "scores": [p.score for p in parts]})


def goal_rollup(targets: Sequence[Assessment | Rolled], rule: str = "mean") -> Rolled:
    """A goal from its targets: the ``mean`` score, or ``two_worst`` (the mean of the two lowest scores,
    a conservative reading that a strong target cannot hide a weak one)."""
    if rule == "mean":
        return combine(targets)
    scored = sorted((p for p in targets if p.score is not None), key=lambda p: p.score or 0.0)
    if not scored:
        return Rolled("not_available", None, 0, len(targets), {"rule": rule})
    worst = scored[:2]
    mean = sum(p.score or 0.0 for p in worst) / len(worst)
    return Rolled(status_from_score(mean), mean, len(scored), len(targets),
                  {"rule": rule, "scores": [p.score for p in targets], "used": [p.score for p in worst]})


def north_america(by_geo: Mapping[str, Assessment | Rolled], *, weights: Mapping[str, float] | None = None,
                  min_coverage: float = 2 / 3, members: Sequence[str] = ("USA", "MEX", "CAN")) -> Rolled:
    """The North America aggregate of country scores: a simple mean, or weighted by ``weights`` (e.g.
    each country's GDP); available only when the countries with a score reach ``min_coverage`` of the
    members (simple) or of the members' total weight (weighted)."""
    present = {g: a for g, a in by_geo.items() if g in members and a.score is not None}
    comp: dict[str, Any] = {"rule": "weighted" if weights else "simple", "min_coverage": min_coverage,
                            "members": list(members), "with_score": sorted(present)}
    if weights:
        total = sum(weights.get(g, 0.0) for g in members)
        have = sum(weights.get(g, 0.0) for g in present)
        coverage = have / total if total else 0.0
        comp["weights"] = {g: weights.get(g) for g in members}
    else:
        coverage = len(present) / len(members)
    comp["coverage"] = coverage
    if not present or coverage < min_coverage:
        return Rolled("not_available", None, len(present), len(members), comp)
    if weights:
        have = sum(weights.get(g, 0.0) for g in present)
        mean = sum((present[g].score or 0.0) * weights.get(g, 0.0) for g in present) / have
    else:
        mean = sum(a.score or 0.0 for a in present.values()) / len(present)
    everyone = len(present) == len(members) and all(a.status == "target_achieved" for a in present.values())
    return Rolled("target_achieved" if everyone else status_from_score(mean), mean, len(present), len(members),
                  comp)


def trend(now: float | None, before: float | None, tolerance: float = 0.1) -> str:
    """``up``, ``down`` or ``flat``: how a score moved since the assessment one year earlier; ``none``
    when either is missing."""
    if now is None or before is None:
        return "none"
    if now > before + tolerance:
        return "up"
    if now < before - tolerance:
        return "down"
    return "flat"


PROGRESSING = ("target_achieved", "substantial_progress", "moderate_progress")


def states_rollup(by_geo: Mapping[str, Assessment | Rolled], country_of: Mapping[str, str],
                  totals: Mapping[str, int]) -> Rolled:
    """Subdivisions (states, provinces) into one target: the mean score of the subdivisions with one, and
    per country how many have data and how many are progressing (moderate progress or better).

    ``totals`` gives each country's number of subdivisions (a country without data shows 0 of N)."""
    scored = {g: a for g, a in by_geo.items() if a.score is not None}
    by_country: dict[str, dict[str, Any]] = {}
    for country, total in totals.items():
        mine = {g: a for g, a in scored.items() if country_of.get(g) == country}
        statuses = [a.status for a in mine.values()]
        by_country[country] = {
            "total": total, "with_data": len(mine), "progressing": sum(s in PROGRESSING for s in statuses),
            "by_status": {s: statuses.count(s) for s in sorted(set(statuses))},
            "progressing_geos": sorted(g for g, a in mine.items() if a.status in PROGRESSING)}
    progressing = sum(c["progressing"] for c in by_country.values())
    comp: dict[str, Any] = {"rule": "states", "by_country": by_country, "progressing": progressing,
                            "with_data": len(scored),
                            "share_progressing": progressing / len(scored) if scored else None}
    if not scored:
        return Rolled("not_available", None, 0, sum(totals.values()), comp)
    mean = sum(a.score or 0.0 for a in scored.values()) / len(scored)
    everyone = all(a.status == "target_achieved" for a in scored.values())
    return Rolled("target_achieved" if everyone else status_from_score(mean), mean, len(scored),
                  sum(totals.values()), comp)
