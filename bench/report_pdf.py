"""Benchmark: the PDF report in one language from the embedded data (issue #15: under 60 s on 2 cores).

Prints the whole build's time, its two parts — the data (goals judged, facts checked, TDR; the baseline,
run in the same process) and the typesetting (charts drawn, HTML laid out and written by WeasyPrint) —
their ratio, and peak memory (max RSS). ``bench/build_site.py`` imports ``measure`` and prints it too.

    .venv/bin/python bench/report_pdf.py [--lang en]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from usmca_monitor.indicators.session import Session
from usmca_monitor.publish.report import report_data, write_report

TARGET_SECONDS = 60.0


def measure(lang: str = "en") -> dict[str, float]:
    """Build the report once in ``lang`` from a fresh store (embedded data only): seconds (total, data,
    typesetting), pages and peak memory (max RSS, MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with Session(Path(tmp) / "home") as session:
            data = report_data(session)
            middle = time.perf_counter()
            written = write_report(Path(tmp) / f"report.{lang}.pdf", lang, session=session, data=data)
        end = time.perf_counter()
    return {"total": end - start, "data": middle - start, "typeset": end - middle, "pages": written.pages,
            "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report_line(lang: str, found: dict[str, float]) -> str:
    """The measurement in words, against the 60 s target."""
    total = found["total"]
    return (f"report ({lang}): {found['pages']:.0f} pages in {total:.1f} s "
            f"({'under' if total < TARGET_SECONDS else 'OVER'} the {TARGET_SECONDS:.0f} s target); "
            f"data (baseline) {found['data']:.1f} s, typesetting {found['typeset']:.1f} s, "
            f"typesetting/data {found['typeset'] / found['data']:.2f}; peak (max RSS) {found['peak']:.0f} MB")


def main() -> None:
    """Build the report once from a fresh store (embedded data only) and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    print(report_line(args.lang, measure(args.lang)))


if __name__ == "__main__":
    main()
