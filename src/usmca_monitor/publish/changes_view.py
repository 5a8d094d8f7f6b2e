"""What a change record looks like to a reader, in one language: the source, the vintage as a readable
label (publisher and edition, release or access date — ids and hashes only in the technical details),
what moved, and links to the indicator pages. Shared by the "What's new" page and the Atom feeds."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from babel.dates import format_date

from usmca_monitor.catalog import source_specs
from usmca_monitor.codelists import load_codelists
from usmca_monitor.facts.check import fact_specs
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.publish.context import N_, gettext_for
from usmca_monitor.publish.i18n import LOCALES, number, period_label

STATUS = {
    "target_achieved": N_("Target achieved"), "substantial_progress": N_("Substantial progress"),
    "moderate_progress": N_("Moderate progress"), "limited_progress": N_("Limited progress"),
    "deterioration": N_("Deterioration"), "not_available": N_("Not available"),
}
VERDICTS = {"agrees": N_("agrees"), "diverges": N_("diverges"), "awaiting_data": N_("awaiting data"),
            "narrative": N_("narrative")}
FLOWS = {"import": N_("imports"), "export": N_("exports")}
SHOWN = 8  # largest revisions shown per change
EDITION = re.compile(r"@(ed|hdr)(\d{4}(?:_\d{2})?)")


def when(stamp: str) -> dt.datetime:
    """A record's time as an aware datetime (a date alone is midnight UTC)."""
    text = stamp.replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = dt.datetime.fromisoformat((stamp + "-01-01")[:10])
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _date(text: str, lang: str) -> str:
    """``2025-10`` → "October 2025", ``2026-12-03…`` → "3 December 2026" (in ``lang``)."""
    try:
        if len(text) == 7:
            return format_date(dt.date.fromisoformat(text + "-01"), "MMMM y", locale=LOCALES[lang])
        return format_date(dt.date.fromisoformat(text[:10]), "long", locale=LOCALES[lang])
    except ValueError:
        return text


def vintage_label(record: dict[str, Any], lang: str) -> str:
    """The vintage in words: publisher, edition when there is one, and how and when the data came."""
    _ = gettext_for(lang)
    producers = list(dict.fromkeys(o["producer"] for o in record["origins"] if o.get("producer")))
    spec = source_specs().get(record["source_id"])
    producer = "; ".join(producers) or (spec.producer if spec else record["source_id"])
    edition = EDITION.search(record["vintage"])
    accessed = max((o.get("accessed") or "" for o in record["origins"]), default="")
    if record["kind"] == "live":
        how = _("downloaded on %(date)s") % {"date": _date(record["loaded"] or record["created"], lang)}
    elif record["kind"] == "import":
        how = _("file loaded on %(date)s") % {"date": _date(record["loaded"] or record["created"], lang)}
    else:
        how = _("release accessed %(date)s") % {"date": _date(accessed or record["created"], lang)}
    parts = [producer, (_("edition %(edition)s") % {"edition": edition[2].replace("_", "–")}) if edition else "", how]
    return ", ".join(p for p in parts if p)


def _key_label(row: dict[str, Any], lang: str) -> str:
    _ = gettext_for(lang)
    names = load_codelists()
    parts = []
    for code in (row["geo"] if row["geo"] not in ("USA", "") else None, row["partner"]):
        if code:
            parts.append(names.name(code, lang))
    if row["product"]:
        parts.append(row["product"])
    if row["flow"]:
        parts.append(_(FLOWS.get(row["flow"], row["flow"])))
    return " · ".join(parts) or row["series"]


def _value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "—"
    if unit == "USD" and abs(value) >= 1e6:
        return number(value / 1e6, lang, 1) + " " + gettext_for(lang)("USD million")
    return number(value, lang, 2 if abs(value) < 100 else 0)


def revision_rows(record: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """The largest revisions of a record, as a reader reads them."""
    rows = []
    for row in record["observations"][:SHOWN]:
        if row["change"] != "revised":
            continue
        rel = row["rel_change"]
        rows.append({"what": _key_label(row, lang), "period": period_label(row["period"], lang),
                     "before": _value(row["old_value"], row["unit"], lang),
                     "after": _value(row["new_value"], row["unit"], lang),
                     "change": "—" if rel is None else ("+" if rel > 0 else "") + number(100 * rel, lang, 2) + " %"})
    return rows


def summary(record: dict[str, Any], lang: str) -> str:
    """One sentence: how many observations were revised, added and removed (or a first vintage)."""
    _ = gettext_for(lang)
    counts = record["counts"]
    if record["previous"] is None:
        return _("First data from this source in this store: %(rows)s observations.") % {
            "rows": number(record["rows"], lang, 0)}
    if not any(counts[k] for k in ("added", "removed", "revised")):
        return _("The new data holds the same values as before.")
    text = _("%(revised)s observations revised, %(added)s added, %(removed)s removed.") % {
        k: number(counts[k], lang, 0) for k in ("revised", "added", "removed")}
    span = record.get("periods")
    if span:
        text += " " + _("Periods from %(first)s to %(last)s.") % {
            "first": period_label(span["first"], lang), "last": period_label(span["last"], lang)}
    return text


def change_view(record: dict[str, Any], lang: str) -> dict[str, Any]:
    """Everything a page or a feed entry shows of one change record (links relative to ``<lang>/``)."""
    _ = gettext_for(lang)
    specs = indicator_specs()
    spec = source_specs().get(record["source_id"])
    goals = {t.id: (g, t) for g in load_catalog().goals for t in g.targets}
    facts = fact_specs()
    return {
        "anchor": "change-" + re.sub(r"[^0-9A-Za-z_-]", "-", record["vintage"]),
        "source": spec.title.get(lang) if spec else record["source_id"],
        "label": vintage_label(record, lang), "summary": summary(record, lang),
        "date": _date(record["recorded"], lang), "recorded": record["recorded"],
        "revisions": revision_rows(record, lang),
        "indicators": [{"id": i, "title": specs[i].title.get(lang), "href": f"indicators/{i}.html"}
                       for i in record["indicators"] if i in specs],
        "status_changes": [{"goal": c["goal"], "title": goals[c["target"]][1].title.get(lang)
                            if c["target"] in goals else c["target"],
                            "href": f"goals/{goals[c['target']][0].slug}.html" if c["target"] in goals else "",
                            "before": _(STATUS.get(c["before"], c["before"])),
                            "after": _(STATUS.get(c["after"], c["after"]))} for c in record["status_changes"]],
        "fact_changes": [{"id": c["fact"], "href": f"facts/index.html#fact-{c['fact']}",
                          "text": facts[c["fact"]].statement.get(lang).replace("{value}", "…").replace(
                              "{period}", period_label(c["period"], lang)) if c["fact"] in facts else c["fact"],
                          "before": _(VERDICTS.get(c["status_before"], c["status_before"])),
                          "after": _(VERDICTS.get(c["status_after"], c["status_after"]))}
                         for c in record["fact_changes"]],
        "technical": {"vintage": record["vintage"], "source_id": record["source_id"],
                      "previous": record["previous"] or "—", "kind": record["kind"],
                      "hashes": [o["sha256"] for o in record["origins"] if o.get("sha256")]},
    }
