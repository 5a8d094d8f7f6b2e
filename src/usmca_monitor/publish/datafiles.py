"""The data the static site offers under ``/data/``, written once per build: for every indicator
``<id>.csv``, ``<id>.xlsx``, ``<id>.json`` (every row) and ``<id>.meta.json``; the read-only API tree
(``v1/index.json`` and ``v1/indicators/<id>.json``, the shapes of ``indicators/documents.py``); the
whole dataset as a Frictionless Data Package (``datapackage.json``); the facts with their verdicts
(``facts.csv``); and, for the pages' charts, each indicator's values by frequency in a compact form
(``view/<id>.<freq>.json``). Every file is written through ``writers.py`` / ``safety.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from frictionless import Package, Resource, Schema, fields

from usmca_monitor.catalog import source_of_series, source_specs
from usmca_monitor.facts.check import FactResult
from usmca_monitor.indicators import documents
from usmca_monitor.indicators.documents import FIELDS, PRIMARY_KEY, IndicatorData
from usmca_monitor.indicators.session import Session
from usmca_monitor.model.specs import IndicatorSpec
from usmca_monitor.publish.context import gettext_for
from usmca_monitor.safety import dumps, safe_url
from usmca_monitor.writers import write_csv, write_json_rows, write_xlsx

FACT_COLUMNS: dict[str, Any] = {
    "id": pa.string(), "goal": pa.int64(), "kind": pa.string(), "status": pa.string(), "statement": pa.string(),
    "report_value": pa.float64(), "report_value_text": pa.string(), "qualifier": pa.string(),
    "precision": pa.int64(), "unit": pa.string(), "period": pa.string(), "computed_value": pa.float64(),
    "latest_value": pa.float64(), "latest_period": pa.string(), "difference": pa.float64(), "badge": pa.string(),
    "vintages": pa.string(), "cited_source": pa.string(), "awaits": pa.string(), "reason": pa.string(),
}


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def about_rows(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``about`` sheet of the XLSX: what a reader needs to use and cite the rows."""
    rows = [("id", meta["id"]), ("title", meta["title"]["en"]), ("unit", meta["unit"]),
            ("definition", meta["definition"]["en"]), ("direction", meta["direction"]),
            ("frequencies", ", ".join(meta["frequencies"])), ("badge", str(meta["badge"] or "")),
            ("licence", meta["licence"]), ("citation", meta["citation"]["en"])]
    for source in meta["sources"]:
        vintages = ", ".join(f"{v['id']} ({v['created']})" for v in source["vintages"])
        rows.append((f"source: {source['id']}", f"{source['producer']} — {source['citation']} Vintages: {vintages}"))
    return rows


def write_indicator_files(folder: Path, session: Session, data: IndicatorData, built: str) -> list[Path]:
    """``<id>.csv``, ``.xlsx``, ``.json`` and ``.meta.json`` of one indicator (every row)."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = data.spec
    meta = documents.meta_document(session, data, built, gettext_for)
    csv_path, json_path = folder / f"{spec.id}.csv", folder / f"{spec.id}.json"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        write_csv(data.table, fh)
    with json_path.open("w", encoding="utf-8") as fh:
        write_json_rows(data.table.drop_columns(["indicator"]), fh, documents.data_head(data))
    xlsx_path = folder / f"{spec.id}.xlsx"
    write_xlsx(data.table, xlsx_path, about_rows(meta))
    meta_path = _write_text(folder / f"{spec.id}.meta.json", dumps(meta, indent=1) + "\n")
    return [csv_path, xlsx_path, json_path, meta_path]


def write_api(folder: Path, session: Session, datas: list[IndicatorData], built: str,
              why_empty: dict[str, dict[str, str]], langs: list[str]) -> list[Path]:
    """``v1/index.json`` and ``v1/indicators/<id>.json`` under ``folder``."""
    paths = [_write_text(folder / "v1" / "index.json",
                         dumps(documents.index_document(datas, built, why_empty, langs, session.version()), indent=1)
                         + "\n")]
    for data in datas:
        document = documents.indicator_document(session, data, built, why_empty.get(data.spec.id), langs)
        paths.append(_write_text(folder / "v1" / "indicators" / f"{data.spec.id}.json", dumps(document) + "\n"))
    return paths


def write_view(folder: Path, data: IndicatorData) -> list[Path]:
    """``view/<id>.<freq>.json``: the values at each frequency as rows ``[geo, partner, product,
    period_index, value]`` with the list of periods, for the page's charts (drawn in the browser)."""
    paths = []
    for freq in data.freqs:
        table = data.rows(freq=freq)
        periods = sorted(set(table["period"].to_pylist()))
        index = pc.index_in(table["period"], value_set=pa.array(periods, pa.string()))
        compact = pa.table({"geo": table["geo"], "partner": table["partner"], "product": table["product"],
                            "period": index, "value": table["value"]})
        path = folder / "view" / f"{data.spec.id}.{freq}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            write_json_rows(compact, fh, {"indicator": data.spec.id, "freq": freq, "periods": periods})
        paths.append(path)
    return paths


