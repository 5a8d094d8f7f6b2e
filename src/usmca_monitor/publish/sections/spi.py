"""Goal 1, the Shared Prosperity Map: the Social Progress Index across U.S. and Mexican states —
the map (every measure, year and edition; quantile or fixed scale; hatched "no data"), rankings,
a comparison of states with the Mexican states closest in score, a profile page per state, and the
country context (global SPI and HDI with ranks)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from usmca_monitor.publish import palette
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, gettext_for
from usmca_monitor.publish.i18n import d3_locale, number
from usmca_monitor.publish.sections.spi_data import CONTEXT, Edition, SpiFacts, closest_mexican_states, spi_facts
from usmca_monitor.safety import csv_cell
from usmca_monitor.spi_framework import measures, subdivisions

MAP = "goal1/spi.html"
RANKINGS = "goal1/spi-rankings.html"
COMPARE = "goal1/spi-compare.html"
PROFILE = "goal1/spi/{iso}.html"
GEOMETRY = "geo/north_america_admin1.topo.json"
NAV = [NavEntry(MAP, N_("Shared Prosperity Map"), 10)]
GOAL_LINKS = [GoalLink(1, MAP, N_("The Shared Prosperity Map: social progress across U.S. and Mexican states")),
              GoalLink(1, RANKINGS, N_("Social Progress Index: rankings of states")),
              GoalLink(1, COMPARE, N_("Compare states: Texas, California and the Mexican states closest in score"))]
DEFAULT_COMPARE = ("US-TX", "US-CA", "MX-NLE", "MX-CMX")


def write(site: SiteContext, lang: str) -> int:
    """Write the map, rankings, comparison and profile pages of ``lang``."""
    _ = gettext_for(lang)
    facts = spi_facts(site)
    site.cached("spi-downloads", lambda: write_downloads(site.out / "data", facts))
    common = _common(facts, lang)
    site.render(lang, "spi.html", MAP, **common, page_title=_title(lang), table=ranking_rows(facts, lang),
                context_rows=context_rows(facts, lang), geometry_json=_geometry_json(site))
    site.render(lang, "spi_rankings.html", RANKINGS, **common, page_title=_(
        "Social Progress Index: rankings of states"), table=ranking_rows(facts, lang))
    compare_title = _("Compare states across the Social Progress Index")
    site.render(lang, "spi_compare.html", COMPARE, **_common(facts, lang, with_closest=True),
                page_title=compare_title, default_compare=list(DEFAULT_COMPARE))
    count = 3
    for iso, item in subdivisions().items():
        if item.country in {"USA", "MEX"}:
            site.render(lang, "spi_profile.html", PROFILE.format(iso=iso), **common, **profile(facts, iso, lang),
                        page_title=item.name(lang))
            count += 1
    return count


def _title(lang: str) -> str:
    return gettext_for(lang)("The Shared Prosperity Map: social progress across U.S. and Mexican states")


def _geometry_json(site: SiteContext) -> str:
    from usmca_monitor.codelists import data_path

    return site.cached("spi-geometry", lambda: data_path(GEOMETRY).read_text(encoding="utf-8").strip())


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _values_json(edition: Edition) -> dict[str, Any]:
    return {slug: {year: {geo: [_round(c[0]), c[1], c[2]] for geo, c in cells.items()}
                   for year, cells in years.items()} for slug, years in edition.values.items()}


def _edition_meta(edition: Edition | None, facts: SpiFacts) -> dict[str, Any] | None:
    if edition is None:
        return None
    spec = facts.sources[edition.source_id]
    return {"label": edition.label, "vintage": edition.vintage, "years": edition.years, "source": spec.producer}


def closest_json(facts: SpiFacts) -> dict[str, dict[str, dict[str, list[list[Any]]]]]:
    """Per Mexican edition, state and measure: the three Mexican states closest in score (each state in
    the latest year of its country; Mexican states in that edition's latest year)."""
    out: dict[str, dict[str, dict[str, list[list[Any]]]]] = {}
    for mx in facts.mx:
        mx_year = mx.latest_year()
        per_geo: dict[str, dict[str, list[list[Any]]]] = {}
        for iso in subdivisions():
            editions = [mx] if iso.startswith("MX-") else facts.editions_for(iso)
            if not editions or mx_year is None or (year := editions[0].latest_year()) is None:
                continue
            values = {m.slug: c[0] for m in measures() if (c := editions[0].cell(iso, m.slug, year))}
            if values:
                found = closest_mexican_states(mx, values, mx_year, exclude=iso)
                per_geo[iso] = {slug: [[g, _round(v)] for g, v in near] for slug, near in found.items()}
        out[mx.label] = per_geo
    return out


def _common(facts: SpiFacts, lang: str, with_closest: bool = False) -> dict[str, Any]:
    """What every SPI page has: names, the data as JSON for the scripts, sources and the caveat."""
    _ = gettext_for(lang)
    data = {
        "lang": lang,
        "measures": [{"slug": m.slug, "level": m.level, "parent": m.parent, "name": m.name(lang)} for m in measures()],
        "areas": {iso: {"name": s.name(lang), "country": s.country} for iso, s in subdivisions().items()},
        "editions": [_edition_meta(e, facts) for e in facts.mx],
        "us": _edition_meta(facts.us, facts),
        "values": {"mx": {e.label: _values_json(e) for e in facts.mx},
                   "us": _values_json(facts.us) if facts.us else {}},
        "canada": {k: facts.context["CAN"].get(k) for k in ("spi", "spi_period", "spi_rank")},
        "counts": facts.context.get("_count", {}),
        "text": _script_text(lang),
        "closest": closest_json(facts) if with_closest else {},
    }
    return {
        "spi_json": json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/"),
        "d3_locale_json": json.dumps(d3_locale(lang)),
        "measures": [{"slug": m.slug, "level": m.level, "name": m.name(lang)} for m in measures()],
        "editions": data["editions"], "us_loaded": facts.us is not None,
        "us_meta": data["us"], "sources": _sources(facts, lang),
        "states": sorted(({"iso": iso, "name": s.name(lang), "country": s.country}
                          for iso, s in subdivisions().items() if s.country in {"USA", "MEX"}),
                         key=lambda s: (s["country"] != "USA", s["name"])),
        "caveat": _("The Mexican state index (México, ¿cómo vamos?), the U.S. States index and the global "
                    "index of the Social Progress Imperative use different indicators and different "
                    "best- and worst-case bounds. All run from 0 to 100, but the same score does not mean "
                    "the same conditions: comparisons across them are indicative only."),
        "map_path": MAP, "rankings_path": RANKINGS, "compare_path": COMPARE,
    }


def _script_text(lang: str) -> dict[str, str]:
    _ = gettext_for(lang)
    return {"no_data": _("no data"), "rank": _("rank in its country"), "of": _("of"), "source": _("source"),
            "edition": _("edition"), "value": _("score"), "year": _("year"), "state": _("State"),
            "country": _("Country"), "us_no_data": _("United States: no data (U.S. States index not loaded)"),
            "ca_context": _("Canada: no provincial data; national SPI %(score)s (global index, %(year)s), rank "
                            "%(rank)s"),
            "closest": _("closest Mexican states"), "usa": _("United States"), "mex": _("Mexico"),
            "measure": _("Measure"), "latest": _("latest year of each country"),
            "mx_source": "México, ¿cómo vamos?", "us_source": "Social Progress Imperative",
            "hawaii": _("Hawaii is shown enlarged and moved closer (inset)."),
            "select_two": _("Choose at least two states.")}


def _sources(facts: SpiFacts, lang: str) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    out = []
    for source_id in ("mcv_spi", "spi_us", "spi_global", "undp_hdi"):
        spec = facts.sources[source_id]
        editions = [e for e in facts.mx] if source_id == "mcv_spi" else (
            [facts.us] if source_id == "spi_us" and facts.us else [])
        vintages = [e.vintage for e in editions] or [
            facts.context["MEX"].get("spi_vintage" if source_id == "spi_global" else "hdi_vintage", "")
            if source_id in {"spi_global", "undp_hdi"} else _("not loaded")]
        out.append({"producer": spec.producer, "title": spec.title.get(lang), "citation": spec.citation,
                    "licence": spec.licence, "vintages": vintages, "homepage": spec.homepage,
                    "origins": [o.model_dump() for e in editions for o in e.origins],
                    "quirks": [q.get(lang) for q in spec.quirks]})
    return out


def ranking_rows(facts: SpiFacts, lang: str) -> list[dict[str, Any]]:
    """One row per state with data (latest year of its country's default edition): index, dimensions,
    rank in its country; states of a country without data are listed once as 'no data'."""
    rows = []
    dims = [m.slug for m in measures() if m.level == "dimension"]
    for iso, item in subdivisions().items():
        found = facts.latest(iso) if item.country in {"USA", "MEX"} else None
        if found is None:
            continue
        edition, year = found
        cell = edition.cell(iso, "spi", year)
        if cell is None:
            continue
        rows.append({"iso": iso, "name": item.name(lang), "country": item.country, "year": year,
                     "edition": edition.label, "value": cell[0], "shown": number(cell[0], lang, 1),
                     "rank": cell[1], "n": cell[2],
                     "dims": [(number(c[0], lang, 1), c[0]) if (c := edition.cell(iso, d, year)) else ("—", None)
                              for d in dims],
                     "href": PROFILE.format(iso=iso).split("/", 1)[1]})
    return sorted(rows, key=lambda r: (-r["value"], r["iso"]))


def context_rows(facts: SpiFacts, lang: str) -> list[dict[str, Any]]:
    """SPI (global) and HDI with ranks for Canada, the United States and Mexico."""
    from usmca_monitor.codelists import load_codelists

    names = load_codelists()
    rows = []
    for code in (*CONTEXT, "WLD"):
        ctx = facts.context.get(code, {})
        rows.append({"code": code, "name": names.name(code, lang),
                     "spi": number(ctx.get("spi"), lang, 2), "spi_rank": _int(ctx.get("spi_rank")),
                     "hdi": number(ctx.get("hdi"), lang, 3), "hdi_rank": _int(ctx.get("hdi_rank")),
                     "spi_period": ctx.get("spi_period", "—"), "hdi_period": ctx.get("hdi_period", "—")})
    return rows


def _int(value: float | None) -> str:
    return "—" if value is None else str(int(value))


def profile(facts: SpiFacts, iso: str, lang: str) -> dict[str, Any]:
    """A state's page: every measure (latest year, default edition) with its rank and the closest
    Mexican states, and the index over the years in every edition."""
    item = subdivisions()[iso]
    found = facts.latest(iso)
    rows: list[dict[str, Any]] = []
    series = []
    if found is not None:
        edition, year = found
        values = {m.slug: c[0] for m in measures() if (c := edition.cell(iso, m.slug, year))}
        mx = facts.mx[0] if facts.mx else None
        mx_year = mx.latest_year() if mx else None
        closest = closest_mexican_states(mx, values, mx_year, exclude=iso) if mx and mx_year else {}
        for m in measures():
            cell = edition.cell(iso, m.slug, year)
            rows.append({"name": m.name(lang), "level": m.level, "value": number(cell[0] if cell else None, lang, 1),
                         "rank": cell[1] if cell else None, "n": cell[2] if cell else None,
                         "closest": ", ".join(f"{subdivisions()[g].name(lang)} ({number(v, lang, 1)})"
                                              for g, v in closest.get(m.slug, []))})
        for ed in facts.editions_for(iso):
            series += [{"year": y, "value": c[0], "edition": ed.label}
                       for y in ed.years if (c := ed.cell(iso, "spi", y))]
    return {"iso": iso, "state_name": item.name(lang), "country": item.country, "profile_rows": rows,
            "profile_year": found[1] if found else None, "profile_edition": found[0].label if found else None,
            "profile_vintage": found[0].vintage if found else None,
            "mx_year": facts.mx[0].latest_year() if facts.mx else None,
            "series_json": json.dumps(_series_spec(series, lang), ensure_ascii=False).replace("</", "<\\/")
            if series else ""}


def _series_spec(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": "container", "height": 260,
            "data": {"values": rows}, "mark": {"type": "line", "point": True},
            "encoding": {"x": palette.year_axis("year", _("year")),
                         "y": {"field": "value", "type": "quantitative", "title": _("Social Progress Index"),
                               "scale": {"zero": False}},
                         "color": {"field": "edition", "type": "nominal", "title": _("edition"),
                                   "scale": palette.series_scale(sorted({str(r["edition"]) for r in rows}))},
                         "tooltip": [{"field": "edition", "title": _("edition")}, {"field": "year", "title": _("year")},
                                     {"field": "value", "type": "quantitative", "format": ".1f",
                                      "title": _("score")}]}}


def write_downloads(folder: Path, facts: SpiFacts) -> list[Path]:
    """``spi-states.csv``: every state, measure, year and edition with its rank and provenance."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spi-states.csv"
    levels = {m.slug: m.level for m in measures()}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["geo", "name", "measure", "level", "year", "value", "rank_in_country", "states_ranked",
                         "source", "edition", "vintage", "badge_value", "badge_rank"])
        for edition in [*facts.mx, *([facts.us] if facts.us else [])]:
            producer = facts.sources[edition.source_id].producer
            for slug, years in edition.values.items():
                for year, cells in sorted(years.items()):
                    for geo, (value, rank, n) in sorted(cells.items()):
                        name = subdivisions()[geo].names["en"] if geo in subdivisions() else geo
                        writer.writerow([csv_cell(c) for c in (geo, name, slug, levels[slug], year, value, rank, n,
                                                               producer, edition.label, edition.vintage, "official",
                                                               "computed")])
    return [path]
