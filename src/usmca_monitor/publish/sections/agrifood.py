"""The agri-food page (Goal 3, "the interdependence of North America's agribusiness markets"), in the
report's order: U.S. agricultural exports by country, imports by country of origin in constant 2024
dollars, Mexico's and Canada's shares of fresh fruit and vegetable imports (computed, set against the
report's whole-percent figures), the import share of availability by commodity, jobs and output
supported by exports, and the beer supply chain. Where data is not wired the report's own figures are
shown with the report badge."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import altair as alt

from usmca_monitor.api import Store, engine
from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.publish import charts
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number
from usmca_monitor.publish.sections.tdr import configured, emit_charts
from usmca_monitor.sources.registry import source_specs

PATH = "indicators/agrifood.html"
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


@dataclass
class AgriFacts:
    """Computed agri-food values by (indicator, partner, product, period), the report's agri-food figures
    by (measure, partner, product, period), and provenance."""

    values: dict[tuple[str, str, str, str], float | None]
    badges: dict[str, str]
    vintages: dict[str, str]
    stated: dict[tuple[str, str, str, str], float]
    stated_vintage: str
    supply: bool  # whether yearbook supply data (for the availability share) is in the store

    def get(self, indicator: str, partner: str, product: str, period: str) -> float | None:
        """One computed value, or None."""
        return self.values.get((indicator, partner, product, period))

    def years(self, indicator: str, product: str) -> list[str]:
        """The years with a value of ``indicator`` for ``product``."""
        return sorted({p for (i, _, prod, p) in self.values if i == indicator and prod == product})


def collect(store: Store, vintage: str | None = None) -> AgriFacts:
    """Compute the agri-food indicators for the products shown, and read the report's figures."""
    eng = engine(store, vintage)
    values: dict[tuple[str, str, str, str], float | None] = {}
    badges: dict[str, str] = {}
    vintages: dict[str, str] = {}
    for indicator in ("ag_food_imports", "ag_food_imports_real", "ag_food_import_share"):
        result = eng.compute(indicator, "A")
        badges[indicator] = result.badge
        vintages.update(result.vintages)
        table = result.table.filter(result.table["product"].isin(list(PRODUCTS)))
        for row in table.to_pyarrow().to_pylist():
            values[(indicator, row["partner"], row["product"], row["period"])] = row["value"]
    supply = bool(store.warehouse.con.execute(
        "SELECT count(*) FROM observations WHERE series = 'usda.ers.supply'").fetchall()[0][0])
    if supply:
        result = eng.compute("import_share_of_availability", "A")
        badges["import_share_of_availability"] = result.badge
        vintages.update(result.vintages)
        for row in result.table.to_pyarrow().to_pylist():
            values[("import_share_of_availability", "WLD", row["product"], row["period"])] = row["value"]
    stated: dict[tuple[str, str, str, str], float] = {}
    current = store.warehouse.current_vintage("report_stated")
    if current is not None:
        for measure, partner, product, period, value in store.warehouse.con.execute(
                "SELECT measure, partner, product, period, value FROM observations WHERE vintage = ? "
                "AND product LIKE 'REPORT:%'", [current.vintage]).fetchall():
            stated[(measure, partner or "", product, period)] = value
    return AgriFacts(values=values, badges=badges, vintages=vintages, stated=stated,
                     stated_vintage=current.vintage if current else "", supply=supply)


def compare_to_report(computed: float | None, report: float | None, digits: int = 0) -> str:
    """``agrees`` when ``computed`` rounded to the report's precision (``digits`` decimals) equals the
    report's figure, ``diverges`` when not, ``missing`` when either is absent. Never adjusts a value."""
    if computed is None or report is None:
        return "missing"
    return "agrees" if round(computed, digits) == round(report, digits) else "diverges"


def write(site: SiteContext, lang: str) -> int:
    """Write the agri-food page of ``lang``."""
    facts = site.cached("agrifood_facts", lambda: collect(site.store, site.vintage))
    site.render(lang, "agrifood.html", PATH, **_context(site, facts, lang))
    return 1


def _stated(facts: AgriFacts, measure: str, partner: str, product: str, period: str, lang: str,
            digits: int = 1) -> str:
    value = facts.stated.get((measure, partner, product, period))
    return number(value, lang, digits)


