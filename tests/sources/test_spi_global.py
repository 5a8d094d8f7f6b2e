"""Country context sources: the global SPI 2022 and the UNDP HDI (two Human Development Report
editions as two vintages); ranks computed from the values equal the published ranks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.spi_global import read_countries_csv
from usmca_monitor.sources.undp_hdi import read_hdi


def test_every_country_of_the_global_spi_has_an_iso_code(shared: Path) -> None:
    """Social Progress Imperative, SPI 2022: Norway 92.63 (#1), Canada 91.41 (#6), United States 86.29
    (#24), Mexico 71.52 (#68), World 65.05 (spi.csv)."""
    rows = read_countries_csv(shared / "spi/global_spi_2022_countries.csv", load_codelists())
    index = {r["geo"]: r["value"] for r in rows if r["measure"] == "spi"}
    assert len(index) == 169
    assert index["NOR"] == 92.63 and index["CAN"] == 91.41 and index["USA"] == 86.29
    assert index["MEX"] == 71.52 and index["WLD"] == 65.05
    assert {r["period"] for r in rows} == {"2022"}


def test_computed_spi_ranks_equal_the_published_ranks(shared: Path) -> None:
    """Rank computed from the scores (ties share the best rank) = spi_rank of spi.csv (SPI 2022) for
    every country whose score is not tied."""
    with (shared / "spi/global_spi_2022_countries.csv").open(encoding="utf-8") as fh:
        published = {r["country"]: int(r["spi_rank"]) for r in csv.DictReader(fh) if r["country"] != "World"}
    ranks = {r.geo: r.value for r in api.query("spi_global_rank", geo=None, period="2022")}
    assert len(ranks) == 168
    assert ranks["NOR"] == 1 and ranks["CAN"] == published["Canada"] == 6
    assert ranks["USA"] == published["United States"] == 24 and ranks["MEX"] == published["Mexico"] == 68


def test_hdi_ranks_match_the_report(shared: Path) -> None:
    """UNDP HDR 2025 (HDI 2023): Canada 16th (0.939), United States 17th (0.938), Mexico 81st (0.789) of
    193 — the report's figures (na-hdi-ranks). The HDR 2023/24 edition, pinned, ranks 2022: CAN 18,
    USA 20, MEX 77 (hdi_rank_2022 of the HDR23-24 file)."""
    latest = {r.geo: r for r in api.query("hdi_rank", geo=None, period="2023")}
    assert len(latest) == 193
    assert (latest["CAN"].value, latest["USA"].value, latest["MEX"].value) == (16, 17, 81)
    assert latest["MEX"].vintage.startswith("undp_hdi@hdr2025-")
    [mex] = api.query("hdi", geo="MEX", period="2023")
    assert mex.value == 0.789 and mex.badge == "official"
    old = {r.geo: r.value for r in api.query("hdi_rank", geo=None, period="2022", vintage="undp_hdi@hdr2023_24")}
    with (shared / "hdi/HDR23-24_Composite_indices_complete_time_series.csv").open(encoding="utf-8-sig") as fh:
        published = {r["iso3"]: r["hdi_rank_2022"] for r in csv.DictReader(fh)}
    for code, rank in (("CAN", 18), ("USA", 20), ("MEX", 77)):
        assert old[code] == rank == int(published[code])


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("country,score\nNorway,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column"):
        read_countries_csv(path, load_codelists())
    with pytest.raises(DataError, match="iso3 or hdi_YYYY"):
        read_hdi(path, load_codelists())
    path.write_text("iso3,hdi_2023\nMEX,7.89\n", encoding="utf-8")
    with pytest.raises(DataError, match="outside 0–1"):
        read_hdi(path, load_codelists())
