"""The fault suite (issue #13, item 8): every live adapter on its recorded answers, then the same update
with one fault — a timeout, a reset connection, 429 with Retry-After, 500 and 503, a truncated or invalid
answer, an HTML error page instead of data, renamed or missing columns, an empty answer. Each ends in a
retry that succeeds or in one clear error (one line, no secret), and the last good vintage stays: the store
is byte for byte as it was."""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.goal3.test_agrifood_live import _answers as ers_answers
from tests.sources.census_mock import CensusApi
from tests.sources.test_worldbank import WorldBankApi
from usmca_monitor import api
from usmca_monitor.catalog import source_specs
from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.sources.http import HttpClient

Handler = Callable[[httpx.Request], httpx.Response]
OWID = Path(__file__).resolve().parents[1] / "facts" / "fixtures" / "owid_energy_data_recorded.csv"
FAS = Path(__file__).resolve().parents[1] / "fixtures" / "fas"
KEY = "fault-suite-secret-key-0123"


def _first_line(content: bytes, old: bytes, new: bytes) -> bytes:
    head, sep, rest = content.partition(b"\n")
    return head.replace(old, new) + sep + rest


@dataclass
class Live:
    """One live adapter: its recorded answers, how a column is renamed or dropped in them, and its set-up."""

    source: str
    good: Callable[[], Handler]
    rename: Callable[[bytes], bytes]
    drop: Callable[[bytes], bytes]
    empty: bytes | None  # the body of "no data" (None: HTTP 204)
    queries: list[str] | None = None
    setup: Callable[[pytest.MonkeyPatch], None] = field(default=lambda _: None)


def _owid() -> Handler:
    return lambda request: httpx.Response(200, content=OWID.read_bytes())


def _ers() -> Handler:
    answers = ers_answers()
    return lambda request: httpx.Response(200, content=answers[str(request.url)])


class _FasDate(dt.date):
    @classmethod
    def today(cls) -> _FasDate:
        return cls(2019, 3, 15)  # the update asks for January and February 2019 only


def _fas_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    from usmca_monitor.sources import fas_gats

    monkeypatch.setenv("FAS_API_KEY", KEY)
    monkeypatch.setattr(source_specs()["fas_gats"].live, "start", "2019-01")
    monkeypatch.setattr(fas_gats, "dt", types.SimpleNamespace(date=_FasDate, datetime=dt.datetime, UTC=dt.UTC))


def _fas() -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params.get("api_key") == KEY
        if request.url.path == "/api/gats/countries":
            return httpx.Response(200, content=(FAS / "countries.json").read_bytes())
        if request.url.path == "/api/gats/censusExports/partnerCode/MX/year/2019/month/01":
            return httpx.Response(200, content=(FAS / "census_exports_MX_2019_01.json").read_bytes())
        return httpx.Response(200, content=b"[]")
    return handler


def _wb_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = source_specs()["worldbank"]
    keep = {k: v for k, v in spec.series.items() if k in ("wdi.NY.GDP.MKTP.KD.ZG", "wdi.SL.UEM.TOTL.ZS")}
    monkeypatch.setattr(spec, "series", keep)  # the two recorded indicators (the others would answer "no data")


LIVE = {
    "census_trade": Live("census_trade", lambda: CensusApi(empty="204"),
                         rename=lambda c: c.replace(b'"GEN_VAL_MO"', b'"GEN_VALUE_MO"').replace(
                             b'"ALL_VAL_MO"', b'"ALL_VALUE_MO"'),
                         drop=lambda c: c.replace(b'"CTY_CODE",', b"").replace(b'"CTY_CODE"', b""),
                         empty=None, queries=["partner"]),
    "worldbank": Live("worldbank", WorldBankApi, rename=lambda c: c.replace(b'"date"', b'"year"'),
                      drop=lambda c: re.sub(rb'"value":\s*[-0-9.eE]+,?', b"", c),
                      empty=b'[{"page": 1, "pages": 0, "per_page": 20000, "total": 0}, null]', setup=_wb_setup),
    "owid_energy": Live("owid_energy", _owid, rename=lambda c: _first_line(c, b"gas_share_elec", b"gas_share"),
                        drop=lambda c: _first_line(c, b"iso_code", b"code"), empty=b""),
    "usda_ers": Live("usda_ers", _ers, rename=lambda c: _first_line(c, b"FoodValue", b"Food_Value"),
                     drop=lambda c: _first_line(c, b"Country,", b""), empty=b""),
    "fas_gats": Live("fas_gats", _fas, rename=lambda c: c.replace(b'"hS10Code"', b'"hs10"'),
                     drop=lambda c: c.replace(b'"value"', b'"valor"'), empty=b"[]", setup=_fas_setup),
}


@dataclass
class Fault:
    """What goes wrong, and whether the update must succeed after retrying or fail with one clear error."""

    name: str
    ends: str  # "retry" or "error"
    make: Callable[[Live, Handler], Handler]


def _data(response: httpx.Response) -> bool:
    return response.status_code == 200 and bool(response.content.strip(b" \n[]"))


