"""The home page: the four shared goals, the pages under each, and a headline figure."""

from __future__ import annotations

from typing import Any

from usmca_monitor.codelists import catalog_path, load_codelists, read_yaml
from usmca_monitor.publish import charts
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import AGREEMENT, d3_locale, number
from usmca_monitor.publish.labels import vintage_labels
from usmca_monitor.publish.progress_charts import spec_json
from usmca_monitor.publish.trade_data import TradeFacts, trade_facts
from usmca_monitor.safety import dumps

NAV = [NavEntry("index.html", N_("Goals"), 0)]
GOAL_LINKS: list[GoalLink] = []


def load_goals() -> list[dict[str, Any]]:
    """The four shared goals (catalog/goals/shared_goals.yaml)."""
    goals: list[dict[str, Any]] = read_yaml(catalog_path("goals", "shared_goals.yaml"))["goals"]
    return goals


def write(site: SiteContext, lang: str) -> int:
    """Write ``<lang>/index.html``."""
    _ = gettext_for(lang)
    from usmca_monitor.publish.sections import goals as progress

    results = progress.goal_results(site)
    cards = {card["id"]: card for card in (progress.goal_card(g, lang) for g in results)}
    indicator_cards = {g.spec.id: headline_cards(g, lang) for g in results}
    goals = [{"id": g["id"], "name": g["name"][lang], "summary": g["summary"][lang], "card": cards.get(g["id"]),
              "indicator_cards": indicator_cards.get(g["id"], []),
              "links": [{"href": link.path, "text": _(link.label)} for link in site.goal_links(g["id"])]}
             for g in load_goals()]
    facts = trade_facts(site)
    headline = _headline(facts, lang)
    vintage_labels(site, lang)  # vintages in words for every page of this build (publish/labels.py)
    description = _("Progress of Mexico, the United States and Canada toward the four shared goals of the report "
                    "\"The North American Project\", measured with official data.")
    site.render(lang, "index.html", "index.html", page_title=_("Goals"), goals=goals,
                agreement=AGREEMENT[lang], headline=headline, meta_description=description,
                og_image=_og_image(site, lang), page_url=f"{site.base_url}{lang}/index.html" if site.base_url else "",
                d3_locale_json=dumps(d3_locale(lang)))
    return 1


def _og_image(site: SiteContext, lang: str) -> str:
    """The preview image of the home page: the card of the first computed fact (absolute with --base-url)."""
    from usmca_monitor.facts.check import check_facts

    results = site.cached("fact_results", lambda: check_facts(site.session.engine))
    shown = sorted((r for r in results if r.latest_value is not None and r.status in ("agrees", "diverges")),
                   key=lambda r: r.spec.id)
    if not shown:
        return ""
    path = f"cards/{shown[0].spec.id}.{lang}.png"
    return f"{site.base_url}{path}" if site.base_url else f"../{path}"


def headline_cards(goal: Any, lang: str) -> list[dict[str, Any]]:
    """The goal's headline indicators as small cards: sparkline, latest value and period, status in words."""
    from usmca_monitor.indicators.registry import indicator_specs
    from usmca_monitor.publish.sections import goals as progress

    specs = indicator_specs()
    cards = []
    for target in goal.targets:
        if not target.spec.headline or target.spec.indicator not in specs:
            continue
        spec = specs[target.spec.indicator]
        comp = target.rolled.components or {}
        if comp.get("rule") == "states":  # one card for all the states, not the first state's series
            cards.append(_states_card(target, spec, comp, lang))
            continue
        series = next((s for s in target.series if s.values), None)
        latest_year = max(series.values) if series else None
        cards.append({
            "indicator": spec.id, "title": spec.title.get(lang), "target": target.spec.title.get(lang),
            "series": progress.series_label(target.spec, series, lang) if series else "",
            "sparkline": progress.sparkline(series.values, target.spec, lang) if series else "",
            "value": progress.fmt(series.values[latest_year], lang) if series and latest_year else "—",
            "unit": progress.unit_label(spec.unit, lang), "period": latest_year or "",
            "status_text": progress.target_status_text(target, lang),
            **progress.status_view(target.rolled.status, target.rolled.score,
                                   progress.target_arrow(target, lang), lang)})
    return cards


def _states_card(target: Any, spec: Any, comp: dict[str, Any], lang: str) -> dict[str, Any]:
    """A states roll-up as a card: the share of states progressing, and per country how many of how many."""
    from usmca_monitor.progress.catalog import load_catalog
    from usmca_monitor.publish.sections import goals as progress
    from usmca_monitor.publish.sections import progress_text as words

    share = comp.get("share_progressing")
    years = [max(s.values) for s in target.series if s.values]
    return {"indicator": spec.id, "title": spec.title.get(lang), "target": target.spec.title.get(lang),
            "series": ", ".join(v["name"] for v in words.states_view(comp, lang, load_catalog().areas)
                                if v["with_data"]),
            "sparkline": "", "value": "—" if share is None else f"{number(100 * share, lang, 0)}\u00a0%",
            "unit": "", "period": max(years) if years else "",
            "status_text": progress.target_status_text(target, lang),
            **progress.status_view(target.rolled.status, target.rolled.score,
                                   progress.target_arrow(target, lang), lang)}


def _headline(facts: TradeFacts, lang: str) -> dict[str, Any] | None:
    year = facts.latest("A")
    if year is None:
        return None
    _ = gettext_for(lang)
    names = load_codelists()
    parts = [f"{names.name(p, lang)} {number(facts.get(p, year, 'tdr'), lang, 2)}" for p in facts.top_partners(year)]
    text = _("Trade deficit ratios of the five largest U.S. trading partners in %(year)s: %(list)s.") % {
        "year": year, "list": "; ".join(parts)}
    rows = [{"partner_name": names.name(p, lang), "code": p, "period": y, "value": facts.get(p, y, "tdr"), "order": i}
            for i, p in enumerate(facts.top_partners(year)) for y in facts.periods.get("A", [])
            if facts.get(p, y, "tdr") is not None]
    title = _("Trade deficit ratio of the five largest U.S. trading partners")
    spec = charts.tdr_lines(rows, _, title)
    return {"text": text, "source": facts.source.producer, "vintage": facts.vintage, "title": title,
            "spec_json": spec_json(spec)}
