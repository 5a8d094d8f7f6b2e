"""México, ¿cómo vamos?: Índice de Progreso Social (IPS) by Mexican state, one vintage per edition.

MCV re-estimates the whole series in every edition (values for the same year differ between the
2024 and 2025 editions), so each edition is its own vintage: ``mcv_spi@ed2024-…`` (2015–2023, the
report's "2023 data for Mexico") and ``mcv_spi@ed2025-…`` (2015–2024, the default). Readers:

* ``mcv_workbook`` — MCV's ``03_ips_clean/00_IPS_COMPLETE_WIDE.xlsx`` as published: sheet
  ``01_IPS_DIM`` (``cve_ent, anio, entidad_abr_m, 01, 02, 03, 00``) and sheet ``02_IPS_COMP``
  (``… 01_01comp … 03_12comp``); ``cve_ent`` is INEGI's state code, ``00`` the national row.
* ``long`` / ``wide`` — the layouts of ``sources/spi_layouts.py`` (MCV's long file is the long one).

Scores are 0–100 on MCV's own Mexican utopia/dystopia bounds and indicators: not the same scale as
the U.S. States SPI or the global SPI.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import openpyxl

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.base import Reader
from usmca_monitor.sources.spi_layouts import (
    FileOnlyAdapter,
    normalise,
    observation,
    read_long,
    read_wide,
    score,
    sniff_long,
    sniff_wide,
    year,
)
from usmca_monitor.spi_framework import by_mcv_code, subdivisions

SERIES = "mcv.ips.state"
COUNTRIES = ("MEX",)
SHEETS = ("01_IPS_DIM", "02_IPS_COMP")


BOUNDS = {"98": "Utopía", "99": "Distopía"}  # rows of the bounds (100 and 0), not areas


def _geo(cve_ent: object, where: str, line: int) -> str:
    code = str(cve_ent or "").strip().zfill(2)
    if code == "00":
        return "MEX"
    for item in subdivisions().values():
        if item.country == "MEX" and item.code == code:
            return item.iso
    raise DataError(f"line {line}: unknown cve_ent {cve_ent!r}", where,
                    "cve_ent is INEGI's state code 01-32, 00 for the nation (98/99 are the bounds)")


def read_mcv_workbook(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Observations from MCV's wide workbook (both sheets; the utopia/dystopia bound rows skipped)."""
    where = str(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataError(f"not a readable Excel workbook ({type(exc).__name__})", where,
                        "give MCV's 00_IPS_COMPLETE_WIDE.xlsx as published") from exc
    try:
        missing = [name for name in SHEETS if name not in book.sheetnames]
        if missing:
            raise DataError(f"sheet {missing[0]} is missing", where, f"the workbook has sheets {', '.join(SHEETS)}")
        rows: list[dict[str, object]] = []
        for name in SHEETS:
            sheet = book[name]
            sheet.reset_dimensions()  # MCV's files record a one-cell sheet size
            rows.extend(_sheet_rows(list(sheet.iter_rows(values_only=True)), f"{where} [{name}]"))
    finally:
        book.close()
    return rows


def _sheet_rows(lines: list[tuple[object, ...]], where: str) -> list[dict[str, object]]:
    codes = by_mcv_code()
    header = [str(h or "").strip().removesuffix("comp") for h in lines[0]] if lines else []
    if header[:2] != ["cve_ent", "anio"]:
        raise DataError(f"the sheet starts with {header[:2]}", where, "expected the columns cve_ent, anio, …")
    measures = {i: codes[h] for i, h in enumerate(header) if h in codes}
    rows: list[dict[str, object]] = []
    for line, values in enumerate(lines[1:], start=2):
        if str(values[0]).strip() in BOUNDS:
            continue
        geo = _geo(values[0], where, line)
        period = year(values[1], where, line)
        for i, found in measures.items():
            value = score(values[i], where, line, normalise(lines[0][i]))
            if value is not None:
                rows.append(observation(SERIES, geo, found.slug, period, value))
    return rows


def read_long_file(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Observations from a file in the long layout (MCV's long file)."""
    return read_long(path, SERIES, COUNTRIES)


def read_wide_file(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Observations from a file in the wide layout."""
    return read_wide(path, SERIES, COUNTRIES)


def _sniff_workbook(path: Path) -> bool:
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        return False
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:
        return False
    found = all(name in book.sheetnames for name in SHEETS)
    book.close()
    return found


class McvSpiAdapter(FileOnlyAdapter):
    """MCV's state Social Progress Index: the published workbook and the long and wide layouts."""

    readers: ClassVar[dict[str, Reader]] = {"mcv_workbook": read_mcv_workbook, "long": read_long_file,
                                            "wide": read_wide_file}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"mcv_workbook": _sniff_workbook, "long": sniff_long, "wide": sniff_wide}


ADAPTER = McvSpiAdapter
