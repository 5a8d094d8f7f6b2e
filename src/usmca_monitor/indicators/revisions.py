"""Revised values: the rows of an indicator whose value moved, since the vintage before the current
one of each source behind it, by more than the indicator's ``revision_threshold`` (relative).

Indicator pages mark these rows "revised" and show the earlier value beside the current one
(``Session.revised``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.model.errors import UsmcaError

if TYPE_CHECKING:
    from usmca_monitor.indicators.session import Session

RowKey = tuple[str, str | None, str | None, str]  # geo, partner, product, period


@dataclass(frozen=True)
class Revision:
    """One revised row: the value now, the earlier value, the vintage(s) it came from, and the relative
    change (``inf`` when the earlier value was 0)."""

    value: float
    earlier: float
    earlier_vintages: str
    change: float

    def as_dict(self) -> dict[str, float | str | None]:
        """A JSON-ready mapping (an infinite change is null)."""
        return {"value": self.value, "earlier": self.earlier, "earlier_vintages": self.earlier_vintages,
                "change": self.change if math.isfinite(self.change) else None}


def relative_change(old: float, new: float) -> float:
    """``|new − old| / |old|`` (``inf`` when old is 0 and new is not, 0 when both are 0)."""
    if old == 0:
        return 0.0 if new == 0 else math.inf
    return abs(new - old) / abs(old)


def revised(session: Session, indicator: str, freq: str = "A", ytd_month: int | None = None) -> dict[RowKey, Revision]:
    """The rows of ``indicator`` at ``freq`` revised beyond its threshold, by (geo, partner, product,
    period); empty when no source behind it has an earlier vintage."""
    threshold = get_spec(indicator).revision_threshold
    now = session.compute(indicator, freq, ytd_month)
    earlier = session.earlier(now.vintages)
    if earlier is None:
        return {}
    try:
        before = earlier.compute(indicator, freq, ytd_month)
    except UsmcaError:  # an input the earlier store lacks: nothing to compare
        return {}
    old = {(r["geo"], r["partner"], r["product"], r["period"]): r["value"] for r in before.rows()}
    vintages = "; ".join(sorted(before.vintages.values()))
    found: dict[RowKey, Revision] = {}
    for row in now.rows():
        key = (row["geo"], row["partner"], row["product"], row["period"])
        value, was = row["value"], old.get(key)
        if value is None or was is None:
            continue
        change = relative_change(was, value)
        if change > threshold:
            found[key] = Revision(value, was, vintages, change)
    return found
