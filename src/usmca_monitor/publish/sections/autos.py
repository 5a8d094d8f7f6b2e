"""The auto industry page (Goal 4, "Driving North America forward"): North America's motor vehicle
production and its share of world output from OICA, growth since 2020, the report's jobs figures as
cited facts, and the weight of vehicles in U.S. imports from the USMCA partners."""

from __future__ import annotations

import json
from typing import Any

import altair as alt

from usmca_monitor.catalog import source_specs
from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.indicators.session import Session
from usmca_monitor.publish import palette
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number
from usmca_monitor.publish.labels import goal_name
from usmca_monitor.publish.sections.tdr import configured, emit_charts
from usmca_monitor.publish.trade_data import StatedFigures, chapter_facts, stated_figures, trade_facts

PATH = "topics/autos.html"
NAV = [NavEntry(PATH, N_("Autos and trucks"), 50)]
GOAL_LINKS = [GoalLink(4, PATH, N_("The auto industry: North American production, jobs and rules of origin"))]
MEMBERS = ("USA", "MEX", "CAN")
TOTAL = "OICA:TOTAL"
# The report's jobs figures: (measure in report.stated, geo, what it counts, the source the report cites).
JOBS = (("auto_industry_direct_employment", "USA", N_("direct employment (as stated in the report)"),
         N_("USTR and USITC")),
        ("auto_industry_direct_jobs", "MEX", N_("direct jobs"), "AMIA"),
        ("auto_industry_direct_and_indirect_jobs", "CAN", N_("direct and indirect jobs"),
         N_("Statistics Canada and USITC")))


def production_facts(session: Session) -> dict[str, Any]:
    """Production, share of world output and growth since 2020 by producer, type and year (OICA)."""
    out: dict[str, Any] = {"values": {}, "vintage": "", "badge": "computed"}
    for key, indicator in (("units", "vehicle_production"), ("share", "vehicle_production_share_world"),
                           ("growth", "vehicle_production_growth_2020")):
        result = session.compute(indicator, "A")
        out["vintage"] = result.vintages.get("oica", out["vintage"])
        out["badge"] = result.badge
        for row in result.rows():
            out["values"][(row["geo"], row["product"], row["period"], key)] = row["value"]
    return out


def write(site: SiteContext, lang: str) -> int:
    """Write the auto industry page of ``lang``."""
    facts = site.cached("production_facts", lambda: production_facts(site.session))
    site.render(lang, "autos.html", PATH, **_context(site, facts, lang))
    return 1


def _value(facts: dict[str, Any], geo: str, period: str, key: str, product: str = TOTAL) -> float | None:
    value: float | None = facts["values"].get((geo, product, period, key))
    return value


