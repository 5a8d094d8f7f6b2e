"""Hostile and careless stakeholder files (issue #13, items 2, 4, 6 and 8): an alias bomb and a 900-level
nesting are refused at once (no hang, no RecursionError traceback), links are http(s) only, bidirectional
controls are stripped, a cp1252 YAML or CSV is one clear problem (never "valid" with mangled names), and
a value that is not a finite number is refused."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.progress.stakeholders import load_folder, validate_file

FIXTURES = Path(__file__).parent / "fixtures"
# 342 bytes that a YAML loader which expands aliases turns into 9^9 ≈ 387 million strings.
BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
     *(f"{x}: &{x} [{','.join([f'*{p}'] * 9)}]" for p, x in zip("abcdefgh", "bcdefghi", strict=True))]) + "\n"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "orgs"
    shutil.copytree(FIXTURES / "valid", target)
    return target


def _validate(path: Path) -> tuple[list[str], float]:
    start = time.monotonic()
    _, problems = validate_file(path, api.known_codes(), path.parent)
    return [str(p) for p in problems], time.monotonic() - start


def test_an_alias_bomb_is_refused_at_once(folder: Path) -> None:
    bomb = folder / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 400
    problems, seconds = _validate(bomb)
    assert problems == [f"{bomb}:1: anchors and aliases (&name, *name) are not accepted — fix: write every value "
                        "out in full where it is used"]
    assert seconds < 5  # it hung for minutes and took gigabytes before


def test_a_single_alias_is_refused_too(folder: Path) -> None:
    text = (folder / "chamber.yaml").read_text(encoding="utf-8").replace(
        "contact: {name: Ana Example, email: ana@example.org}",
        "contact: &c {name: Ana Example, email: ana@example.org}")
    path = folder / "alias.yaml"
    path.write_text(text, encoding="utf-8")
    [problem] = _validate(path)[0]
    assert ":3: anchors and aliases" in problem


def test_deep_nesting_is_one_problem_not_a_recursion_traceback(folder: Path) -> None:
    deep = folder / "deep.yaml"
    deep.write_text("owner: " + "[" * 900 + "]" * 900 + "\n", encoding="utf-8")
    [problem] = _validate(deep)[0]
    assert "nests deeper than 16 levels" in problem
    result = runner.invoke(app, ["goals", "validate", str(deep)])
    assert result.exit_code == 1 and "RecursionError" not in result.output and "Traceback" not in result.output
    block = folder / "block.yaml"
    block.write_text("".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "x: 1\n", encoding="utf-8")
    assert "nests deeper" in _validate(block)[0][0]


def test_too_many_values_are_refused(folder: Path) -> None:
    wide = folder / "wide.yaml"
    wide.write_text("owner: [" + ",".join(["1"] * 25_000) + "]\n", encoding="utf-8")
    assert "more than 20000 values" in _validate(wide)[0][0]


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", "data:text/html,<script>alert(1)</script>",
                                 "file:///etc/passwd", "//evil.example/x"])
def test_links_must_be_http(folder: Path, url: str) -> None:
    text = (folder / "chamber.yaml").read_text(encoding="utf-8")
    path = folder / "chamber.yaml"
    path.write_text(text.replace('url: "https://example.org"', f'url: "{url}"').replace(
        'citation: {text: "Example Binational Chamber, 2030 plan (test fixture)"}',
        f'citation: {{text: "plan", url: "{url}"}}'), encoding="utf-8")
    problems = _validate(path)[0]
    assert any(":2: owner.url " in p and "is not an http(s) link" in p for p in problems), problems
    assert any("targets[1].citation.url" in p for p in problems), problems
    with pytest.raises(Exception, match="is not an http"):
        load_folder(folder, api.known_codes())


def test_bidirectional_controls_are_stripped(folder: Path) -> None:
    path = folder / "chamber.yaml"
    text = path.read_text(encoding="utf-8").replace("Example Binational Chamber, kind",
                                                    "Example \u202eBinational\u2066 Chamber, kind")
    path.write_text(text.replace("Cross-border jobs", "Cross\u202b-border jobs"), encoding="utf-8")
    [stakeholder] = load_folder(folder, api.known_codes())
    assert stakeholder.spec.owner.name == "Example Binational Chamber"
    assert stakeholder.spec.title.en == "Cross-border jobs and exports"


def test_a_cp1252_yaml_is_not_called_valid(folder: Path) -> None:
    path = folder / "chamber.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Example Binational Chamber",
                                                              "Cámara Binacional").encode("cp1252"))
    result = runner.invoke(app, ["goals", "validate", str(path)])
    assert result.exit_code == 1 and "valid" not in result.stdout.split(":")[-1]
    assert f"{path}:2: the file is not UTF-8 (looks like cp1252)" in result.stdout
    assert "re-save it as UTF-8" in result.stdout


def test_a_cp1252_csv_is_one_problem_naming_its_line(folder: Path) -> None:
    csv_path = folder / "chamber.csv"
    csv_path.write_bytes("series,geo,year,value,unit\nmember_jobs,MEX,2019,1000,jobs\n"
                         "member_jobs,MEX,2024,1150,empleos en México\n".encode("cp1252"))
    problems = _validate(folder / "chamber.yaml")[0]
    assert (f"{csv_path}:3: the file is not UTF-8 (looks like cp1252) — fix: re-save it as UTF-8 "
            "(in a spreadsheet: CSV UTF-8; in an editor: encoding UTF-8)") in problems


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e309"])
def test_own_values_must_be_finite(folder: Path, value: str) -> None:
    csv_path = folder / "chamber.csv"
    csv_path.write_text(f"series,geo,year,value,unit\nmember_jobs,MEX,2019,1000,jobs\nmember_jobs,MEX,2024,{value},"
                        "jobs\n", encoding="utf-8")
    problems = _validate(folder / "chamber.yaml")[0]
    assert any(f"{csv_path}:3: value '{value}' is not a finite number" in p for p in problems), problems


def test_build_with_hostile_goals_publishes_nothing(folder: Path, tmp_path: Path) -> None:
    (folder / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    out = tmp_path / "site"
    start = time.monotonic()
    result = runner.invoke(app, ["build", "--out", str(out), "--lang", "en", "--goals", str(folder)])
    assert result.exit_code == 1 and "anchors and aliases" in result.output
    assert time.monotonic() - start < 30 and not out.exists()


def test_the_published_stakeholder_link_is_the_safe_one() -> None:
    """Belt and braces: the page writer itself publishes no link that is not http(s)."""
    from types import SimpleNamespace

    from usmca_monitor.publish.sections.goals import stakeholder_views

    spec = SimpleNamespace(owner=SimpleNamespace(name="X", kind="other", url="javascript:alert(1)", country=None),
                           contact=SimpleNamespace(name="Y", email="y@example.org"),
                           title=SimpleNamespace(get=lambda lang: "t"),
                           description=SimpleNamespace(get=lambda lang: "d"), contributes_to=[])
    [view] = stakeholder_views([(SimpleNamespace(slug="x", spec=spec), [])], "en")  # type: ignore[list-item]
    assert view["url"] == ""
