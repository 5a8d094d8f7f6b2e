"""Figures stated in the report, as observations with status ``report``.

The shipped file (``report_stated/north_american_project_2025_stated_figures.csv``: ``id, section,
indicator, geography, period, value, unit, source_cited_in_report, note``) is a hand transcription of
the report's text. Each row becomes one observation of series ``report.stated``: ``measure`` is the
figure's name as a slug, the geography ``MEX<-USA`` (imports of MEX from USA), ``MEX->USA``
(exports), ``MEX<->CAN`` (total trade) or an area; units are normalised (``USD billion`` → USD,
``million jobs`` → jobs). A note listing country shares (``US 58.8%, MEX 37.2%, CAN 4.0%``) adds one
``<measure>_share`` observation per country. Rows whose period is a span (``2023-2024``, ``2020-``)
are skipped with a log line. A note ``YoY +107%; balance -49.1 bn`` adds ``<measure>_yoy`` and
``<measure>_balance``. The agri-food figures (``usda/usda_report_stated_figures.csv``) are read by
``read_usda_stated_csv`` into the same series.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.sources.base import Adapter, Payload, Reader, csv_records
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import first_line

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
    for lineno, item in csv_records(path, COLUMNS):
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
        rows.extend(_note_figures(item.get("note") or "", {**base, "geo": geo}, measure))
    return rows


def _note_figures(note: str, base: dict[str, object], measure: str) -> list[dict[str, object]]:
    """``YoY +107%; balance -49.1 bn`` in a note → ``<measure>_yoy`` (percent) and ``<measure>_balance`` (USD)."""
    rows: list[dict[str, object]] = []
    yoy = re.search(r"\bYoY ([+-]?\d+(?:\.\d+)?)%", note)
    if yoy:
        rows.append({**base, "measure": f"{measure}_yoy", "value": float(yoy.group(1)), "unit": "percent"})
    balance = re.search(r"\bbalance ([+-]?\d+(?:\.\d+)?) bn\b", note)
    if balance:
        rows.append({**base, "measure": f"{measure}_balance", "value": float(balance.group(1)) * 1e9, "unit": "USD"})
    return rows


# The USDA figures file (one row per number the report states in its agri-food chapter).
USDA_COLUMNS = ("indicator", "reporter", "partner", "commodity", "year", "value", "unit", "source_cited_in_report")
USDA_UNITS = {"percent": (1.0, "percent"), "percentage points": (1.0, "percentage points"),
              "billion USD": (1e9, "USD"), "jobs per billion USD": (1.0, "jobs per USD billion"),
              "USD output per USD exported": (1.0, "USD per USD")}
USDA_AREAS = {"WORLD": "WLD", "MEX+CAN": "USMCA", "USMCA": "USMCA", "TOP5": "TOP_FIVE"}


def read_usda_stated_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """The report's agri-food figures (``usda_report_stated_figures.csv``): measure = the indicator,
    product ``REPORT:<commodity slug>``; rows without a single year (spans, undated) are skipped."""
    where = str(path)
    rows: list[dict[str, object]] = []
    for lineno, item in csv_records(path, USDA_COLUMNS):
        line = f"{where}, line {lineno}"
        if not re.fullmatch(r"\d{4}", item["year"].strip()):
            log.info("%s: year %r is not one year; figure %s skipped", line, item["year"], item["indicator"])
            continue
        if item["unit"] not in USDA_UNITS:
            raise DataError(f"unit {item['unit']!r} is not understood", line,
                            f"use one of: {', '.join(USDA_UNITS)}")
        scale, unit = USDA_UNITS[item["unit"]]
        try:
            value = float(item["value"]) * scale
        except ValueError:
            raise DataError(f"value {item['value']!r} is not a number", line,
                            "write the figure as a number") from None
        geo = _area(USDA_AREAS.get(item["reporter"], item["reporter"]), line)
        partner = _area(USDA_AREAS.get(item["partner"], item["partner"]), line)
        rows.append({"series": SERIES, "geo": geo, "partner": partner,
                     "product": f"REPORT:{slug(item['commodity'])}", "flow": None,
                     "measure": slug(item["indicator"]), "period": item["year"].strip(), "freq": "A",
                     "value": value, "unit": unit, "status": "report"})
    return rows


def _sniff(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    return first_line(path).strip().startswith("id,section,indicator,geography")


def _sniff_usda(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    return first_line(path).strip().startswith("indicator,reporter,partner,commodity")


class ReportStatedAdapter(Adapter):
    """The report's own figures: a file only (there is nothing live to fetch)."""

    readers: ClassVar[dict[str, Reader]] = {"stated_csv": read_stated_csv, "usda_stated_csv": read_usda_stated_csv}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"stated_csv": _sniff, "usda_stated_csv": _sniff_usda}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        raise UnknownCodeError("the report's figures have no live source", "report_stated",
                               "edit the transcription and run `usmca import report_stated FILE.csv`")

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        raise UnknownCodeError("the report's figures have no live source", "report_stated",
                               "use `usmca import report_stated FILE.csv`")


ADAPTER = ReportStatedAdapter
