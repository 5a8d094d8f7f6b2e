"""USDA Economic Research Service (ERS): the "U.S. Food Imports" summary file, shipped, plus the live
fruit and vegetable yearbook CSVs (supply and utilization) for the import share of availability.

The food imports file (``Commodity, Country, UOM, Category, SubCategory, RowNumber, YearNum,
FoodValue``) is Windows-1252 text. Rows whose ``YearNum`` is ``means``/``means10years`` (multi-year
growth rates) are dropped, as are unit values (``Dollars per mt``…) and percentages. Only each
commodity's top suppliers are listed one by one: ``WORLD`` is the total (partner ``WLD``), ``REST OF
WORLD`` the residual (not kept: it is no country), ``WORLD (Quantity)`` the world volume. Values in
``Million $`` become USD (measure ``value``), volumes in ``1,000 mt`` tonnes (measure ``volume_t``),
``1,000 litpf`` litres (``volume_l``). The product is ``ERS:<commodity slug>`` with the category,
e.g. ``ERS:fruits/fresh_or_chilled_fruit``.

The Vegetables and Pulses Yearbook machine-readable CSV is read by ``read_yearbook_csv``, built from
ERS's documentation (its Item labels could not be confirmed offline; the reader names what it misses).
Any file in the observation schema loads as a tidy CSV (``sources/tidy.py``).
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

SERIES = "usda.ers.food_imports"
YEARBOOK_SERIES = "usda.ers.supply"
COLUMNS = ("Commodity", "Country", "UOM", "Category", "YearNum", "FoodValue")
# UOM → (measure, scale, unit); other UOMs (unit values, percentages) are not observations of a flow.
UNITS = {"Million $": ("value", 1e6, "USD"), "1,000 mt": ("volume_t", 1e3, "t"),
         "1,000 litpf": ("volume_l", 1e3, "l"), "1,000": ("volume_head", 1e3, "head")}
# ERS country names that differ from the ISO short names (upper case), and the totals.
NAMES = {"WORLD": "WLD", "WORLD (QUANTITY)": "WLD", "COTE D’IVOIRE": "CIV", "GERMANY, FED. REPUBLIC": "DEU",
         "REPUBLIC OF SOUTH AFRICA": "ZAF", "SOUTH KOREA": "KOR", "TAIWAN": "TWN", "TURKEY": "TUR",
         "VIETNAM": "VNM", "BOLIVIA": "BOL", "RUSSIA": "RUS", "IRAN": "IRN", "VENEZUELA": "VEN"}
SKIPPED_PARTNERS = {"REST OF WORLD"}
YEARBOOK_COLUMNS = ("Table", "Year", "Commodity", "Item", "Unit", "PublishValue")
POUND_KG = 0.45359237


def slug(text: str) -> str:
    """``Fresh or chilled fruit`` → ``fresh_or_chilled_fruit``."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def product_code(category: str, commodity: str) -> str:
    """The product code of an ERS commodity within its category."""
    return f"ERS:{slug(category)}/{slug(commodity)}"


def country_code(name: str, codelists: Codelists, where: str) -> str:
    """The ISO3 (or WLD) code of an ERS country name, or an UnknownCodeError."""
    upper = name.strip().upper()
    if upper in NAMES:
        return NAMES[upper]
    for area in codelists.areas.values():
        if area.is_country and upper in {area.name("en").upper(), area.code}:
            return area.code
    raise UnknownCodeError(f"country {name!r} is not known", where,
                           "add its ISO3 code to NAMES in sources/usda_ers.py")


