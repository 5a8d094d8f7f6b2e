"""The goal pages built from the embedded data: the four goals with statuses computed from the shipped
Census and World Bank observations, a page per goal, the stakeholders page in three languages, the
home page's goal cards, the downloads, and a build with a bad stakeholder file that changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from usmca_monitor import api
from usmca_monitor.model.errors import DataError
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.publish.build import build_site
from usmca_monitor.publish.i18n import LANGS

FIXTURES = Path(__file__).parent / "fixtures"
ORG_TITLES = {"en": "Cross-border jobs and exports", "es": "Empleos y exportaciones transfronterizos",
              "fr": "Emplois et exportations transfrontaliers"}
PROPOSED = {"en": "Proposed by this project, not by the report.",
            "es": "Propuesto por este proyecto, no por el informe.",
            "fr": "Proposé par ce projet, et non par le rapport."}


@pytest.fixture(scope="module")
def site(stakeholder_site: Path) -> Path:
    """The shared build with the goal files of fixtures/valid (tests/conftest.py)."""
    return stakeholder_site


def _page(site: Path, lang: str, path: str) -> str:
    return (site / lang / path).read_text(encoding="utf-8")


def test_a_page_per_goal_in_every_language(site: Path) -> None:
    for lang in LANGS:
        for goal in load_catalog().goals:
            page = _page(site, lang, f"goals/{goal.slug}.html")
            assert f'<html lang="{lang}">' in page and str(escape(goal.name.get(lang))) in page
            assert page.count('class="target"') == len(goal.targets)
        assert str(escape(PROPOSED[lang])) in _page(site, lang, "goals/economic-growth.html")
        overview = _page(site, lang, "goals/index.html")
        assert overview.count('class="goal-card st-border-') == 4
        assert overview.count("<tr data-status=") == sum(len(g.targets) for g in load_catalog().goals)


def test_home_shows_each_goal_status_trend_and_headlines(site: Path) -> None:
    for lang in LANGS:
        home = _page(site, lang, "index.html")
        assert home.count('<p class="goal-status-line">') == 4
        assert home.count('<ul class="cards">') >= 3 and home.count('class="card"') >= 4  # headline indicators
        assert 'class="trend trend-' in home


def test_stakeholder_goals_are_published_in_three_languages(site: Path) -> None:
    for lang in LANGS:
        page = _page(site, lang, "goals/stakeholders.html")
        assert "Example Binational Chamber" in page and str(escape(ORG_TITLES[lang])) in page
        assert 'id="member-jobs"' in page and 'id="exports-to-canada"' in page
        # the chamber's own series, 1000 → 1150 toward 1200 (worked out in test_stakeholders)
        assert "st-substantial_progress" in page
        trade = _page(site, lang, "goals/trade.html")
        assert "goals/stakeholders.html#chamber" in trade  # the chamber feeds goal 3


def test_statuses_come_from_the_embedded_data(site: Path) -> None:
    """USMCA partners' share of U.S. total trade, U.S. Census Bureau monthly data summed to years:
    2019 → 2024 from the engine; cagr_ratio without a target, v = (s2024 / s2019)^(1/5) − 1, judged
    against 1.5 % / 0.5 % a year — the published status must be the one computed here by hand."""
    [base] = api.query("share_total_trade", partner="USMCA", period="2019")
    [latest] = api.query("share_total_trade", partner="USMCA", period="2024")
    assert base.value is not None and latest.value is not None
    v = (latest.value / base.value) ** (1 / 5) - 1
    expected = ("substantial_progress" if v >= 0.015 else "moderate_progress" if v >= 0.005
                else "limited_progress" if v >= 0 else "deterioration")
    data = json.loads((site / "data" / "goals-progress.json").read_text(encoding="utf-8"))
    targets = {t["target"]: t for g in data["goals"] for t in g["targets"]}
    share = targets["g3-usmca-share-of-us-trade"]
    [series] = share["series"]
    assert series["components"]["y0"] == pytest.approx(base.value, rel=1e-12)
    assert series["components"]["yi"] == pytest.approx(latest.value, rel=1e-12)
    assert series["components"]["v"] == pytest.approx(v, rel=1e-9)
    assert share["status"] == expected and share["badge"] == "computed"
    assert targets["g4-heavy-truck-rvc"]["status"] == "not_available"
    assert targets["g4-heavy-truck-rvc"]["target_value"] == 70 and targets["g4-heavy-truck-rvc"]["target_year"] == 2027
    assert targets["g2-convergence"]["proposed"] and targets["g2-convergence"]["target_value"] == 100
    assert {g["goal"] for g in data["goals"]} == {1, 2, 3, 4}
    assert data["stakeholders"][0]["owner"] == "Example Binational Chamber"
    csv_text = (site / "data" / "goals-progress.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("owner,goal,target,") and "g3-usmca-share-of-us-trade" in csv_text


def test_progress_matches_the_api(site: Path) -> None:
    data = json.loads((site / "data" / "goals-progress.json").read_text(encoding="utf-8"))
    published = {(g["goal"], g["status"]) for g in data["goals"]}
    assert published == {(g.spec.id, g.rolled.status) for g in api.goals_progress()}


def test_a_bad_stakeholder_file_stops_the_build(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "pub"
    shutil.copytree(site, out)
    before = (out / "en" / "goals" / "stakeholders.html").read_text(encoding="utf-8")
    folder = tmp_path / "orgs"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copy(FIXTURES / "ten_mistakes.yaml", folder / "ten.yaml")
    with pytest.raises(DataError, match=r"10 problem\(s\)"):
        build_site(out, ["en"], home=tmp_path / "h", goals_dir=folder)
    assert (out / "en" / "goals" / "stakeholders.html").read_text(encoding="utf-8") == before
