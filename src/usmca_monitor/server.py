"""``usmca serve``: the built site and the read-only data API, on Starlette and uvicorn, on loopback.

API (``/api/v1/openapi.json`` describes it):

* ``GET /api/v1/indicators`` → ``{"indicators": [...]}``;
* ``GET /api/v1/indicators/<id>?geo=USA&partner=MEX&product=HS:87&period=2024&vintage=…[&format=csv]`` →
  ``{"values": [...]}`` (value, unit, period, source, vintage, badge), or the same rows as CSV.

Errors are JSON ``{"error", "status"}`` with the status that fits: 400 for a bad parameter (``period=abc``),
404 for an unknown path or indicator, 405 for a method other than GET/HEAD, 503 when the server is busy.
Every response carries the security headers (``security_headers``: the Content-Security-Policy of
``usmca_monitor/csp.py``, with ``frame-ancestors *`` for embeds only), large answers are gzipped, folders
are never listed, and a connection that does not send a whole request within ``REQUEST_TIMEOUT`` seconds
is closed.

Queries run on a small pool of worker threads, each with its own read-only ``Session`` (a Session is not
shared across threads); answers are cached per store version (``Warehouse.version()``, which changes when
a writer adds a vintage), so an update is served without a restart and a repeated question is answered
from memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import errno
import io
import json
import logging
import os
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from usmca_monitor import __version__, csp, safety
from usmca_monitor.fsutil import BusyError
from usmca_monitor.model.errors import DataError, UsmcaError

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
CSP = csp.PAGE  # usmca_monitor/csp.py: one policy for the header and the pages' meta tag
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "same-origin"}
# Embeds (/<lang>/embed/…) exist to be framed by other sites: any ancestor, no opener isolation.
EMBED_HEADERS = {**SECURITY_HEADERS, "Content-Security-Policy": csp.EMBED}
del EMBED_HEADERS["Cross-Origin-Opener-Policy"]


def security_headers(path: str) -> dict[str, str]:
    """The security headers for a request of ``path``: embeds may be framed anywhere, nothing else may."""
    parts = path.split("/")
    return EMBED_HEADERS if len(parts) > 3 and parts[2] == "embed" else SECURITY_HEADERS
PARAMS = ("geo", "partner", "product", "period", "vintage", "format")
FORMATS = ("json", "csv")
REQUEST_TIMEOUT = 10       # seconds a connection has to send a whole request (headers and all)
QUERY_TIMEOUT = 60.0       # seconds a query may compute before the answer is 503
MAX_PENDING = 64           # queries computing or waiting; more is 503 (try again)
MAX_CONNECTIONS = 1000     # open connections and tasks; more is 503 (uvicorn's limit_concurrency)
BACKLOG = 2048
CACHE_ENTRIES = 4096


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a per-connection deadline: a client has ``REQUEST_TIMEOUT`` seconds
    from connecting (or from the previous answer) to send a whole request; trickling bytes does not
    extend it, so slow connections cannot pile up."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.timeout_keep_alive_task = self.loop.call_later(REQUEST_TIMEOUT, self.timeout_keep_alive_handler)

    def data_received(self, data: bytes) -> None:
        # Unlike the parent, partial data does not cancel the deadline: the timer is cancelled when a
        # whole request has been parsed (handle_events), and armed again after each answer.
        self.conn.receive_data(data)
        self.handle_events()


@dataclass(frozen=True)
class Answer:
    """A finished API answer."""

    status: int
    body: bytes
    media_type: str


class QueryPool:
    """Worker threads, each with its own read-only Session (reopened when the store changes), and the
    answers cached per store version."""

    def __init__(self, home: Path | None = None, workers: int | None = None) -> None:
        from usmca_monitor.indicators.session import store_home

        self.home = store_home(home)
        self.workers = workers or max(2, min(4, os.cpu_count() or 2))
        self.executor = ThreadPoolExecutor(self.workers, thread_name_prefix="usmca-query")
        self.local = threading.local()
        self.cache: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self.running: dict[tuple[Any, ...], Future[Answer]] = {}
        self.lock = threading.Lock()
        self.sessions: list[Any] = []

    def version(self) -> str:
        """The store's version (changes when a writer adds a vintage or the embedded snapshot changes)."""
        from usmca_monitor.indicators.session import store_version

        return store_version(self.home)

    def cached(self, key: tuple[Any, ...]) -> Answer | None:
        """A cached answer (for the current store version), or None."""
        with self.lock:
            found = self.cache.get(key)
            if found is not None:
                self.cache.move_to_end(key)
            return found

    async def answer(self, key: tuple[Any, ...], work: Callable[[Any], Answer]) -> Answer:
        """The answer of ``work(session)``: from the cache, from a computation already running for the
        same key, or computed on a worker (503 when too many are waiting or it takes too long)."""
        found = self.cached(key)
        if found is not None:
            return found
        with self.lock:
            future = self.running.get(key)
            if future is None:
                if len(self.running) >= MAX_PENDING:
                    return _error(503, "the server is busy; try again in a moment")
                future = self.executor.submit(self._compute, key, work)
                self.running[key] = future
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), QUERY_TIMEOUT)
        except TimeoutError:
            return _error(503, "the query is taking too long; try again in a moment")

    def _compute(self, key: tuple[Any, ...], work: Callable[[Any], Answer]) -> Answer:
        try:
            answer = work(self._session(key[0]))
            with self.lock:
                self.cache[key] = answer
                while len(self.cache) > CACHE_ENTRIES:
                    self.cache.popitem(last=False)
            return answer
        finally:
            with self.lock:
                self.running.pop(key, None)

    def _session(self, version: str) -> Any:
        """This thread's Session, opened again when the store's version changed."""
        from usmca_monitor.indicators.session import Session
        from usmca_monitor.store.reader import DuckReader

        current = getattr(self.local, "session", None)
        if current is None or self.local.version != version:
            if current is not None:
                current.close()
            current = Session(self.home, reader=DuckReader(threads=1))
            self.local.session, self.local.version = current, version
            with self.lock:
                self.sessions.append(current)
        return current

    def close(self) -> None:
        """Stop the workers and close their sessions."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        for session in self.sessions:
            with contextlib.suppress(Exception):
                session.close()


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(safety.dumps(body).encode("utf-8"), status, headers=headers,
                    media_type="application/json; charset=utf-8")


def _error(status: int, message: str, fix: str = "") -> Answer:
    body: dict[str, Any] = {"error": message, "status": status}
    if fix:
        body["fix"] = fix
    return Answer(status, safety.dumps(body).encode("utf-8"), "application/json; charset=utf-8")


def _respond(answer: Answer, extra: dict[str, str] | None = None) -> Response:
    headers = {"Retry-After": "1"} if answer.status == 503 else {}
    return Response(answer.body, answer.status, headers={**headers, **(extra or {})}, media_type=answer.media_type)


def _csv(records: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    columns = list(records[0]) if records else ["indicator", "geo", "partner", "product", "period", "freq", "value",
                                                "unit", "source", "vintage", "badge"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safety.csv_cell(v) for k, v in r.items()} for r in records)
    return buffer.getvalue().encode("utf-8")


def _params(request: Request) -> dict[str, str]:
    """The query parameters, checked: known names, given once, short plain text."""
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in PARAMS:
            raise DataError(f"unknown parameter {name!r}", "query string", f"use {', '.join(PARAMS)}")
        if name in params:
            raise DataError(f"parameter {name!r} given twice", "query string", "give each parameter once")
        if len(value) > 64 or not value.isprintable():
            raise DataError(f"parameter {name} is not a code", "query string", "codes are short plain text")
        params[name] = value
    if params.get("format", "json") not in FORMATS:
        raise DataError(f"format {params['format']!r} is unknown", "query string", "use format=json or format=csv")
    return params


def _indicator_answer(indicator: str, params: dict[str, str], session: Any) -> Answer:
    """The indicator's document (the shape of the static ``/data/v1/indicators/<id>.json``); with query
    parameters, its ``values`` are the rows they select (``usmca query``), else the headline view's."""
    from usmca_monitor import api
    from usmca_monitor.indicators import documents

    filters = {k: v for k, v in params.items() if k != "format"}
    try:
        records = None
        if filters:
            rows = api.query(indicator, geo=params.get("geo", "USA"), partner=params.get("partner"),
                             product=params.get("product"), period=params.get("period"),
                             vintage=params.get("vintage"), session=session)
            records = [r.as_dict() for r in rows]
        if params.get("format") == "csv":
            if records is None:
                data = documents.indicator_data(session, indicator)
                view = documents.resolved_headline(data)
                records = data.rows(**view.where()).to_pylist() if data.has_data else []
            return Answer(200, _csv(records), "text/csv; charset=utf-8")
        data = documents.indicator_data(session, indicator)
        document = documents.indicator_document(session, data, session.version(),
                                                session.empty_inputs(indicator) if not data.has_data else None)
        if records is not None:
            document["query"], document["values"] = filters, records
    except BusyError as exc:
        return _error(503, exc.what, exc.fix)
    except UsmcaError as exc:
        return _error(400, str(exc))
    return Answer(200, safety.dumps(document).encode("utf-8"), "application/json; charset=utf-8")


