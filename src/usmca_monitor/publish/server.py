"""``usmca serve``: the built site and a small read-only data API on localhost.

API: ``GET /api/v1/indicators`` (the list) and
``GET /api/v1/indicators/<id>?partner=MEX&period=2024&geo=USA&vintage=…`` (values with unit, period,
source, vintage and badge). Errors answer JSON ``{"error": …}`` with status 400 or 404.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from usmca_monitor import api
from usmca_monitor.model.errors import DataError, UnknownCodeError, UsmcaError

_LOCK = threading.Lock()  # one store query at a time (DuckDB file, one writer)


class Handler(SimpleHTTPRequestHandler):
    """Static files from the site folder, JSON under /api/v1/."""

    def do_GET(self) -> None:
        if self.path.startswith("/api/"):
            self._api()
        else:
            super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        return None  # quiet; the CLI prints the address once

    def _api(self) -> None:
        parts = urlsplit(self.path)
        route = parts.path.rstrip("/").split("/")[3:]  # after /api/v1
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            if route == ["indicators"]:
                self._json(HTTPStatus.OK, {"indicators": api.list_indicators()})
            elif len(route) == 2 and route[0] == "indicators":
                self._json(HTTPStatus.OK, {"values": self._query(route[1], params)})
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no such API path {parts.path}",
                                                  "fix": "use /api/v1/indicators or /api/v1/indicators/<id>"})
        except UnknownCodeError as exc:
            self._json(HTTPStatus.NOT_FOUND, {"error": str(exc)})
        except (DataError, UsmcaError) as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})

    @staticmethod
    def _query(indicator: str, params: dict[str, str]) -> list[dict[str, Any]]:
        allowed = {"geo", "partner", "product", "period", "vintage"}
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise DataError(f"unknown parameter {unknown[0]!r}", "query string", f"use {', '.join(sorted(allowed))}")
        with _LOCK:
            rows = api.query(indicator, geo=params.get("geo", "USA"), partner=params.get("partner"),
                             product=params.get("product"), period=params.get("period"),
                             vintage=params.get("vintage"))
        return [r.as_dict() for r in rows]

    def _json(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def make_server(site: Path, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for ``site`` on ``host:port`` (port 0 picks a free one)."""
    if not (site / "index.html").exists():
        raise DataError("no built site here", str(site), "run `usmca build` first")
    return ThreadingHTTPServer((host, port), partial(Handler, directory=str(site)))


def serve(site: Path, port: int, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted."""
    server = make_server(site, port)
    announce(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
