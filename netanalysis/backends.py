"""Which engine holds the events, and how its small results come back as pandas.

netanalysis reduces events (millions of rows) to small tables where the data lives, through
narwhals: pandas, polars, pyarrow, DuckDB (also :func:`netanalysis.scan`), Dask and PySpark
frames are accepted. This module recognises the frame, opens it as a narwhals
``LazyFrame`` and converts collected results to the pandas dtypes the rest of the package
uses (``str`` text, ``datetime64[us, UTC]`` times, ``int64`` counts), whatever engine and
session time zone produced them.

Examples:
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"lead": ["a"], "stage": ["contacted"]})
    >>> backend_of(frame)
    'pandas'
    >>> to_lazy(frame).collect_schema().names()
    ['lead', 'stage']
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import narwhals as nw
import pandas as pd

from netanalysis.errors import ParameterError

__all__ = [
    "ORDERED_AGGREGATION",
    "backend_of",
    "collect_pandas",
    "quiet",
    "supports_ordered_aggregation",
    "to_lazy",
    "to_pandas_dtypes",
]

#: Engines whose narwhals group-by supports ``first(order_by=...)`` / ``last(order_by=...)``
#: (an arg-min style aggregation, one pass, no self-join). Others use a join instead.
ORDERED_AGGREGATION: frozenset[str] = frozenset(
    {"pandas", "modin", "cudf", "polars", "pyarrow", "duckdb", "ibis"}
)

# Library notices that a user of netanalysis cannot act on (the plugin they name is not
# published yet); shown once per call otherwise, and turned into errors by strict test runs.
_NOTICES: tuple[tuple[str, type[Warning]], ...] = (
    ("Dask support is moving out of Narwhals", FutureWarning),
)


@contextmanager
def quiet() -> Iterator[None]:
    """Silence backend notices a netanalysis user cannot act on (see ``_NOTICES``)."""
    with warnings.catch_warnings():
        for message, category in _NOTICES:
            warnings.filterwarnings("ignore", message=message, category=category)
        yield


def backend_of(data: Any) -> str:
    """The engine holding ``data``: ``pandas``, ``polars``, ``pyarrow``, ``duckdb``, ``dask``,
    ``pyspark``, ... (narwhals' implementation name); ``"unknown"`` for anything else.

    Examples:
        >>> import pyarrow as pa
        >>> backend_of(pa.table({"a": [1]})), backend_of([1, 2])
        ('pyarrow', 'unknown')
    """
    try:
        with quiet():
            frame = nw.from_native(data)
    except TypeError:
        return "unknown"
    return str(frame.implementation.value)


def to_lazy(data: Any) -> nw.LazyFrame[Any]:
    """Open ``data`` as a narwhals ``LazyFrame`` (eager frames are wrapped, not copied).

    Raises:
        ParameterError: ``data`` is not a frame narwhals knows.
    """
    try:
        with quiet():
            frame = nw.from_native(data)
    except TypeError as exc:
        raise ParameterError(
            "Expected an events frame (pandas, polars, pyarrow, DuckDB, Dask, PySpark, or "
            f"na.scan(...)). Got {type(data).__name__}. Load data with na.load(...) or "
            "na.scan(...) first."
        ) from exc
    with quiet():
        return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def supports_ordered_aggregation(frame: nw.LazyFrame[Any]) -> bool:
    """True when the engine aggregates ``first(order_by=...)`` inside a group-by.

    Examples:
        >>> supports_ordered_aggregation(to_lazy(pd.DataFrame({"a": [1]})))
        True
    """
    return str(frame.implementation.value) in ORDERED_AGGREGATION


def collect_pandas(frame: nw.LazyFrame[Any]) -> pd.DataFrame:
    """Run a (small) lazy result and return it as pandas with the package's dtypes."""
    with quiet():
        out = frame.collect().to_pandas()
    return to_pandas_dtypes(out)


def to_pandas_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Text as ``str``, times as ``datetime64[us, UTC]`` (naive times read as UTC).

    Engines disagree on both: Dask returns pyarrow-backed ``string`` columns, DuckDB and
    Spark label UTC with their session zone (``Etc/UTC``, ``America/New_York``...), and
    some return nanoseconds.

    Examples:
        >>> f = pd.DataFrame({"t": pd.to_datetime(["2024-01-01 12:00"]).tz_localize("Etc/GMT+5"),
        ...                   "s": pd.array(["a"], dtype="string")})
        >>> out = to_pandas_dtypes(f)
        >>> str(out["t"].dtype), str(out["t"].iloc[0]), str(out["s"].dtype)
        ('datetime64[us, UTC]', '2024-01-01 17:00:00+00:00', 'str')
    """
    frame = frame.copy(deep=False)
    for column in frame.columns:
        values = frame[column]
        dtype = values.dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            if str(dtype) != "datetime64[us, UTC]":
                frame[column] = values.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
        elif pd.api.types.is_datetime64_dtype(dtype):
            frame[column] = values.dt.tz_localize("UTC").astype("datetime64[us, UTC]")
        elif isinstance(dtype, pd.StringDtype) and dtype != "str":
            frame[column] = values.astype("str")
        elif (
            pd.api.types.is_object_dtype(dtype)
            and pd.api.types.infer_dtype(values, skipna=True) == "string"
        ):
            frame[column] = values.astype("str").where(values.notna())
    return frame
