"""`usmca goals init FILE` writes a commented template that validates as written (the round trip), keeps
an existing file unless --force, and the example organisation shipped for the stakeholder page is a
valid, clearly labelled, fictitious file judged on the shipped data."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.progress.evaluate import engine_loader
from usmca_monitor.progress.stakeholders import EXAMPLES, KnownCodes, judge_stakeholder, load_folder
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.sections import goals as pages

runner = CliRunner()


def test_init_writes_a_template_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "my_org.yaml"
    written = runner.invoke(app, ["goals", "init", str(target)])
    assert written.exit_code == 0 and target.is_file()
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# A stakeholder goal file") and text.count("\n#") > 10  # commented
    checked = runner.invoke(app, ["goals", "validate", str(target)])
    assert checked.exit_code == 0 and "valid" in checked.stdout
    assert api.validate_goal_file(target) == []
    [stakeholder] = load_folder(tmp_path, KnownCodes.from_catalog())
    assert stakeholder.spec.targets[0].indicator == "share_exports"


def test_init_keeps_an_existing_file_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("owner: {name: mine}\n", encoding="utf-8")
    refused = runner.invoke(app, ["goals", "init", str(target)])
    assert refused.exit_code == 1 and "already exists" in refused.output and "--force" in refused.output
    assert target.read_text(encoding="utf-8") == "owner: {name: mine}\n"
    assert runner.invoke(app, ["goals", "init", str(target), "--force"]).exit_code == 0
    assert api.validate_goal_file(target) == []
    missing = runner.invoke(app, ["goals", "init", str(tmp_path / "no" / "such.yaml")])
    assert missing.exit_code == 1 and "no such folder" in missing.output


def test_the_shipped_example_is_valid_fictitious_and_judged() -> None:
    [example] = load_folder(EXAMPLES, KnownCodes.from_catalog())
    assert "fictitious" in example.spec.owner.name and example.spec.contact.email.endswith("@example.org")
    assert all(t.target_value is None for t in example.spec.targets)  # directions only: nothing invented
    with api.open_session() as session:
        results = judge_stakeholder(example, engine_loader(session.engine), load_catalog().milestones)
    assert all(r.rolled.status != "not_available" for r in results)  # official Census shares, shipped
    for lang in LANGS:
        [view] = pages.stakeholder_views([(example, results)], lang)
        assert view["targets"] and view["title"] == example.spec.title.get(lang)
