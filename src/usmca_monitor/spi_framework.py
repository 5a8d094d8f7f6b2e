"""The Social Progress Index framework (index, 3 dimensions, 12 components) and the ISO 3166-2
subdivisions of the three countries, read from ``catalog/codelists/spi_*.yaml``.

Shared by the SPI adapters (to map publisher codes and columns to measure slugs), the indicator
catalog (one ``spi.<slug>`` per measure) and the site (names in en/es/fr, map keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from usmca_monitor.codelists import catalog_path, read_yaml, subdivision_entries
from usmca_monitor.model.specs import LANGS

COUNTRY_PREFIX = {"US": "USA", "MX": "MEX", "CA": "CAN"}


@dataclass(frozen=True)
class Measure:
    """The index, a dimension or a component of the SPI."""

    slug: str
    level: str  # index | dimension | component
    mcv: str
    global_column: str
    names: dict[str, str] = field(hash=False, compare=False)
    parent: str | None = None
    report_name: str | None = None

    @property
    def indicator(self) -> str:
        """The indicator id: ``spi`` for the index, ``spi.<slug>`` otherwise."""
        return "spi" if self.level == "index" else f"spi.{self.slug}"

    def name(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class Subdivision:
    """A U.S. state (or DC), a Mexican state or a Canadian province or territory."""

    iso: str
    country: str
    code: str
    abbr: str
    names: dict[str, str] = field(hash=False, compare=False)

    def name(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.names.get(lang) or self.names["en"]


def _measure(item: dict[str, str], level: str, parent: str | None) -> Measure:
    return Measure(slug=item["slug"], level=level, mcv=str(item["mcv"]), global_column=item["global"],
                   names={lang: item[lang] for lang in LANGS}, parent=parent, report_name=item.get("report"))


@cache
def measures() -> tuple[Measure, ...]:
    """Index, then each dimension followed by its four components (the framework's order)."""
    document = read_yaml(catalog_path("codelists", "spi_framework.yaml"))
    found = [_measure(document["index"], "index", None)]
    for dimension in document["dimensions"]:
        found.append(_measure(dimension, "dimension", "spi"))
        found.extend(_measure(c, "component", dimension["slug"]) for c in dimension["components"])
    return tuple(found)


def measure(slug: str) -> Measure:
    """One measure by slug."""
    return {m.slug: m for m in measures()}[slug]


def by_mcv_code() -> dict[str, Measure]:
    """Measures by MCV code (``00``, ``01``, ``01_01``…)."""
    return {m.mcv: m for m in measures()}


@cache
def subdivisions() -> dict[str, Subdivision]:
    """The 96 subdivisions by ISO 3166-2 code."""
    return {item["iso"]: Subdivision(item["iso"], item["country"], str(item["code"]), str(item["abbr"]),
                                     {lang: item[lang] for lang in LANGS})
            for item in subdivision_entries()}


def country_of(geo: str) -> str | None:
    """ISO3 of the country a subdivision code belongs to (``MX-NLE`` → ``MEX``); None for a country."""
    prefix, dash, _ = geo.partition("-")
    return COUNTRY_PREFIX.get(prefix) if dash else None
