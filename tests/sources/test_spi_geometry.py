"""The shipped North America subdivision map: derived from ../shared/data/geo by the snapshot, 96
areas keyed like the codelist, small, wound for d3/Vega, with Hawaii as an inset and no Aleutians
across the antimeridian."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

from usmca_monitor.codelists import data_path
from usmca_monitor.sources.admin1_geometry import build
from usmca_monitor.spi_framework import subdivisions

SHIPPED = data_path("geo", "north_america_admin1.topo.json")


def _rings(topology: dict[str, Any]) -> dict[str, list[list[list[tuple[float, float]]]]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(arc if not out else arc[1:])
        return out

    return {g["id"]: [[ring(r) for r in polygon] for polygon in g["arcs"]]
            for g in topology["objects"]["admin1"]["geometries"]}


def _area(points: list[tuple[float, float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(points)) / 2


def test_shipped_map_has_every_subdivision_and_is_small() -> None:
    topology = json.loads(SHIPPED.read_text(encoding="utf-8"))
    ids = {g["id"] for g in topology["objects"]["admin1"]["geometries"]}
    assert ids == set(subdivisions())
    counts = {c: sum(1 for s in subdivisions().values() if s.country == c) for c in ("USA", "MEX", "CAN")}
    assert counts == {"USA": 51, "MEX": 32, "CAN": 13}
    assert SHIPPED.stat().st_size < 1_500_000


def test_rings_are_wound_for_d3_and_closed() -> None:
    """d3-geo fills the inside of clockwise rings: exterior rings clockwise (negative planar area with
    longitude as x), holes anticlockwise. GeoJSON's (RFC 7946) opposite order would fill the globe."""
    for iso, polygons in _rings(json.loads(SHIPPED.read_text(encoding="utf-8"))).items():
        assert polygons, iso
        for polygon in polygons:
            assert polygon[0][0] == polygon[0][-1] and len(polygon[0]) >= 4, iso
            assert _area(polygon[0]) < 0, f"{iso}: exterior ring is not clockwise"
            assert all(_area(hole) > 0 for hole in polygon[1:]), f"{iso}: a hole is not anticlockwise"


def test_alaska_stays_west_of_the_antimeridian_and_hawaii_is_an_inset() -> None:
    topology = json.loads(SHIPPED.read_text(encoding="utf-8"))
    rings = _rings(topology)
    alaska = [p for polygon in rings["US-AK"] for p in polygon[0]]
    assert max(x for x, _ in alaska) < -129 and min(x for x, _ in alaska) >= -180
    hawaii = [p for polygon in rings["US-HI"] for p in polygon[0]]
    assert min(x for x, _ in hawaii) > -140 and max(x for x, _ in hawaii) < -115  # moved toward the mainland
    [props] = [g["properties"] for g in topology["objects"]["admin1"]["geometries"] if g["id"] == "US-HI"]
    assert props == {"country": "USA", "inset": True}


def test_shipped_map_equals_a_rebuild(shared: Path) -> None:
    assert build([shared / "geo/north_america_admin1.topojson"]) == SHIPPED.read_bytes()
    manifest = json.loads(data_path("manifest.json").read_text(encoding="utf-8"))
    entry = manifest["artefacts"]["geo/north_america_admin1.topo.json"]
    assert entry["origins"][0]["path"] == "geo/north_america_admin1.topojson"
    assert len(entry["origins"][0]["sha256"]) == 64 and entry["origins"][0]["licence"]
