"""Benchmark: a generated year of Census HS10 detail (≥ 50M lines: HS10 × country × district × month)
streamed into the store's partitioned Parquet in bounded memory (target: peak RSS under 2 GB).

Two parts, in one process:

1. **The year.** ``--rows`` detail lines over 12 months, generated month by month as parsed detail
   (``country, commodity, period, value``: what ``sources/census_bulk.parse_lines`` makes of the
   fixed-width text) in batches of ``--batch`` lines, summed per month by ``census_bulk.sum_parsed``,
   mapped to partners with the world total added by ``census_bulk.observations`` and written by
   ``Writer.stream_vintage`` — the bulk import path minus the text slicing (50M fixed-width records
   would be 34 GB of text to generate). Census country codes are drawn (skewed) from the codelist,
   commodities from ``--products`` ten-digit codes, districts from 45.
2. **The text.** ``--parse-lines`` IMP_DETL.TXT records (688 characters, the Census layout) in one
   generated IMDB archive, read by ``census_bulk.read_archive``: lines per second of the parser.

Prints rows read and written, seconds, rows per second, the Parquet size and the peak RSS of each part
(``ru_maxrss``, reset between parts on Linux). Never fails on timings: a benchmark, not a test.
``--rows 2000000 --parse-lines 100000`` runs in seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from usmca_monitor.codelists import load_codelists
from usmca_monitor.sources import census_bulk
from usmca_monitor.store import Vintage, Warehouse

DISTRICTS = 45
SOURCE = "census_trade"


def peak_mb() -> float:
    """``ru_maxrss`` in MB."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def reset_peak() -> None:
    """Reset the high-water mark (Linux), so each part reports its own peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def country_codes() -> list[str]:
    """Census codes of individual countries (4 digits) from the codelist."""
    codes = load_codelists().census
    return sorted(c for c in codes if len(c) == 4 and c.isdigit() and c[0] != "0")


def month_batches(month: int, lines: int, batch: int, products: int, rng: np.random.Generator,
                  countries: pa.Array, commodities: pa.Array) -> Iterator[pa.Table]:
    """One month of parsed detail lines, ``batch`` at a time: (country, commodity) trade lines drawn
    skewed, one line per district shipment."""
    period = pa.scalar(f"2024-{month:02d}")
    for start in range(0, lines, batch):
        n = min(batch, lines - start)
        country = np.minimum((len(countries) * rng.power(0.35, n)).astype(np.int32), len(countries) - 1)
        product = np.minimum((products * rng.power(0.6, n)).astype(np.int32), products - 1)
        value = np.exp(rng.uniform(6, 16, n)).astype(np.int64)
        yield pa.table({"country": countries.take(pa.array(country)), "commodity": commodities.take(pa.array(product)),
                        "period": pa.repeat(period, n), "value": pa.array(value)})
        _ = rng.integers(0, DISTRICTS, n)  # the district of each line: summed away, as Census lines are


def year_of_batches(args: argparse.Namespace, counts: dict[str, int]) -> Iterator[pa.Table]:
    """The observation batches of the generated year (counting lines read and rows written)."""
    rng = np.random.default_rng(14)
    countries = pa.array(country_codes())
    commodities = pa.array([f"{(q * 104729) % 10**10:010d}" for q in range(args.products)])
    codelists = load_codelists()
    per_month = args.rows // 12
    for month in range(1, 13):
        lines = per_month + (args.rows - per_month * 12 if month == 12 else 0)
        detail = census_bulk.sum_parsed(month_batches(month, lines, args.batch, args.products, rng, countries,
                                                      commodities))
        counts["read"] += lines
        for batch in census_bulk.observations(detail, codelists, "import", SOURCE, "census_trade@bench", "bench"):
            counts["written"] += batch.num_rows
            yield batch
        del detail
        print(f"  2024-{month:02d}: {counts['read']:,} lines read, {counts['written']:,} rows written, "
              f"peak {peak_mb():,.0f} MB", flush=True)


def bench_year(args: argparse.Namespace, home: Path) -> None:
    """Part 1: the generated year through ``Writer.stream_vintage``."""
    reset_peak()
    counts = {"read": 0, "written": 0}
    start = time.perf_counter()
    with Warehouse(home).writer() as writer:
        vintage = writer.stream_vintage(Vintage("census_trade@bench", SOURCE, "2026", "import", 0),
                                        year_of_batches(args, counts), [])
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in (home / "observations").rglob("*.parquet"))
    print(f"year: {counts['read']:,} detail lines → {vintage.rows:,} observations in {len(vintage.files)} file(s), "
          f"{size / 1e6:,.0f} MB Parquet, {seconds:,.1f} s ({counts['read'] / seconds:,.0f} lines/s); "
          f"peak RSS {peak_mb():,.0f} MB (target < 2048 MB: {'met' if peak_mb() < 2048 else 'NOT met'})")


def bench_text(args: argparse.Namespace, work: Path) -> None:
    """Part 2: IMP_DETL.TXT records in one archive through the fixed-width parser."""
    path = work / "IMDB2401.ZIP"
    rng = np.random.default_rng(1)
    codes = country_codes()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf, zf.open("IMP_DETL.TXT", "w") as out:
        zeros = "0".rjust(15) * 44
        for start in range(0, args.parse_lines, 100_000):
            n = min(100_000, args.parse_lines - start)
            country = rng.integers(0, len(codes), n)
            product = rng.integers(0, args.products, n)
            value = np.exp(rng.uniform(6, 16, n)).astype(np.int64)
            out.write("".join(
                f"{(p * 104729) % 10**10:010d}{codes[c]}00{d:02d}{d:02d}61202401"  # positions 1-28
                + zeros[:150] + f"{v:>15}" + zeros[165:660] + "\r\n"  # gen_val_mo at 179-193 of 688
                for c, p, v, d in zip(country, product, value, rng.integers(1, DISTRICTS, n), strict=True)
            ).encode())
    reset_peak()
    began = time.perf_counter()
    rows = sum(b.num_rows for b in census_bulk.read_archive(path, load_codelists(), SOURCE, "census_trade@text"))
    seconds = time.perf_counter() - began
    print(f"text: {args.parse_lines:,} IMP_DETL records ({path.stat().st_size / 1e6:,.0f} MB zipped) → {rows:,} "
          f"observations in {seconds:,.1f} s ({args.parse_lines / seconds:,.0f} lines/s); peak RSS {peak_mb():,.0f} MB")


def main(argv: list[str] | None = None) -> None:
    """Run both parts in a temporary store (removed afterwards unless --keep)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=50_000_000, help="detail lines in the year (default 50M)")
    parser.add_argument("--batch", type=int, default=1_000_000, help="lines per generated batch (default 1M)")
    parser.add_argument("--products", type=int, default=18_000, help="HS10 codes in use (default 18,000)")
    parser.add_argument("--parse-lines", type=int, default=1_000_000, help="IMP_DETL records to parse (default 1M)")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bulk_hs10-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"pyarrow {pa.__version__}; work folder {work}")
    try:
        bench_year(args, work / "home")
        if args.parse_lines:
            bench_text(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