def _index_answer(site: Path, version: str, session: Any) -> Answer:
    """The API's index: the built site's ``data/v1/index.json`` when it was made from the store as it is
    now, else computed (once per store version; the same shape)."""
    from usmca_monitor.indicators import documents

    built = site / "data" / "v1" / "index.json"
    try:
        text = built.read_bytes()
        if json.loads(text).get("store") == version:
            return Answer(200, text, "application/json; charset=utf-8")
    except (OSError, ValueError):
        pass
    document = documents.index_document(documents.all_indicator_data(session), version, store=version)
    return Answer(200, safety.dumps(document).encode("utf-8"), "application/json; charset=utf-8")


def build_app(site: Path, home: Path | None = None, pool: QueryPool | None = None) -> Starlette:
    """The ASGI application: the API routes, then the site's files."""
    from usmca_monitor.indicators.registry import indicator_specs

    pool = pool or QueryPool(home)

    async def indicators(request: Request) -> Response:
        version = pool.version()
        return _respond(await pool.answer((version, "index"), lambda session: _index_answer(site, version, session)))

    async def indicator(request: Request) -> Response:
        indicator_id = request.path_params["indicator"]
        if indicator_id not in indicator_specs():
            return _respond(_error(404, f"unknown indicator {indicator_id!r}",
                                   "GET /api/v1/indicators lists the indicators"))
        try:
            params = _params(request)
        except UsmcaError as exc:
            return _respond(_error(400, str(exc)))
        key = (pool.version(), indicator_id, tuple(sorted(params.items())))
        answer = await pool.answer(key, lambda session: _indicator_answer(indicator_id, params, session))
        return _respond(answer)

    async def openapi(request: Request) -> Response:
        return _json(200, OPENAPI)

    async def not_found(request: Request) -> Response:
        return _json(404, {"error": f"no such API path {request.url.path}", "status": 404,
                           "fix": "use /api/v1/indicators or /api/v1/indicators/<id> (/api/v1/openapi.json)"})

    routes = [
        Route("/api/v1/indicators", indicators, methods=["GET"]),
        Route("/api/v1/indicators/{indicator}", indicator, methods=["GET"]),
        Route("/api/v1/openapi.json", openapi, methods=["GET"]),
        Route("/api/{rest:path}", not_found, methods=["GET"]),
        Mount("/", app=StaticFiles(directory=site, html=True, check_dir=False)),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=1000)],
                    exception_handlers={HTTPException: _http_error, Exception: _unexpected})
    app.state.pool = pool
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = {"Allow": "GET, HEAD"} if exc.status_code == 405 else None
    messages = {404: "not found", 405: "only GET and HEAD are answered", 400: "bad request"}
    return _json(exc.status_code, {"error": messages.get(exc.status_code, exc.detail), "status": exc.status_code},
                 headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    log.debug("traceback", exc_info=exc)
    return _json(500, {"error": "the server could not answer", "status": 500})


class Guard:
    """Outermost layer: the security headers on every response, and requests with a path that no file
    can have (control characters, a NUL, backslashes) refused with 400 before anything looks at them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in security_headers(path).items()
                         if k.lower().encode() not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        path = scope.get("path", "")
        if any(ord(c) < 32 or ord(c) == 127 for c in path) or "\\" in path:
            response = _json(400, {"error": "the path holds characters no file name has", "status": 400})
            await response(scope, receive, with_headers)
            return
        try:
            await self.app(scope, receive, with_headers)
        except Exception:  # already answered 500 and logged in one line by _unexpected
            return


def check_site(site: Path) -> None:
    """A DataError unless ``site`` holds a built site."""
    if not (site / "index.html").is_file():
        raise DataError("no built site here", str(site), "run `usmca build` first (or give --site)")


def bind(port: int, host: str = LOOPBACK) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one) with a long backlog, or one clear error."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP: asyncio sets TCP_NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsmcaError(f"port {port} is already in use", f"{host}:{port}",
                             f"stop the program using it, or choose another port (--port {port + 1})") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UsmcaError(f"not allowed to listen on port {port}", f"{host}:{port}",
                             "use a port above 1024 (--port 8000)") from None
        raise UsmcaError(f"cannot listen ({exc.strerror})", f"{host}:{port}", "choose another --port") from None
    sock.listen(BACKLOG)
    sock.setblocking(False)
    return sock


def make_server(site: Path, sock: socket.socket, home: Path | None = None) -> uvicorn.Server:
    """A uvicorn server for ``site`` (API on the store of ``home``) on an already bound socket."""
    check_site(site)
    app = Guard(build_app(site, home))
    config = uvicorn.Config(app, http=TimedH11Protocol, lifespan="off", log_config=None, access_log=False,
                            timeout_keep_alive=5, limit_concurrency=MAX_CONNECTIONS, backlog=BACKLOG,
                            server_header=False, date_header=True, timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


def serve(site: Path, port: int, announce: Callable[[str], None] = print, home: Path | None = None) -> None:
    """Serve until interrupted (Ctrl-C)."""
    check_site(site)
    sock = bind(port)
    server = make_server(site, sock, home)
    announce(f"http://{LOOPBACK}:{sock.getsockname()[1]}/")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


@contextlib.contextmanager
def running(site: Path, port: int = 0, home: Path | None = None) -> Iterator[str]:
    """``site`` served in a background thread (tests, benchmarks); yields the base URL."""
    sock = bind(port)
    server = make_server(site, sock, home)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="usmca-serve")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise UsmcaError("the server did not start", f"{LOOPBACK}:{sock.getsockname()[1]}", "see the log")
        time.sleep(0.01)
    try:
        yield f"http://{LOOPBACK}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _parameter(name: str, description: str, example: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", "maxLength": 64}, "example": example}


ERROR_SCHEMA = {"type": "object", "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                                                 "fix": {"type": "string"}}, "required": ["error", "status"]}
VALUE_SCHEMA = {"type": "object", "properties": {
    "indicator": {"type": "string"}, "geo": {"type": "string"}, "partner": {"type": ["string", "null"]},
    "product": {"type": ["string", "null"]}, "period": {"type": "string"}, "freq": {"type": "string"},
    "value": {"type": ["number", "null"]}, "unit": {"type": "string"}, "source": {"type": "string"},
    "vintage": {"type": "string"}, "badge": {"type": "string", "enum": ["computed", "official", "report"]}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "a bad parameter", 404: "no such indicator or path", 503: "busy: try again (Retry-After)"}
    return {str(c): {"description": texts[c], "content": {"application/json": {"schema": ERROR_SCHEMA}}}
            for c in codes}


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "usmca-monitor data API", "version": __version__,
             "description": "Indicators of the North American Project with their unit, period, source, vintage "
                            "and badge (computed, official or report). Read-only; GET and HEAD only."},
    "paths": {
        "/api/v1/indicators": {"get": {
            "summary": "The indicators: id, title, unit, goal, frequencies and inputs",
            "responses": {"200": {"description": "the list", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"indicators": {"type": "array", "items": {"type": "object"}}}}}}}}}},
        "/api/v1/indicators/{indicator}": {"get": {
            "summary": "The values of one indicator (the whole annual series when no period is given)",
            "parameters": [
                {"name": "indicator", "in": "path", "required": True, "schema": {"type": "string"}, "example": "tdr"},
                _parameter("geo", "reporter: ISO3 or ISO 3166-2 (default USA)", "USA"),
                _parameter("partner", "partner: ISO3 or a group (MEX, CAN, WLD, EU…)", "MEX"),
                _parameter("product", "product code, e.g. HS:87", "HS:87"),
                _parameter("period", "2024, 2024-H1, 2024-Q2, 2024-YTD06 or 2024-06", "2024"),
                _parameter("vintage", "pin a stored vintage (a unique prefix is enough)", "census_trade@"),
                {**_parameter("format", "json (default) or csv", "json"),
                 "schema": {"type": "string", "enum": list(FORMATS)}}],
            "responses": {"200": {"description": "the values", "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "values": {"type": "array", "items": VALUE_SCHEMA}}}},
                "text/csv": {"schema": {"type": "string"}}}}, **_errors(400, 404, 503)}}},
        "/api/v1/openapi.json": {"get": {"summary": "This document",
                                         "responses": {"200": {"description": "OpenAPI 3.1"}}}},
    },
}

