"""Goals and targets: the four shared goals of the report, their targets toward 2050, and the goals
that other organisations register (the stakeholder file). Read from ``catalog/goals/`` YAML."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from usmca_monitor.model.specs import Text

Direction = Literal["increase", "decrease"]
MethodName = Literal["cagr_ratio", "linear", "un_progress_chart", "semaforo"]
Rollup = Literal["mean", "two_worst"]
# Status names shared by every progress method (best first); ``not_available`` is not ranked.
STATUSES: tuple[str, ...] = ("target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
                             "deterioration", "not_available")
FIRST_YEAR, LAST_YEAR = 1950, 2100
DEFAULT_TARGET_YEAR = 2050


class Citation(BaseModel):
    """Where a target value, a threshold or a reason comes from.

    ``text`` names the cited work in its own language (a title stays as published); ``note`` is an
    optional explanation around it, translated (e.g. "the U.S. level itself").
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str | Text  # a title stays as published (a str); a work with official translations is a Text
    url: str = ""
    note: Text | None = None

    def text_in(self, lang: str) -> str:
        """The citation as a reader sees it in ``lang``: the cited work, then the translated note."""
        work = self.text if isinstance(self.text, str) else self.text.get(lang)
        return f"{work}, {self.note.get(lang)}" if self.note else work


def _no_partner() -> list[str | None]:
    return [None]


class Selection(BaseModel):
    """Which series of the indicator a target follows: reporter geos, partners, product.

    Every combination of ``geo`` × ``partner`` is one series (e.g. geo USA, MEX, CAN → three series).
    ``subdivisions_of`` instead selects every ISO 3166-2 subdivision of those countries that the
    indicator has data for (e.g. ``[MEX, USA]``: each Mexican and U.S. state).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    geo: list[str] = Field(default_factory=lambda: ["USA"])
    partner: list[str | None] = Field(default_factory=lambda: _no_partner())
    product: str | None = None
    subdivisions_of: list[str] = Field(default_factory=list)

    @field_validator("geo", "partner", "subdivisions_of", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) or value is None else value

    @model_validator(mode="after")
    def _one_way(self) -> Selection:
        if self.subdivisions_of and "geo" in self.model_fields_set:
            raise ValueError("a selection names either geo or subdivisions_of, not both")
        return self


class Milestone(BaseModel):
    """An intermediate year to report on (the 2026 USMCA joint review, 2030, 2036)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    label: Text
    value: float | None = None


class Band(BaseModel):
    """A traffic-light band of the ``semaforo`` method: the light applies from ``min`` upwards
    (for a decrease target, from ``min`` downwards: ``at_most`` is then used)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    light: Literal["green", "yellow", "orange", "red"]
    at_least: float | None = None
    at_most: float | None = None


class MethodParams(BaseModel):
    """Options of a progress method."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    limit: float | None = None               # cagr_ratio without a target: a natural limit L
    bands: list[Band] = Field(default_factory=list)  # semaforo with thresholds
    benchmark: str | None = None             # semaforo relative to a benchmark geo
    scale: float | None = None               # linear without a target: the level a change is measured against


