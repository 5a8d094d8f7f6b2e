"""The agri-food page (Goal 3, "the interdependence of North America's agribusiness markets"), in the
report's order: U.S. agricultural exports by country and imports by country of origin in constant 2024
dollars (computed from ERS FATUS when it is in the store; FAS GATS exports by HS chapter when loaded),
Mexico's and Canada's shares of fresh fruit and vegetable imports (computed, set against the report's
whole-percent figures), the import share of availability by commodity (computed from the ERS yearbooks
when loaded), jobs and output supported by exports, and the beer supply chain. Where data is not wired
the report's own figures are shown with the report badge."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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

PATH = "topics/agrifood.html"
NAV = [NavEntry(PATH, N_("Agri-food"), 45)]
GOAL_LINKS = [GoalLink(3, PATH, N_("Agri-food: North America's interdependent food markets"))]
FRUIT = "ERS:fruits/fresh_or_chilled_fruit"
VEG = "ERS:vegetables/fresh_vegetables"
BEER = "ERS:beverages/malt_beer"
AG = "REPORT:agricultural_products"
PRODUCTS = {FRUIT: N_("Fresh fruit"), VEG: N_("Fresh vegetables"), BEER: N_("Beer")}
PARTNERS = ("MEX", "CAN", "WLD")
# The report's fresh-produce shares (measure in report.stated, product) ↔ the computed share's product.
SHARE_FIGURES = (("share_of_fresh_fruit_import_value", FRUIT), ("share_of_fresh_vegetable_import_value", VEG))
# The report's availability figures by commodity (report.stated product → label).
COMMODITIES = (("REPORT:fresh_fruit", N_("Fresh fruit")), ("REPORT:fresh_vegetables", N_("Fresh vegetables")),
               ("REPORT:avocados", N_("Avocados")), ("REPORT:raspberries", N_("Raspberries")),
               ("REPORT:tomatoes", N_("Tomatoes")), ("REPORT:bell_peppers", N_("Bell peppers")))
# The computed availability shares (usda.ers.supply products), in the report's three charts.
SUPPLY_CHARTS = (
    ("agrifood-availability", N_("Imports as a percentage of fresh fruit and vegetable availability in the U.S."),
     (("ERS:fresh_fruit", N_("Fresh fruit")), ("ERS:fresh_vegetables", N_("Fresh vegetables")))),
    ("agrifood-availability-fruit", N_("Import share of fresh fruit availability, by commodity"),
     (("ERS:avocados", N_("Avocados")), ("ERS:raspberries", N_("Raspberries")))),
    ("agrifood-availability-vegetables", N_("Import share of fresh vegetable availability, by commodity"),
     (("ERS:tomatoes", N_("Tomatoes")), ("ERS:cucumbers", N_("Cucumbers")), ("ERS:squash", N_("Squash")),
      ("ERS:bell_peppers", N_("Bell peppers")))))
# FATUS (ag_trade_real products) and the partners the report's two charts show.
TRADE = {"export": ("ERS:agricultural_total/export", ("MEX", "CAN", "CHN", "JPN", "KOR")),
         "import": ("ERS:agricultural_total/import", ("MEX", "CAN", "BRA", "CHN"))}
GATS_PARTNERS = ("MEX", "CAN", "CHN", "JPN", "KOR")


@dataclass
class AgriFacts:
    """Computed agri-food values by (indicator, partner, product, period), the report's agri-food figures
    by (measure, partner, product, period), and provenance."""

    values: dict[tuple[str, str, str, str], float | None]
    badges: dict[str, str]
    vintages: dict[str, str]  # source → its vintage(s) behind the values shown ("; "-joined)
    stated: dict[tuple[str, str, str, str], float]
    stated_vintage: str
    supply: bool  # whether yearbook supply data (for the availability share) is in the store
    fatus: bool = False  # whether FATUS trade by country is in the store
    by_indicator: dict[str, str] = field(default_factory=dict)  # indicator → vintages of its inputs
    gats: dict[tuple[str, str], float] = field(default_factory=dict)  # (partner, year) → HS 01-24 exports
    gats_vintage: str = ""

    def get(self, indicator: str, partner: str, product: str, period: str) -> float | None:
        """One computed value, or None."""
        return self.values.get((indicator, partner, product, period))

    def years(self, indicator: str, product: str) -> list[str]:
        """The years with a value of ``indicator`` for ``product``."""
        return sorted({p for (i, _, prod, p) in self.values if i == indicator and prod == product})


def collect(session: Session) -> AgriFacts:
    """Compute the agri-food indicators for the products shown, and read the report's figures."""
    values: dict[tuple[str, str, str, str], float | None] = {}
    badges: dict[str, str] = {}
    used: dict[str, set[str]] = {}
    by_indicator: dict[str, str] = {}
    supply = session.has_series("usda.ers.supply") or session.has_series("usda.ers.fruit_supply")
    fatus = session.has_series("usda.ers.fatus")
    wanted = {"ag_food_imports": list(PRODUCTS), "ag_food_imports_real": list(PRODUCTS),
              "ag_food_import_share": list(PRODUCTS)}
    if fatus:
        wanted.update({"ag_trade": [p for p, _ in TRADE.values()], "ag_trade_real": [p for p, _ in TRADE.values()]})
    if supply:
        wanted["import_share_of_availability"] = []
    for indicator, products in wanted.items():
        result = session.compute(indicator, "A")
        badges[indicator] = result.badge
        for source, found in result.vintages.items():
            used.setdefault(source, set()).update(found.split("; "))
        by_indicator[indicator] = result.vintages.get("usda_ers", "")
        for row in result.rows():
            if products and row["product"] not in products:
                continue
            partner = "WLD" if indicator == "import_share_of_availability" else row["partner"]
            values[(indicator, partner, row["product"], row["period"])] = row["value"]
    gats: dict[tuple[str, str], float] = {}
    gats_vintage = ""
    if session.has_series("fas.gats.exports"):
        result = session.compute("ag_gats_food_exports", "A")
        gats = {(r["partner"], r["period"]): r["value"] for r in result.rows() if r["value"] is not None}
        gats_vintage = result.vintages.get("fas_gats", "")
    table, current = session.stated()
    stated: dict[tuple[str, str, str, str], float] = {}
    for row in table.to_pylist():
        if str(row["product"] or "").startswith("REPORT:"):
            stated[(row["measure"], row["partner"] or "", row["product"], row["period"])] = row["value"]
    return AgriFacts(values=values, badges=badges, vintages={s: "; ".join(sorted(v)) for s, v in used.items()},
                     stated=stated, stated_vintage=current.vintage if current else "", supply=supply, fatus=fatus,
                     by_indicator=by_indicator, gats=gats, gats_vintage=gats_vintage)


