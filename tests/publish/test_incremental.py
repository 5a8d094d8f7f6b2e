"""Incremental builds (#14 item 4): a build redoes only the pages whose inputs changed and links the
others from the previous build; with nothing changed it writes nothing and does not swap the site; a new
vintage of one source redoes the pages reading it; an edited translation redoes that language only;
``--full`` redoes everything. One sequence of builds (English and Spanish, the home, what's-new and
indicator sections) in a temporary store, shared by the tests of this module."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from usmca_monitor import api
from usmca_monitor.codelists import catalog_path
from usmca_monitor.publish import build, context, i18n
from usmca_monitor.publish.incremental import MANIFEST, read_manifest
from usmca_monitor.publish.sections import home, indicators, whatsnew

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SECTIONS = (home, whatsnew, indicators)
EDITED = "Datos al %(date)s (catálogo editado)."


def digests(site: Path) -> dict[str, str]:
    """Every file of a built site (through the link) → its SHA-256."""
    root = site.resolve()
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def readers_of(series: str) -> set[str]:
    """The indicators whose inputs name ``series``, and those built on them, from the catalog YAML."""
    specs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in catalog_path("indicators").rglob("*.yaml")]
    found: set[str] = set()
    while True:
        more = {s["id"] for s in specs if s["id"] not in found and any(
            i.get("series") == series or i.get("indicator") in found for i in (s.get("inputs") or {}).values())}
        if not more:
            return found
        found |= more


def edited_catalogs(folder: Path) -> list[Path]:
    """A copy of the Spanish catalogs with one msgstr every page shows edited."""
    copies = []
    for path in i18n.catalog_files("es"):
        target = folder / path.name
        text = path.read_text(encoding="utf-8")
        if path.name == "build14.po":
            text = text.replace('msgstr "Datos al %(date)s."', f'msgstr "{EDITED}"')
            assert EDITED in text
        target.write_text(text, encoding="utf-8")
        copies.append(target)
    return copies


def _clear_language_caches() -> None:
    i18n.translations.cache_clear()
    context.environment.cache_clear()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Full build; the same again; after a new spi_us vintage; after an edited .po; then --full."""
    work = tmp_path_factory.mktemp("incremental")
    out, store = work / "_site", work / "home"
    done: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "SECTIONS", SECTIONS)

        def step(name: str, **options: Any) -> None:
            report = build.build_site(out, ["en", "es"], home=store, **options)
            entries = sorted(p.name for p in (work / "._site.builds").iterdir())
            done[name] = {"report": report, "files": digests(out), "folder": out.resolve(), "entries": entries,
                          "manifest": read_manifest(out.resolve()),
                          "tdr": {lang: (out / lang / "indicators" / "tdr.html").read_text(encoding="utf-8")
                                  for lang in ("en", "es")}}

        step("first")
        step("same")
        api.import_file("spi_us", FIXTURES / "spi" / "SYNTHETIC_us_states_long.csv", home=store)  # SYNTHETIC
        step("vintage")
        copies = edited_catalogs(work)
        patch.setattr(i18n, "catalog_files", lambda lang: copies if lang == "es" else [])
        _clear_language_caches()
        try:
            step("po")
        finally:
            patch.undo()
            _clear_language_caches()
        patch.setattr(build, "SECTIONS", SECTIONS)
        step("full", full=True)
    done["out"] = out
    return done


def pages(files: dict[str, str], lang: str | None = None) -> set[str]:
    return {f for f in files if f.endswith(".html") and (lang is None or f.startswith(f"{lang}/"))}


def test_the_first_build_records_what_each_page_read(builds: dict[str, Any]) -> None:
    first = builds["first"]
    manifest = first["manifest"]
    assert first["report"].published and first["report"].rebuilt == len(pages(first["files"]))
    assert MANIFEST in first["files"] and manifest["units"]
    unit = manifest["units"]["indicators/en/tdr"]
    assert unit["files"] == ["en/embed/tdr.html", "en/indicators/tdr.html"]
    assert "vintage:census_trade" in unit["checks"] and "lang:en" in unit["checks"]
    assert "vintage:spi_us" not in unit["checks"] and "lang:es" not in unit["checks"]
    assert {"templates", "static", "program", "catalog"} <= set(unit["checks"])
    # The build date is in the manifest only: the pages show the date of their data (the embedded vintages').
    assert manifest["built"][:10] not in first["tdr"]["en"]


