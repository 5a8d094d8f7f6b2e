"""The embedded snapshot: derive tidy observations and codelists from a folder of raw files.

``usmca snapshot --from DIR`` reads, for each source, the raw files its YAML lists (paths relative
to DIR) with the source's own readers, and writes ``data/observations/<source>.parquet``,
``data/codelists/*.csv`` and ``data/manifest.json`` (vintages and the origin of every raw file).
The output is a pure function of the input files: the vintage id is made from their checksums.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from usmca_monitor.codelists import build_codelists, catalog_path, load_codelists, read_yaml
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.observation import KEY_COLUMNS
from usmca_monitor.model.specs import LANGS, Origin
from usmca_monitor.sources.base import to_observations
from usmca_monitor.sources.registry import get_adapter, source_specs
from usmca_monitor.store.raw import sha256_file

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class SnapshotResult:
    """What a snapshot wrote."""

    out: Path
    sources: dict[str, int]
    codelists: list[str]


def build_snapshot(raw_dir: Path, out: Path) -> SnapshotResult:
    """Derive the embedded snapshot from ``raw_dir`` into ``out`` (a ``data/`` folder)."""
    if not raw_dir.is_dir():
        raise DataError("not a folder", str(raw_dir), "give the folder that holds the raw files (../shared/data)")
    (out / "codelists").mkdir(parents=True, exist_ok=True)
    (out / "observations").mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"codelists": _derive_codelists(raw_dir, out / "codelists"), "sources": {}}
    codelists = build_codelists(out / "codelists")
    counts: dict[str, int] = {}
    for source_id, spec in source_specs().items():
        if not spec.files:
            continue
        adapter = get_adapter(source_id)
        rows: list[dict[str, object]] = []
        origins: list[Origin] = []
        for raw in spec.files:
            path = raw_dir / raw.path
            if not path.exists():
                raise DataError("a raw file listed by the source is missing", str(path),
                                f"restore it or remove it from catalog/sources/{source_id}.yaml")
            rows.extend(adapter.readers[raw.reader](path, codelists))
            origins.append(spec.origin_for(raw, sha256_file(path), path.stat().st_size))
        digest = hashlib.sha256("".join(o.sha256 for o in origins).encode()).hexdigest()[:12]
        vintage = f"{source_id}@embedded-{digest}"
        table = _sorted(to_observations(rows, source_id, vintage, "official"))
        target = out / "observations" / f"{source_id}.parquet"
        pq.write_table(table, target, compression="zstd")
        manifest["sources"][source_id] = {
            "vintage": vintage, "created": max(o.accessed for o in origins), "rows": table.num_rows,
            "file": f"observations/{source_id}.parquet", "origins": [o.model_dump() for o in origins]}
        counts[source_id] = table.num_rows
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    load_codelists.cache_clear()
    return SnapshotResult(out=out, sources=counts, codelists=sorted(manifest["codelists"]))


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([(name, "ascending") for name in KEY_COLUMNS])


def _derive_codelists(raw_dir: Path, out: Path) -> dict[str, Any]:
    meta = read_yaml(catalog_path("codelists", "derived.yaml"))
    written: dict[str, Any] = {}
    for name, writer in (("countries", _write_countries), ("census_countries", _write_census)):
        entry = meta[name]
        path = raw_dir / entry["path"]
        if not path.exists():
            raise DataError("a raw codelist file is missing", str(path),
                            "restore it or fix catalog/codelists/derived.yaml")
        (out / f"{name}.csv").write_text(writer(path), encoding="utf-8")
        origin = Origin(**{k: v for k, v in entry.items() if k != "path"}, sha256=sha256_file(path),
                        path=entry["path"], size=path.stat().st_size)
        written[f"codelists/{name}.csv"] = {"origins": [origin.model_dump()]}
    return written


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_countries(path: Path) -> str:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        needed = {"alpha_2", "alpha_3", "name_en", "common_name_en", "name_es", "name_fr"}
        missing = needed - set(reader.fieldnames or [])
        if missing:
            raise DataError(f"missing column(s) {', '.join(sorted(missing))}", str(path), "use the pycountry extract")
        rows = [[r["alpha_3"], r["alpha_2"], r["common_name_en"] or r["name_en"], r["name_es"], r["name_fr"]]
                for r in reader]
    return _csv_text(["iso3", "iso2", *(f"name_{lang}" for lang in LANGS)], sorted(rows))


def _write_census(path: Path) -> str:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"cty_code", "cty_name", "is_country", "iso3_derived"} - set(reader.fieldnames or [])
        if missing:
            raise DataError(f"missing column(s) {', '.join(sorted(missing))}", str(path), "use the derived code table")
        rows = [[r["cty_code"], r["cty_name"], r["iso3_derived"]] for r in reader
                if r["is_country"] == "True" and r["iso3_derived"]]
    return _csv_text(["cty_code", "cty_name", "iso3"], sorted(rows))
