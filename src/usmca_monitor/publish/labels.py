"""Labels shared by the pages, taken from the catalogs rather than written into each section."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from usmca_monitor.catalog import source_specs
from usmca_monitor.progress.catalog import load_catalog


def goal_name(goal_id: int, lang: str) -> str:
    """The name of shared goal ``goal_id`` in ``lang``, from the goals catalog (so that a topic page's
    breadcrumb always names the goal it belongs to)."""
    return load_catalog().goal(goal_id).name.get(lang)


def vintage_labels(site: Any, lang: str) -> dict[str, str]:
    """Every vintage of the store in words (publisher, edition, release or access date), by vintage id:
    public text names a vintage this way; its hash goes in the page's technical details."""
    from usmca_monitor.publish.changes_view import vintage_label

    def make() -> dict[str, dict[str, Any]]:
        found = {v.vintage: {"vintage": v.vintage, "source_id": v.source_id, "kind": v.kind, "loaded": v.loaded,
                             "created": v.created, "origins": [o.model_dump() for o in v.origins]}
                 for v in site.session.vintages()}
        found.update({r["vintage"]: r for r in site.session.change_records() if r.get("vintage")})
        return found

    records: dict[str, dict[str, Any]] = site.cached("vintage-records", make)
    labels = {vid: vintage_label(record, lang) for vid, record in records.items()}
    remember(labels, lang)
    return labels


_KNOWN: dict[tuple[str, str], str] = {}  # (lang, vintage id) → label, filled by vintage_labels()
_SHOWN: list[str] = []  # the vintages named on the page being rendered (for its Technical details)


def remember(labels: dict[str, str], lang: str) -> None:
    """Keep a build's vintage labels for the templates' ``vintage_note``."""
    _KNOWN.update({(lang, vid): label for vid, label in labels.items()})


def vintage_note(vintage_id: str, lang: str) -> Markup:
    """A vintage in public text: its readable label (publisher, edition, release or access date); the id
    itself is listed in the page's Technical details (``technical_details``)."""
    ids = [v.strip() for v in str(vintage_id or "").split(",") if v.strip()]
    _SHOWN.extend(v for v in ids if v not in _SHOWN)
    words = list(dict.fromkeys(_KNOWN[(lang, v)] for v in ids if (lang, v) in _KNOWN))
    if not words and ids:
        from usmca_monitor.publish.context import gettext_for

        words = [gettext_for(lang)("version in the Technical details")]
    return Markup(escape("; ".join(words)))


def technical_details(lang: str) -> Markup:
    """The folded Technical details block of a page: the vintage ids its public text named by label."""
    from usmca_monitor.publish.context import gettext_for

    shown = list(_SHOWN)
    _SHOWN.clear()
    if not shown:
        return Markup("")
    _ = gettext_for(lang)
    items = "".join(f"<li><code>{escape(v)}</code>{escape(' — ' + _KNOWN[(lang, v)]) if (lang, v) in _KNOWN else ''}"
                    "</li>" for v in shown)
    return Markup(f'<details class="tech page-tech"><summary>{escape(_("Technical details"))}</summary>'
                  f'<p>{escape(_("Vintages of the data on this page (the store keeps each one):"))}</p>'
                  f'<ul>{items}</ul></details>')


def licence_in(text: str, lang: str) -> str:
    """A source's licence in ``lang`` (from the source catalog's translations), given its English text."""
    for spec in source_specs().values():
        if spec.licence == text:
            return spec.licence_in(lang)
    return text


def citation_in(text: str, lang: str) -> str:
    """A source's citation in ``lang`` (from the source catalog's translations), given its English text."""
    for spec in source_specs().values():
        if spec.citation == text:
            return spec.citation_in(lang)
    return text


JINJA_GLOBALS = {"vintage_note": vintage_note, "technical_details": technical_details, "licence_in": licence_in,
                 "citation_in": citation_in}
