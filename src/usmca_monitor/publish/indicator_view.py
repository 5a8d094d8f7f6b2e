"""What an indicator page shows, from the catalog and the session, for any spec: the headline value
and its change, the chart chosen from the data's shape, the headline view's table, the goal and
targets it serves, related indicators, the report's stated values (facts), sources, citation,
downloads and embed code. One mechanism for every spec; nothing here names an indicator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow.compute as pc

from usmca_monitor.catalog import source_of_series, source_specs
from usmca_monitor.codelists import load_codelists, product_names, read_yaml
from usmca_monitor.facts.check import FactResult
from usmca_monitor.indicators import documents
from usmca_monitor.indicators.documents import IndicatorData
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.model.specs import Headline, IndicatorSpec
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.publish.context import N_, gettext_for
from usmca_monitor.publish.i18n import LOCALES, d3_locale, number, period_label
from usmca_monitor.safety import public_origin

DIRECTIONS = {"increase": N_("Higher is better"), "decrease": N_("Lower is better"),
              "none": N_("Descriptive: no desired direction")}
FREQ_NAMES = {"A": N_("Years"), "H": N_("Halves"), "Q": N_("Quarters"), "M": N_("Months"),
              "YTD": N_("Year to date")}
UNIT_NAMES = {"percent": N_("percent"), "ratio": N_("ratio"), "USD": N_("U.S. dollars"),
              "USD_2024": N_("constant 2024 U.S. dollars"), "index_0_100": N_("index, 0 to 100"),
              "index_0_1": N_("index, 0 to 1"), "rank": N_("rank"), "units": N_("units"),
              "intl_USD_PPP": N_("international dollars (PPP)"),
              "intl_USD_2021_PPP": N_("constant 2021 international dollars (PPP)"), "score_1_5": N_("score, 1 to 5")}
SCALES = ((1e9, N_("billion")), (1e6, N_("million")), (1e3, N_("thousand")))
COUNTRIES = ("USA", "MEX", "CAN")


@dataclass
class Catalogue:
    """Every indicator of one build with its data and what links to it."""

    datas: dict[str, IndicatorData]
    why_empty: dict[str, dict[str, str]]
    marks: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    targets: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)

    @property
    def with_data(self) -> list[str]:
        """Ids of the indicators with rows, sorted."""
        return sorted(i for i, d in self.datas.items() if d.has_data)

    @property
    def without_data(self) -> list[str]:
        """Ids of the indicators without rows, sorted."""
        return sorted(i for i, d in self.datas.items() if not d.has_data)


def report_marks(results: list[FactResult]) -> dict[str, list[dict[str, Any]]]:
    """The report's stated values that fall on one value of an indicator: facts computed as a single
    term (one indicator, one geo, partner and product), with the report's value in the indicator's unit."""
    marks: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        spec = result.spec
        compute = spec.compute
        if compute is None or spec.value is None or len(compute.terms) != 1:
            continue
        name, term = next(iter(compute.terms.items()))
        single = all(isinstance(v, str | None) and v != "*" for v in (term.geo, term.partner))
        if compute.expr.strip() != name or term.indicator is None or not single or term.at or term.agg != "sum":
            continue
        from usmca_monitor.indicators.periods import parse_period

        mark = {"fact": spec.id, "geo": term.geo, "partner": term.partner, "product": term.product,
                "freq": parse_period(spec.period).freq, "period": spec.period, "value": spec.value * compute.scale,
                "qualifier": spec.qualifier, "status": result.status}
        same = [m for m in marks.get(term.indicator, []) if {k: v for k, v in m.items() if k != "fact"}
                == {k: v for k, v in mark.items() if k != "fact"}]
        if not same:  # two facts stating the same figure of the same view are one mark
            marks.setdefault(term.indicator, []).append(mark)
    return marks


def targets_by_indicator() -> dict[str, list[tuple[Any, Any]]]:
    """Indicator id → the (goal, target) pairs that follow it."""
    found: dict[str, list[tuple[Any, Any]]] = {}
    for goal in load_catalog().goals:
        for target in goal.targets:
            if target.indicator:
                found.setdefault(target.indicator, []).append((goal, target))
    return found


def related(spec: IndicatorSpec, catalogue: Catalogue, count: int = 8) -> list[str]:
    """Indicators built on this one or that it builds on, then those sharing an input series, then the
    same goal's (those with data first)."""
    specs = indicator_specs()
    series = {i.series for i in spec.inputs.values() if i.series}
    inputs = {i.indicator for i in spec.inputs.values() if i.indicator}
    scored = []
    for other in specs.values():
        if other.id == spec.id:
            continue
        other_series = {i.series for i in other.inputs.values() if i.series}
        other_inputs = {i.indicator for i in other.inputs.values() if i.indicator}
        score = (3 if other.id in inputs or spec.id in other_inputs else 0) + (2 if series & other_series else 0) \
            + (1 if other.goal == spec.goal else 0)
        if score:
            scored.append((-score, not catalogue.datas[other.id].has_data, other.id))
    return [i for *_, i in sorted(scored)[:count]]


