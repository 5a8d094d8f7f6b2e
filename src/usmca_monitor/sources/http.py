"""The one HTTP client, on maintained libraries: ``httpx`` with timeouts, an on-disk cache (``hishel``,
one SQLite file), retries with backoff (``tenacity``) that honour ``Retry-After`` on 429/5xx, a user
agent, and an offline switch (``USMCA_OFFLINE=1``: the cache still answers).

Secrets never enter the cache or a message: a call's API key is given apart from its parameters
(``get(url, params, secrets={"key": …})``, or a parameter named like a key), the client builds and
caches the request without it, and a transport below the cache adds it to the URL just before the
request leaves. Every message and log line goes through ``model/redaction.py:redact``; httpx's own
INFO lines (which print URLs) are silenced.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import tenacity

from usmca_monitor import __version__
from usmca_monitor.model.errors import NetworkError
from usmca_monitor.model.redaction import redact

log = logging.getLogger(__name__)
for _name in ("httpx", "httpcore", "hishel"):  # their INFO/DEBUG lines print full URLs
    logging.getLogger(_name).setLevel(logging.WARNING)

USER_AGENT = f"usmca-monitor/{__version__} (+https://github.com/usmca-monitor/usmca-monitor)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SECRET_PARAMS = frozenset({"key", "api_key", "apikey"})
MAX_RETRY_AFTER = 300.0  # a publisher asking to wait longer is reported, not waited for
CACHE_FILE = "http-cache.sqlite"
SECRETS = "usmca_secrets"  # the request extension that carries the secret parameters to the transport


@dataclass(frozen=True)
class Response:
    """A finished response: status, body and the URL it came from (secrets removed)."""

    url: str
    status: int
    content: bytes
    from_cache: bool = False

    def json(self) -> object:
        """The body parsed as JSON, or a NetworkError naming the URL."""
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise NetworkError(f"the response is not JSON ({exc.__class__.__name__}: {exc})", self.url,
                               "check the URL and parameters against the publisher's documentation") from exc


def public_url(url: str) -> str:
    """``url`` with API keys removed (and anything else secret masked), for messages, cache keys and origins."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SECRET_PARAMS]
    return redact(urlunsplit(parts._replace(query=urlencode(query, safe=",:"))))


