"""Technology indicators (catalog/indicators/tech, indicators/formulas/tech.py) on SYNTHETIC TEST VALUES
(tests/goal3/tech_synthetic.py — made-up numbers, not statistics) loaded with the tidy-CSV import into a
temporary USMCA_HOME: ATP balance sign, the total as the sum of the ten categories, year-over-year
growth, shares of the all-countries total, and the HS6 → NAICS concordance rule."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from tests.goal3 import tech_synthetic as ts
from usmca_monitor import api
from usmca_monitor.indicators.formulas.tech import (
    ATP_TOTAL,
    UNMAPPED,
    concordance_table,
    hs6_naics_imports,
    hs6_naics_left_out,
)

BN = ts.BN


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tech-home")
    api.import_file("census_trade", ts.write_tidy(root / "synthetic.csv", ts.hitech_rows(), ts.naics_rows(),
                                                  ts.hs6_rows()), home=root)
    return root


def _values(home: Path, indicator: str, period: str, partner: str | None = None) -> dict[tuple[str, str], float]:
    rows = api.query(indicator, period=period, partner=partner, home=home)
    return {(r.partner or "", r.product or ""): r.value for r in rows if r.value is not None}


def test_atp_balance_sign_and_total_is_the_sum_of_the_ten(home: Path) -> None:
    """Synthetic 2024, all countries: exports 2·c bn and imports 10 bn a month in category c, so the
    balance is 12·(2c − 10) bn: −96 bn (a deficit) in 01, +120 bn (a surplus) in 10, +120 bn in all ten."""
    balance = _values(home, "atp_balance", "2024", "WLD")
    assert balance[("WLD", "ATP:01")] == pytest.approx(-96 * BN)
    assert balance[("WLD", "ATP:05")] == pytest.approx(0.0)
    assert balance[("WLD", "ATP:10")] == pytest.approx(120 * BN)
    ten = [balance[("WLD", f"ATP:{c:02d}")] for c in range(1, 11)]
    assert balance[("WLD", ATP_TOTAL)] == pytest.approx(sum(ten)) == pytest.approx(120 * BN)
    exports = _values(home, "atp_exports", "2024", "WLD")[("WLD", ATP_TOTAL)]
    imports = _values(home, "atp_imports", "2024", "WLD")[("WLD", ATP_TOTAL)]
    assert (exports, imports) == (pytest.approx(1320 * BN), pytest.approx(1200 * BN))
    assert balance[("WLD", ATP_TOTAL)] == pytest.approx(exports - imports)


def test_atp_balance_half_year_and_year_to_date(home: Path) -> None:
    """Synthetic January-June 2025, all countries: exports 2·c bn and imports 20 bn a month, so the ten
    categories sum to 6·(110 − 200) = −540 bn, in the half and in the year to June alike."""
    assert _values(home, "atp_balance", "2025-H1", "WLD")[("WLD", ATP_TOTAL)] == pytest.approx(-540 * BN)
    assert _values(home, "atp_balance", "2025-YTD06", "WLD")[("WLD", ATP_TOTAL)] == pytest.approx(-540 * BN)
    assert _values(home, "atp_balance", "2024-H2", "TWN")[("TWN", "ATP:04")] == pytest.approx(6 * (0.8 - 4.5) * BN)


def test_ict_imports_growth_and_balance_by_partner(home: Path) -> None:
    """Synthetic ATP 04 imports from Taiwan: 4.5 bn a month in 2024, 9.05 bn in 2025 → 27 and 54.3 bn in
    the first halves, +101.1 %; Mexico 24 → 30 bn, +25 %; Taiwan's balance 6·(0.8 − 9.05) = −49.5 bn."""
    imports = _values(home, "atp_ict_imports", "2025-H1")
    assert imports[("TWN", "ATP:04")] == pytest.approx(54.3 * BN)
    assert set(p for _, p in imports) == {"ATP:04"}
    growth = _values(home, "atp_ict_imports_yoy", "2025-H1")
    assert growth[("TWN", "ATP:04")] == pytest.approx(100 * (54.3 / 27 - 1))
    assert growth[("MEX", "ATP:04")] == pytest.approx(25.0)
    assert _values(home, "atp_ict_imports_yoy", "2024-H1") == {}  # no 2023 data: no growth
    assert _values(home, "atp_ict_balance", "2025-H1")[("TWN", "ATP:04")] == pytest.approx(-49.5 * BN)