def area_or_code(code: str | None, lang: str) -> str:
    """An area's name in ``lang`` (group names from the goals catalog first), or the code."""
    if code is None:
        return ""
    areas = load_catalog().areas
    return areas[code].get(lang) if code in areas else load_codelists().name(code, lang)


def _atp_names(lang: str) -> dict[str, str]:
    from usmca_monitor.codelists import catalog_path

    items = read_yaml(catalog_path("codelists", "atp.yaml"))["atp_categories"]
    return {f"ATP:{i['code']}": i.get(lang) or i["en"] for i in items}


def product_name(code: str | None, lang: str) -> str:
    """A product code in words where a codelist names it (HS, NAICS, ATP), else the code made readable."""
    if code is None:
        return ""
    scheme, _, rest = code.partition(":")
    if scheme == "HS":
        name = product_names("hs2022").get(rest)
    elif scheme == "NAICS":
        name = product_names("naics2017").get(rest)
    elif scheme == "ATP":
        name = _atp_names(lang).get(code)
    else:
        name = rest.replace("/", " — ").replace("_", " ").capitalize() if rest else code
        name = gettext_for(lang)(name)  # a publisher's own category (ERS food groups) in words, when translated
    return f"{name} ({code})" if name and scheme in ("HS", "NAICS") else (name or code)


def scale_of(data: IndicatorData, view: Headline) -> tuple[float, str]:
    """How values are shown: divided by a billion, million or thousand when the headline's values are
    that large (with the word for it), else as they are."""
    values = [abs(v) for _, v in documents.series_of(data, view) if v is not None]
    if data.spec.unit in ("rank",) or not values:
        return 1.0, ""
    top = max(values)
    for factor, word in SCALES:
        if top >= factor * 10:
            return factor, word
    return 1.0, ""


def decimals(data: IndicatorData, factor: float) -> int:
    """Decimals shown: none for ranks and counts, two for ratios and small indices, one otherwise."""
    unit = data.spec.unit
    if unit in ("rank",) or (unit == "units" and factor == 1.0):
        return 0
    if unit in ("ratio", "index_0_1", "score_1_5"):
        return 2 if unit != "index_0_1" else 3
    return 1 if factor != 1.0 or unit in ("percent", "index_0_100") else 2


def unit_text(spec: IndicatorSpec, lang: str, word: str = "") -> str:
    """The unit in words (with ``billion``/``million`` when values are scaled)."""
    _ = gettext_for(lang)
    base = _(UNIT_NAMES[spec.unit]) if spec.unit in UNIT_NAMES else spec.unit
    return _("%(scale)s %(unit)s") % {"scale": _(word), "unit": base} if word else base


def view_text(view: Headline | dict[str, Any], lang: str) -> str:
    """A view in words: ``United States → Mexico · Vehicles … (HS:87)``."""
    where = view.where() if isinstance(view, Headline) else view
    parts = [area_or_code(where.get("geo"), lang)]
    if where.get("partner"):
        parts[0] = f"{parts[0]} → {area_or_code(where['partner'], lang)}"
    if where.get("product"):
        parts.append(product_name(where["product"], lang))
    return " · ".join(p for p in parts if p)


def chart_kind(data: IndicatorData, view: Headline) -> str:
    """``map`` for values by ISO 3166-2 subdivision, ``bars`` for many partners, else ``lines``."""
    geos = data.distinct("geo", view.freq)
    if sum(1 for g in geos if "-" in g) >= 5:
        return "map"
    if len(data.distinct("partner", view.freq)) >= 4:
        return "bars"
    return "lines"


def change_text(latest: dict[str, Any], data: IndicatorData, lang: str, factor: float, digits: int) -> str:
    """The change from the comparable earlier period, in words."""
    _ = gettext_for(lang)
    if latest["change"] is None:
        return _("No comparable earlier value.")
    change = latest["change"] / factor
    sign = "+" if change > 0 else ""
    unit = _("percentage points") if data.spec.unit == "percent" else ""
    text = f"{sign}{number(change, lang, digits)} {unit}".strip()
    if latest.get("change_percent") is not None:
        text += f" ({'+' if latest['change_percent'] > 0 else ''}{number(latest['change_percent'], lang, 1)} %)"
    when = period_label(latest["earlier_period"], lang)
    kind = _("a year earlier") if latest["change_kind"] == "year" else _("the previous edition")
    return _("%(change)s from %(period)s (%(kind)s)") % {"change": text, "period": when, "kind": kind}


