"""Indicator pages: one per spec of the catalog in each language (``indicators/<id>.html``), drawn
from the same mechanism for every spec — headline value and change, a chart chosen from the data's
shape (drawn in the browser from ``data/view/``), the headline view's table, definition, goal and
targets, related indicators, sources, citation, downloads and embed code — an embed page per
indicator (``embed/<id>.html``), the catalog (goal → target → indicator), and, once per build, the
data files (``publish/datafiles.py``). A spec without data gets a page saying which publisher's data
fills it."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path
from typing import Any

import vl_convert as vlc

from usmca_monitor.catalog import source_of_series, source_specs
from usmca_monitor.codelists import data_path
from usmca_monitor.facts.check import check_facts
from usmca_monitor.indicators import documents
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.publish import datafiles, feeds, palette, revised_view
from usmca_monitor.publish import indicator_view as iv
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import LANGS, number, period_label
from usmca_monitor.publish.incremental import Deps, digest_text, indicator_sources
from usmca_monitor.publish.topics import topics_of, write_redirects

UNITS = True  # each page says what it reads (publish/incremental.py)
INDEX = "indicators/index.html"
PAGE = "indicators/{id}.html"
EMBED = "embed/{id}.html"
NAV = [NavEntry(INDEX, N_("Indicators"), 30)]
GOAL_LINKS = [GoalLink(g, INDEX + f"#goal-{g}", N_("Every indicator of the goal")) for g in (1, 2, 3, 4)]
CATALOGUE_KEY = "indicator_catalogue"
SUMMARY_KEY = "indicator_summary"
GEOMETRY = "geo/north_america_admin1.topo.json"


def catalogue(site: SiteContext) -> iv.Catalogue:
    """Every indicator of this build with its data, why some have none, the report's marks and targets."""
    def make() -> iv.Catalogue:
        session = site.session
        datas = {d.spec.id: d for d in documents.all_indicator_data(session)}
        why = {i: session.empty_inputs(i) for i, d in datas.items() if not d.has_data}
        results = site.cached("fact_results", lambda: check_facts(session.engine))
        return iv.Catalogue(datas, why, iv.report_marks(results), iv.targets_by_indicator())
    return site.cached(CATALOGUE_KEY, make)


def why_text(why: dict[str, str], lang: str, indicator: str | None = None) -> str:
    """Why an indicator has no data, in words: which publisher's data fills it (or, when its series
    are loaded but hold nothing it can use, whose data it reads)."""
    _ = gettext_for(lang)
    specs = source_specs()
    sources = sorted({source for source in why.values() if source in specs})
    if sources:
        names = "; ".join(f"{specs[s].producer} ({specs[s].title.get(lang)})" for s in sources)
        return _("It fills once this publisher's data is loaded: %(sources)s.") % {"sources": names}
    owners = source_of_series()
    spec = indicator_specs().get(indicator or "")
    used = sorted({owners[i.series] for i in spec.inputs.values() if i.series in owners}) if spec else []
    if not used:
        return _("Its inputs hold no value yet.")
    names = "; ".join(specs[s].producer for s in used)
    return _("The data loaded from %(sources)s holds no value for it yet: a later update may.") % {"sources": names}


def write(site: SiteContext, lang: str) -> int:
    """Write every indicator page, embed page and the catalog in ``lang`` (data files once). Each page is
    a unit of the incremental build that reads its indicator's sources (``page_deps``)."""
    cat = catalogue(site)
    site.cached("indicator-files", lambda: write_files(site, cat))
    for indicator in cat.with_data:
        paths = [site.out / lang / PAGE.format(id=indicator), site.out / lang / EMBED.format(id=indicator)]
        site.unit(f"indicators/{lang}/{indicator}", page_deps(cat, indicator, [lang]),
                  partial(_write_page, site, cat, indicator, lang), partial(list, paths))
    for indicator in cat.without_data:
        site.unit(f"indicators/{lang}/{indicator}", page_deps(cat, indicator, [lang]),
                  partial(_write_empty, site, cat, indicator, lang),
                  partial(list, [site.out / lang / PAGE.format(id=indicator)]))
    site.unit(f"indicators-index/{lang}", Deps.everything([lang]), partial(_write_index, site, cat, lang))
    summary: dict[str, Any] = site.cached(SUMMARY_KEY, lambda: {"pages": {}, "without_data": {}})
    summary["pages"][lang] = len(cat.with_data) + len(cat.without_data)
    summary["without_data"] = {i: why_text(cat.why_empty.get(i, {}), "en", i) for i in cat.without_data}
    return 2 * len(cat.with_data) + len(cat.without_data) + 1


