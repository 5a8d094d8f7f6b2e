"""Periods: parse a period string, and aggregate monthly observations to quarters, halves,
year-to-date and years — keeping only periods whose months are all present in the data."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from usmca_monitor.model.errors import UnknownCodeError

FREQ_PATTERNS: dict[str, re.Pattern[str]] = {
    "A": re.compile(r"^(\d{4})$"),
    "H": re.compile(r"^(\d{4})-H([12])$"),
    "Q": re.compile(r"^(\d{4})-Q([1-4])$"),
    "YTD": re.compile(r"^(\d{4})-YTD(0[1-9]|1[0-2])$"),
    "M": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}
MONTHS_IN = {"A": 12, "H": 6, "Q": 3, "M": 1}


@dataclass(frozen=True)
class PeriodQuery:
    """A period as asked for: its frequency and, for year-to-date, the last month."""

    period: str
    freq: str
    ytd_month: int | None = None


def parse_period(period: str) -> PeriodQuery:
    """``2024`` → A, ``2024-H1`` → H, ``2024-Q2`` → Q, ``2024-YTD06`` → YTD, ``2024-06`` → M."""
    for freq, pattern in FREQ_PATTERNS.items():
        match = pattern.match(period)
        if match:
            ytd = int(match.group(2)) if freq == "YTD" else None
            return PeriodQuery(period, freq, ytd)
    raise UnknownCodeError(f"period {period!r} is not understood", "--period",
                           "use 2024, 2024-H1, 2024-Q2, 2024-YTD06 (January–June) or 2024-06")


def _year(t: ir.Table) -> ir.StringValue:
    return t.period.substr(0, 4)


def _month(t: ir.Table) -> ir.IntegerValue:
    return t.period.substr(5, 2).cast("int32")


def _target_period(freq: str, year: ir.StringValue, month: ir.IntegerValue,
                   ytd_month: int | None) -> ir.StringValue:
    if freq == "A":
        return year
    if freq == "H":
        return year + ibis.ifelse(month <= 6, "-H1", "-H2")
    if freq == "Q":
        return year + "-Q" + ((month - 1) // 3 + 1).cast("string")
    if freq == "YTD":
        return year + f"-YTD{ytd_month:02d}"
    return year + "-" + month.cast("string").lpad(2, "0")


def _sub_period(freq: str, month: ir.IntegerValue, ytd_month: int | None) -> ir.IntegerValue:
    """The number of a month's ``freq`` period within its year: 0 for a year, 1-2 for halves, 1-4 for
    quarters, the last month for year-to-date, the month itself for a month."""
    if freq == "A":
        return ibis.literal(0, "int32")
    if freq == "H":
        return ibis.ifelse(month <= 6, 1, 2).cast("int32")
    if freq == "Q":
        return ((month - 1) // 3 + 1).cast("int32")
    if freq == "YTD":
        return ibis.literal(ytd_month or 12, "int32")
    return month.cast("int32")


def period_code(freq: str, t: ir.Table, ytd_month: int | None) -> ir.IntegerValue:
    """A monthly row's ``freq`` period as one integer, ``year × 100 + sub-period`` (2024-H1 → 202401):
    narrower to group and compare than the period's text; ``code_label`` writes it out."""
    return _year(t).cast("int32") * 100 + _sub_period(freq, _month(t), ytd_month)


