""""North America in data" as a PDF, regenerated from current data (``usmca report``): a cover, the four
goals with their status, one chapter per goal (charts, the targets' table, the report's facts with their
verdicts), sources and vintages, and technical details; or one indicator's page (``--indicator``).

Typeset with WeasyPrint (Debian pango; fonts embedded) from the templates in
``site/templates/report/``; charts are vector SVG drawn by vl-convert from Vega-Lite specs — the TDR
chart is the site's own spec. Data is read through the session like every page; nothing here runs at
``usmca build``.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vl_convert as vlc

from usmca_monitor.catalog import source_specs
from usmca_monitor.codelists import load_codelists
from usmca_monitor.facts.check import FactResult, check_facts
from usmca_monitor.fsutil import atomic_write
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.indicators.session import Session
from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.progress.evaluate import GoalResult, TargetResult, engine_loader, judge_goals
from usmca_monitor.publish import charts, palette
from usmca_monitor.publish.changes_view import vintage_label
from usmca_monitor.publish.context import environment, gettext_for
from usmca_monitor.publish.i18n import LANGS, d3_locale, number, period_label
from usmca_monitor.publish.sections import facts as facts_section
from usmca_monitor.publish.sections import goals as goals_section
from usmca_monitor.publish.sections.tdr import tdr_selector_chart

CHART_WIDTH = 620
TDR_PARTNERS = ("MEX", "CAN", "CHN", "JPN", "DEU", "KOR", "VNM", "TWN")
TDR_YEARS = 6


@dataclass(frozen=True)
class Written:
    """A PDF written: where, and how many pages."""

    path: Path
    pages: int


@dataclass
class ReportData:
    """What every language of the report shows, computed once per session."""

    goals: list[GoalResult]
    facts: list[FactResult]
    tdr: dict[tuple[str, str], float]
    tdr_vintages: dict[str, str]
    built: str


def report_data(session: Session) -> ReportData:
    """The goals judged, the facts checked and the TDR by partner and year, from ``session``."""
    goals = judge_goals(load_catalog(), engine_loader(session.engine))
    facts = check_facts(session.engine)
    computed = session.compute("tdr", "A")
    tdr = {(r["partner"], r["period"]): r["value"] for r in computed.rows(geo="USA") if r["value"] is not None}
    return ReportData(goals, facts, tdr, dict(computed.vintages), dt.date.today().isoformat())


def svg_uri(spec: dict[str, Any], lang: str) -> str:
    """A Vega-Lite spec drawn as SVG (vector) at the report's width, as a data URI for an <img>."""
    svg = vlc.vegalite_to_svg(charts._fixed_width(spec, CHART_WIDTH), format_locale=d3_locale(lang))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def target_chart(result: TargetResult, lang: str) -> str | None:
    """A target's series by year, one line per country or partner, the target value as a rule."""
    _ = gettext_for(lang)
    rows = [{"series": goals_section.series_label(result.spec, s, lang), "year": year, "value": value}
            for s in result.series for year, value in sorted(s.values.items())]
    if not rows:
        return None
    layers: list[dict[str, Any]] = [{
        "mark": {"type": "line", "point": True, "strokeWidth": 2},
        "encoding": {"x": {"field": "year", "type": "quantitative", "title": _("Year"), "scale": {"zero": False},
                           "axis": {"format": "d", "labelAngle": 0, "tickMinStep": 1, "labelOverlap": True}},
                     "y": {"field": "value", "type": "quantitative", "title": goals_section.unit_label(
                         result.data.unit if result.data else "", lang), "scale": {"zero": False}},
                     "color": {"field": "series", "type": "nominal", "title": None,
                               "scale": palette.scale(
                                   (s.geo if s.partner is None else s.partner,
                                    goals_section.series_label(result.spec, s, lang)) for s in result.series),
                               "legend": {"orient": "bottom"}}}}]
    if result.spec.target_value is not None:
        layers.append({"data": {"values": [{"target": result.spec.target_value}]},
                       "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555"},
                       "encoding": {"y": {"field": "target", "type": "quantitative"}}})
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "data": {"values": rows},
            "width": "container", "height": 170, "layer": layers,
            "config": {"font": charts.FONT, "axis": {"labelFontSize": 11, "titleFontSize": 11},
                       "legend": {"labelFontSize": 11, "labelLimit": 260}, "view": {"stroke": None}}}
    return svg_uri(spec, lang)


