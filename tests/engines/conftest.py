"""One local Spark session for the whole test run, started only when pyspark and Java are here: on a
user's clone without them the Spark tests skip with the reason; in CI (``USMCA_REQUIRE_SHARED=1``,
where ``.ci/run`` installs Java and ``make test`` installs the ``spark`` extra) they must run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The test run's Spark session (local mode, UI off, bound to 127.0.0.1)."""
    from usmca_monitor.store.spark import SparkUnavailable, check_available, spark_session, stop_spark

    try:
        check_available()
    except SparkUnavailable as exc:
        if os.environ.get("USMCA_REQUIRE_SHARED") == "1":
            pytest.fail(f"USMCA_REQUIRE_SHARED=1 but the Spark engine cannot start: {exc}")
        pytest.skip(f"the Spark engine cannot start here ({exc}); CI runs these tests")
    os.environ.setdefault("USMCA_SPARK_SHUFFLE_PARTITIONS", "2")  # tiny samples: few tasks
    session = spark_session()
    yield session
    stop_spark()
