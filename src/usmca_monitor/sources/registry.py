"""The source registry: every ``catalog/sources/*.yaml`` names its adapter module by path."""

from __future__ import annotations

import importlib
from functools import cache

from usmca_monitor.codelists import read_specs
from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.model.specs import SourceSpec
from usmca_monitor.sources.base import Adapter


@cache
def source_specs() -> dict[str, SourceSpec]:
    """All source specs by id."""
    return read_specs("sources", SourceSpec)


def get_adapter(source_id: str) -> Adapter:
    """The adapter of ``source_id`` (its module's ``ADAPTER`` class, built with its spec)."""
    specs = source_specs()
    if source_id not in specs:
        raise UnknownCodeError(f"unknown source {source_id!r}", "SOURCE",
                               f"use one of: {', '.join(sorted(specs))} (`usmca sources`)")
    spec = specs[source_id]
    module = importlib.import_module(spec.adapter)
    adapter_class: type[Adapter] = module.ADAPTER
    return adapter_class(spec)
