"""What every section of the site shares during one build: the data session, the languages, the
navigation, a cache of computed data, and one way to render a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from usmca_monitor import csp
from usmca_monitor.indicators.session import Session
from usmca_monitor.publish.i18n import number, translations
from usmca_monitor.publish.incremental import Builder, Deps
from usmca_monitor.publish.visual import chart_kit_json

LANG_NAMES = {"en": "English", "es": "Español", "fr": "Français"}
T = TypeVar("T")


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class NavEntry:
    """A link in the site's top navigation (``label`` is an English msgid)."""

    path: str
    label: str
    order: int


@dataclass(frozen=True)
class GoalLink:
    """A page listed under one of the four shared goals on the home page."""

    goal: int
    path: str
    label: str


class Section(Protocol):
    """A part of the site: a module with ``NAV``, ``GOAL_LINKS`` and ``write(site, lang)``."""

    NAV: list[NavEntry]
    GOAL_LINKS: list[GoalLink]

    def write(self, site: SiteContext, lang: str) -> int:
        """Write this section's pages in ``lang``; return how many."""
        ...


@dataclass
class SiteContext:
    """One build of the site."""

    out: Path
    langs: list[str]
    built: str
    session: Session
    vintage: str | None  # the --vintage pin the session was opened with (shown, and orders SPI editions)
    sections: list[Section] = field(default_factory=list)
    base_url: str = ""  # --base-url: where the site is published (embed code, og:image, ids absolute)
    builder: Builder | None = None  # incremental builds (publish/incremental.py); None: write everything
    _cache: dict[str, Any] = field(default_factory=dict)

    def cached(self, key: str, make: Callable[[], T]) -> T:
        """Compute ``make()`` once per build (shared by languages and sections)."""
        if key not in self._cache:
            self._cache[key] = make()
        value: T = self._cache[key]
        return value

    def unit(self, name: str, deps: Deps, make: Callable[[], int],
             files: Callable[[], list[Path]] | None = None) -> int:
        """Run ``make`` (which writes part of the site and returns its page count) unless the previous
        build holds its output made from the same inputs (``deps``); ``files``: what ``make`` wrote (else
        the new files of the build folder). While it runs, ``built`` is the date of the data it reads."""
        if self.builder is None:
            return make()
        saved = self.built
        self.built = self.builder.data_date(deps) or saved
        try:
            return self.builder.run(name, deps, make, files)
        finally:
            self.built = saved

    @property
    def nav(self) -> list[NavEntry]:
        """Every section's navigation entries, in order."""
        return sorted((e for s in self.sections for e in s.NAV), key=lambda e: e.order)

    def goal_links(self, goal: int) -> list[GoalLink]:
        """The pages that sections list under ``goal``."""
        return [link for s in self.sections for link in s.GOAL_LINKS if link.goal == goal]

    def render(self, lang: str, template: str, page_path: str, **context: Any) -> Path:
        """Render ``template`` to ``<out>/<lang>/<page_path>`` with the variables every page has."""
        depth = page_path.count("/") + 1
        target = self.out / lang / page_path
        target.parent.mkdir(parents=True, exist_ok=True)
        html = environment(lang).get_template(template).render(
            lang=lang, langs=self.langs, lang_names=LANG_NAMES, built=self.built, nav=self.nav,
            root="../" * depth, page_path=page_path, n=lambda v, d=1: number(v, lang, d), **context)
        target.write_text(html, encoding="utf-8")
        return target


@cache
def environment(lang: str) -> Environment:
    """A Jinja environment whose ``_()`` speaks ``lang`` (one per language: templates compile once)."""
    env = Environment(loader=PackageLoader("usmca_monitor.publish", "site/templates"),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["csp_meta"] = csp.META
    env.globals["colon"] = "\u202f: " if lang == "fr" else ": "  # French: a narrow no-break space before ":"
    from usmca_monitor.publish.labels import JINJA_GLOBALS  # vintages in words, translated licences

    env.globals.update(JINJA_GLOBALS)
    env.globals["chart_kit_json"] = chart_kit_json(lang)
    return env


def gettext_for(lang: str) -> Callable[[str], str]:
    """``_`` for Python code that builds page text in ``lang``."""
    return translations(lang).gettext


def write_root_index(root: Path, langs: list[str]) -> None:
    """``index.html`` at the root: links to each language (and a redirect to the first)."""
    links = " · ".join(f'<a href="{lang}/index.html" hreflang="{lang}">{LANG_NAMES[lang]}</a>' for lang in langs)
    (root / "index.html").write_text(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>usmca-monitor</title>"
        f"<meta http-equiv=\"refresh\" content=\"0; url={langs[0]}/index.html\"></head>"
        f"<body><p>usmca-monitor: {links}</p></body></html>\n", encoding="utf-8")
