"""Trade deficit ratios for every partner and year from the shipped Census data, checked against sums
made by hand from the raw file and against the Census Bureau's published annual totals."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.publish.trade_data import TradeFacts, collect_trade_facts

PARTNER_FILE = "trade_us_partner/census_us_goods_trade_by_country_monthly_2013_2024.csv"


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TradeFacts]:
    with api.open_session(tmp_path_factory.mktemp("home")) as session:
        yield collect_trade_facts(session)


def _hand_sums(shared: Path) -> dict[tuple[str, str], list[float]]:
    """(partner, period) → [exports, imports] for every year and first half, from the raw CSV rows."""
    codes = load_codelists()
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    with (shared / PARTNER_FILE).open(newline="") as fh:
        for row in csv.DictReader(fh):
            partner = codes.census.get(row["cty_code"])
            if partner is None:
                continue
            periods = [row["year"]] + ([f"{row['year']}-H1"] if int(row["month"]) <= 6 else [])
            for period in periods:
                sums[(partner, period)][0] += float(row["exports_total_usd"] or 0)
                sums[(partner, period)][1] += float(row["imports_general_usd"] or 0)
    return sums


def test_tdr_of_every_partner_and_year_equals_the_raw_census_rows(shared: Path, facts: TradeFacts) -> None:
    """For every partner (234 countries and territories plus the Census groupings) and every year
    2013-2024 and first half: TDR = (M − X) / X from the Census API rows in the shipped file (U.S. Census
    Bureau, International Trade API, ALL_VAL_MO and GEN_VAL_MO, pulled Oct 2025)."""
    sums = _hand_sums(shared)
    checked = 0
    for (partner, period), (x, m) in sums.items():
        value = facts.get(partner, period, "tdr")
        if x == 0:
            assert value is None, (partner, period)
        else:
            assert value == pytest.approx((m - x) / x, rel=1e-9), (partner, period)
            checked += 1
    assert checked > 5000
    years = {p for _, p in sums if len(p) == 4}
    assert years == {str(y) for y in range(2013, 2025)}


@pytest.mark.parametrize(("partner", "deficit_bn", "tolerance"), [("CHN", 295.4, 0.005), ("MEX", 171.8, 0.005)])
def test_2024_deficits_match_the_published_census_totals(facts: TradeFacts, partner: str, deficit_bn: float,
                                                         tolerance: float) -> None:
    """U.S. Census Bureau, "U.S. International Trade in Goods and Services, December and Annual 2024"
    (FT-900, released 5 February 2025): goods deficit with China $295.4 billion, with Mexico $171.8 billion.
    Monthly API values are not revised into annual tables, so they agree within 0.5%."""
    balance = facts.get(partner, "2024", "balance")
    assert balance is not None
    assert -balance / 1e9 == pytest.approx(deficit_bn, rel=tolerance)


def test_2024_imports_from_mexico_match_the_published_total(facts: TradeFacts) -> None:
    """Census press release of February 2025: U.S. imports from Mexico in 2024 = $505.85 billion
    (shared/data/trade_us_partner/SOURCES.md); the unrevised monthly sum is $505.52 billion (0.07% lower),
    so Mexico's 2024 TDR is (505.85 − 334.0)/334.0 = 0.514 published against 0.513 here."""
    imports = facts.get("MEX", "2024", "imports")
    assert imports is not None and imports / 1e9 == pytest.approx(505.85, rel=0.001)
    exports = facts.get("MEX", "2024", "exports") or 0.0
    assert (505.85e9 - exports) / exports == pytest.approx(facts.get("MEX", "2024", "tdr"), abs=0.002)


def test_blocs_are_the_sum_of_their_members(facts: TradeFacts) -> None:
    """The Census grouping USMCA (code 0020) equals Mexico plus Canada, so its TDR is theirs combined;
    China's TDR exceeds the bloc's in every year, the report's asymmetry (g4tdr-china-asymmetry)."""
    for year in facts.periods["A"]:
        x = (facts.get("MEX", year, "exports") or 0) + (facts.get("CAN", year, "exports") or 0)
        m = (facts.get("MEX", year, "imports") or 0) + (facts.get("CAN", year, "imports") or 0)
        assert facts.get("USMCA", year, "tdr") == pytest.approx((m - x) / x, rel=1e-6), year
        assert (facts.get("CHN", year, "tdr") or 0) > (facts.get("USMCA", year, "tdr") or 0), year
    for bloc in ("EU", "ASEAN"):
        assert facts.get(bloc, "2024", "tdr") is not None
