"""The HTTP client: cache, retries with backoff honouring Retry-After, secrets kept out of messages
and the cache, the offline switch, and the user agent. Every reply comes from an ``httpx.MockTransport``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usmca_monitor.model.errors import NetworkError
from usmca_monitor.sources.http import USER_AGENT, HttpClient, public_url

URL = "https://api.census.gov/data/timeseries/intltrade/exports/hs"
PARAMS = {"get": "CTY_CODE,CTY_NAME,ALL_VAL_MO", "time": "from 2024-01 to 2024-12"}
BODY = b'[["CTY_CODE","CTY_NAME","ALL_VAL_MO","time"],["2010","MEXICO","26439153527","2024-01"]]'


class Recorder:
    """A MockTransport handler that answers from a list of replies and records every request."""

    def __init__(self, *replies: httpx.Response | Callable[[httpx.Request], httpx.Response]) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        return reply(request) if callable(reply) else reply


def client_for(handler: Recorder, cache_dir: Path | None, sleeps: list[float] | None = None,
               **kwargs: object) -> HttpClient:
    record = sleeps if sleeps is not None else []
    return HttpClient(cache_dir, transport=httpx.MockTransport(handler), sleep=record.append,
                      **kwargs)  # type: ignore[arg-type]


def ok() -> httpx.Response:
    return httpx.Response(200, content=BODY)


def test_second_get_is_answered_from_the_cache(tmp_path) -> None:
    handler = Recorder(ok())
    client = client_for(handler, tmp_path / "cache")
    first = client.get(URL, PARAMS)
    second = client.get(URL, PARAMS)
    assert len(handler.requests) == 1
    assert (first.from_cache, second.from_cache) == (False, True)
    assert first.content == second.content == BODY
    assert second.status == 200
    assert second.json() == json.loads(BODY)


def test_cache_is_per_url_and_survives_a_new_client(tmp_path) -> None:
    handler = Recorder(ok())
    client_for(handler, tmp_path / "cache").get(URL, PARAMS)
    client_for(handler, tmp_path / "cache").get(URL, PARAMS)  # a new process, the same cache folder
    client_for(handler, tmp_path / "cache").get(URL, {**PARAMS, "time": "from 2023-01 to 2023-12"})
    assert len(handler.requests) == 2


def test_stale_cache_entry_is_fetched_again(tmp_path, monkeypatch) -> None:
    handler = Recorder(ok())
    client = client_for(handler, tmp_path / "cache", max_age=3600)
    client.get(URL, PARAMS)
    later = time.time() + 3601  # an hour and a second later: older than max_age
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(URL, PARAMS).from_cache is False
    assert len(handler.requests) == 2


def test_without_a_cache_dir_every_get_is_sent() -> None:
    handler = Recorder(ok())
    client = client_for(handler, None)
    client.get(URL, PARAMS)
    client.get(URL, PARAMS)
    assert len(handler.requests) == 2


def test_429_is_retried_after_the_seconds_in_retry_after(tmp_path) -> None:
    handler = Recorder(httpx.Response(429, headers={"Retry-After": "7"}), ok())
    sleeps: list[float] = []
    response = client_for(handler, tmp_path, sleeps, backoff=1.0).get(URL, PARAMS)
    assert response.status == 200 and response.content == BODY
    assert len(handler.requests) == 2
    assert sleeps == [7.0]  # the header's value, not the 1 s backoff


def test_429_without_retry_after_falls_back_to_the_backoff(tmp_path) -> None:
    handler = Recorder(httpx.Response(429), httpx.Response(429, headers={"Retry-After": "soon"}), ok())
    sleeps: list[float] = []
    client_for(handler, tmp_path, sleeps, backoff=0.25).get(URL, PARAMS)
    assert sleeps == [0.25, 0.5]  # no header, then an unreadable one: the doubling backoff


def test_503_backs_off_doubling_then_succeeds(tmp_path) -> None:
    handler = Recorder(httpx.Response(503), httpx.Response(503), httpx.Response(503), ok())
    sleeps: list[float] = []
    response = client_for(handler, tmp_path, sleeps, backoff=0.5, retries=4).get(URL, PARAMS)
    assert response.content == BODY
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(handler.requests) == 4


def test_gives_up_after_the_retries_with_an_error_naming_the_url(tmp_path) -> None:
    handler = Recorder(httpx.Response(503))
    sleeps: list[float] = []
    client = client_for(handler, tmp_path / "cache", sleeps, backoff=1.0, retries=3)
    with pytest.raises(NetworkError) as info:
        client.get(URL, PARAMS)
    assert len(handler.requests) == 4  # the first try and 3 retries
    assert sleeps == [1.0, 2.0, 4.0]
    message = str(info.value)
    assert "HTTP 503 after 4 attempts" in message
    assert info.value.where == public_url(str(httpx.URL(URL, params=PARAMS)))
    assert URL in message
    again = Recorder(ok())  # nothing was cached: a new client over the same cache asks again
    assert client_for(again, tmp_path / "cache").get(URL, PARAMS).from_cache is False
    assert len(again.requests) == 1


def test_404_fails_at_once_without_retry(tmp_path) -> None:
    handler = Recorder(httpx.Response(404, text="error: unknown variable 'ALL_VAL_MOO'"))
    sleeps: list[float] = []
    client = client_for(handler, tmp_path / "cache", sleeps)
    with pytest.raises(NetworkError) as info:
        client.get(URL, PARAMS)
    assert len(handler.requests) == 1
    assert sleeps == []
    assert "HTTP 404" in str(info.value) and "ALL_VAL_MOO" in str(info.value)
    assert URL in str(info.value)
    # An error is not cached: the next call asks again.
    with pytest.raises(NetworkError):
        client.get(URL, PARAMS)
    assert len(handler.requests) == 2


def test_connection_error_is_retried_once_then_named(tmp_path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    handler = Recorder(refuse)
    sleeps: list[float] = []
    with pytest.raises(NetworkError) as info:
        client_for(handler, tmp_path, sleeps, retries=4, backoff=1.0).get(URL, PARAMS)
    assert len(handler.requests) == 2
    assert sleeps == [1.0]
    assert "ConnectError" in str(info.value) and URL in str(info.value)


def test_public_url_drops_api_keys_and_keeps_the_rest() -> None:
    url = f"{URL}?get=CTY_CODE,CTY_NAME&key=SECRET123&time=2024-01"
    assert public_url(url) == f"{URL}?get=CTY_CODE,CTY_NAME&time=2024-01"
    for name in ("key", "api_key", "apikey", "KEY"):
        assert "SECRET123" not in public_url(f"{URL}?{name}=SECRET123&x=1")
    assert public_url(URL) == URL


VALUES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -,:", max_size=30)


@settings(deadline=None, max_examples=200)
@given(secret=st.text(alphabet="0123456789abcdef", min_size=16, max_size=40),
       params=st.dictionaries(st.sampled_from(["get", "time", "CTY_CODE", "YEAR", "MONTH"]), VALUES,
                              max_size=5),
       key_name=st.sampled_from(["key", "KEY", "api_key", "apikey"]))
def test_public_url_never_shows_the_key_and_keeps_every_other_parameter(secret, params, key_name):
    full = str(httpx.URL(URL, params={**params, key_name: f"K{secret}"}))
    shown = public_url(full)
    assert f"K{secret}" not in shown
    assert httpx.URL(shown).path == httpx.URL(URL).path
    assert dict(httpx.URL(shown).params) == params


def test_api_key_is_sent_but_never_shown_in_errors_responses_or_cache(tmp_path) -> None:
    handler = Recorder(ok())
    client = client_for(handler, tmp_path / "cache")
    response = client.get(URL, {**PARAMS, "key": "SECRET123"})
    assert handler.requests[0].url.params["key"] == "SECRET123"  # the publisher gets it
    assert "SECRET123" not in response.url
    cached = list((tmp_path / "cache").iterdir())
    assert cached
    for path in cached:
        assert "SECRET123" not in path.name
        assert b"SECRET123" not in path.read_bytes()

    failing = client_for(Recorder(httpx.Response(503)), tmp_path / "other", retries=1)
    with pytest.raises(NetworkError) as info:
        failing.get(URL, {**PARAMS, "key": "SECRET123"})
    assert "SECRET123" not in str(info.value)
    assert "key=" not in info.value.where


def test_offline_switch_raises_without_any_request(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("USMCA_OFFLINE", "1")
    handler = Recorder(ok())
    with pytest.raises(NetworkError) as info:
        client_for(handler, tmp_path / "cache").get(URL, PARAMS)
    assert handler.requests == []
    assert "USMCA_OFFLINE=1" in str(info.value)
    assert URL in str(info.value)


def test_offline_switch_still_serves_the_cache(tmp_path, monkeypatch) -> None:
    handler = Recorder(ok())
    client = client_for(handler, tmp_path / "cache")
    client.get(URL, PARAMS)
    monkeypatch.setenv("USMCA_OFFLINE", "1")
    assert client.get(URL, PARAMS).from_cache is True
    assert len(handler.requests) == 1


def test_user_agent_is_sent(tmp_path) -> None:
    handler = Recorder(ok())
    client_for(handler, tmp_path).get(URL, PARAMS)
    agent = handler.requests[0].headers["User-Agent"]
    assert agent == USER_AGENT
    assert agent.startswith("usmca-monitor/")


def test_response_json_error_names_the_url(tmp_path) -> None:
    handler = Recorder(httpx.Response(200, content=b"<html>busy</html>"))
    response = client_for(handler, tmp_path).get(URL, PARAMS)
    with pytest.raises(NetworkError) as info:
        response.json()
    assert "not JSON" in str(info.value) and URL in str(info.value)
