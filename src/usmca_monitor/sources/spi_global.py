"""Social Progress Imperative: the global Social Progress Index 2022 by country.

Reader ``countries_csv``: ``spi_rank, country, spi_score, basic_human_needs, wellbeing,
opportunity`` and the 12 component columns (``basic_nutri_med_care`` … ``access_adv_edu``), one row
per ranked country and a ``World`` row. Countries are named in English; names are matched to ISO
3166-1 alpha-3 through the country codelist, with the few spellings of this file in ``ALIASES``.
The published rank is not stored: ranks are computed from the scores (and checked in the tests).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from usmca_monitor.codelists import Codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.base import Reader
from usmca_monitor.sources.spi_layouts import FileOnlyAdapter, normalise, observation, read_header, read_table, score
from usmca_monitor.spi_framework import measures

SERIES = "spi.global.country"
EDITION_YEAR = "2022"  # the file has no year column: it is the 2022 edition (Norway 92.63, #1)
ALIASES = {
    "korea_republic_of": "KOR", "republic_of_north_macedonia": "MKD", "turkey": "TUR",
    "west_bank_and_gaza": "PSE", "gambia_the": "GMB", "congo_republic_of": "COG",
    "congo_democratic_republic_of": "COD", "world": "WLD",
}


def _country_codes(codelists: Codelists) -> dict[str, str]:
    names = {normalise(name): code for code, area in codelists.areas.items() if area.kind == "country"
             for name in area.names.values()}
    return {**names, **ALIASES}


def read_countries_csv(path: Path, codelists: Codelists) -> list[dict[str, object]]:
    """Observations (index, dimensions, components) per country for the edition's year."""
    where = str(path)
    header, rows = read_table(path)
    columns = {m.slug: m.global_column for m in measures()}
    missing = [c for c in ("country", *columns.values()) if c not in header]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", where,
                        "give the SPI 2022 country file (spi_rank, country, spi_score, … access_adv_edu)")
    codes = _country_codes(codelists)
    out = []
    for line, row in rows:
        code = codes.get(normalise(row["country"]))
        if code is None:
            raise DataError(f"line {line}: country {row['country']!r} has no ISO code", where,
                            "add its spelling to ALIASES in sources/spi_global.py")
        for slug, column in columns.items():
            value = score(row[column], where, line, column)
            if value is not None:
                out.append(observation(SERIES, code, slug, EDITION_YEAR, value))
    return out


class SpiGlobalAdapter(FileOnlyAdapter):
    """The global SPI country file."""

    readers: ClassVar[dict[str, Reader]] = {"countries_csv": read_countries_csv}

    def sniffers(self) -> dict[str, Callable[[Path], bool]]:
        return {"countries_csv": lambda p: "spi_score" in read_header(p)}


ADAPTER = SpiGlobalAdapter
