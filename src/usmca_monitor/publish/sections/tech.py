"""The advanced-technology page (Goal 3, "the technological future is being built in North America"):
the U.S. Advanced Technology Products (ATP) trade balance and its split by the ten ATP categories, the
report's table of ICT imports by country (both quoted from the report until the Census ``hitech``
endpoint is wired), and partner shares of U.S. imports in HS chapters 84 and 85, computed from the
shipped HS2 data as named proxies for NAICS 334 (computers and electronics) and 335 (electrical
equipment)."""

from __future__ import annotations

import json
from typing import Any

import altair as alt

from usmca_monitor.codelists import catalog_path, hs6_to_naics, load_codelists, product_names, read_yaml
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.publish import charts
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number
from usmca_monitor.publish.sections.tdr import configured, emit_charts
from usmca_monitor.publish.trade_data import StatedFigures, chapter_facts, stated_figures, trade_facts

PATH = "indicators/tech.html"
NAV = [NavEntry(PATH, N_("Technology"), 46)]
GOAL_LINKS = [GoalLink(3, PATH, N_("Advanced technology: ATP trade, ICT imports and electronics supply chains"))]
# The ATP categories whose balance the report states for January-June 2025 (report.stated measure).
CATEGORY_FIGURES = {"08": "us_atp_aerospace_balance_ytd_june", "04": "us_atp_ict_balance_ytd_june"}
TOTAL_H1 = "us_atp_trade_balance_ytd_june"
ICT = "us_ict_imports_ytd_june"
# HS chapters used as proxies for NAICS subsectors until NAICS data is fetched.
PROXIES = (("HS:85", "NAICS 334/335", N_("Electrical machinery and electronics (HS 85)")),
           ("HS:84", "NAICS 333/334", N_("Machinery and computers (HS 84)")))
PARTNERS = ("MEX", "CAN", "CHN", "TWN", "VNM", "JPN", "KOR", "DEU")


def atp_categories() -> list[dict[str, str]]:
    """The ten ATP categories (``code``, ``en``, ``es``, ``fr``) from catalog/codelists/atp.yaml."""
    items: list[dict[str, str]] = read_yaml(catalog_path("codelists", "atp.yaml"))["atp_categories"]
    return items


def proxy_coverage(chapter: str, naics_prefixes: tuple[str, ...]) -> tuple[int, int]:
    """(subheadings of HS ``chapter`` that map to a NAICS industry starting with one of
    ``naics_prefixes``, all subheadings of the chapter in the HS 2022 → NAICS concordance)."""
    mapping = {hs6: codes for hs6, codes in hs6_to_naics().items() if hs6.startswith(chapter)}
    inside = sum(1 for codes in mapping.values() if any(c.startswith(naics_prefixes) for c in codes))
    return inside, len(mapping)


def write(site: SiteContext, lang: str) -> int:
    """Write the advanced-technology page of ``lang``."""
    site.render(lang, "tech.html", PATH, **_context(site, lang))
    return 1


def _bn(value: float | None, lang: str) -> str:
    return number(None if value is None else value / 1e9, lang, 1)