class _SecretTransport(httpx.BaseTransport):
    """Below the cache: adds the request's secret parameters to its URL as it leaves."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        secrets: Mapping[str, str] = request.extensions.get(SECRETS) or {}
        if os.environ.get("USMCA_OFFLINE") == "1":
            raise _Offline()
        if secrets:
            request = httpx.Request(request.method, request.url.copy_merge_params(dict(secrets)),
                                    headers=request.headers, extensions=request.extensions)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class _Offline(Exception):
    """Raised below the cache when a request would leave the machine with USMCA_OFFLINE=1."""


class _RetryStatus(Exception):
    """A reply whose status asks for another try (429, 5xx)."""

    def __init__(self, reply: httpx.Response) -> None:
        super().__init__(reply.status_code)
        self.reply = reply


class HttpClient:
    """GET with cache and retries. ``transport`` lets tests replay recorded responses; ``sleep`` lets them
    record the waits."""

    def __init__(self, cache_dir: Path | None, *, timeout: float = 60.0, retries: int = 4,
                 backoff: float = 1.0, max_age: float = 12 * 3600,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.cache_dir = cache_dir
        self.retries = retries
        self.backoff = backoff
        self.max_age = max_age
        self.sleep = sleep
        chain: httpx.BaseTransport = _SecretTransport(transport or httpx.HTTPTransport())
        if cache_dir is not None:
            chain = _cached(chain, cache_dir, max_age)
        self.client = httpx.Client(timeout=timeout, transport=chain, follow_redirects=True,
                                   headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        """Close the connection pool and the cache."""
        self.client.close()

    def get(self, url: str, params: Mapping[str, str | Sequence[str]] | None = None,
            secrets: Mapping[str, str] | None = None) -> Response:
        """GET ``url`` with ``params`` (a list value repeats the parameter, as in ``CTY_CODE=1220&CTY_CODE=2010``)
        and ``secrets`` (sent, never cached or shown; a parameter named ``key``, ``api_key`` or ``apikey`` is
        one too): from the cache when fresh, else from the network."""
        plain = {k: v for k, v in (params or {}).items() if k.lower() not in SECRET_PARAMS}
        hidden = {**{k: str(v) for k, v in (params or {}).items() if k.lower() in SECRET_PARAMS}, **(secrets or {})}
        request_url = httpx.URL(url, params=plain)
        shown = public_url(str(request_url))
        try:
            reply = self._fetch(request_url, {k: v for k, v in hidden.items() if v}, shown)
        except _Offline:
            raise NetworkError("offline (USMCA_OFFLINE=1)", shown,
                               "unset USMCA_OFFLINE and connect to the network") from None
        status = reply.extensions.get("caching") or {}
        return self._finish(reply, shown, bool(status.get("from_cache")))

    def _fetch(self, url: httpx.URL, secrets: dict[str, str], shown: str) -> httpx.Response:
        retrying = tenacity.Retrying(stop=self._stop, wait=self._wait, retry=tenacity.retry_if_exception(_retryable),
                                     sleep=self.sleep, reraise=True, before_sleep=self._log_retry(shown))
        try:
            for attempt in retrying:
                with attempt:
                    reply = self.client.get(url, extensions={SECRETS: secrets} if secrets else None)
                    if reply.status_code in RETRY_STATUSES:
                        reply.read()
                        raise _RetryStatus(reply)
                    reply.read()
                    return reply
        except _RetryStatus as exc:
            raise self._gave_up(exc.reply, retrying.statistics.get("attempt_number", 1), shown) from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"download failed ({exc.__class__.__name__}: {exc})", shown,
                               "check the network connection and try again") from None
        raise AssertionError("tenacity ends in a return or an exception")  # pragma: no cover

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        """Stop after ``retries`` retries; a refused or unresolvable host is retried once only."""
        error = state.outcome.exception() if state.outcome else None
        limit = 1 if isinstance(error, httpx.ConnectError) else self.retries
        return state.attempt_number > limit

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """The doubling backoff, or the seconds a 429/503 names in Retry-After."""
        default = self.backoff * 2 ** (state.attempt_number - 1)
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _RetryStatus):
            return _retry_after(error.reply.headers.get("Retry-After"), default)
        return default

    @staticmethod
    def _log_retry(shown: str) -> Callable[[tenacity.RetryCallState], None]:
        def before_sleep(state: tenacity.RetryCallState) -> None:
            wait = state.next_action.sleep if state.next_action else 0.0
            error = state.outcome.exception() if state.outcome else None
            what = f"HTTP {error.reply.status_code}" if isinstance(error, _RetryStatus) else type(error).__name__
            log.info("%s: retrying %s in %.1fs (attempt %d)", what, shown, wait, state.attempt_number)
        return before_sleep

    @staticmethod
    def _gave_up(reply: httpx.Response, attempts: int, shown: str) -> NetworkError:
        wait = _retry_after(reply.headers.get("Retry-After"), 0.0)
        if wait > MAX_RETRY_AFTER:
            return NetworkError(f"HTTP {reply.status_code}: the publisher asks to wait {wait:.0f} s", shown,
                                "try again later (or tomorrow: the daily limit may be reached)")
        return NetworkError(f"HTTP {reply.status_code} after {attempts} attempts", shown,
                            "the service is busy or down; try again later")

    @staticmethod
    def _finish(reply: httpx.Response, shown: str, from_cache: bool) -> Response:
        if reply.status_code >= 400:
            detail = reply.text[:200].strip()
            raise NetworkError(f"HTTP {reply.status_code}: {detail}", shown,
                               "check the parameters (and the API key) against the publisher's documentation")
        return Response(url=shown, status=reply.status_code, content=reply.content, from_cache=from_cache)


def _retryable(error: BaseException) -> bool:
    if isinstance(error, _RetryStatus):
        return _retry_after(error.reply.headers.get("Retry-After"), 0.0) <= MAX_RETRY_AFTER
    return isinstance(error, httpx.TransportError)


def _cached(chain: httpx.BaseTransport, cache_dir: Path, max_age: float) -> httpx.BaseTransport:
    """``chain`` behind hishel's cache: successful GETs kept ``max_age`` seconds in one SQLite file."""
    import hishel
    from hishel.httpx import CacheTransport

    cache_dir.mkdir(parents=True, exist_ok=True)
    storage: Any = hishel.SqliteStorage(database_path=cache_dir / CACHE_FILE, default_ttl=max_age)
    return CacheTransport(next_transport=chain, storage=storage)


def _retry_after(header: str | None, default: float) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), else ``default``."""
    if not header:
        return default
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
    except (TypeError, ValueError):
        return default
