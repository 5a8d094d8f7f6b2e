"""Progress in words for the goal pages, the overview and the home cards: a series' readout
(``progress/readout.py``) as sentences — the pace achieved against the pace needed, the status, the
arrow's meaning — how each roll-up was combined (from the rule actually applied), the method chosen for
each target, and the share of states progressing. Strings live in the ``progress.po`` catalogs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel.numbers import format_decimal

from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.goals import TargetSpec
from usmca_monitor.progress.readout import Pace, Readout
from usmca_monitor.publish.context import N_, gettext_for
from usmca_monitor.publish.i18n import LOCALES, number, translations

NBSP = "\u00a0"
NNBSP = "\u202f"
ARROWS = {"better": ("↑", "up"), "worse": ("↓", "down"), "flat": ("→", "flat"), "mixed": ("↕", "mixed"),
          "none": ("", "none")}
LIGHTS = {"green": N_("Green light"), "yellow": N_("Yellow light"), "orange": N_("Orange light"),
          "red": N_("Red light")}
STATUS_SHORT = {"target_achieved": N_("target achieved"), "substantial_progress": N_("substantial progress"),
                "moderate_progress": N_("moderate progress"), "limited_progress": N_("limited progress"),
                "deterioration": N_("deterioration"), "not_available": N_("not available")}


def sep(lang: str, mark: str = ";") -> str:
    """A separator joining parts of a sentence (``; `` or ``: ``), with French spacing."""
    return f"{NNBSP if lang == 'fr' else ''}{mark} "


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """``ngettext`` of ``lang``'s catalogs (plural forms of the language)."""
    return translations(lang).ngettext


def fmt(value: float | None, lang: str) -> str:
    """A value with as many decimals as its size needs."""
    if value is None:
        return "—"
    size = abs(value)
    return number(value, lang, 0 if size >= 1000 else 1 if size >= 10 else 2)


def value_text(value: float | None, unit: str, lang: str, compact: bool = False) -> str:
    """A level as readers see it: ``60.0 %`` for a percentage, the number otherwise (``compact``: no
    trailing zeros, for thresholds such as 4.5 or 0)."""
    if value is None:
        return "—"
    shown = format_decimal(value, format="#,##0.##", locale=LOCALES[lang]) if compact else fmt(value, lang)
    return f"{shown}{NBSP}%" if unit == "percent" else shown


def amount(value: float, kind: str, unit: str, lang: str) -> str:
    """A pace without its sign: ``0.27 % a year`` (growth) or ``0.09 a year`` (change per year)."""
    _ = gettext_for(lang)
    if kind == "growth":
        size = abs(value) * 100
        return _("%(value)s a year") % {"value": f"{number(size, lang, 2 if size < 10 else 1)}{NBSP}%"}
    shown = number(abs(value), lang, 2 if abs(value) < 10 else 1)
    if unit == "percent":
        return _("%(value)s percentage points a year") % {"value": shown}
    return _("%(value)s a year") % {"value": shown}


def moving(value: float | None, kind: str, unit: str, lang: str) -> str:
    """The pace achieved as a phrase: ``rising 0.27 % a year``, ``falling 8.5 % a year``, ``unchanged``."""
    _ = gettext_for(lang)
    if value is None:
        return "—"
    if value == 0:
        return _("unchanged")
    text = _("rising %(amount)s") if value > 0 else _("falling %(amount)s")
    return text % {"amount": amount(value, kind, unit, lang)}


def change(value: float | None, kind: str, unit: str, lang: str) -> str:
    """A pace needed as a noun phrase: ``a rise of 1.5 % a year``, ``a fall of 1.5 % a year``."""
    _ = gettext_for(lang)
    if value is None:
        return "—"
    text = _("a rise of %(amount)s") if value >= 0 else _("a fall of %(amount)s")
    return text % {"amount": amount(value, kind, unit, lang)}


def _words(readout: Readout, unit: str, lang: str) -> dict[str, str]:
    """The pieces every sentence may use."""
    pace = readout.pace or Pace("growth", None)
    base = readout.baseline
    latest = readout.latest
    target = readout.target
    return {
        "pace": moving(pace.achieved, pace.kind, unit, lang),
        "needed": change(pace.needed, pace.kind, unit, lang),
        "moderate": change(pace.moderate, pace.kind, unit, lang),
        "base": str(base[0]) if base else "—", "base_value": value_text(base[1] if base else None, unit, lang),
        "year": str(latest[0]) if latest else "—",
        "latest": value_text(latest[1] if latest else None, unit, lang),
        "target": value_text(target[1] if target else None, unit, lang), "target_year": str(readout.target_year)}


