"""Growth: year-over-year over the same months, and compound annual growth."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from usmca_monitor.indicators.formulas.trade import period_codes

KEYS = ["geo", "partner", "product", "period", "freq"]
MATCH = ["geo", "partner", "product", "freq"]


def _shift_years(period: ir.Value, years: int) -> ir.Value:
    """The same period ``years`` later (``2023-H1`` + 1 → ``2024-H1``; a period code, year × 100 +
    sub-period, + 100 per year)."""
    if period.type().is_integer():
        return period + years * 100
    text: ir.StringValue = period
    return (text.substr(0, 4).cast("int32") + years).cast("string") + text.substr(4)


def _lagged(base: ir.Table, years: int) -> ir.Table:
    earlier = base.select(*MATCH, period=_shift_years(base.period, years), earlier="value")
    conds = [base[k].identical_to(earlier[k]) for k in MATCH] + [base.period == earlier.period]
    return base.join(earlier, conds).select(*KEYS, "value", "earlier")


@period_codes
def year_over_year(base: ir.Table) -> ir.Table:
    """Percent change against the same period a year earlier (same months for H, Q, YTD, M)."""
    j = _lagged(base, 1)
    return j.select(*KEYS, value=ibis.ifelse(j.earlier != 0, 100.0 * (j.value / j.earlier - 1), ibis.null("float64")))


@period_codes
def cagr(base: ir.Table, years: int = 5) -> ir.Table:
    """Compound annual growth rate (percent) over ``years``: (v_t / v_{t−n})^(1/n) − 1.

    Null when either value is zero or the two have opposite signs.
    """
    j = _lagged(base, years)
    ok = (j.earlier != 0) & (j.value / j.earlier > 0)
    return j.select(*KEYS, value=ibis.ifelse(ok, 100.0 * ((j.value / j.earlier) ** (1.0 / years) - 1),
                                             ibis.null("float64")))
