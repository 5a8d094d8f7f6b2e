"""The SPI indicators: `usmca query spi --geo MX-NLE --period 2023` answers with the value and its
edition as the vintage (latest edition by default, another pinnable); ranks within each country share
the best rank on ties; the U.S. input is optional until a file is imported."""

from __future__ import annotations

import json

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.indicators.formulas.spi import rank_within_country
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.spi_framework import measures


def test_every_measure_has_its_indicator() -> None:
    ids = set(indicator_specs())
    assert {"spi", "spi.basic_human_needs", "spi.access_to_information_and_communications"} <= ids
    assert {m.indicator for m in measures()} <= ids and len(measures()) == 16


def test_query_answers_with_the_latest_edition_and_pins_another() -> None:
    """MCV IPS, Nuevo León 2023: 69.7636639943775 in the 2025 edition (default), 71.2792933452506 in
    the 2024 edition (the report's), 03_ips_clean/00_IPS_COMPLETE_WIDE.xlsx sheet 01_IPS_DIM."""
    result = CliRunner().invoke(app, ["query", "spi", "--geo", "MX-NLE", "--period", "2023", "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["value"] == pytest.approx(69.7636639943775, abs=1e-9)
    assert row["vintage"].startswith("mcv_spi@ed2025-embedded-") and row["badge"] == "official"
    [pinned] = api.query("spi", geo="MX-NLE", period="2023", vintage="mcv_spi@ed2024")
    assert pinned.value == pytest.approx(71.2792933452506, abs=1e-9)
    assert pinned.vintage.startswith("mcv_spi@ed2024-embedded-")


def test_a_component_and_the_national_row() -> None:
    """MCV IPS ed. 2025, Nuevo León 2023, Personal Safety (01_04): 49.919816 (long file, rounded to 6)."""
    [row] = api.query("spi.personal_safety", geo="MX-NLE", period="2023")
    assert row.value == pytest.approx(49.919816, abs=1e-6)
    assert row.unit == "index_0_100"
    assert (api.query("spi", geo="MEX", period="2023")[0].value or 0) > 0


def test_ranks_in_mexico_come_from_the_scores() -> None:
    scores = {r.geo: r.value or 0.0 for r in api.query("spi", geo=None, period="2023") if r.geo.startswith("MX-")}
    ranks = {r.geo: r.value for r in api.query("spi_rank", geo=None, period="2023")}
    assert set(ranks) == set(scores) and len(ranks) == 32
    for geo, score in scores.items():
        assert ranks[geo] == 1 + sum(1 for other in scores.values() if other > score)
    assert api.query("spi_rank", geo="MEX", period="2023") == []  # the nation is not ranked


def _rank(rows: list[tuple[str, float]]) -> dict[str, float]:
    table = ibis.memtable(pa.table({"geo": [g for g, _ in rows], "partner": pa.nulls(len(rows), pa.string()),
                                    "product": pa.nulls(len(rows), pa.string()), "period": ["2023"] * len(rows),
                                    "freq": ["A"] * len(rows), "value": [v for _, v in rows]}))
    return {r["geo"]: r["value"] for r in rank_within_country(table).to_pyarrow().to_pylist()}


def test_ties_share_the_best_rank_and_countries_rank_apart() -> None:
    ranks = _rank([("MX-AGU", 70.0), ("MX-NLE", 70.0), ("MX-CHP", 50.0), ("US-TX", 60.0), ("US-CA", 80.0),
                   ("MEX", 99.0)])
    assert ranks == {"MX-AGU": 1, "MX-NLE": 1, "MX-CHP": 3, "US-CA": 1, "US-TX": 2}


@settings(deadline=None, max_examples=25)
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=12))
def test_rank_is_one_plus_the_number_of_higher_scores(values: list[float]) -> None:
    rows = [(f"MX-{i:03d}", v) for i, v in enumerate(values)]
    ranks = _rank(rows)
    for geo, value in rows:
        assert ranks[geo] == 1 + sum(1 for _, other in rows if other > value)


def test_embedded_snapshot_holds_both_editions_as_vintages() -> None:
    with api.open_session() as session:
        editions = [v.vintage for v in session.vintages("mcv_spi")]
    assert len(editions) == 2
    assert editions[0].startswith("mcv_spi@ed2025-") and editions[1].startswith("mcv_spi@ed2024-")
    assert api.query("spi", geo="MX-NLE", period="2024")  # only the 2025 edition has 2024
    assert api.query("spi", geo="MX-NLE", period="2024", vintage="mcv_spi@ed2024") == []


def test_us_input_is_optional_until_imported() -> None:
    rows = api.query("spi", geo=None, period="2023")
    assert rows and not any(r.geo.startswith("US-") for r in rows)
    assert all(r.vintage.startswith("mcv_spi@") for r in rows)