def test_naics_shares_of_all_countries(home: Path) -> None:
    """Synthetic 2024 NAICS imports a month: 334 world 10, Mexico 2, China 3 bn → 20 % and 30 %; 335 world
    4, Mexico 1, China 2 bn → 25 % and 50 %; exports and NAICS 3361 are not counted."""
    shares = _values(home, "naics_share_of_us_imports", "2024")
    assert shares == {("MEX", "NAICS:334"): pytest.approx(20.0), ("CHN", "NAICS:334"): pytest.approx(30.0),
                      ("WLD", "NAICS:334"): pytest.approx(100.0), ("MEX", "NAICS:335"): pytest.approx(25.0),
                      ("CHN", "NAICS:335"): pytest.approx(50.0), ("WLD", "NAICS:335"): pytest.approx(100.0)}
    assert _values(home, "naics_imports", "2024", "WLD")[("WLD", "NAICS:334")] == pytest.approx(120 * BN)


def test_hs6_shares_through_the_concordance(home: Path) -> None:
    """Synthetic 2024 HS6 imports a month (HS 2022 → NAICS concordance, R package concordance): 847130
    (→ 334111 only) world 5, Mexico 1, China 2 bn; 850110 (→ 335312 only) world 2, Mexico 1, China 0.5 bn;
    844339 (→ 333xxx and 334118) world 1, Mexico 0.2 bn; 854140 (not in HS 2022) world 0.5 bn."""
    shares = _values(home, "hs6_naics_share_of_us_imports", "2024")
    assert shares[("MEX", "NAICS:334")] == pytest.approx(100 * 12 / 60)
    assert shares[("CHN", "NAICS:334")] == pytest.approx(100 * 24 / 60)
    assert shares[("MEX", "NAICS:335")] == pytest.approx(100 * 12 / 24)
    left = _values(home, "hs6_naics_left_out", "2024")
    assert left == {("WLD", "NAICS:334"): pytest.approx(12 * BN), ("MEX", "NAICS:334"): pytest.approx(2.4 * BN),
                    ("WLD", UNMAPPED): pytest.approx(6 * BN)}


def _flows(values: dict[str, float]) -> ibis.Table:
    return ibis.memtable(pa.table({
        "geo": ["USA"] * len(values), "partner": ["WLD"] * len(values), "product": list(values),
        "flow": ["import"] * len(values), "period": ["2024"] * len(values), "freq": ["A"] * len(values),
        "value": list(values.values())}))


def test_concordance_rule_counts_a_subheading_only_when_every_mapping_is_inside() -> None:
    """A hand-made concordance (synthetic codes): 111111 → 334 only; 222222 → 334 and 335 (left out of
    both); 333333 → two 335 industries (inside 335); 444444 → 333 only (neither, and not left out);
    555555 not listed (unmapped). Values 1, 2, 4, 8, 16."""
    mapping = {"111111": frozenset({"334111"}), "222222": frozenset({"334111", "335311"}),
               "333333": frozenset({"335311", "335312"}), "444444": frozenset({"333111"})}
    flows = _flows({"HS:111111": 1.0, "HS:222222": 2.0, "HS:333333": 4.0, "HS:444444": 8.0, "HS:555555": 16.0,
                    "HS:85": 32.0})
    inside = {r["product"]: r["value"] for r in hs6_naics_imports(flows, mapping=mapping).to_pyarrow().to_pylist()}
    assert inside == {"NAICS:334": 1.0, "NAICS:335": 4.0}
    left = {r["product"]: r["value"] for r in hs6_naics_left_out(flows, mapping=mapping).to_pyarrow().to_pylist()}
    assert left == {"NAICS:334": 2.0, "NAICS:335": 2.0, UNMAPPED: 16.0}


def test_the_shipped_concordance_under_the_rule() -> None:
    """HS 2022 → NAICS concordance (R package concordance, shipped as data/codelists/hs2022_naics.csv):
    of its 5,613 subheadings, 229 map only to NAICS 334 and 76 partly; 131 only to 335 and 103 partly
    (the partly mapped ones are left out and reported, not split)."""
    rows = concordance_table().to_pyarrow().to_pylist()
    inside = Counter(r["inside"] for r in {r["hs6"]: r for r in rows}.values())
    partly = Counter(r["partly"] for r in rows)
    assert len({r["hs6"] for r in rows}) == 5613
    assert (inside["334"], partly["334"], inside["335"], partly["335"]) == (229, 76, 131, 103)
