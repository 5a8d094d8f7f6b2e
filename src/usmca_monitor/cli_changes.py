"""How ``usmca diff`` and ``usmca refresh`` print what changed (table, CSV or JSON)."""

from __future__ import annotations

import csv
import io
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from usmca_monitor.changes import RefreshResult
from usmca_monitor.safety import csv_cell, dumps

KEYS = ("series", "geo", "partner", "product", "flow", "measure", "period", "freq")
COLUMNS = (*KEYS, "change", "old_value", "new_value", "abs_change", "rel_change", "unit")
SHOWN = 50  # observation rows printed as a table; --format csv or json lists every one


def print_diff(record: dict[str, Any], fmt: str, out: Console) -> None:
    """Print a change record as ``fmt``: json (everything), csv (the observations) or table."""
    if fmt == "json":
        sys.stdout.write(dumps(record, indent=2) + "\n")
        return
    rows = record["observations"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([csv_cell(r.get(c)) for c in COLUMNS] for r in rows)
        sys.stdout.write(buffer.getvalue())
        return
    out.print(summary_line(record), markup=False, highlight=False, soft_wrap=True)
    if rows:
        table = Table(*COLUMNS[1:8], "change", "old", "new", "Δ", "Δ %")
        for r in rows[:SHOWN]:
            table.add_row(*(str(r[c] or "") for c in COLUMNS[1:9]), _num(r["old_value"]), _num(r["new_value"]),
                          _num(r["abs_change"]), _pct(r["rel_change"]))
        out.print(table)
        if len(rows) > SHOWN:
            out.print(f"… and {len(rows) - SHOWN} more (--format csv lists every one)", markup=False)
    for label, key in (("indicators", "indicators"), ("facts", "facts"), ("targets", "targets"), ("pages", "pages")):
        out.print(f"{label} moved ({len(record[key])}): {', '.join(record[key]) or 'none'}", markup=False,
                  highlight=False, soft_wrap=True)
    for change in record["status_changes"]:
        out.print(f"target {change['target']} (goal {change['goal']}): {change['before']} → {change['after']}",
                  markup=False, highlight=False)
    for change in record["fact_changes"]:
        out.print(f"fact {change['fact']}: {change['status_before']} → {change['status_after']} "
                  f"({_num(change['value_before'])} → {_num(change['value_after'])} for {change['period']})",
                  markup=False, highlight=False)


def summary_line(record: dict[str, Any]) -> str:
    """``census_trade: A → B: 3 revised, 0 added, 0 removed (…unchanged)``."""
    counts = record["counts"]
    older = record["previous"] or "(no earlier vintage)"
    carried = f"; carried from the older vintage: {', '.join(record['carried'])}" if record["carried"] else ""
    return (f"{record['source_id']}: {older} → {record['vintage']}: {counts['revised']} revised, "
            f"{counts['added']} added, {counts['removed']} removed, {counts['unchanged']} unchanged{carried}")


def print_refresh(result: RefreshResult, out: Console, err: Console) -> None:
    """What a refresh changed, which sources failed, and whether the site was published."""
    for record in result.records:
        out.print(summary_line(record), markup=False, highlight=False, soft_wrap=True)
        for change in record["status_changes"]:
            out.print(f"  target {change['target']}: {change['before']} → {change['after']}", markup=False)
    for source_id in result.unchanged:
        out.print(f"{source_id}: unchanged", markup=False)
    for source_id, message in result.failed:
        err.print(f"error: {source_id}: {message}", markup=False, highlight=False, soft_wrap=True)
    if result.published:
        out.print(f"published {result.pages} pages", markup=False)
    else:
        out.print("nothing changed: the site was left as it was" if not result.changed else "", markup=False)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:+.3g}%"
