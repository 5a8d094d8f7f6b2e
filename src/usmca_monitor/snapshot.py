"""The embedded snapshot: derive tidy observations and codelists from a folder of raw files.

``usmca snapshot --from DIR`` reads, for each source, the raw files its YAML lists (paths relative
to DIR) with the source's own readers, and writes ``data/observations/<source>.parquet``,
``data/codelists/*.csv`` and ``data/manifest.json`` (vintages and the origin of every raw file).
The output is a pure function of the input files: the vintage id is made from their checksums. The
new set is written beside ``data/`` and swapped in whole (``fsutil.exchange``), so an interrupted
snapshot leaves the old files and manifest as they were.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from usmca_monitor.codelists import Codelists, build_codelists, catalog_path, load_codelists, read_yaml
from usmca_monitor.fsutil import DIR_MODE, exchange
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.specs import LANGS, Origin, RawFileSpec, SourceSpec
from usmca_monitor.sources.registry import get_adapter, source_specs
from usmca_monitor.sources.validate import check_rows
from usmca_monitor.store.layout import write_parquet
from usmca_monitor.store.raw import sha256_file
from usmca_monitor.store.warehouse import describe

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class SnapshotResult:
    """What a snapshot wrote."""

    out: Path
    sources: dict[str, int]
    codelists: list[str]


def build_snapshot(raw_dir: Path, out: Path) -> SnapshotResult:
    """Derive the embedded snapshot from ``raw_dir`` into ``out`` (a ``data/`` folder), replacing what
    ``out`` held in one step once the whole new set is written."""
    if not raw_dir.is_dir():
        raise DataError("not a folder", str(raw_dir), "give the folder that holds the raw files (../shared/data)")
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.new-*"):  # left by an interrupted snapshot
        shutil.rmtree(stale, ignore_errors=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    staging.mkdir(mode=DIR_MODE)
    try:
        result = _write_snapshot(raw_dir, staging)
        if out.exists():
            exchange(staging, out)
            shutil.rmtree(staging, ignore_errors=True)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        load_codelists.cache_clear()
    return SnapshotResult(out=out, sources=result.sources, codelists=result.codelists)


def _write_snapshot(raw_dir: Path, out: Path) -> SnapshotResult:
    (out / "codelists").mkdir(parents=True, exist_ok=True)
    (out / "observations").mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"codelists": _derive_codelists(raw_dir, out / "codelists"), "sources": {}}
    codelists = build_codelists(out / "codelists")
    counts: dict[str, int] = {}
    for source_id, spec in source_specs().items():
        if not spec.files:
            continue
        for key, files in _by_vintage(spec.files).items():
            entry_id, entry = _derive_vintage(raw_dir, out, source_id, key, files, codelists)
            manifest["sources"][entry_id] = entry
            counts[entry_id] = entry["rows"]
    artefacts = _derive_artefacts(raw_dir, out)
    if artefacts:
        manifest["artefacts"] = artefacts
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    return SnapshotResult(out=out, sources=counts, codelists=sorted(manifest["codelists"]))


def _by_vintage(files: list[RawFileSpec]) -> dict[str, list[RawFileSpec]]:
    """Raw files grouped by their ``vintage`` key ("" for a source with one embedded vintage)."""
    groups: dict[str, list[RawFileSpec]] = {}
    for raw in files:
        groups.setdefault(raw.vintage, []).append(raw)
    return dict(sorted(groups.items()))


def _derive_vintage(raw_dir: Path, out: Path, source_id: str, key: str, files: list[RawFileSpec],
                    codelists: Codelists) -> tuple[str, dict[str, Any]]:
    """Read one group of raw files into ``observations/<source>[.<key>].parquet``; its manifest entry."""
    adapter = get_adapter(source_id)
    rows: list[dict[str, object]] = []
    origins: list[Origin] = []
    for raw in files:
        path = raw_dir / raw.path
        if not path.exists():
            raise DataError("a raw file listed by the source is missing", str(path),
                            f"restore it or remove it from catalog/sources/{source_id}.yaml")
        rows.extend(adapter.readers[raw.reader](path, codelists))
        origins.append(spec_origin(adapter.spec, raw, path))
    digest = hashlib.sha256("".join(o.sha256 for o in origins).encode()).hexdigest()[:12]
    vintage = f"{source_id}@{key}-embedded-{digest}" if key else f"{source_id}@embedded-{digest}"
    where = ", ".join(str(raw_dir / raw.path) for raw in files)
    table = check_rows(rows, adapter.spec, codelists, where, vintage=vintage)
    name = f"{source_id}.{key}" if key else source_id
    write_parquet(table, out / "observations" / f"{name}.parquet")
    entry: dict[str, Any] = {
        "vintage": vintage, "created": max(o.accessed for o in origins), "rows": table.num_rows,
        "file": f"observations/{name}.parquet", "origins": [o.model_dump() for o in origins],
        "files": [describe(table, f"observations/{name}.parquet").as_dict()]}
    if key:
        entry["source"] = source_id
    return (f"{source_id}@{key}" if key else source_id), entry


def spec_origin(spec: SourceSpec, raw: RawFileSpec, path: Path) -> Origin:
    """The origin of one raw file of a source, with its checksum and size."""
    return spec.origin_for(raw, sha256_file(path), path.stat().st_size)


def _derive_artefacts(raw_dir: Path, out: Path) -> dict[str, Any]:
    """Derived files other than observations and codelists (e.g. the map geometry): every
    catalog/codelists YAML with a top-level ``artefacts`` list names, per artefact, the output path
    under ``data/``, the ``builder`` (``module:function`` taking the raw paths, returning bytes) and
    its raw ``files`` with their origins."""
    written: dict[str, Any] = {}
    for meta_path in sorted(catalog_path("codelists").glob("*.yaml")):
        document = read_yaml(meta_path)
        if not isinstance(document, dict):
            continue
        for item in document.get("artefacts") or []:
            paths, origins = [], []
            for raw in item["files"]:
                path = raw_dir / raw["path"]
                if not path.exists():
                    raise DataError("a raw file of a derived artefact is missing", str(path),
                                    f"restore it or fix {meta_path.name}")
                paths.append(path)
                origins.append(Origin(**raw, sha256=sha256_file(path), size=path.stat().st_size))
            module_name, _, function = item["builder"].partition(":")
            data: bytes = getattr(importlib.import_module(module_name), function)(paths)
            target = out / item["out"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written[item["out"]] = {"builder": item["builder"], "sha256": hashlib.sha256(data).hexdigest(),
                                    "size": len(data), "origins": [o.model_dump() for o in origins]}
    return written


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
    written.update(_derive_column_codelists(raw_dir, out))
    return written


def _derive_column_codelists(raw_dir: Path, out: Path) -> dict[str, Any]:
    """Code tables declared in any catalog/codelists YAML under a top-level ``derived_codelists`` list:
    per table, ``name`` (→ ``data/codelists/<name>.csv``), the raw ``path``, ``columns`` (raw column →
    output column, in order) and the origin fields; rows are written as read, sorted, without duplicates."""
    written: dict[str, Any] = {}
    for meta_path in sorted(catalog_path("codelists").glob("*.yaml")):
        document = read_yaml(meta_path)
        for item in (document.get("derived_codelists") or []) if isinstance(document, dict) else []:
            path = raw_dir / item["path"]
            if not path.exists():
                raise DataError("a raw codelist file is missing", str(path), f"restore it or fix {meta_path.name}")
            columns: dict[str, str] = item["columns"]
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                missing = [c for c in columns if c not in (reader.fieldnames or [])]
                if missing:
                    raise DataError(f"missing column(s) {', '.join(missing)}", str(path), f"fix {meta_path.name}")
                rows = sorted({tuple(row[c] for c in columns) for row in reader})
            (out / f"{item['name']}.csv").write_text(_csv_text(list(columns.values()), [list(r) for r in rows]),
                                                     encoding="utf-8")
            fields = {k: v for k, v in item.items() if k not in ("name", "path", "columns")}
            origin = Origin(**fields, sha256=sha256_file(path), path=item["path"], size=path.stat().st_size)
            written[f"codelists/{item['name']}.csv"] = {"origins": [origin.model_dump()]}
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
