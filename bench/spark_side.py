"""The Spark half of ``trade_engine.py``: the same engine (the same Ibis formulas) through Ibis's PySpark
backend (``store/spark.py``, local mode) over the same Parquet file, timed against the hand-written
DuckDB SQL, with the peak memory of the process tree (the Python driver and Spark's JVM, its child).

Each query is run once and checked against the hand SQL's rows, then timed ``--spark-repeat`` times
(cold: Spark plans and runs it again; only the compiled SQL text is reused). If Spark at ``--rows``
has not finished within ``--spark-budget`` seconds (15 minutes by default) the run stops and Spark is
timed at ``--spark-fallback`` rows instead (2M), against the hand SQL at those rows, and says so.
"""

from __future__ import annotations

import argparse
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procmem import TreeSampler
from trade_engine import SERIES, SOURCE_ID, VINTAGE, Bench, PeakMemory, Side, Timing, prepare, run_duckdb
from usmca_monitor.codelists import load_codelists
from usmca_monitor.indicators.engine import Engine, SeriesInput
from usmca_monitor.store.warehouse import FileEntry, Vintage

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


class OverBudget(Exception):
    """Spark did not finish within the budget."""


@dataclass
class SparkTiming:
    """Spark's timings of one query, with the hand SQL's best time at the same rows."""

    name: str
    rows: int
    sql_wall: float
    spark: Side = field(default_factory=Side)


def _engine(reader: Any, path: Path) -> Engine:
    vintage = Vintage(VINTAGE, SOURCE_ID, "", "bench", 0, root=path.parent,
                      files=(FileEntry(path=path.name, rows=0, series=(SERIES,)),))
    table = reader.table(vintage, SERIES)
    table = table.filter(table.vintage == VINTAGE)  # as the DuckDB side reads it
    return Engine({SERIES: SeriesInput(table, VINTAGE, SOURCE_ID, freqs=frozenset({"M"}))}, load_codelists())


def _time_all(args: argparse.Namespace, bench: Bench, path: Path, timings: list[Timing],
              deadline: float) -> list[SparkTiming]:
    from usmca_monitor.store.spark import SparkReader

    reader = SparkReader()
    engine = _engine(reader, path)
    out = []
    try:
        for t in timings:
            indicator, freq = t.name.split(" [")[0], t.name.split("[")[1].rstrip("]")
            expr = engine.compute(indicator, freq).table
            first = reader.execute(expr)
            bench.check(f"spark {t.name}", first, bench.run_sql(indicator, freq))
            del first
            timing = SparkTiming(t.name, t.rows, min(t.sql.wall))
            for _ in range(args.spark_repeat):
                with timing.spark.run():
                    reader.execute(expr)
            out.append(timing)
            print(f"  spark {t.name}: {min(timing.spark.wall):.1f} s", flush=True)
            if time.perf_counter() > deadline:
                raise OverBudget
    finally:
        reader.close()
    return out


def run_spark(args: argparse.Namespace, bench: Bench, path: Path, timings: list[Timing]) -> None:
    """Time Spark at ``--rows`` (or at the fallback rows when over budget) and print the report."""
    from usmca_monitor.store.spark import spark_session, stop_spark

    print(f"\nSpark engine (Ibis → PySpark, local mode), budget {args.spark_budget:.0f} s at {args.rows:,} rows")
    rows = args.rows
    with TreeSampler() as tree:
        start = time.perf_counter()
        spark_session()
        started = time.perf_counter() - start
        try:
            found = _time_all(args, bench, path, timings, start + args.spark_budget)
        except OverBudget:
            print(f"Spark did not finish at {rows:,} rows within {args.spark_budget:.0f} s: "
                  f"timing it at {args.spark_fallback:,} rows instead")
            rows = args.spark_fallback
            small = argparse.Namespace(**{**vars(args), "rows": rows, "keep": True, "print_sql": False})
            small_path = prepare(small, PeakMemory())
            small_bench, small_timings = run_duckdb(small, small_path, PeakMemory())
            found = _time_all(args, small_bench, small_path, small_timings, float("inf"))
        finally:
            elapsed = time.perf_counter() - start
    stop_spark()
    _report(found, rows, started, elapsed, tree.peak)


def _report(found: list[SparkTiming], rows: int, started: float, elapsed: float, peak: float) -> None:
    print(f"\n{'query (spark, ' + format(rows, ',') + ' rows)':<34}{'rows':>11}{'spark s':>9}{'SQL s':>8}{'ratio':>8}")
    for t in found:
        print(f"{t.name:<34}{t.rows:>11,}{min(t.spark.wall):>9.2f}{t.sql_wall:>8.3f}"
              f"{min(t.spark.wall) / t.sql_wall:>8.2f}")
    spark = sum(min(t.spark.wall) for t in found)
    sql = sum(t.sql_wall for t in found)
    print(f"{'total':<34}{'':>11}{spark:>9.2f}{sql:>8.3f}{spark / sql:>8.2f}")
    print(f"Spark engine / hand DuckDB SQL at {rows:,} rows: {spark / sql:.2f} (wall clock; Spark session "
          f"start {started:.1f} s not counted; whole Spark phase {elapsed:.0f} s)")
    print(f"Spark phase peak, process tree (Python driver + JVM): {peak:,.0f} MB")
