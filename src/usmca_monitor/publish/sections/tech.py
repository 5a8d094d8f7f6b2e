"""The advanced-technology page (Goal 3, "the technological future is being built in North America"):
the U.S. Advanced Technology Products (ATP) trade balance by year and by the ten ATP categories, the
report's table of ICT imports by country, and partner shares of U.S. imports of NAICS 334 (computers
and electronics) and 335 (electrical equipment).

Series by series the page uses computed data when the store has it and says which it uses:
``census.trade.hitech`` (ATP by category and country) replaces the report's figures, which stay beside
the computed values with a divergence marker when a computed value does not round to the report's at
the report's precision; the NAICS shares come from ``census.trade.naics`` when present, else from
``census.trade.hs6`` through the HS 2022 → NAICS concordance, else HS chapters 84 and 85 of the shipped
HS2 data are shown as named proxies. Without product data the page shows the report's figures (report
badge) and the proxies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import altair as alt

from usmca_monitor.codelists import catalog_path, hs6_to_naics, load_codelists, product_names, read_yaml
from usmca_monitor.indicators.formulas.tech import ATP_TOTAL, UNMAPPED
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.indicators.session import Session
from usmca_monitor.publish import palette
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number, period_label
from usmca_monitor.publish.labels import goal_name
from usmca_monitor.publish.sections.tdr import configured, emit_charts
from usmca_monitor.publish.trade_data import StatedFigures, chapter_facts, stated_figures, trade_facts

PATH = "topics/tech.html"
NAV = [NavEntry(PATH, N_("Technology"), 46)]
GOAL_LINKS = [GoalLink(3, PATH, N_("Advanced technology: ATP trade, ICT imports and electronics supply chains"))]
# The ATP categories whose balance the report states for January-June 2025 (report.stated measure).
CATEGORY_FIGURES = {"08": "us_atp_aerospace_balance_ytd_june", "04": "us_atp_ict_balance_ytd_june"}
TOTAL_H1 = "us_atp_trade_balance_ytd_june"
ICT = "us_ict_imports_ytd_june"
REPORT_PERIOD = "2025-H1"  # the report's January-June 2025
# HS chapters used as proxies for NAICS subsectors until NAICS data is fetched.
PROXIES = (("HS:85", "NAICS 334/335", N_("Electrical machinery and electronics (HS 85)")),
           ("HS:84", "NAICS 333/334", N_("Machinery and computers (HS 84)")))
PARTNERS = ("MEX", "CAN", "CHN", "TWN", "VNM", "JPN", "KOR", "DEU")
SUBSECTORS = ("NAICS:334", "NAICS:335")
# Product series → the (indicator, frequency) pairs the page computes from it.
SERIES = {"census.trade.hitech": (("atp_balance", "A"), ("atp_balance", "YTD"), ("atp_balance", "H"),
                                  ("atp_ict_imports", "H"), ("atp_ict_imports_yoy", "H"), ("atp_ict_balance", "H")),
          "census.trade.naics": (("naics_share_of_us_imports", "A"),),
          "census.trade.hs6": (("hs6_naics_share_of_us_imports", "A"), ("hs6_naics_imports", "A"),
                               ("hs6_naics_left_out", "A"))}


@dataclass
class TechData:
    """Computed technology indicators found in the store, by ``indicator@freq`` then (partner, product,
    period); an indicator whose input series has no rows is absent."""

    values: dict[str, dict[tuple[str, str, str], float | None]] = field(default_factory=dict)
    vintages: dict[str, str] = field(default_factory=dict)  # series id → the vintage it was read from
    badge: str = "computed"
    series: set[str] = field(default_factory=set)
    hs6_codes: set[str] = field(default_factory=set)  # the six-digit subheadings the HS6 series holds

    def vintage(self, series_id: str) -> str:
        """The vintage ``series_id`` was read from ('' when absent)."""
        return self.vintages.get(series_id, "")

    def get(self, key: str, partner: str, product: str, period: str) -> float | None:
        """One value, or None."""
        return self.values.get(key, {}).get((partner, product, period))

    def periods(self, key: str, partner: str = "WLD", product: str | None = None) -> list[str]:
        """The periods of ``key`` with a value for ``partner`` (and ``product``), in order."""
        return sorted({p for (who, prod, p), v in self.values.get(key, {}).items()
                       if who == partner and (product is None or prod == product) and v is not None})

    def partners(self, key: str, product: str, period: str) -> list[str]:
        """Every partner with a value of ``product`` in ``period``."""
        return sorted({who for (who, prod, p), v in self.values.get(key, {}).items()
                       if prod == product and p == period and v is not None})


def collect_tech(session: Session) -> TechData:
    """Compute the technology indicators whose product series has rows in the store (geo USA)."""
    data = TechData()
    for series_id, wanted in SERIES.items():
        vintage = session.series_vintage(series_id)
        if vintage is None or not vintage.holds(series_id):
            continue
        data.series.add(series_id)
        data.vintages[series_id] = vintage.vintage
        if series_id == "census.trade.hs6":
            data.hs6_codes = {p[3:] for p in session.distinct(series_id, "product")}
        for indicator, freq in wanted:
            result = session.compute(indicator, freq)
            data.badge = result.badge if result.badge == "report" else data.badge
            data.values[f"{indicator}@{freq}"] = {(r["partner"], r["product"], r["period"]): r["value"]
                                                  for r in result.rows(geo="USA")}
    return data


def tech_data(site: SiteContext) -> TechData:
    """The technology indicators of this build (computed once)."""
    return site.cached("tech_data", lambda: collect_tech(site.session))


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


def verdict(computed: float | None, report: float | None, scale: float, digits: int) -> str | None:
    """``agrees`` when ``computed`` rounds to the report's figure at the report's precision (``digits``
    decimals after dividing by ``scale``), ``diverges`` when not, None when either is missing."""
    if computed is None or report is None:
        return None
    return "agrees" if round(computed / scale, digits) == round(report / scale, digits) else "diverges"


def write(site: SiteContext, lang: str) -> int:
    """Write the advanced-technology page of ``lang``."""
    site.render(lang, "tech.html", PATH, **_context(site, lang))
    return 1


def _bn(value: float | None, lang: str) -> str:
    return number(None if value is None else value / 1e9, lang, 1)


def _cell(computed: float | None, report: float | None, lang: str, scale: float = 1e9,
          digits: int = 1) -> dict[str, Any]:
    """A computed value beside the report's figure, both shown at the report's precision (``digits``
    decimals of ``scale``), with the verdict."""

    def shown(v: float | None) -> str:
        return number(None if v is None else v / scale, lang, digits)

    return {"computed": shown(computed), "has": computed is not None,
            "report": shown(report) if report is not None else "", "verdict": verdict(computed, report, scale, digits)}


def _context(site: SiteContext, lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    stated = stated_figures(site)
    data = tech_data(site)
    hitech = "census.trade.hitech" in data.series
    context: dict[str, Any] = {
        "page_title": _("Advanced technology"), "title": _("The technological future is being built in North America"),
        "goal_name": goal_name(3, lang),
        "stated_vintage": stated.vintage if stated else "", "tech_badge": data.badge,
        "hitech_vintage": data.vintage("census.trade.hitech"),
        "hitech": hitech, "d3_locale_json": json.dumps(d3_locale(lang)),
        "total_2024": _bn(stated.get("us_atp_trade_balance", "USA", "2024") if stated else None, lang),
        "total_h1": _bn(stated.get(TOTAL_H1, "USA", REPORT_PERIOD) if stated else None, lang),
    }
    specs: list[tuple[str, str, dict[str, Any]]] = []
    if hitech:
        context.update(_atp_computed(data, stated, lang, specs))
    else:
        context["categories"] = _categories(stated, lang)
        title = _("U.S. ATP trade balance by category, January-June 2025, USD billion")
        if any(c["value"] is not None for c in context["categories"]):
            specs.append(("tech-atp-balance", title, _balance_chart(context["categories"], lang, title)))
        context["ict"] = _ict(stated, lang)
    context.update(_naics(site, data, lang, specs))
    context["charts"] = {c["id"]: c for c in emit_charts(site.out, lang, specs)}
    context["sources"] = [*([stated.source_block(lang)] if stated else []), _trade_source(site, lang, data)]
    return context


def _trade_source(site: SiteContext, lang: str, data: TechData) -> dict[str, Any]:
    facts = chapter_facts(site)
    src = trade_facts(site).source
    vintage = next(iter(sorted(data.vintages.values(), reverse=True)), facts.vintage)
    return {"producer": src.producer, "title": src.title.get(lang), "citation": src.citation, "vintage": vintage,
            "last": "", "licence": src.licence,
            "origins": [o.model_dump() for o in site.session.origins(vintage)] if vintage else [],
            "quirks": [q.get(lang) for q in src.quirks]}


def _categories(stated: StatedFigures | None, lang: str) -> list[dict[str, Any]]:
    """The ten categories, with the report's January-June 2025 balance where it states one."""
    rows = []
    for item in atp_categories():
        measure = CATEGORY_FIGURES.get(item["code"])
        value = stated.get(measure, "USA", REPORT_PERIOD) if stated and measure else None
        rows.append({"code": item["code"], "name": item.get(lang) or item["en"], "value": value,
                     "shown": _bn(value, lang)})
    return rows


