"""Incremental builds: each part of the site (a page, a download, a section in one language) is a *unit*
that records the checksums of what it read — the vintages of the sources behind it, the catalog specs,
the templates, the static files, the translations of its language and the program — in the build's
manifest (``.usmca-build.json`` inside the build folder). The next build redoes only the units whose
inputs changed and links the files of the others from the previous build, so untouched pages stay
byte-identical; when nothing changed it writes nothing and the published site is not swapped.

The scheme is coarse on purpose: a page that shows data from the whole site (home, goals, topics,
reference pages, the search index) depends on every vintage; an indicator page depends on the sources
its indicator reads (through the indicators it is built on and its ``rank_by``), the report's stated
figures, and what its related links and report marks show. The build date is kept in the manifest;
pages show the date of the data they show (the newest vintage behind them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from usmca_monitor import __version__
from usmca_monitor.catalog import source_of_series
from usmca_monitor.codelists import catalog_path, extra_catalogs
from usmca_monitor.fsutil import atomic_write
from usmca_monitor.indicators.registry import indicator_specs
from usmca_monitor.indicators.session import STATED_SOURCE, Session
from usmca_monitor.publish import i18n

MANIFEST = ".usmca-build.json"
FORMAT = 1
BASE = ("program", "templates", "static", "catalog", "options")
SKIPPED_DIRS = {"__pycache__", "i18n", "catalog", "site"}


def _package() -> Path:
    return Path(str(resources.files("usmca_monitor")))


def digest_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """One SHA-256 over the names (relative to ``root``) and contents of ``paths``, in sorted order."""
    sha = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(root).as_posix() if root is not None else path.name
        sha.update(name.encode() + b"\0")
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                sha.update(block)
        sha.update(b"\0")
    return sha.hexdigest()


def digest_text(value: Any) -> str:
    """SHA-256 of a JSON-able value (sorted keys)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _tree(folder: Path, pattern: str = "*") -> list[Path]:
    return [p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts] if folder.is_dir() else []


def program_digest() -> str:
    """The version and the package's code (``*.py``) and geometry: a change of the program rebuilds all."""
    package = _package()
    code = [p for p in _tree(package, "*.py") if not SKIPPED_DIRS & set(p.relative_to(package).parts[:-1])]
    return __version__ + ":" + digest_files(code + _tree(package / "data" / "geo"), package)


def language_digest(lang: str) -> str:
    """The translations of ``lang``: its .po catalogs (and any compiled .mo beside them)."""
    if lang == "en":
        return "source language"
    files = list(i18n.catalog_files(lang))
    files += [p for folder in {f.parent for f in files} for p in folder.glob("*.mo")]
    return digest_files(files, None)


def components(session: Session, langs: list[str], options: dict[str, Any]) -> dict[str, str]:
    """The checksum of every input a unit may read, by name (computed before any data is)."""
    site = _package() / "publish" / "site"
    catalog = _tree(catalog_path()) + [p for extra in extra_catalogs() for p in _tree(extra)]
    found: dict[str, str] = {
        "program": program_digest(),
        "templates": digest_files(_tree(site / "templates"), site),
        "static": digest_files(_tree(site / "static"), site),
        "catalog": digest_text(sorted((p.as_posix(), digest_files([p])) for p in catalog)),
        "options": digest_text(options),
        "changes": digest_text(session.change_records()),
        "store": session.version(),
    }
    for lang in i18n.LANGS:
        found[f"lang:{lang}"] = language_digest(lang)
    by_source: dict[str, list[str]] = {}
    for vintage in session.vintages():
        by_source.setdefault(vintage.source_id, []).append(vintage.vintage)
    for source, ids in by_source.items():
        found[f"vintage:{source}"] = digest_text([ids, session.pins.get(source)])
    return found


def indicator_sources(indicator: str) -> set[str]:
    """The sources an indicator reads: its series', those of the indicators it is built on and of its
    ``rank_by``, and the report's stated figures (its marks)."""
    specs, owners = indicator_specs(), source_of_series()
    seen: set[str] = set()
    sources = {STATED_SOURCE}
    todo = [indicator]
    while todo:
        current = todo.pop()
        if current in seen or current not in specs:
            continue
        seen.add(current)
        spec = specs[current]
        for item in spec.inputs.values():
            if item.series:
                sources.add(owners.get(item.series, f"?{item.series}"))
            if item.indicator:
                todo.append(item.indicator)
        if spec.rank_by:
            todo.append(spec.rank_by)
    return sources


@dataclass(frozen=True)
class Deps:
    """What a unit reads: languages, sources (None: every source, and the changelog), extra checksums
    computed during the build (``name → checksum``), and whether it reads the store's version token."""

    langs: tuple[str, ...]
    sources: frozenset[str] | None = None
    extra: dict[str, str] = field(default_factory=dict)
    store: bool = False

    @classmethod
    def everything(cls, langs: Iterable[str], store: bool = False) -> Deps:
        """A unit that may show anything of the site in ``langs``."""
        return cls(tuple(langs), None, {}, store)


def _reason(name: str) -> str:
    kind, _, what = name.partition(":")
    return {"vintage": f"{what} vintage changed", "lang": f"{what} translations changed",
            "page": "what the page shows of other indicators changed", "new": "not in the previous build",
            "changes": "changelog changed", "store": "store changed", "full": "--full"}.get(kind, f"{kind} changed")


