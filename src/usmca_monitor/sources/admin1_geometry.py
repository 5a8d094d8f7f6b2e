"""The North America subdivision map (50 U.S. states and DC, 32 Mexican states, 13 Canadian provinces
and territories) derived for the site from ``geo/north_america_admin1.topojson``.

``usmca snapshot`` calls :func:`build` (declared in ``catalog/codelists/spi_geometry.yaml``), which:

* simplifies every arc once (Douglas–Peucker, ``TOLERANCE`` degrees), so borders shared inside a
  country stay shared, and drops islands smaller than ``MIN_AREA`` square degrees (every area keeps
  its largest polygon);
* drops the Aleutian islands that lie across the antimeridian (east of 180°), which would otherwise
  stretch the map around the globe;
* keeps Alaska where it is (it borders Yukon and British Columbia on this map) and moves Hawaii,
  enlarged ``HAWAII_SCALE`` times, to an inset in the Pacific south-west of California (the feature is
  flagged ``inset: true`` so pages can say so);
* winds exterior rings clockwise and holes anticlockwise, as d3-geo (and so Vega) requires — the
  opposite of RFC 7946 GeoJSON, which would make d3 fill the whole globe;
* writes quantized, delta-encoded TopoJSON (object ``admin1``; ``id`` = ISO 3166-2, properties
  ``country`` and ``inset``), about 150 KB.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from usmca_monitor.model.errors import DataError

TOLERANCE = 0.02        # degrees (~2 km): invisible at dashboard scale
MIN_AREA = 0.01         # square degrees: smaller islands are dropped (the largest polygon always stays)
QUANTIZE = 100_000      # grid steps across the bounding box
HAWAII = "US-HI"
HAWAII_SHIFT = (29.0, 5.5)   # degrees east and north
HAWAII_SCALE = 1.6
Point = tuple[float, float]
Ring = list[int]             # arc indices; ~i is arc i reversed


def build(paths: Sequence[Path]) -> bytes:
    """The derived TopoJSON from the combined admin-1 TopoJSON (the first path)."""
    source = paths[0]
    try:
        topology = json.loads(source.read_text(encoding="utf-8"))
        geometries = topology["objects"]["admin1"]["geometries"]
    except (ValueError, KeyError) as exc:
        raise DataError(f"not the combined admin-1 TopoJSON ({exc})", str(source),
                        "give geo/north_america_admin1.topojson (object admin1)") from exc
    arcs = [_simplify(arc) for arc in _decode_arcs(topology)]
    features = []
    for geometry in geometries:
        iso = geometry["properties"]["iso_3166_2"]
        polygons = _polygons(geometry)
        polygons = [p for p in polygons if iso != "US-AK" or max(x for x, _ in _coords(p[0], arcs)) < 0]
        polygons = _drop_small(polygons, arcs)
        features.append((iso, geometry["properties"]["country"], polygons))
    _move_hawaii(features, arcs)
    features = [(iso, country, [_wind(p, arcs) for p in polygons]) for iso, country, polygons in features]
    return _encode(features, arcs)


def _decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        decoded.append(points)
    return decoded


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    raise DataError(f"unexpected geometry type {geometry['type']}", geometry["properties"]["iso_3166_2"],
                    "the admin-1 file holds polygons only")


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _douglas_peucker(points: list[Point]) -> list[Point]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            distance = _segment_distance(points[i], points[first], points[last])
            if distance > best:
                best, index = distance, i
        if index > 0 and best > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _simplify(arc: list[Point]) -> list[Point]:
    """An arc simplified with its endpoints kept; a closed arc is split at its farthest point first."""
    if len(arc) < 3:
        return arc
    if arc[0] != arc[-1]:
        return _douglas_peucker(arc)
    far = max(range(len(arc)), key=lambda i: math.hypot(arc[i][0] - arc[0][0], arc[i][1] - arc[0][1]))
    return _douglas_peucker(arc[:far + 1])[:-1] + _douglas_peucker(arc[far:])


def _coords(ring: Ring, arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _signed_area(points: list[Point]) -> float:
    """Shoelace area with longitude as x and latitude as y: positive when anticlockwise."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(points)) / 2


