"""Figures stated in the report, as observations with status ``report``.

The shipped file (``report_stated/north_american_project_2025_stated_figures.csv``: ``id, section,
indicator, geography, period, value, unit, source_cited_in_report, note``) is a hand transcription of
the report's text. Each row becomes one observation of series ``report.stated``: ``measure`` is the
figure's name as a slug, the geography ``MEX<-USA`` (imports of MEX from USA), ``MEX->USA``
(exports), ``MEX<->CAN`` (total trade) or an area; units are normalised (``USD billion`` → USD,
``million jobs`` → jobs). A note listing country shares (``US 58.8%, MEX 37.2%, CAN 4.0%``) adds one
``<measure>_share`` observation per country. Rows whose period is a span (``2023-2024``, ``2020-``)
are skipped with a log line.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.sources.base import Adapter, Payload, Reader
from usmca_monitor.sources.http import HttpClient

log = logging.getLogger(__name__)

SERIES = "report.stated"
COLUMNS = ("id", "indicator", "geography", "period", "value", "unit", "source_cited_in_report")
AREAS = {"World": "WLD", "North America": "USMCA", "Asia-Oceania": "ASIA_OCEANIA", "US": "USA"}
ARROWS = (("<->", "total"), ("<-", "import"), ("->", "export"))
# unit as written (prefix) → (scale, unit)
UNITS = (("USD billion", 1e9, "USD"), ("USD", 1.0, "USD"), ("million jobs", 1e6, "jobs"), ("jobs", 1.0, "jobs"),
         ("million units", 1e6, "units"), ("units", 1.0, "units"), ("percent", 1.0, "percent"),
         ("rank", 1.0, "rank"))
SHARES = re.compile(r"\b(US|USA|MEX|CAN) (\d+(?:\.\d+)?)%")


def slug(text: str) -> str:
    """A measure name from a figure's name: ``US medium & heavy-duty truck imports`` →
    ``us_medium_heavy_duty_truck_imports``."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _period(text: str) -> tuple[str, str] | None:
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return text, "A"
    half = re.fullmatch(r"(\d{4}) ?H([12])", text)
    if half:
        return f"{half.group(1)}-H{half.group(2)}", "H"
    quarter = re.fullmatch(r"(\d{4}) \(Q([1-4])\)", text)
    if quarter:
        return f"{quarter.group(1)}-Q{quarter.group(2)}", "Q"
    return None


def _area(code: str, line: str) -> str:
    code = code.strip()
    found = AREAS.get(code, code)
    if not re.fullmatch(r"[A-Z_]{3,}", found):
        raise UnknownCodeError(f"geography {code!r} is not an area code", line,
                               "use ISO3, a group (USMCA, WLD) or add the name to AREAS in sources/report_stated.py")
    return found


def _geography(text: str, line: str) -> tuple[str, str | None, str | None]:
    for arrow, flow in ARROWS:
        if arrow in text:
            geo, partner = text.split(arrow, 1)
            return _area(geo, line), _area(partner, line), flow
    return _area(text, line), None, None


def _unit(text: str, line: str) -> tuple[float, str]:
    for prefix, scale, unit in UNITS:
        if text.strip().startswith(prefix):
            return scale, unit
    raise DataError(f"unit {text!r} is not understood", line,
                    f"use one of: {', '.join(u[0] for u in UNITS)} (optionally followed by a remark)")


def read_stated_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """The report's stated figures (one observation per row with a single period)."""
    where = str(path)
    rows: list[dict[str, object]] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"missing column(s) {', '.join(missing)}", where,
                            f"the file needs the columns {', '.join(COLUMNS)}")
        for lineno, item in enumerate(reader, start=2):
            line = f"{where}, line {lineno}"
            period = _period(item["period"])
            if period is None:
                log.info("%s: period %r is a span; figure %s skipped", line, item["period"], item["id"])
                continue
            geo, partner, flow = _geography(item["geography"], line)
            scale, unit = _unit(item["unit"], line)
            try:
                value = float(item["value"]) * scale
            except ValueError:
                raise DataError(f"value {item['value']!r} is not a number", line,
                                "write the figure as a number") from None
            measure = slug(item["indicator"])
            base = {"series": SERIES, "partner": partner, "product": None, "flow": flow, "period": period[0],
                    "freq": period[1], "status": "report"}
            rows.append({**base, "geo": geo, "measure": measure, "value": value, "unit": unit})
            for code, share in SHARES.findall(item.get("note") or ""):
                rows.append({**base, "geo": AREAS.get(code, code), "partner": geo, "measure": f"{measure}_share",
                             "value": float(share), "unit": "percent"})
    return rows


def _sniff(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8", errors="replace") as fh:
        return fh.readline().strip().startswith("id,section,indicator,geography")


class ReportStatedAdapter(Adapter):
    """The report's own figures: a file only (there is nothing live to fetch)."""

    readers: ClassVar[dict[str, Reader]] = {"stated_csv": read_stated_csv}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"stated_csv": _sniff}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        raise UnknownCodeError("the report's figures have no live source", "report_stated",
                               "edit the transcription and run `usmca import report_stated FILE.csv`")

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        raise UnknownCodeError("the report's figures have no live source", "report_stated",
                               "use `usmca import report_stated FILE.csv`")


ADAPTER = ReportStatedAdapter
