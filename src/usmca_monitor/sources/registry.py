"""The source registry: every ``catalog/sources/*.yaml`` names its adapter module by path."""

from __future__ import annotations

import importlib

from usmca_monitor.catalog import source_specs
from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.sources.base import Adapter

__all__ = ["get_adapter", "source_specs"]


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
