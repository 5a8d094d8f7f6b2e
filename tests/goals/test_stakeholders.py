"""Stakeholder goal files: every mistake reported once with file:line, what and the fix; the limits
(files outside the folder, oversized files, a bad CSV line); valid files judged like catalog targets;
and the command line (`usmca goals validate`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.model.errors import DataError
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.progress.evaluate import engine_loader
from usmca_monitor.progress.stakeholders import MAX_YAML_BYTES, judge_stakeholder, load_folder, validate_file

FIXTURES = Path(__file__).parent / "fixtures"
TEN = FIXTURES / "ten_mistakes.yaml"
# (line, text that the message must contain, text that the fix must contain) for each of the ten mistakes.
EXPECTED = [
    (3, "owner.kind is 'corporation'", "'association'"),
    (6, "contact.email 'ana.example.org' is not an e-mail address", "name@example.org"),
    (7, "missing field title.fr", "add `fr:`"),
    (14, "unknown field description.de", "en, es, fr"),
    (15, "shared goal 7 does not exist", "1 (shared prosperity)"),
    (16, "data file '../outside.csv' is outside the folder", "beside the YAML"),
    (20, "unknown indicator 'share_export'", "did you mean 'share_exports'"),
    (22, "baseline_year 1850 is impossible", "between 1950 and 2100"),
    (24, "targets[0].method is 'magic'", "'cagr_ratio'"),
    (33, "direction increase contradicts a target of 55 from a baseline of 60", "swap the direction"),
]


def test_ten_mistakes_give_ten_precise_messages() -> None:
    _, problems = validate_file(TEN, api.known_codes())
    assert len(problems) == 10, "\n".join(map(str, problems))
    for problem, (line, what, fix) in zip(problems, EXPECTED, strict=True):
        assert problem.file == str(TEN) and problem.line == line, str(problem)
        assert what in problem.what and fix in problem.fix, str(problem)
        assert str(problem).startswith(f"{TEN}:{line}: ")


def test_validate_command(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["goals", "validate", str(TEN)])
    assert bad.exit_code == 1
    lines = [x for x in bad.stdout.splitlines() if x.startswith(str(TEN))]
    assert len(lines) == 10 and all(" — fix: " in x for x in lines)
    good = runner.invoke(app, ["goals", "validate", str(FIXTURES / "valid" / "chamber.yaml")])
    assert good.exit_code == 0 and "valid" in good.stdout
    missing = runner.invoke(app, ["goals", "validate", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def _copy_valid(tmp_path: Path) -> Path:
    folder = tmp_path / "orgs"
    shutil.copytree(FIXTURES / "valid", folder)
    return folder


def test_limits_and_the_data_csv(tmp_path: Path) -> None:
    folder = _copy_valid(tmp_path)
    known = api.known_codes()
    big = folder / "big.yaml"
    big.write_text("# " + "x" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    [problem] = validate_file(big, known, folder)[1]
    assert "over the 100000 limit" in problem.what and problem.line == 1
    big.unlink()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((folder / "chamber.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = validate_file(outside, known, folder)[1]
    assert "outside the folder" in problem.what
    csv_path = folder / "chamber.csv"
    csv_path.write_text("series,geo,year,value,unit\nmember_jobs,MEX,2019,1000,jobs\nmember_jobs,MEX,20x9,1,jobs\n",
                        encoding="utf-8")
    [problem] = validate_file(folder / "chamber.yaml", known, folder)[1]
    assert problem.file == str(csv_path) and problem.line == 3 and "'20x9'" in problem.what


def test_a_folder_with_a_bad_file_publishes_nothing(tmp_path: Path) -> None:
    folder = _copy_valid(tmp_path)
    shutil.copy(TEN, folder / "ten.yaml")
    with pytest.raises(DataError, match=r"10 problem\(s\).*ten\.yaml:3: owner\.kind"):
        load_folder(folder, api.known_codes())


def test_valid_file_is_judged_like_the_catalog(tmp_path: Path) -> None:
    """The chamber's own series: 1000 (2019) → 1150 (2024), target 1200 in 2030. Actual CAGR
    1.15^(1/5) − 1 = 0.028346, required 1.2^(1/11) − 1 = 0.016713, R = 1.6961 ≥ 0.95 → substantial;
    score min(7.1429·1.6961 − 4.2857, 5) = 5. The catalog target (U.S. exports to Canada) is judged on the
    embedded Census data (computed badge)."""
    [stakeholder] = load_folder(_copy_valid(tmp_path), api.known_codes())
    with api.open_session() as session:
        exports, jobs = judge_stakeholder(stakeholder, engine_loader(session.engine), load_catalog().milestones)
    [series] = jobs.series
    assert series.assessment.components["R"] == pytest.approx(1.6961, abs=1e-4)
    assert (jobs.rolled.status, jobs.rolled.score) == ("substantial_progress", 5.0)
    assert jobs.data is not None and jobs.data.source.startswith("Example Binational Chamber")
    assert exports.data is not None and exports.data.badge == "computed"
    assert exports.series[0].partner == "CAN" and exports.rolled.status != "not_available"
