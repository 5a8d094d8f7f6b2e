"""Goal 3, agri-food, live-only ERS files: the FATUS reader (trade by country), the fruit and vegetable
yearbook readers, the live download of the four ERS files through the HttpClient (recorded-shape
answers on a MockTransport, never the network), a failed download that leaves the store as it was, the
constant-2024-dollar trade series and the translatable deflator label.

Every fixture read here is BUILT FROM THE PUBLISHER'S DOCUMENTATION / PUBLIC CLIENT CODE, NOT A RECORDED
DOWNLOAD (tests/fixtures/README.md); the numbers in them are synthetic fixture values, not ERS data."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest

from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.registry import get_spec
from usmca_monitor.model.errors import DataError, NetworkError, UnknownCodeError
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.registry import source_specs
from usmca_monitor.sources.usda_ers import (
    FRUIT_SERIES,
    POUND_KG,
    YEARBOOK_SERIES,
    read_fruit_yearbook_csv,
    read_yearbook_csv,
)
from usmca_monitor.sources.usda_fatus import PRODUCT, read_fatus_csv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "usda"
EXPORTS = f"{PRODUCT}/export"
IMPORTS = f"{PRODUCT}/import"


def test_fatus_reader_keeps_calendar_year_agricultural_totals_by_country() -> None:
    """Synthetic fixture values: Mexico exports 2024 = $30,000 million, South Korea ("Korea, South")
    exports 2023 = $8,700 million; the residual, fiscal-year, single-commodity, volume and balance rows go."""
    rows = read_fatus_csv(FIXTURES / "fatus_sample.csv", load_codelists())
    assert len(rows) == 22  # 6 destinations + 5 origins (incl. the world), two years each
    by_key = {(r["partner"], r["flow"], r["period"]): r for r in rows}
    assert by_key[("MEX", "export", "2024")]["value"] == 30000e6
    assert by_key[("KOR", "export", "2023")]["value"] == 8700e6
    assert by_key[("WLD", "import", "2024")]["value"] == 213000e6
    assert {r["series"] for r in rows} == {"usda.ers.fatus"} and {r["unit"] for r in rows} == {"USD"}
    assert {r["product"] for r in rows} == {PRODUCT} and {r["freq"] for r in rows} == {"A"}


def test_fatus_reader_names_an_unknown_country_and_unit(tmp_path: Path) -> None:
    header = (FIXTURES / "fatus_sample.csv").read_text(encoding="utf-8").splitlines()[0]
    bad = tmp_path / "fatus.csv"
    bad.write_text(f"{header}\nT,Exports,Customs value,Agricultural total,Atlantis,"
                   "\"Calendar year, January-December\",2024,Million dollars,1,,,\n", encoding="utf-8")
    with pytest.raises(UnknownCodeError, match="Atlantis") as caught:
        read_fatus_csv(bad, load_codelists())
    assert "line 2" in str(caught.value) and "usda_fatus.py" in str(caught.value) and str(bad) in str(caught.value)
    bad.write_text(f"{header}\nT,Exports,Customs value,Agricultural total,Mexico,"
                   "\"Calendar year, January-December\",2024,Pesos,1,,,\n", encoding="utf-8")
    with pytest.raises(DataError, match="Pesos"):
        read_fatus_csv(bad, load_codelists())
    bad.write_text("Country,Value\nMexico,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="US_Trade"):
        read_fatus_csv(bad, load_codelists())


def test_fruit_yearbook_reader() -> None:
    """Synthetic fixture values (million pounds): avocados 2023/24 utilized production 150, imports 2,900,
    exports 10, filed under 2023; the California row, per-capita and monthly price rows are dropped."""
    rows = read_fruit_yearbook_csv(FIXTURES / "fruit_yearbook_sample.csv", load_codelists())
    assert {r["series"] for r in rows} == {FRUIT_SERIES}
    assert len(rows) == 18  # 3 products × 2 years × 3 measures
    found = {(r["product"], r["measure"], r["period"]): r["value"] for r in rows}
    assert found[("ERS:avocados", "production", "2023")] == pytest.approx(150e6 * POUND_KG / 1000)
    assert found[("ERS:fresh_fruit", "imports", "2022")] == pytest.approx(24000e6 * POUND_KG / 1000)
    assert {p for p, _, _ in found} == {"ERS:avocados", "ERS:raspberries", "ERS:fresh_fruit"}


def test_vegetables_reader_keeps_national_fresh_rows_of_the_five_tables() -> None:
    """Synthetic fixture values: tomatoes 2023 fresh production 2,500 million pounds (the processing row,
    24,000, and the Florida row, 900, are not kept)."""
    rows = read_yearbook_csv(FIXTURES / "vegetables_pulses_tables.csv", load_codelists())
    assert {r["series"] for r in rows} == {YEARBOOK_SERIES} and len(rows) == 15
    found = {(r["product"], r["measure"]): r["value"] for r in rows}
    assert found[("ERS:tomatoes", "production")] == pytest.approx(2500e6 * POUND_KG / 1000)
    assert {p for p, _ in found} == {"ERS:fresh_vegetables", "ERS:tomatoes", "ERS:cucumbers", "ERS:squash",
                                     "ERS:bell_peppers"}


def _zip(member: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, data)
    return buffer.getvalue()


def _answers(veg_member: str = "Vegetables_Pulses.csv") -> dict[str, bytes]:
    urls = source_specs()["usda_ers"].live.urls  # type: ignore[union-attr]
    return {urls["food_imports"]: (FIXTURES / "food_imports_sample.csv").read_bytes(),
            urls["fruit_yearbook"]: (FIXTURES / "fruit_yearbook_sample.csv").read_bytes(),
            urls["vegetables_zip"]: _zip(f"machine-readable/{veg_member}",
                                         (FIXTURES / "vegetables_pulses_tables.csv").read_bytes()),
            urls["fatus"]: (FIXTURES / "fatus_sample.csv").read_bytes()}


def _client(answers: dict[str, bytes], seen: list[str], fail: str = "") -> HttpClient:
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        seen.append(url)
        if url == fail or url not in answers:
            return httpx.Response(404, text="Not Found")
        return httpx.Response(200, content=answers[url])

    return HttpClient(None, retries=0, sleep=lambda _: None, transport=httpx.MockTransport(handler))


def test_live_update_downloads_the_four_files(usmca_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic fixture values: avocados 2023 import share = 2,900 / (150 − 10 + 2,900) = 95.39 %;
    FATUS Mexico exports 2024 = $30,000 million (nominal equals constant 2024 dollars in 2024)."""
    answers = _answers()
    moved = "https://www.ers.usda.gov/media/9999/fatus-moved.csv"
    answers[moved] = answers.pop(source_specs()["usda_ers"].live.urls["fatus"])  # type: ignore[union-attr]
    monkeypatch.setenv("USMCA_USDA_ERS_URL_FATUS", moved)  # a new ERS media id, overridden from the environment
    seen: list[str] = []
    vintage = api.update("usda_ers", home=usmca_home, client=_client(answers, seen))
    assert sorted(seen) == sorted(answers) and vintage.vintage.startswith("usda_ers@live-")
    share = api.query("import_share_of_availability", product="ERS:avocados", period="2023")
    assert len(share) == 1 and share[0].badge == "computed"
    assert share[0].value == pytest.approx(100 * 2900 / (150 - 10 + 2900))
    nominal = api.query("ag_trade", partner="MEX", product=EXPORTS, period="2024")[0]
    real = api.query("ag_trade_real", partner="MEX", product=EXPORTS, period="2024")[0]
    assert nominal.value == 30000e6 and real.value == nominal.value
    assert nominal.badge == "official" and real.badge == "computed"
    assert api.query("ag_trade", partner="BRA", product=IMPORTS, period="2023")[0].value == 7000e6
    assert api.query("ag_food_imports", partner="MEX", product="ERS:fruits/fresh_or_chilled_fruit",
                     period="2023")[0].value == pytest.approx(9618.8e6)


