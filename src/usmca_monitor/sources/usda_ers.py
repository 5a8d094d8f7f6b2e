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

The Vegetables and Pulses Yearbook machine-readable CSV (``read_yearbook_csv``) and the Fruit and Tree
Nuts Yearbook all-tables CSV (``read_fruit_yearbook_csv``) give production, imports and exports of fresh
produce by volume (series ``usda.ers.supply`` and ``usda.ers.fruit_supply``, tonnes, product
``ERS:<commodity>``): both readers are
built from ERS's documentation and public client code (Item/variable labels could not be confirmed
offline). FATUS (U.S. agricultural trade by country) is read by ``sources/usda_fatus.py``.

Live (``usmca update usda_ers``): the four files are downloaded through the HttpClient from the URLs of
the source YAML's ``live.urls`` (ERS media ids change between releases: each URL can be overridden by the
environment variable ``USMCA_USDA_ERS_URL_<NAME>``, e.g. ``USMCA_USDA_ERS_URL_FATUS``); the vegetables
zip is opened in memory for ``Vegetables_Pulses.csv``. A failed download is a NetworkError naming the
URL and the store keeps its previous data. Any file in the observation schema loads as a tidy CSV.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, NetworkError, UnknownCodeError, UsmcaError
from usmca_monitor.model.specs import RawFileSpec
from usmca_monitor.sources.base import Adapter, Payload, Reader, area_by_name, csv_records
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import first_line
from usmca_monitor.sources.usda_fatus import read_fatus_csv, sniff_fatus

log = logging.getLogger(__name__)

SERIES = "usda.ers.food_imports"
YEARBOOK_SERIES = "usda.ers.supply"
FRUIT_SERIES = "usda.ers.fruit_supply"  # apart from the vegetables' series: one file's import keeps the other's
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
SUPPLY_MEASURES = (("production", "production"), ("utilized production", "production"), ("imports", "imports"),
                   ("exports", "exports"))
# Vegetables yearbook tables → the product the pages show (LIVE-SOURCES.md names the tables).
VEG_TABLES = {"Table11_TotalFresh": "fresh_vegetables", "Table21_Cucumbers": "cucumbers",
              "Table32_PeppersBell": "bell_peppers", "Table38_Squash": "squash", "Table41_Tomatoes": "tomatoes"}
# Fruit yearbook: the fresh supply tables G-1…G-19 (G-3 avocados, G-13 raspberries) and H-1, the import
# share of fresh fruit (all fresh fruit); the product is the table's commodity unless named here.
FRUIT_TABLES = {"G-3": "avocados", "G-13": "raspberries", "H-1": "fresh_fruit"}
FRUIT_COLUMNS = ("table_name", "year_value", "variable", "commodity_element", "unit", "value")
FRUIT_TABLE = re.compile(r"^\s*Table\s+([A-H])\s*-\s*(\d+)")
NATIONAL = frozenset({"", "national", "united states", "u.s.", "us", "u.s. total"})
# The live files, by name in the source YAML's live.urls (each overridable by USMCA_USDA_ERS_URL_<NAME>).
LIVE_FILES = ("food_imports", "fruit_yearbook", "vegetables_zip", "fatus")
VEGETABLES_MEMBER = "Vegetables_Pulses.csv"


