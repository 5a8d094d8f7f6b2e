"""The Census trade source end to end: live update from recorded API answers, published figures,
malformed payloads, the two file layouts, the command line, and the declared quirks.

No test touches the network: live calls go to an ``httpx.MockTransport`` that answers from
``tests/fixtures/census/`` (real 2024 rows of the shared Census CSV in the API's shape; see the
README there). Tests that read ``../shared/data`` take the ``shared`` fixture.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import httpx
import openpyxl
import pytest
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError, NetworkError
from usmca_monitor.sources.census_api import plan
from usmca_monitor.sources.census_trade import MONTHS, parse_api_rows, read_partner_csv
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.registry import source_specs

from .census_mock import CensusApi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "census"
SHARED_CSV = "trade_us_partner/census_us_goods_trade_by_country_monthly_2013_2024.csv"
BASE = "https://api.census.gov/data/timeseries/intltrade"
VALUE_FIELDS = {"exports": "ALL_VAL_MO", "imports": "GEN_VAL_MO"}
FLOW = {"exports": "export", "imports": "import"}
# The public URL (no key) of the 2024 exports call: what errors about that payload must name.
EXPORTS_2024_URL = f"{BASE}/exports/hs?get=CTY_CODE,CTY_NAME,ALL_VAL_MO&time=from+2024-01+to+2024-12"
# The fixture codes and the areas they map to (Gaza Strip and West Bank are both ISO PSE).
FIXTURE_CODES = {"-": "WLD", "0020": "USMCA", "1220": "CAN", "2010": "MEX", "5700": "CHN", "5830": "TWN",
                 "5082": "PSE", "5083": "PSE"}
CSV_HEADER = "year,month,cty_code,cty_name,exports_total_usd,imports_general_usd"


def embedded_vintage() -> str:
    return str(api.embedded_manifest()["sources"]["census_trade"]["vintage"])


def vintage_ids() -> list[str]:
    """The stored vintages of census_trade (other sources' embedded vintages are not this test's)."""
    with api.open_session() as session:
        return [v.vintage for v in session.vintages("census_trade")]


def observations(vintage: str, series: str = "census.trade.partner") -> dict[tuple[str, str, str], float]:
    """(partner, flow, period) → value of one series of a stored vintage (plain SQL, independent of helpers)."""
    with api.open_session() as session:
        rows = session.observations(vintage, series).to_pylist()
    return {(str(r["partner"]), str(r["flow"]), str(r["period"])): float(r["value"]) for r in rows}


def origins(vintage: str):
    with api.open_session() as session:
        return session.origins(vintage)


def no_sleep(seconds: float) -> None:
    raise AssertionError(f"no retry expected (asked to sleep {seconds}s)")


def census_client(handler: CensusApi, tmp_path: Path) -> HttpClient:
    return HttpClient(tmp_path / "http-cache", transport=httpx.MockTransport(handler), sleep=no_sleep)


def all_years() -> list[int]:
    return list(range(2010, dt.date.today().year + 1))


def fixture_sums() -> dict[tuple[str, str, str], float]:
    """(partner, flow, month) → value, summed from the fixture rows (PSE = 5082 + 5083)."""
    sums: dict[tuple[str, str, str], float] = defaultdict(float)
    for flow, field in VALUE_FIELDS.items():
        header, rows = parse_api_rows((FIXTURES / f"{flow}_hs_2024.json").read_bytes(), "fixture")
        for row in rows:
            record = dict(zip(header, row, strict=True))
            sums[(FIXTURE_CODES[str(record["CTY_CODE"])], FLOW[flow], str(record["time"]))] += float(
                str(record[field]))
    return sums


def shared_csv_rows(shared: Path, year: int, code: str) -> list[dict[str, str]]:
    with (shared / SHARED_CSV).open(newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["year"] == str(year) and r["cty_code"] == code]


# --- the fixtures themselves ------------------------------------------------------------------------

def test_fixtures_have_the_api_shape():
    """A JSON array of arrays, the header first, every value a string, ``time`` as the last column."""
    for flow, field in VALUE_FIELDS.items():
        data = json.loads((FIXTURES / f"{flow}_hs_2024.json").read_text(encoding="utf-8"))
        assert data[0] == ["CTY_CODE", "CTY_NAME", field, "time"]
        assert len(data) == 1 + 8 * 12 - 1  # 8 codes × 12 months; Gaza Strip has no January record
        assert all(isinstance(v, str) for row in data for v in row)
        assert {row[3] for row in data[1:]} == {f"2024-{m:02d}" for m in range(1, 13)}
        assert {row[0] for row in data[1:]} == set(FIXTURE_CODES)
        assert json.loads((FIXTURES / f"{flow}_hs_2025.json").read_text(encoding="utf-8")) == [data[0]]


def test_fixture_codes_map_as_the_test_assumes():
    census = load_codelists().census
    assert {code: census[code] for code in FIXTURE_CODES} == FIXTURE_CODES


@pytest.mark.shared
def test_fixture_rows_are_real_rows_of_the_shared_csv(shared):
    """Every fixture row is the shared CSV's value for that code and month (nothing invented)."""
    with (shared / SHARED_CSV).open(newline="", encoding="utf-8") as fh:
        source = {(r["cty_code"], f"2024-{int(r['month']):02d}"): r
                  for r in csv.DictReader(fh) if r["year"] == "2024"}
    for flow, column in (("exports", "exports_total_usd"), ("imports", "imports_general_usd")):
        _, rows = parse_api_rows((FIXTURES / f"{flow}_hs_2024.json").read_bytes(), "fixture")
        for code, name, value, month in rows:
            expected = source[(str(code), str(month))]
            assert (name, value) == (expected["cty_name"], expected[column])