class Builder:
    """Decides, unit by unit, whether to redo it or to link its files from the previous build."""

    def __init__(self, staging: Path | None, previous: Path | None, found: dict[str, str], full: bool,
                 data_dates: dict[str, str]) -> None:
        self.staging = staging
        self.previous = previous
        self.old = {} if full else read_manifest(previous)
        self.components = found
        self.full = full
        self.dates = data_dates
        self.units: dict[str, dict[str, Any]] = {}
        self.reasons: dict[str, int] = {}
        self.rebuilt = self.reused = 0
        self._known: set[str] = set()

    def unchanged(self) -> bool:
        """Whether nothing any unit reads changed since the previous build (and it is intact)."""
        old = self.old
        return bool(old) and old.get("format") == FORMAT and old.get("components") == self.components \
            and self.previous is not None and (self.previous / MANIFEST).is_file()

    def names(self, deps: Deps) -> list[str]:
        """The components ``deps`` reads."""
        names = list(BASE) + [f"lang:{lang}" for lang in deps.langs]
        if deps.sources is None:
            names += ["changes", *sorted(k for k in self.components if k.startswith("vintage:"))]
        else:
            names += sorted(f"vintage:{s}" for s in deps.sources)  # "" while the source has no vintage
        if deps.store:
            names.append("store")
        return names + sorted(deps.extra)

    def data_date(self, deps: Deps) -> str:
        """The date of the newest vintage ``deps`` reads (the date a page shows)."""
        sources = self.dates if deps.sources is None else {s: self.dates[s] for s in deps.sources if s in self.dates}
        return max(sources.values(), default="")

    def run(self, name: str, deps: Deps, make: Callable[[], int], files: Callable[[], list[Path]] | None) -> int:
        """Redo the unit ``name`` or link its files from the previous build; return its page count."""
        assert self.staging is not None
        checks = {n: self.components.get(n, "") for n in self.names(deps)} | deps.extra
        before = self.old.get("units", {}).get(name)
        changed = self._changed(before, checks)
        if not changed and self._link(before["files"], hard=files is not None):
            self.units[name] = before
            self.reused += _pages(before["files"])
            return int(before["count"])
        count = make()
        written = [p.relative_to(self.staging).as_posix() for p in files()] if files else self._new_files()
        self._known.update(written)
        self.units[name] = {"checks": checks, "files": sorted(written), "count": count}
        pages = _pages(written)
        self.rebuilt += pages
        for reason in changed or ["files"]:
            self.reasons[_reason(reason)] = self.reasons.get(_reason(reason), 0) + pages
        return count

    def _changed(self, before: dict[str, Any] | None, checks: dict[str, str]) -> list[str]:
        if self.full:
            return ["full"]
        if before is None:
            return ["new"]
        old = before.get("checks", {})
        return sorted(n for n in set(checks) | set(old) if checks.get(n) != old.get(n))

    def _link(self, files: list[str], hard: bool) -> bool:
        """Take ``files`` from the previous build; False when one is missing there. Only the files of a
        unit that names what it writes (``hard``: nothing else writes them) are hard-linked; the others
        are copied, so that a later unit writing the same path never changes the published build."""
        assert self.staging is not None
        if self.previous is None or not all((self.previous / f).is_file() for f in files):
            return False
        for rel in files:
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target.unlink()
            try:
                if not hard:
                    raise OSError("copy")
                os.link(self.previous / rel, target)
            except OSError:
                shutil.copyfile(self.previous / rel, target)
        self._known.update(files)
        return True

    def _new_files(self) -> list[str]:
        assert self.staging is not None
        now = {p.relative_to(self.staging).as_posix() for p in _walk(self.staging)}
        new = sorted(now - self._known - {MANIFEST})
        self._known = now
        return new

    def summary(self) -> str:
        """"12 pages rebuilt: census_trade vintage changed (12); 784 unchanged"."""
        why = "; ".join(f"{k} ({v})" for k, v in sorted(self.reasons.items(), key=lambda kv: -kv[1]) if v)
        return f"{self.rebuilt} pages rebuilt" + (f": {why}" if why else "") + f"; {self.reused} unchanged"

    def write_manifest(self) -> None:
        """``.usmca-build.json``: the build date, every component's checksum and every unit."""
        assert self.staging is not None
        document = {"format": FORMAT, "generator": "usmca-monitor", "version": __version__,
                    "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "components": self.components, "units": self.units,
                    "rebuilt": self.rebuilt, "unchanged": self.reused, "summary": self.summary()}
        atomic_write(self.staging / MANIFEST, (json.dumps(document, sort_keys=True, indent=0) + "\n").encode())


def _pages(files: Iterable[str]) -> int:
    return sum(1 for f in files if f.endswith(".html"))


def _walk(root: Path) -> Iterable[Path]:
    for folder, _dirs, names in os.walk(root):
        for name in names:
            yield Path(folder) / name


def read_manifest(build: Path | None) -> dict[str, Any]:
    """The manifest of a build folder ({} when there is none or it is unreadable)."""
    if build is None:
        return {}
    try:
        document: dict[str, Any] = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document


def data_dates(session: Session) -> dict[str, str]:
    """Source → the date (YYYY-MM-DD) of the vintage the session reads of it."""
    dates = {}
    for source in {v.source_id for v in session.vintages()}:
        current = session.current_vintage(source)
        if current is not None:
            dates[source] = (current.created or "")[:10]
    return dates
