"""Benchmark: the site build from the embedded data (every page in en, es and fr, the search index and
every download) and the incremental rebuilds (#14 item 4), then the PDF report in one language (#15).

Prints, in one process and one store: the full build (the baseline), a rebuild with nothing changed (it
must write nothing), and a rebuild after a new vintage of one source (``spi_us``, imported from the
SYNTHETIC test fixture: the timing, not the numbers, matters here) — wall and CPU seconds, pages rebuilt,
peak resident memory — with each rebuild's ratio to the full build; the seconds of each section of the
full build; then the one-language PDF report against its 60 s target (``bench/report_pdf.py``). Targets:
the full build under 120 s and 1.5 GB on 2 cores. It never fails on timings (a benchmark, not a test).

    .venv/bin/python bench/build_site.py                  # all three builds, then the report
    .venv/bin/python bench/build_site.py --no-report      # the builds only
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from usmca_monitor.publish import build
from usmca_monitor.publish.i18n import LANGS

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "spi" / "SYNTHETIC_us_states_long.csv"


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


def run(label: str, work: Path, **options: Any) -> dict[str, Any]:
    """One build into ``work/_site``; returns wall, cpu, peak MB, the report and per-section seconds."""
    marks: list[tuple[str, float]] = []

    def progress(text: str) -> None:
        marks.append((text.split(" (")[0], time.perf_counter()))

    _reset_peak()
    start, cpu = time.perf_counter(), _cpu()
    report = build.build_site(work / "_site", list(LANGS), progress=progress, home=work / "home", **options)
    wall, used = time.perf_counter() - start, _cpu() - cpu
    per: dict[str, float] = {}
    ends = [t for _, t in marks[1:]] + [start + wall]
    for (name, began), ended in zip(marks, ends[:len(marks)], strict=True):
        per[name] = per.get(name, 0.0) + ended - began
    print(f"{label:<22} {wall:8.1f} s wall  {used:8.1f} s cpu  peak {_peak_mb():7.0f} MB  {report.summary}")
    return {"wall": wall, "cpu": used, "peak": _peak_mb(), "report": report, "sections": per}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-report", action="store_true", help="skip the PDF report")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        os.environ["USMCA_HOME"] = str(work / "home")
        full = run("full build", work)
        same = run("nothing changed", work)
        from usmca_monitor import api

        api.import_file("spi_us", FIXTURE, home=work / "home")
        vintage = run("new spi_us vintage", work)
        print("seconds per section (full build, all languages):")
        for key, value in sorted(full["sections"].items(), key=lambda kv: -kv[1]):
            print(f"  {key:<18} {value:7.1f}")
        for label, phase in (("nothing changed", same), ("new spi_us vintage", vintage)):
            print(f"{label} / full build: wall {phase['wall'] / full['wall']:.3f}, "
                  f"cpu {phase['cpu'] / full['cpu']:.3f}, peak {phase['peak'] / full['peak']:.2f}")
        print(f"nothing changed wrote nothing: {'yes' if not same['report'].published else 'NO'}")
        print(f"targets: full wall < 120 s ({'met' if full['wall'] < 120 else 'NOT met'}), "
              f"peak < 1536 MB ({'met' if full['peak'] < 1536 else 'NOT met'})")
    if not args.no_report:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from report_pdf import measure, report_line

        print(report_line("en", measure("en")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
