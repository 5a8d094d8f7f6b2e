"""The deflator of the constant-dollar agri-food series: the U.S. CPI-U (BLS series CUUR0000SA0).

The shipped file (``Date, Index, Inflation``; monthly, 1982-84 = 100, not seasonally adjusted) gives
series ``bls.cpi_u``: measure ``index`` per month, and measure ``annual_average`` per complete year
(the mean of its twelve monthly indexes, as BLS computes its annual average). Years with fewer than
twelve months have no annual average.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.sources.base import Adapter, Payload, Reader, csv_records
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import first_line

SERIES = "bls.cpi_u"
UNIT = "index 1982-84=100"


def read_cpi_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Monthly CPI-U and its annual averages (complete years only)."""
    where = str(path)
    rows: list[dict[str, object]] = []
    months: dict[str, list[float]] = {}
    for lineno, item in csv_records(path, ("Date", "Index"), encoding="utf-8-sig",
                                    fix="give the CPI-U file with columns Date, Index"):
        found = re.fullmatch(r"(\d{4})-(\d{2})-\d{2}", item["Date"].strip())
        try:
            if found is None:
                raise ValueError(item["Date"])
            value = float(item["Index"])
        except ValueError:
            raise DataError(f"Date {item['Date']!r} and Index {item['Index']!r} are not a date and an index",
                            f"{where}, line {lineno}", "write Date as YYYY-MM-01 and Index as a number") from None
        year, month = found.groups()
        months.setdefault(year, []).append(value)
        rows.append({"series": SERIES, "geo": "USA", "partner": None, "product": None, "flow": None,
                     "measure": "index", "period": f"{year}-{month}", "freq": "M", "value": value, "unit": UNIT})
    for year, values in sorted(months.items()):
        if len(values) == 12:
            rows.append({"series": SERIES, "geo": "USA", "partner": None, "product": None, "flow": None,
                         "measure": "annual_average", "period": year, "freq": "A", "value": sum(values) / 12,
                         "unit": UNIT})
    return rows


class CpiAdapter(Adapter):
    """The CPI-U file (no live call yet: BLS's API needs a key for long spans)."""

    readers: ClassVar[dict[str, Reader]] = {"cpi_csv": read_cpi_csv}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        def sniff(path: Path) -> bool:
            return first_line(path).strip().startswith("Date,Index")
        return {"cpi_csv": sniff}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        raise UnknownCodeError("the CPI-U is not fetched live", "usda_ers_cpi",
                               "download cpiai.csv (datahub.io cpi-us) and run `usmca import usda_ers_cpi FILE`")

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        raise UnknownCodeError("the CPI-U is not fetched live", "usda_ers_cpi", "use `usmca import usda_ers_cpi FILE`")


ADAPTER = CpiAdapter