# --- live update ------------------------------------------------------------------------------------

@pytest.mark.parametrize("empty", ["204", "header-only"])
def test_live_update_stores_the_recorded_answers(tmp_path, empty):
    """One call per flow and year from 2010 to this year; 2024 parsed exactly; empty years ignored."""
    handler = CensusApi(empty)
    vintage = api.update("census_trade", client=census_client(handler, tmp_path))

    partner_calls = sorted(f"{flow}_hs_{year}.json" for flow in VALUE_FIELDS for year in all_years())
    partner_answers = [c for c in handler.calls() if c.startswith(("exports_hs_", "imports_hs_")) and c.count("_") == 2]
    assert partner_answers == partner_calls
    assert handler.calls() == sorted(CensusApi.fixture_name(r) for r in handler.requests)
    assert len(handler.requests) == len(plan(source_specs()["census_trade"].live))
    assert vintage.kind == "live" and vintage.source_id == "census_trade"
    stored = observations(vintage.vintage)
    assert stored == fixture_sums()
    assert len(stored) == 7 * 2 * 12  # PSE sums Gaza Strip and West Bank
    assert vintage_ids() == [vintage.vintage, embedded_vintage()]
    # The raw answers are kept with their public URLs: only the years with a body (204 has none).
    urls = sorted(o.url for o in origins(vintage.vintage))
    assert EXPORTS_2024_URL in urls
    answered = len(list(FIXTURES.glob("*_20??.json")))  # the calls with a recorded answer
    assert len(urls) == (answered if empty == "204" else len(handler.requests))
    assert all(u.startswith(f"{BASE}/") for u in urls)


@pytest.mark.shared
@pytest.mark.parametrize("empty", ["204", "header-only"])
def test_live_update_then_query_answers_from_the_new_vintage(shared, tmp_path, empty):
    """After ``update``, ``query tdr MEX 2024`` comes from the live vintage and equals the TDR computed
    by hand from the shared CSV's 2024 MEXICO rows; the embedded vintage stays queryable."""
    mexico = shared_csv_rows(shared, 2024, "2010")
    assert len(mexico) == 12
    exports = sum(float(r["exports_total_usd"]) for r in mexico)
    imports = sum(float(r["imports_general_usd"]) for r in mexico)
    expected = (imports - exports) / exports

    vintage = api.update("census_trade", client=census_client(CensusApi(empty), tmp_path))

    (row,) = api.query("tdr", partner="MEX", period="2024")
    assert row.vintage == vintage.vintage
    assert row.value == pytest.approx(expected, rel=1e-12)
    assert (row.unit, row.period, row.badge) == ("ratio", "2024", "computed")
    # The live vintage holds only 2024 (the fixtures): 2023 is not in it ...
    assert api.query("tdr", partner="MEX", period="2023") == []
    # ... but the embedded vintage is still there, pinned with ``vintage=``.
    old = embedded_vintage()
    (pinned,) = api.query("tdr", partner="MEX", period="2024", vintage=old)
    assert pinned.vintage == old
    assert pinned.value == pytest.approx(expected, rel=1e-12)  # the embedded snapshot is the same CSV
    assert len(api.query("tdr", partner="MEX", period="2023", vintage=old)) == 1