def _context(site: SiteContext, facts: AgriFacts, lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    real = get_spec("ag_food_imports_real")
    deflator = str(real.params.get("deflator_label", ""))
    base_year = str(real.params.get("base_year", ""))
    ers = source_specs()["usda_ers"]
    ers_vintage = facts.vintages.get("usda_ers", "")
    titles = {product: _("U.S. imports of %(product)s by origin, constant %(year)s dollars")
              % {"product": _(PRODUCTS[product]).lower(), "year": base_year} for product in (FRUIT, VEG)}
    imports_charts = [(f"agrifood-imports-{key}", titles[product],
                       _imports_chart(facts, product, lang, base_year, titles[product]))
                      for key, product in (("fruit", FRUIT), ("vegetables", VEG))]
    share_title = _("Mexico's and Canada's shares of U.S. fresh fruit and vegetable import value (%)")
    beer_title = _("U.S. beer imports, Mexico and the world, constant %(year)s dollars") % {"year": base_year}
    emitted = emit_charts(site.out, lang, [
        *imports_charts, ("agrifood-fresh-shares", share_title, _share_chart(facts, lang, share_title)),
        ("agrifood-beer", beer_title, _beer_chart(facts, lang, base_year, beer_title))])
    cpi = source_specs()["usda_ers_cpi"]
    stated_src = source_specs()["report_stated"]
    store = site.store.warehouse
    return {
        "page_title": _("Agri-food"), "title": _("The interdependence of North America's agribusiness markets"),
        "goal_name": _("Sectoral, strategic and infrastructure investment"),
        "deflator": deflator, "base_year": base_year, "ers_vintage": ers_vintage, "ers_line": ers.producer,
        "charts": {c["id"]: c for c in emitted}, "badges": facts.badges, "stated_vintage": facts.stated_vintage,
        "exports": _exports(facts, lang), "shares": _shares(facts, lang), "commodities": _commodities(facts, lang),
        "supply": facts.supply, "impact": _impact(facts, lang), "beer": _beer(facts, lang),
        "method_real": real.method.get(lang), "method_share": get_spec("ag_food_import_share").method.get(lang),
        "method_availability": get_spec("import_share_of_availability").method.get(lang),
        "imports_facts": {"usmca_2024": _stated(facts, "share_of_us_ag_imports", "USMCA", AG, "2024", lang, 0),
                          "mex_2025": _stated(facts, "share_of_us_ag_imports", "MEX", AG, "2025", lang, 0)},
        "d3_locale_json": json.dumps(d3_locale(lang)),
        "sources": [_source(ers, ers_vintage, store.origins(ers_vintage) if ers_vintage else [], lang),
                    _source(cpi, facts.vintages.get("usda_ers_cpi", ""),
                            store.origins(facts.vintages["usda_ers_cpi"]) if "usda_ers_cpi" in facts.vintages else [],
                            lang),
                    _source(stated_src, facts.stated_vintage,
                            store.origins(facts.stated_vintage) if facts.stated_vintage else [], lang)],
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
    _ = gettext_for(lang)
    rows = []
    for product, label in COMMODITIES:
        for (measure, _partner, prod, period), value in sorted(facts.stated.items()):
            if prod == product and measure.startswith("import_share_of_fresh"):
                rows.append({"commodity": _(label), "period": period, "value": number(value, lang, 1)})
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
    rows = [{"year": y, "partner": names.name(p, lang), "order": i,
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
    rows = [{"year": y, "partner": names.name(p, lang), "order": i,
             "value": (facts.get("ag_food_imports_real", p, BEER, y) or 0) / 1e9}
            for y in facts.years("ag_food_imports_real", BEER) for i, p in enumerate(("MEX", "WLD"))
            if facts.get("ag_food_imports_real", p, BEER, y) is not None]
    return _lines(rows, title, _("USD billion (constant %(year)s)") % {"year": base_year}, _("Partner"), lang, ".1f")


def _lines(rows: list[dict[str, Any]], title: str, y_title: str, legend: str, lang: str, fmt: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    chart = alt.Chart(alt.Data(values=rows), title=title, width="container", height=300).mark_line(point=True).encode(
        x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=fmt)),
        color=alt.Color("partner:N", title=legend, scale=alt.Scale(range=charts.PALETTE),
                        sort=alt.EncodingSortField("order", op="min"), legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("partner:N", title=legend), alt.Tooltip("year:O", title=_("Year")),
                 alt.Tooltip("value:Q", title=y_title, format=".2f")],
    )
    return configured(chart)
