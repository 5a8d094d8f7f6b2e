"""The door (issue #13, items 6 and 8): every file any reader takes is checked before anything is stored
— finite numbers, the series' declared sign and range, known codes, no duplicate observations, text that
decodes, a size limit — and every failure is one line naming the file, exit code 1, and a store left
byte for byte as it was."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.catalog import source_specs
from usmca_monitor.cli import app
from usmca_monitor.model.errors import DataError, UnknownCodeError

HEADER = "series,geo,partner,product,flow,measure,period,freq,value,unit"
PARTNER_HEADER = "year,month,cty_code,cty_name,exports_total_usd,imports_general_usd"
runner = CliRunner()


def tidy(folder: Path, *rows: str, header: str = HEADER, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def store_state(home: Path) -> dict[str, bytes]:
    """Every file of the store and its bytes."""
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


def refused(home: Path, source: str, path: Path, *words: str, extra: tuple[str, ...] = ()) -> str:
    """Run ``usmca import`` and check: exit 1, one line on stderr naming the file and ``words``, no traceback,
    and the store exactly as before. Returns the line."""
    before = store_state(home)
    result = runner.invoke(app, ["import", source, str(path), *extra])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    assert str(path) in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert store_state(home) == before
    return lines[0]


def month_rows(partner: str, flow: str, value: str, year: int = 2024) -> list[str]:
    return [f"census.trade.partner,USA,{partner},,{flow},value,{year}-{m:02d},M,{value},USD" for m in range(1, 13)]


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309"])
def test_a_value_that_is_not_a_finite_number_is_refused(tmp_path, usmca_home, value) -> None:
    path = tidy(tmp_path, *month_rows("MEX", "export", "1000"), f"census.trade.partner,USA,CAN,,export,value,"
                f"2024-01,M,{value},USD")
    refused(usmca_home, "census_trade", path, "line 14", "not a finite number")


def test_a_negative_export_is_refused_in_a_tidy_csv_and_in_the_census_file(tmp_path, usmca_home) -> None:
    path = tidy(tmp_path, *month_rows("MEX", "export", "1000"), *month_rows("CAN", "export", "-5"))
    refused(usmca_home, "census_trade", path, "census.trade.partner USA→CAN export value 2024-01",
            "-5 is impossible", "nonnegative")
    census = tmp_path / "partners.csv"
    census.write_text(f"{PARTNER_HEADER}\n2024,1,2010,MEXICO,-26439153527,40000000000\n", encoding="utf-8")
    refused(usmca_home, "census_trade", census, "USA→MEX export", "impossible")


def test_a_negative_vehicle_count_is_refused(tmp_path, usmca_home) -> None:
    path = tmp_path / "oica.csv"
    path.write_text("country,iso3,year,series,units,precision,source_page,note\n"
                    "Mexico,MEX,2024,total,-3989403,unit,https://example.org,\n", encoding="utf-8")
    refused(usmca_home, "oica", path, "oica.production MEX OICA:TOTAL production 2024", "impossible")


def test_the_tidy_path_applies_the_spi_range(tmp_path, usmca_home) -> None:
    path = tidy(tmp_path, "spi.us.state,US-TX,,,,spi,2023,A,-999,index_0_100")
    refused(usmca_home, "spi_us", path, "-999.0 is outside 0–100")
    ok = tidy(tmp_path, "spi.us.state,US-TX,,,,spi,2023,A,61.2,index_0_100", name="ok.csv")
    assert api.import_file("spi_us", ok).rows == 1


def test_duplicate_observations_are_refused(tmp_path, usmca_home) -> None:
    rows = month_rows("MEX", "export", "1000")
    path = tidy(tmp_path, *rows, rows[3].replace(",1000,", ",2000,"))
    refused(usmca_home, "census_trade", path, "census.trade.partner USA→MEX export value 2024-04 appears 2 times",
            "duplicate key")


def test_census_no_longer_sums_a_country_listed_twice(tmp_path, usmca_home) -> None:
    """Two lines for Mexico in the same month were summed into one value; they are now refused."""
    census = tmp_path / "partners.csv"
    census.write_text(f"{PARTNER_HEADER}\n2024,1,2010,MEXICO,100,200\n2024,1,1220,CANADA,5,6\n"
                      "2024,1,2010,MEXICO,100,200\n", encoding="utf-8")
    refused(usmca_home, "census_trade", census, "USA→MEX export value 2024-01 appears 2 times")


def test_census_still_sums_the_two_codes_of_one_area(tmp_path, usmca_home) -> None:
    """Gaza Strip (5082) and West Bank (5083) are both PSE: their values are summed, as documented; the
    same code twice is refused."""
    census = tmp_path / "partners.csv"
    census.write_text(f"{PARTNER_HEADER}\n2024,1,5082,GAZA STRIP,10,1\n2024,1,5083,WEST BANK,32,2\n", encoding="utf-8")
    api.import_file("census_trade", census)
    from usmca_monitor.indicators.session import Session

    with Session() as session:
        vintage = session.current_vintage("census_trade")
        assert vintage is not None
        rows = session.observations(vintage.vintage, "census.trade.partner").to_pylist()
    assert {(r["partner"], r["flow"], r["value"]) for r in rows} == {("PSE", "export", 42.0), ("PSE", "import", 3.0)}
    twice = tmp_path / "twice.csv"
    twice.write_text(f"{PARTNER_HEADER}\n2024,1,5082,GAZA STRIP,10,1\n2024,1,5082,GAZA STRIP,10,1\n",
                     encoding="utf-8")
    refused(usmca_home, "census_trade", twice, "5082", "listed twice")


@pytest.mark.parametrize(("row", "words"), [
    ("census.trade.partner,XXX,MEX,,export,value,2024-01,M,1,USD", ("unknown geo code 'XXX'",)),
    ("census.trade.partner,USA,<script>alert(1)</script>,,export,value,2024-01,M,1,USD", ("unknown partner code",)),
    ("census.trade.partner,USA,=HYPERLINK(\"http://x\"),,export,value,2024-01,M,1,USD", ("unknown partner code",)),
    ("census.trade.hs2,USA,MEX,HS:<b>,import,value,2024-01,M,1,USD", ("product 'HS:<b>'",)),
    ("census.trade.hs2,USA,MEX,HS:77,import,value,2024-01,M,1,USD", ("77 is not a HS chapter",)),
    ("census.trade.hs2,USA,MEX,XX:01,import,value,2024-01,M,1,USD", ("not a code of a known scheme",)),
    ("census.trade.partner,USA,MEX,,sideways,value,2024-01,M,1,USD", ("flow 'sideways' is unknown",)),
    ("census.trade.partner,USA,MEX,,export,<img src=x>,2024-01,M,1,USD", ("has characters that are not allowed",)),
    ("census.trade.partner,USA,MEX,,export,value,2024-01,M,1,U\u202eSD", ("has characters that are not allowed",)),
])
def test_unknown_codes_and_markup_are_refused(tmp_path, usmca_home, row, words) -> None:
    path = tidy(tmp_path, *month_rows("CAN", "export", "1"), row)
    refused(usmca_home, "census_trade", path, *words)


def _declared_row(source_id: str) -> str:
    series = sorted(source_specs()[source_id].series)[0]
    return f"{series},USA,,,,value,2024,A,0.5,USD"


@pytest.mark.parametrize("source_id", sorted(source_specs()))
def test_a_cp1252_tidy_csv_is_one_clear_line_for_every_source_and_loads_with_encoding(tmp_path, usmca_home,
                                                                                    source_id) -> None:
    path = tidy(tmp_path, _declared_row(source_id) + ",Cámara de comercio", header=HEADER + ",note",
                encoding="cp1252")
    line = refused(usmca_home, source_id, path, "line 2", "not UTF-8 (looks like cp1252)", "--encoding")
    assert "re-save as UTF-8" in line
    result = runner.invoke(app, ["import", source_id, str(path), "--encoding", "cp1252"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("source_id", ["census_trade", "oica", "worldbank", "spi_us", "usda_ers", "owid_energy"])
def test_files_of_another_kind_are_one_line_naming_the_file(tmp_path, usmca_home, source_id) -> None:
    utf16 = tidy(tmp_path, _declared_row(source_id), name="utf16.csv", encoding="utf-16")
    refused(usmca_home, source_id, utf16, "UTF-16 text", "--encoding utf-16")
    assert runner.invoke(app, ["import", source_id, str(utf16), "--encoding", "utf-16"]).exit_code == 0
    workbook = tmp_path / "workbook.csv"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    refused(usmca_home, source_id, workbook, "zip archive or an Excel workbook")
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 4)
    refused(usmca_home, source_id, garbage)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused(usmca_home, source_id, empty)
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"not a workbook at all")
    refused(usmca_home, source_id, fake_xlsx)


def test_a_header_only_file_names_the_file(tmp_path, usmca_home) -> None:
    refused(usmca_home, "census_trade", tidy(tmp_path), "no observations could be read")
    census = tmp_path / "partners.csv"
    census.write_text(PARTNER_HEADER + "\n", encoding="utf-8")
    refused(usmca_home, "census_trade", census, "no observations could be read")


def test_fas_gats_names_what_it_reads(tmp_path, usmca_home) -> None:
    path = tmp_path / "gats.csv"
    path.write_text("date,countryCode,value\n2024-01,MX,5\n", encoding="utf-8")
    line = refused(usmca_home, "fas_gats", path, "reads no file layout of its own", "usmca update fas_gats",
                   "tidy CSV")
    assert "layouts: —" not in line and "layouts: " not in line


def test_owid_energy_garbage_is_one_line(tmp_path, usmca_home) -> None:
    path = tmp_path / "owid.csv"
    path.write_text("Entity,Code,Year,Coal - % electricity\n\x00\x01garbage", encoding="utf-8")
    refused(usmca_home, "owid_energy", path)
    grapher = tmp_path / "share.csv"
    grapher.write_text("Entity,Code,Year,Coal - % electricity,Gas - % electricity,Hydro - % electricity,"
                       "Solar - % electricity,Wind - % electricity,Oil - % electricity,Nuclear - % electricity,"
                       "Other renewables excluding bioenergy - % electricity,Bioenergy - % electricity\n"
                       'Canada,CAN,2023,"5,"x",\n', encoding="utf-8")
    refused(usmca_home, "owid_energy", grapher)


def test_the_size_limit_names_its_override(tmp_path, usmca_home, monkeypatch) -> None:
    path = tidy(tmp_path, *month_rows("MEX", "export", "1000"))
    monkeypatch.setenv("USMCA_MAX_FILE_MB", "0.0005")
    refused(usmca_home, "census_trade", path, "over the 0 MB limit", "--max-size 1", "USMCA_MAX_FILE_MB")
    result = runner.invoke(app, ["import", "census_trade", str(path), "--max-size", "1"])
    assert result.exit_code == 0, result.output


def test_the_imported_file_is_stored_whole_under_its_checksum(tmp_path, usmca_home) -> None:
    import hashlib

    path = tidy(tmp_path, *month_rows("MEX", "export", "1000"))
    vintage = api.import_file("census_trade", path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = usmca_home / "raw" / sha[:2] / f"{sha}.bin"
    assert stored.read_bytes() == path.read_bytes()
    assert vintage.rows == 12


def test_the_door_is_the_same_for_a_live_answer() -> None:
    from usmca_monitor.codelists import load_codelists
    from usmca_monitor.sources.validate import check_rows

    spec = source_specs()["census_trade"]
    good = {"series": "census.trade.partner", "geo": "USA", "partner": "MEX", "product": None, "flow": "export",
            "measure": "value", "period": "2024-01", "freq": "M", "value": 5.0, "unit": "USD"}
    table = check_rows([good], spec, load_codelists(), "https://api.census.gov/x", vintage="v")
    assert table.num_rows == 1 and table["vintage"].to_pylist() == ["v"]
    with pytest.raises(DataError, match=r"https://api\.census\.gov/x: census\.trade\.partner USA→MEX export value "
                                        r"2024-01: value -1"):
        check_rows([{**good, "value": -1.0}], spec, load_codelists(), "https://api.census.gov/x", vintage="v")
    with pytest.raises(UnknownCodeError):
        check_rows([{**good, "partner": "ZZZ"}], spec, load_codelists(), "u", vintage="v")
    with pytest.raises(DataError, match="not one source census_trade declares"):
        check_rows([{**good, "series": "wdi.SP.POP.TOTL"}], spec, load_codelists(), "u", vintage="v")


def test_every_embedded_observation_passes_the_door() -> None:
    """The shipped snapshot was derived through the door; its rows still pass it (rules and codes agree)."""
    import json

    import pyarrow.parquet as pq

    from usmca_monitor.codelists import data_path, load_codelists
    from usmca_monitor.sources.validate import check_rows

    manifest = json.loads(data_path("manifest.json").read_text(encoding="utf-8"))
    for key, entry in manifest["sources"].items():
        rows = pq.read_table(data_path(entry["file"])).drop(["source_id", "vintage"]).to_pylist()
        table = check_rows(rows, source_specs()[entry.get("source", key)], load_codelists(), key,
                           vintage=entry["vintage"])
        assert table.num_rows == entry["rows"], key


def test_the_cli_help_documents_encoding_and_max_size() -> None:
    result = runner.invoke(app, ["import", "--help"])
    assert "--encoding" in result.output and "--max-size" in result.output


def test_bom_files_still_load(tmp_path, usmca_home) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + ("\n".join([HEADER, *month_rows("MEX", "export", "1")]) + "\n").encode())
    assert api.import_file("census_trade", path).rows == 12
