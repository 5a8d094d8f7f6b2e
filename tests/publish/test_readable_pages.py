"""Pages a minister can read (issue #12, content side), on the shared default site: progress in plain
terms with a path chart on the goal pages, every roll-up saying how it was combined, no bare score,
topic pages naming their own goal, vintages as words with ids in the Technical details, a front page
with a headline chart, preview tags and a favicon, and a stakeholder page that shows how to join."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from tests.publish.page_text import visible_text
from usmca_monitor.progress.catalog import load_catalog
from usmca_monitor.progress.stakeholders import TEMPLATE
from usmca_monitor.publish.i18n import LANGS, number

VINTAGE_ID = re.compile(r"\b[a-z_]+@[a-z0-9_.-]*[0-9a-f]{12}\b")


def _page(site: Path, lang: str, path: str) -> str:
    return (site / lang / path).read_text(encoding="utf-8")


def _outside_details(html: str) -> str:
    """The page without its folded ``<details>`` blocks, scripts and styles."""
    html = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", html, flags=re.S)
    while True:
        stripped = re.sub(r"<details\b(?:(?!<details\b).)*?</details>", " ", html, flags=re.S)
        if stripped == html:
            return html
        html = stripped


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["topics/agrifood.html", "topics/tech.html"])
def test_goal3_topic_pages_name_goal3_not_goal4(default_site: Path, lang: str, page: str) -> None:
    """The agri-food and technology pages once said "Goal 3 · Sectoral, strategic and infrastructure
    investment" (Goal 4's name) in every language; the breadcrumb now comes from the goals catalog."""
    catalog = load_catalog()
    crumbs = re.search(r'<p class="crumbs">(.*?)</p>', _page(default_site, lang, page), re.S)
    assert crumbs is not None
    assert catalog.goal(3).name.get(lang) in crumbs.group(1)
    assert catalog.goal(4).name.get(lang) not in crumbs.group(1)


@pytest.mark.parametrize("lang", LANGS)
def test_goal_pages_read_in_plain_terms(default_site: Path, lang: str) -> None:
    """Every judged series shows its baseline and latest value with their years, its pace, its status in
    words and a path chart with the 2026, 2030 and 2036 milestones; no page shows a bare score or the old
    "Scores run from −5 to 5" sentence outside the Technical details."""
    for goal in load_catalog().goals:
        html = _page(default_site, lang, f"goals/{goal.slug}.html")
        public = _outside_details(html)
        assert 'class="score"' not in public and "Scores run from" not in public
        rows = re.findall(r'<tr><th scope="row">.*?</tr>', public.split('<table class="series readout">', 1)[-1],
                          re.S)
        assert rows, goal.slug
        for row in rows:
            assert re.search(r'class="yr">\(\d{4}\)', row), row[:200]
            assert 'class="status-text"' in row, row[:200]
        specs = [json.loads(s) for s in re.findall(
            r'<script type="application/json" id="path-[^"]+-spec">(.*?)</script>', html, re.S)]
        assert specs, goal.slug
        rules = [layer for spec in specs for layer in spec["layer"] if layer["mark"].get("type") == "rule"]
        assert {int(m["year"]) for layer in rules for m in layer["data"]["values"]} == {2026, 2030, 2036}


def _wdi(shared: Path, code: str, iso3: str) -> dict[int, float]:
    with (shared / "wdi" / "wdi_selected_indicators_usmca_and_peers_1990_2025.csv").open(encoding="utf-8") as fh:
        return {int(r["year"]): float(r["value"]) for r in csv.DictReader(fh)
                if r["indicator_code"] == code and r["iso3"] == iso3}


@pytest.mark.parametrize("lang", LANGS)
def test_an_improving_series_reads_up_on_the_page(default_site: Path, shared: Path, lang: str) -> None:
    """Mexico's employment-to-population ratio (World Bank WDI SL.EMP.TOTL.SP.ZS): 58.995 in 2019 → 59.962
    in 2025, improving too slowly. The issue saw "Limited progress −1.14" on the home page; its row on the
    Goal 1 page shows both values with their years, an up arrow and no negative number."""
    employment = _wdi(shared, "SL.EMP.TOTL.SP.ZS", "MEX")
    html = _outside_details(_page(default_site, lang, f"goals/{load_catalog().goal(1).slug}.html"))
    article = html.split('id="g1-employment-rate"', 1)[1].split("</article>", 1)[0]
    mexico = {"en": "Mexico", "es": "México", "fr": "Mexique"}[lang]
    row = next(r for r in re.findall(r'<tr><th scope="row">.*?</tr>', article, re.S) if f">{mexico}<" in r)
    for value in (employment[2019], employment[2025]):
        assert number(value, lang, 1) in row
    assert "(2019)" in row and "(2025)" in row
    assert 'class="trend trend-up"' in row and "trend-down" not in row
    assert not re.search(r"[−-]\s?\d", re.sub(r"<[^>]+>", " ", row))