def _write_page(site: SiteContext, cat: iv.Catalogue, indicator: str, lang: str) -> int:
    site.render(lang, "indicator.html", PAGE.format(id=indicator), **page_context(site, cat, indicator, lang))
    site.render(lang, "embed.html", EMBED.format(id=indicator), **embed_context(site, cat, indicator, lang))
    return 2


def _write_empty(site: SiteContext, cat: iv.Catalogue, indicator: str, lang: str) -> int:
    site.render(lang, "indicator_empty.html", PAGE.format(id=indicator), **empty_context(site, cat, indicator, lang))
    return 1


def _write_index(site: SiteContext, cat: iv.Catalogue, lang: str) -> int:
    site.render(lang, "indicators.html", INDEX, **index_context(cat, lang))
    write_redirects(site.out, lang, {PAGE.format(id=i) for i in cat.datas})
    return 1


def page_deps(cat: iv.Catalogue, indicator: str, langs: list[str]) -> Deps:
    """What the page of ``indicator`` reads: its sources (``incremental.indicator_sources``), and what it
    shows of the others — whether its related indicators have data, its report marks, why it is empty."""
    specs = indicator_specs()
    shown = {"related": {i: cat.datas[i].has_data for i in iv.related(specs[indicator], cat)},
             "marks": cat.marks.get(indicator, []), "why": cat.why_empty.get(indicator, {})}
    return Deps(tuple(langs), frozenset(indicator_sources(indicator)), {f"page:{indicator}": digest_text(shown)})


def write_files(site: SiteContext, cat: iv.Catalogue) -> int:
    """The downloads, API tree, chart data, facts CSV and data package (once per build): the files of
    each indicator are a unit reading its sources; the site-wide documents one reading everything."""
    datas = [cat.datas[i] for i in sorted(cat.datas)]
    for data in datas:
        site.unit(f"data/{data.spec.id}", Deps(LANGS, frozenset(indicator_sources(data.spec.id))),
                  partial(_write_indicator_files, site, data), partial(_indicator_files, site, data))
    site.unit("data/site", Deps.everything(LANGS, store=True), partial(_write_site_files, site, cat, datas))
    return len(datas)


def _indicator_files(site: SiteContext, data: documents.IndicatorData) -> list[Path]:
    folder = site.out / "data"
    names = [f"{data.spec.id}.{ext}" for ext in ("csv", "xlsx", "json", "meta.json")]
    names += [f"view/{data.spec.id}.{freq}.json" for freq in data.freqs]
    paths = [folder / name for name in names]
    card = site.out / "charts" / f"indicator-{data.spec.id}.png"
    return [p for p in [*paths, card] if p.is_file()]


def _write_indicator_files(site: SiteContext, data: documents.IndicatorData) -> int:
    folder = site.out / "data"
    datafiles.write_indicator_files(folder, site.session, data, site.built)
    datafiles.write_view(folder, data)
    if data.has_data:
        write_card_image(site.out / "charts" / f"indicator-{data.spec.id}.png", data)
    return 0


def _write_site_files(site: SiteContext, cat: iv.Catalogue, datas: list[documents.IndicatorData]) -> int:
    folder = site.out / "data"
    datafiles.write_api(folder, site.session, datas, site.built, cat.why_empty, site.langs)
    datafiles.write_facts_csv(folder, site.cached("fact_results", lambda: check_facts(site.session.engine)))
    datafiles.write_datapackage(folder, datas, site.built)
    (folder / "geo").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data_path(GEOMETRY), folder / GEOMETRY)
    return 0


