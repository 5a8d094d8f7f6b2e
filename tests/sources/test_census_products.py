"""The Census source's product detail: HS2/HS4/HS6, NAICS and Advanced Technology Products by country,
fetched by the queries declared in ``catalog/sources/census_trade.yaml`` and parsed from recorded answers.

No test touches the network (``census_mock.CensusApi``). The HS2 import answer holds real rows of the
shipped API answers; the other product answers hold synthetic values in the documented shape (see
``tests/fixtures/census/make_product_fixtures.py``): tests on them check parsing and mapping, never a
statistic.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from usmca_monitor import api
from usmca_monitor.cli import app
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.model.specs import LiveQuery, LiveSpec
from usmca_monitor.sources.census_api import Accumulator, Call, call_for, parse_answer, plan
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.registry import source_specs

from .census_mock import CensusApi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "census"
BASE = "https://api.census.gov/data/timeseries/intltrade"
# The Census codes in the fixtures and their areas ('-' is the total for all countries).
AREAS = {"-": "WLD", "1220": "CAN", "2010": "MEX", "5700": "CHN", "5830": "TWN"}
# fixture file → (series, product prefix, flow)
ANSWERS = {
    "imports_hs_HS2_2024.json": ("census.trade.hs2", "HS", "import"),
    "exports_hs_HS4_2024.json": ("census.trade.hs4", "HS", "export"),
    "imports_hs_HS4_2024.json": ("census.trade.hs4", "HS", "import"),
    "imports_hs_HS6_2024.json": ("census.trade.hs6", "HS", "import"),
    "imports_hs_HS6_world_2024.json": ("census.trade.hs6", "HS", "import"),
    "exports_naics_NA3_2024.json": ("census.trade.naics", "NAICS", "export"),
    "imports_naics_NA3_2024.json": ("census.trade.naics", "NAICS", "import"),
    "exports_hitech_2024.json": ("census.trade.hitech", "ATP", "export"),
    "imports_hitech_2024.json": ("census.trade.hitech", "ATP", "import"),
}


def fixture_table(name: str) -> tuple[list[str], list[list[str]]]:
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data[0], data[1:]


def expected(series: str) -> dict[tuple[str, str, str, str], float]:
    """(partner, product, flow, period) → value, summed by hand from the fixtures of ``series``."""
    sums: dict[tuple[str, str, str, str], float] = defaultdict(float)
    for name, (fixture_series, prefix, flow) in ANSWERS.items():
        if fixture_series != series:
            continue
        header, rows = fixture_table(name)
        for row in rows:
            partner = AREAS[row[header.index("CTY_CODE")]]
            value = float(next(v for h, v in zip(header, row, strict=True) if h.endswith("_VAL_MO")))
            sums[(partner, f"{prefix}:{row[0]}", flow, row[-1])] += value
    return sums


def stored(vintage: str, series: str) -> dict[tuple[str, str, str, str], float]:
    with api.open_session() as session:
        rows = session.observations(vintage, series).to_pylist()
    return {(str(r["partner"]), str(r["product"]), str(r["flow"]), str(r["period"])): float(r["value"])
            for r in rows}


def no_sleep(seconds: float) -> None:
    raise AssertionError(f"no retry expected (asked to sleep {seconds}s)")


def client(handler: CensusApi, tmp_path: Path) -> HttpClient:
    return HttpClient(tmp_path / "http-cache", transport=httpx.MockTransport(handler), sleep=no_sleep)


@pytest.fixture
def live_vintage(tmp_path):
    """A live update from the recorded answers (into the test's temporary USMCA_HOME)."""
    return api.update("census_trade", client=client(CensusApi("204"), tmp_path)).vintage


@pytest.mark.parametrize("series", ["census.trade.hs2", "census.trade.hs4", "census.trade.hs6",
                                    "census.trade.naics", "census.trade.hitech"])
def test_live_update_stores_every_product_series_as_answered(live_vintage, series):
    want = expected(series)
    assert want, "the fixtures hold rows of every product series"
    assert stored(live_vintage, series) == want


def test_hitech_answers_become_the_atp_categories(live_vintage):
    products = {k[1] for k in stored(live_vintage, "census.trade.hitech")}
    assert products == {"ATP:04", "ATP:08", "ATP:10"}  # the categories the fixture holds


def test_world_answer_is_the_world_total(live_vintage):
    world = {k for k in stored(live_vintage, "census.trade.hs6") if k[0] == "WLD"}
    assert {k[1] for k in world} == {"HS:854143", "HS:847130", "HS:850440"}


def test_predicate_column_sent_twice_reads_the_first(live_vintage):
    """The HS6 answer repeats CTY_CODE (asked for and a predicate): partners come out right."""
    partners = {k[0] for k in stored(live_vintage, "census.trade.hs6")}
    assert partners == {"MEX", "CHN", "TWN", "WLD"}


@pytest.mark.shared
def test_hs2_answer_rows_are_real_rows_of_the_shipped_file(shared):
    """Every row of the HS2 import answer is the shipped Census answer's value (nothing invented)."""
    import pyarrow.parquet as pq

    table = pq.read_table(shared / "trade_product" / "census_us_imports_hs2_by_country_monthly_2023_2024.parquet")
    shipped = {(r["hs2"], r["cty_code"], f"{r['year']}-{r['month']:02d}"): r["imports_general_usd"]
               for r in table.to_pylist() if r["year"] == 2024}
    _header, rows = fixture_table("imports_hs_HS2_2024.json")
    assert len(rows) == 3 * 4 * 12
    for row in rows:
        assert int(row[3]) == shipped[(row[0], row[1], row[5])]


def test_live_hs2_share_equals_the_embedded_share(live_vintage):
    """Mexico's share of U.S. imports in HS 85 for 2024 from the live answers equals the embedded
    snapshot's (both are the same Census rows: 18.2%, see the technology page's proxy table)."""
    (live,) = api.query("hs2_share_of_us_imports", partner="MEX", product="HS:85", period="2024")
    with api.open_session() as session:
        embedded = [v.vintage for v in session.vintages("census_trade") if v.vintage != live_vintage]
    (pinned,) = api.query("hs2_share_of_us_imports", partner="MEX", product="HS:85", period="2024",
                          vintage=embedded[0])
    assert live.vintage == live_vintage
    assert live.value == pytest.approx(pinned.value, rel=1e-12)
    assert round(live.value, 1) == 18.2


def test_hs4_indicator_sums_the_answered_months(live_vintage):
    """hs4_imports for 2024-Q1 is the sum of the three monthly rows the answer holds (synthetic values)."""
    want = sum(v for (partner, product, flow, _), v in expected("census.trade.hs4").items()
               if (partner, product, flow) == ("CHN", "HS:8701", "import"))
    (row,) = api.query("hs4_imports", partner="CHN", product="HS:8701", period="2024-Q1")
    assert (row.value, row.vintage, row.badge) == (want, live_vintage, "computed")


def test_query_of_a_live_only_series_says_which_update_fills_it():
    result = CliRunner().invoke(app, ["query", "hs4_imports", "--partner", "CHN"])
    assert result.exit_code == 0
    assert "no census.trade.hs4 observations" in result.output
    assert "usmca update census_trade" in result.output


def test_update_of_one_query_keeps_the_other_series_from_the_older_vintage(tmp_path):
    """``--query hitech`` makes only the hitech calls; the TDR still answers, from the embedded vintage."""
    (before,) = api.query("tdr", partner="MEX", period="2024")
    handler = CensusApi("204")
    vintage = api.update("census_trade", client=client(handler, tmp_path), queries=["hitech"])
    assert {r.url.path.rsplit("/", 1)[-1] for r in handler.requests} == {"hitech"}
    assert stored(vintage.vintage, "census.trade.hitech") == expected("census.trade.hitech")
    assert stored(vintage.vintage, "census.trade.partner") == {}
    assert api.query("tdr", partner="MEX", period="2024") == [before]


def test_update_of_an_undeclared_query_is_refused_and_changes_nothing():
    """Refused before any call (the network guard would fail the test otherwise); no new vintage."""
    with api.open_session() as session:
        before = [v.vintage for v in session.vintages("census_trade")]
    result = CliRunner().invoke(app, ["update", "census_trade", "--query", "sitc"])
    assert result.exit_code == 1
    assert "census_trade has no live query sitc" in result.output
    assert "use one of: partner, hs2, hs4, hs6, naics3, naics4, naics6, hs10, hitech" in result.output
    with api.open_session() as session:
        assert [v.vintage for v in session.vintages("census_trade")] == before


# --- one answer at a time ---------------------------------------------------------------------------

def query(**kwargs: object) -> LiveQuery:
    return LiveQuery(**{"name": "q", "series": "s", **kwargs})  # type: ignore[arg-type]


def parse(call: Call, table: list[list[str]]) -> list[dict[str, object]]:
    acc = Accumulator(load_codelists(), "test", "s")
    parse_answer(call, json.dumps(table).encode(), "https://example.test/answer", acc)
    return acc.rows()


def test_hitech_total_row_is_not_kept_and_one_digit_codes_are_padded():
    """The documentation does not say how the API codes the all-ATP total; '-', '0' and '00' are
    dropped (the total is the sum of the ten), a one-digit category is padded."""
    call = Call(query(endpoint="hitech"), "import", 2024)
    rows = parse(call, [["HITECH", "CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"],
                        ["-", "2010", "MEXICO", "9", "2024-01"], ["00", "2010", "MEXICO", "9", "2024-01"],
                        ["4", "2010", "MEXICO", "5", "2024-01"]])
    assert [(r["product"], r["value"]) for r in rows] == [("ATP:04", 5.0)]


@pytest.mark.parametrize(("kwargs", "table", "message"), [
    pytest.param({"endpoint": "hitech"}, [["HITECH", "CTY_CODE", "GEN_VAL_MO", "time"], ["11", "2010", "1", "2024-01"]],
                 "HITECH '11' is not an ATP category", id="atp-11"),
    pytest.param({"endpoint": "hs", "level": "HS4"}, [["I_COMMODITY", "CTY_CODE", "GEN_VAL_MO", "time"],
                                                     ["870899", "2010", "1", "2024-01"]],
                 "I_COMMODITY '870899' is not a HS4 code", id="hs6-code-in-hs4-answer"),
    pytest.param({"endpoint": "naics", "level": "NA3"}, [["NAICS", "CTY_CODE", "GEN_VAL_MO", "time"],
                                                        ["3361", "2010", "1", "2024-01"]],
                 "NAICS '3361' is not a NA3 code", id="na4-code-in-na3-answer"),
    pytest.param({"endpoint": "naics", "level": "NA3"}, [["CTY_CODE", "GEN_VAL_MO", "time"], ["2010", "1", "2024-01"]],
                 "missing column(s) NAICS", id="naics-column-missing"),
    pytest.param({"endpoint": "hs", "level": "HS2"}, [["I_COMMODITY", "CTY_CODE", "GEN_VAL_MO", "time"],
                                                     ["85", "9999", "1", "2024-01"]],
                 "unknown Census country code '9999'", id="unknown-country"),
])
def test_bad_answers_are_data_errors_naming_the_url(kwargs, table, message):
    with pytest.raises(DataError) as info:
        parse(Call(query(**kwargs), "import", 2024), table)
    assert message in str(info.value)
    assert info.value.where == "https://example.test/answer"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"endpoint": "sitc"}, "endpoint 'sitc' is not one of hs, naics, hitech"),
    ({"endpoint": "hs", "level": "NA3"}, "level 'NA3' does not exist for hs"),
    ({"endpoint": "naics"}, "the naics endpoint needs a level"),
    ({"endpoint": "hs", "flows": ["re-export"]}, "flow(s) re-export unknown"),
])
def test_a_query_the_api_cannot_answer_is_refused_before_any_call(kwargs, message):
    live = LiveSpec(base_url=BASE, start="2024-01", queries=[query(**kwargs)])
    with pytest.raises(DataError) as info:
        plan(live, dt.date(2024, 6, 1))
    assert message in str(info.value)


