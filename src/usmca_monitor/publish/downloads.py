"""Downloads of the TDR topic page: every partner and period with exports, imports, balance and TDR side by
side (``tdr-partners.csv`` and ``.json``), with provenance. Every indicator's own rows are in ``datafiles.py``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.publish.trade_data import TradeFacts
from usmca_monitor.safety import csv_cell, dumps, public_origin

COLUMNS = ["geo", "partner", "partner_name", "partner_kind", "period", "freq", "exports_usd", "imports_usd",
           "balance_usd", "tdr", "share_total_trade_pct", "rank_total_trade", "source", "vintage", "badge"]


def tdr_records(facts: TradeFacts) -> list[dict[str, Any]]:
    """One record per partner and period."""
    names = load_codelists()
    records = []
    for (partner, period), values in sorted(facts.values.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        area = names.areas.get(partner)
        records.append({
            "geo": "USA", "partner": partner, "partner_name": names.name(partner, "en"),
            "partner_kind": area.kind if area else "", "period": period, "freq": facts.freq_of[period],
            "exports_usd": values.get("exports"), "imports_usd": values.get("imports"),
            "balance_usd": values.get("balance"), "tdr": values.get("tdr"),
            "share_total_trade_pct": values.get("share_total_trade"),
            "rank_total_trade": values.get("rank_total_trade"),
            "source": facts.source.producer, "vintage": facts.vintage, "badge": facts.badge})
    return records


def write_tdr_downloads(folder: Path, facts: TradeFacts) -> list[Path]:
    """Write ``tdr-partners.csv`` and ``tdr-partners.json`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    records = tdr_records(facts)
    csv_path = folder / "tdr-partners.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in records)
    spec = get_spec("tdr")
    meta = {
        "indicator": spec.id, "title": spec.title.model_dump(), "unit": spec.unit, "method": spec.method.model_dump(),
        "source": {"id": facts.source.id, "producer": facts.source.producer, "citation": facts.source.citation,
                   "licence": facts.source.licence, "quirks": [q.en for q in facts.source.quirks]},
        "vintage": facts.vintage, "data_through": facts.last_month, "badge": facts.badge,
        "origins": [public_origin(o.model_dump()) for o in facts.origins],
        "units": {"exports_usd": "USD", "imports_usd": "USD", "balance_usd": "USD", "tdr": "ratio",
                  "share_total_trade_pct": "percent", "rank_total_trade": "rank"},
        "records": records,
    }
    json_path = folder / "tdr-partners.json"
    json_path.write_text(dumps(meta, indent=1), encoding="utf-8")
    return [csv_path, json_path]
