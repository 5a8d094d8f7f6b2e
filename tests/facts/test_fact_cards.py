"""The shareable fact cards headline the report's period, the one their verdict is about, and show a
later value only as "Latest" (regression: "In 2024 … USD 6.26 billion" above a verdict about 2022)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from usmca_monitor import api
from usmca_monitor.facts.check import check_facts, fact_specs
from usmca_monitor.publish.i18n import LANGS, number
from usmca_monitor.publish.sections import facts as facts_section

FACT = "g3ag-beer-imports-2022--mex"


def _ers_beer_from_mexico(shared: Path) -> dict[int, float]:
    """USDA ERS, U.S. Food Imports: malt beer from Mexico, million dollars, by year (the file is Windows-1252)."""
    with (shared / "usda" / "ers_us_food_imports_1999_2024.csv").open(encoding="cp1252") as fh:
        return {int(r["YearNum"]): float(r["FoodValue"]) for r in csv.DictReader(fh)
                if r["Commodity"] == "Malt beer" and r["Country"] == "MEXICO"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_card_headlines_the_year_of_its_verdict(shared: Path, lang: str) -> None:
    """USDA ERS: malt beer imports from Mexico $5,383.9 million in 2022, $6,264.8 million in 2024; the
    report's figure is $5.41 billion for 2022. The card's statement, big number and period are 2022's;
    2024 appears only as the latest value."""
    raw = _ers_beer_from_mexico(shared)
    assert (raw[2022], raw[2024]) == (5383.9, 6264.8)
    with api.open_session() as session:
        [result] = check_facts(session.engine, {FACT: fact_specs()[FACT]})
    texts = {t["role"]: t["text"] for t in facts_section.card_texts(result, lang)}
    assert "2022" in texts["statement"] and "2024" not in texts["statement"]
    assert texts["value"] == number(raw[2022] / 1000, lang, 2) and texts["period"] == "2022"
    assert "(2022)" in texts["verdict"] and number(5.41, lang, 2) in texts["verdict"]
    assert number(raw[2024] / 1000, lang, 2) in texts["latest"] and "2024" in texts["latest"]