def test_nothing_changed_writes_nothing_and_does_not_swap(builds: dict[str, Any]) -> None:
    first, same = builds["first"], builds["same"]
    report = same["report"]
    assert not report.published and report.rebuilt == 0
    assert report.unchanged == len(pages(first["files"]))
    assert same["folder"] == first["folder"] and same["entries"] == first["entries"]
    assert same["files"] == first["files"]


def test_a_new_vintage_redoes_only_the_pages_reading_its_source(builds: dict[str, Any]) -> None:
    before, after = builds["same"], builds["vintage"]
    report = after["report"]
    assert report.published and after["folder"] != before["folder"]
    assert "spi_us vintage changed" in report.summary
    spi_readers = readers_of("spi.us.state")
    assert spi_readers
    changed = {f for f in pages(after["files"]) if before["files"].get(f) != after["files"][f]}
    indicator_pages = {f for f in changed if "/indicators/" in f and not f.endswith("index.html")}
    assert indicator_pages, "the new vintage shows on the pages of the indicators reading it"
    assert {f.rsplit("/", 1)[1][:-5] for f in indicator_pages} <= spi_readers
    rebuilt = {u for u, entry in after["manifest"]["units"].items()
               if entry["checks"] != before["manifest"]["units"].get(u, {}).get("checks")}
    page_units = {u.rsplit("/", 1)[1] for u in rebuilt if u.startswith("indicators/en/")}
    assert page_units and page_units <= spi_readers
    # The pages of the other indicators were kept as they were (the same files, linked).
    for name in ("tdr", "total_trade", "exports"):
        for lang in ("en", "es"):
            path = f"{lang}/indicators/{name}.html"
            assert after["files"][path] == before["files"][path]
    assert report.rebuilt + report.unchanged == len(pages(after["files"]))
    others = {u: e for u, e in after["manifest"]["units"].items()
              if u.startswith("indicators/") and u.rsplit("/", 1)[1] not in spi_readers}
    assert len(others) > 100 and not rebuilt & set(others)  # every other indicator's page was kept
    kept = [f for entry in others.values() for f in entry["files"]]
    assert report.unchanged >= len(kept)
    assert all(after["files"][f] == before["files"][f] for f in kept)


def test_an_edited_translation_redoes_that_language_only(builds: dict[str, Any]) -> None:
    before, after = builds["vintage"], builds["po"]
    report = after["report"]
    assert report.published and "es translations changed" in report.summary
    for path in pages(before["files"], "en"):
        assert after["files"][path] == before["files"][path], path
    assert "(catálogo editado)" in after["tdr"]["es"] and "(catálogo editado)" not in before["tdr"]["es"]
    assert report.rebuilt == len(pages(after["files"], "es"))


def test_full_redoes_every_page(builds: dict[str, Any]) -> None:
    full = builds["full"]
    report = full["report"]
    assert report.published and report.rebuilt == len(pages(full["files"])) and report.unchanged == 0
    assert "--full" in report.summary
    # The same inputs give the same pages: a full build equals the incremental one it replaces.
    for path in pages(builds["vintage"]["files"], "en"):
        assert full["files"][path] == builds["vintage"]["files"][path], path


def test_cli_says_what_it_rebuilt(builds: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from usmca_monitor.cli import app

    monkeypatch.setattr(build, "SECTIONS", SECTIONS)
    store = builds["out"].parent / "home"
    monkeypatch.setenv("USMCA_HOME", str(store))
    result = CliRunner().invoke(app, ["build", "--out", str(builds["out"]), "--lang", "en,es"])
    assert result.exit_code == 0, result.output
    assert "nothing changed: 0 pages rebuilt" in result.output and "left as it was" in result.output


def test_copy_of_site_is_not_a_build(tmp_path: Path) -> None:
    """A folder without a manifest is no previous build: nothing is taken from it."""
    assert read_manifest(tmp_path) == {}
    (tmp_path / MANIFEST).write_text("{not json", encoding="utf-8")
    assert read_manifest(tmp_path) == {}
    shutil.rmtree(tmp_path)
