"""Reference pages of each language: a profile per country (Mexico, the United States, Canada: every
indicator's latest value for it and the status of the targets that follow it), the sources, the
methods, the data API, and the search page. After the last language, the offline search index
(Pagefind, whose binary ships in its PyPI package: no network) is built over every page, with one
record per trade partner that opens the partner's view of the trade indicators."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from functools import partial
from typing import Any

from usmca_monitor.catalog import source_of_series, source_specs
from usmca_monitor.indicators import documents
from usmca_monitor.indicators.documents import IndicatorData
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.model.specs import Headline
from usmca_monitor.publish import indicator_view as iv
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import number, period_label
from usmca_monitor.publish.incremental import Deps
from usmca_monitor.publish.sections import goals as progress
from usmca_monitor.publish.sections.indicators import catalogue

COUNTRY = "countries/{iso}.html"
SOURCES, METHODS, API, SEARCH = "sources.html", "methods.html", "api.html", "search.html"
NAV = [NavEntry(SEARCH, N_("Search"), 95)]
UNITS = True  # its pages and the search index are units of their own (publish/incremental.py)
GOAL_LINKS: list[GoalLink] = []
COUNTRIES = ("MEX", "USA", "CAN")
PARTNER_INDICATORS = ("tdr", "share_imports", "total_trade")


NO_ARROW = {"arrow": "", "trend": "none", "travel": "none", "arrow_text": ""}


def write(site: SiteContext, lang: str) -> int:
    """Write the country profiles, sources, methods, API and search pages of ``lang``; after the last
    language, the search index (a unit of the incremental build that reads every language)."""
    count = site.unit(f"reference/{lang}", Deps.everything([lang]), partial(write_pages, site, lang))
    if lang == site.langs[-1]:
        site.unit("search-index", Deps.everything(site.langs), partial(write_index, site))
    return count


def write_index(site: SiteContext) -> int:
    """The search index of every page of every language, and one record per trade partner."""
    cat = catalogue(site)
    records = [r for code in site.langs for r in partner_records(cat, code)]
    run_apart(build_index(site, records))
    return 0


def write_pages(site: SiteContext, lang: str) -> int:
    """The country profiles, sources, methods, API and search pages of ``lang``."""
    _ = gettext_for(lang)
    cat = catalogue(site)
    statuses = site.cached("country_statuses", lambda: target_statuses(site))
    for iso in COUNTRIES:
        site.render(lang, "country.html", COUNTRY.format(iso=iso), **country_context(cat, statuses, iso, lang))
    site.render(lang, "sources.html", SOURCES, page_title=_("Sources"), sources=sources_context(site, cat, lang))
    site.render(lang, "methods.html", METHODS, page_title=_("Methods"), goals=methods_context(cat, lang))
    site.render(lang, "api.html", API, page_title=_("Data and API"), example=cat.with_data[0] if cat.with_data
                else "tdr", base_url=site.base_url)
    site.render(lang, "search.html", SEARCH, page_title=_("Search"),
                countries=[{"iso": c, "name": iv.area_or_code(c, lang)} for c in COUNTRIES])
    return len(COUNTRIES) + 4


def target_statuses(site: SiteContext) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(indicator, country) → the targets' series that follow it for that country, with their status."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for goal in progress.goal_results(site):
        for target in goal.targets:
            for series in target.series:
                for code in {c for c in (series.geo, series.partner) if c in COUNTRIES}:
                    found.setdefault((target.spec.indicator or "", code), []).append(
                        {"target": target.spec, "goal": goal.spec, "status": series.assessment.status,
                         "score": series.assessment.score})
    return found


def country_view(data: IndicatorData, iso: str) -> Headline | None:
    """The view of an indicator that speaks of ``iso``: as the reporter when it is one (the headline's
    partner and product when it has them), else as the partner of the headline's reporter."""
    head = documents.resolved_headline(data)
    keys = [k for k in data.views() if k[0] == head.freq]
    for matches in (lambda k: k[1] == iso, lambda k: k[1] == head.geo and k[2] == iso):
        found = [k for k in keys if matches(k)]
        if found:
            best = max(found, key=lambda k: (k[2] in (head.partner, iso), k[3] == head.product))
            return Headline(geo=best[1], partner=best[2], product=best[3], freq=head.freq)
    return None


