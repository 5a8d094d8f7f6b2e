"""The server (issue #13, items 3 and 12) on Starlette/uvicorn: the right status for every kind of request,
JSON errors, HEAD, gzip, CSV, no directory listings, security headers everywhere, per-connection timeouts,
one clear line for a busy port, concurrent readers from a pool of sessions, and a store update seen
without a restart."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from usmca_monitor import api, server
from usmca_monitor.cli import app
from usmca_monitor.server import CSP, running

HEADER = "series,geo,partner,product,flow,measure,period,freq,value,unit"


@pytest.fixture
def site_url(default_site: Path, usmca_home: Path) -> Iterator[str]:
    with running(default_site) as url:
        yield url


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 200),
    ("GET", "/en/index.html", 200),
    ("GET", "/api/v1/indicators", 200),
    ("GET", "/api/v1/indicators/tdr?partner=MEX&period=2024", 200),
    ("GET", "/api/v1/indicators/tdr?period=abc", 400),
    ("GET", "/api/v1/indicators/tdr?partner=NOWHERE", 400),
    ("GET", "/api/v1/indicators/tdr?colour=red", 400),
    ("GET", "/api/v1/indicators/tdr?period=2024&period=2023", 400),
    ("GET", "/api/v1/indicators/tdr?format=xml", 400),
    ("GET", "/api/v1/indicators/tdr?vintage=nope", 400),
    ("GET", "/api/v1/indicators/no_such_indicator", 404),
    ("GET", "/api/v2/indicators", 404),
    ("GET", "/api/v2/indicators/tdr", 404),
    ("GET", "/api/", 404),
    ("GET", "/nowhere.html", 404),
    ("GET", "/static/", 404),
    ("GET", "/static/vendor/", 404),
    ("GET", "/.%00./etc/passwd", 400),
    ("GET", "/%2e%2e/%2e%2e/etc/passwd", 404),
    ("GET", "/static/..%2f..%2f..%2fetc/passwd", 404),
    ("POST", "/api/v1/indicators", 405),
    ("PUT", "/api/v1/indicators/tdr", 405),
    ("DELETE", "/en/index.html", 405),
    ("POST", "/en/index.html", 405),
])
def test_every_answer_has_the_right_status_json_errors_and_security_headers(site_url: str, method: str, path: str,
                                                                           status: int) -> None:
    reply = httpx.request(method, site_url + path)
    assert reply.status_code == status, reply.text
    assert reply.headers["content-security-policy"] == CSP
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "no-referrer"
    if status >= 400:
        body = reply.json()
        assert body["status"] == status and body["error"]
        assert reply.headers["content-type"].startswith("application/json")
        assert "root:" not in reply.text and "Traceback" not in reply.text
    if status == 405:
        assert reply.headers["allow"] == "GET, HEAD"


def test_only_embeds_may_be_framed_by_other_sites(site_url: str) -> None:
    page = httpx.get(site_url + "/en/indicators/tdr.html").headers["content-security-policy"]
    embed = httpx.get(site_url + "/en/embed/tdr.html")
    assert embed.status_code == 200
    assert "frame-ancestors 'self'" in page and "frame-ancestors *" not in page
    assert "frame-ancestors *" in embed.headers["content-security-policy"]
    assert "cross-origin-opener-policy" not in embed.headers
    assert httpx.get(site_url + "/en/embed.html").headers["content-security-policy"] == page


def test_a_nul_path_logs_no_traceback(site_url: str, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        assert httpx.get(site_url + "/.%00./etc/passwd").status_code == 400
        assert httpx.get(site_url + "/static/%00").status_code == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_the_live_api_serves_the_static_sites_shapes(site_url: str, default_site: Path) -> None:
    """/api/v1 answers the documents the site bakes under /data/v1 (issue #11: one JSON shape): the index is
    the built one while the store is unchanged, an indicator's document equals the static file but for
    its build stamp, and query parameters select its ``values`` as `usmca query` does."""
    static_index = json.loads((default_site / "data" / "v1" / "index.json").read_text(encoding="utf-8"))
    assert httpx.get(site_url + "/api/v1/indicators").json() == static_index
    assert {i["id"] for i in static_index["indicators"]} == {i["id"] for i in api.list_indicators()}
    static_tdr = json.loads((default_site / "data" / "v1" / "indicators" / "tdr.json").read_text(encoding="utf-8"))
    live_tdr = httpx.get(site_url + "/api/v1/indicators/tdr", timeout=60).json()
    assert {k: v for k, v in live_tdr.items() if k != "built"} == {k: v for k, v in static_tdr.items() if k != "built"}
    selected = httpx.get(site_url + "/api/v1/indicators/tdr", params={"partner": "MEX", "period": "2024"},
                         timeout=60).json()
    assert set(selected) == set(static_tdr) | {"query"}
    [row] = selected["values"]
    assert set(row) == {"indicator", "geo", "partner", "product", "period", "freq", "value", "unit", "source",
                        "vintage", "badge"}
    assert [r.as_dict() for r in api.query("tdr", partner="MEX", period="2024")] == [row]


def test_head_gzip_and_csv(site_url: str) -> None:
    head = httpx.head(site_url + "/api/v1/indicators/tdr?partner=MEX")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("application/json")
    page_head = httpx.head(site_url + "/en/index.html")
    assert page_head.status_code == 200 and int(page_head.headers["content-length"]) > 1000
    zipped = httpx.get(site_url + "/api/v1/indicators", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.json()["indicators"]
    csv_reply = httpx.get(site_url + "/api/v1/indicators/tdr?partner=MEX&period=2024&format=csv")
    assert csv_reply.headers["content-type"].startswith("text/csv")
    lines = csv_reply.text.splitlines()
    assert lines[0] == "indicator,geo,partner,product,period,freq,value,unit,source,vintage,badge"
    assert lines[1].startswith("tdr,USA,MEX,,2024,A,")


def test_openapi_document(site_url: str) -> None:
    document = httpx.get(site_url + "/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/indicators", "/api/v1/indicators/{indicator}"} <= set(document["paths"])
    names = {p["name"] for p in document["paths"]["/api/v1/indicators/{indicator}"]["get"]["parameters"]}
    assert names == {"indicator", *server.PARAMS}


def test_concurrent_readers_all_answer(site_url: str) -> None:
    periods = ["2020", "2021", "2022", "2023", "2024", "2024-H1", "2023-Q2", "2024-06"]
    results: dict[str, list[int]] = {p: [] for p in periods}

    def ask(period: str) -> None:
        for _ in range(5):
            reply = httpx.get(site_url + "/api/v1/indicators/tdr", params={"partner": "CAN", "period": period},
                              timeout=60)
            results[period].append(reply.status_code)

    threads = [threading.Thread(target=ask, args=(p,)) for p in periods]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(codes == [200] * 5 for codes in results.values()), results


def test_an_update_is_served_without_a_restart(site_url: str, tmp_path: Path) -> None:
    """Exports of 100 and imports of 150 a month: TDR = (imports − exports) / exports = 0.5."""
    before = httpx.get(site_url + "/api/v1/indicators/tdr?partner=MEX&period=2030").json()["values"]
    assert before == []
    rows = [f"census.trade.partner,USA,MEX,,{flow},value,2030-{m:02d},M,{value},USD"
            for m in range(1, 13) for flow, value in (("export", 100), ("import", 150))]
    path = tmp_path / "tidy.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    vintage = api.import_file("census_trade", path)
    after = httpx.get(site_url + "/api/v1/indicators/tdr?partner=MEX&period=2030").json()["values"]
    assert [(r["value"], r["vintage"]) for r in after] == [(pytest.approx(0.5), vintage.vintage)]


def test_too_many_waiting_queries_answer_503(site_url: str, monkeypatch) -> None:
    monkeypatch.setattr(server, "MAX_PENDING", 0)
    reply = httpx.get(site_url + "/api/v1/indicators/tdr?partner=DEU&period=2019")
    assert reply.status_code == 503 and reply.headers["retry-after"] == "1"
    assert reply.json()["status"] == 503


def test_a_slow_connection_is_closed(default_site: Path, monkeypatch) -> None:
    monkeypatch.setattr(server, "REQUEST_TIMEOUT", 0.5)
    with running(default_site) as url:
        port = int(url.rsplit(":", 1)[1])
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /en/index.html HTTP/1.1\r\n")  # headers never finished
        time.sleep(0.3)
        slow.sendall(b"Host: x\r\n")  # trickling does not extend the deadline
        slow.settimeout(5)
        started = time.monotonic()
        assert slow.recv(100) == b""  # closed by the server
        assert time.monotonic() - started < 3
        slow.close()
        assert httpx.get(url + "/en/index.html").status_code == 200  # others are served meanwhile


def test_serve_on_a_busy_port_is_one_line(default_site: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = CliRunner().invoke(app, ["serve", "--port", str(port), "--site", str(default_site)])
    finally:
        taken.close()
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line == (f"error: 127.0.0.1:{port}: port {port} is already in use — fix: stop the program using it, "
                    f"or choose another port (--port {port + 1})")


def test_serve_without_a_site_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "0", "--site", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no built site here" in result.stderr and "Traceback" not in result.output


def test_json_answers_are_strict(site_url: str, monkeypatch) -> None:
    """A computed value that is not finite (a ratio over zero exports) is null, never NaN or Infinity."""
    import math

    from usmca_monitor.api import QueryRow

    def query(indicator: str, **kwargs: object) -> list[QueryRow]:
        return [QueryRow("tdr", "USA", "XXA", None, "2024", "A", math.inf, "ratio", "s", "v", "computed"),
                QueryRow("tdr", "USA", "XXB", None, "2024", "A", math.nan, "ratio", "s", "v", "computed")]

    monkeypatch.setattr(api, "query", query)
    reply = httpx.get(site_url + "/api/v1/indicators/tdr?period=1999")
    body = json.loads(reply.text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert [r["value"] for r in body["values"]] == [None, None]
    csv_text = httpx.get(site_url + "/api/v1/indicators/tdr?period=1999&format=csv").text
    assert "inf" not in csv_text.lower() and "nan" not in csv_text.lower()
