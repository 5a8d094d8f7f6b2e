"""The two documented file layouts of subnational Social Progress Index scores, shared by the
México, ¿cómo vamos? adapter (``mcv_spi``) and the U.S. States importer (``spi_us``).

* **long** — one row per area, year and measure, as MCV publishes it::

      year,iso_3166_2,level,code,score
      2023,MX-NLE,index,00,71.279293
      2023,MX-NLE,dimension,01,79.32994
      2023,MX-NLE,component,01_04,50.2703

  ``level`` is ``index``, ``dimension`` or ``component``; ``code`` is MCV's code (``00`` index,
  ``01``–``03`` dimensions, ``01_01``–``03_12`` components) or the measure's slug
  (``basic_human_needs``…). Other columns (state names…) are ignored.

* **wide** — one row per area and year: ``year``, the area (``iso_3166_2``, or ``state`` with a
  name or postal abbreviation), then the index and the 15 dimensions and components, headed by
  slug or English name (``spi`` or ``Social Progress Index``, ``basic_human_needs`` or ``Basic
  Human Needs``, …, ``access_to_advanced_education``). All 16 columns are required.

CSV (UTF-8, comma) or Excel (first sheet). Scores must be numbers within 0–100; an empty cell is a
missing value and is skipped. Anything else is one DataError naming the file, line and column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import openpyxl

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.sources.base import Adapter, Payload
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.textio import open_text
from usmca_monitor.spi_framework import Measure, by_mcv_code, measures, subdivisions

LONG_COLUMNS = ("year", "iso_3166_2", "level", "code", "score")
UNIT = "index_0_100"
INDEX_ALIASES = {"social_progress_index", "spi_score", "score_spi", "index"}
Table = tuple[list[str], list[tuple[int, dict[str, object]]]]  # header, (line, row) pairs


def normalise(name: object) -> str:
    """A header as a slug: ``Basic Human Needs`` → ``basic_human_needs``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name or "").strip().lower()).strip("_")


def read_table(path: Path) -> Table:
    """Header (normalised) and rows of a CSV or of an Excel workbook's first sheet."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _xlsx_table(path)
    with open_text(path, "utf-8-sig") as text:
        try:
            lines: list[list[object]] = [list(row) for row in csv.reader(text)]
        except csv.Error as exc:
            raise DataError(f"not a CSV file ({exc})", str(path), "save it as CSV UTF-8 or give the .xlsx") from None
    return _rows(lines, 1)


def read_header(path: Path) -> list[str]:
    """The header (normalised) of a CSV or of an Excel workbook's first sheet, read without the rows
    (what the sniffers look at, so a large file of another layout costs nothing)."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise DataError(f"not a readable Excel workbook ({type(exc).__name__})", str(path),
                            "give the .xlsx as downloaded, or save it as CSV") from exc
        try:
            first = next(book.worksheets[0].iter_rows(values_only=True, max_row=1), ())
        finally:
            book.close()
        return [normalise(h) for h in first]
    with open_text(path, "utf-8-sig") as text:
        try:
            return [normalise(h) for h in next(csv.reader(text), [])]
        except csv.Error as exc:
            raise DataError(f"not a CSV file ({exc})", str(path), "save it as CSV UTF-8 or give the .xlsx") from None


def _xlsx_table(path: Path) -> Table:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError(f"not a readable Excel workbook ({type(exc).__name__})", str(path),
                        "give the .xlsx as downloaded, or save it as CSV") from exc
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # some writers record a wrong sheet size
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return _rows(lines, 1)


def _rows(lines: list[list[object]], first_line: int) -> Table:
    if not lines:
        return [], []
    header = [normalise(h) for h in lines[0]]
    rows = []
    for offset, values in enumerate(lines[1:], start=first_line + 1):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((offset, {name: values[i] if i < len(values) else None for i, name in enumerate(header)}))
    return header, rows


def score(value: object, where: str, line: int, column: str) -> float | None:
    """A score within 0–100, None when empty, else a DataError naming line and column."""
    if value is None or str(value).strip() in {"", "NA", "N/A", "n/a", "-"}:
        return None
    try:
        number = float(str(value).strip().replace(",", "")) if not isinstance(value, int | float) else float(value)
    except ValueError:
        raise DataError(f"line {line}, column {column}: {value!r} is not a number", where,
                        "scores are numbers such as 71.28") from None
    if not 0 <= number <= 100:
        raise DataError(f"line {line}, column {column}: score {number} is outside 0–100", where,
                        "SPI scores run from 0 to 100; check the column is a score, not a rank") from None
    return number


def year(value: object, where: str, line: int) -> str:
    """A four-digit year, else a DataError."""
    text = str(value).strip().removesuffix(".0") if value is not None else ""
    if not re.fullmatch(r"(19|20)\d\d", text):
        raise DataError(f"line {line}, column year: {value!r} is not a year", where, "use four digits, e.g. 2023")
    return text


def measure_for(code: object, level: object, where: str, line: int) -> Measure:
    """The measure of a long row, from MCV's code or a slug, checked against ``level``."""
    text = str(code or "").strip().removesuffix("comp")
    found = by_mcv_code().get(text) or {m.slug: m for m in measures()}.get(normalise(text))
    if found is None:
        raise DataError(f"line {line}, column code: unknown SPI code {code!r}", where,
                        "use 00 (index), 01-03 (dimensions), 01_01-03_12 (components) or a slug such as "
                        "basic_human_needs")
    if level is not None and normalise(level) and normalise(level) != found.level:
        raise DataError(f"line {line}, column level: {level!r} does not match code {code!r} ({found.level})",
                        where, "level is index, dimension or component")
    return found


