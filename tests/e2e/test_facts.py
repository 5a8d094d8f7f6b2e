"""The facts page in headless Chromium, in the three languages: facts grouped by goal, the summary,
divergences flagged, and a shareable card that loads; no request leaves localhost."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from tests.e2e.helpers import _page, served
from usmca_monitor import api
from usmca_monitor.publish.context import SiteContext, write_root_index
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.sections import facts as facts_section

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def facts_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("e2e-facts") / "_site"
    shutil.copytree(Path(str(resources.files("usmca_monitor.publish").joinpath("site", "static"))), out / "static")
    with api.open_session(tmp_path_factory.mktemp("e2e-facts-home")) as session:
        site = SiteContext(out=out, langs=list(LANGS), built="2026-11-29", session=session, vintage=None,
                           sections=[facts_section])
        for lang in LANGS:
            facts_section.write(site, lang)
    write_root_index(out, list(LANGS))
    with served(out) as url:
        yield url


@pytest.mark.parametrize("lang", LANGS)
def test_facts_page(browser: object, facts_url: str, lang: str) -> None:
    outside: list[str] = []
    page = _page(browser, outside)
    page.goto(f"{facts_url}/{lang}/facts/index.html")  # type: ignore[attr-defined]
    assert page.get_attribute("html", "lang") == lang  # type: ignore[attr-defined]
    assert page.locator("section h2").count() >= 3  # type: ignore[attr-defined]
    assert page.locator("li.fact").count() == 192  # type: ignore[attr-defined]
    assert page.locator("li.fact.diverges .flag").count() == 6  # type: ignore[attr-defined]
    assert "26" in page.locator("#facts-summary").inner_text()  # type: ignore[attr-defined]
    link = page.locator("#fact-na-hdi-ranks--mex a.card-link")  # type: ignore[attr-defined]
    href = link.get_attribute("href")
    assert href and href.endswith(f"na-hdi-ranks--mex.{lang}.png")
    reply = page.request.get(f"{facts_url}/{lang}/facts/{href}")  # type: ignore[attr-defined]
    assert reply.ok and reply.headers["content-type"] == "image/png"
    assert not outside