def write_card_image(target: Path, data: documents.IndicatorData) -> Path:
    """A PNG of the headline series (1200×630, no text: the same in every language), for og:image."""
    view = documents.resolved_headline(data)
    points = [{"period": p, "value": v} for p, v in documents.series_of(data, view) if v is not None][-40:]
    spec = {"width": 1120, "height": 550, "padding": 40, "background": "#ffffff", "data": {"values": points},
            "mark": {"type": "line", "point": {"size": 90}, "strokeWidth": 5, "color": palette.SINGLE},
            "encoding": {"x": {"field": "period", "type": "ordinal", "title": None,
                               "axis": {"labelFontSize": 18, "labelAngle": 0, "labelOverlap": True}},
                         "y": {"field": "value", "type": "quantitative", "title": None, "scale": {"zero": False},
                               "axis": {"labelFontSize": 18, "format": "~s"}}},
            "config": {"view": {"stroke": None}, "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif"}}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(vlc.vegalite_to_png(spec, scale=1))
    return target


def _goal_links(cat: iv.Catalogue, indicator: str, lang: str, root: str) -> list[dict[str, Any]]:
    links = []
    for goal, target in cat.targets.get(indicator, []):
        links.append({"goal": goal.id, "goal_name": goal.name.get(lang), "goal_href": f"goals/{goal.slug}.html",
                      "target": target.title.get(lang), "target_href": f"goals/{goal.slug}.html#{target.id}"})
    return links


def _goal_of(spec: Any, lang: str) -> dict[str, Any] | None:
    if spec.goal is None:
        return None
    goal = load_catalog().goal(spec.goal)
    return {"id": goal.id, "name": goal.name.get(lang), "href": f"goals/{goal.slug}.html"}


def _related(cat: iv.Catalogue, indicator: str, lang: str) -> list[dict[str, Any]]:
    specs = indicator_specs()
    return [{"id": i, "title": specs[i].title.get(lang), "href": f"{i}.html", "has_data": cat.datas[i].has_data}
            for i in iv.related(specs[indicator], cat)]