def _drop_small(polygons: list[list[Ring]], arcs: list[list[Point]]) -> list[list[Ring]]:
    sized = [(abs(_signed_area(_coords(p[0], arcs))), p) for p in polygons]
    sized = [(a, p) for a, p in sized if len(_coords(p[0], arcs)) >= 4]
    if not sized:
        return []
    largest = max(a for a, _ in sized)
    kept = []
    for area, polygon in sized:
        if area >= MIN_AREA or area == largest:
            holes = [r for r in polygon[1:] if len(_coords(r, arcs)) >= 4
                     and abs(_signed_area(_coords(r, arcs))) >= MIN_AREA]
            kept.append([polygon[0], *holes])
    return kept


def _move_hawaii(features: list[tuple[str, str, list[list[Ring]]]], arcs: list[list[Point]]) -> None:
    """Scale Hawaii's arcs about their centre and shift them (its arcs are its own: islands)."""
    polygons = next(polygons for iso, _, polygons in features if iso == HAWAII)
    used = sorted({i if i >= 0 else ~i for polygon in polygons for ring in polygon for i in ring})
    points = [p for i in used for p in arcs[i]]
    cx = (min(x for x, _ in points) + max(x for x, _ in points)) / 2
    cy = (min(y for _, y in points) + max(y for _, y in points)) / 2
    for i in used:
        arcs[i] = [(cx + (x - cx) * HAWAII_SCALE + HAWAII_SHIFT[0], cy + (y - cy) * HAWAII_SCALE + HAWAII_SHIFT[1])
                   for x, y in arcs[i]]


def _wind(polygon: list[Ring], arcs: list[list[Point]]) -> list[Ring]:
    """Exterior clockwise (negative area), holes anticlockwise, as d3-geo expects."""
    out = []
    for n, ring in enumerate(polygon):
        area = _signed_area(_coords(ring, arcs))
        wrong = area > 0 if n == 0 else area < 0
        out.append([~i for i in reversed(ring)] if wrong else list(ring))
    return out


def _encode(features: list[tuple[str, str, list[list[Ring]]]], arcs: list[list[Point]]) -> bytes:
    used = sorted({i if i >= 0 else ~i for _, _, polygons in features for p in polygons for r in p for i in r})
    renumber = {old: new for new, old in enumerate(used)}
    points = [p for i in used for p in arcs[i]]
    x0, y0 = min(x for x, _ in points), min(y for _, y in points)
    x1, y1 = max(x for x, _ in points), max(y for _, y in points)
    kx, ky = (x1 - x0) / (QUANTIZE - 1), (y1 - y0) / (QUANTIZE - 1)
    encoded = []
    for i in used:
        quantized = [(round((x - x0) / kx), round((y - y0) / ky)) for x, y in arcs[i]]
        deduped = [q for n, q in enumerate(quantized) if n == 0 or q != quantized[n - 1]]
        if len(deduped) == 1:
            deduped.append(deduped[0])
        encoded.append([list(deduped[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in pairwise(deduped)])

    def ring(r: Ring) -> Ring:
        return [renumber[i] if i >= 0 else ~renumber[~i] for i in r]

    geometries = [{"type": "MultiPolygon", "id": iso,
                   "properties": {"country": country, "inset": iso == HAWAII},
                   "arcs": [[ring(r) for r in polygon] for polygon in polygons]}
                  for iso, country, polygons in sorted(features)]
    topology = {"type": "Topology", "bbox": [round(v, 4) for v in (x0, y0, x1, y1)],
                "transform": {"scale": [kx, ky], "translate": [x0, y0]},
                "objects": {"admin1": {"type": "GeometryCollection", "geometries": geometries}},
                "arcs": encoded}
    return (json.dumps(topology, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")