class Aggregate(BaseModel):
    """How country series of a target roll up into a North America value: ``simple`` or ``weighted``
    mean of the countries, ``none`` (the mean of the series), or ``states`` (the mean of every
    subdivision's score, with the share of subdivisions progressing per country)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    method: Literal["simple", "weighted", "none", "states"] = "simple"
    weights: str | None = None               # an indicator id whose latest value weights each geo (weighted)
    min_coverage: float = Field(default=2 / 3, gt=0, le=1)


class TargetSpec(BaseModel):
    """One target: an indicator and selection, a baseline, a value only where a cited source gives one
    (otherwise a desired direction only), the target year, milestones, the method, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: Text
    indicator: str | None = None
    pending: Text | None = None              # what data the target waits for, when ``indicator`` is None
    selection: Selection = Field(default_factory=Selection)
    baseline_year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)
    baseline_value: float | None = None
    target_value: float | None = None
    target_year: int = Field(default=DEFAULT_TARGET_YEAR, ge=FIRST_YEAR, le=LAST_YEAR)
    direction: Direction
    method: MethodName = "cagr_ratio"
    params: MethodParams = Field(default_factory=MethodParams)
    milestones: list[Milestone] = Field(default_factory=list)
    why: Text
    citation: Citation | None = None
    headline: bool = False
    aggregate: Aggregate = Field(default_factory=Aggregate)
    proposed: bool = False                   # proposed by this project, not by the report
    # The quantity can be negative or cross zero (a balance, a net flow): the only case for ``linear``.
    crosses_zero: bool = False

    @model_validator(mode="after")
    def _coherent(self) -> TargetSpec:
        if self.indicator is None and self.pending is None:
            raise ValueError("a target names an indicator, or says in 'pending' what data it waits for")
        if self.target_value is not None and self.citation is None:
            raise ValueError("a target value needs a citation (the source that gives it)")
        if self.baseline_year is not None and self.target_year <= self.baseline_year:
            raise ValueError("target_year must come after baseline_year")
        if (self.target_value is not None and self.baseline_value is not None
                and contradicts(self.direction, self.baseline_value, self.target_value)):
            raise ValueError(f"direction {self.direction} contradicts a target of {self.target_value} "
                             f"from a baseline of {self.baseline_value}")
        if self.method == "semaforo" and not self.params.bands and not self.params.benchmark:
            raise ValueError("the semaforo method needs params.bands or params.benchmark")
        if self.method == "linear" and not self.crosses_zero:
            raise ValueError("the linear method is for quantities that can be negative or cross zero: set "
                             "crosses_zero: true, or use cagr_ratio for a series that stays positive")
        if self.aggregate.method == "states" and not self.selection.subdivisions_of:
            raise ValueError("aggregate method 'states' needs selection.subdivisions_of")
        return self


def contradicts(direction: str, baseline: float, target: float) -> bool:
    """Whether reaching ``target`` from ``baseline`` moves against ``direction``."""
    return (target < baseline) if direction == "increase" else (target > baseline)


class GoalSpec(BaseModel):
    """One of the four shared goals, with its targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: int = Field(ge=1, le=4)
    slug: str
    name: Text
    summary: Text
    note: Text | None = None
    rollup: Rollup = "mean"
    targets: list[TargetSpec] = Field(default_factory=list)


class Contact(BaseModel):
    """Who answers for a stakeholder goal."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    url: str = ""


class Owner(BaseModel):
    """The organisation that registers goals."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    kind: Literal["business", "association", "government", "academia", "civil_society", "other"] = "other"
    country: str | None = None
    url: str = ""


class FullText(Text):
    """A text required in all three languages (a stakeholder goal is published in each)."""

    es: str
    fr: str


class StakeholderTarget(BaseModel):
    """A target of a stakeholder goal: on a catalog indicator, or on its own series in the CSV beside."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: FullText
    indicator: str | None = None
    series: str | None = None                # a series of the organisation's own CSV
    selection: Selection = Field(default_factory=Selection)
    baseline_year: int | None = None
    baseline_value: float | None = None
    target_value: float | None = None
    target_year: int = DEFAULT_TARGET_YEAR
    direction: Direction
    method: MethodName = "cagr_ratio"
    params: MethodParams = Field(default_factory=MethodParams)
    why: FullText
    citation: Citation | None = None


class StakeholderFile(BaseModel):
    """One organisation's file: owner, contact, title and description in en/es/fr, the shared goals it
    contributes to, and its targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    owner: Owner
    contact: Contact
    title: FullText
    description: FullText
    contributes_to: list[int] = Field(min_length=1)
    data: str | None = None                  # a CSV beside the YAML: series,geo,year,value,unit
    targets: list[StakeholderTarget] = Field(min_length=1)
