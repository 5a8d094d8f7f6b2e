"""OICA motor vehicle production by country: OICA's yearly workbooks and the shipped transcription.

OICA (https://www.oica.net/production-statistics/) publishes no API: one workbook per year, "by
country/region and type", whose table has the headings ``Country/Region | Cars | Commercial vehicles
| Total | % change`` under a title naming the year ("2024 PRODUCTION STATISTICS"). The workbook could
not be opened while this adapter was written (offline), so ``read_production_xlsx`` is built from
those published headings: it finds the heading row by its names, the year in the title rows (or the
file name), and maps country names to ISO 3166-1 alpha-3; region subtotals are skipped, and "All
countries"/"Total" is the world (``WLD``).

The shipped file (``oica/oica_motor_vehicle_production_transcribed.csv``: ``country, iso3, year,
series, units, precision, source_page, note``) holds figures transcribed from public pages quoting
OICA; its provenance is kept in the origin.

Observations: series ``oica.production``, geo = producing country (or ``WLD``), product
``OICA:TOTAL`` / ``OICA:PC`` (passenger cars) / ``OICA:CV`` (commercial vehicles), measure
``production``, freq ``A``, unit ``units``.
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

SERIES = "oica.production"
PRODUCTS = {"total": "OICA:TOTAL", "passenger_cars": "OICA:PC", "commercial_vehicles": "OICA:CV"}
CSV_COLUMNS = ("country", "iso3", "year", "series", "units", "precision", "source_page")
WORLD_CODES = {"OWID_WRL": "WLD", "WLD": "WLD"}
# Workbook rows that are regional subtotals, not countries (OICA's own region names).
REGIONS = {
    "europe", "eu 27 countries + efta + uk", "eu 27 countries", "europe new members", "europe old members",
    "other europe", "russia, turkey & other europe", "america", "nafta", "usmca", "central & south america",
    "south america", "north america", "asia-oceania", "asia", "oceania", "africa", "others", "other countries",
    "middle east", "cis", "eu", "efta",
}
WORLD_NAMES = {"all countries", "total", "world", "grand total"}
ALIASES = {
    "usa": "USA", "united states": "USA", "south korea": "KOR", "korea": "KOR", "czech republic": "CZE",
    "russia": "RUS", "turkey": "TUR", "taiwan": "TWN", "iran": "IRN", "slovakia": "SVK", "vietnam": "VNM",
    "uk": "GBR", "united kingdom": "GBR",
}
HEADINGS = {"country": re.compile(r"^country"), "cars": re.compile(r"^(passenger )?cars$"),
            "cv": re.compile(r"^commercial vehicles$"), "total": re.compile(r"^total$")}


def _row(geo: str, product: str, year: int, value: float) -> dict[str, object]:
    return {"series": SERIES, "geo": geo, "partner": None, "product": product, "flow": None,
            "measure": "production", "period": f"{year:04d}", "freq": "A", "value": value, "unit": "units"}


def _count(text: object, where: str, field: str) -> float | None:
    """A number of vehicles from a cell (``4,202,642``, ``4 202 642`` or a number); None when blank."""
    if text is None or (isinstance(text, str) and text.strip() in {"", "-", "—"}):
        return None
    if isinstance(text, int | float):
        return float(text)
    cleaned = re.sub(r"[\s,\u00a0\u202f]", "", str(text))
    try:
        return float(cleaned)
    except ValueError:
        raise DataError(f"{field} is {text!r}, not a number of vehicles", where,
                        "production columns hold whole numbers of vehicles") from None


def read_transcribed_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """The shipped transcription: one row per country, year and series (total, cars, commercial)."""
    where = str(path)
    rows: list[dict[str, object]] = []
    for lineno, item in csv_records(path, CSV_COLUMNS):
        line = f"{where}, line {lineno}"
        code = item["iso3"].strip()
        geo = WORLD_CODES.get(code, code)
        if geo not in codelists.areas:
            raise DataError(f"iso3 {code!r} is not a known country code", line,
                            "use ISO 3166-1 alpha-3 (or OWID_WRL for the world)")
        product = PRODUCTS.get(item["series"].strip())
        if product is None:
            raise DataError(f"series {item['series']!r} is not one of {', '.join(PRODUCTS)}", line,
                            "use total, passenger_cars or commercial_vehicles")
        if not re.fullmatch(r"\d{4}", item["year"].strip()):
            raise DataError(f"year {item['year']!r} is not YYYY", line, "write the year as four digits")
        value = _count(item["units"], line, "units")
        if value is not None:
            rows.append(_row(geo, product, int(item["year"]), value))
    return rows


def _names(codelists: Codelists) -> dict[str, str]:
    names = {area.name("en").lower(): code for code, area in codelists.areas.items() if area.is_country}
    names.update(ALIASES)
    return names


def _find_heading(rows: list[tuple[object, ...]], where: str) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows):
        cells = [str(c).strip().lower() if c is not None else "" for c in row]
        found = {key: col for key, pattern in HEADINGS.items() for col, cell in enumerate(cells) if pattern.match(cell)}
        if {"country", "total"} <= set(found):
            return index, found
    raise DataError("no heading row 'Country/Region | Cars | Commercial vehicles | Total' found", where,
                    "give OICA's production workbook by country (oica.net/production-statistics)")


def _year(rows: list[tuple[object, ...]], path: Path) -> int:
    for row in rows:
        for cell in row:
            match = re.search(r"\b((?:19|20)\d{2})\b", str(cell or ""))
            if match and "production" in str(cell).lower():
                return int(match.group(1))
    match = re.search(r"((?:19|20)\d{2})", path.stem)
    if match:
        return int(match.group(1))
    raise DataError("the workbook names no year (title or file name)", str(path),
                    "keep OICA's title row ('2024 PRODUCTION STATISTICS') or name the file By-country-2024.xlsx")


def read_production_xlsx(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """OICA's workbook "production by country/region and type" (first sheet)."""
    import openpyxl

    where = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise DataError(f"not a readable .xlsx workbook ({exc.__class__.__name__})", where,
                        "download the production workbook again from oica.net") from exc
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    start, cols = _find_heading(rows, where)
    year = _year(rows[:start + 1], path)
    names = _names(codelists)
    out: list[dict[str, object]] = []
    for offset, row in enumerate(rows[start + 1:], start=start + 2):
        raw = row[cols["country"]] if cols["country"] < len(row) else None
        name = re.sub(r"\s+", " ", str(raw or "")).strip()
        key = name.lower().rstrip("*").strip()
        if not key or key in REGIONS:
            continue
        geo = "WLD" if key in WORLD_NAMES else names.get(key)
        if geo is None:
            raise UnknownCodeError(f"country {name!r} is not in the codelist", f"{where}, row {offset}",
                                   "add the name to ALIASES in sources/oica.py or to REGIONS if it is a subtotal")
        for key_col, product in (("total", "OICA:TOTAL"), ("cars", "OICA:PC"), ("cv", "OICA:CV")):
            if key_col in cols and cols[key_col] < len(row):
                value = _count(row[cols[key_col]], f"{where}, row {offset}", key_col)
                if value is not None:
                    out.append(_row(geo, product, year, value))
    if not out:
        raise DataError("the workbook has no country rows under its heading", where,
                        "give OICA's production workbook by country")
    return out


def _sniff_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv" and first_line(path).strip().startswith("country,iso3,year,series")


def _sniff_xlsx(path: Path) -> bool:
    return path.suffix.lower() in {".xlsx", ".xlsm"}


class OicaAdapter(Adapter):
    """OICA production statistics: files only (OICA has no API)."""

    readers: ClassVar[dict[str, Reader]] = {"transcribed_csv": read_transcribed_csv,
                                            "production_xlsx": read_production_xlsx}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"transcribed_csv": _sniff_csv, "production_xlsx": _sniff_xlsx}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        raise UnknownCodeError("OICA has no live API", "oica",
                               "download the workbook from oica.net/production-statistics and run "
                               "`usmca import oica FILE.xlsx`")

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        return [row for p in payloads for row in read_production_xlsx(Path(p.name), codelists)]


ADAPTER = OicaAdapter