def _context(site: SiteContext, facts: dict[str, Any], lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    years = sorted({p for (g, prod, p, k) in facts["values"] if g == "USMCA" and prod == TOTAL and k == "units"})
    year = years[-1] if years else None
    stated = stated_figures(site)
    oica = source_specs()["oica"]
    origins = site.session.origins(facts["vintage"]) if facts["vintage"] else []
    producers = []
    if year:
        ranked = sorted(((v, g) for (g, prod, p, k), v in facts["values"].items()
                         if p == year and prod == TOTAL and k == "units" and g not in {"WLD", "USMCA"}), reverse=True)
        producers = [{"name": names.name(g, lang), "units": number(v / 1e6, lang, 2),
                      "share": number(_value(facts, g, year, "share"), lang, 1), "highlight": g in MEMBERS}
                     for v, g in ranked]
    chart_title = _("Motor vehicle production in the USMCA countries, millions of units")
    chart_list = emit_charts(site.out, lang, [("autos-production", chart_title,
                                               _production_chart(facts, lang, chart_title))])
    chapters = chapter_facts(site)
    hs_year = chapters.periods[-1] if chapters.periods else None

    def hs87(partner: str, measure: str) -> str:
        return number(chapters.get(partner, "HS:87", hs_year, measure) if hs_year else None, lang, 1)

    return {
        "page_title": _("The auto industry"), "title": _("Driving North America forward: the auto industry"),
        "goal_name": goal_name(4, lang), "year": year or "—",
        "na_units": number(None if not year else (_value(facts, "USMCA", year, "units") or 0) / 1e6, lang, 1),
        "na_share": number(_value(facts, "USMCA", year, "share") if year else None, lang, 1),
        "na_growth": number(_value(facts, "USMCA", year, "growth") if year else None, lang, 1),
        "badge": facts["badge"], "vintage": facts["vintage"], "source_line": oica.producer,
        "method_growth": get_spec("vehicle_production_growth_2020").method.get(lang),
        "method_production": get_spec("vehicle_production").method.get(lang),
        "producers": producers, "charts": chart_list,
        "report": _report(stated, lang), "jobs": _jobs(stated, lang),
        "hs87": {"year": hs_year or "—", "vintage": chapters.vintage,
                 "usmca": hs87("USMCA", "share_partner"), "world": hs87("WLD", "share_partner"),
                 "mex_share": hs87("MEX", "share_us"),
                 "source": trade_facts(site).source.producer},
        "rules_href": "../reference/rules-of-origin.html", "trucks_href": "trucks.html",
        "d3_locale_json": json.dumps(d3_locale(lang)),
        "sources": [{"producer": oica.producer, "title": oica.title.get(lang), "citation": oica.citation,
                     "vintage": facts["vintage"], "last": year or "", "licence": oica.licence,
                     "origins": [o.model_dump() for o in origins], "quirks": [q.get(lang) for q in oica.quirks]},
                    *([stated.source_block(lang)] if stated else [])],
    }


def _report(stated: StatedFigures | None, lang: str) -> dict[str, Any]:
    if stated is None:
        return {}
    units = stated.get("motor_vehicle_production_north_america", "USMCA", "2024")
    return {"units": number(None if units is None else units / 1e6, lang, 0),
            "share_trade": number(stated.get("automotive_share_of_usmca_trade", "USMCA", "2024"), lang, 0),
            "vintage": stated.vintage}


def _jobs(stated: StatedFigures | None, lang: str) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    if stated is None:
        return []
    names = load_codelists()
    rows = []
    for measure, geo, what, cited in JOBS:
        found = [r for r in stated.rows if r["measure"] == measure and r["geo"] == geo]
        for row in found:
            rows.append({"name": names.name(geo, lang), "what": _(what), "period": row["period"],
                         "value": number(row["value"], lang, 0), "cited": _(cited), "vintage": stated.vintage})
    return rows


def _production_chart(facts: dict[str, Any], lang: str, title: str) -> dict[str, Any]:
    """Stacked bars: production of the United States, Mexico and Canada per year (years all three report)."""
    _ = gettext_for(lang)
    names = load_codelists()
    years = sorted({p for (g, prod, p, k) in facts["values"] if g == "USMCA" and prod == TOTAL and k == "units"})
    rows = [{"year": y, "country": names.name(g, lang), "code": g, "order": i,
             "value": (_value(facts, g, y, "units") or 0) / 1e6}
            for y in years for i, g in enumerate(MEMBERS)]
    chart = alt.Chart(alt.Data(values=rows), title=title, width="container", height=300).mark_bar().encode(
        x=alt.X(**palette.year_axis("year", _("Year"))),
        y=alt.Y("value:Q", title=_("Millions of vehicles"), axis=alt.Axis(format=".0f")),
        color=alt.Color("country:N", title=None, scale=alt.Scale(**palette.rows_scale(rows, "country")),
                        sort=alt.EncodingSortField("order", op="min"), legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("country:N", title=_("Country")), alt.Tooltip("year:N", title=_("Year")),
                 alt.Tooltip("value:Q", title=_("Millions of vehicles"), format=".2f")],
    )
    return configured(chart)

