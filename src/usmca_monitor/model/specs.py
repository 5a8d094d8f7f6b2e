"""Declarative specs read from catalog/ YAML: sources, indicators, origins of raw files."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

LANGS: tuple[str, ...] = ("en", "es", "fr")
Freq = Literal["A", "Q", "M", "H", "YTD"]
ALL_FREQS: tuple[Freq, ...] = ("A", "H", "YTD", "Q", "M")
DEFAULT_REVISION_THRESHOLD = 0.001  # 0.1 %: below the precision the site shows most values at


class Text(BaseModel):
    """A text in the three languages; English is required, the others fall back to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str
    es: str | None = None
    fr: str | None = None

    def get(self, lang: str) -> str:
        """The text in ``lang``, English when that translation is missing."""
        value = getattr(self, lang, None) if lang in LANGS else None
        return value or self.en


class Origin(BaseModel):
    """Where a raw file came from (owid/etl's origin): enough to cite it and to check it."""

    model_config = ConfigDict(extra="forbid")
    producer: str
    title: str
    url: str
    licence: str
    citation: str
    accessed: str
    sha256: str = ""
    path: str = ""
    size: int = 0
    note: str = ""


class RawFileSpec(BaseModel):
    """A raw file an adapter reads when deriving the embedded snapshot from a folder."""

    model_config = ConfigDict(extra="forbid")
    path: str
    reader: str
    title: str
    url: str
    accessed: str
    note: str = ""
    # Files with the same ``vintage`` key become one embedded vintage ``<source>@<key>-embedded-<hash>``
    # (e.g. one per edition of a publication that re-estimates its history); keys sort oldest first.
    vintage: str = ""


class LiveQuery(BaseModel):
    """One declared call pattern of a live API (e.g. one Census endpoint at one product level).

    The adapter turns it into calls per flow and year; what each field means for the API is the
    adapter's to say (``sources/census_trade.py`` for the Census International Trade API).
    """

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    endpoint: str
    series: str
    level: str | None = None
    codes: list[str] = Field(default_factory=list)
    partners: list[str] = Field(default_factory=list)
    flows: list[str] = Field(default_factory=lambda: ["export", "import"])
    start: str | None = None
    # A bulk query (HS10 detail): one call per flow and month, streamed into the store in bounded
    # memory, and fetched only when named (``usmca update SOURCE --query NAME``).
    monthly: bool = False
    note: str = ""


class LiveSpec(BaseModel):
    """How the live API is called."""

    model_config = ConfigDict(extra="forbid")
    base_url: str
    start: str
    key_env: str | None = None
    docs: str = ""
    # Named download URLs of a source published as several files (e.g. ERS's CSVs); see the adapter.
    urls: dict[str, str] = Field(default_factory=dict)
    queries: list[LiveQuery] = Field(default_factory=list)


class SourceWords(BaseModel):
    """A source's licence and citation as a reader sees them in one language (titles stay as published)."""

    model_config = ConfigDict(extra="forbid")
    licence: str = ""
    citation: str = ""