def test_live_update_sends_the_api_key_but_stores_no_secret(tmp_path, usmca_home, monkeypatch):
    monkeypatch.setenv("CENSUS_API_KEY", "SECRET-KEY-123")
    handler = CensusApi("204")
    vintage = api.update("census_trade", client=census_client(handler, tmp_path))
    assert {r.url.params.get("key") for r in handler.requests} == {"SECRET-KEY-123"}
    assert all("SECRET-KEY-123" not in o.model_dump_json() for o in origins(vintage.vintage))
    for path in [*usmca_home.rglob("*"), *(tmp_path / "http-cache").rglob("*")]:
        if path.is_file():
            assert b"SECRET-KEY-123" not in path.read_bytes(), path


def test_live_update_with_no_data_at_all_is_an_error_and_changes_nothing(tmp_path):
    before = vintage_ids()
    # No answer of any call holds a row: the 2024 fixtures are swapped for header-only answers.
    override = {p.name: json.dumps(json.loads(p.read_text(encoding="utf-8"))[:1]).encode()
                for p in FIXTURES.glob("*_2024.json")}
    with pytest.raises(DataError):
        api.update("census_trade", client=census_client(CensusApi("header-only", override), tmp_path))
    with pytest.raises(DataError) as info:
        api.update("census_trade", client=census_client(CensusApi("204", override), tmp_path / "other"))
    assert "no" in str(info.value)
    assert vintage_ids() == before


# --- the published figures --------------------------------------------------------------------------

# Census Bureau 2024 annual U.S. goods trade (exports f.a.s. / general imports, customs value), in
# billions of dollars, as stated in ../shared/data/trade_us_partner/SOURCES.md, quality notes: "2024
# annual totals (Mexico exp 334.0 / imp 505.5 bn; Canada 349.9 / 411.9; China 143.2 / 438.7) match
# press reports of Census data within 0.1%".
PUBLISHED_2024 = [
    pytest.param("exports", "MEX", 334.0, id="exports-to-Mexico-334.0bn"),
    pytest.param("imports", "MEX", 505.5, id="imports-from-Mexico-505.5bn"),
    pytest.param("exports", "CAN", 349.9, id="exports-to-Canada-349.9bn"),
    pytest.param("imports", "CAN", 411.9, id="imports-from-Canada-411.9bn"),
    pytest.param("exports", "CHN", 143.2, id="exports-to-China-143.2bn"),
    pytest.param("imports", "CHN", 438.7, id="imports-from-China-438.7bn"),
]
# 0.2% relative: the embedded snapshot sums the API's monthly values, which are not revised into the
# annual tables (published annual totals differ by up to about 0.1%, see the source's quirks), and the
# SOURCES.md figures are rounded to 0.1 bn (up to 0.03% more on the smallest, 143.2 bn).
TOLERANCE = 0.002


@pytest.mark.parametrize(("indicator", "partner", "billions"), PUBLISHED_2024)
def test_embedded_2024_trade_matches_the_published_annual_figures(indicator, partner, billions):
    """Annual 2024 U.S. goods trade with Mexico, Canada and China from the embedded snapshot equals the
    Census Bureau's 2024 annual figures quoted in SOURCES.md (quality notes; "match press reports of
    Census data within 0.1%") within 0.2% relative (see TOLERANCE for why)."""
    (row,) = api.query(indicator, partner=partner, period="2024")
    assert row.vintage == embedded_vintage()
    assert row.unit == "USD"
    assert row.value is not None
    assert row.value / 1e9 == pytest.approx(billions, rel=TOLERANCE)


