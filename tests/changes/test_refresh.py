"""``usmca refresh``: update the live sources (here the Census API, replayed from recorded answers),
publish when anything changed, and exit with a code a scheduler can act on."""

from __future__ import annotations

import httpx

from usmca_monitor import api
from usmca_monitor.changes import EXIT_ERROR, EXIT_PUBLISHED, EXIT_UNCHANGED
from usmca_monitor.sources.http import HttpClient
from usmca_monitor.store import changelog

from ..sources.census_mock import CensusApi


def client(handler, tmp_path) -> HttpClient:
    return HttpClient(tmp_path / "http-cache", transport=httpx.MockTransport(handler), sleep=lambda _: None)


def no_build() -> int:
    raise AssertionError("nothing changed: the site must not be rebuilt")


def test_refresh_publishes_a_change_then_reports_nothing_changed(tmp_path, usmca_home, monkeypatch):
    built = []
    monkeypatch.setattr("usmca_monitor.publish.build.build_site",
                        lambda out, langs, **kw: built.append((out, langs)) or type("R", (), {"pages": 7})())
    first = api.refresh(["census_trade"], out=tmp_path / "site", langs=["en"],
                        client=client(CensusApi("204"), tmp_path))
    assert first.exit_code == EXIT_PUBLISHED and first.published and first.pages == 7
    assert built == [(tmp_path / "site", ["en"])]
    live = [r for r in first.changed if r["kind"] == "live"]
    assert len(live) == 1 and live[0]["counts"]["removed"] > 0  # the recorded answers hold 2024 only
    # The embedded snapshot is recorded once, as the first vintage of each source.
    assert any(r["kind"] == "embedded" for r in first.records)
    vintages = {r["vintage"] for r in changelog.read_records(usmca_home)}
    assert live[0]["vintage"] in vintages

    # The same answers again: no new vintage, no build, exit 0.
    monkeypatch.setattr("usmca_monitor.publish.build.build_site", lambda *a, **kw: no_build())
    again = api.refresh(["census_trade"], out=tmp_path / "site", langs=["en"],
                        client=client(CensusApi("204"), tmp_path / "second"))
    assert again.exit_code == EXIT_UNCHANGED and again.unchanged == ["census_trade"] and not again.records
    assert {r["vintage"] for r in changelog.read_records(usmca_home)} == vintages


def test_refresh_that_cannot_update_anything_exits_1_and_publishes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("usmca_monitor.publish.build.build_site", lambda *a, **kw: no_build())
    monkeypatch.setattr("usmca_monitor.changes.record_unseen", lambda home=None: [])

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline", request=request)

    result = api.refresh(["census_trade"], out=tmp_path / "site", client=client(offline, tmp_path))
    assert result.exit_code == EXIT_ERROR and result.failed and result.failed[0][0] == "census_trade"
    assert not (tmp_path / "site").exists()
