"""The Shared Prosperity Map pages: built with the U.S. layer absent (U.S. states hatched and labelled
"no data", never given a value) and present (a SYNTHETIC U.S. States file imported), in three
languages, with the caveat on different indices, published Mexican scores and computed ranks."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from usmca_monitor import api
from usmca_monitor.publish.build import build_site
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.sections.spi_data import Edition, closest_mexican_states

CAVEAT = {"en": "use different indicators", "es": "usan indicadores distintos",
          "fr": "utilisent des indicateurs différents"}
NO_DATA = {"en": "no data", "es": "sin datos", "fr": "aucune donnée"}


def _data(page: Path) -> Any:
    match = re.search(r'<script type="application/json" id="spi-data">(.*?)</script>', page.read_text(encoding="utf-8"))
    assert match
    return json.loads(match.group(1).replace("<\\/", "</"))


@pytest.fixture(scope="module")
def site_without_us(default_site: Path) -> Path:
    """The shared default build (tests/conftest.py)."""
    return default_site


@pytest.fixture(scope="module")
def site_with_us(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("spi-home-us")
    api.import_file("spi_us", FIXTURES / "spi" / "SYNTHETIC_us_states_long.csv", home=home)  # SYNTHETIC scores
    out = tmp_path_factory.mktemp("spi-site-us") / "_site"
    build_site(out, ["en", "fr"], home=home)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_pages_say_the_indices_differ_in_every_language(site_without_us: Path, lang: str) -> None:
    for page in ("goal1/spi.html", "goal1/spi-rankings.html", "goal1/spi-compare.html", "goal1/spi/MX-NLE.html"):
        text = (site_without_us / lang / page).read_text(encoding="utf-8")
        assert CAVEAT[lang] in text, page
        assert 'src="http' not in text
    assert NO_DATA[lang] in (site_without_us / lang / "goal1/spi.html").read_text(encoding="utf-8")


def test_without_us_data_the_us_is_no_data_never_a_value(site_without_us: Path) -> None:
    page = site_without_us / "en/goal1/spi.html"
    text = page.read_text(encoding="utf-8")
    assert 'id="spi-us-absent"' in text and "usmca import spi-us FILE" in text
    assert 'id="spi-hatch"' in text
    data = _data(page)
    assert data["us"] is None and data["values"]["us"] == {}
    assert not any(geo.startswith("US-") for ed in data["values"]["mx"].values() for geo in ed["spi"]["2023"])
    table = text.split('id="spi-map-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 32 and "Texas" not in table
    profile = (site_without_us / "en/goal1/spi/US-TX.html").read_text(encoding="utf-8")
    assert "No data." in profile and 'id="spi-profile"' not in profile


def test_mexican_scores_and_ranks_on_the_pages(site_without_us: Path) -> None:
    """MCV IPS, Nuevo León 2023: 69.7636639943775 (ed. 2025) and 71.2792933452506 (ed. 2024), both in
    the page data; ranks in the page equal 1 + the number of states with a higher score."""
    data = _data(site_without_us / "en/goal1/spi.html")
    assert [e["label"] for e in data["editions"]] == ["ed2025", "ed2024"]
    nle_2025 = data["values"]["mx"]["ed2025"]["spi"]["2023"]["MX-NLE"]
    nle_2024 = data["values"]["mx"]["ed2024"]["spi"]["2023"]["MX-NLE"]
    assert nle_2025[0] == pytest.approx(69.7637, abs=1e-4) and nle_2024[0] == pytest.approx(71.2793, abs=1e-4)
    cells = data["values"]["mx"]["ed2024"]["spi"]["2023"]
    states = {g: c for g, c in cells.items() if g.startswith("MX-")}
    for value, rank, n in states.values():
        assert rank == 1 + sum(1 for c in states.values() if c[0] > value) and n == 32
    assert data["canada"]["spi"] == 91.41  # global SPI 2022, Canada (Social Progress Imperative)
    rankings = (site_without_us / "es/goal1/spi-rankings.html").read_text(encoding="utf-8")
    assert "Nuevo León" in rankings and "69.8" in rankings  # 2024 data of ed. 2025 differ; 2023 shown on map
    context = (site_without_us / "fr/goal1/spi.html").read_text(encoding="utf-8").split('id="spi-context"')[1]
    assert "91,41" in context and ">16<" in context and ">81<" in context  # SPI Canada; HDI ranks CAN 16, MEX 81


def test_downloads_equal_the_engine(site_without_us: Path) -> None:
    with (site_without_us / "data/spi-states.csv").open(encoding="utf-8") as fh:
        rows = {(r["geo"], r["measure"], r["year"], r["edition"]): r for r in csv.DictReader(fh)}
    [row] = api.query("spi", geo="MX-NLE", period="2023")
    found = rows[("MX-NLE", "spi", "2023", "ed2025")]
    assert float(found["value"]) == pytest.approx(row.value, rel=1e-12) and found["vintage"] == row.vintage
    assert found["badge_value"] == "official" and found["badge_rank"] == "computed"


def test_with_the_synthetic_us_file_the_us_layer_is_shown(site_with_us: Path) -> None:
    page = site_with_us / "en/goal1/spi.html"
    text = page.read_text(encoding="utf-8")
    assert 'id="spi-us-absent"' not in text
    data = _data(page)
    assert data["us"]["vintage"].startswith("spi_us@import-")
    assert len(data["values"]["us"]["spi"]["2022"]) == 51
    texas = data["values"]["us"]["spi"]["2022"]["US-TX"]
    assert texas[2] == 51 and 1 <= texas[1] <= 51
    profile = (site_with_us / "en/goal1/spi/US-TX.html").read_text(encoding="utf-8")
    assert 'id="spi-profile"' in profile and "closest Mexican states" in profile
    compare = _data(site_with_us / "fr/goal1/spi-compare.html")
    near = compare["closest"]["ed2025"]["US-TX"]["spi"]
    assert len(near) == 3 and all(g.startswith("MX-") for g, _ in near)
    assert "Texas" in (site_with_us / "en/goal1/spi-rankings.html").read_text(encoding="utf-8")


def test_closest_mexican_states_are_the_nearest_scores() -> None:
    edition = Edition("mcv_spi", "v", "ed", [], {"spi": {"2023": {
        "MX-AGU": (70.0, 1, 4), "MX-NLE": (68.0, 2, 4), "MX-CHP": (50.0, 4, 4), "MX-YUC": (60.0, 3, 4),
        "MEX": (65.0, None, None)}}})
    assert closest_mexican_states(edition, {"spi": 61.0}, "2023", 2) == {"spi": [("MX-YUC", 60.0), ("MX-NLE", 68.0)]}
    assert closest_mexican_states(edition, {"spi": 69.0}, "2023", 1, exclude="MX-AGU") == {"spi": [("MX-NLE", 68.0)]}


def test_a_pinned_edition_becomes_the_default_of_the_pages() -> None:
    """`usmca build --vintage mcv_spi@ed2024`: the report's edition (2023 data, MCV IPS ed. 2024) is
    shown first; Nuevo León 2023 = 71.2792933452506 in that edition."""
    from usmca_monitor.publish.sections.spi_data import collect_spi_facts

    with api.open_session(vintage="mcv_spi@ed2024") as session:
        facts = collect_spi_facts(session)
    assert [e.label for e in facts.mx] == ["ed2024", "ed2025"]
    found = facts.latest("MX-NLE")
    assert found is not None and found[1] == "2023"
    cell = found[0].cell("MX-NLE", "spi", "2023")
    assert cell is not None and cell[0] == pytest.approx(71.2792933452506, abs=1e-9)
    assert facts.us is None and facts.latest("US-TX") is None
