"""Codelists: countries (ISO 3166-1 alpha-3 with en/es/fr names), Census country codes, groupings.

The country tables are derived by ``usmca snapshot`` from the concordances folder into
``data/codelists/`` (see ``data/manifest.json`` for their origins); groupings and display names are
hand-written YAML in ``catalog/codelists/``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import LANGS

PACKAGE = resources.files("usmca_monitor")
# Folders laid out like catalog/ (indicators/, sources/, facts/ …) whose specs are read after the
# package's own: a user's or a test's extra indicators, without touching the package.
EXTRA_CATALOG_ENV = "USMCA_CATALOG_EXTRA"


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, or raise a DataError naming the file, line and column."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise DataError(f"not valid YAML ({getattr(exc, 'problem', exc)})", where,
                        "quote values that contain ': ' and check the indentation") from None


SpecT = TypeVar("SpecT", bound=BaseModel)


def read_specs(folder: str, model: type[SpecT]) -> dict[str, SpecT]:
    """Every ``catalog/<folder>/**/*.yaml`` validated as ``model``, by its ``id`` (each id once)."""
    specs: dict[str, SpecT] = {}
    paths = sorted(catalog_path(folder).rglob("*.yaml"))
    for extra in extra_catalogs():
        paths += sorted((extra / folder).rglob("*.yaml"))
    for path in paths:
        try:
            spec = model.model_validate(read_yaml(path))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise DataError(f"invalid {model.__name__} ({'.'.join(map(str, first['loc']))}: {first['msg']})",
                            str(path), f"fix the YAML against model/specs.py:{model.__name__}") from exc
        spec_id = str(getattr(spec, "id"))  # noqa: B009 - every spec model has an id
        if spec_id in specs:
            raise DataError(f"id {spec_id!r} is declared twice", str(path), "give each spec its own id")
        specs[spec_id] = spec
    return specs


def extra_catalogs() -> list[Path]:
    """The extra catalog folders named in ``USMCA_CATALOG_EXTRA`` (separated by ``os.pathsep``)."""
    value = os.environ.get(EXTRA_CATALOG_ENV, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def catalog_path(*parts: str) -> Path:
    """A path inside ``catalog/``."""
    return Path(str(PACKAGE.joinpath("catalog", *parts)))


def data_path(*parts: str) -> Path:
    """A path inside the embedded ``data/``."""
    return Path(str(PACKAGE.joinpath("data", *parts)))


@dataclass(frozen=True)
class Area:
    """A country or a group, with names in the three languages."""

    code: str
    kind: str  # country | total | grouping | continent
    names: dict[str, str] = field(hash=False, compare=False)

    @property
    def is_country(self) -> bool:
        """Whether this is one country or territory (not a total or a group)."""
        return self.kind == "country"

    def name(self, lang: str) -> str:
        """The name in ``lang`` (English when missing)."""
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class Codelists:
    """The areas by code, and the Census CTY_CODE → area code map."""

    areas: dict[str, Area]
    census: dict[str, str]
    census_ignored: dict[str, str]

    def area(self, code: str, where: str = "--partner") -> Area:
        """The area with ``code`` or an UnknownCodeError naming it."""
        try:
            return self.areas[code.upper()]
        except KeyError:
            raise UnknownCodeError(f"unknown area code {code!r}", where,
                                   "use an ISO 3166-1 alpha-3 code (MEX, CAN, CHN…) or a group "
                                   "(WLD, USMCA, EU, ASEAN…); `usmca indicators` lists them") from None

    def name(self, code: str | None, lang: str) -> str:
        """Display name of an area code (the code itself when unknown)."""
        if code is None:
            return ""
        found = self.areas.get(code)
        return found.name(lang) if found else code


def read_country_table(path: Path) -> dict[str, Area]:
    """Countries from the derived ``countries.csv`` (iso3, iso2, name_en, name_es, name_fr)."""
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["iso3"]: Area(row["iso3"], "country", {lang: row[f"name_{lang}"] for lang in LANGS})
                for row in csv.DictReader(fh)}


@cache
def load_codelists() -> Codelists:
    """The embedded codelists (derived tables + catalog YAML)."""
    return build_codelists(data_path("codelists"))


def build_codelists(folder: Path) -> Codelists:
    """Codelists from the derived tables in ``folder`` plus the catalog YAML."""
    areas = read_country_table(folder / "countries.csv")
    overrides = read_yaml(catalog_path("codelists", "country_names.yaml"))
    for code, names in overrides.items():
        areas[code] = Area(code, "country", dict(names))
    groups = read_yaml(catalog_path("codelists", "census_groups.yaml"))
    census: dict[str, str] = {}
    for group in groups["groups"]:
        areas[group["id"]] = Area(group["id"], group["kind"], {lang: group[lang] for lang in LANGS})
        census[group["census"]] = group["id"]
    for item in subdivision_entries():
        areas[item["iso"]] = Area(item["iso"], "subdivision", {lang: item[lang] for lang in LANGS})
    with (folder / "census_countries.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            census[row["cty_code"]] = row["iso3"]
    ignored = {item["census"]: item["why"] for item in groups.get("ignored", [])}
    return Codelists(areas=areas, census=census, census_ignored=ignored)


@cache
def product_names(table: str) -> dict[str, str]:
    """Code → English name from a derived product table (``hs2022``, ``naics2017``; see
    catalog/codelists/atp.yaml), or an empty mapping when the snapshot has not derived it."""
    path = data_path("codelists", f"{table}.csv")
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["code"]: row["name_en"] for row in csv.DictReader(fh)}


@dataclass(frozen=True)
class Heading:
    """A product heading as shown in a language: its text and the language the text is in (``en`` when
    no official heading in the reader's language ships with the package: mark it ``lang="en"``)."""

    code: str
    text: str
    lang: str


# Official Spanish and French HS/NAICS headings shipped with the package, by table and language; none
# yet (the WCO's French HS and Mexico's SCIAN / Canada's SCIAN headings are not bundled), so every
# heading is the English one, marked as such.
OFFICIAL_HEADINGS: dict[str, dict[str, dict[str, str]]] = {}


def product_heading(table: str, code: str, lang: str) -> Heading | None:
    """The heading of ``code`` in ``table`` (``hs2022``, ``naics2017``) in ``lang`` when an official one
    is shipped, else the English heading with ``lang="en"``; None for an unknown code."""
    official = OFFICIAL_HEADINGS.get(table, {}).get(lang, {}).get(code)
    if official:
        return Heading(code, official, lang)
    english = product_names(table).get(code)
    return Heading(code, english, "en") if english else None


@cache
def hs6_to_naics() -> dict[str, frozenset[str]]:
    """HS 2022 six-digit subheading → the NAICS six-digit industries it maps to (many-to-many)."""
    path = data_path("codelists", "hs2022_naics.csv")
    found: dict[str, set[str]] = {}
    if path.exists():
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                found.setdefault(row["hs6"], set()).add(row["naics6"])
    return {hs6: frozenset(codes) for hs6, codes in found.items()}


def subdivision_entries() -> list[dict[str, Any]]:
    """ISO 3166-2 subdivisions (``iso``, ``country``, names…) from every catalog/codelists YAML file
    with a top-level ``subdivisions`` list (e.g. ``spi_subdivisions.yaml``)."""
    found: list[dict[str, Any]] = []
    for path in sorted(catalog_path("codelists").glob("*.yaml")):
        document = read_yaml(path)
        if isinstance(document, dict) and isinstance(document.get("subdivisions"), list):
            found.extend(document["subdivisions"])
    return found
