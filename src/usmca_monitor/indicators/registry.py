"""Indicator specs from ``catalog/indicators/**/*.yaml``, and their formulas by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from pydantic import ValidationError

from usmca_monitor.codelists import catalog_path, read_yaml
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import IndicatorSpec

FORMULA_PACKAGE = "usmca_monitor.indicators.formulas"


@cache
def indicator_specs() -> dict[str, IndicatorSpec]:
    """All indicator specs by id (each id once)."""
    specs: dict[str, IndicatorSpec] = {}
    for path in sorted(catalog_path("indicators").rglob("*.yaml")):
        try:
            spec = IndicatorSpec.model_validate(read_yaml(path))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise DataError(f"invalid indicator spec ({'.'.join(map(str, first['loc']))}: {first['msg']})",
                            str(path), "fix the YAML against model/specs.py:IndicatorSpec") from exc
        if spec.id in specs:
            raise DataError(f"indicator id {spec.id!r} is declared twice", str(path), "give each spec its own id")
        specs[spec.id] = spec
    return specs


def get_spec(indicator_id: str) -> IndicatorSpec:
    """The spec of ``indicator_id`` or an error listing the known ones."""
    specs = indicator_specs()
    if indicator_id not in specs:
        raise UnknownCodeError(f"unknown indicator {indicator_id!r}", "INDICATOR",
                               f"use one of: {', '.join(sorted(specs))} (`usmca indicators`)")
    return specs[indicator_id]


def get_formula(name: str) -> Callable[..., object]:
    """The formula ``<module>.<function>`` from the formulas package."""
    module_name, _, function = name.rpartition(".")
    try:
        module = importlib.import_module(f"{FORMULA_PACKAGE}.{module_name}")
        formula: Callable[..., object] = getattr(module, function)
    except (ImportError, AttributeError) as exc:
        raise DataError(f"formula {name!r} not found", "formula",
                        f"define {function}() in indicators/formulas/{module_name}.py") from exc
    return formula
