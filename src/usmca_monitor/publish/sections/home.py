"""The home page: the four shared goals, the pages under each, and a headline figure."""

from __future__ import annotations

from typing import Any

from usmca_monitor.codelists import catalog_path, load_codelists, read_yaml
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import AGREEMENT, number
from usmca_monitor.publish.trade_data import TradeFacts, trade_facts

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
    site.render(lang, "index.html", "index.html", page_title=_("Goals"), goals=goals,
                agreement=AGREEMENT[lang], headline=_headline(facts, lang))
    return 1


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
        series = next((s for s in target.series if s.values), None)
        latest_year = max(series.values) if series else None
        cards.append({
            "indicator": spec.id, "title": spec.title.get(lang), "target": target.spec.title.get(lang),
            "series": progress.series_label(target.spec, series, lang) if series else "",
            "sparkline": progress.sparkline(series.values, target.spec, lang) if series else "",
            "value": progress.fmt(series.values[latest_year], lang) if series and latest_year else "—",
            "unit": progress.unit_label(spec.unit, lang), "period": latest_year or "",
            **progress.status_view(target.rolled.status, target.rolled.score,
                                   progress.target_arrow(target, lang), lang)})
    return cards


def _headline(facts: TradeFacts, lang: str) -> dict[str, str] | None:
    year = facts.latest("A")
    if year is None:
        return None
    _ = gettext_for(lang)
    names = load_codelists()
    parts = [f"{names.name(p, lang)} {number(facts.get(p, year, 'tdr'), lang, 2)}" for p in facts.top_partners(year)]
    text = _("Trade deficit ratios of the five largest U.S. trading partners in %(year)s: %(list)s.") % {
        "year": year, "list": "; ".join(parts)}
    return {"text": text, "source": facts.source.producer, "vintage": facts.vintage}
