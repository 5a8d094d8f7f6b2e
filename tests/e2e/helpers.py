"""Shared by the browser tests: a page whose requests outside localhost are blocked and recorded."""

from __future__ import annotations

from urllib.parse import urlsplit


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
