"""The trade deficit ratio page (Goal 4, "Who co-produces with the U.S.?"): charts, table,
definition, sources and downloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.publish import charts, downloads
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number
from usmca_monitor.publish.trade_data import TradeFacts, trade_facts

PATH = "indicators/tdr.html"
NAV = [NavEntry(PATH, N_("Trade deficit ratios"), 40)]
GOAL_LINKS = [GoalLink(4, PATH, N_("Who co-produces with the U.S.? Trade deficit ratios"))]
TABLE_ROWS = 15


def write(site: SiteContext, lang: str) -> int:
    """Write the TDR page of ``lang`` (and, once per build, its downloads)."""
    facts = trade_facts(site)
    site.cached("tdr-downloads", lambda: downloads.write_tdr_downloads(site.out / "data", facts))
    site.render(lang, "tdr.html", PATH, **_context(site.out, facts, lang, facts.latest("A")))
    return 1


def _bn(value: float | None, lang: str) -> str:
    return number(None if value is None else value / 1e9, lang, 1)


def _context(root: Path, facts: TradeFacts, lang: str, year: str | None) -> dict[str, Any]:
    _ = gettext_for(lang)
    spec = get_spec("tdr")
    names = load_codelists()
    locale = d3_locale(lang)
    chart_list = []
    if year is not None:
        top = facts.top_partners(year)
        chart_list = _charts(root, facts, lang, year, top)
    source = facts.source
    return {
        "page_title": spec.title.get(lang), "title": spec.title.get(lang), "method": spec.method.get(lang),
        "goal_name": _("Sectoral, strategic and infrastructure investment"),
        "top_note": _(
            "The five countries with the largest total trade (exports plus imports) with the U.S. in %(year)s, "
            "by the Census Bureau's monthly data summed over each period.") % {"year": year or "—"},
        "charts": chart_list, "vintage": facts.vintage, "source_line": source.producer,
        "table_period": year or "—", "table": _table(facts, lang, year, names) if year else [],
        "d3_locale_json": json.dumps(locale),
        "sources": [{"producer": source.producer, "title": source.title.get(lang), "citation": source.citation,
                     "vintage": facts.vintage, "last": facts.last_month, "licence": source.licence,
                     "origins": [o.model_dump() for o in facts.origins],
                     "quirks": [q.get(lang) for q in source.quirks]}],
    }


def _charts(root: Path, facts: TradeFacts, lang: str, year: str, top: list[str]) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    names = load_codelists()
    years = sorted(p for p in facts.periods.get("A", []))
    line_rows = [{"partner_name": names.name(p, lang), "period": y, "value": facts.get(p, y, "tdr"),
                  "order": i} for i, p in enumerate(top) for y in years if facts.get(p, y, "tdr") is not None]
    specs = [("tdr-lines", _("Trade deficit ratio of the top five partners of %(year)s, by year") % {"year": year},
              charts.tdr_lines(line_rows, _, _("TDR, %(first)s–%(last)s") % {"first": years[0], "last": years[-1]}))]
    for period, label in ((year, year), (facts.latest("H", "H1"), None)):
        if period is None:
            continue
        label = label or _("first half of %(year)s") % {"year": period[:4]}
        rows = _bar_rows(facts, lang, period, facts.top_partners(period))
        title = _("U.S. exports and trade deficit with the top five partners, %(period)s (TDR in parentheses)") % {
            "period": label}
        specs.append((f"tdr-bars-{period}", title, charts.exports_deficit_bars(rows, _, title)))
    out = []
    for chart_id, title, spec in specs:
        charts.export_static(spec, root / "charts" / f"{chart_id}.{lang}", d3_locale(lang))
        out.append({"id": chart_id, "title": title, "file": chart_id,
                    "spec_json": json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")})
    return out


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


def _table(facts: TradeFacts, lang: str, year: str, names: Any) -> list[dict[str, Any]]:
    shown = facts.top_partners(year, TABLE_ROWS)
    shown += [p for p in ("MEX", "CAN") if p not in shown]
    rows = []
    for partner in shown:
        yoy = facts.get(partner, year, "total_trade_yoy")
        rank = facts.get(partner, year, "rank_total_trade")
        rows.append({"rank": "" if rank is None else int(rank), "name": names.name(partner, lang),
                     "exports": _bn(facts.get(partner, year, "exports"), lang),
                     "imports": _bn(facts.get(partner, year, "imports"), lang),
                     "balance": _bn(facts.get(partner, year, "balance"), lang),
                     "tdr": number(facts.get(partner, year, "tdr"), lang, 2),
                     "share": number(facts.get(partner, year, "share_total_trade"), lang, 1),
                     "yoy": number(yoy, lang, 1), "highlight": partner in {"MEX", "CAN"}})
    return rows