def read_food_imports_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """U.S. food imports by commodity and source country, annual (series ``usda.ers.food_imports``)."""
    where = str(path)
    rows: list[dict[str, object]] = []
    skipped = 0
    with path.open(newline="", encoding="cp1252") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"missing column(s) {', '.join(missing)}", where,
                            f"give ERS's U.S. Food Imports CSV (columns {', '.join(COLUMNS)})")
        codes: dict[str, str] = {}
        seen: dict[tuple[str, str, str, str], float | None] = {}
        for lineno, item in enumerate(reader, start=2):
            year = item["YearNum"].strip()
            unit = UNITS.get(item["UOM"].strip())
            if not re.fullmatch(r"\d{4}", year) or unit is None or item["Country"] in SKIPPED_PARTNERS:
                skipped += 1  # means/means10years rows, unit values, percentages, the residual
                continue
            line = f"{where}, line {lineno}"
            name = item["Country"]
            if name not in codes:
                codes[name] = country_code(name, codelists, line)
            try:
                value = float(item["FoodValue"].replace(",", "")) * unit[1] if item["FoodValue"].strip() else None
            except ValueError:
                raise DataError(f"FoodValue {item['FoodValue']!r} is not a number", line,
                                "the file must hold numbers in FoodValue") from None
            key = (codes[name], product_code(item["Category"], item["Commodity"]), unit[0], year)
            if key in seen:  # ERS repeats a few summary lines (e.g. Beverages as food and as subtotal)
                if seen[key] != value:
                    raise DataError(f"{key} is listed twice with different values", line,
                                    "check the file: a commodity, country and year appear once per unit")
                skipped += 1
                continue
            seen[key] = value
            rows.append({"series": SERIES, "geo": "USA", "partner": key[0], "product": key[1], "flow": "import",
                         "measure": unit[0], "period": year, "freq": "A", "value": value, "unit": unit[2]})
    log.info("%s: %d rows kept, %d skipped (means, unit values, percentages, rest of world)", where,
             len(rows), skipped)
    return rows


def read_yearbook_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Supply of a fresh vegetable (series ``usda.ers.supply``): production, imports and exports by
    commodity and year from the Vegetables and Pulses Yearbook machine-readable CSV. Built from the
    documentation (columns as LIVE-SOURCES.md lists them; the ``Item`` labels are unconfirmed offline):
    rows whose Item starts with Production, Imports or Exports are kept; million pounds become tonnes."""
    where = str(path)
    rows: list[dict[str, object]] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in YEARBOOK_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"missing column(s) {', '.join(missing)}", where,
                            "give Vegetables_Pulses.csv from ERS's machine-readable zip "
                            f"({', '.join(YEARBOOK_COLUMNS)})")
        for lineno, item in enumerate(reader, start=2):
            year = item["Year"].strip()[:4]
            measure = next((m for m in ("production", "imports", "exports")
                            if item["Item"].strip().lower().startswith(m)), None)
            if measure is None or not re.fullmatch(r"\d{4}", year):
                continue
            text = item["PublishValue"].replace(",", "").strip()
            try:
                value = float(text) if text else None
            except ValueError:
                raise DataError(f"PublishValue {item['PublishValue']!r} is not a number", f"{where}, line {lineno}",
                                "the yearbook's PublishValue column holds numbers") from None
            unit = item["Unit"].strip().lower()
            if value is not None and "million pounds" in unit:
                value, unit = value * 1e6 * POUND_KG / 1000, "t"
            rows.append({"series": YEARBOOK_SERIES, "geo": "USA", "partner": None,
                         "product": f"ERS:{slug(item['Commodity'])}", "flow": None, "measure": measure,
                         "period": year, "freq": "A", "value": value, "unit": unit or "unknown"})
    return rows


def _first_line(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, errors="replace") as fh:
        return fh.readline().strip().lstrip("\ufeff")


class UsdaErsAdapter(Adapter):
    """ERS food imports and the vegetables yearbook (files; any source also takes a tidy CSV)."""

    readers: ClassVar[dict[str, Reader]] = {"food_imports_csv": read_food_imports_csv,
                                            "yearbook_csv": read_yearbook_csv}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"food_imports_csv": lambda p: _first_line(p, "cp1252").startswith("Commodity,Country,UOM"),
                "yearbook_csv": lambda p: _first_line(p, "utf-8").startswith("Table,Year,Commodity")}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        raise UnknownCodeError("the ERS files are not fetched live yet", "usda_ers",
                               "download them (URLs in the source's notes) and run `usmca import usda_ers FILE`")

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        raise UnknownCodeError("the ERS files are not fetched live yet", "usda_ers", "use `usmca import usda_ers FILE`")


ADAPTER = UsdaErsAdapter
