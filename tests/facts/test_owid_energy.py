"""The Our World in Data electricity-mix adapter: the grapher file, the live full dataset (recorded
response), bad input, and the shipped file's shares checked against OWID's published 2023 figures."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.owid_energy import SERIES, read_grapher
from usmca_monitor.sources.registry import get_adapter

FIXTURES = Path(__file__).parent / "fixtures"
LIVE_URL = "https://nyc3.digitaloceanspaces.com/owid-public/data/energy/owid-energy-data.csv"


def _by_key(rows: list[dict[str, object]]) -> dict[tuple[object, object, object], object]:
    return {(r["geo"], r["measure"], r["period"]): r["value"] for r in rows}


def test_grapher_file_rows() -> None:
    """Canada 2023 hydro 57.55% and nuclear 14.00% as in the OWID grapher file; aggregates skipped."""
    rows = list(read_grapher(FIXTURES / "owid_share_elec_excerpt.csv", load_codelists()))
    values = _by_key(rows)
    assert values[("CAN", "hydro", "2023")] == pytest.approx(57.550793)
    assert values[("CAN", "nuclear", "2023")] == pytest.approx(14.003779)
    assert ("CAN", "other_renewables_exc_bio", "2023") not in values  # empty in the file: no row
    assert {r["geo"] for r in rows} == {"CAN", "MEX"}  # OWID_WRL is an aggregate
    assert {r["series"] for r in rows} == {SERIES} and {r["unit"] for r in rows} == {"percent"}


def test_live_update_from_a_recorded_response() -> None:
    """`usmca update owid_energy` on a recorded owid-energy-data.csv: one request, a new vintage with
    the same shares as the grapher file (Mexico 2023 gas 58.04%)."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=(FIXTURES / "owid_energy_data_recorded.csv").read_bytes())

    client = HttpClient(None, transport=httpx.MockTransport(handler), sleep=lambda _: None)
    vintage = api.update("owid_energy", client=client)
    assert seen == [LIVE_URL]
    assert vintage.vintage.startswith("owid_energy@live-") and vintage.rows == 16
    with api.open_session() as session:
        table = session.observations(vintage.vintage).to_pylist()
    value = [r["value"] for r in table if r["geo"] == "MEX" and r["measure"] == "gas"]
    assert value[0] == pytest.approx(58.040417)


def test_bad_files_name_the_problem(tmp_path: Path) -> None:
    adapter = get_adapter("owid_energy")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Entity,Code,Year,Coal - % electricity\nCanada,CAN,2023,5\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing column"):
        list(adapter.readers["owid_grapher_share_elec"](wrong, load_codelists()))
    bad = tmp_path / "bad.csv"
    bad.write_text((FIXTURES / "owid_share_elec_excerpt.csv").read_text(encoding="utf-8").replace("57.550793", "x"),
                   encoding="utf-8")
    with pytest.raises(DataError, match="line 3, column Hydro"):
        list(adapter.readers["owid_grapher_share_elec"](bad, load_codelists()))
    assert adapter.detect_reader(FIXTURES / "owid_energy_data_recorded.csv") == "owid_energy_data"


def test_shipped_file_matches_owids_published_shares(shared: Path) -> None:
    """OWID share-elec-by-source, 2023 (shared/data/energy/SOURCES.md): renewables Canada 66.1%,
    United States 22.7%, Mexico 19.6%."""
    rows = list(read_grapher(shared / "energy" / "owid_share_elec_by_source.csv", load_codelists()))
    renewables = ("hydro", "solar", "wind", "other_renewables_exc_bio", "bioenergy")
    for geo, expected in (("CAN", 66.1), ("USA", 22.7), ("MEX", 19.6)):
        total = sum(float(str(r["value"])) for r in rows
                    if r["geo"] == geo and r["period"] == "2023" and r["measure"] in renewables)
        assert round(total, 1) == expected