def slug(text: str) -> str:
    """``Fresh or chilled fruit`` → ``fresh_or_chilled_fruit``."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def product_code(category: str, commodity: str) -> str:
    """The product code of an ERS commodity within its category."""
    return f"ERS:{slug(category)}/{slug(commodity)}"


def country_code(name: str, codelists: Codelists, where: str) -> str:
    """The ISO3 (or WLD) code of an ERS country name, or an UnknownCodeError."""
    return area_by_name(name, codelists, where, NAMES, "add its ISO3 code to NAMES in sources/usda_ers.py")


def read_food_imports_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """U.S. food imports by commodity and source country, annual (series ``usda.ers.food_imports``)."""
    where = str(path)
    rows: list[dict[str, object]] = []
    skipped = 0
    codes: dict[str, str] = {}
    seen: dict[tuple[str, str, str, str], float | None] = {}
    for lineno, item in csv_records(path, COLUMNS, encoding="cp1252",
                                    fix=f"give ERS's U.S. Food Imports CSV (columns {', '.join(COLUMNS)})"):
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


def _supply_measure(label: str) -> tuple[str, bool] | None:
    """(measure, exact) of a yearbook Item/variable label (``Imports``, ``Utilized production``…), or None;
    ``exact`` when the label is the measure itself rather than a longer label starting with it."""
    text = " ".join(label.split()).lower()
    for prefix, measure in SUPPLY_MEASURES:
        if text == prefix or text.startswith((prefix + ",", prefix + " ", prefix + "(")):
            return measure, text == prefix
    return None


def _tonnes(value: float | None, unit: str) -> tuple[float | None, str]:
    """A volume in tonnes from pounds units (million pounds, 1,000 pounds, pounds); others unchanged."""
    text = " ".join(unit.split()).lower()
    scale = {"million pounds": 1e6, "mil. lbs.": 1e6, "1,000 pounds": 1e3, "pounds": 1.0}.get(text)
    if value is None or scale is None:
        return value, text or "unknown"
    return value * scale * POUND_KG / 1000, "t"


class _Supply:
    """Supply rows keyed by (product, measure, year); an exact label wins over a longer one."""

    def __init__(self, series: str = YEARBOOK_SERIES) -> None:
        self.series = series
        self.rows: dict[tuple[str, str, str], tuple[bool, dict[str, object]]] = {}
        self.ambiguous = 0

    def add(self, product: str, measure: str, exact: bool, year: str, value: float | None, unit: str) -> None:
        key = (product, measure, year)
        row: dict[str, object] = {"series": self.series, "geo": "USA", "partner": None,
                                  "product": f"ERS:{product}", "flow": None, "measure": measure, "period": year,
                                  "freq": "A", "value": value, "unit": unit}
        if key in self.rows and (self.rows[key][0] or not exact):
            self.ambiguous += self.rows[key][1]["value"] != value
            return
        self.rows[key] = (exact, row)

    def result(self, where: str) -> list[dict[str, object]]:
        if self.ambiguous:
            log.warning("%s: %d rows with a longer label than Production/Imports/Exports were not used", where,
                        self.ambiguous)
        return [row for _, row in self.rows.values()]


def read_yearbook_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Supply of fresh vegetables (series ``usda.ers.supply``): production, imports and exports by
    commodity and year from the Vegetables and Pulses Yearbook machine-readable CSV. Built from the
    documentation (columns as LIVE-SOURCES.md lists them; the ``Item`` labels are unconfirmed offline):
    national rows (``GeographicalLevel``) for fresh use (``EndUse`` empty or naming fresh) whose Item is
    or starts with Production, Imports or Exports are kept; pounds become tonnes. The tables of
    ``VEG_TABLES`` give the products the pages show (``Table11_TotalFresh`` → ``ERS:fresh_vegetables``)."""
    where = str(path)
    supply = _Supply()
    for lineno, item in csv_records(path, YEARBOOK_COLUMNS, encoding="utf-8-sig",
                                    fix="give Vegetables_Pulses.csv from ERS's machine-readable zip "
                                        f"({', '.join(YEARBOOK_COLUMNS)})"):
        year = item["Year"].strip()[:4]
        measure = _supply_measure(item["Item"])
        end_use = (item.get("EndUse") or "").strip().lower()
        level = (item.get("GeographicalLevel") or "").strip().lower()
        if measure is None or not re.fullmatch(r"\d{4}", year) or level not in NATIONAL \
                or (end_use and "fresh" not in end_use):
            continue
        value = _number(item["PublishValue"], f"{where}, line {lineno}", "PublishValue")
        product = VEG_TABLES.get(item["Table"].strip()) or slug(item["Commodity"])
        supply.add(product, measure[0], measure[1], year, *_tonnes(value, item["Unit"]))
    return supply.result(where)


def read_fruit_yearbook_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Supply of fresh fruit (series ``usda.ers.fruit_supply``) from ERS's Fruit and Tree Nuts Yearbook all-tables
    CSV (columns ``table_name, year_value, variable, commodity_element, market_segment, geographic_extent,
    unit, value`` as public client code reads them). BUILT FROM THE DOCUMENTATION: the ``variable`` labels
    are unconfirmed offline. Kept: the fresh supply tables G-1…G-19 and H-1 (all fresh fruit, product
    ``ERS:fresh_fruit``), annual national rows whose variable is or starts with Production (or Utilized
    production), Imports or Exports; million pounds become tonnes. Years such as ``2023/24`` (marketing
    years) are filed under their first calendar year."""
    where = str(path)
    supply = _Supply(FRUIT_SERIES)
    for lineno, item in csv_records(path, FRUIT_COLUMNS, encoding="utf-8-sig",
                                    fix="give ERS's all-fruit-and-tree-nuts-yearbook-data.csv "
                                        f"(columns {', '.join(FRUIT_COLUMNS)})"):
        match = FRUIT_TABLE.match(item["table_name"] or "")
        if match is None:
            continue
        table = f"{match.group(1)}-{match.group(2)}"
        if not (table == "H-1" or (match.group(1) == "G" and int(match.group(2)) <= 19)):
            continue
        year = (item["year_value"] or "").strip()[:4]
        measure = _supply_measure(item["variable"] or "")
        place = (item.get("geographic_extent") or "").strip().lower()
        segment = (item.get("market_segment") or "").strip().lower()
        if measure is None or not re.fullmatch(r"\d{4}", year) or (item.get("month") or "").strip() \
                or place not in NATIONAL or (segment and "fresh" not in segment):
            continue
        value = _number(item["value"], f"{where}, line {lineno}", "value")
        product = FRUIT_TABLES.get(table) or slug(item["commodity_element"] or table)
        supply.add(product, measure[0], measure[1], year, *_tonnes(value, item["unit"] or ""))
    return supply.result(where)


def _number(text: str | None, line: str, column: str) -> float | None:
    cleaned = (text or "").replace(",", "").strip()
    if not cleaned or cleaned.upper() in {"NA", "(NA)", "--", "-"}:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise DataError(f"{column} {text!r} is not a number", line, f"the yearbook's {column} column holds numbers") \
            from None


def _first_line(path: Path, encoding: str) -> str:
    return first_line(path, encoding).strip()


def live_url(urls: dict[str, str], name: str) -> str:
    """The URL of live file ``name``: ``USMCA_USDA_ERS_URL_<NAME>`` when set, else the source YAML's."""
    override = os.environ.get(f"USMCA_USDA_ERS_URL_{name.upper()}", "").strip()
    if override:
        return override
    if name not in urls:
        raise DataError(f"no URL for {name}", "catalog/sources/usda_ers.yaml (live.urls)",
                        f"add live.urls.{name} or set USMCA_USDA_ERS_URL_{name.upper()}")
    return urls[name]


