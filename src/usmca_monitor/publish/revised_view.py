"""Revised values on an indicator page: the rows of the headline table whose value moved, since the
vintage before the current one, by more than the indicator's ``revision_threshold`` (``Session.revised``)
carry a "revised" marker with the earlier value and the vintage it came from, in the table itself
(plain text in the cell: readable on a phone and by keyboard, never on hover only)."""

from __future__ import annotations

from typing import Any

from usmca_monitor.indicators.documents import IndicatorData
from usmca_monitor.indicators.session import Session
from usmca_monitor.model.specs import Headline
from usmca_monitor.publish.changes_view import vintage_label
from usmca_monitor.publish.context import gettext_for
from usmca_monitor.publish.i18n import number
from usmca_monitor.safety import clean_text


def earlier_label(session: Session, vintages: str, lang: str) -> str:
    """The earlier vintage(s) in words (publisher, edition, how and when the data came)."""
    labels = []
    for vintage_id in (v for v in vintages.split("; ") if v):
        record = session.vintage(vintage_id).as_dict()
        record["origins"] = [o.model_dump() for o in session.origins(vintage_id)]
        labels.append(vintage_label(record, lang))
    return "; ".join(dict.fromkeys(labels))


def revisions(session: Session, data: IndicatorData, view: Headline, lang: str, factor: float,
              digits: int) -> dict[str, dict[str, Any]]:
    """Period → the marker of a revised row of the headline view: the earlier value as shown and raw, the
    earlier vintage in words and the sentence the cell shows."""
    _ = gettext_for(lang)
    found = session.revised(data.spec.id, view.freq)
    marks = {}
    for (geo, partner, product, period), revision in found.items():
        if (geo, partner, product) != (view.geo, view.partner, view.product):
            continue
        label = earlier_label(session, revision.earlier_vintages, lang)
        earlier = number(revision.earlier / factor, lang, digits)
        marks[period] = {"earlier_text": earlier, "earlier_raw": repr(float(revision.earlier)), "label": label,
                         "text": clean_text(_("revised from %(value)s (%(vintage)s)") % {"value": earlier,
                                                                                         "vintage": label})}
    return marks


def mark_rows(rows: list[dict[str, Any]], marks: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The table's rows with ``revised`` set (None when the row was not revised)."""
    return [row | {"revised": marks.get(row["period"])} for row in rows]
