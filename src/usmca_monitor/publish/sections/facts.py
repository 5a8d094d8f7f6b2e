"""The facts page ("North America in data"): every fact of the report grouped by goal, each with its
badge, source, period and vintage, the report's figure beside the value computed for the same period
(divergences flagged), and for computed facts a shareable card (PNG 1200×675 per language)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import vl_convert as vlc

from usmca_monitor.catalog import source_specs
from usmca_monitor.facts import terms
from usmca_monitor.facts.check import FactResult, check_facts, summarize
from usmca_monitor.publish import charts
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import number, period_label
from usmca_monitor.publish.sections.home import load_goals

PATH = "facts/index.html"
NAV = [NavEntry(PATH, N_("Facts"), 5)]
GOAL_LINKS = [GoalLink(g, PATH, N_("The report's figures, checked against the data")) for g in (1, 3, 4)]
CARD_SIZE = (1200, 675)
STATUS_LABELS = {"agrees": N_("agrees"), "diverges": N_("diverges"), "awaiting_data": N_("awaiting data"),
                 "narrative": N_("narrative")}
NO_GOAL = N_("Not tied to a goal")
BADGE_COLOURS = {"computed": "#1b6e3a", "official": "#1f4e8c", "report": "#8a5a00"}


def write(site: SiteContext, lang: str) -> int:
    """Write ``<lang>/facts/index.html`` and the cards of the computed facts in ``lang``."""
    results = site.cached("fact_results", lambda: check_facts(site.session.engine))
    _ = gettext_for(lang)
    groups: dict[int | None, list[dict[str, Any]]] = {}
    order = {"agrees": 0, "diverges": 0, "awaiting_data": 1, "narrative": 2}
    for result in sorted(results, key=lambda r: (order[r.status], r.latest_value is None, r.spec.id)):
        entry = fact_entry(result, lang)
        if entry["card"]:
            write_card(site.out / "cards" / f"{result.spec.id}.{lang}.png", result, lang)
        groups.setdefault(result.spec.goal, []).append(entry)
    names = {g["id"]: f"{_('Goal')} {g['id']}. {g['name'][lang]}" for g in load_goals()}
    ordered = [{"goal": goal, "name": names.get(goal, _(NO_GOAL)), "facts": groups[goal]}
               for goal in sorted(groups, key=lambda g: 99 if g is None else g)]
    summary = summarize(results)
    site.render(lang, "facts.html", PATH, page_title=_("North America in data: the report's facts"),
                groups=ordered, summary=summary, computed=summary["agrees"] + summary["diverges"],
                total=len(results))
    return 1


def shown_value(result: FactResult) -> tuple[float | None, str]:
    """The value a statement shows and its period: computed (latest period) when there is one, else the report's."""
    if result.latest_value is not None and result.latest_period is not None:
        return result.latest_value, result.latest_period
    return result.spec.value, result.spec.period


def statement(result: FactResult, lang: str) -> str:
    """The fact's statement in ``lang`` with ``{value}`` and ``{period}`` filled in."""
    value, period = shown_value(result)
    text = result.spec.statement.get(lang)
    shown = number(value, lang, result.spec.precision) if value is not None else (result.spec.value_text or "—")
    return text.replace("{value}", shown).replace("{period}", period_label(period, lang) if period else "")


def report_text(result: FactResult, lang: str) -> str | None:
    """The report's figure as printed ("over 16", "~45"), or its number in ``lang``'s format."""
    spec = result.spec
    if spec.unit == "year" and spec.value is not None:
        return str(int(spec.value))
    if spec.value_text and not spec.value_text.replace(".", "", 1).replace("-", "", 1).isdigit():
        return spec.value_text
    return number(spec.value, lang, spec.precision) if spec.value is not None else (spec.value_text or None)


def fact_entry(result: FactResult, lang: str) -> dict[str, Any]:
    """What the page shows of one fact."""
    _ = gettext_for(lang)
    spec = result.spec
    sources = source_specs()
    digits = spec.precision - (1 if spec.unit in ("rank", "countries") else 0)  # shown with one more decimal
    data_sources = "; ".join(f"{sources[s].producer}" for s in sorted(result.vintages) if s in sources)
    report_value = report_text(result, lang)
    return {
        "id": spec.id, "status": result.status, "status_label": _(STATUS_LABELS[result.status]),
        "text": statement(result, lang), "badge": result.badge or ("report" if spec.value is not None else None),
        "report_value": report_value, "period": card_period(spec.period, lang) if spec.period else "",
        "unit": terms.unit_words(spec.unit, lang) if spec.unit else "",
        "cited": terms.cited_words(spec.cited_source, lang) if spec.cited_source else "",
        "computed": number(result.computed_value, lang, digits + 1) if result.computed_value is not None else None,
        "latest": number(result.latest_value, lang, digits + 1) if result.latest_value is not None else None,
        "latest_period": period_label(result.latest_period, lang) if result.latest_period else None,
        "difference": number(result.difference, lang, digits + 1) if result.difference is not None else None,
        "sources": data_sources, "vintages": ", ".join(sorted(result.vintages.values())),
        "awaits": "; ".join(terms.awaits_words(a, lang) for a in spec.awaits),
        "note": spec.note.get(lang) if spec.note else "",
        "card": result.latest_value is not None, "card_file": f"{spec.id}.{lang}.png",
    }


def card_headline(result: FactResult) -> tuple[float | None, str]:
    """The value and period a card headlines: the value computed for the report's period when there is
    one (the verdict below is about that period), else the latest value."""
    if result.computed_value is not None and result.spec.period:
        return result.computed_value, result.spec.period
    return shown_value(result)


