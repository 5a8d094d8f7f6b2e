"""USDA ERS, Foreign Agricultural Trade of the United States (FATUS): U.S. agricultural exports and
imports by country, calendar years, in dollars (series ``usda.ers.fatus``), read from ERS's all-data CSV.

BUILT FROM THE PUBLISHER'S DOCUMENTATION AND PUBLIC CLIENT CODE, NOT A RECORDED DOWNLOAD: no FATUS file
could be downloaded offline. The columns are those ERS's "U.S. Agricultural Trade Data Update" all-data
CSV has according to public client code (``Source_table, US_Trade, Value_type, Commodity, Country,
Time_period, Year, Units, Value, Update_version, Notes, Data_source``). Kept are the rows that hold the
agricultural total by country for a whole calendar year: ``US_Trade`` Exports/Imports, ``Value_type``
"Customs value", ``Time_period`` starting with "Calendar year", a ``Country`` and a ``Commodity`` that is
the agricultural total (``AG_TOTALS``). Which ERS table carries those rows (the Data Update file's own
tables are summaries; the FATUS calendar-year all-data CSV, assumed here to share its columns, carries
the top export destinations and import sources) could not be confirmed offline: the source's quirks say
so and the URL can be changed (see ``usda_ers.py``).

Country names map to ISO3 through the codelists (as ``usda_ers.country_code`` does; ERS spellings in
``NAMES``); "World" is ``WLD``, the European Union ``EU``; residual lines (``SKIPPED``) are dropped; any
other unknown name is an UnknownCodeError naming the file, the line and the fix.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.base import area_by_name, complete_text, csv_records
from usmca_monitor.sources.textio import first_line

log = logging.getLogger(__name__)

SERIES = "usda.ers.fatus"
PRODUCT = "ERS:agricultural_total"
COLUMNS = ("US_Trade", "Value_type", "Commodity", "Country", "Time_period", "Year", "Units", "Value")
FIX = f"give ERS's FATUS all-data CSV (columns {', '.join(COLUMNS)})"
FLOWS = {"exports": "export", "imports": "import"}
# Commodity labels of the agricultural total (lower case), as ERS's tables word it.
AG_TOTALS = frozenset({"agricultural total", "total agricultural", "total agricultural products",
                       "agricultural products", "total agricultural trade", "total"})
# ERS country spellings that are not the codelists' English names (upper case).
NAMES = {"WORLD": "WLD", "WORLD TOTAL": "WLD", "TOTAL": "WLD", "EUROPEAN UNION": "EU", "EU-27": "EU",
         "EU27": "EU", "EUROPEAN UNION-27": "EU", "KOREA, SOUTH": "KOR", "SOUTH KOREA": "KOR",
         "CHINA (MAINLAND)": "CHN", "TURKEY": "TUR", "VIETNAM": "VNM", "TAIWAN": "TWN", "HONG KONG": "HKG",
         "UNITED KINGDOM": "GBR", "RUSSIA": "RUS"}
SKIPPED = frozenset({"REST OF WORLD", "ALL OTHER", "ALL OTHERS", "OTHER", "OTHERS", "OTHER COUNTRIES"})
# Units of a value row → dollars per unit.
SCALES = {"dollars": 1.0, "1,000 dollars": 1e3, "thousand dollars": 1e3, "million dollars": 1e6,
          "billion dollars": 1e9, "$1,000": 1e3, "million $": 1e6, "billion $": 1e9}


def partner_code(name: str, codelists: Codelists, where: str) -> str:
    """The ISO3 code (or WLD, EU) of a FATUS country name, or an UnknownCodeError."""
    return area_by_name(name, codelists, where, NAMES,
                        "add its ISO3 code to NAMES (or a residual line to SKIPPED) in sources/usda_fatus.py")


def read_fatus_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """U.S. agricultural exports and imports by country, calendar years (series ``usda.ers.fatus``)."""
    return _parse(csv_records(path, COLUMNS, encoding="utf-8-sig", fix=FIX), str(path), codelists)


def parse_fatus_text(text: str, where: str, codelists: Codelists) -> list[dict[str, object]]:
    """Rows of the FATUS all-data CSV ``text`` (``where`` names it in messages)."""
    complete_text(text, where)
    try:
        reader = csv.DictReader(io.StringIO(text))
        reader.fieldnames = [name.strip() for name in reader.fieldnames or []]
        missing = [c for c in COLUMNS if c not in reader.fieldnames]
        if missing:
            raise DataError(f"missing column(s) {', '.join(missing)}", where, FIX)
        return _parse(enumerate(reader, start=2), where, codelists)
    except csv.Error as exc:
        raise DataError(f"not a CSV file ({exc})", where, FIX) from None


def _parse(records: Iterable[tuple[int, dict[str, str]]], where: str, codelists: Codelists) -> list[dict[str, object]]:
    rows: dict[tuple[str, str, str], dict[str, object]] = {}
    lines: dict[tuple[str, str, str], int] = {}
    codes: dict[str, str] = {}
    for lineno, item in records:
        kept = _kept(item)
        if kept is None:
            continue
        flow, year = kept
        line = f"{where}, line {lineno}"
        name = item["Country"].strip()
        if name.upper() in SKIPPED:
            continue
        if name not in codes:
            codes[name] = partner_code(name, codelists, line)
        value = _dollars(item, line)
        key = (codes[name], flow, year)
        if key in rows and rows[key]["value"] != value:
            raise DataError(f"{name} {flow}s {year} are listed twice with different values (line {lines[key]} "
                            f"and line {lineno})", line, "keep one update version of the file (ERS's newest)")
        lines.setdefault(key, lineno)
        rows[key] = {"series": SERIES, "geo": "USA", "partner": key[0], "product": PRODUCT, "flow": flow,
                     "measure": "value", "period": year, "freq": "A", "value": value, "unit": "USD"}
    log.info("%s: %d agricultural-total calendar-year rows by country", where, len(rows))
    return list(rows.values())


def _kept(item: dict[str, str]) -> tuple[str, str] | None:
    """(flow, year) when the row is a calendar-year customs value of the agricultural total, else None."""
    flow = FLOWS.get((item.get("US_Trade") or "").strip().lower())
    if flow is None or (item.get("Value_type") or "").strip().lower() != "customs value":
        return None
    if not (item.get("Time_period") or "").strip().lower().startswith("calendar year"):
        return None
    if (item.get("Commodity") or "").strip().lower() not in AG_TOTALS or not (item.get("Country") or "").strip():
        return None
    year = (item.get("Year") or "").strip()[:4]
    return (flow, year) if re.fullmatch(r"\d{4}", year) else None


def _dollars(item: dict[str, str], line: str) -> float | None:
    unit = " ".join((item.get("Units") or "").split()).lower()
    if unit not in SCALES:
        raise DataError(f"unit {item.get('Units')!r} is not a dollar unit this reader knows", line,
                        f"add it to SCALES in sources/usda_fatus.py (known: {', '.join(SCALES)})")
    text = (item.get("Value") or "").replace(",", "").strip()
    if not text or text.upper() == "NA":
        return None
    try:
        return float(text) * SCALES[unit]
    except ValueError:
        raise DataError(f"Value {item.get('Value')!r} is not a number", line,
                        "the FATUS Value column holds numbers") from None


def sniff_fatus(path: Path) -> bool:
    """Whether ``path`` starts with the FATUS all-data header."""
    header = first_line(path)
    return "US_Trade" in header and "Value_type" in header