def tdr_view(data: ReportData, lang: str) -> dict[str, Any] | None:
    """The TDR chapter block: the site's TDR chart (full years) and a table of the latest years."""
    _ = gettext_for(lang)
    years = sorted({p for _, p in data.tdr})[-TDR_YEARS:]
    if not years:
        return None
    names = load_codelists()
    partners = [p for p in TDR_PARTNERS if any((p, y) in data.tdr for y in years)]
    rows = [{"partner_name": names.name(p, lang), "year": y, "kind": "A", "period": y, "value": data.tdr[(p, y)],
             "order": i} for i, p in enumerate(partners[:5]) for y in years if (p, y) in data.tdr]
    labels = {"A": _("Full years"), "H1": _("First halves (January–June)"), "YTD": _("Year to date")}
    chart = tdr_selector_chart(rows, lang, _("Trade deficit ratio (TDR) of the United States by partner"), labels)
    table = [{"partner": names.name(p, lang), "values": [number(data.tdr.get((p, y)), lang, 2) for y in years]}
             for p in partners]
    return {"chart": svg_uri(chart, lang), "years": years, "rows": table,
            "vintage": "; ".join(data.tdr_vintages.values())}


def facts_view(results: list[FactResult], goal: int, lang: str) -> list[dict[str, Any]]:
    """The facts of one goal computed from the data, with the report's figure and their verdicts."""
    shown = []
    for result in results:
        if result.spec.goal != goal or result.status not in ("agrees", "diverges"):
            continue
        entry = facts_section.fact_entry(result, lang)
        shown.append({"text": entry["text"], "report": entry["report_value"] or "—", "period": entry["period"],
                      "computed": entry["computed"] or "—", "status": result.status, "label": entry["status_label"],
                      "badge": entry["badge"]})
    return shown


def goal_view(goal: GoalResult, data: ReportData, lang: str) -> dict[str, Any]:
    """One goal's chapter."""
    card = goals_section.goal_card(goal, lang)
    targets = []
    for result in goal.targets:
        summary = goals_section.target_summary(result, lang)
        summary["chart"] = target_chart(result, lang)
        summary["pending"] = result.spec.pending.get(lang) if result.spec.pending else ""
        targets.append(summary)
    return {"id": goal.spec.id, "name": goal.spec.name.get(lang), "summary": goal.spec.summary.get(lang),
            "status": card["label"], "status_class": card["status"], "coverage": card["coverage"],
            "targets": targets, "facts": facts_view(data.facts, goal.spec.id, lang),
            "awaiting": sum(1 for r in data.facts if r.spec.goal == goal.spec.id and r.status == "awaiting_data"),
            "tdr": tdr_view(data, lang) if goal.spec.id == 4 else None}


def sources_view(session: Session, lang: str) -> list[dict[str, Any]]:
    """Every source with a current vintage: names, licence, citation and the vintage in words."""
    out = []
    for source_id, spec in sorted(source_specs().items()):
        current = session.current_vintage(source_id)
        if current is None:
            continue
        record = {"vintage": current.vintage, "source_id": source_id, "kind": current.kind,
                  "created": current.created, "loaded": current.loaded,
                  "origins": [o.model_dump() for o in current.origins]}
        out.append({"title": spec.title.get(lang), "producer": spec.producer, "licence": spec.licence,
                    "citation": spec.citation, "label": vintage_label(record, lang), "vintage": current.vintage,
                    "hashes": sorted({o.sha256 for o in current.origins if o.sha256})})
    return out