def card_statement(result: FactResult, lang: str) -> str:
    """The statement of a card, filled with the headline's value and period."""
    value, period = card_headline(result)
    text = result.spec.statement.get(lang)
    shown = number(value, lang, result.spec.precision) if value is not None else (result.spec.value_text or "—")
    return text.replace("{value}", shown).replace("{period}", period_label(period, lang) if period else "")


def card_period(period: str, lang: str) -> str:
    """A period in words: a code through ``period_label``, a stated period ("not stated") translated."""
    return terms.period_words(period, lang) or period_label(period, lang)


def card_report_value(result: FactResult, lang: str) -> str:
    """The report's figure on a card, in ``lang`` ("over 16" → "más de 16")."""
    spec = result.spec
    if spec.value_text and not spec.value_text.replace(".", "", 1).replace("-", "", 1).isdigit():
        return terms.value_words(spec.value_text, lang, lambda v, d: number(v, lang, d))
    return report_text(result, lang) or "—"


def card_texts(result: FactResult, lang: str) -> list[dict[str, Any]]:
    """The text blocks of a card: the statement and the big number for the report's period, the verdict
    about that same period, the latest value when it is for a later period, and the provenance."""
    _ = gettext_for(lang)
    width, height = CARD_SIZE
    value, period = card_headline(result)
    lines = textwrap.wrap(card_statement(result, lang), 52)[:5]
    badge = result.badge or "computed"
    provenance = textwrap.shorten(
        f"{_(badge)} · {'; '.join(source_specs()[s].producer for s in sorted(result.vintages))} · "
        f"{_('vintage')} {', '.join(sorted(result.vintages.values()))}", 150)
    status = _(STATUS_LABELS[result.status])
    report = (f"{_('The report')}: {card_report_value(result, lang)} "
              f"({card_period(result.spec.period, lang)}) · {status}")
    later = ""
    if result.latest_period and result.latest_value is not None and result.latest_period != period:
        later = f"{_('Latest')}: {number(result.latest_value, lang, result.spec.precision)} " \
                f"({period_label(result.latest_period, lang)})"
    top = 90 + 44 * len(lines)
    shown = sorted(result.series)[-12:]
    span = f"{period_label(shown[0], lang)} – {period_label(shown[-1], lang)}" if len(shown) > 1 else ""
    return [
        {"role": "statement", "text": "\n".join(lines), "x": 60, "y": 70, "size": 34, "weight": "bold",
         "color": "#1d1d1d"},
        {"role": "value", "text": number(value, lang, result.spec.precision), "x": 60, "y": top + 30, "size": 72,
         "weight": "bold", "color": BADGE_COLOURS.get(badge, "#1d1d1d")},
        {"role": "period", "text": period_label(period, lang) if period else "", "x": 60, "y": top + 120,
         "size": 28, "weight": "normal", "color": "#555"},
        {"role": "span", "text": span, "x": 930, "y": 490, "size": 20, "weight": "normal", "color": "#555",
         "align": "center"},
        {"role": "latest", "text": later, "x": 930, "y": 520, "size": 20, "weight": "normal", "color": "#555",
         "align": "center"},
        {"role": "verdict", "text": report, "x": 60, "y": height - 110, "size": 24, "weight": "normal",
         "color": "#333"},
        {"role": "provenance", "text": provenance, "x": 60, "y": height - 70, "size": 20, "weight": "normal",
         "color": "#555"},
        {"role": "brand", "text": "usmca-monitor", "x": width - 60, "y": height - 35, "size": 18,
         "weight": "normal", "color": "#888", "align": "right"},
    ]


def card_spec(result: FactResult, lang: str) -> dict[str, Any]:
    """A Vega-Lite card of one computed fact: statement, value, the series, and its provenance."""
    width, height = CARD_SIZE
    assert result.series, "cards are drawn for computed facts only"
    texts = card_texts(result, lang)
    points = [{"period": p, "value": v} for p, v in sorted(result.series.items())][-12:]
    layers: list[dict[str, Any]] = [
        {"data": {"values": [t]}, "mark": {"type": "text", "align": t.get("align", "left"), "baseline": "top",
                                           "lineBreak": "\n", "font": charts.FONT, "fontSize": t["size"],
                                           "fontWeight": t["weight"], "color": t["color"], "lineHeight": 44},
         "encoding": {"x": {"value": t["x"]}, "y": {"value": t["y"]}, "text": {"field": "text"}}}
        for t in texts]
    if len(points) > 1:
        layers.append({"data": {"values": points}, "mark": {"type": "line", "point": True, "color": "#1f4e8c",
                                                           "strokeWidth": 4},
                       "encoding": {"x": {"field": "period", "type": "ordinal", "axis": None,
                                          "scale": {"range": [720, 1140]}},
                                    "y": {"field": "value", "type": "quantitative", "axis": None,
                                          "scale": {"range": [470, 300], "zero": False}}}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": width, "height": height,
            "autosize": {"type": "none"}, "padding": 0, "background": "#ffffff",
            "config": {"view": {"stroke": None}}, "layer": layers,
            "resolve": {"scale": {"x": "independent", "y": "independent"}}}


def write_card(target: Path, result: FactResult, lang: str) -> Path:
    """Write the PNG card (1200×675) of one computed fact."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(vlc.vegalite_to_png(card_spec(result, lang), scale=1))
    return target