def country_context(cat: iv.Catalogue, statuses: dict[tuple[str, str], list[dict[str, Any]]], iso: str,
                    lang: str) -> dict[str, Any]:
    """A country's profile: every indicator with a value for it, latest value, period and status."""
    _ = gettext_for(lang)
    rows = []
    for indicator in cat.with_data:
        data = cat.datas[indicator]
        view = country_view(data, iso)
        latest = documents.latest(data, view) if view else None
        if latest is None or view is None:
            continue
        factor, word = iv.scale_of(data, view)
        judged = statuses.get((indicator, iso), [])
        rows.append({
            "id": indicator, "title": data.spec.title.get(lang), "goal": data.spec.goal or 99,
            "view": iv.view_text(view, lang), "value": number(latest["value"] / factor, lang,
                                                               iv.decimals(data, factor)),
            "unit": iv.unit_text(data.spec, lang, word), "period": period_label(latest["period"], lang),
            "query": _query(view), "badge": latest["badge"],
            "status": [progress.status_view(j["status"], j["score"], NO_ARROW, lang) | {
                "target": j["target"].title.get(lang), "href": f"../goals/{j['goal'].slug}.html#{j['target'].id}"}
                for j in judged]})
    rows.sort(key=lambda r: (r["goal"], r["title"]))
    return {"page_title": iv.area_or_code(iso, lang), "iso": iso, "rows": rows,
            "others": [{"iso": c, "name": iv.area_or_code(c, lang)} for c in COUNTRIES if c != iso]}


def _query(view: Headline) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in view.where().items() if v is not None})


def sources_context(site: SiteContext, cat: iv.Catalogue, lang: str) -> list[dict[str, Any]]:
    """Every source of the catalog: names, licence, citation, vintages read and the indicators it feeds."""
    specs = indicator_specs()
    owners = source_of_series()
    feeds: dict[str, set[str]] = {}
    for spec in specs.values():
        for item in spec.inputs.values():
            if item.series and item.series in owners:
                feeds.setdefault(owners[item.series], set()).add(spec.id)
    out = []
    for source_id, source in sorted(source_specs().items(), key=lambda kv: kv[1].producer):
        current = site.session.current_vintage(source_id)
        out.append({"id": source_id, "producer": source.producer, "title": source.title.get(lang),
                    "licence": source.licence, "citation": source.citation, "homepage": source.homepage,
                    "vintage": current.vintage if current else "", "created": current.created if current else "",
                    "through": site.session.last_month(current.vintage) if current else "",
                    "indicators": [{"id": i, "title": specs[i].title.get(lang), "has_data": cat.datas[i].has_data}
                                   for i in sorted(feeds.get(source_id, set()))]})
    return out


def methods_context(cat: iv.Catalogue, lang: str) -> list[dict[str, Any]]:
    """Every indicator's definition, by goal."""
    _ = gettext_for(lang)
    by_goal: dict[int, list[dict[str, Any]]] = {}
    for spec in sorted(indicator_specs().values(), key=lambda s: s.id):
        by_goal.setdefault(spec.goal or 0, []).append({
            "id": spec.id, "title": spec.title.get(lang), "method": spec.method.get(lang),
            "unit": iv.unit_text(spec, lang), "direction": _(iv.DIRECTIONS[spec.direction])})
    return [{"goal": g, "indicators": items} for g, items in sorted(by_goal.items())]


def partner_records(cat: iv.Catalogue, lang: str) -> list[dict[str, Any]]:
    """One search record per trade partner: its latest values on the trade indicators, opening the TDR
    page on that partner."""
    _ = gettext_for(lang)
    records: list[dict[str, Any]] = []
    present = [i for i in PARTNER_INDICATORS if i in cat.datas and cat.datas[i].has_data]
    if not present:
        return records
    first = cat.datas[present[0]]
    head = documents.resolved_headline(first)
    for partner in first.distinct("partner", head.freq):
        if partner in COUNTRIES:
            continue
        parts = []
        for indicator in present:
            data = cat.datas[indicator]
            view = Headline(geo=head.geo, partner=partner, product=None, freq=head.freq)
            latest = documents.latest(data, view)
            if latest is not None:
                factor, word = iv.scale_of(data, view)
                parts.append(f"{data.spec.title.get(lang)}: {number(latest['value'] / factor, lang, 2)} "
                             f"{iv.unit_text(data.spec, lang, word)} ({latest['period']})")
        name = iv.area_or_code(partner, lang)
        about, kind = _("Trade partner of the United States"), _("trade partner")
        records.append({"url": f"/{lang}/indicators/{present[0]}.html?partner={partner}", "language": lang,
                        "content": f"{name}. {about}. " + "; ".join(parts), "meta": {"title": f"{name} — {kind}"}})
    return records


def run_apart(job: Coroutine[Any, Any, None]) -> None:
    """Run ``job`` in its own event loop on its own thread (the caller may already run a loop, e.g. a
    browser driver in the same process); its exception, if any, is raised here."""
    failed: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(job)
        except BaseException as exc:  # handed to the caller below
            failed.append(exc)

    thread = threading.Thread(target=target, name="pagefind")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


async def build_index(site: SiteContext, records: list[dict[str, Any]]) -> None:
    """The Pagefind index of every page (``data-pagefind-body``) and ``records``, in ``pagefind/``."""
    from pagefind.index import PagefindIndex

    # The context writes the index when it closes, to the configured output path (never the working folder).
    async with PagefindIndex(config={"output_path": str(site.out / "pagefind")}) as index:
        await index.add_directory(str(site.out))
        for record in records:
            await index.add_custom_record(**record)