def code_label(freq: str, code: ir.IntegerValue, ytd_month: int | None) -> ir.StringValue:
    """The period text of a ``period_code``: ``2024``, ``2024-H1``, ``2024-Q2``, ``2024-YTD06``, ``2024-06``."""
    year = (code // 100).cast("string")
    sub = code % 100
    if freq == "A":
        return year
    if freq == "H":
        return year + "-H" + sub.cast("string")
    if freq == "Q":
        return year + "-Q" + sub.cast("string")
    if freq == "YTD":
        return year + f"-YTD{ytd_month:02d}"
    return year + "-" + sub.cast("string").lpad(2, "0")


def resolve_ytd(obs: ir.Table, freq: str, ytd_month: int | None) -> int | None:
    """For ``YTD`` without a month: the latest month of the latest year in the data (12 when empty)."""
    if freq != "YTD" or ytd_month is not None:
        return ytd_month
    monthly = obs.filter(obs.freq == "M")
    latest = monthly.select(period=monthly.period).order_by(ibis.desc("period")).limit(1).to_pyarrow()
    return int(str(latest["period"][0].as_py())[5:7]) if latest.num_rows else 12


def label_monthly(obs: ir.Table, freq: str, keys: list[str], ytd_month: int | None = None,
                  coded: bool = False) -> tuple[ir.Table, ir.Table]:
    """Monthly rows with ``period`` set to their ``freq`` period (not summed), and the table of
    periods (``complete_period``) whose months are all present in the data calendar. With ``coded``,
    periods are ``period_code`` integers (the caller labels what remains after summing).

    Completeness is judged on the calendar of the whole input (a month counts as present when any
    key has it), so a partner with no record in a month (no trade, or suppressed) sums as zero.
    For ``YTD``, ``ytd_month`` (default: the latest month of the latest year) fixes the months.
    """
    monthly = obs.filter(obs.freq == "M")
    if coded:
        return _coded(monthly, freq, keys, resolve_ytd(obs, freq, ytd_month))
    calendar = monthly.select(year=_year(monthly), month=_month(monthly)).distinct()
    if freq == "YTD":
        if ytd_month is None:
            latest = calendar.order_by([ibis.desc("year"), ibis.desc("month")]).limit(1).to_pyarrow()
            ytd_month = int(latest["month"][0].as_py()) if latest.num_rows else 12
        monthly = monthly.filter(_month(monthly) <= ytd_month)
        calendar = calendar.filter(calendar.month <= ytd_month)
        needed = ytd_month
    else:
        needed = MONTHS_IN[freq]
    complete = (
        calendar.mutate(target=_target_period(freq, calendar.year, calendar.month, ytd_month))
        .group_by("target").aggregate(n=ibis._.count())
        .filter(ibis._.n == needed).select(complete_period="target")
    )
    labelled = monthly.select(*keys, period=_target_period(freq, _year(monthly), _month(monthly), ytd_month),
                              value="value").mutate(freq=ibis.literal(freq))
    return labelled, complete


def _coded(monthly: ir.Table, freq: str, keys: list[str], ytd_month: int | None) -> tuple[ir.Table, ir.Table]:
    """``label_monthly`` with integer period codes."""
    if freq == "YTD":
        monthly = monthly.filter(_month(monthly) <= ytd_month)
    needed = ytd_month if freq == "YTD" else MONTHS_IN[freq]
    calendar = monthly.select(year=_year(monthly).cast("int32"), month=_month(monthly)).distinct()
    complete = (
        calendar.mutate(target=calendar.year * 100 + _sub_period(freq, calendar.month, ytd_month))
        .group_by("target").aggregate(n=ibis._.count())
        .filter(ibis._.n == needed).select(complete_period="target")
    )
    labelled = monthly.select(*keys, period=period_code(freq, monthly, ytd_month), value="value").mutate(
        freq=ibis.literal(freq))
    return labelled, complete


def aggregate_monthly(obs: ir.Table, freq: str, keys: list[str], ytd_month: int | None = None) -> ir.Table:
    """Sum monthly ``value`` over ``keys`` into ``freq`` periods that are complete in the data
    (see ``label_monthly``)."""
    if freq == "M":
        monthly = obs.filter(obs.freq == "M")
        return monthly.select(*keys, "period", value="value").mutate(freq=ibis.literal("M"))
    labelled, complete = label_monthly(obs, freq, keys, ytd_month)
    summed = labelled.group_by([*keys, "period"]).aggregate(value=ibis._.value.sum())
    return (summed.join(complete, summed.period == complete.complete_period)
            .select(*keys, "period", "value").mutate(freq=ibis.literal(freq)))