def _raise_always(error: type[httpx.TransportError], message: str) -> Callable[[Live, Handler], Handler]:
    def make(live: Live, good: Handler) -> Handler:
        def handler(request: httpx.Request) -> httpx.Response:
            raise error(message, request=request)
        return handler
    return make


def _once(bad: Callable[[httpx.Request], httpx.Response]) -> Callable[[Live, Handler], Handler]:
    """The first request of every URL goes wrong, the second is answered."""
    def make(live: Live, good: Handler) -> Handler:
        seen: set[str] = set()

        def handler(request: httpx.Request) -> httpx.Response:
            if str(request.url) not in seen:
                seen.add(str(request.url))
                return bad(request)
            return good(request)
        return handler
    return make


def _content(change: Callable[[Live, bytes], bytes]) -> Callable[[Live, Handler], Handler]:
    """Every answer that holds data is changed."""
    def make(live: Live, good: Handler) -> Handler:
        def handler(request: httpx.Request) -> httpx.Response:
            response = good(request)
            if not _data(response):
                return response
            return httpx.Response(200, content=change(live, response.content))
        return handler
    return make


def _empty(live: Live, good: Handler) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        response = good(request)
        if not _data(response) or (b"countryCode" in response.content[:200] and b"gencCode" in response.content[:400]):
            return response  # FAS's list of countries is not data
        return httpx.Response(204) if live.empty is None else httpx.Response(200, content=live.empty)
    return handler


def _cut(live: Live, content: bytes) -> bytes:
    cut = len(content) // 2
    while content[cut - 1:cut] in (b"\n", b",", b'"'):
        cut += 1
    return content[:cut]


def _raise_once(error: type[httpx.TransportError], message: str) -> Callable[[httpx.Request], httpx.Response]:
    def bad(request: httpx.Request) -> httpx.Response:
        raise error(message, request=request)
    return bad


HTML = b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body>Try later</body></html>"
FAULTS = [
    Fault("timeout", "error", _raise_always(httpx.ReadTimeout, "timed out")),
    Fault("timeout-then-answer", "retry", _once(_raise_once(httpx.ReadTimeout, "timed out"))),
    Fault("reset", "error", _raise_always(httpx.ReadError, "[Errno 104] Connection reset by peer")),
    Fault("reset-then-answer", "retry", _once(_raise_once(httpx.RemoteProtocolError, "Server disconnected"))),
    Fault("429-retry-after", "retry", _once(lambda r: httpx.Response(429, headers={"Retry-After": "7"}))),
    Fault("429-wait-too-long", "error",
          lambda live, good: lambda r: httpx.Response(429, headers={"Retry-After": "86400"})),
    Fault("500", "error", lambda live, good: lambda r: httpx.Response(500, text="Internal Server Error")),
    Fault("503-then-answer", "retry", _once(lambda r: httpx.Response(503))),
    Fault("truncated", "error", _content(_cut)),
    Fault("invalid", "error", _content(lambda live, c: b"{" + c[1:40] + b"\x00\xff garbage")),
    Fault("html-error-page", "error", _content(lambda live, c: HTML)),
    Fault("renamed-columns", "error", _content(lambda live, c: live.rename(c))),
    Fault("missing-columns", "error", _content(lambda live, c: live.drop(c))),
    Fault("empty", "error", _empty),
]


def _state(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file() and "http-cache" not in p.parts}


def _update(live: Live, handler: Handler, sleeps: list[float]) -> object:
    client = HttpClient(None, transport=httpx.MockTransport(handler), sleep=sleeps.append, retries=3, backoff=0.01)
    try:
        return api.update(live.source, client=client, queries=live.queries)
    finally:
        client.close()


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
@pytest.mark.parametrize("source", sorted(LIVE))
def test_every_fault_ends_in_a_retry_or_one_clear_error(source: str, fault: Fault, usmca_home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    live = LIVE[source]
    live.setup(monkeypatch)
    good = _update(live, live.good(), [])
    before = _state(usmca_home)
    sleeps: list[float] = []
    try:
        again = _update(live, fault.make(live, live.good()), sleeps)
    except UsmcaError as exc:
        message = str(exc)
        assert fault.ends == "error", f"{fault.name}: {message}"
        assert "\n" not in message and KEY not in message and "Traceback" not in message
        assert _state(usmca_home) == before  # the last good vintage stays, nothing half-written
        with api.open_session() as session:
            assert session.current_vintage(source).vintage == good.vintage  # type: ignore[union-attr, attr-defined]
        return
    assert fault.ends == "retry", f"{fault.name}: the update succeeded on a faulty answer"
    assert again.vintage != good.vintage  # type: ignore[attr-defined]
    assert sleeps, "a retry waits first"
    if fault.name == "429-retry-after":
        assert set(sleeps) == {7.0}  # the publisher's Retry-After, not the backoff


def test_the_fault_suite_covers_every_live_source() -> None:
    assert set(LIVE) == {sid for sid, spec in source_specs().items() if spec.live is not None}