def table_rows(data: IndicatorData, view: Headline, lang: str, factor: float, digits: int) -> list[dict[str, Any]]:
    """The headline view's rows (those of the CSV), newest first, as shown and as raw values."""
    rows = data.rows(**view.where()).to_pylist()
    out = [{"period": r["period"], "period_text": period_label(r["period"], lang),
            "value_text": number(None if r["value"] is None else r["value"] / factor, lang, digits),
            "raw": "" if r["value"] is None else repr(float(r["value"])), "badge": r["badge"], "vintage": r["vintage"]}
           for r in rows]
    return sorted(out, key=lambda r: r["period"], reverse=True)


def source_blocks(session: Any, data: IndicatorData, lang: str) -> list[dict[str, Any]]:
    """The Sources block: each source with its vintage(s), data through, licence, origins and notes."""
    specs = source_specs()
    vintages = dict(data.vintages)
    if not vintages:  # no data: the sources that would fill it
        owners = source_of_series()
        vintages = {owners[i.series]: "" for i in data.spec.inputs.values() if i.series and i.series in owners}
    blocks = []
    for source_id, joined in sorted(vintages.items()):
        spec = specs[source_id]
        ids = [v for v in joined.split("; ") if v]
        blocks.append({"producer": spec.producer, "title": spec.title.get(lang), "citation": spec.citation,
                       "vintages": ids or [gettext_for(lang)("not loaded")], "licence": spec.licence,
                       "last": max((session.last_month(v) for v in ids), default=""),
                       "origins": [public_origin(o.model_dump()) for v in ids for o in session.origins(v)],
                       "quirks": [q.get(lang) for q in spec.quirks]})
    return blocks


def names_for(data: IndicatorData, lang: str) -> dict[str, str]:
    """Display names of every geo, partner and product code of the indicator."""
    names = {c: area_or_code(c, lang) for col in ("geo", "partner") for c in data.distinct(col)}
    names.update({c: product_name(c, lang) for c in data.distinct("product")})
    return names


def partner_weights(data: IndicatorData, catalogue: Catalogue | None, view: Headline) -> dict[str, float]:
    """Partner → the latest value of the spec's ``rank_by`` indicator (same geo and product, annual),
    which orders the ranked bars; empty when the spec names none."""
    ranker = catalogue.datas.get(data.spec.rank_by or "") if catalogue else None
    if ranker is None or not ranker.has_data:
        return {}
    rows = ranker.rows(freq="A", geo=view.geo)
    periods = [p for p in rows["period"].to_pylist() if p]
    if not periods:
        return {}
    latest = rows.filter(pc.equal(rows["period"], max(periods)))
    return {p: v for p, q, v in zip(latest["partner"].to_pylist(), latest["product"].to_pylist(),
                                    latest["value"].to_pylist(), strict=True) if p and q == view.product and v}


def client_config(data: IndicatorData, view: Headline, lang: str, marks: list[dict[str, Any]],
                  factor: float, word: str, digits: int, catalogue: Catalogue | None = None) -> str:
    """The JSON the page's script reads: ids, frequencies, the headline view, names, unit, marks, texts."""
    _ = gettext_for(lang)
    codelists = load_codelists()
    kinds = {c: (codelists.areas[c].kind if c in codelists.areas else "") for c in data.distinct("partner")}
    config = {
        "id": data.spec.id, "lang": lang, "locale": LOCALES[lang].replace("_", "-"), "kind": chart_kind(data, view),
        "freqs": data.freqs, "freq_names": {f: _(FREQ_NAMES[f]) for f in data.freqs}, "headline": view.where(),
        "names": names_for(data, lang), "partner_kinds": kinds, "countries": list(COUNTRIES),
        "factor": factor, "digits": digits, "unit": unit_text(data.spec, lang, word), "marks": marks,
        "title": data.spec.title.get(lang), "index_scale": data.spec.unit in ("index_0_100",),
        "weights": partner_weights(data, catalogue, view),
        "text": {"period": _("Period"), "value": _("Value"), "report": _("The report"), "no_data": _("no data"),
                 "geo": _("Geography"), "partner": _("Partner"), "product": _("Product"), "freq": _("Frequency"),
                 "from": _("From"), "to": _("To"), "at": _("Period shown"), "scale": _("Colour scale"),
                 "quantile": _("quantiles of the values shown"), "fixed": _("fixed range"),
                 "top": _("The 15 largest values"), "series": _("Over time"), "copied": _("Copied"),
                 "top_by": _("The 15 largest partners by %(indicator)s") % {
                     "indicator": indicator_specs()[data.spec.rank_by].title.get(lang) if data.spec.rank_by
                     in indicator_specs() else ""},
                 "agrees": _("agrees with the report"), "diverges": _("differs from the report")},
        "d3": d3_locale(lang),
    }
    return json.dumps(config, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
