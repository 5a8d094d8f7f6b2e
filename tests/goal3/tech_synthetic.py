"""SYNTHETIC TEST VALUES for the technology chapter — not statistics. Every number below is made up so
that the expected results can be computed by hand; none is a Census figure. They are written as a
tidy CSV in the observation schema and loaded with ``api.import_file("census_trade", ...)`` into a
temporary USMCA_HOME, in the shapes the live ``census_trade`` adapter produces (series
``census.trade.hitech`` / ``census.trade.naics`` / ``census.trade.hs6``; geo USA, measure value, freq M,
unit USD, partner ISO3 or WLD for all countries)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from usmca_monitor.sources.tidy import TIDY_COLUMNS

MONTHS_2024 = [f"2024-{m:02d}" for m in range(1, 13)]
MONTHS_2025_H1 = [f"2025-{m:02d}" for m in range(1, 7)]
BN = 1e9


def _row(series: str, partner: str, product: str, flow: str, period: str, value: float) -> dict[str, object]:
    return {"series": series, "geo": "USA", "partner": partner, "product": product, "flow": flow,
            "measure": "value", "period": period, "freq": "M", "value": repr(value), "unit": "USD"}


def hitech_monthly(partner: str, category: int, flow: str, year: int) -> float:
    """SYNTHETIC monthly value of one ATP category (USD). WLD: exports 2·c bn, imports 10 bn (2024) and
    20 bn (2025); TWN: exports 0.8 bn, imports 4.5 bn then 9.05 bn; MEX: exports 3 bn, imports 4 bn then
    5 bn (each category alike)."""
    if partner == "WLD":
        return 2 * category * BN if flow == "export" else (10 if year == 2024 else 20) * BN
    if partner == "TWN":
        return 0.8 * BN if flow == "export" else (4.5 if year == 2024 else 9.05) * BN
    return 3 * BN if flow == "export" else (4 if year == 2024 else 5) * BN


def hitech_rows() -> Iterator[dict[str, object]]:
    """SYNTHETIC ``census.trade.hitech`` rows, January 2024 – June 2025."""
    for period in MONTHS_2024 + MONTHS_2025_H1:
        year = int(period[:4])
        for partner in ("WLD", "TWN", "MEX"):
            for category in range(1, 11):
                for flow in ("export", "import"):
                    yield _row("census.trade.hitech", partner, f"ATP:{category:02d}", flow, period,
                               hitech_monthly(partner, category, flow, year))


# SYNTHETIC monthly imports (USD bn) by NAICS subsector, 2024; one export row that must be ignored.
NAICS_MONTHLY = {("WLD", "NAICS:334"): 10.0, ("MEX", "NAICS:334"): 2.0, ("CHN", "NAICS:334"): 3.0,
                 ("WLD", "NAICS:335"): 4.0, ("MEX", "NAICS:335"): 1.0, ("CHN", "NAICS:335"): 2.0,
                 ("WLD", "NAICS:3361"): 7.0}


def naics_rows() -> Iterator[dict[str, object]]:
    """SYNTHETIC ``census.trade.naics`` rows for 2024."""
    for period in MONTHS_2024:
        for (partner, product), value in NAICS_MONTHLY.items():
            yield _row("census.trade.naics", partner, product, "import", period, value * BN)
        yield _row("census.trade.naics", "WLD", "NAICS:334", "export", period, 99 * BN)


# SYNTHETIC monthly imports (USD bn) by HS6, 2024. 847130 maps only to NAICS 334111, 850110 only to
# 335312, 844339 to 333xxx and 334118 (partly 334: left out), 854140 (HS 2017) is not in the HS 2022 concordance.
HS6_MONTHLY = {("WLD", "HS:847130"): 5.0, ("MEX", "HS:847130"): 1.0, ("CHN", "HS:847130"): 2.0,
               ("WLD", "HS:850110"): 2.0, ("MEX", "HS:850110"): 1.0, ("CHN", "HS:850110"): 0.5,
               ("WLD", "HS:844339"): 1.0, ("MEX", "HS:844339"): 0.2, ("WLD", "HS:854140"): 0.5}


def hs6_rows() -> Iterator[dict[str, object]]:
    """SYNTHETIC ``census.trade.hs6`` rows for 2024."""
    for period in MONTHS_2024:
        for (partner, product), value in HS6_MONTHLY.items():
            yield _row("census.trade.hs6", partner, product, "import", period, value * BN)


def write_tidy(path: Path, *parts: Iterator[dict[str, object]]) -> Path:
    """Write the rows of ``parts`` as one tidy CSV (observation schema) at ``path``."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(TIDY_COLUMNS))
        writer.writeheader()
        for rows in parts:
            writer.writerows(rows)
    return path
