"""The "What's new" page and the Atom feeds: every change of the data (an update, an import, a new
embedded snapshot), newest first, with what it moved and links to the indicator pages.

Changes come from the store's changelog (``Session.change_records``); vintages the changelog has not
seen yet — the embedded snapshot before any update, or a new one after an upgrade — are described in
memory for the build (the next writer records them)."""

from __future__ import annotations

from typing import Any

from usmca_monitor.facts.changes import fact_changes
from usmca_monitor.indicators.impact import pending_changes
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.progress.changes import target_changes
from usmca_monitor.publish import feeds
from usmca_monitor.publish.changes_view import change_view
from usmca_monitor.publish.context import N_, GoalLink, NavEntry, SiteContext, environment, gettext_for

PATH = "whats-new.html"
NAV = [NavEntry(PATH, N_("What's new"), 95)]
GOAL_LINKS: list[GoalLink] = []
RECORDS_KEY = "change_records"


def change_records(site: SiteContext) -> list[dict[str, Any]]:
    """The changelog's records plus those of vintages it has not seen, newest first (once per build)."""
    def make() -> list[dict[str, Any]]:
        stored = site.session.change_records()
        seen = {r["vintage"] for r in stored}
        pending = pending_changes(site.session, seen, (fact_changes, target_changes))
        return sorted([*stored, *pending], key=lambda r: (r["recorded"], r["vintage"]), reverse=True)
    return site.cached(RECORDS_KEY, make)


def write(site: SiteContext, lang: str) -> int:
    """Write ``<lang>/whats-new.html``, the site's feed and one feed per indicator in ``lang``."""
    _ = gettext_for(lang)
    views = [change_view(r, lang) for r in change_records(site)]
    site.render(lang, "whatsnew.html", PATH, page_title=_("What's new"), changes=views,
                feed=feeds.SITE_FEED, base="")
    env = environment(lang)
    feeds.write_feed(site.out, lang, feeds.SITE_FEED, _("usmca-monitor: what's new"), PATH, views, env, site.built,
                     site.base_url)
    for spec_id, spec in indicator_specs().items():
        chosen = [v for v in views if any(i["id"] == spec_id for i in v["indicators"])]
        title = _("usmca-monitor: changes to %(indicator)s") % {"indicator": spec.title.get(lang)}
        feeds.write_feed(site.out, lang, feeds.indicator_feed(spec_id), title, f"indicators/{spec_id}.html",
                         chosen, env, site.built, site.base_url)
    return 1
