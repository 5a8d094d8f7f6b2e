"""Social Progress Index and Human Development Index: published scores as they are, and ranks
computed from them (ties share the best rank)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import ibis
import ibis.expr.types as ir

KEYS = ("geo", "partner", "product", "period", "freq")
F = TypeVar("F", bound=Callable[..., Any])


def as_published(formula: F) -> F:
    """Mark a formula that shows published values unchanged: its results carry the ``official`` badge."""
    formula.publishes_as_is = True  # type: ignore[attr-defined]
    return formula


@as_published
def published_scores(mx: ir.Table, us: ir.Table | None = None) -> ir.Table:
    """Scores of Mexican states (and the nation) as MCV publishes them, with U.S. states' scores when
    a U.S. States file has been imported (``us`` is optional: absent until ``usmca import spi-us``)."""
    table = mx.select(*KEYS, "value")
    if us is not None:
        table = table.union(us.select(*KEYS, "value"))
    return table.filter(table.value.notnull())


@as_published
def published_values(values: ir.Table) -> ir.Table:
    """One published series as it is (country SPI, HDI)."""
    return values.select(*KEYS, "value").filter(values.value.notnull())


def rank_within_country(base: ir.Table) -> ir.Table:
    """Rank of each subdivision (``MX-NLE``, ``US-TX``…) among the subdivisions of its country with a
    value in the same period, highest score first (1 = best); ties share the best rank; national
    rows are not ranked."""
    states = base.filter(base.geo.contains("-") & base.value.notnull())
    states = states.mutate(country=states.geo.split("-")[0])
    window = ibis.window(group_by=["country", "product", "period", "freq"], order_by=ibis.desc("value"))
    ranked = states.mutate(rank=ibis.rank().over(window))
    return ranked.select(*KEYS, value=(ranked["rank"] + 1).cast("float64"))


def rank_among_countries(base: ir.Table, areas: ir.Table) -> ir.Table:
    """Rank of each country among the countries with a value in the same period (1 = highest);
    the World and other groups are not ranked; ties share the best rank."""
    countries = areas.filter(areas.kind == "country").select(code="code")
    only = base.filter(base.value.notnull()).join(countries, base.geo == countries.code)
    window = ibis.window(group_by=["product", "period", "freq"], order_by=ibis.desc("value"))
    ranked = only.mutate(rank=ibis.rank().over(window))
    return ranked.select(*KEYS, value=(ranked["rank"] + 1).cast("float64"))
