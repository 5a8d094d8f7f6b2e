"""Secrets (issue #13, item 11): one redaction function for every message and log line that can hold a
URL or a response body; a 403 that echoes the key never shows it; httpx's INFO lines (full URLs with keys)
are silenced; the key never reaches the cache."""

from __future__ import annotations

import logging

import httpx
import pytest

from usmca_monitor.model.errors import DataError, NetworkError
from usmca_monitor.model.redaction import RedactingFilter, redact
from usmca_monitor.sources.http import HttpClient

KEY = "k3y5ecret0123456789abcdef"
URL = "https://api.fas.usda.gov/api/gats/countries"


@pytest.mark.parametrize(("text", "hidden"), [
    (f"https://api.census.gov/data?get=X&key={KEY}&time=2024", KEY),
    (f"https://api.fas.usda.gov/api/gats?api_key={KEY}", KEY),
    (f"https://x.org/?APIKEY={KEY}#frag", KEY),
    (f"https://x.org/?token={KEY}", KEY),
    (f'{{"error": {{"code": "API_KEY_INVALID", "api_key": "{KEY}"}}}}', KEY),
    (f"Authorization: Bearer {KEY}", KEY),
    (f"X-Api-Key: {KEY}\nnext", KEY),
    (f"https://ana:{KEY}@example.org/data", KEY),
    (f"https://x.org/?key%3D{KEY}", KEY),
])
def test_redact_masks_secrets_in_urls_bodies_and_headers(text: str, hidden: str) -> None:
    shown = redact(text)
    assert hidden not in shown and "***" in shown
    assert "\n" not in shown


def test_redact_masks_the_value_of_a_secret_environment_variable_anywhere(monkeypatch) -> None:
    monkeypatch.setenv("FAS_API_KEY", KEY)
    body = f"<html><p>The key {KEY} is not valid for this API</p></html>"
    assert KEY not in redact(body)
    assert redact("a plain message about monkey=3 and keyboard") == "a plain message about monkey=3 and keyboard"


def test_errors_are_redacted_when_they_are_made(monkeypatch) -> None:
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    error = DataError(f"the answer is not JSON (starts '{KEY}')", f"https://api.census.gov/x?key={KEY}",
                      f"check {KEY}")
    assert KEY not in str(error) and KEY not in error.what + error.where + error.fix


def test_a_403_echoing_the_key_never_shows_it(tmp_path, monkeypatch) -> None:
    """FAS answered 403 with a body that named the key, and the message printed it in full."""
    monkeypatch.setenv("FAS_API_KEY", KEY)

    def forbidden(request: httpx.Request) -> httpx.Response:
        assert request.url.params["api_key"] == KEY  # the publisher gets the key
        return httpx.Response(403, text=f'{{"error": {{"code": "API_KEY_INVALID", "message": "An invalid '
                                        f'api_key was supplied: {KEY}"}}}}')

    client = HttpClient(tmp_path / "cache", transport=httpx.MockTransport(forbidden), sleep=lambda _: None)
    with pytest.raises(NetworkError) as info:
        client.get(URL, {"api_key": KEY})
    assert KEY not in str(info.value) and "HTTP 403" in str(info.value)
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()


def test_httpx_info_lines_are_silenced_and_retry_lines_redacted(tmp_path, caplog, monkeypatch) -> None:
    monkeypatch.setenv("CENSUS_API_KEY", KEY)
    replies = iter([httpx.Response(503), httpx.Response(200, content=b"[]")])
    client = HttpClient(tmp_path / "cache", transport=httpx.MockTransport(lambda r: next(replies)),
                        sleep=lambda _: None)
    with caplog.at_level(logging.DEBUG):
        client.get("https://api.census.gov/data/timeseries/intltrade/exports/hs", {"get": "X", "key": KEY})
    assert not [r for r in caplog.records if r.name.startswith(("httpx", "httpcore")) and r.levelno < logging.WARNING]
    retry = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert retry and all(KEY not in m for m in retry)
    assert all(KEY not in r.getMessage() for r in caplog.records)


def test_the_logging_filter_redacts_every_record(monkeypatch) -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "failed %s", (f"https://a.b/?key={KEY}",), None)
    assert RedactingFilter().filter(record) is True
    assert KEY not in record.getMessage()


def test_the_command_line_installs_the_filter(monkeypatch) -> None:
    import sys

    from usmca_monitor import cli

    monkeypatch.setattr(sys, "argv", ["usmca", "--help"])
    root = logging.getLogger()
    before = list(root.handlers)
    with pytest.raises(SystemExit):
        cli.main()
    added = [h for h in root.handlers if h not in before] or root.handlers
    assert any(isinstance(f, RedactingFilter) for h in added for f in h.filters)
    for handler in root.handlers:
        if handler not in before:
            root.removeHandler(handler)
