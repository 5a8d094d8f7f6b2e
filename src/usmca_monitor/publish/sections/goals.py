"""Goals and progress: a page per shared goal (its targets with sparkline, status, score, trend and the
"why" — every calculation component), an overview of all targets, the stakeholders page (goals other
organisations register), downloads of every assessment, and the goal cards of the home page."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from usmca_monitor.catalog import source_specs
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.goals import Band, TargetSpec
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.progress.evaluate import GoalResult, SeriesResult, TargetResult, engine_loader, judge_goals
from usmca_monitor.progress.stakeholders import (
    EXAMPLES,
    TEMPLATE,
    KnownCodes,
    Stakeholder,
    judge_stakeholder,
    load_folder,
)
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number
from usmca_monitor.publish.labels import vintage_labels
from usmca_monitor.publish.progress_charts import chart_keys
from usmca_monitor.publish.sections import progress_text as words
from usmca_monitor.safety import csv_cell, dumps, safe_url

OVERVIEW = "goals/index.html"
STAKEHOLDERS = "goals/stakeholders.html"
STAKEHOLDERS_KEY = "stakeholder_goals"
PROGRESS_KEY = "goals_progress"
NAV = [NavEntry(OVERVIEW, N_("Progress to 2050"), 5), NavEntry(STAKEHOLDERS, N_("Stakeholder goals"), 90)]
GOAL_LINKS = [GoalLink(g.id, f"goals/{g.slug}.html", N_("Targets and progress toward 2050"))
              for g in load_catalog().goals]
STATUS_LABELS = {
    "target_achieved": N_("Target achieved"), "substantial_progress": N_("Substantial progress"),
    "moderate_progress": N_("Moderate progress"), "limited_progress": N_("Limited progress"),
    "deterioration": N_("Deterioration"), "not_available": N_("Not available"),
}
METHOD_LABELS = {
    "cagr_ratio": N_("Compound growth against the growth required (Statistics Canada, Open SDG)"),
    "linear": N_("Change per year against the change required"),
    "un_progress_chart": N_("UN Statistics Division progress chart"),
    "semaforo": N_("Traffic light (México, ¿cómo vamos?)"),
}
DIRECTIONS = {"increase": N_("increase"), "decrease": N_("decrease")}
COMPONENTS = {
    "base_year": N_("Base year"), "y0": N_("Base value (y0)"), "latest_year": N_("Latest year"),
    "yi": N_("Latest value (yi)"), "yT": N_("Target value (yT)"), "target_year": N_("Target year"),
    "d": N_("Desired direction (d: +1 increase, −1 decrease)"), "sign": N_("Sign of the base value"),
    "cagr_actual": N_("Actual compound annual growth"), "cagr_required": N_("Compound annual growth required"),
    "R": N_("Actual over required growth (R)"), "v": N_("Growth per year in the desired direction (v)"),
    "C": N_("Closeness to the natural limit (C)"), "limit": N_("Natural limit (L)"),
    "thresholds": N_("Thresholds"), "slope_actual": N_("Change per year"),
    "slope_required": N_("Change per year required"), "scale": N_("Scale (mean absolute level)"),
    "projection": N_("Projected value at the target year"), "r": N_("Share of the way to the target (r)"),
    "un_label": N_("Reading of the UN progress chart"), "light": N_("Light"), "bands": N_("Bands"),
    "benchmark_y0": N_("Benchmark at the base year"), "benchmark_yi": N_("Benchmark in the latest year"),
    "level_gap": N_("Level ahead of the benchmark"), "change_gap": N_("Change ahead of the benchmark"),
    "note": N_("Note"),
}
WORDS = {"on track": N_("on track"), "fair progress, acceleration needed": N_("fair progress, acceleration needed"),
         "stagnation": N_("stagnation"), "regression": N_("regression"), "target met": N_("target met"),
         "green": N_("green"), "yellow": N_("yellow"), "orange": N_("orange"), "red": N_("red")}


def goal_results(site: SiteContext) -> list[GoalResult]:
    """The shared goals judged on this build's data (once per build)."""
    return site.cached(PROGRESS_KEY, lambda: judge_goals(load_catalog(), engine_loader(site.session.engine)))


