"""The pages under the server's Content-Security-Policy (issue #13, item 4): served by ``usmca serve``, every
page of each part of the site draws its charts and map with no policy violation and no request off
localhost, and a script from another origin is refused by the policy. (The CSP still allows inline
scripts, which the pages use; ``server.CSP`` is the one constant to tighten when they move out.)"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.helpers import _page
from usmca_monitor.server import CSP

pytestmark = pytest.mark.browser
RECORD = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
          "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
PAGES = ["index.html", "indicators/tdr.html", "indicators/agrifood.html", "indicators/autos.html",
         "goal1/spi.html", "goals/index.html", "facts/index.html"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_work_under_the_policy(browser: object, base_url: str, path: str) -> None:
    assert httpx.get(f"{base_url}/en/{path}").headers["content-security-policy"] == CSP
    outside: list[str] = []
    errors: list[str] = []
    page: Any = _page(browser, outside, errors)
    page.add_init_script(RECORD)
    page.goto(f"{base_url}/en/{path}")
    charts = page.locator("[data-chart]")
    for i in range(charts.count()):
        charts.nth(i).locator("svg").first.wait_for(timeout=20_000)
        assert charts.nth(i).get_attribute("data-rendered") == "true", path
    assert page.evaluate("window.__csp") == [], path
    assert not errors and not outside, (errors, outside)


def test_a_script_from_elsewhere_is_refused(browser: object, base_url: str) -> None:
    page: Any = _page(browser, [])
    page.add_init_script(RECORD)
    page.goto(f"{base_url}/en/index.html")
    page.evaluate("""() => { const s = document.createElement('script');
        s.src = 'https://evil.example/steal.js'; document.head.appendChild(s); }""")
    page.wait_for_function("window.__csp.length > 0", timeout=5_000)
    violations = page.evaluate("window.__csp")
    assert any(v.startswith("script-src") and "evil.example" in v for v in violations), violations
