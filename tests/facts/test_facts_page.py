"""The facts page and the shareable cards, written for one language without the rest of the site."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from usmca_monitor import api
from usmca_monitor.publish import labels
from usmca_monitor.publish.context import SiteContext
from usmca_monitor.publish.sections import facts as facts_section


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("facts-site")
    with api.open_session(tmp_path_factory.mktemp("home")) as session:
        site = SiteContext(out=out, langs=["fr"], built="2026-11-29", session=session, vintage=None,
                           sections=[facts_section])
        labels.vintage_labels(site, "fr")  # as a build does first: vintages in words on every page
        assert facts_section.write(site, "fr") == 1
    yield out


def test_page_groups_facts_by_goal_and_flags_divergences(written: Path) -> None:
    html = (written / "fr" / "facts" / "index.html").read_text(encoding="utf-8")
    assert "Amérique du Nord en données : les faits du rapport" in html
    assert "192 faits : 26 calculés" in html
    assert html.count('data-status="diverges"') == 6
    assert "⚠ diverge" in html
    # The Canada–U.S. trade fact: the report's 762 beside 761,8 computed from Census, with its vintage.
    fact = html[html.index('id="fact-na-ca-us-trade-762bn"'):]
    fact = fact[:fact.index("</li>")]
    assert "761,8" in fact and "762" in fact and "U.S. Census Bureau" in fact
    # the vintage in words in the text, its id in the page's Technical details; French typography
    assert "census_trade@embedded" not in fact and "census_trade@embedded" in html[html.index("page-tech"):]
    assert "Source citée par le rapport\u202f: " in fact
    assert "Canada et les États-Unis ont échangé pour 762 milliards" in fact
    assert 'class="badge computed"' in fact


def test_cards_are_1200_by_675_for_computed_facts_only(written: Path) -> None:
    cards = sorted((written / "cards").glob("*.fr.png"))
    assert len(cards) == 29  # 26 computed for the report's period + 3 with only a 2023 value (electricity)
    for card in cards:
        head = card.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (1200, 675)
    assert not (written / "cards" / "na-water-stress-2022.fr.png").exists()
