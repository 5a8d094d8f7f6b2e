"""The Spark reader (``--engine spark``): the warehouse's Parquet files through Ibis's PySpark backend,
so the catalog's formulas run unchanged on Spark.

Local mode by default (``local[2]``); a cluster by configuration: ``USMCA_SPARK_MASTER`` (e.g.
``spark://host:7077`` or ``yarn``), ``USMCA_SPARK_DRIVER_MEMORY`` (default ``2g``),
``USMCA_SPARK_SHUFFLE_PARTITIONS`` (default 8). The Spark UI is off and the driver binds to
127.0.0.1 (``SPARK_LOCAL_IP``). One Spark session per process, shared by every reader; it stops when
the process ends (or ``stop_spark()``). Needs the ``spark`` extra (``pip install 'usmca-monitor[spark]'``)
and Java 17 or later.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import warnings
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.store.reader import Compiled, chosen_paths, empty_observations
from usmca_monitor.store.warehouse import Vintage

# The observation schema in Spark's DDL (model/observation.py): given, so no job infers it from the files.
SCHEMA_DDL = ("series STRING, geo STRING, partner STRING, product STRING, flow STRING, measure STRING, "
              "period STRING, freq STRING, value DOUBLE, unit STRING, source_id STRING, vintage STRING, "
              "status STRING")

_SESSION: dict[str, Any] = {}
_LOCK = threading.Lock()


class SparkUnavailable(UsmcaError):
    """The Spark engine was asked for where pyspark or Java is missing."""


def settings() -> dict[str, str]:
    """The Spark settings of this process (from the environment)."""
    return {
        "spark.master": os.environ.get("USMCA_SPARK_MASTER", "local[2]"),
        "spark.app.name": "usmca-monitor",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": os.environ.get("USMCA_SPARK_DRIVER_MEMORY", "2g"),
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.host": "127.0.0.1",
        "spark.sql.shuffle.partitions": os.environ.get("USMCA_SPARK_SHUFFLE_PARTITIONS", "8"),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "false",  # as DuckDB and the formulas expect: x/0 inside a guarded branch
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }


def check_available() -> None:
    """A SparkUnavailable error (one line with the fix) unless pyspark and Java are here."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable("the Spark engine needs pyspark", "--engine spark",
                               "pip install 'usmca-monitor[spark]' (or use --engine duckdb)") from None
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))):
        raise SparkUnavailable("the Spark engine needs Java 17 or later", "--engine spark",
                               "install it (Debian: apt-get install openjdk-17-jre-headless) or use --engine duckdb")


def spark_session() -> Any:
    """The process's Spark session (started on first use)."""
    with _LOCK:
        if "session" not in _SESSION:
            check_available()
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            # pyspark 4 warns that it does not fully support pandas 3; results are fetched as Arrow
            warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
            from pyspark.sql import SparkSession

            builder = SparkSession.builder
            for key, value in settings().items():
                builder = builder.config(key, value)
            session = builder.getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
            _SESSION["session"] = session
        return _SESSION["session"]


def stop_spark() -> None:
    """Stop the process's Spark session (a later reader starts a new one)."""
    with _LOCK:
        session = _SESSION.pop("session", None)
    if session is not None:
        session.stop()


class SparkReader:
    """Ibis over PySpark: one temporary view per set of files; the process's Spark session."""

    name = "spark"

    def __init__(self, session: Any | None = None) -> None:
        self.spark = session if session is not None else spark_session()
        self.con = ibis.pyspark.connect(self.spark)
        self._views: dict[tuple[str, ...], tuple[str, ir.Table]] = {}
        self._prefix = f"usmca_obs_{os.getpid()}_{id(self):x}_"
        self.sql = Compiled(self.con)
        self._lock = threading.Lock()

    def table(self, vintage: Vintage, series: str) -> ir.Table:
        """The rows of ``series`` in ``vintage`` (an empty table when it holds none)."""
        paths, mixed = chosen_paths(vintage, series)
        if not paths:
            return empty_observations()
        with self._lock:
            found = self._views.get(paths)
            if found is None:  # files read as given: no partition discovery, every column from the file
                name = self._prefix + hashlib.sha1("\0".join(paths).encode()).hexdigest()[:16]
                self.spark.read.schema(SCHEMA_DDL).parquet(*paths).createOrReplaceTempView(name)
                found = (name, self.con.table(name))
                self._views[paths] = found
            view = found[1]
        return view.filter(view.series == series) if mixed else view

    def execute(self, expr: ir.Table) -> pa.Table:
        """The rows of ``expr`` as Arrow: the SQL compiled once, planned and run by Spark each time, and
        fetched as Arrow (not through pandas)."""
        from ibis.formats.pyarrow import PyArrowData

        fetched = self.spark.sql(self.sql(expr)).toArrow()
        result: pa.Table = expr.__pyarrow_result__(PyArrowData.convert_table(fetched, expr.schema()))
        return result

    def close(self) -> None:
        """Drop this reader's views (the Spark session is the process's, kept for other readers)."""
        with self._lock:
            for name, _ in self._views.values():
                self.spark.catalog.dropTempView(name)
            self._views.clear()
        self.sql.clear()
