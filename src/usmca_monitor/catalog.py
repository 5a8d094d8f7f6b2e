"""The catalog loader: source specs (names, licences, citations, series) from ``catalog/sources/``.

Readers of the catalog that must not depend on the adapters (the session, the site) use this module;
``sources/registry.py`` adds the adapters.
"""

from __future__ import annotations

from functools import cache

from usmca_monitor.codelists import read_specs
from usmca_monitor.model.specs import SourceSpec


@cache
def source_specs() -> dict[str, SourceSpec]:
    """All source specs by id."""
    return read_specs("sources", SourceSpec)


def source_of_series() -> dict[str, str]:
    """Series id → the id of the source that declares it."""
    return {series: source_id for source_id, spec in source_specs().items() for series in spec.series}