def vegetables_csv(payload: Payload) -> bytes:
    """``Vegetables_Pulses.csv`` read in memory from the machine-readable zip, or a DataError."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload.data)) as archive:
            member = next((n for n in archive.namelist() if n.rsplit("/", 1)[-1].lower()
                           == VEGETABLES_MEMBER.lower()), None)
            if member is None:
                raise DataError(f"the zip holds no {VEGETABLES_MEMBER} ({', '.join(archive.namelist()[:5])})",
                                payload.origin.url, "ERS may have renamed the file: download the zip, find the "
                                "vegetables CSV and run `usmca import usda_ers FILE`, or set "
                                "USMCA_USDA_ERS_URL_VEGETABLES_ZIP to the current zip")
            return archive.read(member)
    except zipfile.BadZipFile:
        raise DataError("the answer is not a zip file", payload.origin.url,
                        "the ERS media id may have changed: set USMCA_USDA_ERS_URL_VEGETABLES_ZIP to the "
                        "current machine-readable zip of the Vegetables and Pulses Yearbook") from None


class UsdaErsAdapter(Adapter):
    """ERS food imports, the fruit and vegetable yearbooks and FATUS (files or live downloads)."""

    readers: ClassVar[dict[str, Reader]] = {"food_imports_csv": read_food_imports_csv,
                                            "yearbook_csv": read_yearbook_csv,
                                            "fruit_yearbook_csv": read_fruit_yearbook_csv,
                                            "fatus_csv": read_fatus_csv}
    # Live file name → the reader of its CSV.
    live_readers: ClassVar[dict[str, str]] = {"food_imports": "food_imports_csv",
                                              "fruit_yearbook": "fruit_yearbook_csv",
                                              "vegetables_zip": "yearbook_csv", "fatus": "fatus_csv"}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        def fruit(path: Path) -> bool:
            header = _first_line(path, "utf-8")
            return "table_name" in header and "variable" in header

        return {"food_imports_csv": lambda p: _first_line(p, "cp1252").startswith("Commodity,Country,UOM"),
                "yearbook_csv": lambda p: _first_line(p, "utf-8").startswith("Table,Year,Commodity"),
                "fruit_yearbook_csv": fruit, "fatus_csv": sniff_fatus}

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        live = self.spec.live
        if live is None:
            raise UnknownCodeError("usda_ers has no live block", "catalog/sources/usda_ers.yaml",
                                   "add live.urls (see the source's notes)")
        payloads = []
        for name in LIVE_FILES:
            url = live_url(live.urls, name)
            progress(name)
            response = client.get(url)
            if response.status >= 400:
                raise NetworkError(f"HTTP {response.status}", response.url, "check the URL on ERS's product page")
            raw = RawFileSpec(path="", reader=self.live_readers[name], title=f"{self.spec.title.en}: {name}",
                              url=response.url, accessed=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
            payloads.append(Payload(data=response.content, origin=self.spec.origin_for(raw, "", 0), name=name))
        return payloads

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        with tempfile.TemporaryDirectory(prefix="usmca-ers-") as tmp:
            for payload in payloads:
                reader = self.live_readers.get(payload.name)
                if reader is None:
                    continue
                data = vegetables_csv(payload) if payload.name == "vegetables_zip" else payload.data
                path = Path(tmp) / f"{payload.name}.csv"
                path.write_bytes(data)
                try:
                    found = list(self.readers[reader](path, codelists))
                except UsmcaError as exc:  # name the download, not the temporary file
                    raise type(exc)(exc.what, exc.where.replace(str(path), payload.origin.url), exc.fix) from None
                if not found:
                    log.warning("%s: no observations read (check the file's layout)", payload.origin.url)
                rows.extend(found)
        return rows


ADAPTER = UsdaErsAdapter