def _schema(primary_key: list[str], types: dict[str, str]) -> Schema:
    made = []
    for name, kind in types.items():
        field = {"number": fields.NumberField, "integer": fields.IntegerField}.get(kind, fields.StringField)
        made.append(field(name=name, description=documents.FIELD_TEXT.get(name, "")))
    return Schema(fields=made, primary_key=primary_key)


def _resource(spec: IndicatorSpec, data: IndicatorData) -> Resource:
    sources = source_specs()
    owners = source_of_series()
    declared = {owners[i.series] for i in spec.inputs.values() if i.series and i.series in owners}
    used = [sources[s] for s in sorted(data.vintages or declared)]
    return Resource(
        name=spec.id.lower(), path=f"{spec.id}.csv", format="csv", mediatype="text/csv", encoding="utf-8",
        title=spec.title.en, description=spec.method.en,
        schema=_schema(list(PRIMARY_KEY), {name: documents.FIELD_TYPES.get(name, "string") for name in FIELDS}),
        sources=[{"title": s.producer, "path": safe_url(s.homepage) or ""} for s in used],
        licenses=[{"title": s.licence, "path": safe_url(s.homepage) or ""} for s in used])


def write_datapackage(folder: Path, datas: list[IndicatorData], built: str) -> Path:
    """``datapackage.json``: one resource per indicator CSV (and ``facts.csv`` when written), each with a
    Table Schema typing every field and declaring the primary key."""
    resources = [_resource(d.spec, d) for d in sorted(datas, key=lambda d: d.spec.id)]
    if (folder / "facts.csv").exists():
        resources.append(Resource(
            name="facts", path="facts.csv", format="csv", mediatype="text/csv", encoding="utf-8",
            title="The report's facts checked against the data",
            schema=_schema(["id"], {k: "integer" if t == pa.int64() else "number" if t == pa.float64() else "string"
                                    for k, t in FACT_COLUMNS.items()})))
    package = Package(name="usmca-monitor", title="usmca-monitor: North American indicators from official data",
                      description=f"Every indicator of the catalog, every row, built {built}.",
                      resources=resources)
    path = folder / "datapackage.json"
    package.to_json(str(path))
    return path


def write_facts_csv(folder: Path, results: list[FactResult]) -> Path:
    """``facts.csv``: every fact with its verdict (agrees, diverges, awaiting data, narrative)."""
    records = []
    for result in results:
        item = result.as_dict()
        item["vintages"] = "; ".join(f"{k}={v}" for k, v in sorted((item.get("vintages") or {}).items()))
        item["awaits"] = "; ".join(item.get("awaits") or [])
        records.append({name: item.get(name) for name in FACT_COLUMNS})
    table = pa.Table.from_pylist(records, schema=pa.schema(list(FACT_COLUMNS.items())))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "facts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_csv(table, fh)
    return path
