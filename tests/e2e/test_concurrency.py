"""Concurrency (issue #13, "Must hold"): eight ``usmca query`` processes, an ``usmca import`` and an
``usmca build`` run at once against one ``USMCA_HOME``. No process prints a traceback, every reader
answers (the same answer as alone), the import succeeds and its data is there afterwards, and the build
publishes a whole site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from usmca_monitor.store.warehouse import read_manifest

HEADER = "series,geo,partner,product,flow,measure,period,freq,value,unit"


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "usmca_monitor", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_eight_queries_an_import_and_a_build_at_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("USMCA_")}
    env.update(USMCA_HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    query = ["query", "tdr", "--partner", "MEX", "--period", "2024", "--format", "json"]
    alone = subprocess.run([sys.executable, "-m", "usmca_monitor", *query], env=env, capture_output=True, check=True)
    expected = json.loads(alone.stdout)
    assert len(expected) == 1 and expected[0]["value"] is not None

    # An import of Mexico's 2031 trade (TDR 2031 = (150 − 100) / 100 = 0.5) and HS6 rows to make it last.
    rows = [f"census.trade.partner,USA,MEX,,{flow},value,2031-{m:02d},M,{value},USD"
            for m in range(1, 13) for flow, value in (("export", 100), ("import", 150))]
    rows += [f"census.trade.hs6,USA,CAN,HS:{8400 + i // 100:04d}{i % 100:02d},import,value,2031-01,M,{i},USD"
             for i in range(20_000)]
    data = tmp_path / "tidy.csv"
    data.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")

    site = tmp_path / "site"
    build = _start(["build", "--out", str(site), "--lang", "en"], env)
    time.sleep(3)  # the build has opened its session and is writing pages
    importer = _start(["import", "census_trade", str(data)], env)
    readers = [_start(query, env) for _ in range(8)]
    results = {"build": build, "import": importer, **{f"query {i}": p for i, p in enumerate(readers)}}
    outputs = {name: p.communicate(timeout=900) for name, p in results.items()}

    for name, (out, err) in outputs.items():
        assert b"Traceback" not in err and b"Traceback" not in out, (name, err.decode())
        assert results[name].returncode == 0, (name, err.decode())
    for i in range(8):
        assert json.loads(outputs[f"query {i}"][0]) == expected  # every reader answered, as alone
    [vintage] = [v for v in read_manifest(home) if v.source_id == "census_trade"]
    assert vintage.rows == len(rows)  # no lost data
    after = subprocess.run([sys.executable, "-m", "usmca_monitor", "query", "tdr", "--partner", "MEX", "--period",
                            "2031", "--format", "json"], env=env, capture_output=True, check=True)
    assert [(r["value"], r["vintage"]) for r in json.loads(after.stdout)] == [(0.5, vintage.vintage)]
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