class SeriesSpec(BaseModel):
    """What a source declares about one of its series: a description and the rules every value must
    keep at the door (``sources/validate.py``). A series declared as a plain string is a description
    with no rule (finite numbers and unique keys are always required).

    ``sign: nonnegative`` (trade values, counts) or ``positive`` (price indexes); ``min`` / ``max`` a
    range (scores 0–100); ``keys`` the observation columns beyond the key (``series, geo, partner,
    product, flow, measure, period, freq``) that tell two observations apart, e.g. ``[unit]`` for a
    series that gives the same figure in two units.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str
    sign: Literal["any", "nonnegative", "positive"] = "any"
    min: float | None = None
    max: float | None = None
    keys: list[Literal["unit", "status"]] = Field(default_factory=list)


class SourceSpec(BaseModel):
    """One publisher's dataset: a YAML file in catalog/sources/ plus the adapter module it names.
    ``series`` maps each series id to its description, or to a ``SeriesSpec`` with the rules its values keep."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: Text
    producer: str
    adapter: str
    licence: str
    citation: str
    homepage: str
    series: dict[str, str | SeriesSpec]
    live: LiveSpec | None = None
    files: list[RawFileSpec] = Field(default_factory=list)
    quirks: list[Text] = Field(default_factory=list)
    translations: dict[Literal["es", "fr"], SourceWords] = Field(default_factory=dict)

    def licence_in(self, lang: str) -> str:
        """The licence in ``lang`` (the English text when no translation is given)."""
        found = self.translations.get(lang)  # type: ignore[call-overload]
        return (found.licence if found else "") or self.licence

    def citation_in(self, lang: str) -> str:
        """The citation in ``lang`` (the English text when no translation is given)."""
        found = self.translations.get(lang)  # type: ignore[call-overload]
        return (found.citation if found else "") or self.citation

    def series_spec(self, series_id: str) -> SeriesSpec:
        """The declaration of one series (a plain description becomes a spec without rules)."""
        declared = self.series[series_id]
        return declared if isinstance(declared, SeriesSpec) else SeriesSpec(description=declared)

    def origin_for(self, raw: RawFileSpec, sha256: str, size: int) -> Origin:
        """The origin of one raw file of this source."""
        return Origin(producer=self.producer, title=raw.title, url=raw.url, licence=self.licence,
                      citation=self.citation, accessed=raw.accessed, sha256=sha256, path=raw.path,
                      size=size, note=raw.note)


class InputSpec(BaseModel):
    """One declared input of an indicator: observations of a series, or another indicator."""

    model_config = ConfigDict(extra="forbid")
    series: str | None = None
    indicator: str | None = None
    measure: str = "value"

    @model_validator(mode="after")
    def _one_kind(self) -> InputSpec:
        if (self.series is None) == (self.indicator is None):
            raise ValueError("an input names exactly one of 'series' or 'indicator'")
        return self


class Headline(BaseModel):
    """The view of an indicator shown first (its page's headline value, chart and table): one geo,
    partner and product (None where the indicator has no such breakdown) at one frequency."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    geo: str | None = "USA"
    partner: str | None = None
    product: str | None = None
    freq: Freq = "A"

    def where(self) -> dict[str, str | None]:
        """The view as column filters (``geo``, ``partner``, ``product``, ``freq``)."""
        return {"geo": self.geo, "partner": self.partner, "product": self.product, "freq": self.freq}


class IndicatorSpec(BaseModel):
    """One indicator: a YAML file in catalog/indicators/ plus the formula it names."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: Text
    unit: str
    goal: int | None = None
    direction: Literal["increase", "decrease", "none"] = "none"
    inputs: dict[str, InputSpec]
    formula: str
    params: dict[str, Any] = Field(default_factory=dict)
    freqs: list[Freq] = Field(default_factory=lambda: list(ALL_FREQS))
    method: Text
    source_note: str = ""
    report_item: str | None = None
    # A value whose relative change since the previous vintage exceeds this is marked "revised" on its page.
    revision_threshold: float = Field(default=DEFAULT_REVISION_THRESHOLD, ge=0)
    headline: Headline = Field(default_factory=Headline)
    # Ranked bars of partners show the largest partners by this indicator's latest value (e.g. a ratio
    # ranked by total trade); None: by the indicator's own values.
    rank_by: str | None = None

    def param_text(self, name: str, lang: str) -> str:
        """A text parameter in ``lang``: a param given as ``{en: …, es: …, fr: …}`` is translated (English
        when a translation is missing), a plain value is shown as it is, a missing one is ``""``."""
        value = self.params.get(name)
        if isinstance(value, dict) and "en" in value:
            return Text(**value).get(lang)
        return "" if value is None else str(value)
