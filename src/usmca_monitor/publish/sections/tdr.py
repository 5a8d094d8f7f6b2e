"""The trade deficit ratio pages (Goal 4, "Who co-produces with the U.S.?"): the top five partners over
time (full years, first halves, year to date), the ranking of every partner, USMCA as a bloc against
China, the EU and ASEAN, and each partner's share of U.S. imports by HS chapter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt

from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.publish import charts, downloads, palette
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number, period_label
from usmca_monitor.publish.labels import goal_name
from usmca_monitor.publish.topics import chart_indicator
from usmca_monitor.publish.trade_data import BLOCS, ChapterFacts, TradeFacts, chapter_facts, trade_facts

PATH = "topics/tdr.html"
RANKING_PATH = "topics/tdr-partners.html"
CHAPTERS_PATH = "topics/imports-by-chapter.html"
NAV = [NavEntry(PATH, N_("Trade deficit ratios"), 40)]
GOAL_LINKS = [GoalLink(4, PATH, N_("Who co-produces with the U.S.? Trade deficit ratios")),
              GoalLink(4, RANKING_PATH, N_("Every partner ranked, and USMCA against China, the EU and ASEAN")),
              GoalLink(4, CHAPTERS_PATH, N_("Partners' shares of U.S. imports by HS chapter"))]
TABLE_ROWS = 15
REPORT_HALF = "2025-H1"  # the report's chart: "U.S. trade deficits and exports with top 5 partners — 1H 2025"
KINDS = ("A", "H1", "YTD")
# Chapters the report's sector charts draw on (shared/data/trade_product/SOURCES.md), with short names.
KEY_CHAPTERS = {"HS:84": N_("Machinery and computers"), "HS:85": N_("Electrical and electronic equipment"),
                "HS:87": N_("Vehicles and parts"), "HS:88": N_("Aircraft and parts"),
                "HS:90": N_("Optical, medical and measuring instruments"), "HS:27": N_("Mineral fuels and oils"),
                "HS:30": N_("Pharmaceutical products")}
CHAPTER_PARTNERS = ("MEX", "CAN", "CHN", "DEU", "JPN", "KOR", "TWN", "VNM", "USMCA", "EU", "ASEAN")


def write(site: SiteContext, lang: str) -> int:
    """Write the TDR pages of ``lang`` (and, once per build, their downloads)."""
    facts = trade_facts(site)
    site.cached("tdr-downloads", lambda: downloads.write_tdr_downloads(site.out / "data", facts))
    site.render(lang, "tdr.html", PATH, **_context(site.out, facts, lang, facts.latest("A")))
    site.render(lang, "tdr_partners.html", RANKING_PATH, **_ranking_context(site.out, facts, lang))
    site.render(lang, "imports_by_chapter.html", CHAPTERS_PATH,
                **_chapter_context(site.out, chapter_facts(site), facts, lang))
    return 3


def emit_charts(root: Path, lang: str, specs: list[tuple[str, str, dict[str, Any]]],
                statics: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Write PNG/SVG of each (id, title, spec) (plus extra static variants) and return the page entries."""
    locale = d3_locale(lang)
    for chart_id, spec in (statics or {}).items():
        charts.export_static(spec, root / "charts" / f"{chart_id}.{lang}", locale)
    out = []
    for chart_id, title, spec in specs:
        charts.export_static(spec, root / "charts" / f"{chart_id}.{lang}", locale)
        out.append({"id": chart_id, "title": title, "file": chart_id, "indicator": chart_indicator(chart_id),
                    "spec_json": json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")})
    return out


def configured(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """A chart with the site's font and axis style, as a Vega-Lite dict."""
    styled = chart.configure(font=charts.FONT).configure_axis(labelFontSize=12, titleFontSize=12,
                                                              gridColor="#e6e6e6").configure_view(stroke=None)
    return dict(styled.to_dict())


def _bn(value: float | None, lang: str) -> str:
    return number(None if value is None else value / 1e9, lang, 1)


def _kind_labels(facts: TradeFacts, lang: str) -> dict[str, str]:
    _ = gettext_for(lang)
    ytd = facts.latest("YTD")
    month = ytd[-2:] if ytd else "12"
    return {"A": _("Full years"), "H1": _("First halves (January–June)"),
            "YTD": _("Year to date (January–month %(month)s)") % {"month": month}}


def _series_rows(facts: TradeFacts, lang: str, partners: list[str]) -> list[dict[str, Any]]:
    """TDR per partner, year and kind of period (A, H1, YTD) for the selector chart."""
    names = load_codelists()
    rows = []
    for kind, freq, suffix in (("A", "A", ""), ("H1", "H", "H1"), ("YTD", "YTD", "")):
        for period in facts.periods.get(freq, []):
            if suffix and not period.endswith(suffix):
                continue
            for order, partner in enumerate(partners):
                value = facts.get(partner, period, "tdr")
                if value is not None:
                    rows.append({"partner_name": names.name(partner, lang), "code": partner, "year": period[:4],
                                 "kind": kind, "period": period, "period_label": period_label(period, lang),
                                 "value": value, "order": order})
    return rows


def tdr_selector_chart(rows: list[dict[str, Any]], lang: str, title: str, labels: dict[str, str],
                       default: str = "A") -> dict[str, Any]:
    """TDR lines by year with a radio button choosing full years, first halves or year to date."""
    _ = gettext_for(lang)
    kind = alt.param(name="kind", value=default, bind=alt.binding_radio(
        options=list(KINDS), labels=[labels[k] for k in KINDS], name=_("Periods") + " "))
    lines = alt.Chart(alt.Data(values=rows), title=title, width="container", height=320).mark_line(
        point=True, strokeWidth=2.5).encode(
        x=alt.X(**palette.year_axis("year", _("Year"))),
        y=alt.Y("value:Q", title=_("Trade deficit ratio (TDR)"), axis=alt.Axis(format=".1f")),
        color=alt.Color("partner_name:N", title=_("Partner"),
                        scale=alt.Scale(**palette.rows_scale(rows, "partner_name")),
                        sort=alt.EncodingSortField("order", op="min")),
        tooltip=[alt.Tooltip("partner_name:N", title=_("Partner")), alt.Tooltip("period_label:N", title=_("Period")),
                 alt.Tooltip("value:Q", title="TDR", format=".2f")],
    ).add_params(kind).transform_filter(alt.datum.kind == kind)
    rule = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#999", strokeDash=[4, 4]).encode(y="zero:Q")
    return configured(alt.layer(lines, rule))


def _context(root: Path, facts: TradeFacts, lang: str, year: str | None) -> dict[str, Any]:
    _ = gettext_for(lang)
    spec = get_spec("tdr")
    names = load_codelists()
    chart_list = []
    if year is not None:
        chart_list = _charts(root, facts, lang, year, facts.top_partners(year))
    source = facts.source
    return {
        "page_title": spec.title.get(lang), "title": spec.title.get(lang), "method": spec.method.get(lang),
        "goal_name": goal_name(4, lang),
        "top_note": _(
            "The five countries with the largest total trade (exports plus imports) with the U.S. in %(year)s, "
            "by the Census Bureau's monthly data summed over each period.") % {"year": year or "—"},
        "charts": chart_list, "vintage": facts.vintage, "source_line": source.producer,
        "table_period": year or "—", "table": _table(facts, lang, year, names) if year else [],
        "report_half_missing": REPORT_HALF not in facts.periods.get("H", []),
        "ranking_href": "tdr-partners.html", "chapters_href": "imports-by-chapter.html",
        "d3_locale_json": json.dumps(d3_locale(lang)), "sources": [_source(facts, lang)],
    }


def _source(facts: TradeFacts, lang: str) -> dict[str, Any]:
    source = facts.source
    return {"producer": source.producer, "title": source.title.get(lang), "citation": source.citation,
            "vintage": facts.vintage, "last": facts.last_month, "licence": source.licence,
            "origins": [o.model_dump() for o in facts.origins], "quirks": [q.get(lang) for q in source.quirks]}


def _charts(root: Path, facts: TradeFacts, lang: str, year: str, top: list[str]) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    labels = _kind_labels(facts, lang)
    rows = _series_rows(facts, lang, top)
    title = _("Trade deficit ratio of the top five partners of %(year)s") % {"year": year}
    specs = [("tdr-lines", title, tdr_selector_chart(rows, lang, title, labels))]
    statics = {f"tdr-lines-{kind}": tdr_selector_chart(rows, lang, f"{title} — {labels[kind]}", labels, kind)
               for kind in ("H1", "YTD")}
    for period, label in ((year, year), (facts.latest("H", "H1"), None)):
        if period is None:
            continue
        label = label or _("first half of %(year)s") % {"year": period[:4]}
        bar_rows = _bar_rows(facts, lang, period, facts.top_partners(period))
        bar_title = _("U.S. exports and trade deficit with the top five partners, %(period)s (TDR in parentheses)") % {
            "period": label}
        specs.append((f"tdr-bars-{period}", bar_title, charts.exports_deficit_bars(bar_rows, _, bar_title)))
    return emit_charts(root, lang, specs, statics)


def _bar_rows(facts: TradeFacts, lang: str, period: str, top: list[str]) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    names = load_codelists()
    rows = []
    for order, partner in enumerate(top):
        label = f"{names.name(partner, lang)} ({number(facts.get(partner, period, 'tdr'), lang, 2)})"
        exports = facts.get(partner, period, "exports") or 0.0
        balance = facts.get(partner, period, "balance") or 0.0
        rows.append({"label": label, "series": _("U.S. exports"), "series_order": 0,
                     "value_musd": exports / 1e6, "order": order})
        rows.append({"label": label, "series": _("U.S. trade deficit"), "series_order": 1,
                     "value_musd": -balance / 1e6, "order": order})
    return rows


def _row(facts: TradeFacts, lang: str, partner: str, period: str, names: Any) -> dict[str, Any]:
    """One table row: display text and the raw value (for sorting) of each column."""
    raw = {"rank": facts.get(partner, period, "rank_total_trade"), "exports": facts.get(partner, period, "exports"),
           "imports": facts.get(partner, period, "imports"), "balance": facts.get(partner, period, "balance"),
           "tdr": facts.get(partner, period, "tdr"), "share": facts.get(partner, period, "share_total_trade"),
           "yoy": facts.get(partner, period, "total_trade_yoy")}
    return {"rank": "" if raw["rank"] is None else int(raw["rank"]), "name": names.name(partner, lang),
            "code": partner, "exports": _bn(raw["exports"], lang), "imports": _bn(raw["imports"], lang),
            "balance": _bn(raw["balance"], lang), "tdr": number(raw["tdr"], lang, 2),
            "share": number(raw["share"], lang, 1), "yoy": number(raw["yoy"], lang, 1),
            "raw": {k: ("" if v is None else repr(float(v))) for k, v in raw.items()},
            "highlight": partner in {"MEX", "CAN", "USMCA"}}


def _table(facts: TradeFacts, lang: str, year: str, names: Any) -> list[dict[str, Any]]:
    shown = facts.top_partners(year, TABLE_ROWS)
    shown += [p for p in ("MEX", "CAN") if p not in shown]
    return [_row(facts, lang, partner, year, names) for partner in shown]


# ---- the ranking of every partner, and the blocs ----

def _ranking_context(root: Path, facts: TradeFacts, lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    year = facts.latest("A")
    half = facts.latest("H", "H1")
    periods = [p for p in (year, half) if p]
    tables = []
    for period in periods:
        ranked = [p for p in facts.partners() if facts.get(p, period, "rank_total_trade") is not None]
        ranked.sort(key=lambda p: facts.get(p, period, "rank_total_trade") or 0)
        tables.append({"period": period, "id": f"rank-{period}", "rows": [_row(facts, lang, p, period, names)
                                                                         for p in ranked]})
    bloc_rows = [_row(facts, lang, p, period, names) | {"period": period} for period in periods for p in BLOCS]
    labels = _kind_labels(facts, lang)
    title = _("Trade deficit ratio: USMCA partners as a bloc, China, the European Union and ASEAN")
    rows = _series_rows(facts, lang, list(BLOCS))
    chart_list = emit_charts(root, lang, [("tdr-blocs", title, tdr_selector_chart(rows, lang, title, labels))])
    return {"page_title": _("Every partner ranked"), "title": _("Who co-produces with the U.S.? Every partner ranked"),
            "goal_name": goal_name(4, lang), "charts": chart_list,
            "tables": tables, "blocs": bloc_rows, "vintage": facts.vintage, "source_line": facts.source.producer,
            "tdr_href": "tdr.html", "d3_locale_json": json.dumps(d3_locale(lang)), "sources": [_source(facts, lang)]}


# ---- partners' shares of U.S. imports by HS chapter ----

def _chapter_context(root: Path, chapters: ChapterFacts, facts: TradeFacts, lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    year = chapters.periods[-1] if chapters.periods else None
    matrix = []
    chart_list: list[dict[str, Any]] = []
    if year is not None:
        for partner in CHAPTER_PARTNERS:
            cells = [{"share_us": number(chapters.get(partner, c, year, "share_us"), lang, 1),
                      "share_partner": number(chapters.get(partner, c, year, "share_partner"), lang, 1)}
                     for c in KEY_CHAPTERS]
            matrix.append({"name": names.name(partner, lang), "cells": cells,
                           "highlight": partner in {"MEX", "CAN", "USMCA"}})
        title = _("Share of U.S. imports of the chosen HS chapter, %(year)s: the ten largest suppliers") % {
            "year": year}
        chart_list = emit_charts(root, lang, [("hs2-shares", title, _chapter_chart(chapters, lang, year, title))])
    return {"page_title": _("U.S. imports by HS chapter"), "title": _("Who supplies what? U.S. imports by HS chapter"),
            "goal_name": goal_name(4, lang), "year": year or "—",
            "chapters": [{"code": c.split(":")[1], "name": _(n)} for c, n in KEY_CHAPTERS.items()],
            "matrix": matrix, "charts": chart_list, "vintage": chapters.vintage, "badge": chapters.badge,
            "source_line": facts.source.producer, "method_us": get_spec("hs2_share_of_us_imports").method.get(lang),
            "method_partner": get_spec("hs2_share_of_partner_imports").method.get(lang),
            "d3_locale_json": json.dumps(d3_locale(lang)), "sources": [_source(facts, lang)]}


def _chapter_chart(chapters: ChapterFacts, lang: str, year: str, title: str) -> dict[str, Any]:
    """Bars of the ten largest country suppliers of a chapter, with a drop-down choosing the chapter."""
    _ = gettext_for(lang)
    names = load_codelists()
    by_chapter: dict[str, list[tuple[float, str]]] = {}
    for (partner, chapter, period), values in chapters.values.items():
        area = names.areas.get(partner)
        if period == year and area is not None and area.is_country:
            by_chapter.setdefault(chapter, []).append((values.get("share_us") or 0.0, partner))
    rows = []
    for chapter, shares in sorted(by_chapter.items()):
        for order, (share, partner) in enumerate(sorted(shares, reverse=True)[:10]):
            rows.append({"chapter": chapter.split(":")[1], "partner_name": names.name(partner, lang),
                         "value": share, "order": order, "usmca": partner in {"MEX", "CAN"},
                         "colour": partner if partner in {"MEX", "CAN"} else "ROW"})
    options = sorted({str(r["chapter"]) for r in rows})
    pick = alt.param(name="chapter", value="87" if "87" in options else options[0],
                     bind=alt.binding_select(options=options, name=_("HS chapter") + " "))
    bars = alt.Chart(alt.Data(values=rows), title=title, width="container", height=alt.Step(24)).mark_bar().encode(
        y=alt.Y("partner_name:N", title=None, sort=alt.EncodingSortField("order", op="min")),
        x=alt.X("value:Q", title=_("Share of U.S. imports of the chapter (%)"), axis=alt.Axis(format=".0f")),
        color=alt.Color("colour:N", legend=None, scale=alt.Scale(domain=["MEX", "CAN", "ROW"],
                                                                 range=palette.area_range(["MEX", "CAN", "ROW"]))),
        tooltip=[alt.Tooltip("partner_name:N", title=_("Partner")), alt.Tooltip("chapter:N", title=_("HS chapter")),
                 alt.Tooltip("value:Q", title="%", format=".1f")],
    ).add_params(pick).transform_filter(alt.datum.chapter == pick)
    return configured(bars)
