"""The built site: three languages, locale number formats, downloads equal to the engine, catalogs
complete, and a failed build leaves the published site intact."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from usmca_monitor import api
from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.publish.build import build_site
from usmca_monitor.publish.i18n import AGREEMENT, LANGS, catalog_files, number, translations
from usmca_monitor.publish.sections import tdr as tdr_section

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(default_site: Path) -> Path:
    """The shared default build (tests/conftest.py)."""
    return default_site


def test_pages_in_every_language(site: Path) -> None:
    for lang in LANGS:
        home = (site / lang / "index.html").read_text(encoding="utf-8")
        tdr = (site / lang / "topics" / "tdr.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in home
        assert AGREEMENT[lang] in home
        assert 'id="tdr-lines"' in tdr and "vega-embed.min.js" in tdr
        assert 'src="http' not in tdr and 'rel="stylesheet" href="http' not in tdr  # nothing from outside
        for chart in ("tdr-lines", "tdr-bars-2024", "tdr-bars-2024-H1"):
            for ext in ("svg", "png"):
                assert (site / "charts" / f"{chart}.{lang}.{ext}").stat().st_size > 1000
    assert "Razón de déficit comercial" in (site / "es" / "topics" / "tdr.html").read_text(encoding="utf-8")
    assert "Ratio de déficit commercial" in (site / "fr" / "topics" / "tdr.html").read_text(encoding="utf-8")


def test_numbers_use_the_locale(site: Path) -> None:
    """Mexico's 2024 TDR (0.51 from the embedded Census data) reads 0.51 in en/es-MX and 0,51 in fr-CA."""
    assert number(0.5134, "en", 2) == "0.51" and number(0.5134, "es", 2) == "0.51"
    assert number(0.5134, "fr", 2) == "0,51"
    assert "Mexique (0,51)" in (site / "fr" / "topics" / "tdr.html").read_text(encoding="utf-8")
    assert "México (0.51)" in (site / "es" / "topics" / "tdr.html").read_text(encoding="utf-8")


def test_downloads_equal_the_engine(site: Path) -> None:
    with (site / "data" / "tdr-partners.csv").open(newline="", encoding="utf-8") as fh:
        rows = {(r["partner"], r["period"]): r for r in csv.DictReader(fh)}
    [mex] = api.query("tdr", partner="MEX", period="2024")
    assert float(rows[("MEX", "2024")]["tdr"]) == pytest.approx(mex.value, rel=1e-12)
    assert rows[("MEX", "2024")]["vintage"] == mex.vintage
    assert rows[("CHN", "2024-H1")]["freq"] == "H"
    meta = json.loads((site / "data" / "tdr-partners.json").read_text(encoding="utf-8"))
    assert meta["badge"] == "computed" and meta["origins"][0]["sha256"]
    assert any("Canadian import data" in q for q in meta["source"]["quirks"])


def test_every_message_is_translated() -> None:
    ids = set()
    method_map = [("src/usmca_monitor/publish/**.py", "python"),
                  ("src/usmca_monitor/publish/site/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "N_": None}
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map=method_map, keywords=keywords,
                                                options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}):
        ids.add(message if isinstance(message, str) else message[0])
    assert len(ids) > 40
    for lang in ("es", "fr"):
        translated: set[str] = set()
        for path in catalog_files(lang):
            with path.open("rb") as fh:
                translated |= {str(m.id) for m in read_po(fh) if m.id and m.string}
        missing = sorted(ids - translated)
        assert not missing, f"{lang}: untranslated {missing[:5]}"
        assert translations(lang).gettext("Partner") != "Partner"


def test_failed_build_keeps_the_published_site(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "pub"
    build_site(out, ["en"], home=tmp_path / "h")
    before = (out / "en" / "index.html").read_text(encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(tdr_section.downloads, "write_tdr_downloads", broken)
    with pytest.raises(RuntimeError):
        build_site(out, ["en"], home=tmp_path / "h", full=True)  # nothing changed: only --full redoes the pages
    assert (out / "en" / "index.html").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in (tmp_path / ".pub.builds").iterdir()) == [".lock", out.resolve().name]
    with pytest.raises(UnknownCodeError, match="'de'"):
        build_site(out, ["de"], home=tmp_path / "h")