WITH_TARGET = {
    "achieved": N_("Target reached: %(latest)s in %(year)s, against a target of %(target)s by %(target_year)s."),
    "on_track": N_("On track: %(pace)s since %(base)s, at least the %(needed)s needed to reach %(target)s by "
                   "%(target_year)s."),
    "not_fast_enough": N_("Improving, but not fast enough: %(pace)s since %(base)s, where %(needed)s is needed "
                          "to reach %(target)s by %(target_year)s."),
    "too_slow": N_("Improving, but too slowly to reach %(target)s by %(target_year)s: %(pace)s since %(base)s, "
                   "where %(needed)s is needed."),
    "unchanged": N_("No change since %(base)s, where %(needed)s is needed to reach %(target)s by "
                    "%(target_year)s."),
    "worsening": N_("Moving away from the target: %(pace)s since %(base)s, where %(needed)s is needed to reach "
                    "%(target)s by %(target_year)s."),
}
WITHOUT_TARGET = {
    "on_track": N_("Improving fast: %(pace)s since %(base)s, at least %(needed)s, the benchmark of substantial "
                   "progress."),
    "not_fast_enough": N_("Improving: %(pace)s since %(base)s, more than %(moderate)s (moderate progress) but "
                          "less than %(needed)s (substantial progress)."),
    "too_slow": N_("Improving, but too slowly: %(pace)s since %(base)s, less than %(moderate)s, the benchmark of "
                   "moderate progress (no source sets a value for %(target_year)s)."),
    "unchanged": N_("No change since %(base)s; %(moderate)s would be moderate progress."),
    "worsening": N_("Worsening: %(pace)s since %(base)s, against the desired direction."),
}


def status_text(readout: Readout, unit: str, lang: str, benchmark_name: str = "") -> str:
    """The status of one series in a sentence that never contradicts its arrow."""
    _ = gettext_for(lang)
    if readout.verdict == "not_available":
        return _("Not enough data to judge this series yet.")
    if readout.verdict == "band":
        return _band_text(readout, unit, lang)
    if readout.verdict == "benchmark":
        return _benchmark_text(readout, unit, lang, benchmark_name)
    table = WITH_TARGET if readout.target is not None else WITHOUT_TARGET
    template = table.get(readout.verdict, WITH_TARGET["achieved"])
    return _(template) % _words(readout, unit, lang)


def _band_text(readout: Readout, unit: str, lang: str) -> str:
    _ = gettext_for(lang)
    details = readout.details
    bands = sep(lang).join(band_text(b, unit, lang) for b in details.get("bands", []))
    words = {"light": _(LIGHTS.get(str(details.get("light")), LIGHTS["red"])),
             "latest": value_text(readout.pace.achieved if readout.pace else None, unit, lang),
             "year": str(readout.latest[0]) if readout.latest else "—", "bands": bands}
    previous = details.get("previous")
    if not previous:
        return _("%(light)s: %(latest)s in %(year)s (%(bands)s).") % words
    words.update({"before": value_text(previous["value"], unit, lang), "before_year": previous["year"]})
    return _("%(light)s: %(latest)s in %(year)s, after %(before)s in %(before_year)s (%(bands)s).") % words


BAND_NAMES = {"green": N_("green"), "yellow": N_("yellow"), "orange": N_("orange"), "red": N_("red")}


def band_text(band: Mapping[str, Any], unit: str, lang: str) -> str:
    """``green from 4.5 %``, ``red otherwise``."""
    _ = gettext_for(lang)
    light = _(BAND_NAMES.get(str(band.get("light")), BAND_NAMES["red"]))
    if band.get("at_least") is not None:
        return _("%(light)s from %(value)s") % {"light": light,
                                                 "value": value_text(band["at_least"], unit, lang, compact=True)}
    if band.get("at_most") is not None:
        return _("%(light)s up to %(value)s") % {"light": light,
                                                  "value": value_text(band["at_most"], unit, lang, compact=True)}
    return _("%(light)s otherwise") % {"light": light}