@pytest.mark.parametrize("lang", LANGS)
def test_every_roll_up_says_how_it_was_combined(default_site: Path, lang: str) -> None:
    """The overview says how each goal is combined from its targets (mean, or the two lowest), and each
    target of several series says how its series were combined, on the goal pages."""
    overview = _page(default_site, lang, "goals/index.html")
    assert "A target's score is the mean" not in overview
    combined = re.findall(r'<ul class="combined">(.*?)</ul>', overview, re.S)
    assert combined and len(re.findall(r"<li>", combined[0])) == len(load_catalog().goals)
    for goal in load_catalog().goals:
        html = _page(default_site, lang, f"goals/{goal.slug}.html")
        for article in re.findall(r'<article class="target".*?</article>', html, re.S):
            if len(re.findall(r'<tr><th scope="row">', _outside_details(article))) > 1:  # several series
                assert 'class="note combined"' in article


@pytest.mark.parametrize("lang", LANGS)
def test_vintage_ids_stay_in_the_technical_details(default_site: Path, lang: str) -> None:
    """Public text names a vintage by its publisher and date; the ids (with their hashes) appear only in
    the folded Technical details."""
    pages = ["index.html", "goals/index.html", "topics/tdr.html", "topics/agrifood.html", "topics/tech.html",
             "topics/autos.html", "sources.html", *(f"goals/{g.slug}.html" for g in load_catalog().goals)]
    for page in pages:
        html = _page(default_site, lang, page)
        public = " ".join(visible_text(_outside_details(html)))
        assert not VINTAGE_ID.search(public), (page, VINTAGE_ID.search(public))


@pytest.mark.parametrize("lang", LANGS)
def test_front_page_has_a_headline_chart_preview_tags_and_a_favicon(default_site: Path, lang: str) -> None:
    html = _page(default_site, lang, "index.html")
    spec = json.loads(re.search(r'id="home-tdr-spec">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert spec["layer"][0]["data"]["values"], "the headline chart has data"
    assert re.search(r'<meta name="description" content="[^"]{40,}">', html)
    image = re.search(r'<meta property="og:image" content="\.\./(cards/[^"]+\.png)">', html)
    assert image and (default_site / image.group(1)).is_file()
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'href="../static/favicon.svg"' in html and (default_site / "static" / "favicon.svg").is_file()
    assert html.count('class="goal"') == len(load_catalog().goals)


@pytest.mark.parametrize("lang", LANGS)
def test_stakeholder_page_shows_how_to_join_and_a_labelled_example(default_site: Path, lang: str) -> None:
    html = _page(default_site, lang, "goals/stakeholders.html")
    assert (default_site / "data" / "stakeholder-goals-template.yaml").read_text(encoding="utf-8") == \
        TEMPLATE.read_text(encoding="utf-8")
    assert 'href="../../data/stakeholder-goals-template.yaml"' in html
    public = _outside_details(html)
    assert "usmca goals" not in public and "usmca build" not in public  # commands only in Technical details
    assert "usmca goals init" in html
    example = html.split('<section class="example-org"', 1)[1].split("</section>", 1)[0]
    assert 'class="example-tag"' in example and '<article class="target"' in example


def test_the_home_card_of_the_state_spi_target_speaks_of_all_states(default_site: Path) -> None:
    """The home card of Goal 1's social-progress target summarises every state (Mexico has 32 federal
    entities, INEGI), not the first state's series (it showed Aguascalientes alone)."""
    for lang, words in (("en", "of 32 states progressing"), ("es", "de 32"), ("fr", "sur 32")):
        html = (default_site / lang / "index.html").read_text(encoding="utf-8")
        cards = html[html.index('<ul class="cards">'):]
        assert "Aguascalientes" not in cards, lang
        assert words in cards, lang