def _ict(stated: StatedFigures | None, lang: str) -> list[dict[str, Any]]:
    if stated is None:
        return []
    names = load_codelists()
    partners = sorted({r["partner"] for r in stated.rows if r["measure"] == ICT and r["partner"]},
                      key=lambda p: -(stated.get(ICT, "USA", REPORT_PERIOD, p) or 0))
    return [{"name": names.name(p, lang), "imports": _bn(stated.get(ICT, "USA", REPORT_PERIOD, p), lang),
             "yoy": number(stated.get(f"{ICT}_yoy", "USA", REPORT_PERIOD, p), lang, 0),
             "balance": _bn(stated.get(f"{ICT}_balance", "USA", REPORT_PERIOD, p), lang)} for p in partners]


def _atp_computed(data: TechData, stated: StatedFigures | None, lang: str,
                  specs: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """The ATP section from ``census.trade.hitech``: the balance by year, the ten categories in the latest
    full year and year-to-date, the report's figures beside the computed ones, and the ICT table."""
    _ = gettext_for(lang)
    years = data.periods("atp_balance@A", "WLD", ATP_TOTAL)
    year, ytd = (years[-1] if years else None), max(data.periods("atp_balance@YTD", "WLD", ATP_TOTAL), default=None)

    def report(measure: str | None, period: str) -> float | None:
        return stated.get(measure, "USA", period) if stated and measure else None

    h1 = data.get("atp_balance@H", "WLD", ATP_TOTAL, REPORT_PERIOD)
    figures = [{"label": _("USD billion: U.S. ATP trade balance in %(period)s") % {"period": period_label(p, lang)},
                **cell}
               for p, cell in ((year, _cell(data.get("atp_balance@A", "WLD", ATP_TOTAL, year or ""), None, lang)),
                               (ytd, _cell(data.get("atp_balance@YTD", "WLD", ATP_TOTAL, ytd or ""), None, lang)))
               if p]
    checks = [{"label": _("U.S. ATP trade balance in 2024, USD billion"), **_cell(
                   data.get("atp_balance@A", "WLD", ATP_TOTAL, "2024"), report("us_atp_trade_balance", "2024"), lang)},
              {"label": _("U.S. ATP trade balance, January-June 2025, USD million"), **_cell(
                   h1, report(TOTAL_H1, REPORT_PERIOD), lang=lang, scale=1e6, digits=1)}]
    rows = []
    for item in atp_categories():
        code, measure = f"ATP:{item['code']}", CATEGORY_FIGURES.get(item["code"])
        rows.append({"code": item["code"], "name": item.get(lang) or item["en"],
                     "year": _bn(data.get("atp_balance@A", "WLD", code, year or ""), lang),
                     "ytd": _bn(data.get("atp_balance@YTD", "WLD", code, ytd or ""), lang),
                     **_cell(data.get("atp_balance@H", "WLD", code, REPORT_PERIOD),
                             report(measure, REPORT_PERIOD), lang)})
    _atp_charts(data, lang, years, (year, ytd), specs)
    return {"atp_year": year or "—", "atp_ytd": period_label(ytd, lang) if ytd else "—", "atp_figures": figures,
            "atp_checks": checks, "atp_rows": rows, **_ict_computed(data, stated, lang)}


def _atp_charts(data: TechData, lang: str, years: list[str], latest: tuple[str | None, str | None],
                specs: list[tuple[str, str, dict[str, Any]]]) -> None:
    _ = gettext_for(lang)
    by_year = [{"name": y, "value": (data.get("atp_balance@A", "WLD", ATP_TOTAL, y) or 0) / 1e9} for y in years]
    if by_year:
        title = _("U.S. ATP trade balance by year, USD billion")
        specs.append(("tech-atp-by-year", title, _year_chart(by_year, lang, title)))
    names = {f"ATP:{i['code']}": f"{i['code']} {i.get(lang) or i['en']}" for i in atp_categories()}
    for chart_id, key, period in (("tech-atp-cats-year", "atp_balance@A", latest[0]),
                                  ("tech-atp-cats-ytd", "atp_balance@YTD", latest[1])):
        if period is None:
            continue
        rows = [{"name": name, "value": value} for code, name in names.items()
                if (value := data.get(key, "WLD", code, period)) is not None]
        title = _("U.S. ATP trade balance by category, %(period)s, USD billion") % {
            "period": period_label(period, lang)}
        specs.append((chart_id, title, _balance_chart(rows, lang, title)))


def _ict_computed(data: TechData, stated: StatedFigures | None, lang: str) -> dict[str, Any]:
    """The ICT table from ATP 04: the report's partners and the six largest suppliers computed, in the
    report's period when the store has it (else the latest January-June), the report's figures beside."""
    h1s = [p for p in data.periods("atp_ict_imports@H", "WLD") if p.endswith("-H1")]
    period = REPORT_PERIOD if REPORT_PERIOD in h1s else (h1s[-1] if h1s else None)
    if period is None:
        return {"ict_period": "—", "ict_rows": []}
    areas = load_codelists().areas
    same = period == REPORT_PERIOD

    def value(key: str, partner: str) -> float | None:
        return data.get(key, partner, "ATP:04", period)

    def report(measure: str, partner: str) -> float | None:
        return stated.get(measure, "USA", REPORT_PERIOD, partner) if stated and same else None

    countries = [p for p in data.partners("atp_ict_imports@H", "ATP:04", period)
                 if p in areas and areas[p].is_country]
    top = sorted(countries, key=lambda p: -(value("atp_ict_imports@H", p) or 0))[:6]
    reported = sorted({r["partner"] for r in stated.rows if r["measure"] == ICT and r["partner"]}) if stated else []
    rows = [{"code": p, "name": areas[p].name(lang) if p in areas else p,
             "imports": _cell(value("atp_ict_imports@H", p), report(ICT, p), lang),
             "yoy": _cell(value("atp_ict_imports_yoy@H", p), report(f"{ICT}_yoy", p), lang, 1.0, 0),
             "balance": _cell(value("atp_ict_balance@H", p), report(f"{ICT}_balance", p), lang)}
            for p in sorted(set(top) | set(reported), key=lambda p: -(value("atp_ict_imports@H", p) or 0))]
    return {"ict_period": period_label(period, lang), "ict_rows": rows, "ict_same_period": same}


def _naics(site: SiteContext, data: TechData, lang: str,
           specs: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """The NAICS 334/335 shares: from NAICS data, else from HS6 via the concordance, else the HS 84/85 proxies."""
    _ = gettext_for(lang)
    for series_id, mode, key in (("census.trade.naics", "naics", "naics_share_of_us_imports@A"),
                                 ("census.trade.hs6", "hs6", "hs6_naics_share_of_us_imports@A")):
        years = data.periods(key) if series_id in data.series else []
        if years:
            year = years[-1]
            title = _("Share of U.S. imports by partner, NAICS 334 and 335, %(year)s (%%)") % {"year": year}
            partners = _naics_partners(data, key, year)
            rows = [{"partner": load_codelists().name(p, lang), "group": prod.replace(":", " "), "order": i,
                     "value": data.get(key, p, prod, year)} for i, p in enumerate(partners) for prod in SUBSECTORS
                    if data.get(key, p, prod, year) is not None]
            specs.append(("tech-naics-shares", title, _grouped_chart(rows, lang, title, _("Percent of U.S. imports"),
                                                                         _("Subsector"))))
            tables = [{"product": prod, "name": product_names("naics2017").get(prod[6:], ""),
                       "rows": [{"name": load_codelists().name(p, lang), "share": number(data.get(key, p, prod, year),
                                                                                        lang, 1)}
                                for p in (*partners, "USMCA") if data.get(key, p, prod, year) is not None]}
                      for prod in SUBSECTORS]
            return {"naics_mode": mode, "year": year, "naics_vintage": data.vintage(series_id),
                    "naics_tables": tables, "proxies": [],
                    "left_out": _left_out(data, year, lang) if mode == "hs6" else [],
                    "method_share": get_spec(key.split("@")[0]).method.get(lang)}
    return {"naics_mode": "proxy", **_proxies(site, lang, specs)}


def _naics_partners(data: TechData, key: str, year: str, count: int = 8) -> list[str]:
    """The usual partners (``PARTNERS``) and the ``count`` largest country suppliers of either subsector,
    largest first (by their larger share)."""
    areas = load_codelists().areas
    found = {p for prod in SUBSECTORS for p in data.partners(key, prod, year) if p in areas and areas[p].is_country}

    def size(partner: str) -> float:
        return max((data.get(key, partner, prod, year) or 0.0) for prod in SUBSECTORS)

    top = sorted(found, key=size, reverse=True)[:count]
    return sorted(set(top) | (set(PARTNERS) & found), key=size, reverse=True)


def _left_out(data: TechData, year: str, lang: str) -> list[dict[str, Any]]:
    """Per subsector, the U.S. imports (all countries) of subheadings mapped to it only in part, and their
    share of the subsector plus that value; and the imports of subheadings the concordance does not list."""
    out = []
    for prod in (*SUBSECTORS, UNMAPPED):
        left = data.get("hs6_naics_left_out@A", "WLD", prod, year) or 0.0
        inside = data.get("hs6_naics_imports@A", "WLD", prod, year)
        share = 100.0 * left / (inside + left) if inside is not None and inside + left else None
        inside_codes = [hs6 for hs6, codes in hs6_to_naics().items()
                        if codes and all(c.startswith(prod[6:]) for c in codes)] if prod != UNMAPPED else []
        out.append({"product": prod.replace(":", " "), "value": _bn(left, lang), "share": number(share, lang, 1),
                    "unmapped": prod == UNMAPPED, "all": len(inside_codes),
                    "held": sum(1 for code in inside_codes if code in data.hs6_codes)})
    return out


def _proxies(site: SiteContext, lang: str, specs: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """HS chapters 84 and 85 (shipped HS2 data) as named proxies for NAICS 334/335."""
    _ = gettext_for(lang)
    chapters = chapter_facts(site)
    year = chapters.periods[-1] if chapters.periods else None
    if year is None:  # no HS2 data in the store: no chart (an empty chart cannot be drawn)
        return {"proxies": [], "year": "—", "method_share": get_spec("hs2_share_of_us_imports").method.get(lang)}
    title = _("Share of U.S. imports by partner, HS chapters 84 and 85, %(year)s (%%)") % {"year": year}
    names = load_codelists()
    rows = [{"partner": names.name(p, lang), "group": f"HS {c.split(':')[1]}", "order": i,
             "value": chapters.get(p, c, year, "share_us")}
            for i, p in enumerate(PARTNERS) for c, _n, _l in PROXIES
            if chapters.get(p, c, year, "share_us") is not None]
    axis = _("Percent of U.S. imports of the chapter")
    specs.append(("tech-hs-shares", title, _grouped_chart(rows, lang, title, axis, _("Chapter"))))
    proxies = [{"chapter": c.split(":")[1], "naics": naics, "label": _(label),
                "hs_name": product_names("hs2022").get(c.split(":")[1], ""),
                "coverage": proxy_coverage(c.split(":")[1], ("334", "335")),
                "rows": [{"name": names.name(p, lang), "share": number(chapters.get(p, c, year, "share_us"), lang, 1)}
                         for p in (*PARTNERS, "USMCA")]} for c, naics, label in PROXIES]
    return {"proxies": proxies, "year": year, "hs_vintage": chapters.vintage, "hs_badge": chapters.badge,
            "hs_source": trade_facts(site).source.producer,
            "method_share": get_spec("hs2_share_of_us_imports").method.get(lang)}


def _balance_chart(categories: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    """Diverging bars: surplus (right) and deficit (left) of each category (``value`` in USD)."""
    _ = gettext_for(lang)
    rows = [{"name": c["name"], "value": c["value"] / 1e9,
             "sign": _("surplus") if c["value"] > 0 else _("deficit")}
            for c in categories if c["value"] is not None]
    chart = alt.Chart(alt.Data(values=rows), width="container", height=30 * max(len(rows), 4)).mark_bar().encode(
        y=alt.Y("name:N", title=None, sort="x", axis=alt.Axis(labelLimit=280)),
        x=alt.X("value:Q", title=_("USD billion"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("sign:N", title=None, scale=alt.Scale(**palette.series_scale([_("surplus"), _("deficit")])),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:N", title=_("Category")),
                 alt.Tooltip("value:Q", title=_("USD billion"), format=",.1f")],
    )
    rule = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#999").encode(x="zero:Q")
    return configured(alt.layer(chart, rule, title=title))


def _year_chart(rows: list[dict[str, Any]], lang: str, title: str) -> dict[str, Any]:
    """Columns: the ATP balance (all countries, all ten categories) of each full year in the store."""
    _ = gettext_for(lang)
    rows = [{**r, "sign": _("surplus") if r["value"] > 0 else _("deficit")} for r in rows]
    chart = alt.Chart(alt.Data(values=rows), title=title, width="container", height=260).mark_bar(size=32).encode(
        x=alt.X("name:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=_("USD billion"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("sign:N", title=None, scale=alt.Scale(**palette.series_scale([_("surplus"), _("deficit")])),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:O", title=_("Year")), alt.Tooltip("value:Q", title=_("USD billion"), format=",.1f")],
    )
    return configured(chart)


def _grouped_chart(rows: list[dict[str, Any]], lang: str, title: str, axis: str, group: str) -> dict[str, Any]:
    """Horizontal bars by partner, one bar per group (HS chapter or NAICS subsector)."""
    _ = gettext_for(lang)
    chart = alt.Chart(alt.Data(values=rows), title=title, width="container", height=alt.Step(16)).mark_bar().encode(
        y=alt.Y("partner:N", title=None, sort=alt.EncodingSortField("order", op="min")),
        yOffset=alt.YOffset("group:N"),
        x=alt.X("value:Q", title=axis, axis=alt.Axis(format=".0f")),
        color=alt.Color("group:N", title=None, scale=alt.Scale(range=palette.series_scale(["", ""])["range"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("partner:N", title=_("Partner")), alt.Tooltip("group:N", title=group),
                 alt.Tooltip("value:Q", title=axis, format=".1f")],
    )
    return configured(chart)