def indicator_view(session: Session, indicator: str, lang: str) -> dict[str, Any]:
    """One indicator's page: definition, the latest values, a chart and its sources."""
    _ = gettext_for(lang)
    spec = get_spec(indicator)
    freq = "A" if "A" in spec.freqs else spec.freqs[0]
    computed = session.compute(indicator, freq)
    names = load_codelists()
    rows = [r for r in computed.rows() if r["value"] is not None]
    periods = sorted({r["period"] for r in rows})[-8:]
    groups: dict[str, dict[str, float]] = {}
    for r in rows:
        if r["period"] in periods:
            label = " → ".join(x for x in (names.name(r["geo"], lang), names.name(r["partner"], lang),
                                           r["product"] or "") if x)
            groups.setdefault(label, {})[r["period"]] = r["value"]
    latest = periods[-1] if periods else None
    ranked = sorted(groups.items(), key=lambda kv: -abs(kv[1].get(latest or "", 0.0)))[:12]
    chart_rows = [{"series": label, "year": p, "value": v} for label, values in ranked[:6] for p, v in values.items()]
    chart = None
    if chart_rows:
        chart = svg_uri({"data": {"values": chart_rows}, "width": "container", "height": 220,
                         "mark": {"type": "line", "point": True},
                         "encoding": {"x": {"field": "year", "type": "ordinal", "title": _("Period"),
                                            "axis": {"labelAngle": 0}},
                                      "y": {"field": "value", "type": "quantitative", "title": spec.unit},
                                      "color": {"field": "series", "type": "nominal", "title": None,
                                                "legend": {"orient": "bottom", "labelLimit": 300}}},
                         "config": {"font": charts.FONT, "view": {"stroke": None}}}, lang)
    return {"id": indicator, "title": spec.title.get(lang), "method": spec.method.get(lang), "unit": spec.unit,
            "badge": computed.badge, "periods": [period_label(p, lang) for p in periods],
            "rows": [{"label": label, "values": [number(values.get(p), lang, 2) for p in periods]}
                     for label, values in ranked], "chart": chart,
            "sources": [s for s in sources_view(session, lang) if s["vintage"] in computed.vintages.values()]}


def render_html(session: Session, data: ReportData, lang: str, goal: int | None = None,
                indicator: str | None = None) -> str:
    """The report (or one indicator's page) as HTML for WeasyPrint."""
    _ = gettext_for(lang)
    env = environment(lang)
    css = env.loader.get_source(env, "report/report.css")[0] if env.loader else ""
    common = {"lang": lang, "css": css, "built": data.built, "n": lambda v, d=1: number(v, lang, d)}
    if indicator is not None:
        return env.get_template("report/indicator.html").render(
            **common, title=_("North America in data"), item=indicator_view(session, indicator, lang),
            sources=None)
    chosen = [g for g in data.goals if goal is None or g.spec.id == goal]
    if goal is not None and not chosen:
        raise UnknownCodeError(f"unknown goal {goal}", "--goal", "use 1, 2, 3 or 4")
    return env.get_template("report/report.html").render(
        **common, title=_("North America in data"), goals=[goal_view(g, data, lang) for g in chosen],
        overview=[{"id": g.spec.id, "name": g.spec.name.get(lang), **goals_section.goal_card(g, lang)}
                  for g in data.goals], sources=sources_view(session, lang))


def write_pdf(html: str, target: Path) -> Written:
    """Typeset ``html`` and write the PDF whole (a reader never sees half a file)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(target.parent)).render()
    pdf = document.write_pdf()
    assert pdf is not None
    atomic_write(target, pdf)
    return Written(target, len(document.pages))


def write_report(target: Path, lang: str, *, goal: int | None = None, indicator: str | None = None,
                 vintage: str | None = None, home: Path | None = None, session: Session | None = None,
                 data: ReportData | None = None) -> Written:
    """Write the report (or ``indicator``'s page) in ``lang`` to ``target``. ``session``/``data`` let a
    caller reuse one computation for several languages."""
    if lang not in LANGS:
        raise UnknownCodeError(f"unknown language {lang!r}", "--lang", f"use one of: {', '.join(LANGS)}")
    if indicator is not None:
        get_spec(indicator)
    if session is None:
        with Session(home, vintage) as opened:
            return write_report(target, lang, goal=goal, indicator=indicator, session=opened)
    if indicator is None and data is None:
        data = report_data(session)
    html = render_html(session, data or ReportData([], [], {}, {}, dt.date.today().isoformat()), lang, goal,
                       indicator)
    return write_pdf(html, target)
