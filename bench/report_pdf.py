"""Benchmark: the PDF report in one language from the embedded data (issue #15: under 60 s on 2 cores).

Prints the whole build's time, its two parts — the data (goals judged, facts checked, TDR; the baseline,
run in the same process) and the typesetting (charts drawn, HTML laid out and written by WeasyPrint) —
their ratio, and peak memory (max RSS). ``bench/build_site.py`` times the site; the lead merges the two.

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


def main() -> None:
    """Build the report once from a fresh store (embedded data only) and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with Session(Path(tmp) / "home") as session:
            data = report_data(session)
            middle = time.perf_counter()
            written = write_report(Path(tmp) / f"report.{args.lang}.pdf", args.lang, session=session, data=data)
        end = time.perf_counter()
    total, data_s, typeset = end - start, middle - start, end - middle
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"report ({args.lang}): {written.pages} pages in {total:.1f} s "
          f"({'under' if total < TARGET_SECONDS else 'OVER'} the {TARGET_SECONDS:.0f} s target)")
    print(f"  data (baseline) {data_s:.1f} s · typesetting {typeset:.1f} s · "
          f"typesetting/data ratio {typeset / data_s:.2f}")
    print(f"  peak memory (max RSS) {peak:.0f} MB")


if __name__ == "__main__":
    main()
