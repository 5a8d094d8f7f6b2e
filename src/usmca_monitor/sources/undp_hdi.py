"""UNDP Human Development Report Office: the Human Development Index by country, one vintage per
edition of the Human Development Report.

Readers:

* ``hdr_time_series`` — the HDR composite indices time series (``iso3, country, hdicode, region,
  hdi_rank_YYYY, hdi_1990 … hdi_YYYY, le_…``): the ``hdi_YYYY`` columns of countries (aggregates
  such as ``ZZA.VHHD`` are skipped).
* ``hdr_ranked`` — a ranked extract (``iso3, country, hdicode, hdi_rank_YYYY, hdi_YYYY, hdi_YYYY``).

HDI runs from 0 to 1; ranks are computed from the values (ties share the best rank), and the tests
check them against the published ranks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.base import Reader
from usmca_monitor.sources.spi_layouts import FileOnlyAdapter, read_header, read_table

SERIES = "undp.hdi"
HDI_COLUMN = re.compile(r"^hdi_(\d{4})$")


def _value(text: object, where: str, line: int, column: str) -> float | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        value = float(str(text))
    except ValueError:
        raise DataError(f"line {line}, column {column}: {text!r} is not a number", where, "HDI is a number") from None
    if not 0 <= value <= 1:
        raise DataError(f"line {line}, column {column}: HDI {value} is outside 0–1", where, "HDI runs from 0 to 1")
    return value


def read_hdi(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """HDI values by country and year from any HDR file with ``iso3`` and ``hdi_YYYY`` columns."""
    where = str(path)
    header, rows = read_table(path)
    years = {column: m.group(1) for column in header if (m := HDI_COLUMN.match(column))}
    if "iso3" not in header or not years:
        raise DataError("missing columns iso3 or hdi_YYYY", where, "give an HDR composite indices file")
    out = []
    for line, row in rows:
        code = str(row["iso3"] or "").strip()
        if code not in codelists.areas or not codelists.areas[code].is_country:
            continue  # HDR regional and development-group aggregates
        for column, period in years.items():
            value = _value(row[column], where, line, column)
            if value is not None:
                out.append({"series": SERIES, "geo": code, "partner": None, "product": None, "flow": None,
                            "measure": "hdi", "period": period, "freq": "A", "value": value, "unit": "index_0_1"})
    return out


class UndpHdiAdapter(FileOnlyAdapter):
    """HDR composite-index files."""

    readers: ClassVar[dict[str, Reader]] = {"hdr_time_series": read_hdi, "hdr_ranked": read_hdi}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"hdr_time_series": lambda p: "iso3" in read_header(p)}


ADAPTER = UndpHdiAdapter
