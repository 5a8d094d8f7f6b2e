"""One visual language (issue #12 item 5): across every chart spec written into the built pages, an area
keeps one colour (Mexico is never green in one chart and red in another), the colours come from
publish/palette.py, and yearly axes are temporal so that gaps between years show."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from usmca_monitor.publish import palette
from usmca_monitor.publish.i18n import LANGS

SPEC = re.compile(r'<script type="application/json" id="[^"]+-spec">(.*?)</script>', re.S)


def _units(spec: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(spec, dict):
        if "mark" in spec:
            found.append(spec)
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for child in spec.get(key, []):
                found += _units(child)
    return found


def _specs(site: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for lang in LANGS:
        for page in sorted((site / lang).rglob("*.html")):
            for text in SPEC.findall(page.read_text(encoding="utf-8")):
                out.append((f"{lang}/{page.relative_to(site / lang)}", json.loads(text.replace("<\\/", "</"))))
    return out


def test_every_area_keeps_one_colour_across_the_site(default_site: Path) -> None:
    from usmca_monitor.codelists import load_codelists

    names = load_codelists()
    colours: dict[str, set[str]] = {}
    specs = _specs(default_site)
    assert len(specs) > 20
    for _, spec in specs:
        for unit in _units(spec):
            scale = unit.get("encoding", {}).get("color", {}).get("scale", {})
            for label, colour in zip(scale.get("domain", []), scale.get("range", []), strict=False):
                colours.setdefault(str(label), set()).add(colour)
    clashes = {label: found for label, found in colours.items() if len(found) > 1}
    assert not clashes, clashes
    for lang in LANGS:
        for code in ("MEX", "CAN", "USA", "CHN"):
            label = names.name(code, lang)
            if label in colours:
                assert colours[label] == {palette.AREAS[code]}, (lang, code, colours[label])
    assert names.name("MEX", "en") in colours and names.name("CHN", "fr") in colours


def test_yearly_axes_are_temporal(default_site: Path) -> None:
    """The autos chart does not put 2020, 2023 and 2024 side by side as if they were consecutive."""
    ordinal_years = []
    for where, spec in _specs(default_site):
        for unit in _units(spec):
            x = unit.get("encoding", {}).get("x", {})
            if isinstance(x, dict) and x.get("field") == "year" and x.get("type") != "temporal":
                ordinal_years.append(where)
    assert not ordinal_years, ordinal_years


def test_palette_gives_known_areas_their_colour_and_others_distinct_ones() -> None:
    scale = palette.scale([("MEX", "Mexico"), ("KOR", "Korea"), ("CAN", "Canada"), ("VNM", "Viet Nam")])
    assert scale["range"][0] == palette.AREAS["MEX"] and scale["range"][2] == palette.AREAS["CAN"]
    assert scale["range"][1] != scale["range"][3]
    assert not set(scale["range"][1::2]) & set(palette.AREAS.values())
