"""Atom 1.0 feeds of what changed (made with feedgen): one for the whole site and one per indicator, in
each language, at ``<lang>/feeds/all.atom`` and ``<lang>/feeds/indicators/<id>.atom``. Each entry is one
change record; its content is the same text as the "What's new" page's entry."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator
from jinja2 import Environment

from usmca_monitor.publish.changes_view import when
from usmca_monitor.publish.context import gettext_for
from usmca_monitor.safety import clean_text

TAG = "tag:usmca-monitor,2025:"
ENTRIES = 50  # newest entries per feed
SITE_FEED = "feeds/all.atom"


def indicator_feed(indicator: str) -> str:
    """The path (under ``<lang>/``) of one indicator's feed."""
    return f"feeds/indicators/{indicator}.atom"


def entry_title(view: dict[str, Any], lang: str) -> str:
    """``Source — vintage label: summary``."""
    return clean_text(f"{view['source']} — {view['label']}: {view['summary']}")


def write_feed(root: Path, lang: str, path: str, title: str, page: str, views: Sequence[dict[str, Any]],
               env: Environment, built: str, base_url: str = "") -> Path:
    """Write the feed ``<root>/<lang>/<path>``: ``views`` (change views, newest first) as entries (``page``:
    the HTML page the feed stands for, under ``<lang>/``). Ids are ``tag:`` URIs; links are absolute under
    ``base_url`` (``--base-url``) when it is given, else relative to the feed."""
    _ = gettext_for(lang)
    target = root / lang / path
    base = f"{base_url}{lang}/" if base_url else "../" * path.count("/")
    feed_id = path
    feed = FeedGenerator()
    feed.id(TAG + f"{lang}/{feed_id}")
    feed.title(clean_text(title))
    feed.author({"name": "usmca-monitor"})
    feed.link(href=base + page, rel="alternate", type="text/html")
    feed.link(href=f"{base}{path}" if base_url else target.name, rel="self", type="application/atom+xml")
    feed.language(lang)
    feed.subtitle(_("Every change of the data behind the figures: new releases, revisions, new snapshots."))
    entry_template = env.get_template("whatsnew_entry.html")
    for view in reversed(list(views)[:ENTRIES]):  # feedgen lists the last added first
        entry = feed.add_entry()
        entry.id(TAG + f"{lang}/changes/{view['technical']['vintage']}")
        entry.title(entry_title(view, lang))
        entry.updated(when(view["recorded"]))
        entry.link(href=f"{base}whats-new.html#{view['anchor']}", rel="alternate", type="text/html")
        entry.content(clean_text(entry_template.render(c=view, base=base, lang=lang)), type="html")
    newest = when(views[0]["recorded"]) if views else when(built)
    feed.updated(newest)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(feed.atom_str(pretty=True))
    return target
