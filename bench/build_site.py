"""Benchmark: the full site build from the embedded data (every page, in en, es and fr: the topic
pages, an indicator page and an embed per indicator, country profiles, reference pages, the search
index, and every download — CSV, XLSX, JSON, metadata, API tree, data package).

Prints the wall-clock and CPU seconds and the peak resident memory of the full build, and, as a
baseline in the same process, of the build without the indicator pages, downloads and search
(the sections the site had before them); then the ratio. Also the seconds of each section. Targets:
the full build under 120 s and 1.5 GB on 2 cores. It never fails on timings (a benchmark, not a test).

    .venv/bin/python bench/build_site.py                 # baseline, then the full build
    .venv/bin/python bench/build_site.py --no-baseline   # the full build only
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from usmca_monitor.publish import build
from usmca_monitor.publish.i18n import LANGS

NEW_SECTIONS = ("indicators", "reference")


def _reset_peak() -> None:
    """Reset the kernel's peak RSS of this process (Linux), so that each phase gets its own peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the Pagefind binary
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


def run(label: str, sections: tuple[object, ...], work: Path) -> dict[str, float]:
    """One build into ``work/label`` with ``sections``; returns wall, cpu, peak MB and per-section seconds."""
    marks: list[tuple[str, float]] = []

    def progress(text: str) -> None:
        marks.append((text.split(" (")[0], time.perf_counter()))

    saved = build.SECTIONS
    build.SECTIONS = sections  # type: ignore[assignment]
    _reset_peak()
    start, cpu = time.perf_counter(), _cpu()
    try:
        report = build.build_site(work / label / "_site", list(LANGS), progress=progress, home=work / "home")
    finally:
        build.SECTIONS = saved
    wall, used = time.perf_counter() - start, _cpu() - cpu
    per: dict[str, float] = {}
    ends = [t for _, t in marks[1:]] + [start + wall]
    for (name, began), ended in zip(marks, ends, strict=True):
        per[name] = per.get(name, 0.0) + ended - began
    files = sum(1 for p in (work / label / "_site").resolve().rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in (work / label / "_site").resolve().rglob("*") if p.is_file())
    print(f"{label:<9} {wall:8.1f} s wall  {used:8.1f} s cpu  peak {_peak_mb():7.0f} MB  {report.pages} pages, "
          f"{files} files, {size / 1e6:.0f} MB")
    return {"wall": wall, "cpu": used, "peak": _peak_mb(), **{f"section:{k}": v for k, v in per.items()}}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-baseline", action="store_true", help="skip the build without the new sections")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        os.environ["USMCA_HOME"] = str(work / "home")
        name_of: Callable[[object], str] = lambda s: getattr(s, "__name__", "").rsplit(".", 1)[-1]  # noqa: E731
        base = None
        if not args.no_baseline:
            base = run("baseline", tuple(s for s in build.SECTIONS if name_of(s) not in NEW_SECTIONS), work)
        full = run("full", build.SECTIONS, work)
        print("seconds per section (full build, all languages):")
        for key, value in sorted(full.items(), key=lambda kv: -kv[1]):
            if key.startswith("section:"):
                print(f"  {key[8:]:<18} {value:7.1f}")
        if base:
            print(f"full / baseline: wall {full['wall'] / base['wall']:.2f}, cpu {full['cpu'] / base['cpu']:.2f}, "
                  f"peak {full['peak'] / base['peak']:.2f}")
        print(f"targets: wall < 120 s ({'met' if full['wall'] < 120 else 'NOT met'}), "
              f"peak < 1536 MB ({'met' if full['peak'] < 1536 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
