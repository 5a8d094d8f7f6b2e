"""The fact spec: one figure or statement of the report, as a YAML file in catalog/facts/.

A fact is either *computed* (``compute``: an arithmetic expression over terms, each a selection of a
catalog indicator or a stored series), *awaiting data* (``awaits``: the live source it needs), or
*narrative* (neither: a qualitative statement, shown as cited narrative).
"""

from __future__ import annotations

import ast
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from usmca_monitor.model.specs import Text

Qualifier = Literal["=", "~", ">", ">=", "<", "<="]
ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, ast.Constant,
                 ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd)


class FactTerm(BaseModel):
    """One term of a fact's expression: the value(s) of an indicator or a series, selected and summed.

    ``geo``/``partner`` may be one code or a list (the matching values are summed, or counted with
    ``agg: count``; ``geo: "*"`` means every country, groupings excluded)."""

    model_config = ConfigDict(extra="forbid")
    indicator: str | None = None
    series: str | None = None
    measure: str | list[str] = "value"  # a list: the measures' values are summed (e.g. generation sources)
    geo: str | list[str] | None = None
    partner: str | list[str] | None = None
    product: str | None = None
    flow: str | None = None
    agg: Literal["sum", "count"] = "sum"
    at: str | None = None  # a pinned period (e.g. the base year of a growth rate)

    @model_validator(mode="after")
    def _one_kind(self) -> FactTerm:
        if (self.indicator is None) == (self.series is None):
            raise ValueError("a term names exactly one of 'indicator' or 'series'")
        return self


class FactCompute(BaseModel):
    """How a fact is computed: ``expr`` over ``terms`` (``+ - * /`` and numbers), divided by ``scale``."""

    model_config = ConfigDict(extra="forbid")
    expr: str
    terms: dict[str, FactTerm]
    scale: float = 1.0

    @model_validator(mode="after")
    def _valid_expr(self) -> FactCompute:
        try:
            tree = ast.parse(self.expr, mode="eval")
        except SyntaxError as exc:
            raise ValueError(f"expr {self.expr!r} is not an expression") from exc
        for node in ast.walk(tree):
            if not isinstance(node, ALLOWED_NODES):
                raise ValueError(f"expr {self.expr!r} may only use + - * / numbers and term names")
            if isinstance(node, ast.Name) and node.id not in self.terms:
                raise ValueError(f"expr names {node.id!r}, which is not a term")
        return self


class FactSpec(BaseModel):
    """One fact of the report (see the module docstring for the three kinds).

    ``statement`` is a template: ``{value}`` is replaced by the value shown (computed for the latest
    period when there is one, else the report's), ``{period}`` by its period. ``value``/``precision``/
    ``qualifier`` are the report's figure as printed ("over 16 million" → ``>``, 16, 0)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    report_item: str
    goal: int | None = None
    section: str = ""
    statement: Text
    value: float | None = None
    value_text: str = ""
    qualifier: Qualifier = "="
    precision: int = Field(default=0, ge=0, le=6)
    unit: str = ""
    period: str = ""
    cited_source: str = ""
    compute: FactCompute | None = None
    awaits: list[str] = Field(default_factory=list)
    note: Text | None = None

    @field_validator("awaits", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> FactSpec:
        if self.compute is not None and (self.value is None or not self.period):
            raise ValueError("a computed fact states the report's value and period")
        return self

    @property
    def kind(self) -> Literal["computed", "awaiting", "narrative"]:
        """computed (has a formula), awaiting (names the live source it needs) or narrative."""
        if self.compute is not None:
            return "computed"
        return "awaiting" if self.awaits or self.value is not None else "narrative"
