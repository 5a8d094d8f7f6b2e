"""Charts: Altair → Vega-Lite specs rendered in the page by the vendored Vega JS, and PNG/SVG files
made with vl-convert (no browser, no network)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc

from usmca_monitor.publish import palette

VEGA_VERSIONS = {"vega": "6.2.0", "vega-lite": "6.4.1", "vega-embed": "7.0.2"}
# Colours: one per country and group, from publish/palette.py (PALETTE: series that are not areas).
PALETTE = list(palette.SERIES)
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
Gettext = Callable[[str], str]


def _base_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_axis(labelFontSize=12, titleFontSize=12,
                                                     gridColor="#e6e6e6").configure_view(stroke=None)


def tdr_lines(rows: list[dict[str, Any]], _: Gettext, title: str) -> dict[str, Any]:
    """TDR by year for a few partners: one line each. ``rows``: partner_name, period, value."""
    data = alt.Data(values=rows)
    chart = alt.Chart(data, title=title, width="container", height=320).mark_line(
        point=True, strokeWidth=2.5).encode(
        x=alt.X(**palette.year_axis("period", _("Year"))),
        y=alt.Y("value:Q", title=_("Trade deficit ratio (TDR)"), axis=alt.Axis(format=".1f")),
        color=alt.Color("partner_name:N", title=_("Partner"),
                        scale=alt.Scale(**palette.rows_scale(rows, "partner_name")),
                        sort=alt.EncodingSortField("order", op="min")),
        tooltip=[alt.Tooltip("partner_name:N", title=_("Partner")), alt.Tooltip("period:N", title=_("Period")),
                 alt.Tooltip("value:Q", title="TDR", format=".2f")],
    )
    rule = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#999", strokeDash=[4, 4]).encode(y="zero:Q")
    return dict(_base_config(alt.layer(chart, rule)).to_dict())


def exports_deficit_bars(rows: list[dict[str, Any]], _: Gettext, title: str) -> dict[str, Any]:
    """The report's layout: per partner, U.S. exports and the U.S. trade deficit (USD million),
    labelled 'Partner (TDR)'. ``rows``: label, series, value_musd, order."""
    data = alt.Data(values=rows)
    chart = alt.Chart(data, title=title, width="container", height=alt.Step(34)).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("order", op="min")),
        x=alt.X("value_musd:Q", title=_("USD million"), axis=alt.Axis(format=",.0f")),
        yOffset=alt.YOffset("series:N", sort=alt.EncodingSortField("series_order", op="min")),
        color=alt.Color("series:N", title=None, scale=alt.Scale(**palette.series_scale(list(dict.fromkeys(
                            str(r["series"]) for r in sorted(rows, key=lambda r: r["series_order"]))))),
                        sort=alt.EncodingSortField("series_order", op="min"),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("label:N", title=_("Partner")), alt.Tooltip("series:N", title=_("Series")),
                 alt.Tooltip("value_musd:Q", title=_("USD million"), format=",.0f")],
    )
    return dict(_base_config(chart).to_dict())


def export_static(spec: dict[str, Any], target: Path, locale: dict[str, object]) -> list[Path]:
    """Write ``target``.svg and ``target``.png of a spec (fixed width; container width is for pages)."""
    fixed = _fixed_width(spec, 720)
    target.parent.mkdir(parents=True, exist_ok=True)
    svg = target.with_name(target.name + ".svg")
    png = target.with_name(target.name + ".png")
    svg.write_text(vlc.vegalite_to_svg(fixed, format_locale=locale), encoding="utf-8")
    png.write_bytes(vlc.vegalite_to_png(fixed, scale=2, format_locale=locale))
    return [svg, png]


def _fixed_width(spec: dict[str, Any], width: int) -> dict[str, Any]:
    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (width if k == "width" and v == "container" else fix(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node
    result: dict[str, Any] = fix(spec)
    return result