def test_plan_makes_one_call_per_query_flow_and_year_plus_world_totals_for_partner_queries():
    live = LiveSpec(base_url=BASE, start="2023-01", queries=[
        query(name="a", endpoint="hitech"),
        query(name="b", endpoint="hs", level="HS6", flows=["import"], partners=["2010"], start="2024-01")])
    names = [c.name for c in plan(live, dt.date(2024, 6, 1))]
    assert names == ["a:export:2023", "a:import:2023", "a:export:2024", "a:import:2024",
                     "b:import:2024", "b:import:2024:world"]
    world = plan(live, dt.date(2024, 6, 1))[-1]
    assert world.params() == {"get": "I_COMMODITY,GEN_VAL_MO", "COMM_LVL": "HS6", "CTY_CODE": "-",
                              "time": "from 2024-01 to 2024-12"}


def test_declared_queries_match_the_api_documentation():
    """Every declared query passes the check, and its calls are ones the stand-in API accepts."""
    live = source_specs()["census_trade"].live
    assert live is not None
    calls = plan(live)
    assert {c.query.series for c in calls} == {"census.trade.partner", "census.trade.hs2", "census.trade.hs4",
                                               "census.trade.hs6", "census.trade.naics", "census.trade.hitech"}
    for call in calls:
        request = httpx.Request("GET", httpx.URL(f"{BASE}/{call.path}", params=call.params()))
        assert not CensusApi.fixture_name(request).startswith("error"), call.name


def test_payload_names_of_before_the_queries_still_parse():
    live = source_specs()["census_trade"].live
    assert live is not None
    assert call_for("export:2024", live).query.name == "partner"
    with pytest.raises(DataError):
        call_for("nosuchquery:import:2024", live)