def _benchmark_text(readout: Readout, unit: str, lang: str, benchmark_name: str) -> str:
    _ = gettext_for(lang)
    details = readout.details
    pace = readout.pace or Pace("relative", None)
    words = {"benchmark": benchmark_name, "ours": value_text(readout.latest[1] if readout.latest else None, unit, lang),
             "theirs": value_text(details.get("benchmark_yi"), unit, lang),
             "year": str(readout.latest[0]) if readout.latest else "—",
             "base": str(readout.baseline[0]) if readout.baseline else "—",
             "our_change": _signed(pace.achieved, lang), "their_change": _signed(pace.needed, lang)}
    if not details.get("level_ahead"):
        return _("Worse than %(benchmark)s: %(ours)s against %(theirs)s in %(year)s.") % words
    if details.get("change_ahead"):
        return _("Better than %(benchmark)s in level (%(ours)s against %(theirs)s in %(year)s) and in its change "
                 "since %(base)s (%(our_change)s against %(their_change)s).") % words
    return _("Better than %(benchmark)s in level (%(ours)s against %(theirs)s in %(year)s), but not in its "
             "change since %(base)s (%(our_change)s against %(their_change)s).") % words


def _signed(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    text = fmt(abs(value), lang)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


ARROW_TEXTS = {
    "baseline": {"better": N_("better than in %(year)s, the baseline"),
                 "worse": N_("worse than in %(year)s, the baseline"), "flat": N_("unchanged since %(year)s")},
    "previous": {"better": N_("better than in %(year)s"), "worse": N_("worse than in %(year)s"),
                 "flat": N_("unchanged since %(year)s")},
    "benchmark": {"better": N_("changed more favourably than %(benchmark)s since %(year)s"),
                  "worse": N_("changed less favourably than %(benchmark)s since %(year)s"),
                  "flat": N_("changed like %(benchmark)s since %(year)s")},
}


def arrow_view(travel: str, lang: str, *, since: str = "", against: str = "baseline", benchmark: str = "",
               counts: tuple[int, int, int] | None = None, what: str = "series") -> dict[str, str]:
    """The arrow of a series (``travel`` since ``since``: the baseline, the previous year of a traffic
    light on levels, or against a benchmark's change) or of a roll-up (``counts``: parts better, worse,
    with a direction), with its meaning in words; ``trend`` keeps the CSS names up/down/flat."""
    _ = gettext_for(lang)
    arrow, trend = ARROWS.get(travel, ARROWS["none"])
    if counts is not None and travel != "none":
        arrow_text = _counts_text(counts, lang, what)
    elif travel in ("better", "worse", "flat") and since:
        arrow_text = _(ARROW_TEXTS[against][travel]) % {"year": since, "benchmark": benchmark}
    else:
        arrow_text = _("no change to show yet")
    return {"arrow": arrow, "trend": trend, "travel": travel, "arrow_text": arrow_text}


def _counts_text(counts: tuple[int, int, int], lang: str, what: str) -> str:
    n_ = ngettext_for(lang)
    better, worse, total = counts
    if what == "targets":
        text = n_("Of %(total)d target with data: %(better)d better than at its baseline, %(worse)d worse, "
                  "%(other)d mixed or unchanged",
                  "Of %(total)d targets with data: %(better)d better than at their baselines, %(worse)d worse, "
                  "%(other)d mixed or unchanged", total)
    else:
        text = n_("Of %(total)d series: %(better)d better than at the baseline, %(worse)d worse, %(other)d "
                  "unchanged",
                  "Of %(total)d series: %(better)d better than at the baseline, %(worse)d worse, %(other)d "
                  "unchanged", total)
    return text % {"total": total, "better": better, "worse": worse, "other": total - better - worse}


def score_note(score: float | None, lang: str) -> str:
    """The method's score with its scale and meaning (for the technical details, never alone)."""
    _ = gettext_for(lang)
    if score is None:
        return ""
    return _("Method score %(score)s on a scale from −5 to 5: 2.5 or more is substantial progress, 0 or more "
             "moderate, −2.5 or more limited, below that deterioration; it is kept for comparison with "
             "Statistics Canada's method, and an improving series can score below zero.") % {
        "score": number(score, lang, 2)}


METHOD_WHY = {
    "cagr_ratio": N_("Compound growth: the series stays above zero in every year shown, so its growth rate is "
                     "defined and compared with the growth needed."),
    "un_progress_chart": N_("UN progress chart: the series stays above zero in every year shown, so it is "
                            "projected at its compound growth rate."),
    "linear": N_("Change per year: the quantity can be negative or cross zero, where growth rates are "
                 "undefined."),
    "semaforo": N_("Traffic light: the level (and, against a benchmark, the change) decides the light."),
}


def method_why(spec: TargetSpec, lang: str) -> str:
    """Why the target uses its method (the rule the method choice follows)."""
    return gettext_for(lang)(METHOD_WHY[spec.method])


def area(code: str, lang: str, areas: Mapping[str, Any]) -> str:
    """The display name of a geo code (catalog group names first)."""
    return areas[code].get(lang) if code in areas else load_codelists().name(code, lang)


def combined_text(rolled_components: Mapping[str, Any], parts: Sequence[tuple[str, str]], lang: str,
                  areas: Mapping[str, Any]) -> str:
    """How a target was combined from its series, said from the rule actually applied. ``parts`` are
    (geo, status) of the series."""
    _ = gettext_for(lang)
    rule = rolled_components.get("rule")
    statuses = sep(lang).join(f"{area(g, lang, areas)}{sep(lang, ':')}{_(STATUS_SHORT[s])}" for g, s in parts)
    if rule == "weighted":
        return _weighted_text(rolled_components, statuses, lang, areas)
    if rule == "simple":
        return _("North America: the simple mean of the three countries' readings (%(statuses)s); shown only "
                 "when at least two of the three have data.") % {"statuses": statuses}
    if rule == "states":
        return states_text(rolled_components, lang, areas)
    if len(parts) > 1:
        return _("The mean of its %(n)s series' readings (%(statuses)s).") % {"n": len(parts), "statuses": statuses}
    return ""


def _weighted_text(comp: Mapping[str, Any], statuses: str, lang: str, areas: Mapping[str, Any]) -> str:
    _ = gettext_for(lang)
    weights = {g: w for g, w in (comp.get("weights") or {}).items() if w}
    total = sum(weights.values()) or 1.0
    shares = ", ".join(f"{area(g, lang, areas)} {number(100 * w / total, lang, 0)}{NBSP}%"
                       for g, w in sorted(weights.items(), key=lambda item: -item[1]))
    return _("North America: the countries' readings weighted by their GDP in %(year)s (%(shares)s), so the "
             "largest economy weighs most (%(statuses)s); shown only when the countries with data hold at "
             "least two thirds of the weight.") % {"year": comp.get("weights_year") or "—", "shares": shares,
                                                     "statuses": statuses}


def states_view(comp: Mapping[str, Any], lang: str, areas: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per country: the states with data, those progressing (moderate progress or better), and the share."""
    n_ = ngettext_for(lang)
    _ = gettext_for(lang)
    out = []
    for country, c in (comp.get("by_country") or {}).items():
        name = area(country, lang, areas)
        if c["with_data"]:
            text = n_("%(country)s: %(progressing)d of %(n)d state progressing (moderate progress or better)",
                      "%(country)s: %(progressing)d of %(n)d states progressing (moderate progress or better)",
                      c["with_data"]) % {"country": name, "progressing": c["progressing"], "n": c["with_data"]}
            share = f"{number(100 * c['progressing'] / c['with_data'], lang, 0)}{NBSP}%"
        else:
            text = _("%(country)s: no state data yet") % {"country": name}
            share = "—"
        out.append({"country": country, "name": name, "total": c["total"], "with_data": c["with_data"],
                    "progressing": c["progressing"], "share": share, "text": text,
                    "progressing_geos": list(c.get("progressing_geos", []))})
    return out


def states_text(comp: Mapping[str, Any], lang: str, areas: Mapping[str, Any]) -> str:
    """The states roll-up in one sentence."""
    _ = gettext_for(lang)
    n_ = ngettext_for(lang)
    with_data = int(comp.get("with_data") or 0)
    lead = n_("The mean of the readings of the %(n)d state with data.",
              "The mean of the readings of the %(n)d states with data.", with_data) % {"n": with_data}
    return " ".join([lead, *(f"{s['text']}." for s in states_view(comp, lang, areas))])
