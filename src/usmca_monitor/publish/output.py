"""Where a build is published, safely.

``--out DIR`` is a symbolic link to one finished build kept beside it in ``.DIR.builds/``; a new build
is written there, then the link is replaced in one rename, so the published path always shows a whole
site (the old one or the new one). A folder is only ever replaced when it is ours: a previous build
(it holds the marker file ``.usmca-site``), an empty folder, or a site written by an older version
(``index.html`` naming usmca-monitor beside ``static/``), which is accepted once and marked. Anything
else, and any folder that is or holds the store (``USMCA_HOME``), is refused with one line. Builds
into one DIR take turns (a lock in ``.DIR.builds/``), and whatever a killed build left there is removed
by the next one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from usmca_monitor import __version__
from usmca_monitor.fsutil import DIR_MODE, BusyError, atomic_write, exclusive, make_readable
from usmca_monitor.model.errors import DataError

MARKER = ".usmca-site"
LOCK = ".lock"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class OutputFolder:
    """The published path ``out`` (kept as given: it may be our link) and its builds folder."""

    def __init__(self, out: Path, store_home: Path) -> None:
        self.out = Path(os.path.abspath(out))
        self.builds = self.out.parent / f".{self.out.name}.builds"
        self.store_home = store_home.resolve()

    def check(self) -> None:
        """Refuse an ``out`` that is not ours to replace (nothing is changed then)."""
        out, real = self.out, self.out.resolve()
        if out.parent == out:
            raise DataError("refusing to publish over the root folder", str(out), "choose a new folder for --out")
        if _inside(self.store_home, real) or _inside(self.store_home, out):
            raise DataError("refusing to publish over the folder that holds the store (USMCA_HOME)", str(out),
                            "choose a folder for --out outside the store, e.g. _site")
        if out.is_symlink():
            if not (real.is_dir() and (real / MARKER).is_file()):
                raise DataError("refusing to replace a link that does not point to a usmca-monitor site", str(out),
                                "remove the link or choose another folder for --out")
            return
        if not out.exists():
            return
        if not out.is_dir():
            raise DataError("refusing to replace a file with the site", str(out), "choose a folder for --out")
        entries = sorted(p.name for p in out.iterdir())
        if not entries or MARKER in entries:
            return
        if _older_site(out):
            atomic_write(out / MARKER, _marker("accepted: a site built by an older version"))
            return
        shown = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
        raise DataError(f"refusing to replace a folder that is not a usmca-monitor site ({len(entries)} entries: "
                        f"{shown})", str(out), "choose an empty or new folder for --out")

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A new, empty build folder (0755) inside the builds folder, held under the output lock; what
        earlier killed builds left there is removed first. On an error the new folder is removed."""
        self.builds.mkdir(parents=True, exist_ok=True)
        with exclusive(self.builds / LOCK, f"the site folder {self.out}", wait=120):
            self.check()
            self._clean()
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
            folder = self.builds / f"build-{stamp}-{os.getpid()}"
            folder.mkdir(mode=DIR_MODE)
            try:
                yield folder
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise

    def publish(self, folder: Path) -> None:
        """Mark ``folder``, make it world-readable and make ``out`` point to it (one rename); then remove
        the build it replaces. Called inside ``staging()``."""
        atomic_write(folder / MARKER, _marker("built"))
        make_readable(folder)
        link = self.out.parent / f".{self.out.name}.link-{os.getpid()}"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(os.path.relpath(folder, self.out.parent))
        previous = self.out.resolve() if self.out.is_symlink() else None
        if self.out.is_dir() and not self.out.is_symlink():  # an empty folder or an older build: moved
            previous = self.builds / f"replaced-{folder.name}"  # aside once, then the link takes its place
            self.out.rename(previous)
        os.replace(link, self.out)
        if previous is not None and previous != folder.resolve() and _inside(previous, self.builds.resolve()):
            shutil.rmtree(previous, ignore_errors=True)

    def tidy(self) -> None:
        """Remove what killed builds left, when no build is running (a build that finds nothing changed
        writes nothing, but must not leave earlier leftovers behind)."""
        if not self.builds.is_dir():
            return
        try:
            with exclusive(self.builds / LOCK, f"the site folder {self.out}", wait=0):
                self._clean()
        except BusyError:
            return  # a build is running: it cleans up itself

    def _clean(self) -> None:
        """Remove every build folder the link does not point to (left by killed builds)."""
        current = self.out.resolve() if self.out.is_symlink() else None
        for item in self.builds.iterdir():
            if item.name == LOCK or (current is not None and item.resolve() == current):
                continue
            if item.is_dir() and not item.is_symlink():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
        for stray in self.out.parent.glob(f".{self.out.name}.link-*"):
            if stray.is_symlink():
                stray.unlink(missing_ok=True)


def _older_site(folder: Path) -> bool:
    """A site written by an older version: ``index.html`` naming usmca-monitor, beside ``static/``."""
    index = folder / "index.html"
    if not (index.is_file() and (folder / "static").is_dir()):
        return False
    try:
        return "usmca-monitor" in index.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return False


def _marker(note: str) -> bytes:
    return (json.dumps({"generator": "usmca-monitor", "version": __version__, "note": note}) + "\n").encode()
