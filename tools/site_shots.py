"""Screenshots of the built site for review (``make shots``): ``python tools/site_shots.py --site _site
--out _report/shots`` writes ``DIR/site-<page>-<lang>-<width>.png`` for the home, goals, TDR and map pages
in en/es/fr at 1366 and 390 px, with Debian's Chromium (``/usr/bin/chromium``, ``--no-sandbox``).
``--check`` also prints what tests/e2e/test_visual.py checks (overflow, charts, axe-core) per page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = {"home": "index.html", "goals": "goals/index.html", "tdr": "topics/tdr.html", "map": "goal1/spi.html"}
WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


def shoot(site: Path, out: Path, pages: dict[str, str], langs: list[str], check: bool) -> int:
    """Write the screenshots; with ``check``, print the problems found. Returns the number of problems."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.e2e.visual import AXE, axe_violations, problems, wait_for_charts

    from usmca_monitor.server import running

    out.mkdir(parents=True, exist_ok=True)
    found = 0
    with running(site, 0) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        if check:
            context.add_init_script(path=str(AXE))
        page = context.new_page()
        for name, path in pages.items():
            for lang in langs:
                for label, (width, height) in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(f"{base}/{lang}/{path}")
                    wait_for_charts(page)
                    target = out / f"site-{name}-{lang}-{label}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                    if check:
                        for problem in problems(page) + axe_violations(page):
                            found += 1
                            print(f"  {lang} {label} {path}: {problem}")
        browser.close()
    return found


def main() -> None:
    """Command line: --site, --out, --check, --page NAME=PATH (instead of the four pages), --lang."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=Path("_site"))
    parser.add_argument("--out", type=Path, default=Path("_report/shots"))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--page", action="append", help="NAME=PATH under /<lang>/ (repeatable)")
    parser.add_argument("--lang", action="append", help="en, es or fr (repeatable; all three by default)")
    args = parser.parse_args()
    pages = dict(p.split("=", 1) for p in args.page) if args.page else SHOTS
    found = shoot(args.site, args.out, pages, args.lang or ["en", "es", "fr"], args.check)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
