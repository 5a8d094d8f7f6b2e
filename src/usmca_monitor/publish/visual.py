"""What every page's charts share in the browser (``static/chartkit.js``): the palette and the
translated sentences of the text summary written under each chart from the chart's own data."""

from __future__ import annotations

from functools import cache

from usmca_monitor import safety
from usmca_monitor.publish import palette
from usmca_monitor.publish.i18n import LOCALES, d3_locale, translations


def N_(message: str) -> str:
    """Mark ``message`` for extraction; translated when the page is written."""
    return message


# The sentences of a chart's summary (placeholders filled in the browser from the drawn data).
SUMMARY = {
    "rose": N_("%(series)s: rose from %(first)s in %(start)s to %(last)s in %(end)s."),
    "fell": N_("%(series)s: fell from %(first)s in %(start)s to %(last)s in %(end)s."),
    "flat": N_("%(series)s: %(first)s in %(start)s and %(last)s in %(end)s."),
    "one": N_("%(series)s: %(first)s in %(start)s."),
    "range": N_("%(series)s: highest %(high)s (%(high_value)s), lowest %(low)s (%(low_value)s)."),
    "range_plain": N_("Highest: %(high)s (%(high_value)s); lowest: %(low)s (%(low_value)s)."),
    "series": N_("The series"),
}


@cache
def chart_kit_json(lang: str) -> str:
    """The ``#usmca-chart-kit`` JSON of a page in ``lang``, safe inside a ``<script>`` element."""
    _ = translations(lang).gettext
    kit = {"lang": lang, "locale": LOCALES[lang].replace("_", "-"), "d3": d3_locale(lang),
           "text": {key: _(text) for key, text in SUMMARY.items()}, "palette": palette.for_pages()}
    return safety.dumps(kit, ensure_ascii=False).replace("</", "<\\/")
