"""One visual language: one colour per country and group, used by every chart of the site and the PDF.

The colours come from the Okabe–Ito palette (safe for the common forms of colour blindness), extended
with Paul Tol's indigo for the agreement area and greys for totals. Charts drawn in Python take their
scales from :func:`scale`; charts drawn in the browser read :func:`for_pages` from the JSON block that
``base.html`` writes (``#usmca-palette``), so that Mexico is green and Canada vermilion everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

# One colour per area code (countries by ISO 3166 alpha-3, groups by the codelists' codes).
AREAS: dict[str, str] = {
    "USA": "#0072B2",   # blue
    "MEX": "#009E73",   # bluish green
    "CAN": "#D55E00",   # vermilion
    "CHN": "#E69F00",   # orange
    "DEU": "#CC79A7",   # reddish purple
    "JPN": "#56B4E9",   # sky blue
    "USMCA": "#332288",  # indigo (the three members together)
    "WLD": "#000000",   # black (the world total)
    "ROW": "#8C8C8C",   # grey (the rest of the world, "others")
}
# Other partners, in the order they appear in a chart (still colour-blind safe: Tol's muted scheme).
OTHERS: tuple[str, ...] = ("#882255", "#44AA99", "#117733", "#999933", "#AA4499", "#88CCEE", "#DDCC77", "#661100")
# Series that are not areas (exports and deficit, two product groups…): neutral slate and sand, so that
# they never borrow a country's colour.
SERIES: tuple[str, ...] = ("#3B5B77", "#C9A66B", "#7A8B99", "#5E3C58")
# Sequential scheme of the maps (Vega scheme name) and the fill of areas without data.
MAP_SCHEME = "blues"
NO_DATA = "#eeeeee"
# The colour of a single-series chart (an area is not named by it) and of report markers.
SINGLE = SERIES[0]
REPORT_MARK = "#B26A00"


def color(code: str, position: int = 0) -> str:
    """The colour of area ``code``; an area without its own colour takes the ``position``-th other colour."""
    return AREAS.get(code) or OTHERS[position % len(OTHERS)]


def area_range(codes: Sequence[str]) -> list[str]:
    """The colours of ``codes`` in order, other areas taking the remaining colours in turn."""
    out, others = [], 0
    for code in codes:
        if code in AREAS:
            out.append(AREAS[code])
        else:
            out.append(OTHERS[others % len(OTHERS)])
            others += 1
    return out


def scale(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """A Vega-Lite colour scale over area labels: ``pairs`` are (code, label shown) in legend order."""
    items = list(dict.fromkeys(pairs))
    return {"domain": [label for _, label in items], "range": area_range([code for code, _ in items])}


def series_scale(labels: Sequence[str]) -> dict[str, Any]:
    """A colour scale over series that are not areas (``labels`` in legend order)."""
    return {"domain": list(labels), "range": [SERIES[i % len(SERIES)] for i in range(len(labels))]}


def for_pages() -> dict[str, Any]:
    """The palette as the browser's charts read it (``#usmca-palette`` in every page)."""
    return {"areas": AREAS, "others": list(OTHERS), "series": list(SERIES), "map_scheme": MAP_SCHEME,
            "no_data": NO_DATA, "single": SINGLE, "report": REPORT_MARK}


def rows_scale(rows: Sequence[dict[str, Any]], label: str, code: str = "code", order: str = "order") -> dict[str, Any]:
    """The colour scale of chart ``rows`` whose ``label`` names an area coded in ``code`` (legend sorted by
    ``order``). Rows without codes get the neutral series colours."""
    ordered = sorted(rows, key=lambda r: r.get(order, 0))
    if ordered and all(code in r for r in ordered):
        return scale((str(r[code]), str(r[label])) for r in ordered)
    return series_scale(list(dict.fromkeys(str(r[label]) for r in ordered)))


def year_axis(field: str = "year", title: str | None = None) -> dict[str, Any]:
    """A temporal x encoding of yearly data (``"2024"`` strings): years take their place in time, so a
    gap between 2020 and 2023 shows as a gap."""
    return {"field": field, "type": "temporal", "timeUnit": "utcyear", "title": title,
            "axis": {"format": "%Y", "labelAngle": 0, "labelOverlap": True,
                     "tickCount": {"interval": "year", "step": 1}}}
