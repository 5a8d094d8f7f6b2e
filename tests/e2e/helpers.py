"""Shared by the browser tests: a built site served on a free localhost port, a page whose requests
outside localhost are blocked and recorded, and the check that a page's charts are drawn."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

MARKS = "svg .mark-symbol path, svg .mark-rect path, svg .mark-line path"


@contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` served by the project's server (``usmca_monitor/server.py``, with its security headers) on a
    free localhost port; yields the base URL."""
    from usmca_monitor.server import running

    with running(site, 0) as url:
        yield url


def assert_charts_drawn(page: object, url: str, count: int) -> None:
    """Open ``url`` and check it holds ``count`` charts, each rendered by Vega with marks drawn."""
    page.goto(url)  # type: ignore[attr-defined]
    charts = page.locator("[data-chart]")  # type: ignore[attr-defined]
    assert charts.count() == count, url
    for i in range(count):
        chart = charts.nth(i)
        chart.locator("svg").first.wait_for(timeout=20_000)
        page.wait_for_function("(el) => el.hasAttribute('data-rendered') || el.hasAttribute('data-error')",  # type: ignore[attr-defined]
                               arg=chart.element_handle(), timeout=20_000)
        assert chart.get_attribute("data-rendered") == "true", (url, chart.get_attribute("data-error"))
        assert chart.locator(MARKS).count() > 0, url


def _page(browser: object, outside: list[str], errors: list[str] | None = None) -> object:
    """A new page in its own context; requests off localhost are aborted and listed in ``outside``,
    page errors (when ``errors`` is given) are listed there."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]

    def route(route: object) -> None:
        host = urlsplit(route.request.url).hostname  # type: ignore[attr-defined]
        if host in {"127.0.0.1", "localhost"}:
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(route.request.url)  # type: ignore[attr-defined]
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


@contextmanager
def loopback(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server of ``handler`` on a free loopback port; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def plain_host(folder: Path) -> Iterator[str]:
    """``folder`` served by Python's plain file server: another site, without our security headers."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

    with loopback(partial(Quiet, directory=str(folder))) as url:
        yield url
