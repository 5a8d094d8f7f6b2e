"""The FAS GATS live adapter on answers BUILT FROM THE DOCUMENTATION (tests/fixtures/fas/README): the
key comes from the environment and never reaches a URL, partner codes are resolved through
/gats/countries, HS10 records are summed to chapters and kept HS6 subheadings; a missing key is one
clear error."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from usmca_monitor.codelists import load_codelists
from usmca_monitor.model.errors import DataError, NetworkError
from usmca_monitor.sources.base import Payload
from usmca_monitor.sources.fas_gats import parse_exports
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.sources.registry import get_adapter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fas"


def _client(tmp_path: Path, seen: list[str]) -> HttpClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        assert request.url.host == "api.fas.usda.gov" and request.url.params.get("api_key") == "test-key"
        path = request.url.path
        if path == "/api/gats/countries":
            return httpx.Response(200, content=(FIXTURES / "countries.json").read_bytes())
        if path == "/api/gats/censusExports/partnerCode/MX/year/2019/month/01":
            return httpx.Response(200, content=(FIXTURES / "census_exports_MX_2019_01.json").read_bytes())
        return httpx.Response(200, content=b"[]")
    return HttpClient(tmp_path / "cache", transport=httpx.MockTransport(handler), sleep=lambda _: None)


def test_fetch_and_parse_built_from_the_documentation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAS_API_KEY", "test-key")
    adapter = get_adapter("fas_gats")
    monkeypatch.setattr(adapter.spec.live, "start", "2019-01")
    seen: list[str] = []
    client = _client(tmp_path, seen)
    payloads = adapter.fetch(client, load_codelists(), lambda _: None)
    client.close()
    assert all("test-key" not in p.origin.url for p in payloads)
    rows = adapter.parse_payloads(payloads, load_codelists())
    got = {(r["partner"], r["product"], r["period"]): r["value"] for r in rows}
    assert got == {("MEX", "HS:10", "2019-01"): 375000.0, ("MEX", "HS:08", "2019-01"): 40000.0,
                   ("MEX", "HS6:080440", "2019-01"): 40000.0}
    assert any("/partnerCode/KS/" in url for url in seen)  # South Korea resolved through /gats/countries


def test_missing_key_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="FAS_API_KEY"):
        get_adapter("fas_gats").fetch(_client(tmp_path, []), load_codelists(), lambda _: None)


def test_a_malformed_record_names_the_url() -> None:
    from usmca_monitor.model.specs import Origin

    origin = Origin(producer="p", title="t", url="https://api.fas.usda.gov/x", licence="l", citation="c", accessed="a")
    with pytest.raises(DataError, match="hS10Code"):
        parse_exports(Payload(data=b'[{"date": "2019-01-01"}]', origin=origin, name="exports:MEX:2019-01"))
