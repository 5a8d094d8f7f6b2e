"""`usmca goals assess|progress|list|validate`: the JSON of `assess` carries status, score and the
components (checked against the hand-computed case of tests/progress/test_methods.py), bad input
gives one line and exit code 1, and every goals command documents an example."""

from __future__ import annotations

import json

import pytest
import typer.main
from typer.testing import CliRunner

from usmca_monitor.cli import app

runner = CliRunner()


def test_assess_json() -> None:
    """10 (2015) → 12.5 (2020) toward 20 in 2030: R = 0.96502 → substantial, score 2.6073 (worked out in
    tests/progress/test_methods.py::test_cagr_ratio_with_target_substantial)."""
    result = runner.invoke(app, ["goals", "assess", "--method", "cagr_ratio", "--values", "2015=10,2020=12.5",
                                 "--target", "20", "--target-year", "2030", "--direction", "increase",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "substantial_progress" and data["score"] == pytest.approx(2.6073, abs=1e-4)
    assert data["components"]["R"] == pytest.approx(0.96502, abs=1e-5)
    assert data["components"]["base_year"] == 2015 and data["components"]["yT"] == 20


def test_assess_base_year_defaults_to_the_first_year_and_can_be_set() -> None:
    args = ["goals", "assess", "--method", "linear", "--values", "2010=5,2015=10,2020=12.5", "--direction",
            "increase", "--format", "json"]
    first = json.loads(runner.invoke(app, args).stdout)
    assert first["components"]["base_year"] == 2010
    later = json.loads(runner.invoke(app, [*args, "--base-year", "2015"]).stdout)
    assert later["components"]["base_year"] == 2015 and later["components"]["slope_actual"] == pytest.approx(0.5)


def test_assess_semaforo_from_the_command_line() -> None:
    """MCV's growth light: 1.2 % is orange (0 ≤ g < 3.4); unemployment 4.0 → 3.0 against a benchmark
    5.5 → 5.0 (lower and falling faster) is green — the cases of test_semaforo_bands_and_benchmark."""
    light = runner.invoke(app, ["goals", "assess", "--method", "semaforo", "--values", "2024=1.2", "--direction",
                                "increase", "--bands", "green=4.5,yellow=3.4,orange=0", "--format", "json"])
    assert json.loads(light.stdout)["components"]["light"] == "orange"
    bench = runner.invoke(app, ["goals", "assess", "--method", "semaforo", "--values", "2015=4,2024=3", "--direction",
                                "decrease", "--benchmark", "2015=5.5,2024=5", "--format", "json"])
    assert json.loads(bench.stdout)["components"]["light"] == "green"
    bad = runner.invoke(app, ["goals", "assess", "--method", "semaforo", "--values", "2024=1", "--direction",
                              "increase", "--bands", "blue=3"])
    assert bad.exit_code == 1 and "'blue=3' is not LIGHT=VALUE" in bad.output


def test_assess_table_and_not_available() -> None:
    result = runner.invoke(app, ["goals", "assess", "--method", "un_progress_chart", "--values", "2015=-1,2020=2",
                                 "--direction", "increase"])
    assert result.exit_code == 0 and "not_available" in result.stdout and "opposite signs" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--values", "2015:10"], "'2015:10' is not YEAR=VALUE"),
    (["--method", "magic"], "unknown progress method 'magic'"),
    (["--direction", "up"], "unknown direction 'up'"),
    (["--target-year", "2030"], "--target-year without --target"),
    (["--format", "xml"], "unknown format 'xml'"),
])
def test_assess_bad_input(args: list[str], message: str) -> None:
    base = {"--method": "cagr_ratio", "--values": "2015=10,2020=12", "--direction": "increase"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        base[key] = value
    result = runner.invoke(app, ["goals", "assess", *[x for kv in base.items() for x in kv]])
    assert result.exit_code == 1 and message in result.output


def test_progress_and_list() -> None:
    table = runner.invoke(app, ["goals", "progress", "--format", "table"])
    assert table.exit_code == 0 and "g4-heavy-truck-rvc" in table.stdout and "not_available" in table.stdout
    data = json.loads(runner.invoke(app, ["goals", "progress", "--format", "json", "--rollup", "two_worst"]).stdout)
    assert [g["goal"] for g in data] == [1, 2, 3, 4]
    assert all(g["components"].get("rule") in ("two_worst", None) for g in data)
    listed = json.loads(runner.invoke(app, ["goals", "list", "--format", "json"]).stdout)
    assert {"goal": 4, "target": "g4-heavy-truck-rvc", "value": 70.0, "year": 2027}.items() <= next(
        t for t in listed if t["target"] == "g4-heavy-truck-rvc").items()
    assert runner.invoke(app, ["goals", "list"]).exit_code == 0


def test_every_goals_command_documents_an_example() -> None:
    group = typer.main.get_command(app)
    goals = group.commands["goals"]  # type: ignore[attr-defined]
    assert set(goals.commands) == {"assess", "progress", "list", "validate", "init"}
    for name in goals.commands:
        result = runner.invoke(app, ["goals", name, "--help"])
        assert result.exit_code == 0 and f"Example: usmca goals {name}" in result.output
