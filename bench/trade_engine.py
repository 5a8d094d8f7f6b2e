"""Benchmark: the indicator engine (Ibis over DuckDB) against hand-written DuckDB SQL.

Generates a Census-shaped table (HS10 × country × district × month U.S. trade, in the observation
schema plus a ``district`` column) as Parquet, then times, in one process and on one DuckDB
connection, the engine's ``compute(indicator, freq)`` and hand-written SQL for the same rows: the
trade deficit ratio, the share of imports, year-over-year growth of total trade and the rank by
total trade. Both sides fetch their whole result as Arrow; the results are checked to match
(row count, keys, and values to 1e-9 relative) before anything is timed.

Prints seconds per query (warm-up, then best of ``--repeat``), the engine/SQL ratio (target ≤ 1.2)
and the peak resident memory (target < 2 GB). It never fails on timings: it is a benchmark, not a
test. Run ``python bench/trade_engine.py --help``; ``--rows 200000`` runs in seconds.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pyarrow.compute as pc

from usmca_monitor.codelists import Codelists, data_path, load_codelists
from usmca_monitor.indicators.engine import OUTPUT_KEYS, Engine, SeriesInput
from usmca_monitor.store.reader import DuckReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procmem import TreeSampler

SERIES = "census.trade.partner"  # the series the trade indicator specs read (catalog/indicators/trade)
VINTAGE = "bench@1"
SOURCE_ID = "bench"
TOTAL = "WLD"
FIRST_YEAR = 2019
MONTHS = 72  # 2019-01 … 2024-12
PRODUCTS = 18_000  # HS10 codes in use (the order of the 10-digit import and export lines)
DISTRICTS = 45  # Census customs districts
ROWS_PER_LINE = 40  # rows per (partner, product) trade line on average: sets how sparse the table is
TOLERANCE = 1e-9
BENCH_DIR = Path(__file__).resolve().parent

# Per frequency: the sub-period of a month (a SQL expression over ``month``), months a complete
# period needs, and the period label from ``year`` and ``sub`` — as indicators/periods.py makes them.
FREQS: dict[str, tuple[str, int, str]] = {
    "A": ("0", 12, "CAST(year AS VARCHAR)"),
    "H": ("CASE WHEN month <= 6 THEN 1 ELSE 2 END", 6, "year || '-H' || sub"),
    "Q": ("(month - 1) // 3 + 1", 3, "year || '-Q' || sub"),
}


# --------------------------------------------------------------------------------------------- data
def partner_codes(codelists: Codelists, count: int) -> list[str]:
    """``count`` ISO3 codes from the embedded ``countries.csv`` (countries only), in a fixed
    shuffled order: the first ones are drawn most often."""
    with data_path("codelists", "countries.csv").open(newline="", encoding="utf-8") as fh:
        codes = sorted(row["iso3"] for row in csv.DictReader(fh))
    codes = [c for c in codes if c in codelists.areas and codelists.areas[c].is_country]
    return random.Random(0).sample(codes, min(count, len(codes)))


def _detail_sql(rows: int, partners: list[str]) -> str:
    """SELECT of ``rows`` monthly HS10 × country × district rows, deterministic (hash of the row number).

    Rows belong to skewed "trade lines" (partner, product); a line trades in some months, flows and
    districts; values are log-uniform from ~$400 to ~$9M.
    """
    lines = max(1_000, rows // ROWS_PER_LINE)
    codes = "[" + ", ".join(f"'{c}'" for c in partners) + "]"

    def unit(expr: str) -> str:
        return f"((hash({expr}) % 1000003) / 1000003.0)"

    return f"""
        WITH r AS (
            SELECT CAST(floor({lines} * pow({unit('i, 1')}, 2)) AS BIGINT) AS line,
                   hash(i, 3) AS h, {unit('i, 4')} AS u
            FROM range({rows}) AS t(i)),
        k AS (
            SELECT CAST(floor({len(partners)} * pow({unit('line, 5')}, 3)) AS INTEGER) AS p,
                   CAST(hash(line, 6) % {PRODUCTS} AS INTEGER) AS q,
                   CAST(h % {MONTHS} AS INTEGER) AS mo, CAST((h // {MONTHS}) % 2 AS INTEGER) AS f,
                   CAST((h // {2 * MONTHS}) % {DISTRICTS} AS INTEGER) AS d, u
            FROM r)
        SELECT '{SERIES}' AS series, 'USA' AS geo, {codes}[p + 1] AS partner,
               printf('HS:%02d%08d', 1 + q % 97, q * 7919) AS product,
               CASE f WHEN 0 THEN 'export' ELSE 'import' END AS flow, 'value' AS measure,
               printf('%04d-%02d', {FIRST_YEAR} + mo // 12, 1 + mo % 12) AS period, 'M' AS freq,
               round(exp(6 + 10 * u), 2) AS value, 'USD' AS unit, '{SOURCE_ID}' AS source_id,
               '{VINTAGE}' AS vintage, 'official' AS status, printf('%02d', 1 + d) AS district
        FROM k"""


def generate(con: duckdb.DuckDBPyConnection, path: Path, rows: int, partners: list[str]) -> None:
    """Write the table to ``path``: the detail rows, then one ``WLD`` row per (product, flow, month)
    summing all partners and districts (the total the share formula divides by)."""
    detail = path.with_suffix(".detail.parquet")
    con.execute(f"COPY ({_detail_sql(rows, partners)}) TO '{detail}' (FORMAT parquet)")
    con.execute(f"""
        COPY (
            SELECT * FROM read_parquet('{detail}')
            UNION ALL
            SELECT series, geo, '{TOTAL}' AS partner, product, flow, measure, period, freq, sum(value) AS value,
                   unit, source_id, vintage, status, NULL AS district
            FROM read_parquet('{detail}')
            GROUP BY series, geo, product, flow, measure, period, freq, unit, source_id, vintage, status
        ) TO '{path}' (FORMAT parquet)""")
    detail.unlink()


# ------------------------------------------------------------------------------------ hand-written SQL
def _monthly_ctes(freq: str) -> str:
    """CTEs ``mm`` (the series' monthly rows with integer ``year``, ``month``, ``sub``) and
    ``complete`` (the (year, sub) periods whose months are all in the data calendar)."""
    sub, needed, _ = FREQS[freq]
    return f"""
        src AS NOT MATERIALIZED (  -- read twice (calendar, sums): scan it twice rather than store it
            SELECT geo, partner, product, flow, value,
                   CAST(substr(period, 1, 4) AS INTEGER) AS year, CAST(substr(period, 6, 2) AS INTEGER) AS month
            FROM obs
            WHERE series = '{SERIES}' AND measure = 'value' AND freq = 'M' AND vintage = '{VINTAGE}'),
        mm AS (SELECT *, {sub} AS sub FROM src),
        complete AS (
            SELECT year, {sub} AS sub FROM (SELECT DISTINCT year, month FROM src)
            GROUP BY ALL HAVING count(*) = {needed})"""


def _total_trade_cte() -> str:
    """CTE ``tt``: exports + imports per partner, product and period (complete or not)."""
    return """
        tt AS (
            SELECT geo, partner, product, year, sub,
                   coalesce(sum(value) FILTER (WHERE flow = 'export'), 0)
                   + coalesce(sum(value) FILTER (WHERE flow = 'import'), 0) AS value
            FROM mm
            GROUP BY ALL)"""


def sql_tdr(freq: str) -> str:
    """Trade deficit ratio (imports − exports) / exports."""
    label = FREQS[freq][2]
    return f"""
        WITH {_monthly_ctes(freq)},
        xm AS (
            SELECT geo, partner, product, year, sub,
                   coalesce(sum(value) FILTER (WHERE flow = 'export'), 0) AS x,
                   coalesce(sum(value) FILTER (WHERE flow = 'import'), 0) AS m
            FROM mm
            GROUP BY ALL)
        SELECT geo, partner, product, {label} AS period, '{freq}' AS freq,
               CASE WHEN x <> 0 THEN (m - x) / x END AS value
        FROM xm SEMI JOIN complete USING (year, sub)"""


def sql_share_imports(freq: str) -> str:
    """A partner's imports as a percent of the ``WLD`` row's imports (same product and period)."""
    label = FREQS[freq][2]
    return f"""
        WITH {_monthly_ctes(freq)},
        imp AS (
            SELECT geo, partner, product, year, sub, sum(value) AS value
            FROM mm
            WHERE flow = 'import'
            GROUP BY ALL),
        done AS (SELECT * FROM imp SEMI JOIN complete USING (year, sub)),
        total AS (SELECT geo, product, year, sub, value AS total FROM done WHERE partner = '{TOTAL}')
        SELECT geo, partner, product, {label} AS period, '{freq}' AS freq,
               CASE WHEN total <> 0 THEN 100.0 * value / total END AS value
        FROM done JOIN total USING (geo, product, year, sub)"""


def sql_total_trade_yoy(freq: str) -> str:
    """Percent change of total trade against the same period a year earlier."""
    label = FREQS[freq][2]
    return f"""
        WITH {_monthly_ctes(freq)}, {_total_trade_cte()},
        done AS (SELECT * FROM tt SEMI JOIN complete USING (year, sub)),
        earlier AS (SELECT geo, partner, product, year + 1 AS year, sub, value AS earlier FROM done)
        SELECT geo, partner, product, {label} AS period, '{freq}' AS freq,
               CASE WHEN earlier <> 0 THEN 100.0 * (value / earlier - 1) END AS value
        FROM done JOIN earlier USING (geo, partner, product, year, sub)"""


def sql_rank_total_trade(freq: str) -> str:
    """Rank (1 = largest, ties share the best) of each country by total trade within product and period."""
    label = FREQS[freq][2]
    return f"""
        WITH {_monthly_ctes(freq)}, {_total_trade_cte()}
        SELECT geo, partner, product, {label} AS period, '{freq}' AS freq,
               CAST(rank() OVER (PARTITION BY geo, product, year, sub ORDER BY value DESC) AS DOUBLE) AS value
        FROM tt SEMI JOIN complete USING (year, sub)
        WHERE partner IN (SELECT code FROM bench_countries)"""


QUERIES: dict[str, Callable[[str], str]] = {  # indicator id → hand-written SQL at a frequency
    "tdr": sql_tdr,
    "share_imports": sql_share_imports,
    "total_trade_yoy": sql_total_trade_yoy,
    "rank_total_trade": sql_rank_total_trade,
}


# ----------------------------------------------------------------------------------------- measuring
class PeakMemory:
    """Peak resident memory (``ru_maxrss``) per phase.

    On Linux the high-water mark is reset between phases (``/proc/self/clear_refs``) so each phase
    gets its own peak; elsewhere every phase reports the process peak so far.
    """

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self.resettable = self._reset()

    @staticmethod
    def _reset() -> bool:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    @staticmethod
    def current_mb() -> float:
        """``ru_maxrss`` in MB (kilobytes on Linux, bytes on macOS)."""
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024

    def mark(self, phase: str) -> None:
        """Record the peak since the last mark under ``phase``, then reset the high-water mark."""
        self.peaks[phase] = max(self.peaks.get(phase, 0.0), self.current_mb())
        if self.resettable:
            self._reset()

    @property
    def overall(self) -> float:
        """The peak over all phases."""
        return max([*self.peaks.values(), self.current_mb()])


@dataclass
class Side:
    """Runs of one side: wall-clock and CPU seconds (all threads) of each."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @contextmanager
    def run(self) -> Iterator[None]:
        """Record the wall-clock and CPU seconds the block takes."""
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)


@dataclass
class Timing:
    """Timings of one indicator at one frequency."""

    name: str
    rows: int = 0
    build_ms: float = 0.0
    engine: Side = field(default_factory=Side)
    sql: Side = field(default_factory=Side)


class Bench:
    """The engine and the hand-written SQL on one DuckDB connection over the generated Parquet."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, memory: PeakMemory) -> None:
        self.con = con
        self.memory = memory
        con.execute(f"CREATE OR REPLACE VIEW obs AS SELECT * FROM read_parquet('{path}')")
        codelists = load_codelists()
        countries = [a.code for a in codelists.areas.values() if a.is_country]
        con.register("bench_countries", pa.table({"code": countries}))
        self.ibis = ibis.duckdb.from_connection(con)
        self.reader = DuckReader(backend=self.ibis)  # as the session reads: SQL compiled once per expression
        obs = self.ibis.table("obs")
        table = obs.filter(obs.vintage == VINTAGE)  # as the session reads one vintage
        self.engine = Engine({SERIES: SeriesInput(table, VINTAGE, SOURCE_ID, freqs=frozenset({"M"}))}, codelists)

    def engine_sql(self, indicator: str, freq: str) -> str:
        """The SQL Ibis sends to DuckDB for the engine's result (built and compiled on first call, then
        kept: the engine caches the expression per indicator and frequency, the reader its SQL)."""
        return self.reader.sql(self.engine.compute(indicator, freq).table)

    def run_engine(self, indicator: str, freq: str) -> pa.Table:
        """The engine's result, fully fetched: a cold call (the query runs again; only the compiled
        SQL is reused, no result)."""
        result: pa.Table = self.reader.execute(self.engine.compute(indicator, freq).table)
        self.memory.mark("engine")
        return result

    def run_sql(self, indicator: str, freq: str) -> pa.Table:
        """The hand-written SQL's result, fully fetched."""
        result: pa.Table = self.con.sql(QUERIES[indicator](freq)).to_arrow_table()
        self.memory.mark("sql")
        return result

    def measure(self, indicator: str, freq: str, repeat: int) -> Timing:
        """Warm up both sides, check they agree, then time ``repeat`` runs of each (alternating)."""
        timing = Timing(f"{indicator} [{freq}]")
        start = time.perf_counter()
        self.engine_sql(indicator, freq)
        timing.build_ms = 1000 * (time.perf_counter() - start)
        engine_rows, sql_rows = self.run_engine(indicator, freq), self.run_sql(indicator, freq)
        timing.rows = self.check(timing.name, engine_rows, sql_rows)
        del engine_rows, sql_rows
        for _ in range(repeat):
            with timing.engine.run():
                self.run_engine(indicator, freq)
            with timing.sql.run():
                self.run_sql(indicator, freq)
        return timing

    def check(self, name: str, engine_rows: pa.Table, sql_rows: pa.Table) -> int:
        """Raise unless both results have the same rows (keys, values to ``TOLERANCE`` relative)."""
        sums = [pc.sum(t["value"]).as_py() or 0.0 for t in (engine_rows, sql_rows)]
        self.con.register("bench_engine", engine_rows)
        self.con.register("bench_sql", sql_rows)
        on = " AND ".join(f"e.{k} IS NOT DISTINCT FROM s.{k}" for k in OUTPUT_KEYS)
        same = (f"(e.value IS NULL AND s.value IS NULL) OR "
                f"abs(e.value - s.value) <= {TOLERANCE} * greatest(abs(e.value), abs(s.value))")
        found = self.con.execute(f"""
            SELECT count(*), count(*) FILTER (WHERE NOT coalesce({same}, false))
            FROM bench_engine AS e JOIN bench_sql AS s ON {on}""").fetchall()[0]
        self.con.unregister("bench_engine")
        self.con.unregister("bench_sql")
        self.memory.mark("check")
        matched, differing = found
        problems = [] if engine_rows.num_rows else ["no rows"]
        if not engine_rows.num_rows == sql_rows.num_rows == matched:
            problems.append(f"rows: engine {engine_rows.num_rows}, SQL {sql_rows.num_rows}, same keys {matched}")
        if differing:
            problems.append(f"{differing} values differ")
        if not math.isclose(sums[0], sums[1], rel_tol=TOLERANCE, abs_tol=1e-6):
            problems.append(f"checksums differ: engine {sums[0]!r}, SQL {sums[1]!r}")
        if problems:
            raise RuntimeError(f"{name}: engine and SQL disagree: " + "; ".join(problems))
        return engine_rows.num_rows


# ------------------------------------------------------------------------------------------ running
def connect(threads: int, memory_limit: str, work: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the benchmark's thread and memory limits."""
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{work / 'spill'}'")
    return con


def prepare(args: argparse.Namespace, memory: PeakMemory) -> Path:
    """The Parquet file for ``--rows``: generated (on a connection of its own, closed after, so the
    timed connection starts clean), or reused with ``--keep`` when it exists."""
    path = args.work / f"trade_{args.rows}.parquet"
    if args.keep and path.exists():
        print(f"reusing {path}")
    else:
        args.work.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        con = connect(args.threads, args.memory_limit, args.work)
        try:
            generate(con, path, args.rows, partner_codes(load_codelists(), args.partners))
        finally:
            con.close()
        print(f"generated {path} in {time.perf_counter() - start:.1f} s")
    memory.mark("generate")
    return path


def describe(con: duckdb.DuckDBPyConnection, path: Path, args: argparse.Namespace) -> None:
    """Print the table's size and the settings."""
    found = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE partner = '{TOTAL}'), count(DISTINCT partner),
               count(DISTINCT product), min(period), max(period)
        FROM read_parquet('{path}')""").fetchall()[0]
    total, world, partners, products, first, last = found
    print(f"table: {total:,} rows ({total - world:,} detail + {world:,} {TOTAL} totals), "
          f"{partners} partners, {products:,} products, {first}..{last}, "
          f"{path.stat().st_size / 1e6:,.0f} MB Parquet")
    print(f"duckdb {duckdb.__version__}, ibis {ibis.__version__}; threads={args.threads}, "
          f"memory_limit={args.memory_limit}; warm-up + best of {args.repeat}; {load()}")


def load() -> str:
    """The 1-minute load average against the cores (other work on the machine skews timings)."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def report(timings: list[Timing], memory: PeakMemory) -> None:
    """Print the table of timings (best wall-clock and best CPU seconds), the total ratios and peak memory."""
    print()
    print(f"{'query':<24}{'rows':>11}{'engine s':>10}{'SQL s':>8}{'ratio':>7}"
          f"{'engine cpu':>12}{'SQL cpu':>9}{'ratio':>7}{'build ms':>10}")
    for t in timings:
        print(f"{t.name:<24}{t.rows:>11,}{min(t.engine.wall):>10.3f}{min(t.sql.wall):>8.3f}"
              f"{min(t.engine.wall) / min(t.sql.wall):>7.2f}{min(t.engine.cpu):>12.3f}{min(t.sql.cpu):>9.3f}"
              f"{min(t.engine.cpu) / min(t.sql.cpu):>7.2f}{t.build_ms:>10.0f}")
    totals = [sum(min(getattr(getattr(t, side), kind)) for t in timings)
              for kind in ("wall", "cpu") for side in ("engine", "sql")]
    wall, cpu = totals[0] / totals[1], totals[2] / totals[3]
    print(f"{'total':<24}{'':>11}{totals[0]:>10.3f}{totals[1]:>8.3f}{wall:>7.2f}"
          f"{totals[2]:>12.3f}{totals[3]:>9.3f}{cpu:>7.2f}")
    print(f"engine/SQL target ≤ 1.20: {'met' if wall <= 1.2 else 'NOT met'} (wall clock), "
          f"{'met' if cpu <= 1.2 else 'NOT met'} (CPU); after: {load()}")
    overall = memory.overall
    phases = ", ".join(f"{k} {v:,.0f}" for k, v in memory.peaks.items())
    print(f"peak RSS: {overall:,.0f} MB (target < 2048 MB: {'met' if overall < 2048 else 'NOT met'}); "
          f"by phase{'' if memory.resettable else ' (cumulative)'}: {phases} MB")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=20_000_000, help="detail rows to generate (default 20M)")
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "_work", help="work folder (default bench/_work)")
    parser.add_argument("--keep", action="store_true", help="reuse the Parquet file of --rows when it exists")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per side after a warm-up (default 3)")
    parser.add_argument("--freqs", default="A,H", help="frequencies, comma-separated, of A, H, Q (default A,H)")
    parser.add_argument("--queries", default=",".join(QUERIES), help="indicators, comma-separated (default all)")
    parser.add_argument("--partners", type=int, default=200, help="partner countries (default 200)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory_limit (default 1GB)")
    parser.add_argument("--print-sql", action="store_true", help="print the engine's and the hand SQL")
    parser.add_argument("--no-spark", dest="spark", action="store_false", help="skip the Spark engine")
    parser.add_argument("--spark-budget", type=float, default=900.0,
                        help="seconds Spark may take at --rows before the bench runs it at --spark-fallback rows")
    parser.add_argument("--spark-fallback", type=int, default=2_000_000, help="rows for Spark when over budget")
    parser.add_argument("--spark-repeat", type=int, default=1, help="timed Spark runs after a checked warm-up")
    args = parser.parse_args(argv)
    args.freqs = [f.strip().upper() for f in args.freqs.split(",") if f.strip()]
    args.queries = [q.strip() for q in args.queries.split(",") if q.strip()]
    unknown = [f for f in args.freqs if f not in FREQS] + [q for q in args.queries if q not in QUERIES]
    if unknown:
        parser.error(f"unknown frequency or query: {', '.join(unknown)}")
    if args.repeat < 1 or args.rows < 1:
        parser.error("--repeat and --rows must be at least 1")
    return args


def run_duckdb(args: argparse.Namespace, path: Path, memory: PeakMemory) -> tuple[Bench, list[Timing]]:
    """Time the DuckDB engine against the hand SQL on the table at ``path``."""
    con = connect(args.threads, args.memory_limit, args.work)
    describe(con, path, args)
    bench = Bench(con, path, memory)
    timings = []
    for freq in args.freqs:
        for indicator in args.queries:
            if args.print_sql:
                print(f"\n-- {indicator} [{freq}] engine:\n{bench.engine_sql(indicator, freq)}")
                print(f"-- {indicator} [{freq}] hand-written:\n{QUERIES[indicator](freq)}")
            timings.append(bench.measure(indicator, freq, args.repeat))
            print(f"  {timings[-1].name}: done", flush=True)
    return bench, timings


def main(argv: list[str] | None = None) -> None:
    """Generate (or reuse) the table, time both sides, print the report; then the Spark engine."""
    args = parse_args(argv)
    memory = PeakMemory()
    path = prepare(args, memory)
    with TreeSampler() as duck_tree:
        bench, timings = run_duckdb(args, path, memory)
    report(timings, memory)
    print(f"DuckDB phase peak, process tree (no JVM runs yet): {duck_tree.peak:,.0f} MB")
    if args.spark:
        from spark_side import run_spark

        run_spark(args, bench, path, timings)


if __name__ == "__main__":
    main()
