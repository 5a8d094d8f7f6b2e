"""U.S. truck classes by gross vehicle weight rating (FHWA classes 1, 2a, 2b, 3-8; the report's annex).

Pounds are authoritative: a weight belongs to the first class whose upper limit it does not exceed
(26,000 lb is Class 6; 26,000.5 lb and 26,001 lb are Class 7). Kilograms convert exactly with
1 lb = 0.45359237 kg (rational arithmetic, no floating-point rounding at a limit), because the annex's
rounded kilogram limits overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache

from babel.numbers import format_decimal
from pydantic import BaseModel, ConfigDict

from usmca_monitor.codelists import catalog_path, read_yaml
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import LANGS, Text

UNITS = ("lb", "kg")
LOCALES = {"en": "en_US", "es": "es_MX", "fr": "fr_CA"}  # as publish/i18n.py


class TruckClassSpec(BaseModel):
    """One class: its id, duty and upper limit in pounds (None: no upper limit)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    duty: str
    max_lb: int | None
    annex_lb: str
    annex_kg: str


class TruckClasses(BaseModel):
    """The codelist ``catalog/codelists/truck_classes.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    source: Text
    kg_per_lb: str
    class_word: Text
    duties: dict[str, Text]
    classes: list[TruckClassSpec]

    def label(self, spec: TruckClassSpec, lang: str) -> str:
        """``Class 7`` / ``Clase 7`` / ``Classe 7``."""
        return f"{self.class_word.get(lang)} {spec.id}"

    def lower_lb(self, spec: TruckClassSpec) -> int:
        """The first whole pound of a class (0 for Class 1)."""
        index = self.classes.index(spec)
        previous = self.classes[index - 1].max_lb if index else None
        return 0 if previous is None else previous + 1


@cache
def truck_classes() -> TruckClasses:
    """The truck-class codelist, validated."""
    path = catalog_path("codelists", "truck_classes.yaml")
    try:
        return TruckClasses.model_validate(read_yaml(path))
    except ValueError as exc:
        raise DataError(f"invalid truck-class codelist ({exc})", str(path),
                        "fix the YAML against trucks.py:TruckClasses") from exc


@dataclass(frozen=True)
class Classified:
    """The class of one weight, and the weight in pounds it was judged on."""

    spec: TruckClassSpec
    pounds: Fraction
    label: str
    duty: str
    range_lb: str


def parse_weight(text: str | float, unit: str = "lb") -> Fraction:
    """A positive weight in pounds, exactly; a DataError for a non-numeric, zero or negative weight and an
    UnknownCodeError for a unit other than ``lb`` or ``kg``."""
    if unit not in UNITS:
        raise UnknownCodeError(f"unknown unit {unit!r}", "--unit", "use lb (pounds, the default) or kg")
    try:
        value = Decimal(str(text).strip().replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise DataError(f"weight {text!r} is not a number", "WEIGHT",
                        "give the gross vehicle weight rating as a number, e.g. 26001 or 11793.5") from None
    if not value.is_finite() or (isinstance(text, float) and not math.isfinite(text)):
        raise DataError(f"weight {text!r} is not a finite number", "WEIGHT", "give a number such as 26001")
    if value <= 0:
        raise DataError(f"weight {text!r} must be above zero", "WEIGHT",
                        "a gross vehicle weight rating is a positive number of pounds or kilograms")
    exact = Fraction(value)
    return exact if unit == "lb" else exact / Fraction(truck_classes().kg_per_lb)


def classify(weight: str | float, unit: str = "lb", lang: str = "en") -> Classified:
    """The FHWA class of a vehicle with gross vehicle weight rating ``weight`` (in ``unit``)."""
    if lang not in LANGS:
        raise UnknownCodeError(f"unknown language {lang!r}", "--lang", f"use one of {', '.join(LANGS)}")
    pounds = parse_weight(weight, unit)
    table = truck_classes()
    for spec in table.classes:
        if spec.max_lb is None or pounds <= spec.max_lb:
            return Classified(spec, pounds, table.label(spec, lang), table.duties[spec.duty].get(lang),
                              _range(table, spec, lang))
    raise DataError("the truck-class codelist has no open-ended last class", "truck_classes.yaml",
                    "give the last class max_lb: null")


def _range(table: TruckClasses, spec: TruckClassSpec, lang: str) -> str:
    low = format_decimal(table.lower_lb(spec), format="#,##0", locale=LOCALES[lang])
    if spec.max_lb is None:
        return {"en": f"{low} lb and above", "es": f"{low} lb o más", "fr": f"{low} lb et plus"}[lang]
    return f"{low}–{format_decimal(spec.max_lb, format='#,##0', locale=LOCALES[lang])} lb"


def describe(weight: str | float, unit: str = "lb", lang: str = "en") -> str:
    """One line for the command line: the class, its duty and its range in pounds."""
    found = classify(weight, unit, lang)
    line = f"{found.label} · {found.duty} · GVWR {found.range_lb}"
    if unit == "kg":
        pounds = format_decimal(round(float(found.pounds), 3), format="#,##0.###", locale=LOCALES[lang])
        line += f" ({pounds} lb)"
    return line
