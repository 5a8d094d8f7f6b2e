"""Benchmark: peak memory of ``usmca import`` on large files, as a multiple of the file's size.

For each layout (a tidy CSV, Census's monthly partner CSV, Census's HS2-by-country CSV, the long WDI CSV)
and each size (``--sizes``, MB; 50 and 200 by default) the benchmark writes a valid file of that size
(deterministic rows, every key once, every code in the codelists), then imports it in a fresh child
process: the child first imports a small file of the same layout into a throw-away store (so the
libraries, the codelists and the catalog are loaded), takes its resident memory as the baseline, resets
its peak (``/proc/self/clear_refs``), imports the large file into an empty store, and reports its peak
resident memory (``VmHWM``). Printed per file: size, rows, seconds, peak above the baseline and that
peak divided by the file size (target: under 3 for files of 50 MB and more).

It is a benchmark, not a test: it prints and never fails on a number. Linux only (``/proc``).

    .venv/bin/python bench/import_memory.py                 # 50 and 200 MB, the four layouts (~5 min)
    .venv/bin/python bench/import_memory.py --sizes 50 --layouts tidy
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

MB = 1024 * 1024
BENCH_DIR = Path(__file__).resolve().parent


def _status(field: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of /proc/self/status, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


# ---- the files ----

def _codes() -> tuple[list[str], list[tuple[str, str]], list[str], list[str]]:
    """Partner ISO3 codes, Census (code, name) pairs of countries, HS6 and HS2 codes of the codelists."""
    from usmca_monitor.codelists import load_codelists, product_names

    codelists = load_codelists()
    first: dict[str, str] = {}  # one Census code per country (two codes of one area would be summed)
    for code, iso in sorted(codelists.census.items()):
        if code.isdigit() and len(code) == 4 and codelists.areas[iso].is_country:
            first.setdefault(iso, code)
    unique = sorted((code, f"COUNTRY {code}") for code in first.values())
    hs = product_names("hs2022")
    hs6 = sorted(c for c in hs if len(c) == 6)
    hs2 = sorted(c for c in hs if len(c) == 2)
    partners = sorted(iso for iso, area in codelists.areas.items() if area.is_country)
    return partners, unique, hs6, hs2


def _tidy(size: int) -> Iterator[str]:
    partners, _, hs6, _ = _codes()
    yield "series,geo,partner,product,flow,measure,period,freq,value,unit\n"
    written, month = 0, 0
    while True:
        period = f"{2000 + month // 12}-{month % 12 + 1:02d}"
        for product in hs6:
            for partner in partners:
                value = (written % 99991) * 7.5
                line = f"census.trade.hs6,USA,{partner},HS:{product},import,value,{period},M,{value},USD\n"
                written += len(line)
                yield line
                if written >= size:
                    return
        month += 1


def _partner(size: int) -> Iterator[str]:
    _, census, _, _ = _codes()
    yield "year,month,cty_code,cty_name,exports_total_usd,imports_general_usd\n"
    written, month = 0, 0
    while True:
        year, m = 1000 + month // 12, month % 12 + 1
        for code, name in census:
            line = f"{year},{m},{code},{name},{(written % 999983) * 13},{(written % 999979) * 17}\n"
            written += len(line)
            yield line
            if written >= size:
                return
        month += 1


def _hs2(size: int) -> Iterator[str]:
    _, census, _, hs2 = _codes()
    yield "year,month,hs2,cty_code,cty_name,imports_general_usd\n"
    written, month = 0, 0
    while True:
        year, m = 1500 + month // 12, month % 12 + 1
        for chapter in hs2:
            for code, name in census:
                line = f"{year},{m},{chapter},{code},{name},{(written % 999983) * 11}\n"
                written += len(line)
                yield line
                if written >= size:
                    return
        month += 1


def _wdi(size: int) -> Iterator[str]:
    from usmca_monitor.catalog import source_specs
    from usmca_monitor.codelists import load_codelists

    codes = sorted(s.removeprefix("wdi.") for s in source_specs()["worldbank"].series)
    geos = sorted(iso for iso, area in load_codelists().areas.items() if area.is_country)
    yield "indicator_code,country_name,iso3,year,value\n"
    written, year = 0, 1000
    while True:
        for code in codes:
            for geo in geos:
                line = f"{code},Country {geo},{geo},{year},{1 + (written % 400) / 100}\n"  # 1-5: every rule holds
                written += len(line)
                yield line
                if written >= size:
                    return
        year += 1


LAYOUTS: dict[str, tuple[str, Callable[[int], Iterator[str]]]] = {
    "tidy": ("census_trade", _tidy), "census_partner": ("census_trade", _partner),
    "census_hs2": ("census_trade", _hs2), "wdi": ("worldbank", _wdi)}


def write(layout: str, size_mb: float, folder: Path) -> Path:
    """A file of ``layout`` of about ``size_mb`` MB (kept in ``folder`` for later runs)."""
    path = folder / f"{layout}_{size_mb:g}MB.csv"
    if not path.exists():
        with path.open("w", encoding="utf-8", newline="") as out:
            for line in LAYOUTS[layout][1](int(size_mb * MB)):
                out.write(line)
    return path


# ---- the child: one import, measured ----

def child(source: str, small: Path, large: Path, home: Path) -> None:
    """Warm up on ``small``, then import ``large`` into ``home`` and print the measures as JSON."""
    from usmca_monitor import api

    warm = home.parent / "warm-home"
    api.import_file(source, small, home=warm)
    shutil.rmtree(warm, ignore_errors=True)
    baseline = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    started = time.perf_counter()
    vintage = api.import_file(source, large, home=home)
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    print(json.dumps({"baseline": baseline, "peak": peak, "rows": vintage.rows, "seconds": seconds}))


def measure(layout: str, size_mb: float, folder: Path) -> dict[str, float]:
    source = LAYOUTS[layout][0]
    large = write(layout, size_mb, folder)
    small = write(layout, 0.05, folder)
    home = Path(tempfile.mkdtemp(prefix="usmca-bench-home-"))
    try:
        done = subprocess.run([sys.executable, __file__, "--child", source, str(small), str(large), str(home / "s")],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{layout} {size_mb} MB: the import failed:\n{done.stderr[-2000:]}")
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    result["size"] = large.stat().st_size
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200", help="file sizes in MB (comma-separated)")
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help=f"among {', '.join(LAYOUTS)}")
    parser.add_argument("--keep", action="store_true", help="keep the generated files in bench/_work/")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        source, small, large, home = args.child
        child(source, Path(small), Path(large), Path(home))
        return
    folder = BENCH_DIR / "_work" / "import_memory"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'file':<28}{'MB':>8}{'rows':>12}{'s':>8}{'base MB':>9}{'peak MB':>9}{'above MB':>10}{'ratio':>7}")
    try:
        for size in (float(s) for s in args.sizes.split(",")):
            for layout in args.layouts.split(","):
                r = measure(layout, size, folder)
                above = r["peak"] - r["baseline"]
                print(f"{layout:<28}{r['size'] / MB:>8.1f}{int(r['rows']):>12,}{r['seconds']:>8.1f}"
                      f"{r['baseline'] / MB:>9.0f}{r['peak'] / MB:>9.0f}{above / MB:>10.0f}{above / r['size']:>7.2f}",
                      flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print("target: peak above the baseline under 3x the file size (files of 50 MB and more)")


if __name__ == "__main__":
    os.environ.setdefault("USMCA_MAX_FILE_MB", "4096")
    main()
