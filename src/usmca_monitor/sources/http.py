"""The one HTTP client: timeouts, retries with backoff on 429/5xx honouring Retry-After, an on-disk
cache, a user agent, and an offline switch (``USMCA_OFFLINE=1``)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from usmca_monitor import __version__
from usmca_monitor.model.errors import NetworkError

log = logging.getLogger(__name__)

USER_AGENT = f"usmca-monitor/{__version__} (+https://github.com/usmca-monitor/usmca-monitor)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SECRET_PARAMS = frozenset({"key", "api_key", "apikey"})


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
    """``url`` with API keys removed, for messages, cache keys and origins."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SECRET_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(query, safe=",:")))


class HttpClient:
    """GET with cache and retries. ``transport`` lets tests replay recorded responses."""

    def __init__(self, cache_dir: Path | None, *, timeout: float = 60.0, retries: int = 4,
                 backoff: float = 1.0, max_age: float = 12 * 3600,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.cache_dir = cache_dir
        self.retries = retries
        self.backoff = backoff
        self.max_age = max_age
        self.sleep = sleep
        self.client = httpx.Client(timeout=timeout, transport=transport, follow_redirects=True,
                                   headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        """Close the underlying connection pool."""
        self.client.close()

    def get(self, url: str, params: Mapping[str, str | Sequence[str]] | None = None) -> Response:
        """GET ``url`` (with ``params``; a list value repeats the parameter, as in ``CTY_CODE=1220&CTY_CODE=2010``):
        from the cache when fresh, else from the network."""
        full = str(httpx.URL(url, params=params or {}))
        shown = public_url(full)
        cached = self._cached(shown)
        if cached is not None:
            return cached
        if os.environ.get("USMCA_OFFLINE") == "1":
            raise NetworkError("offline (USMCA_OFFLINE=1)", shown, "unset USMCA_OFFLINE and connect to the network")
        response = self._fetch(full, shown)
        self._store(shown, response)
        return response

    def _fetch(self, full: str, shown: str) -> Response:
        attempt = 0
        while True:
            try:
                reply = self.client.get(full)
            except httpx.HTTPError as exc:
                # A refused or unresolvable host is retried once, not ``retries`` times.
                limit = 1 if isinstance(exc, httpx.ConnectError) else self.retries
                if attempt >= limit:
                    raise NetworkError(f"download failed ({exc.__class__.__name__}: {exc})", shown,
                                       "check the network connection and try again") from exc
                wait = self.backoff * 2**attempt
            else:
                if reply.status_code not in RETRY_STATUSES:
                    return self._finish(reply, shown)
                if attempt >= self.retries:
                    raise NetworkError(f"HTTP {reply.status_code} after {attempt + 1} attempts", shown,
                                       "the service is busy or down; try again later")
                wait = _retry_after(reply.headers.get("Retry-After"), self.backoff * 2**attempt)
            log.info("retrying %s in %.1fs (attempt %d)", shown, wait, attempt + 1)
            self.sleep(wait)
            attempt += 1

    @staticmethod
    def _finish(reply: httpx.Response, shown: str) -> Response:
        if reply.status_code >= 400:
            detail = reply.text[:200].strip().replace("\n", " ")
            raise NetworkError(f"HTTP {reply.status_code}: {detail}", shown,
                               "check the parameters (and the API key) against the publisher's documentation")
        return Response(url=shown, status=reply.status_code, content=reply.content)

    def _cache_path(self, shown: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / hashlib.sha256(shown.encode()).hexdigest()

    def _cached(self, shown: str) -> Response | None:
        path = self._cache_path(shown)
        if path is None or not path.exists() or time.time() - path.stat().st_mtime > self.max_age:
            return None
        meta = json.loads(path.with_suffix(".json").read_text())
        return Response(url=shown, status=int(meta["status"]), content=path.read_bytes(), from_cache=True)

    def _store(self, shown: str, response: Response) -> None:
        path = self._cache_path(shown)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".json").write_text(json.dumps({"url": shown, "status": response.status}))
        path.write_bytes(response.content)


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