def _common(site: SiteContext, cat: iv.Catalogue, indicator: str, lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    data = cat.datas[indicator]
    spec = data.spec
    meta_sources = documents.sources_of(site.session, data.vintages)
    return {
        "spec_id": spec.id, "title": spec.title.get(lang), "page_title": spec.title.get(lang),
        "definition": spec.method.get(lang), "unit_name": iv.unit_text(spec, lang),
        "direction": _(iv.DIRECTIONS[spec.direction]), "goal": _goal_of(spec, lang),
        "targets": _goal_links(cat, indicator, lang, ""), "related": _related(cat, indicator, lang),
        "sources": iv.source_blocks(site.session, data, lang),
        "citation": documents.citation(data, lang, meta_sources, site.built, gettext_for),
        "downloads": documents.download_paths(spec.id), "formula": spec.formula,
        "inputs": [i.series or f"indicator:{i.indicator}" for i in spec.inputs.values()],
        "topics": topics_of(indicator), "base_url": site.base_url,
        "page_url": _absolute(site, f"{lang}/{PAGE.format(id=spec.id)}"),
    }


def _absolute(site: SiteContext, path: str) -> str:
    return f"{site.base_url.rstrip('/')}/{path}" if site.base_url else ""


def page_context(site: SiteContext, cat: iv.Catalogue, indicator: str, lang: str) -> dict[str, Any]:
    """Everything the page of an indicator with data shows."""
    _ = gettext_for(lang)
    data = cat.datas[indicator]
    view = documents.resolved_headline(data)
    factor, word = iv.scale_of(data, view)
    digits = iv.decimals(data, factor)
    latest = documents.latest(data, view)
    assert latest is not None
    marks = cat.marks.get(indicator, [])
    embed_path = f"{lang}/{EMBED.format(id=indicator)}"
    return {
        **_common(site, cat, indicator, lang),
        "view_text": iv.view_text(view, lang), "freq_name": _(iv.FREQ_NAMES[view.freq]),
        "latest_value": number(latest["value"] / factor, lang, digits), "unit": iv.unit_text(data.spec, lang, word),
        "latest_period": period_label(latest["period"], lang),
        "change": iv.change_text(latest, data, lang, factor, digits),
        "badge": latest["badge"], "vintage": latest["vintage"], "kind": iv.chart_kind(data, view),
        "table": revised_view.mark_rows(iv.table_rows(data, view, lang, factor, digits),
                                        revised_view.revisions(site.session, data, view, lang, factor, digits)),
        "feed": feeds.indicator_feed(indicator),
        "marks": [m | {"value_text": number(m["value"] / factor, lang, digits),
                       "period_text": period_label(m["period"], lang), "view": iv.view_text(m, lang)} for m in marks],
        "config_json": iv.client_config(data, view, lang, marks, factor, word, digits, cat),
        "embed_src": _absolute(site, embed_path) or f"../embed/{indicator}.html",
        "og_image": _absolute(site, f"charts/indicator-{indicator}.png"),
        "freqs": [_(iv.FREQ_NAMES[f]) for f in data.freqs],
    }


def embed_context(site: SiteContext, cat: iv.Catalogue, indicator: str, lang: str) -> dict[str, Any]:
    """The embed page: the chart alone, title, source and a link back."""
    context = page_context(site, cat, indicator, lang)
    context["back_href"] = f"../indicators/{indicator}.html"
    context["back_url"] = _absolute(site, f"{lang}/{PAGE.format(id=indicator)}")
    return context


def empty_context(site: SiteContext, cat: iv.Catalogue, indicator: str, lang: str) -> dict[str, Any]:
    """The page of a spec without data: what it measures and which publisher's data fills it."""
    why = cat.why_empty.get(indicator, {})
    commands = sorted({f"usmca update {source}" for source in why.values()} |
                      {f"usmca import {source} FILE" for source in why.values()})
    return {**_common(site, cat, indicator, lang), "why": why_text(why, lang, indicator), "series": sorted(why),
            "commands": commands}


def index_context(cat: iv.Catalogue, lang: str) -> dict[str, Any]:
    """The catalog: each goal, its targets and their indicators, then the goal's other indicators."""
    _ = gettext_for(lang)
    specs = indicator_specs()

    def item(i: str) -> dict[str, Any]:
        data = cat.datas[i]
        latest = documents.latest(data) if data.has_data else None
        return {"id": i, "title": specs[i].title.get(lang), "href": f"{i}.html", "has_data": data.has_data,
                "latest": "" if latest is None else f"{number(latest['value'], lang, 2)} ({latest['period']})"}

    goals = []
    for goal in load_catalog().goals:
        targets = [{"id": t.id, "title": t.title.get(lang), "href": f"../goals/{goal.slug}.html#{t.id}",
                    "indicators": [item(t.indicator)] if t.indicator in specs else []} for t in goal.targets]
        followed = {t.indicator for t in goal.targets}
        others = [item(i) for i in sorted(specs) if specs[i].goal == goal.id and i not in followed]
        goals.append({"id": goal.id, "name": goal.name.get(lang), "href": f"../goals/{goal.slug}.html",
                      "targets": targets, "others": others})
    loose = [item(i) for i in sorted(specs) if specs[i].goal is None]
    return {"page_title": _("Indicators"), "goals": goals, "loose": loose,
            "counts": {"total": len(specs), "with_data": len(cat.with_data)}}


def written_pages(site: SiteContext) -> dict[str, int]:
    """How many indicator pages were written per language in this build."""
    summary: dict[str, Any] = site.cached(SUMMARY_KEY, lambda: {"pages": {}, "without_data": {}})
    return dict(summary["pages"])


def site_path(root: Path, lang: str, indicator: str) -> Path:
    """Where the page of ``indicator`` is in a built site."""
    return root / lang / PAGE.format(id=indicator)
