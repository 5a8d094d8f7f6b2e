"""Safe output folders: ``usmca build --out DIR`` replaces only a previous build, never the user's files
or the store, publishes in one rename, leaves a world-readable site and cleans what killed builds left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from usmca_monitor.cli import app
from usmca_monitor.model.errors import DataError
from usmca_monitor.publish.output import MARKER, OutputFolder


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _publish(out: Path, home: Path, pages: dict[str, str]) -> None:
    folder = OutputFolder(out, home)
    folder.check()
    with folder.staging() as staging:
        for name, text in pages.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text, encoding="utf-8")
        folder.publish(staging)


def test_build_into_a_project_folder_is_refused_and_nothing_is_deleted(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported failure: `usmca build --out .` in a project folder removed the user's files and the
    store under it. Now it is refused in one line and every file stays."""
    project = tmp_path / "project"
    (project / "notes").mkdir(parents=True)
    (project / "notes" / "draft.md").write_text("my notes", encoding="utf-8")
    (project / "analysis.py").write_text("print('mine')", encoding="utf-8")
    store = project / ".usmca"
    store.mkdir()
    (store / "warehouse.duckdb").write_bytes(b"not to be lost")
    before = _tree(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("USMCA_HOME", str(store))
    result = CliRunner().invoke(app, ["build", "--out", ".", "--lang", "en"])
    assert result.exit_code == 1
    assert "refusing" in result.output and "fix:" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert _tree(project) == before
    assert not (tmp_path / ".project.builds").exists()


def test_a_folder_of_other_files_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "report.pdf").write_bytes(b"%PDF")
    with pytest.raises(DataError, match=r"not a usmca-monitor site \(1 entries: report.pdf\)"):
        OutputFolder(out, tmp_path / "home").check()
    assert (out / "report.pdf").read_bytes() == b"%PDF"


def test_a_folder_holding_the_store_is_refused_even_when_it_looks_like_a_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_text("{}", encoding="utf-8")
    with pytest.raises(DataError, match="USMCA_HOME"):
        OutputFolder(out, out / ".usmca").check()
    with pytest.raises(DataError, match="USMCA_HOME"):
        OutputFolder(out, out).check()


def test_a_file_and_a_foreign_link_are_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(DataError, match="file"):
        OutputFolder(tmp_path / "file", tmp_path / "home").check()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(mine)
    with pytest.raises(DataError, match="link"):
        OutputFolder(tmp_path / "link", tmp_path / "home").check()
    assert (mine / "keep.txt").exists()


def test_a_new_folder_becomes_a_link_to_a_world_readable_build(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    old_umask = os.umask(0o077)
    try:
        _publish(out, tmp_path / "home", {"index.html": "one", "en/index.html": "uno"})
    finally:
        os.umask(old_umask)
    assert out.is_symlink() and (out / MARKER).is_file()
    assert (out / "en" / "index.html").read_text(encoding="utf-8") == "uno"
    for path in [out.resolve(), *out.resolve().rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_a_second_build_replaces_the_first_and_leaves_no_staging(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    _publish(out, tmp_path / "home", {"index.html": "one"})
    first = out.resolve()
    _publish(out, tmp_path / "home", {"index.html": "two"})
    assert (out / "index.html").read_text(encoding="utf-8") == "two"
    assert not first.exists()
    builds = sorted(p.name for p in (tmp_path / "._site.builds").iterdir())
    assert builds == [".lock", out.resolve().name]


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    _publish(out, tmp_path / "home", {"index.html": "one"})
    leftover = tmp_path / "._site.builds" / "build-20260101T000000000000Z-999"
    (leftover / "en").mkdir(parents=True)
    (leftover / "en" / "half.html").write_text("half", encoding="utf-8")
    (tmp_path / "._site.link-999").symlink_to("._site.builds/build-20260101T000000000000Z-999")
    _publish(out, tmp_path / "home", {"index.html": "two"})
    assert not leftover.exists()
    assert not (tmp_path / "._site.link-999").is_symlink()


def test_a_site_from_an_older_version_is_accepted_once_and_marked(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    (out / "static").mkdir(parents=True)
    (out / "index.html").write_text("<title>usmca-monitor</title>", encoding="utf-8")
    OutputFolder(out, tmp_path / "home").check()
    assert (out / MARKER).is_file()
    _publish(out, tmp_path / "home", {"index.html": "new"})
    assert out.is_symlink() and (out / "index.html").read_text(encoding="utf-8") == "new"
    assert [p.name for p in (tmp_path / "._site.builds").iterdir() if p.name.startswith("replaced-")] == []


def test_an_index_and_static_folder_of_another_program_are_not_taken_for_a_site(tmp_path: Path) -> None:
    out = tmp_path / "www"
    (out / "static").mkdir(parents=True)
    (out / "index.html").write_text("<title>my blog</title>", encoding="utf-8")
    with pytest.raises(DataError, match="refusing"):
        OutputFolder(out, tmp_path / "home").check()
    assert not (out / MARKER).exists()


def test_an_empty_folder_is_replaced_by_the_site(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    _publish(out, tmp_path / "home", {"index.html": "one"})
    assert out.is_symlink() and (out / "index.html").read_text(encoding="utf-8") == "one"


def test_a_build_that_changes_nothing_still_removes_what_killed_builds_left(tmp_path: Path) -> None:
    """Issue #13: stale staging folders are cleaned on the next build, even one that writes nothing."""
    out = tmp_path / "site"
    folder = OutputFolder(out, tmp_path / "home")
    with folder.staging() as staging:
        (staging / "index.html").write_text("<!doctype html>", encoding="utf-8")
        folder.publish(staging)
    published = out.resolve()
    stale = folder.builds / "build-20260101T000000000000Z-1"  # what a killed build leaves
    stale.mkdir()
    (stale / "half.html").write_text("<", encoding="utf-8")
    stray = tmp_path / ".site.link-999"
    stray.symlink_to("nowhere")
    folder.tidy()
    assert sorted(p.name for p in folder.builds.iterdir()) == sorted([".lock", published.name])
    assert out.resolve() == published and not stray.is_symlink()
