"""Backends for the scale tests: one ``to_backend(name, events)`` and the cluster fixtures.

The cluster engines start once per test session (Spark takes a few seconds): Dask on a
``LocalCluster`` with 2 in-process workers, PySpark in local mode ``local[2]`` with two
shuffle partitions, no UI and quiet logs. Tests that need an engine that cannot start
here are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

#: In-process backends, always available (the scale extra is installed for tests).
LOCAL_BACKENDS = ("pandas", "polars", "polars_lazy", "pyarrow", "duckdb", "scan")
CLUSTER_BACKENDS = ("dask", "pyspark")

# pyspark (4.x) warns that it does not yet support pandas 3 when it touches pandas; the
# tests never hand it pandas frames (Spark reads Parquet), but its import paths warn too.
_SPARK_PANDAS = "ignore:PySpark does not yet fully support pandas:FutureWarning"


def write_parquet(events: pd.DataFrame, path: Path) -> Path:
    """Events as Parquet, the way a user's pipeline would store ``na.load`` output."""
    events.to_parquet(path, index=False)
    return path


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A Dask ``LocalCluster`` with 2 workers (threads, in this process)."""
    try:
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        )
        client = Client(cluster)
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"Dask LocalCluster cannot start here: {exc}")
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A PySpark session in local mode with 2 cores (skipped without Java)."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("PySpark needs Java (17+): no java on PATH and no JAVA_HOME")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from pyspark.sql import SparkSession

            session = (
                SparkSession.builder.master("local[2]")
                .appName("netanalysis-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.memory", "1g")
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .getOrCreate()
            )
            session.sparkContext.setLogLevel("ERROR")
        except Exception as exc:  # pragma: no cover - depends on the machine
            pytest.skip(f"PySpark cannot start a local session here: {exc}")
    yield session
    session.stop()


@pytest.fixture
def to_backend(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[[str, pd.DataFrame], Any]:
    """``to_backend(name, events)``: the same canonical events on another engine."""
    import duckdb
    import polars as pl
    import pyarrow as pa

    import netanalysis as na

    counter = iter(range(10_000))

    def convert(name: str, events: pd.DataFrame) -> Any:
        if name == "pandas":
            return events
        if name == "polars":
            return pl.from_pandas(events)
        if name == "polars_lazy":
            return pl.from_pandas(events).lazy()
        if name == "pyarrow":
            return pa.Table.from_pandas(events, preserve_index=False)
        if name == "duckdb":
            return duckdb.connect().from_arrow(pa.Table.from_pandas(events, preserve_index=False))
        if name == "scan":
            path = write_parquet(events, tmp_path / f"events-{next(counter)}.parquet")
            return na.scan(path)
        if name == "dask":
            import dask.dataframe as dd

            request.getfixturevalue("dask_client")
            return dd.from_pandas(events, npartitions=3)
        if name == "pyspark":
            session = request.getfixturevalue("spark")
            path = write_parquet(events, tmp_path / f"events-{next(counter)}.parquet")
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=FutureWarning)
                return session.read.parquet(str(path))
        raise AssertionError(name)

    return convert


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Cluster-backend tests carry the ``cluster`` marker; Spark's pandas notice is muted."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        in_scale = "tests/scale" in str(item.fspath)
        if in_scale and any(p in CLUSTER_BACKENDS for p in params if isinstance(p, str)):
            item.add_marker(pytest.mark.cluster)
        if in_scale:
            item.add_marker(pytest.mark.filterwarnings(_SPARK_PANDAS))
