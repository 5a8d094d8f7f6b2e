"""The World Bank source: live update from recorded Indicators API v2 answers (tests/fixtures/worldbank,
real WDI rows in the API's documented shape), paging, refused and malformed answers (store unchanged),
the WDI CSV reader against the shared extract, and the units of the series."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import httpx
import pytest

from usmca_monitor import api
from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.worldbank import ECONOMIES, read_wdi_csv, unit_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "worldbank"
PATH = re.compile(r"^/v2/country/(?P<codes>[^/]+)/indicator/(?P<code>[^/]+)$")
WDI_CSV = "wdi/wdi_selected_indicators_usmca_and_peers_1990_2025.csv"


class WorldBankApi:
    """A MockTransport handler standing in for api.worldbank.org/v2: recorded answers by indicator code
    (and page); every other declared code answers 'no data'. ``override`` replaces one code's answer."""

    def __init__(self, override: dict[str, bytes] | None = None) -> None:
        self.override = override or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        match = PATH.match(request.url.path)
        assert match and request.url.host == "api.worldbank.org", request.url
        code, page = match["code"], request.url.params.get("page", "1")
        if code in self.override:
            return httpx.Response(200, content=self.override[code])
        for name in (f"{code}.json", f"{code}.page{page}.json"):
            if (FIXTURES / name).exists():
                return httpx.Response(200, content=(FIXTURES / name).read_bytes())
        return httpx.Response(200, content=(FIXTURES / "empty.json").read_bytes())


def _client(handler: WorldBankApi) -> HttpClient:
    return HttpClient(None, transport=httpx.MockTransport(handler), sleep=lambda _: None)


def _stored(vintage: str, series: str) -> dict[tuple[str, str], float]:
    with api.open_session() as session:
        table = session.observations(vintage, series)
    rows = zip(table["geo"].to_pylist(), table["period"].to_pylist(), table["value"].to_pylist(), strict=True)
    return {(str(g), str(p)): float(v) for g, p, v in rows}


def _recorded(name: str) -> dict[tuple[str, str], float]:
    rows = json.loads((FIXTURES / name).read_text(encoding="utf-8"))[1]
    return {(r["countryiso3code"] or "NAC", r["date"]): r["value"] for r in rows if r["value"] is not None}


def test_live_update_stores_the_recorded_values() -> None:
    """Mexico's real GDP growth as recorded from the WDI (NY.GDP.MKTP.KD.ZG; 2024 value 1.35 % in the
    WDI mirror datasets/world-development-indicators @ 4ebec5a2, July 2026) lands unchanged in a new vintage,
    with the NAC aggregate mapped from the API id XU."""
    handler = WorldBankApi()
    vintage = api.update("worldbank", client=_client(handler))
    stored = _stored(vintage.vintage, "wdi.NY.GDP.MKTP.KD.ZG")
    assert stored == _recorded("NY.GDP.MKTP.KD.ZG.json")
    assert round(stored[("MEX", "2024")], 2) == 1.35
    assert ("NAC", "2024") in stored
    first = handler.requests[0].url
    assert first.params["format"] == "json" and first.params["per_page"] == "20000"
    assert re.fullmatch(r"1990:\d{4}", first.params["date"])
    assert PATH.match(first.path)["codes"] == ";".join(ECONOMIES)  # type: ignore[index]


def test_pages_are_followed() -> None:
    handler = WorldBankApi()
    vintage = api.update("worldbank", client=_client(handler))
    pages = [r.url.params.get("page", "1") for r in handler.requests if r.url.path.endswith("/SL.UEM.TOTL.ZS")]
    assert pages == ["1", "2"]
    expected = _recorded("SL.UEM.TOTL.ZS.page1.json") | _recorded("SL.UEM.TOTL.ZS.page2.json")
    assert _stored(vintage.vintage, "wdi.SL.UEM.TOTL.ZS") == expected


@pytest.mark.parametrize(("answer", "message"), [
    ((FIXTURES / "error_120.json").read_bytes(), r"refused the request \(120 Invalid value"),
    (b"<html><body>Service unavailable</body></html>", "not JSON"),
    (b'{"page": 1}', r"not the API's \[metadata, rows\] array"),
    (json.dumps([{"page": 1, "pages": 1}, [{"indicator": {"id": "XX.UNKNOWN"}, "country": {"id": "MX"},
                                            "countryiso3code": "MEX", "date": "2024", "value": 1.0}]]).encode(),
     "WDI code 'XX.UNKNOWN' is not declared"),
    (json.dumps([{"page": 1, "pages": 1}, [{"indicator": {"id": "NY.GDP.MKTP.KD.ZG"}, "country": {"id": "MX"},
                                            "countryiso3code": "MEX", "date": "2024Q1", "value": 1.0}]]).encode(),
     "date '2024Q1' is not a year"),
])
def test_bad_answers_name_the_url_and_leave_the_store(answer: bytes, message: str) -> None:
    with api.open_session() as session:
        before = [v.vintage for v in session.vintages()]
    with pytest.raises(DataError, match=message) as info:
        api.update("worldbank", client=_client(WorldBankApi({"NY.GDP.MKTP.KD.ZG": answer})))
    assert "api.worldbank.org/v2/country/" in str(info.value) and "fix:" in str(info.value)
    with api.open_session() as session:
        assert [v.vintage for v in session.vintages()] == before


def test_csv_reader_equals_the_shared_extract(shared: Path) -> None:
    """Every non-empty row of the shared WDI extract becomes one observation with the same value (e.g.
    Mexico's 2024 GDP per person employed, SL.GDP.PCAP.EM.KD, is in the companion file)."""
    path = shared / WDI_CSV
    rows = list(read_wdi_csv(path, load_codelists()))
    with path.open(newline="", encoding="utf-8") as fh:
        expected = {(r["indicator_code"], r["iso3"], r["year"]): float(r["value"]) for r in csv.DictReader(fh)
                    if r["value"].strip()}
    got = {(str(r["series"])[4:], str(r["geo"]), str(r["period"])): r["value"] for r in rows}
    assert got == expected
    assert all(r["freq"] == "A" and r["measure"] == "value" for r in rows)


def test_csv_reader_rejects_undeclared_codes_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "wdi.csv"
    path.write_text("indicator_code,country_name,iso3,year,value\nXX.NEW,Mexico,MEX,2024,1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"wdi\.csv: WDI code 'XX.NEW' is not declared \(line 2\)"):
        list(read_wdi_csv(path, load_codelists()))
    path.write_text("indicator_code,country_name,iso3,year,value\nSL.UEM.TOTL.ZS,Mexico,MEX,2024,n/a\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"value 'n/a' is not a number \(line 2\)"):
        list(read_wdi_csv(path, load_codelists()))


def test_units_follow_the_codes() -> None:
    assert unit_of("SL.UEM.TOTL.ZS") == "percent" and unit_of("NY.GDP.MKTP.KD.ZG") == "percent"
    assert unit_of("NY.GDP.MKTP.CD") == "USD" and unit_of("TX.VAL.MRCH.CD.WT") == "USD"
    assert unit_of("NY.GDP.PCAP.PP.CD") == "intl_USD_PPP" and unit_of("LP.LPI.OVRL.XQ") == "score_1_5"
    with pytest.raises(DataError, match="no unit known"):
        unit_of("XX.ODD.CODE")
