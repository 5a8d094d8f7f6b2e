"""The narrative topic pages (``topics/<name>.html``): which indicator each of their charts shows (so
every chart links to its indicator page and its data), and the small redirect pages that keep the
topics' old addresses (``indicators/<name>.html``) working where no indicator page took them over."""

from __future__ import annotations

from pathlib import Path

from usmca_monitor.safety import clean_text

# Chart id (or its prefix) → the indicator it shows. The first matching prefix wins.
CHART_INDICATORS: tuple[tuple[str, str], ...] = (
    ("tdr-lines", "tdr"), ("tdr-bars", "balance"), ("tdr-blocs", "tdr"), ("hs2-shares", "hs2_share_of_us_imports"),
    ("agrifood-ag-", "ag_trade_real"), ("agrifood-gats-exports", "ag_gats_food_exports"),
    ("agrifood-imports-", "ag_food_imports_real"), ("agrifood-fresh-shares", "ag_food_import_share"),
    ("agrifood-availability", "import_share_of_availability"), ("agrifood-beer", "ag_food_imports_real"),
    ("tech-atp-", "atp_balance"), ("tech-naics-shares", "naics_share_of_us_imports"),
    ("tech-hs-shares", "hs2_share_of_us_imports"), ("autos-production", "vehicle_production"),
    ("trucks-regions", "truck_production_share_world"), ("trucks-na", "truck_production_share_world"),
)
# Old address of a topic page → its new one (inside each language's folder).
MOVED = {"indicators/tdr.html": "topics/tdr.html", "indicators/tdr-partners.html": "topics/tdr-partners.html",
         "indicators/imports-by-chapter.html": "topics/imports-by-chapter.html",
         "indicators/agrifood.html": "topics/agrifood.html", "indicators/tech.html": "topics/tech.html",
         "indicators/autos.html": "topics/autos.html", "indicators/trucks.html": "topics/trucks.html"}


def chart_indicator(chart_id: str) -> str | None:
    """The indicator a topic chart shows (None when it shows none of the catalog's)."""
    return next((indicator for prefix, indicator in CHART_INDICATORS if chart_id.startswith(prefix)), None)


def topics_of(indicator: str) -> list[str]:
    """The topic pages whose charts show ``indicator`` (paths inside a language's folder)."""
    prefixes = [p for p, i in CHART_INDICATORS if i == indicator]
    pages = {"tdr": "topics/tdr.html", "balance": "topics/tdr.html", "hs2": "topics/imports-by-chapter.html",
             "agrifood": "topics/agrifood.html", "tech": "topics/tech.html", "autos": "topics/autos.html",
             "trucks": "topics/trucks.html"}
    found = []
    for prefix in prefixes:
        head = prefix.split("-")[0]
        page = pages.get(head)
        if page and page not in found:
            found.append(page)
    return found


def write_redirects(root: Path, lang: str, taken: set[str]) -> int:
    """A small redirect page at each old topic address of ``lang`` that no other page took (``taken``:
    paths inside the language's folder that now hold a page)."""
    count = 0
    for old, new in MOVED.items():
        if old in taken:
            continue
        target = root / lang / old
        target.parent.mkdir(parents=True, exist_ok=True)
        href = clean_text("../" + new)
        target.write_text(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>usmca-monitor</title>'
            f'<link rel="canonical" href="{href}"><meta http-equiv="refresh" content="0; url={href}">'
            f'<meta name="robots" content="noindex"></head><body><p><a href="{href}">{href}</a></p></body></html>\n',
            encoding="utf-8")
        count += 1
    return count