def compare_to_report(computed: float | None, report: float | None, digits: int = 0) -> str:
    """``agrees`` when ``computed`` rounded to the report's precision (``digits`` decimals) equals the
    report's figure, ``diverges`` when not, ``missing`` when either is absent. Never adjusts a value."""
    if computed is None or report is None:
        return "missing"
    return "agrees" if round(computed, digits) == round(report, digits) else "diverges"


def write(site: SiteContext, lang: str) -> int:
    """Write the agri-food page of ``lang``."""
    facts = site.cached("agrifood_facts", lambda: collect(site.session))
    site.render(lang, "agrifood.html", PATH, **_context(site, facts, lang))
    return 1


def _stated(facts: AgriFacts, measure: str, partner: str, product: str, period: str, lang: str,
            digits: int = 1) -> str:
    value = facts.stated.get((measure, partner, product, period))
    return number(value, lang, digits)


def _context(site: SiteContext, facts: AgriFacts, lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    real = get_spec("ag_food_imports_real")
    deflator = real.param_text("deflator_label", lang)
    base_year = real.param_text("base_year", lang)
    ers = source_specs()["usda_ers"]
    ers_vintage = facts.by_indicator.get("ag_food_imports", "")
    titles = {product: _("U.S. imports of %(product)s by origin, constant %(year)s dollars")
              % {"product": _(PRODUCTS[product]).lower(), "year": base_year} for product in (FRUIT, VEG)}
    specs = [(f"agrifood-imports-{key}", titles[product],
              _imports_chart(facts, product, lang, base_year, titles[product]))
             for key, product in (("fruit", FRUIT), ("vegetables", VEG))]
    share_title = _("Mexico's and Canada's shares of U.S. fresh fruit and vegetable import value (%)")
    beer_title = _("U.S. beer imports, Mexico and the world, constant %(year)s dollars") % {"year": base_year}
    specs += [("agrifood-fresh-shares", share_title, _share_chart(facts, lang, share_title)),
              ("agrifood-beer", beer_title, _beer_chart(facts, lang, base_year, beer_title))]
    specs += _trade_charts(facts, lang, base_year) + _availability_charts(facts, lang)
    if facts.gats:
        title = _("U.S. exports of HS chapters 01-24 (food and agriculture), current dollars, FAS GATS")
        specs.append(("agrifood-gats-exports", title, _gats_chart(facts, lang, title)))
    emitted = emit_charts(site.out, lang, specs)
    cpi = source_specs()["usda_ers_cpi"]
    stated_src = source_specs()["report_stated"]
    origins = site.session.origins
    sources = [_source(ers, facts.vintages.get("usda_ers", ""), origins(facts.vintages.get("usda_ers", "")), lang),
               _source(cpi, facts.vintages.get("usda_ers_cpi", ""), origins(facts.vintages.get("usda_ers_cpi", "")),
                       lang),
               _source(stated_src, facts.stated_vintage, origins(facts.stated_vintage), lang)]
    if facts.gats:
        sources.insert(1, _source(source_specs()["fas_gats"], facts.gats_vintage, origins(facts.gats_vintage), lang))
    return {
        "page_title": _("Agri-food"), "title": _("The interdependence of North America's agribusiness markets"),
        "goal_name": goal_name(3, lang),
        "deflator": deflator, "base_year": base_year, "ers_vintage": ers_vintage, "ers_line": ers.producer,
        "charts": {c["id"]: c for c in emitted}, "badges": facts.badges, "stated_vintage": facts.stated_vintage,
        "exports": _exports(facts, lang), "shares": _shares(facts, lang), "commodities": _commodities(facts, lang),
        "supply": facts.supply, "impact": _impact(facts, lang), "beer": _beer(facts, lang),
        "fatus": facts.fatus, "fatus_vintage": facts.by_indicator.get("ag_trade", ""),
        "supply_vintage": facts.by_indicator.get("import_share_of_availability", ""),
        "gats": bool(facts.gats), "gats_vintage": facts.gats_vintage,
        "gats_quirk": source_specs()["fas_gats"].quirks[-1].get(lang) if source_specs()["fas_gats"].quirks else "",
        "method_real": real.method.get(lang), "method_share": get_spec("ag_food_import_share").method.get(lang),
        "method_trade": get_spec("ag_trade_real").method.get(lang),
        "method_availability": get_spec("import_share_of_availability").method.get(lang),
        "imports_facts": {"usmca_2024": _stated(facts, "share_of_us_ag_imports", "USMCA", AG, "2024", lang, 0),
                          "mex_2025": _stated(facts, "share_of_us_ag_imports", "MEX", AG, "2025", lang, 0)},
        "d3_locale_json": json.dumps(d3_locale(lang)),
        "sources": sources,
    }


def _source(spec: Any, vintage: str, origins: list[Any], lang: str) -> dict[str, Any]:
    return {"producer": spec.producer, "title": spec.title.get(lang), "citation": spec.citation, "vintage": vintage,
            "last": "", "licence": spec.licence, "origins": [o.model_dump() for o in origins],
            "quirks": [q.get(lang) for q in spec.quirks]}


def _exports(facts: AgriFacts, lang: str) -> dict[str, str]:
    product = "REPORT:agricultural_products"
    return {"mex": _stated(facts, "share_of_us_ag_exports", "MEX", product, "2025", lang),
            "can": _stated(facts, "share_of_us_ag_exports", "CAN", product, "2025", lang),
            "top5": _stated(facts, "share_of_us_ag_exports_top5_destinations", "TOP_FIVE", product, "2024", lang, 0)}


def _shares(facts: AgriFacts, lang: str) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    names = load_codelists()
    rows = []
    for measure, product in SHARE_FIGURES:
        report_product = "REPORT:fresh_fruit" if product == FRUIT else "REPORT:fresh_vegetables"
        for partner in ("MEX", "CAN"):
            computed = facts.get("ag_food_import_share", partner, product, "2023")
            report = facts.stated.get((measure, partner, report_product, "2023"))
            rows.append({"product": _(PRODUCTS[product]), "partner": names.name(partner, lang),
                         "computed": number(computed, lang, 1), "computed_whole": number(computed, lang, 0),
                         "report": number(report, lang, 0), "verdict": compare_to_report(computed, report)})
    return rows


def _commodities(facts: AgriFacts, lang: str) -> list[dict[str, Any]]:
    """The report's availability figures, each with the share computed from the yearbooks for the same
    commodity and year when loaded (compared at the report's precision)."""
    _ = gettext_for(lang)
    rows = []
    for product, label in COMMODITIES:
        for (measure, _partner, prod, period), value in sorted(facts.stated.items()):
            if prod == product and measure.startswith("import_share_of_fresh"):
                computed = facts.get("import_share_of_availability", "WLD", product.replace("REPORT:", "ERS:"),
                                     period)
                digits = 0 if float(value).is_integer() else 1
                rows.append({"commodity": _(label), "period": period, "value": number(value, lang, 1),
                             "computed": number(computed, lang, 1),
                             "verdict": compare_to_report(computed, value, digits)})
    return rows


def _impact(facts: AgriFacts, lang: str) -> dict[str, str]:
    product = "REPORT:agricultural_products"
    return {"jobs": _stated(facts, "jobs_per_billion_ag_exports", "WLD", product, "2023", lang, 0),
            "multiplier": _stated(facts, "output_multiplier_ag_exports", "WLD", product, "2023", lang, 2),
            "output": number((facts.stated.get(("output_from_ag_exports", "WLD", product, "2023")) or 0) / 1e9
                             if ("output_from_ag_exports", "WLD", product, "2023") in facts.stated else None, lang, 1)}


def _beer(facts: AgriFacts, lang: str) -> dict[str, Any]:
    world = facts.get("ag_food_imports", "WLD", BEER, "2022")
    mexico = facts.get("ag_food_imports", "MEX", BEER, "2022")
    r_world = facts.stated.get(("import_value", "WLD", "REPORT:beer", "2022"))
    r_mexico = facts.stated.get(("import_value", "MEX", "REPORT:beer", "2022"))
    return {"world": number(None if world is None else world / 1e9, lang, 2),
            "mexico": number(None if mexico is None else mexico / 1e9, lang, 2),
            "r_world": number(None if r_world is None else r_world / 1e9, lang, 2),
            "r_mexico": number(None if r_mexico is None else r_mexico / 1e9, lang, 2),
            "verdict": compare_to_report(None if world is None else world / 1e9,
                                         None if r_world is None else r_world / 1e9, 2)}


def _imports_chart(facts: AgriFacts, product: str, lang: str, base_year: str, title: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    rows = [{"year": y, "partner": names.name(p, lang), "code": p, "order": i,
             "value": (facts.get("ag_food_imports_real", p, product, y) or 0) / 1e9}
            for y in facts.years("ag_food_imports_real", product) for i, p in enumerate(PARTNERS)
            if facts.get("ag_food_imports_real", p, product, y) is not None]
    return _lines(rows, title, _("USD billion (constant %(year)s)") % {"year": base_year}, _("Partner"), lang, ".1f")


def _share_chart(facts: AgriFacts, lang: str, title: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    rows = []
    for i, (product, partner) in enumerate((p, q) for p in (FRUIT, VEG) for q in ("MEX", "CAN")):
        for year in facts.years("ag_food_import_share", product):
            value = facts.get("ag_food_import_share", partner, product, year)
            if value is not None:
                rows.append({"year": year, "partner": f"{names.name(partner, lang)} · {_(PRODUCTS[product]).lower()}",
                             "order": i, "value": value})
    return _lines(rows, title, _("Percent of U.S. import value"), _("Series"), lang, ".0f")


def _beer_chart(facts: AgriFacts, lang: str, base_year: str, title: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    rows = [{"year": y, "partner": names.name(p, lang), "code": p, "order": i,
             "value": (facts.get("ag_food_imports_real", p, BEER, y) or 0) / 1e9}
            for y in facts.years("ag_food_imports_real", BEER) for i, p in enumerate(("MEX", "WLD"))
            if facts.get("ag_food_imports_real", p, BEER, y) is not None]
    return _lines(rows, title, _("USD billion (constant %(year)s)") % {"year": base_year}, _("Partner"), lang, ".1f")


def _lines(rows: list[dict[str, Any]], title: str, y_title: str, legend: str, lang: str, fmt: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    chart = alt.Chart(alt.Data(values=rows), title=title, width="container", height=300).mark_line(point=True).encode(
        x=alt.X(**palette.year_axis("year", _("Year"))),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt)),
        color=alt.Color("partner:N", title=legend, scale=alt.Scale(**palette.rows_scale(rows, "partner")),
                        sort=alt.EncodingSortField("order", op="min"), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("partner:N", title=legend), alt.Tooltip("year:N", title=_("Year")),
                 alt.Tooltip("value:Q", title=y_title, format=".2f")],
    )
    return configured(chart)


def _trade_charts(facts: AgriFacts, lang: str, base_year: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The report's first two charts from FATUS (constant dollars), when FATUS is in the store."""
    if not facts.fatus:
        return []
    _ = gettext_for(lang)
    names = load_codelists()
    titles = {"export": _("U.S. agricultural exports by country, constant %(year)s dollars"),
              "import": _("U.S. agricultural imports by country of origin, constant %(year)s dollars")}
    out = []
    for flow, (product, partners) in TRADE.items():
        title = titles[flow] % {"year": base_year}
        rows = [{"year": y, "partner": names.name(p, lang), "code": p, "order": i,
                 "value": (facts.get("ag_trade_real", p, product, y) or 0) / 1e9}
                for y in facts.years("ag_trade_real", product) for i, p in enumerate(partners)
                if facts.get("ag_trade_real", p, product, y) is not None]
        out.append((f"agrifood-ag-{flow}s", title, _lines(rows, title, _("USD billion (constant %(year)s)")
                                                          % {"year": base_year}, _("Partner"), lang, ".0f")))
    return out


def _availability_charts(facts: AgriFacts, lang: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The import share of availability (computed from the yearbooks), when supply data is in the store."""
    if not facts.supply:
        return []
    _ = gettext_for(lang)
    out = []
    for chart_id, title, products in SUPPLY_CHARTS:
        rows = [{"year": y, "partner": _(label), "order": i,
                 "value": facts.get("import_share_of_availability", "WLD", product, y)}
                for i, (product, label) in enumerate(products)
                for y in facts.years("import_share_of_availability", product)
                if facts.get("import_share_of_availability", "WLD", product, y) is not None]
        out.append((chart_id, _(title), _lines(rows, _(title), _("Imports, % of availability (volume)"),
                                                _("Series"), lang, ".0f")))
    return out


def _gats_chart(facts: AgriFacts, lang: str, title: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    names = load_codelists()
    rows = [{"year": year, "partner": names.name(partner, lang), "order": GATS_PARTNERS.index(partner),
             "value": value / 1e9} for (partner, year), value in sorted(facts.gats.items()) if partner in GATS_PARTNERS]
    return _lines(rows, title, _("USD billion (current)"), _("Partner"), lang, ".1f")
