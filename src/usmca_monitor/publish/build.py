"""``usmca build``: compute the indicators from the store and write the static site.

The site is written into a new build folder beside ``out`` and published at the end by replacing a
link (``publish/output.py``), so a failed or killed build leaves the published site as it was, and a
folder that is not a previous build is never replaced. ``SECTIONS`` lists the parts of the site;
each is a module of ``publish/sections/`` (see ``publish/context.py:Section``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from usmca_monitor.indicators.session import Session, store_home
from usmca_monitor.model.errors import UnknownCodeError
from usmca_monitor.publish import incremental, labels
from usmca_monitor.publish.context import Section, SiteContext, write_root_index
from usmca_monitor.publish.i18n import LANGS
from usmca_monitor.publish.incremental import Deps
from usmca_monitor.publish.output import OutputFolder
from usmca_monitor.publish.sections import (
    agrifood,
    autos,
    goals,
    home,
    reference,
    rules_of_origin,
    spi,
    tdr,
    tech,
    trucks,
    whatsnew,
)
from usmca_monitor.publish.sections import facts as facts_section
from usmca_monitor.publish.sections import indicators as indicator_pages
from usmca_monitor.safety import safe_url

SECTIONS: tuple[Section, ...] = (home, spi, tdr, agrifood, tech, autos, trucks, rules_of_origin, goals, facts_section,
                                 whatsnew, indicator_pages, reference)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    out: Path
    pages: int
    files: int
    indicator_pages: dict[str, int] = field(default_factory=dict)  # per language
    without_data: dict[str, str] = field(default_factory=dict)  # indicator id → why it has no data
    rebuilt: int = 0  # pages redone (publish/incremental.py); the others were kept from the previous build
    unchanged: int = 0
    summary: str = ""  # "12 pages rebuilt: census_trade vintage changed (12); 784 unchanged"
    published: bool = True  # False when nothing changed: nothing was written, the site was not swapped


def _static_dir() -> Path:
    return Path(str(resources.files("usmca_monitor.publish").joinpath("site", "static")))


def build_site(out: Path, langs: list[str], *, vintage: str | None = None,
               progress: Progress = lambda _: None, home: Path | None = None,
               goals_dir: Path | None = None, engine: str = "duckdb", base_url: str | None = None,
               full: bool = False) -> BuildReport:
    """Build the site into ``out`` (replaced only when the build succeeds). ``goals_dir``: a folder
    of stakeholder goal files to publish (all are checked first; any problem stops the build); ``engine``
    computes the indicators (duckdb, or spark). Only the parts whose inputs changed since the previous
    build are redone (``publish/incremental.py``); nothing is written when nothing changed; ``full``
    redoes everything."""
    stakeholders = goals.load_stakeholders(goals_dir) if goals_dir is not None else []
    unknown = [lang for lang in langs if lang not in LANGS]
    if unknown or not langs:
        raise UnknownCodeError(f"unknown language {unknown[0] if unknown else '(none)'!r}", "--lang",
                               f"use a comma-separated subset of {','.join(LANGS)}")
    folder = OutputFolder(out, store_home(home))
    folder.check()  # before the store is opened: a refused folder is left exactly as it was
    folder.out.parent.mkdir(parents=True, exist_ok=True)
    base = _base_url(base_url)
    options = {"langs": langs, "vintage": vintage, "base_url": base,
               "goals": incremental.digest_files(sorted(goals_dir.rglob("*.y*ml")), goals_dir) if goals_dir else ""}
    with Session(home, vintage, engine=engine) as session:
        previous = folder.out.resolve() if folder.out.is_symlink() else None
        builder = incremental.Builder(None, previous, incremental.components(session, langs, options), full,
                                      incremental.data_dates(session))
        if builder.unchanged():
            folder.tidy()
            old = builder.old
            return BuildReport(out=folder.out, pages=0, files=0, unchanged=int(old.get("rebuilt", 0))
                               + int(old.get("unchanged", 0)), summary="nothing changed: 0 pages rebuilt",
                               published=False)
        return _build(folder, session, langs, vintage, progress, stakeholders, base, builder)


def _base_url(base_url: str | None) -> str:
    """``--base-url``: an http(s) address, kept with one trailing slash."""
    if not base_url:
        return ""
    if safe_url(base_url) is None:
        raise UnknownCodeError(f"not an http(s) address: {base_url!r}", "--base-url",
                               "give the address the site is published at, e.g. https://example.org/usmca/")
    return base_url.rstrip("/") + "/"


def _build(folder: OutputFolder, session: Session, langs: list[str], vintage: str | None, progress: Progress,
           stakeholders: list[Any], base_url: str = "", builder: incremental.Builder | None = None) -> BuildReport:
    with folder.staging() as staging:
        count = 0
        built = builder.data_date(Deps.everything(langs)) if builder else ""
        site = SiteContext(out=staging, langs=langs, built=built or dt.date.today().isoformat(), session=session,
                           vintage=vintage, sections=list(SECTIONS), base_url=base_url, builder=builder)
        if builder is not None:
            builder.staging = staging
        site.cached(goals.STAKEHOLDERS_KEY, lambda: stakeholders)
        for lang in langs:  # vintages in words for every page, whichever units this build redoes
            labels.vintage_labels(site, lang)
        site.unit("static", Deps(()), lambda: _copy_static(staging))
        for section in SECTIONS:
            name = section.__name__.rsplit('.', 1)[-1]  # type: ignore[attr-defined]
            for lang in langs:
                progress(f"{name} ({lang})")
                if getattr(section, "UNITS", False):  # the section says what each of its parts reads
                    count += section.write(site, lang)
                else:
                    count += site.unit(f"{name}/{lang}", Deps.everything([lang]), partial(section.write, site, lang))
        site.unit("root-index", Deps(()), partial(_root_index, staging, langs))
        files = sum(1 for p in staging.rglob("*") if p.is_file())
        summary: dict[str, Any] = site.cached(indicator_pages.SUMMARY_KEY, lambda: {"pages": {}, "without_data": {}})
        if builder is not None:
            builder.write_manifest()
        folder.publish(staging)
    return BuildReport(out=folder.out, pages=count, files=files, indicator_pages=dict(summary["pages"]),
                       without_data=dict(summary["without_data"]), rebuilt=builder.rebuilt if builder else count,
                       unchanged=builder.reused if builder else 0, summary=builder.summary() if builder else "")


def _root_index(staging: Path, langs: list[str]) -> int:
    write_root_index(staging, langs)
    return 0


def _copy_static(staging: Path) -> int:
    shutil.copytree(_static_dir(), staging / "static")
    return 0
