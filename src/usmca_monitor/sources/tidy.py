"""A generic reader for tidy CSV files in the observation schema, which any source may accept.

``usmca import SOURCE FILE`` loads such a file when its header starts with the observation columns
``series,geo,partner,product,flow,measure,period,freq,value,unit`` (``status`` optional). Every
``series`` must be one the source declares; frequencies and periods are checked like stored ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.observation import FREQS, PERIOD_PATTERNS, STATUSES
from usmca_monitor.sources.base import csv_records
from usmca_monitor.sources.textio import first_line

TIDY_COLUMNS = ("series", "geo", "partner", "product", "flow", "measure", "period", "freq", "value", "unit")


def sniff_tidy_csv(path: Path) -> bool:
    """Whether ``path`` is a CSV whose header starts with the observation columns."""
    if path.suffix.lower() != ".csv":
        return False
    return first_line(path).strip().startswith(",".join(TIDY_COLUMNS))


def read_tidy_csv(path: Path, codelists: Codelists,
                  series: frozenset[str] | None = None) -> Iterator[dict[str, object]]:
    """Observation rows from a tidy CSV, one at a time; ``series``: the ids allowed (None: any). The rows
    then go through the same door as every reader's (``sources/validate.py``: codes, signs, ranges, keys)."""
    where = str(path)
    for lineno, item in csv_records(path, TIDY_COLUMNS, encoding="utf-8-sig",
                                    fix=f"a tidy CSV has the columns {', '.join(TIDY_COLUMNS)} (status optional)"):
        yield _row(item, f"{where}, line {lineno}", series)


def _row(item: dict[str, str], line: str, series: frozenset[str] | None) -> dict[str, object]:
    if series is not None and item["series"] not in series:
        raise DataError(f"series {item['series']!r} is not one this source declares", line,
                        f"use one of: {', '.join(sorted(series))}")
    freq, period = item["freq"].strip(), item["period"].strip()
    if freq not in FREQS:
        raise DataError(f"freq {freq!r} is unknown", line, f"use one of {', '.join(FREQS)}")
    if not PERIOD_PATTERNS[freq].match(period):
        raise DataError(f"period {period!r} does not match freq {freq}", line, "use 2024, 2024-Q2, 2024-06 …")
    status = (item.get("status") or "").strip() or None
    if status is not None and status not in STATUSES:
        raise DataError(f"status {status!r} is unknown", line, f"use one of {', '.join(STATUSES)}")
    text = item["value"].strip()
    try:
        value = float(text) if text else None
    except ValueError:
        raise DataError(f"value {text!r} is not a number", line, "write values with a dot for decimals") from None
    if value is not None and not math.isfinite(value):
        raise DataError(f"value {text!r} is not a finite number", line,
                        "leave a missing value empty; nan and infinity are not data")
    for column in ("series", "geo", "measure", "unit"):
        if not item[column].strip():
            raise DataError(f"column {column} is empty", line, f"every row needs a {column}")
    return {"series": item["series"].strip(), "geo": item["geo"].strip(),
            "partner": item["partner"].strip() or None, "product": item["product"].strip() or None,
            "flow": item["flow"].strip() or None, "measure": item["measure"].strip(), "period": period,
            "freq": freq, "value": value, "unit": item["unit"].strip(), "status": status}
