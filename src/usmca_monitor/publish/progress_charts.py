"""Small progress charts: the path of a series to its target (data, the projection at the current pace,
the path needed, the target and the 2026/2030/2036 milestones) as a Vega-Lite spec built in Python and
drawn in the page by ``static/charts.js`` like every other chart."""

from __future__ import annotations

import json
import re
from typing import Any

from usmca_monitor.publish import palette
from usmca_monitor.publish.charts import FONT
from usmca_monitor.publish.context import N_, gettext_for

KINDS = {"actual": N_("Data"), "projected": N_("At the current pace"), "needed": N_("Path needed")}
COLOURS = {"actual": "#1b5e7a", "projected": "#5f6b73", "needed": "#c8553d"}
DASHES = {"actual": [1, 0], "projected": [5, 3], "needed": [2, 2]}


def chart_id(*parts: str | None) -> str:
    """An HTML id for a chart from its parts (letters, digits and dashes only)."""
    return "path-" + re.sub(r"[^A-Za-z0-9]+", "-", "-".join(p for p in parts if p)).strip("-").lower()


def path_spec(chart: dict[str, Any], lang: str, title: str) -> dict[str, Any] | None:
    """The Vega-Lite spec of a path chart from ``chart`` (``goals.path_chart``: actual, projected, needed,
    target, milestones); None when there is nothing to draw beyond the data itself."""
    _ = gettext_for(lang)
    rows = [{"year": str(p["year"]), "value": p["value"], "kind": _(KINDS[kind]), "order": i}
            for i, kind in enumerate(KINDS) for p in chart.get(kind, []) if p.get("value") is not None]
    if len(chart.get("actual", [])) < 2:
        return None
    names = [_(KINDS[k]) for k in KINDS]
    x = {**palette.year_axis("year", None), "scale": {"nice": False}}
    x["axis"] = {**x["axis"], "grid": False, "tickCount": {"interval": "year", "step": 5}}
    y = {"field": "value", "type": "quantitative", "title": None,
         "axis": {"labelOverlap": True, "tickCount": 4}, "scale": {"zero": False}}
    lines = {"data": {"values": rows}, "mark": {"type": "line", "point": {"size": 18}, "strokeWidth": 2},
             "encoding": {
                 "x": x, "y": y,
                 "color": {"field": "kind", "type": "nominal", "title": None,
                           "scale": {"domain": names, "range": [COLOURS[k] for k in KINDS]},
                           "legend": {"orient": "bottom", "direction": "horizontal", "labelLimit": 0,
                                      "columns": 3, "symbolSize": 60}},
                 "strokeDash": {"field": "kind", "type": "nominal", "legend": None,
                                "scale": {"domain": names, "range": [DASHES[k] for k in KINDS]}},
                 "tooltip": [{"field": "kind", "type": "nominal", "title": _("Series")},
                             {"field": "year", "type": "temporal", "timeUnit": "utcyear", "title": _("Year"),
                              "format": "%Y"},
                             {"field": "value", "type": "quantitative", "title": _("Value"), "format": ",.2~f"}]}}
    layers: list[dict[str, Any]] = [lines]
    milestones = [{"year": str(m["year"]), "label": str(m["year"])} for m in chart.get("milestones", [])]
    if milestones:
        layers.append({"data": {"values": milestones}, "mark": {"type": "rule", "color": "#999", "strokeDash": [3, 3]},
                       "encoding": {"x": {"field": "year", "type": "temporal", "timeUnit": "utcyear"},
                                    "tooltip": [{"field": "label", "type": "nominal", "title": _("Milestone")}]}})
    if chart.get("target"):
        target = [{**chart["target"], "year": str(chart["target"]["year"]), "kind": _("Target")}]
        layers.append({"data": {"values": target},
                       "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 90, "color": "#111"},
                       "encoding": {"x": {"field": "year", "type": "temporal", "timeUnit": "utcyear"},
                                    "y": {"field": "value", "type": "quantitative"},
                                    "tooltip": [{"field": "kind", "type": "nominal", "title": _("Series")},
                                                {"field": "year", "type": "temporal", "timeUnit": "utcyear",
                                                 "title": _("Year"), "format": "%Y"},
                                                {"field": "value", "type": "quantitative", "title": _("Value"),
                                                 "format": ",.2~f"}]}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": "container", "height": 110,
            "autosize": {"type": "fit-x", "contains": "padding"},
            "description": title, "layer": layers,
            "config": {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11},
                       "legend": {"labelFontSize": 11}}}


def spec_json(spec: dict[str, Any]) -> str:
    """A spec as JSON safe inside a ``<script type="application/json">`` element."""
    return json.dumps(spec, ensure_ascii=False, allow_nan=False).replace("</", "<\\/")


def chart_keys(target_id: str, geo: str, partner: str | None, view: dict[str, Any], lang: str) -> dict[str, Any]:
    """The keys a series view needs to draw its path chart: id, spec (JSON) and an accessible label."""
    if "chart" not in view:
        return {}
    _ = gettext_for(lang)
    label = _("Path of %(series)s to the target, with the 2026, 2030 and 2036 milestones") % {"series": view["name"]}
    spec = path_spec(view["chart"], lang, label)
    if spec is None:
        return {}
    return {"chart_id": chart_id(target_id, geo, partner), "chart_spec": spec_json(spec), "chart_label": label}
