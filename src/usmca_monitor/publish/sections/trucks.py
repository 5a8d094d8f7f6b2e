"""The heavy-duty trucks page (Goal 4, "the backbone of North American trade"): production shares by
region and country, U.S. imports of medium and heavy trucks from China with growth computed, Mexico's
truck exports against U.S. auto-part exports, and the FHWA truck classes (the report's annex)."""

from __future__ import annotations

import json
from typing import Any

import altair as alt

from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.indicators.session import Session
from usmca_monitor.publish import palette
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number
from usmca_monitor.publish.labels import goal_name
from usmca_monitor.publish.sections.tdr import configured, emit_charts
from usmca_monitor.publish.trade_data import StatedFigures, chapter_facts, stated_figures
from usmca_monitor.trucks import truck_classes

PATH = "topics/trucks.html"
NAV: list[NavEntry] = []
GOAL_LINKS = [GoalLink(4, PATH, N_("Heavy-duty trucks: production, imports from China and truck classes"))]
IMPORTS = "truck_imports_china"
REGIONS = {"ASIA_OCEANIA": N_("Asia-Oceania"), "USMCA": N_("North America (USMCA)"), "USA": N_("United States")}
NA_MEMBERS = ("USA", "MEX", "CAN")
HEAVY_SCOPE = ("4", "5", "6", "7", "8")  # the report's "medium and heavy-duty trucks" (Classes 4-8)


def truck_import_table(session: Session) -> dict[str, Any]:
    """U.S. imports of medium and heavy trucks from China by year, with year-over-year growth and
    growth over the whole span, from the engine (inputs: the report's table)."""
    values = session.compute(IMPORTS, "A")
    growth = session.compute(f"{IMPORTS}_yoy", "A")
    shares = session.compute("truck_production_share_world", "A")
    level = {r["period"]: r["value"] for r in values.rows(partner="CHN")}
    yoy = {r["period"]: r["value"] for r in growth.rows(partner="CHN")}
    years = sorted(level)
    span = None
    if len(years) > 1 and level[years[0]]:
        span = 100.0 * (level[years[-1]] / level[years[0]] - 1)
    return {"years": years, "level": level, "yoy": yoy, "span": span, "badge": values.badge,
            "vintage": "; ".join(values.vintages.values()),
            "shares": {(r["geo"], r["period"]): r["value"] for r in shares.rows()}}


def write(site: SiteContext, lang: str) -> int:
    """Write the heavy-duty trucks page of ``lang``."""
    table = site.cached("truck_imports", lambda: truck_import_table(site.session))
    site.render(lang, "trucks.html", PATH, **_context(site, table, lang))
    return 1


def _context(site: SiteContext, data: dict[str, Any], lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    stated = stated_figures(site)
    classes = truck_classes()
    rows = [{"year": y, "value": number(data["level"][y], lang, 0), "yoy": number(data["yoy"].get(y), lang, 1)}
            for y in data["years"]]
    chart_list = []
    if stated is not None:
        regions = _("Medium and heavy truck production: share of world output, 2024 (%)")
        countries = _("Medium and heavy truck production in North America by country, 2024 (%)")
        chart_list = emit_charts(site.out, lang, [
            ("trucks-regions", regions, _share_chart(_region_rows(data, stated, lang), lang, regions)),
            ("trucks-na", countries, _share_chart(_na_rows(stated, lang), lang, countries))])
    chapters = chapter_facts(site)
    hs_year = chapters.periods[-1] if chapters.periods else None
    mex87 = chapters.get("MEX", "HS:87", hs_year, "imports") if hs_year else None
    return {
        "page_title": _("Heavy-duty trucks"), "title": _("Heavy-duty trucks, the backbone of North American trade"),
        "goal_name": goal_name(4, lang),
        "imports": rows, "span": number(data["span"], lang, 1), "first": data["years"][0] if data["years"] else "—",
        "last": data["years"][-1] if data["years"] else "—", "badge": data["badge"], "vintage": data["vintage"],
        "method_yoy": get_spec(f"{IMPORTS}_yoy").method.get(lang), "method_imports": get_spec(IMPORTS).method.get(lang),
        "charts": chart_list, "figures": _figures(stated, lang),
        "mex87": {"value": number(None if mex87 is None else mex87 / 1e9, lang, 1), "year": hs_year or "—",
                  "vintage": chapters.vintage},
        "classes": [{"label": classes.label(c, lang), "duty": classes.duties[c.duty].get(lang),
                     "lb": _above(c.annex_lb, lang),
                     "kg": _above(c.annex_kg, lang), "heavy": c.id in HEAVY_SCOPE} for c in classes.classes],
        "classes_source": classes.source.get(lang), "autos_href": "autos.html",
        "rules_href": "../reference/rules-of-origin.html", "d3_locale_json": json.dumps(d3_locale(lang)),
        "sources": [stated.source_block(lang)] if stated else [],
    }


def _region_rows(data: dict[str, Any], stated: StatedFigures, lang: str) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    rows = []
    for order, (geo, label) in enumerate(((g, n) for g, n in REGIONS.items() if g != "USA")):
        value = data["shares"].get((geo, "2024"))
        if value is not None:
            rows.append({"label": _(label), "value": value, "order": order})
    if rows:
        rows.append({"label": _("Rest of the world (not broken down in the report)"),
                     "value": 100.0 - sum(r["value"] for r in rows), "order": len(rows)})
    return rows


def _na_rows(stated: StatedFigures, lang: str) -> list[dict[str, Any]]:
    names = load_codelists()
    return [{"label": names.name(geo, lang), "value": value, "order": i} for i, geo in enumerate(NA_MEMBERS)
            if (value := stated.get("heavy_duty_truck_production_share", geo, "2024")) is not None]


def _share_chart(rows: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    base = alt.Chart(alt.Data(values=rows), title=title, width="container", height=alt.Step(30))
    bars = base.mark_bar(color=palette.SINGLE).encode(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", op="min")),
        x=alt.X("value:Q", title=_("Percent"), scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", title="%", format=".1f")])
    text = base.mark_text(align="left", dx=4).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField("order", op="min")), x="value:Q",
        text=alt.Text("value:Q", format=".1f"))
    return configured(alt.layer(bars, text))


def _figures(stated: StatedFigures | None, lang: str) -> dict[str, str]:
    if stated is None:
        return {}

    def get(measure: str, geo: str, scale: float = 1.0, digits: int = 0, partner: str | None = None) -> str:
        value = stated.get(measure, geo, "2024", partner)
        return number(None if value is None else value / scale, lang, digits)

    return {"world": get("global_heavy_duty_truck_production", "WLD", 1e6, 2),
            "asia": get("heavy_duty_truck_production", "ASIA_OCEANIA", 1e6, 2),
            "na": get("heavy_duty_truck_production", "USMCA"), "usa": get("heavy_duty_truck_production", "USA"),
            "mex_exports": get("heavy_medium_duty_truck_exports_mexico_us", "MEX"),
            "parts": get("us_auto_parts_exports_to_mexico", "USA", 1e9, 1),
            "demand": get("share_of_us_heavy_truck_demand_met_by_imports_from_mexico", "USA"),
            "diesel": get("us_diesel_engine_exports_to_mexico", "USA", 1e9, 1), "vintage": stated.vintage}


def _above(weights: str, lang: str) -> str:
    """An annex weight range in ``lang`` ("33,001-80,000 and above" → "33,001-80,000 o más")."""
    if weights.endswith(" and above"):
        return gettext_for(lang)("%(range)s and above") % {"range": weights.removesuffix(" and above")}
    return weights
