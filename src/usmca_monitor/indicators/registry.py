"""Indicator specs from ``catalog/indicators/**/*.yaml``, and their formulas by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from usmca_monitor.codelists import read_specs
from usmca_monitor.model.errors import DataError, UnknownCodeError
from usmca_monitor.model.specs import IndicatorSpec

FORMULA_PACKAGE = "usmca_monitor.indicators.formulas"


@cache
def indicator_specs() -> dict[str, IndicatorSpec]:
    """All indicator specs by id (each id once)."""
    return read_specs("indicators", IndicatorSpec)


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