def _context(site: SiteContext, lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    stated = stated_figures(site)
    chapters = chapter_facts(site)
    year = chapters.periods[-1] if chapters.periods else None
    categories = _categories(stated, lang)
    balance_title = _("U.S. ATP trade balance by category, January-June 2025, USD billion")
    share_title = _("Share of U.S. imports by partner, HS chapters 84 and 85, %(year)s (%%)") % {"year": year or "—"}
    specs = [("tech-atp-balance", balance_title, _balance_chart(categories, lang, balance_title))
             ] if any(c["value"] is not None for c in categories) else []
    if year:  # no HS2 data in the store: no chart (an empty chart cannot be drawn)
        specs.append(("tech-hs-shares", share_title, _share_chart(chapters, lang, year, share_title)))
    names = load_codelists()
    proxies = [{"chapter": c.split(":")[1], "naics": naics, "label": _(label),
                "hs_name": product_names("hs2022").get(c.split(":")[1], ""),
                "coverage": proxy_coverage(c.split(":")[1], ("334", "335")),
                "rows": [{"name": names.name(p, lang), "share": number(chapters.get(p, c, year, "share_us"), lang, 1)}
                         for p in (*PARTNERS, "USMCA")]} for c, naics, label in PROXIES] if year else []
    return {
        "page_title": _("Advanced technology"), "title": _("The technological future is being built in North America"),
        "goal_name": _("Sectoral, strategic and infrastructure investment"),
        "total_2024": _bn(stated.get("us_atp_trade_balance", "USA", "2024") if stated else None, lang),
        "total_h1": _bn(stated.get(TOTAL_H1, "USA", "2025-H1") if stated else None, lang),
        "categories": categories, "ict": _ict(stated, lang), "proxies": proxies, "year": year or "—",
        "charts": {c["id"]: c for c in emit_charts(site.out, lang, specs)},
        "stated_vintage": stated.vintage if stated else "", "hs_vintage": chapters.vintage, "hs_badge": chapters.badge,
        "hs_source": trade_facts(site).source.producer,
        "method_share": get_spec("hs2_share_of_us_imports").method.get(lang),
        "d3_locale_json": json.dumps(d3_locale(lang)),
        "sources": [*([stated.source_block(lang)] if stated else []), _trade_source(site, lang)],
    }


def _trade_source(site: SiteContext, lang: str) -> dict[str, Any]:
    facts = chapter_facts(site)
    src = trade_facts(site).source
    return {"producer": src.producer, "title": src.title.get(lang), "citation": src.citation, "vintage": facts.vintage,
            "last": facts.periods[-1] if facts.periods else "", "licence": src.licence,
            "origins": [o.model_dump() for o in site.store.warehouse.origins(facts.vintage)] if facts.vintage else [],
            "quirks": [q.get(lang) for q in src.quirks]}


def _categories(stated: StatedFigures | None, lang: str) -> list[dict[str, Any]]:
    """The ten categories, with the report's January-June 2025 balance where it states one."""
    rows = []
    for item in atp_categories():
        measure = CATEGORY_FIGURES.get(item["code"])
        value = stated.get(measure, "USA", "2025-H1") if stated and measure else None
        rows.append({"code": item["code"], "name": item.get(lang) or item["en"], "value": value,
                     "shown": _bn(value, lang)})
    return rows


def _ict(stated: StatedFigures | None, lang: str) -> list[dict[str, Any]]:
    if stated is None:
        return []
    names = load_codelists()
    partners = sorted({r["partner"] for r in stated.rows if r["measure"] == ICT and r["partner"]},
                      key=lambda p: -(stated.get(ICT, "USA", "2025-H1", p) or 0))
    return [{"name": names.name(p, lang), "imports": _bn(stated.get(ICT, "USA", "2025-H1", p), lang),
             "yoy": number(stated.get(f"{ICT}_yoy", "USA", "2025-H1", p), lang, 0),
             "balance": _bn(stated.get(f"{ICT}_balance", "USA", "2025-H1", p), lang)} for p in partners]


def _balance_chart(categories: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    """Diverging bars: surplus (right) and deficit (left) of each category the report states."""
    _ = gettext_for(lang)
    rows = [{"name": c["name"], "value": c["value"] / 1e9, "sign": _("surplus") if c["value"] > 0 else _("deficit")}
            for c in categories if c["value"] is not None]
    chart = alt.Chart(alt.Data(values=rows), width="container", height=60 * max(len(rows), 1)).mark_bar().encode(
        y=alt.Y("name:N", title=None, sort="x", axis=alt.Axis(labelLimit=280)),
        x=alt.X("value:Q", title=_("USD billion"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("sign:N", title=None, scale=alt.Scale(range=[charts.PALETTE[1], charts.PALETTE[2]]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:N", title=_("Category")),
                 alt.Tooltip("value:Q", title=_("USD billion"), format=",.1f")],
    )
    rule = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#999").encode(x="zero:Q")
    return configured(alt.layer(chart, rule, title=title))


def _share_chart(chapters: Any, lang: str, year: str | None, title: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    rows = [{"partner": names.name(p, lang), "chapter": f"HS {c.split(':')[1]}", "order": i,
             "value": chapters.get(p, c, year, "share_us")}
            for i, p in enumerate(PARTNERS) for c, _n, _l in PROXIES
            if year and chapters.get(p, c, year, "share_us") is not None]
    chart = alt.Chart(alt.Data(values=rows), title=title, width="container", height=alt.Step(16)).mark_bar().encode(
        y=alt.Y("partner:N", title=None, sort=alt.EncodingSortField("order", op="min")),
        yOffset=alt.YOffset("chapter:N"),
        x=alt.X("value:Q", title=_("Percent of U.S. imports of the chapter"), axis=alt.Axis(format=".0f")),
        color=alt.Color("chapter:N", title=None, scale=alt.Scale(range=charts.PALETTE[:2]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("partner:N", title=_("Partner")), alt.Tooltip("chapter:N", title=_("Chapter")),
                 alt.Tooltip("value:Q", title=_("Percent of U.S. imports of the chapter"), format=".1f")],
    )
    return configured(chart)