def test_embedded_2024_imports_from_mexico_match_the_ft900_annual_revision():
    """U.S. general imports from Mexico, 2024 = 505.85 bn: U.S. Census Bureau press release of
    2025-02-05 (FT-900, "U.S. International Trade in Goods and Services, December and Annual 2024",
    with the annual revision), quoted in ../shared/data/trade_us_partner/SOURCES.md. The snapshot's
    monthly API sums give 505.52 bn (0.065% lower): the monthly values are not annually revised,
    so the tolerance is 0.2% relative, as for the other published figures."""
    (row,) = api.query("imports", partner="MEX", period="2024")
    assert row.value is not None
    assert row.value / 1e9 == pytest.approx(505.85, rel=TOLERANCE)
    assert row.value / 1e9 != pytest.approx(505.85, rel=1e-5)  # not revised: the gap is real, and small


# --- malformed payloads -----------------------------------------------------------------------------

HEADER = '["CTY_CODE","CTY_NAME","ALL_VAL_MO","time"]'
GOOD_ROW = '["2010","MEXICO","26439153527","2024-01"]'
MALFORMED = [
    pytest.param(b"<html><body>Service Unavailable</body></html>", "not JSON", id="not-json"),
    pytest.param(b'{"error": "error: unknown variable \'ALL_VAL_MO\'"}', "not a JSON array of arrays",
                 id="json-object"),
    pytest.param(f'[{HEADER},{GOOD_ROW},["1220","CANADA","2024-01"]]'.encode(),
                 "row 2 has 3 fields, the header 4", id="row-missing-a-field"),
    pytest.param(f'[{HEADER},{GOOD_ROW},["1220","CANADA","n/a","2024-01"]]'.encode(),
                 "field ALL_VAL_MO is 'n/a', not a number (row 2)", id="non-numeric-value"),
    pytest.param(f'[{HEADER},{GOOD_ROW},["9999","ATLANTIS","5","2024-01"]]'.encode(),
                 "unknown Census country code '9999' (row 2)", id="unknown-cty-code"),
    pytest.param(b'[["CTY_CODE","CTY_NAME","time"],["2010","MEXICO","2024-01"]]',
                 "missing column(s) ALL_VAL_MO", id="value-column-missing"),
    pytest.param(f'[{HEADER},{GOOD_ROW},["1220","CANADA",{{"value":5}},"2024-01"]]'.encode(),
                 "field ALL_VAL_MO", id="value-is-an-object"),
    pytest.param(f'[{HEADER},{GOOD_ROW},["1220","CANADA","5","last month"]]'.encode(),
                 "time", id="time-not-a-month"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_malformed_payload_is_a_data_error_naming_the_url_and_nothing_changes(tmp_path, usmca_home,
                                                                              content, message):
    before = vintage_ids()
    (answer,) = api.query("tdr", partner="MEX", period="2024")
    handler = CensusApi("204", override={"exports_hs_2024.json": content})

    with pytest.raises(DataError) as info:
        api.update("census_trade", client=census_client(handler, tmp_path))

    assert info.value.where == EXPORTS_2024_URL
    assert EXPORTS_2024_URL in str(info.value)
    assert message in str(info.value)
    assert vintage_ids() == before
    assert api.query("tdr", partner="MEX", period="2024") == [answer]
    assert not (usmca_home / "raw").exists()  # no raw payload kept for a failed update


def test_parse_api_rows_returns_header_and_rows():
    header, rows = parse_api_rows((FIXTURES / "imports_hs_2024.json").read_bytes(), EXPORTS_2024_URL)
    assert header == ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"]
    assert rows[0] == ["-", "TOTAL FOR ALL COUNTRIES", "253692671061", "2024-01"]
    assert parse_api_rows(b'[["CTY_CODE","time"]]', "u") == (["CTY_CODE", "time"], [])


@pytest.mark.parametrize("content", [b"", b"[]", b"[[]]x", b'[["CTY_CODE", 5]]', b'[["A"], "row"]', b"null"])
def test_parse_api_rows_rejects_what_is_not_a_table(content):
    with pytest.raises(DataError) as info:
        parse_api_rows(content, EXPORTS_2024_URL)
    assert info.value.where == EXPORTS_2024_URL


# --- files ------------------------------------------------------------------------------------------

# Real rows, copied verbatim from ../shared/data/trade_us_partner/
# census_us_goods_trade_by_country_monthly_2013_2024.csv (checked by a `shared` test below).
REAL_CSV_ROWS = [
    "2024,1,1220,CANADA,26660039395,33398588229",
    "2024,1,2010,MEXICO,26439153527,37960125983",
    "2024,1,5083,WEST BANK ADMINISTERED BY ISRAEL,25737,733348",
    "2024,2,1220,CANADA,28598327174,33144865098",
    "2024,2,2010,MEXICO,26910617276,40187070212",
    "2024,2,5082,GAZA STRIP ADMINISTERED BY ISRAEL,3852,8043",
    "2024,2,5083,WEST BANK ADMINISTERED BY ISRAEL,39635,575512",
]


@pytest.mark.shared
def test_hard_coded_rows_are_real_rows_of_the_shared_csv(shared):
    lines = set((shared / SHARED_CSV).read_text(encoding="utf-8").splitlines())
    assert CSV_HEADER in lines
    assert set(REAL_CSV_ROWS) <= lines


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_read_partner_csv_missing_column_names_the_file_and_the_column(tmp_path):
    header = CSV_HEADER.replace(",imports_general_usd", "")
    path = write_csv(tmp_path / "partners.csv", header, [r.rsplit(",", 1)[0] for r in REAL_CSV_ROWS])
    with pytest.raises(DataError) as info:
        list(read_partner_csv(path, load_codelists()))
    assert info.value.where == str(path)
    assert "imports_general_usd" in info.value.what
    assert str(path) in str(info.value)


def test_read_partner_csv_short_line_is_a_data_error(tmp_path):
    path = write_csv(tmp_path / "partners.csv", CSV_HEADER, [REAL_CSV_ROWS[0], "2024,1"])
    with pytest.raises(DataError) as info:
        list(read_partner_csv(path, load_codelists()))
    assert info.value.where == str(path) and "line 3" in info.value.what


def test_read_partner_csv_month_out_of_range_is_a_data_error(tmp_path):
    path = write_csv(tmp_path / "partners.csv", CSV_HEADER, ["2024,13,2010,MEXICO,1,2"])
    with pytest.raises(DataError) as info:
        list(read_partner_csv(path, load_codelists()))
    assert info.value.where == str(path) and "line 2" in info.value.what


def test_import_partner_csv_creates_a_new_vintage(tmp_path):
    before = vintage_ids()
    path = write_csv(tmp_path / "census_partners.csv", CSV_HEADER, REAL_CSV_ROWS)

    vintage = api.import_file("census_trade", path)

    assert vintage.kind == "import"
    assert vintage_ids() == [vintage.vintage, *before]
    assert vintage.rows == 3 * 2 * 2  # CAN, MEX, PSE × 2 flows × 2 months
    (mex,) = api.query("exports", partner="MEX", period="2024-01")
    assert (mex.value, mex.vintage) == (26439153527, vintage.vintage)
    (pse,) = api.query("imports", partner="PSE", period="2024-02")
    assert pse.value == 8043 + 575512  # Gaza Strip + West Bank
    (origin,) = origins(vintage.vintage)
    assert origin.path == "census_partners.csv" and origin.url == path.resolve().as_uri()
    assert origin.size == path.stat().st_size
    # The embedded vintage is untouched.
    (old,) = api.query("exports", partner="MEX", period="2024-01", vintage=embedded_vintage())
    assert old.value == 26439153527


# The country.xlsx layout follows the Census workbook https://www.census.gov/foreign-trade/balance/country.xlsx
# as described in ../shared/docs/LIVE-SOURCES.md (section 1: "monthly exports/imports by country since
# 1985 (columns year, CTY_CODE, CTYNAME, IJAN..IDEC, EJAN..EDEC)"), with the annual IYR and EYR columns
# and values in millions of dollars with one decimal. The fixture is built from that documentation, not
# from a downloaded workbook; its values are the real 2024 values of the shared CSV for MEXICO (2010),
# CANADA (1220) and the EUROPEAN UNION grouping (0003, which the reader skips), converted to millions
# (checked by a `shared` test below).
XLSX_MILLIONS = {
    (2010, "MEXICO"): {
        "I": [37960.1, 40187.1, 41530.6, 43033.1, 43886.9, 42213.0,
              41908.9, 43685.0, 44173.8, 45483.3, 42242.7, 39218.6],
        "E": [26439.2, 26910.6, 26982.0, 29386.4, 29007.1, 27667.2,
              28690.6, 30051.6, 28316.7, 29057.4, 26952.2, 24570.9],
    },
    (1220, "CANADA"): {
        "I": [33398.6, 33144.9, 34033.7, 34385.5, 35640.4, 34411.9,
              35918.8, 32864.7, 34551.9, 34476.2, 33499.4, 35560.6],
        "E": [26660.0, 28598.3, 30822.1, 30681.0, 30496.2, 29787.8,
              27795.0, 30011.4, 29208.2, 30238.4, 28646.0, 26963.5],
    },
    (3, "EUROPEAN UNION"): {
        "I": [46462.6, 44435.8, 50598.8, 54508.3, 50305.3, 48798.4,
              52800.0, 52125.3, 51268.4, 51582.7, 52717.7, 50059.8],
        "E": [29632.5, 30591.2, 32598.1, 30500.6, 30505.7, 31125.9,
              30310.1, 32814.0, 29643.8, 31510.2, 32420.0, 28137.1],
    },
}
XLSX_HEADER = ["year", "CTY_CODE", "CTYNAME", *(f"I{m}" for m in MONTHS), *(f"E{m}" for m in MONTHS),
               "IYR", "EYR"]


def write_country_xlsx(path: Path, drop: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    keep = [i for i, name in enumerate(XLSX_HEADER) if name != drop]
    sheet.append([XLSX_HEADER[i] for i in keep])
    for (code, name), values in XLSX_MILLIONS.items():
        cells = [2024, code, name, *values["I"], *values["E"], round(sum(values["I"]), 1),
                 round(sum(values["E"]), 1)]
        sheet.append([cells[i] for i in keep])
    book.save(path)
    return path


@pytest.mark.shared
def test_xlsx_fixture_values_are_the_shared_csv_in_millions(shared):
    for (code, _), values in XLSX_MILLIONS.items():
        rows = sorted(shared_csv_rows(shared, 2024, f"{code:04d}"), key=lambda r: int(r["month"]))
        assert values["I"] == [round(int(r["imports_general_usd"]) / 1e6, 1) for r in rows]
        assert values["E"] == [round(int(r["exports_total_usd"]) / 1e6, 1) for r in rows]


def test_import_country_xlsx_reads_millions(tmp_path):
    before = vintage_ids()
    path = write_country_xlsx(tmp_path / "country.xlsx")

    vintage = api.import_file("census_trade", path)

    assert vintage_ids() == [vintage.vintage, *before]
    stored = observations(vintage.vintage)
    assert {p for p, _, _ in stored} == {"MEX", "CAN"}  # the EU grouping row is skipped
    assert len(stored) == 2 * 2 * 12
    assert stored[("MEX", "export", "2024-01")] == 26_439_200_000  # 26439.2 million
    assert stored[("CAN", "import", "2024-12")] == 35_560_600_000  # 35560.6 million
    # The annual sum is the CSV's within the workbook's rounding (0.05 million a month).
    (new,) = api.query("exports", partner="MEX", period="2024")
    (old,) = api.query("exports", partner="MEX", period="2024", vintage=embedded_vintage())
    assert new.vintage == vintage.vintage
    assert new.value is not None and old.value is not None
    assert abs(new.value - old.value) <= 12 * 0.05e6


def test_country_xlsx_missing_a_column_is_a_data_error_naming_it(tmp_path):
    before = vintage_ids()
    path = write_country_xlsx(tmp_path / "country.xlsx", drop="EJAN")
    with pytest.raises(DataError) as info:
        api.import_file("census_trade", path)
    assert "EJAN" in info.value.what
    assert info.value.where == str(path)
    assert vintage_ids() == before


@pytest.mark.parametrize(("name", "content"), [
    ("notes.txt", b"U.S. trade with Mexico, 2024\n"),
    ("other.csv", b"country,value\nMEXICO,1\n"),
    ("partners.json", (FIXTURES / "exports_hs_2024.json").read_bytes()),
    ("country.xlsx", b"this is not a zip file"),
])
def test_file_in_no_known_layout_is_a_data_error(tmp_path, name, content):
    before = vintage_ids()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        api.import_file("census_trade", path)
    assert info.value.where == str(path)
    assert vintage_ids() == before


def test_import_of_a_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        api.import_file("census_trade", tmp_path / "nowhere.csv")


def test_two_imports_in_the_same_second_make_two_vintages(tmp_path, monkeypatch):
    monkeypatch.setattr(api, "_now", lambda: "2026-11-29T02:00:00Z")  # both imports in the same second
    first = write_csv(tmp_path / "a.csv", CSV_HEADER, REAL_CSV_ROWS[:2])
    second = write_csv(tmp_path / "b.csv", CSV_HEADER, REAL_CSV_ROWS[2:])
    one = api.import_file("census_trade", first)
    two = api.import_file("census_trade", second)
    assert one.vintage != two.vintage
    assert len(vintage_ids()) == 3


# --- the command line -------------------------------------------------------------------------------

def test_cli_query_json_from_the_embedded_snapshot():
    args = ["query", "tdr", "--partner", "MEX", "--period", "2024", "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)
    assert {"value", "unit", "period", "source", "vintage", "badge"} <= set(record)
    assert record["badge"] == "computed"
    assert record["vintage"] == embedded_vintage()
    assert (record["unit"], record["period"], record["partner"]) == ("ratio", "2024", "MEX")
    assert "U.S. Census Bureau" in record["source"]
    assert round(record["value"], 2) == 0.51  # LIVE-SOURCES.md "2024 check: MEX 0.51"


@pytest.mark.parametrize(("args", "named"), [
    (["query", "no_such_indicator", "--partner", "MEX", "--period", "2024"], "no_such_indicator"),
    (["query", "tdr", "--partner", "XYZ", "--period", "2024"], "XYZ"),
])
def test_cli_unknown_code_is_one_line_and_exit_1(args, named):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and named in lines[0]
    assert result.stdout == ""


def test_cli_update_offline_is_one_line_exit_1_and_changes_nothing(monkeypatch):
    before = vintage_ids()
    monkeypatch.setenv("USMCA_OFFLINE", "1")
    result = CliRunner().invoke(app, ["update", "census_trade"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "USMCA_OFFLINE=1" in lines[0] and f"{BASE}/exports/hs" in lines[0]
    assert vintage_ids() == before


def test_update_offline_raises_network_error(monkeypatch):
    monkeypatch.setenv("USMCA_OFFLINE", "1")
    with pytest.raises(NetworkError):
        api.update("census_trade")


# --- the declared quirks ----------------------------------------------------------------------------

def test_quirk_exports_to_canada_are_canadian_import_data_in_three_languages():
    quirks = source_specs()["census_trade"].quirks
    canada = [q for q in quirks if "Canadian import data" in q.en]
    assert len(canada) == 1
    (quirk,) = canada
    assert "exports to Canada" in quirk.en
    assert quirk.es is not None and "exportaciones de EE. UU. a Canadá" in quirk.es
    assert "datos de importación de Canadá" in quirk.es
    assert quirk.fr is not None and "exportations des États-Unis vers le Canada" in quirk.fr
    assert "données d'importation canadiennes" in quirk.fr
    assert {quirk.get(lang) for lang in ("en", "es", "fr")} == {quirk.en, quirk.es, quirk.fr}
