"""The Spark reader (``--engine spark``): the warehouse's Parquet files through Ibis's PySpark backend."""

from __future__ import annotations

import ibis.expr.types as ir

from usmca_monitor.model.errors import UsmcaError
from usmca_monitor.store.warehouse import Vintage


class SparkReader:
    """Not available yet in this version."""

    name = "spark"

    def __init__(self) -> None:
        raise UsmcaError("the Spark engine is not available in this version", "--engine", "use --engine duckdb")

    def table(self, vintage: Vintage, series: str) -> ir.Table:
        """The observations of ``series`` in ``vintage``."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop the Spark session."""