def test_failed_download_names_the_url_and_keeps_the_store(usmca_home: Path) -> None:
    api.import_file("usda_ers", FIXTURES / "fatus_sample.csv", home=usmca_home)
    with api.open_session(usmca_home) as session:
        before = [v.vintage for v in session.vintages("usda_ers")]
    failing = source_specs()["usda_ers"].live.urls["vegetables_zip"]  # type: ignore[union-attr]
    with pytest.raises(NetworkError, match="HTTP 404") as caught:
        api.update("usda_ers", home=usmca_home, client=_client(_answers(), [], fail=failing))
    assert failing in str(caught.value)
    with api.open_session(usmca_home) as session:
        assert [v.vintage for v in session.vintages("usda_ers")] == before
    assert api.query("ag_trade", partner="MEX", product=EXPORTS, period="2024")[0].value == 30000e6


def test_a_zip_without_the_vegetables_csv_is_a_data_error(usmca_home: Path) -> None:
    url = source_specs()["usda_ers"].live.urls["vegetables_zip"]  # type: ignore[union-attr]
    with pytest.raises(DataError, match=r"Vegetables_Pulses\.csv") as caught:
        api.update("usda_ers", home=usmca_home, client=_client(_answers("Other.csv"), []))
    assert url in str(caught.value) and "USMCA_USDA_ERS_URL_VEGETABLES_ZIP" in str(caught.value)
    answers = _answers()
    answers[url] = b"<html>moved</html>"
    with pytest.raises(DataError, match="not a zip"):
        api.update("usda_ers", home=usmca_home, client=_client(answers, []))


def test_yearbooks_imported_one_after_the_other_keep_each_other(usmca_home: Path) -> None:
    """Importing the vegetables file after the fruit file keeps the fruit shares (own series), and the
    shipped ERS food imports stay readable (a series absent from the newest vintage is read from the
    newest vintage that holds it). Synthetic fixture values: tomatoes 2023 = 4,200 / (2,500 − 300 + 4,200)."""
    for name in ("fruit_yearbook_sample.csv", "vegetables_pulses_tables.csv"):
        api.import_file("usda_ers", FIXTURES / name, home=usmca_home)
    products = {r.product for r in api.query("import_share_of_availability", period="2023")}
    assert products == {"ERS:fresh_fruit", "ERS:avocados", "ERS:raspberries", "ERS:fresh_vegetables",
                        "ERS:tomatoes", "ERS:cucumbers", "ERS:squash", "ERS:bell_peppers"}
    tomatoes = api.query("import_share_of_availability", product="ERS:tomatoes", period="2023")[0]
    assert tomatoes.value == pytest.approx(100 * 4200 / (2500 - 300 + 4200))
    assert tomatoes.vintage.count("usda_ers@import-") == 2  # both imported files are named


def test_deflator_label_is_translated() -> None:
    for indicator in ("ag_food_imports_real", "ag_trade_real"):
        spec = get_spec(indicator)
        assert spec.param_text("deflator_label", "en").startswith("CPI-U annual average")
        assert spec.param_text("deflator_label", "es").startswith("IPC-U, promedio anual")
        assert spec.param_text("deflator_label", "fr").startswith("IPC-U, moyenne annuelle")
        assert spec.param_text("base_year", "fr") == "2024"