def area_for(value: object, countries: Iterable[str], where: str, line: int, column: str) -> str:
    """An ISO 3166-2 code (or a country's ISO3 for its national row) of one of ``countries``, from an
    ISO code, a name or a postal abbreviation."""
    text = str(value or "").strip()
    allowed = set(countries)
    wanted = {s.iso: s for s in subdivisions().values() if s.country in allowed}
    if text.upper() in wanted:
        return text.upper()
    national = {"MX": "MEX", "NACIONAL": "MEX", "US": "USA", "UNITED STATES": "USA", "USA": "USA"}
    if national.get(text.upper()) in allowed:
        return national[text.upper()]
    for item in wanted.values():
        if normalise(text) in {normalise(n) for n in item.names.values()} or text.upper() == item.abbr:
            return item.iso
    raise DataError(f"line {line}, column {column}: unknown area {value!r}", where,
                    f"use ISO 3166-2 codes of {', '.join(sorted(allowed))} states (e.g. US-TX, MX-NLE)")


def observation(series: str, geo: str, slug: str, period: str, value: float) -> dict[str, object]:
    """One annual score as an observation row."""
    return {"series": series, "geo": geo, "partner": None, "product": None, "flow": None, "measure": slug,
            "period": period, "freq": "A", "value": value, "unit": UNIT}


def read_long(path: Path, series: str, countries: Iterable[str]) -> list[dict[str, object]]:
    """Rows of a file in the long layout."""
    where = str(path)
    header, rows = read_table(path)
    missing = [c for c in LONG_COLUMNS if c not in header]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)} for the long layout", where,
                        f"the long layout has the columns {', '.join(LONG_COLUMNS)}")
    out: dict[tuple[str, str, str], dict[str, object]] = {}
    for line, row in rows:
        found = measure_for(row["code"], row["level"], where, line)
        geo = area_for(row["iso_3166_2"], countries, where, line, "iso_3166_2")
        period = year(row["year"], where, line)
        value = score(row["score"], where, line, "score")
        if value is None:
            continue
        key = (geo, found.slug, period)
        if key in out:
            raise DataError(f"line {line}: a second score for {geo} {found.slug} {period}", where,
                            "give each area, year and measure once")
        out[key] = observation(series, geo, found.slug, period, value)
    return list(out.values())


def wide_columns(header: list[str]) -> dict[str, str]:
    """Measure slug → the header that holds it (by slug or English name)."""
    found: dict[str, str] = {}
    for item in measures():
        names = {item.slug, normalise(item.names["en"])} | (INDEX_ALIASES if item.level == "index" else set())
        for column in header:
            if column in names:
                found[item.slug] = column
    return found


def read_wide(path: Path, series: str, countries: Iterable[str]) -> list[dict[str, object]]:
    """Rows of a file in the wide layout."""
    where = str(path)
    header, rows = read_table(path)
    columns = wide_columns(header)
    area_column = next((c for c in ("iso_3166_2", "state", "iso", "area") if c in header), None)
    missing = [m.slug for m in measures() if m.slug not in columns]
    if "year" not in header or area_column is None or missing:
        need = ["year" if "year" not in header else "", "iso_3166_2 (or state)" if area_column is None else "",
                *missing]
        raise DataError(f"missing column(s) {', '.join(n for n in need if n)} for the wide layout", where,
                        "the wide layout has year, iso_3166_2 and the index, 3 dimensions and 12 components "
                        "(headed by slug or English name)")
    out: dict[tuple[str, str], list[dict[str, object]]] = {}
    for line, row in rows:
        geo = area_for(row[area_column], countries, where, line, area_column)
        period = year(row["year"], where, line)
        if (geo, period) in out:
            raise DataError(f"line {line}: a second row for {geo} {period}", where, "give each area and year once")
        out[(geo, period)] = [observation(series, geo, slug, period, value) for slug, column in columns.items()
                              if (value := score(row[column], where, line, column)) is not None]
    return [obs for group in out.values() for obs in group]


def sniff_long(path: Path) -> bool:
    """Whether ``path`` has the long layout's header."""
    try:
        header = read_header(path)
    except DataError:
        return False
    return all(c in header for c in LONG_COLUMNS)


def sniff_wide(path: Path) -> bool:
    """Whether ``path`` has the wide layout's header."""
    try:
        header = read_header(path)
    except DataError:
        return False
    return "year" in header and len(wide_columns(header)) == len(measures())


class FileOnlyAdapter(Adapter):
    """A source read from files only (no live API): ``usmca update`` is refused by the API layer
    because the source YAML has no ``live`` section; these methods say so if called directly."""

    def fetch(self, client: HttpClient, codelists: Codelists, progress: Callable[[str], None]) -> list[Payload]:
        raise UnknownCodeError(f"source {self.spec.id} has no live API", "SOURCE",
                               f"download the file ({self.spec.homepage}) and run `usmca import {self.spec.id} FILE`")

    def parse_payloads(self, payloads: list[Payload], codelists: Codelists) -> list[dict[str, object]]:
        raise UnknownCodeError(f"source {self.spec.id} has no live API", "SOURCE", "use `usmca import`")