def load_stakeholders(folder: Path) -> list[Stakeholder]:
    """The stakeholder goal files of ``folder`` (every file checked; any problem is one DataError)."""
    return load_folder(folder, KnownCodes.from_catalog())


def write(site: SiteContext, lang: str) -> int:
    """Write the overview, one page per goal and the stakeholders page in ``lang`` (downloads once)."""
    _ = gettext_for(lang)
    results = goal_results(site)
    stakeholders = _judged_stakeholders(site)
    site.cached("goals-downloads", lambda: write_downloads(site.out / "data", results, stakeholders))
    site.cached("goals-template", lambda: (site.out / "data" / "stakeholder-goals-template.yaml").write_text(
        TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8"))  # what `usmca goals init` writes
    cards = [goal_card(g, lang) for g in results]
    site.render(lang, "goals.html", OVERVIEW, page_title=_("Progress to 2050"), cards=cards,
                goals=[goal_view(g, lang) for g in results], how_combined=how_combined(results, lang),
                goal_texts=[goal_rule(g, lang) for g in results], d3_locale_json=dumps(d3_locale(lang)))
    labels = vintage_labels(site, lang)
    for goal in results:
        view = goal_view(goal, lang)
        view["stakeholders"] = [s for s in stakeholder_views(stakeholders, lang) if goal.spec.id in s["goal_ids"]]
        site.render(lang, "goal.html", f"goals/{goal.spec.slug}.html", page_title=view["name"], goal=view,
                    vintage_labels=labels, d3_locale_json=dumps(d3_locale(lang)))
    site.render(lang, "stakeholders.html", STAKEHOLDERS, page_title=_("Stakeholder goals"),
                organisations=stakeholder_views(stakeholders, lang), goal_names=_goal_names(lang),
                example=example_views(site, lang), template_yaml=TEMPLATE.read_text(encoding="utf-8"),
                vintage_labels=labels, d3_locale_json=dumps(d3_locale(lang)))
    return len(results) + 2


def _judged_stakeholders(site: SiteContext) -> list[tuple[Stakeholder, list[TargetResult]]]:
    def make() -> list[tuple[Stakeholder, list[TargetResult]]]:
        found: list[Stakeholder] = site.cached(STAKEHOLDERS_KEY, list)
        load = engine_loader(site.session.engine)
        return [(s, judge_stakeholder(s, load, load_catalog().milestones)) for s in found]
    return site.cached("stakeholders-judged", make)


def example_views(site: SiteContext, lang: str) -> list[dict[str, Any]]:
    """The example organisation shipped with the package (fictitious, clearly labelled: ``example`` is
    True), judged on this build's data like a registered one, for the stakeholder page to show how an
    organisation joins. It is not part of the downloads."""
    def make() -> list[tuple[Stakeholder, list[TargetResult]]]:
        found = load_folder(EXAMPLES, KnownCodes.from_catalog())
        load = engine_loader(site.session.engine)
        return [(s, judge_stakeholder(s, load, load_catalog().milestones)) for s in found]
    judged = site.cached("stakeholder-examples", make)
    return [{**view, "example": True} for view in stakeholder_views(judged, lang)]


def _goal_names(lang: str) -> dict[int, str]:
    return {g.id: g.name.get(lang) for g in load_catalog().goals}


def status_view(status: str, score: float | None, arrow: dict[str, str], lang: str) -> dict[str, Any]:
    """A status pill: label, css class, the arrow and its meaning. The method's score is never shown
    bare: ``score`` is "—" (the templates hide it) and ``score_note`` gives it with its scale and meaning
    for the technical details."""
    _ = gettext_for(lang)
    return {"status": status, "label": _(STATUS_LABELS[status]), "score": "—",
            "score_note": words.score_note(score, lang), **arrow}


def _rolled_arrow(travels: list[str], lang: str, what: str) -> dict[str, str]:
    from usmca_monitor.progress.readout import combined_travel

    travel = combined_travel(travels)
    known = [t for t in travels if t not in ("none", "")]
    return words.arrow_view(travel, lang, counts=(known.count("better"), known.count("worse"), len(known)),
                            what=what)


def target_arrow(result: TargetResult, lang: str) -> dict[str, str]:
    """The arrow of a target: its series' common direction since the baseline, or how many improved."""
    if len(result.series) == 1:
        bench = area_name(result.spec.params.benchmark, lang) if result.spec.params.benchmark else ""
        return series_arrow(result.series[0], lang, bench)
    return _rolled_arrow([s.travel for s in result.series], lang, "series")


def goal_arrow(goal: GoalResult, lang: str) -> dict[str, str]:
    """The arrow of a goal: its targets' common direction, or how many targets improved."""
    return _rolled_arrow([t.travel for t in goal.targets], lang, "targets")


def series_arrow(series: SeriesResult, lang: str, benchmark: str = "") -> dict[str, str]:
    """The arrow of a series: the change since the baseline against the desired direction (a traffic
    light on levels: since the previous year; against a benchmark: the change against the benchmark's)."""
    readout = series.readout
    if readout is None:
        return words.arrow_view("none", lang)
    if readout.verdict == "band":
        previous = readout.details.get("previous")
        return words.arrow_view(series.travel, lang, since=str(previous["year"]) if previous else "",
                                against="previous")
    base = readout.baseline
    against = "benchmark" if readout.verdict == "benchmark" else "baseline"
    return words.arrow_view(series.travel, lang, since=str(base[0]) if base else "", against=against,
                            benchmark=benchmark)


def coverage_text(covered: int, total: int, lang: str, what: str = "targets") -> str:
    """``1 of 2 targets have data`` with the plural of the language."""
    n_ = words.ngettext_for(lang)
    if what == "series":
        text = n_("%(covered)d of %(total)d series has data", "%(covered)d of %(total)d series have data", total)
    else:
        text = n_("%(covered)d of %(total)d target has data", "%(covered)d of %(total)d targets have data", total)
    return text % {"covered": covered, "total": total}


def goal_card(goal: GoalResult, lang: str) -> dict[str, Any]:
    """What the home page shows of a goal: status, arrow, coverage and its headline targets."""
    headline = [target_summary(t, lang) for t in goal.targets if t.spec.headline]
    return {"id": goal.spec.id, "slug": goal.spec.slug, "href": f"goals/{goal.spec.slug}.html",
            **status_view(goal.rolled.status, goal.rolled.score, goal_arrow(goal, lang), lang),
            "coverage": coverage_text(goal.rolled.covered, goal.rolled.total, lang),
            "combined": goal_rule(goal, lang), "headline": headline}


def area_name(code: str | None, lang: str) -> str:
    """Display name of a geo or partner code (catalog names for groups first)."""
    if code is None:
        return ""
    areas = load_catalog().areas
    return areas[code].get(lang) if code in areas else load_codelists().name(code, lang)


def series_label(target: TargetSpec, series: SeriesResult, lang: str) -> str:
    """``Mexico`` for a geo series, ``United States → Canada`` for a partner series."""
    if series.partner is None:
        return area_name(series.geo, lang)
    partner = load_codelists().name(series.partner, lang)  # as a partner, USMCA is Canada and Mexico
    if len(target.selection.geo) == 1:
        return partner
    return f"{area_name(series.geo, lang)} → {partner}"


def fmt(value: float | None, lang: str) -> str:
    """A value with as many decimals as its size needs."""
    if value is None:
        return "—"
    size = abs(value)
    return number(value, lang, 0 if size >= 1000 else 1 if size >= 10 else 2)


def target_summary(result: TargetResult, lang: str) -> dict[str, Any]:
    """A target in one line: title, latest value of each series, status."""
    latest = []
    for series in result.series:
        years = sorted(series.values)
        if years:
            latest.append({"label": series_label(result.spec, series, lang), "year": years[-1],
                           "value": fmt(series.values[years[-1]], lang)})
    unit = result.data.unit if result.data else ""
    return {"title": result.spec.title.get(lang), "latest": latest, "unit": unit_label(unit, lang),
            **status_view(result.rolled.status, result.rolled.score, target_arrow(result, lang), lang),
            "status_text": target_status_text(result, lang), "badge": result.data.badge if result.data else "report"}


UNITS = {"percent": N_("%"), "ratio": N_("ratio"), "USD": N_("US$"), "intl_USD_PPP": N_("international $ (PPP)"),
         "intl_USD_2021_PPP": N_("constant 2021 international $ (PPP)"), "score_1_5": N_("score, 1 to 5"),
         "index_0_100": N_("index, 0 to 100")}


def unit_label(unit: str, lang: str) -> str:
    """A unit as readers see it."""
    return gettext_for(lang)(UNITS[unit]) if unit in UNITS else unit


def goal_view(goal: GoalResult, lang: str) -> dict[str, Any]:
    """Everything a goal page shows."""
    _ = gettext_for(lang)
    spec = goal.spec
    rule = _("the mean of its targets' scores") if spec.rollup == "mean" else _(
        "the mean of its two lowest target scores (a conservative reading)")
    return {"id": spec.id, "slug": spec.slug, "name": spec.name.get(lang), "summary": spec.summary.get(lang),
            "note": spec.note.get(lang) if spec.note else "", "rule": rule, "combined": goal_rule(goal, lang),
            **status_view(goal.rolled.status, goal.rolled.score, goal_arrow(goal, lang), lang),
            "coverage": coverage_text(goal.rolled.covered, goal.rolled.total, lang),
            "targets": [target_view(t, lang) for t in goal.targets], "stakeholders": []}


def goal_rule(goal: GoalResult, lang: str) -> str:
    """How the goal's status was combined from its targets, from the rule applied."""
    _ = gettext_for(lang)
    n_ = words.ngettext_for(lang)
    covered = goal.rolled.covered
    if goal.rolled.components.get("rule") == "two_worst":
        return _("The goal's status is the mean of its two lowest target readings, a conservative reading.")
    return n_("The goal's status is the mean of the readings of its %(n)d target with data.",
              "The goal's status is the mean of the readings of its %(n)d targets with data.", covered) % {
        "n": covered}


def how_combined(results: list[GoalResult], lang: str) -> list[dict[str, str]]:
    """For the overview: each target's combination rule in words (from the rule actually applied)."""
    rows = [(g, t, _rolled_rule(t, lang)) for g in results for t in g.targets]
    return [{"goal": str(g.spec.id), "target": t.spec.id, "title": t.spec.title.get(lang), "text": text}
            for g, t, text in rows if text]


def target_view(result: TargetResult, lang: str) -> dict[str, Any]:
    """One target on a page: definition, why, status and each series with its components."""
    _ = gettext_for(lang)
    spec = result.spec
    if spec.target_value is not None:
        aim = _("%(value)s by %(year)s") % {"value": fmt(spec.target_value, lang), "year": spec.target_year}
    elif spec.params.bands:
        aim = words.sep(lang).join(_band_text(b, lang) for b in spec.params.bands)
    elif spec.params.benchmark:
        aim = _("better than %(benchmark)s in level and in change since the baseline") % {
            "benchmark": area_name(spec.params.benchmark, lang)}
    else:
        aim = _("direction only: %(direction)s (no source sets a value)") % {
            "direction": _(DIRECTIONS[spec.direction])}
    data = result.data
    unit = data.unit if data else ""
    bench = area_name(spec.params.benchmark, lang) if spec.params.benchmark else ""
    return {
        "id": spec.id, "title": spec.title.get(lang), "why": spec.why.get(lang), "aim": aim,
        "direction": _(DIRECTIONS[spec.direction]), "method": _(METHOD_LABELS[spec.method]),
        "method_why": words.method_why(spec, lang),
        "baseline_year": _baseline(spec, lang), "proposed": spec.proposed,
        "citation": {"text": spec.citation.text_in(lang), "url": safe_url(spec.citation.url) or ""}
        if spec.citation else None,
        "pending": spec.pending.get(lang) if spec.pending else "",
        "indicator": data.title.get(lang) if data else "", "indicator_id": spec.indicator or "",
        "unit": unit_label(unit, lang) if data else "",
        "source": data.source if data else "", "vintages": ", ".join(data.vintages.values()) if data else "",
        "vintage_ids": list(dict.fromkeys(data.vintages.values())) if data else [],
        "badge": data.badge if data else "report",
        "series": [series_view(spec, s, lang, unit, bench) for s in result.series],
        "rolled_rule": _rolled_rule(result, lang), "combined": _rolled_rule(result, lang), "reason": result.reason,
        "status_text": target_status_text(result, lang),
        "coverage": coverage_text(result.rolled.covered, result.rolled.total, lang, "series"),
        "states": words.states_view(result.rolled.components, lang, load_catalog().areas)
        if result.rolled.components.get("rule") == "states" else [],
        **status_view(result.rolled.status, result.rolled.score, target_arrow(result, lang), lang),
    }


def target_status_text(result: TargetResult, lang: str) -> str:
    """The target's status in words: its only series' reading, or the status and how it was combined."""
    _ = gettext_for(lang)
    if result.rolled.status == "not_available":
        return _("Not judged yet: no data for this target.") if not result.series else _(
            "Not enough data to judge this target yet.")
    if len(result.series) == 1 and result.series[0].readout is not None:
        bench = area_name(result.spec.params.benchmark, lang) if result.spec.params.benchmark else ""
        return words.status_text(result.series[0].readout, result.data.unit if result.data else "", lang, bench)
    return _("%(status)s. %(combined)s") % {"status": _(STATUS_LABELS[result.rolled.status]),
                                            "combined": _rolled_rule(result, lang)}


def _baseline(spec: TargetSpec, lang: str) -> str:
    if spec.baseline_year is None:
        return "—"
    if spec.baseline_value is None:
        return str(spec.baseline_year)
    return f"{spec.baseline_year} ({fmt(spec.baseline_value, lang)})"


def _band_text(band: Band, lang: str) -> str:
    _ = gettext_for(lang)
    light = _(WORDS[band.light])
    if band.at_least is not None:
        return _("%(light)s from %(value)s") % {"light": light,
                                                 "value": words.value_text(band.at_least, "", lang, compact=True)}
    if band.at_most is not None:
        return _("%(light)s up to %(value)s") % {"light": light,
                                                  "value": words.value_text(band.at_most, "", lang, compact=True)}
    return _("%(light)s otherwise") % {"light": light}


def _rolled_rule(result: TargetResult, lang: str) -> str:
    """How the target was combined from its series, from the rule actually applied."""
    parts = [(s.geo if s.partner is None or len(result.spec.selection.geo) > 1 else s.partner, s.assessment.status)
             for s in result.series if s.assessment.status != "not_available"]
    return words.combined_text(result.rolled.components, parts, lang, load_catalog().areas)


def series_view(target: TargetSpec, series: SeriesResult, lang: str, unit: str = "",
                benchmark: str = "") -> dict[str, Any]:
    """A series: sparkline, base and latest values, the reading in plain terms (pace, status in words,
    arrow, path to the target) and the calculation components."""
    _ = gettext_for(lang)
    a = series.assessment
    comp = a.components
    view = {
        "name": series_label(target, series, lang), "sparkline": sparkline(series.values, target, lang),
        "base": _point(comp.get("base_year"), comp.get("y0"), lang),
        "latest": _point(comp.get("latest_year"), comp.get("yi"), lang),
        "projected": fmt(a.projected, lang) if a.projected is not None else "—",
        "milestones": [{"year": m.year, "label": m.label.get(lang), "value": fmt(v, lang)}
                       for m, v in series.milestones if v is not None],
        "components": [{"name": _(COMPONENTS.get(k, k)), "value": component_value(v, lang)} for k, v in comp.items()],
        "reason": a.reason, **status_view(a.status, a.score, series_arrow(series, lang, benchmark), lang),
        **readout_view(series, unit, lang, benchmark),
    }
    return {**view, **chart_keys(target.id, series.geo, series.partner, view, lang)}


def readout_view(series: SeriesResult, unit: str, lang: str, benchmark: str = "") -> dict[str, Any]:
    """The new keys of a series: baseline and latest (value, year), the pace achieved and needed, the
    status in words, the path to the target with its milestones, and the data of a path chart."""
    r = series.readout
    if r is None:
        return {}
    pace = r.pace
    return {
        "baseline_year": r.baseline[0] if r.baseline else None,
        "baseline_value": words.value_text(r.baseline[1] if r.baseline else None, unit, lang),
        "latest_year": r.latest[0] if r.latest else None,
        "latest_value": words.value_text(r.latest[1] if r.latest else None, unit, lang),
        "pace_achieved": words.moving(pace.achieved, pace.kind, unit, lang)
        if pace and pace.kind in ("growth", "change") else "",
        "pace_needed": words.change(pace.needed, pace.kind, unit, lang)
        if pace and pace.needed is not None and pace.kind in ("growth", "change") else "",
        "pace_needed_for": pace.needed_for if pace else "",
        "verdict": r.verdict, "status_text": words.status_text(r, unit, lang, benchmark),
        "path": [{"year": p.year, "label": p.label.get(lang), "projected": words.value_text(p.projected, unit, lang),
                  "needed": words.value_text(p.needed, unit, lang)} for p in r.path],
        "chart": path_chart(series, r, lang),
    }


def path_chart(series: SeriesResult, r: Any, lang: str) -> dict[str, Any]:
    """Numbers for a small chart of the path to the target: the data, the projection at the current
    pace and the path needed, from the baseline to the target year through the milestones."""
    from usmca_monitor.progress.readout import needed_at

    actual = [{"year": y, "value": v} for y, v in sorted(series.values.items())]
    if r.baseline is None or r.latest is None or r.pace is None or r.pace.kind not in ("growth", "change"):
        return {"actual": actual, "projected": [], "needed": [], "target": None, "milestones": []}
    ends = sorted({p.year for p in r.path} | {r.target_year})
    projected = [{"year": r.latest[0], "value": r.latest[1]}, *(
        {"year": p.year, "value": p.projected} for p in r.path if p.projected is not None and p.year > r.latest[0])]
    if series.assessment.projected is not None and r.target_year not in {p.year for p in r.path}:
        projected.append({"year": r.target_year, "value": series.assessment.projected})
    needed = [{"year": r.baseline[0], "value": r.baseline[1]}] + [
        {"year": y, "value": v} for y in ends if (v := needed_at(r.pace, r.baseline, y, series.assessment.method))
        is not None]
    target = {"year": r.target[0], "value": r.target[1]} if r.target else None
    return {"actual": actual, "projected": projected, "needed": needed if len(needed) > 1 else [], "target": target,
            "milestones": [{"year": p.year, "label": p.label.get(lang)} for p in r.path]}


def _point(year: Any, value: Any, lang: str) -> str:
    if year is None or value is None:
        return "—"
    return f"{fmt(float(value), lang)} ({year})"


def component_value(value: Any, lang: str) -> str:
    """A component as text: numbers in the locale (4 decimals for small ones), words translated."""
    _ = gettext_for(lang)
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number(value, lang, 4) if abs(value) < 10 else fmt(value, lang)
    if isinstance(value, list):
        return "; ".join(component_value(v, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {component_value(v, lang)}" for k, v in value.items())
    return _(WORDS[value]) if value in WORDS else str(value)


def sparkline(values: dict[int, float], target: TargetSpec, lang: str, width: int = 140, height: int = 36) -> str:
    """A small inline SVG line of the series (the base year marked, the latest value dotted)."""
    _ = gettext_for(lang)
    years = sorted(values)
    if len(years) < 2:
        return ""
    low, high = min(values.values()), max(values.values())
    span = (high - low) or 1.0
    first, last = years[0], years[-1]

    def xy(year: int) -> tuple[float, float]:
        return (2 + (width - 4) * (year - first) / (last - first), 2 + (height - 4) * (high - values[year]) / span)

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(xy, years))
    lx, ly = xy(last)
    base = ""
    if target.baseline_year is not None and first <= target.baseline_year <= last:
        bx = 2 + (width - 4) * (target.baseline_year - first) / (last - first)
        base = f'<line x1="{bx:.1f}" y1="0" x2="{bx:.1f}" y2="{height}" class="spark-base"/>'
    label = _("%(first)s–%(last)s: from %(a)s to %(b)s") % {
        "first": first, "last": last, "a": fmt(values[first], lang), "b": fmt(values[last], lang)}
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{label}">{base}<polyline points="{points}"/>'
            f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.5"/></svg>')


def stakeholder_views(judged: list[tuple[Stakeholder, list[TargetResult]]], lang: str) -> list[dict[str, Any]]:
    """Organisations and their goals, by organisation name."""
    _ = gettext_for(lang)
    names = _goal_names(lang)
    views = []
    for stakeholder, results in sorted(judged, key=lambda item: item[0].spec.owner.name.lower()):
        spec = stakeholder.spec
        views.append({
            "slug": stakeholder.slug, "owner": spec.owner.name, "kind": spec.owner.kind,
            "url": safe_url(spec.owner.url) or "",
            "country": area_name(spec.owner.country, lang) if spec.owner.country else "",
            "contact": spec.contact.name, "email": spec.contact.email, "title": spec.title.get(lang),
            "description": spec.description.get(lang), "goal_ids": list(spec.contributes_to),
            "goals": [{"id": g, "name": names[g], "href": f"goals/{_slug(g)}.html"} for g in spec.contributes_to],
            "targets": [target_view(r, lang) for r in results]})
    return views


def _slug(goal_id: int) -> str:
    return load_catalog().goal(goal_id).slug


def progress_records(results: list[GoalResult],
                     stakeholders: list[tuple[Stakeholder, list[TargetResult]]]) -> list[dict[str, Any]]:
    """One flat record per series of every target (shared and stakeholder), for the CSV download."""
    records = []
    rows = [("shared", t) for g in results for t in g.targets]
    rows += [(s.spec.owner.name, t) for s, targets in stakeholders for t in targets]
    for owner, target in rows:
        each: list[SeriesResult | None] = list(target.series) or [None]
        for series in each:
            a = series.assessment if series else None
            records.append({
                "owner": owner, "goal": target.goal, "target": target.spec.id, "indicator": target.spec.indicator,
                "geo": series.geo if series else "", "partner": series.partner if series else "",
                "method": target.spec.method, "direction": target.spec.direction,
                "target_value": target.spec.target_value, "target_year": target.spec.target_year,
                "status": a.status if a else target.rolled.status, "score": a.score if a else None,
                "base_year": a.components.get("base_year") if a else None, "y0": a.components.get("y0") if a else None,
                "latest_year": a.components.get("latest_year") if a else None,
                "yi": a.components.get("yi") if a else None, "projected": a.projected if a else None,
                "target_status": target.rolled.status, "target_score": target.rolled.score,
                "badge": target.data.badge if target.data else "", "source": target.data.source if target.data else "",
                "vintage": "; ".join(target.data.vintages.values()) if target.data else "",
                "reason": (a.reason if a else target.reason)})
    return records


def write_downloads(folder: Path, results: list[GoalResult],
                    stakeholders: list[tuple[Stakeholder, list[TargetResult]]]) -> list[Path]:
    """``goals-progress.json`` (every goal, target and series with all components) and a flat CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = source_specs()
    payload = {"goals": [g.as_dict() for g in results],
               "stakeholders": [{"owner": s.spec.owner.name, "file": s.path.name,
                                 "contributes_to": s.spec.contributes_to,
                                 "targets": [t.as_dict() for t in targets]} for s, targets in stakeholders],
               "sources": {sid: {"producer": spec.producer, "citation": spec.citation, "licence": spec.licence}
                           for sid, spec in sources.items()}}
    json_path = folder / "goals-progress.json"
    json_path.write_text(dumps(payload, indent=1, default=str), encoding="utf-8")
    records = progress_records(results, stakeholders)
    csv_path = folder / "goals-progress.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in records)
    return [json_path, csv_path]
