"""The committed embedded snapshot equals one rebuilt from ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from usmca_monitor.codelists import data_path
from usmca_monitor.snapshot import build_snapshot


def test_committed_snapshot_equals_a_rebuild(shared: Path, tmp_path: Path) -> None:
    result = build_snapshot(shared, tmp_path / "data")
    committed = json.loads(data_path("manifest.json").read_text(encoding="utf-8"))
    rebuilt = json.loads((tmp_path / "data" / "manifest.json").read_text(encoding="utf-8"))
    assert rebuilt == committed, "run `make snapshot` and commit src/usmca_monitor/data/"
    for name in ("countries.csv", "census_countries.csv"):
        assert (tmp_path / "data" / "codelists" / name).read_text() == data_path("codelists", name).read_text()
    for source_id, entry in committed["sources"].items():
        new = pq.read_table(tmp_path / "data" / entry["file"])
        old = pq.read_table(data_path(entry["file"]))
        assert new.equals(old), f"observations of {source_id} differ from the committed snapshot"
        assert result.sources[source_id] == entry["rows"]


def test_snapshot_records_origins_of_every_raw_file() -> None:
    manifest = json.loads(data_path("manifest.json").read_text(encoding="utf-8"))
    origins = [o for entry in manifest["sources"].values() for o in entry["origins"]]
    origins += [o for entry in manifest["codelists"].values() for o in entry["origins"]]
    assert origins
    for origin in origins:
        for key in ("producer", "title", "url", "licence", "citation", "accessed"):
            assert origin[key], f"origin of {origin['path']} has no {key}"
        assert len(origin["sha256"]) == 64
