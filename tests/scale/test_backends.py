"""Every backend gives exactly the pandas results: counts, lead tables, times, statistics.

The events are the same on each engine (pandas, polars eager and lazy, pyarrow, DuckDB,
``na.scan`` over Parquet, Dask on a LocalCluster, PySpark local[2]); the expected values
are the pandas results, themselves checked against hand-counted data in
``test_funnel_reference`` and against the engine-neutral narwhals path by the property
tests (the pandas path is a separate, faster implementation).
"""

from __future__ import annotations

import dataclasses
import importlib
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.funnel import MISSING_GROUP, funnel, lead_table, lead_times

funnel_module = sys.modules["netanalysis.funnel"]
fast_path = importlib.import_module("netanalysis._funnel_pandas")
#: As in conftest.py (the cluster ones carry the ``cluster`` marker).
ALL_BACKENDS = ("pandas", "polars", "polars_lazy", "pyarrow", "duckdb", "scan", "dask", "pyspark")
TIMES = ["contacted", "responded", "interview", "rejected", "accepted"]


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    """A seeded cohort log: 3 seekers, 300 leads, canonical dtypes."""
    return na.simulate(n_leads=300, seekers=3, seed=5).events


@pytest.fixture(scope="module")
def tied() -> pd.DataFrame:
    """Hand-made leads whose events tie in time, lack a channel, or lack a date."""
    t = pd.Timestamp("2024-05-01 09:00", tz="UTC")
    rows = [
        # lead, channel, stage, timestamp
        ("a", "referral", "contacted", t),
        ("a", "job_board", "contacted", t),  # tie at the first event: smallest label wins
        ("a", "linkedin", "interview", t + pd.Timedelta(days=3)),
        ("b", None, "contacted", t),  # missing channel -> "(missing)"
        ("b", "recruiter", "responded", t + pd.Timedelta(days=1)),
        ("c", "in_person", "offer", t + pd.Timedelta(days=9)),
        ("c", "referral", "contacted", t + pd.Timedelta(days=2)),  # out of order rows
        ("d", "cold_email", "contacted", pd.NaT),  # undated, but dated events exist
        ("d", "linkedin", "responded", t + pd.Timedelta(hours=5)),
        ("e", "social_media", "rejected", pd.NaT),  # only undated events
        ("e", "industry_group", "contacted", pd.NaT),
        ("f", "recruiter", "meeting", t + pd.Timedelta(days=4)),
        ("f", "recruiter", "offer", t + pd.Timedelta(days=4)),  # tie at the target
        ("f", "linkedin", "responded", t + pd.Timedelta(days=4)),
    ]
    frame = pd.DataFrame(rows, columns=["lead", "channel", "stage", "timestamp"])
    frame["seeker"] = np.where(frame["lead"] < "d", "S1", "S2")
    frame["timestamp"] = frame["timestamp"].astype("datetime64[us, UTC]")
    return frame


def test_funnel_reference(tied: pd.DataFrame) -> None:
    """Counts of the hand-made log, worked out by hand (first-event attribution).

    a: first events tie (referral, job_board) -> job_board; reaches interview.
    b: first event has no channel -> (missing); responded. c: first event referral
    (row order does not matter); offer. d: first dated event linkedin; responded.
    e: no dated event -> smallest label industry_group; contacted (a rejection implies
    contact). f: three events tie (recruiter, recruiter, linkedin) -> linkedin; offer.
    Rows in taxonomy order, labels outside it last.
    """
    counts = funnel(tied)
    expected = pd.DataFrame(
        {
            "contacted": [1, 2, 1, 1, 1],
            "responded": [1, 2, 0, 1, 1],
            "interview": [1, 1, 0, 1, 0],
            "offer": [0, 1, 0, 1, 0],
        },
        index=pd.Index(
            ["job_board", "linkedin", "industry_group", "referral", MISSING_GROUP],
            name="channel",
        ),
    )
    pd.testing.assert_frame_equal(counts, expected)


def test_last_attribution_reference(tied: pd.DataFrame) -> None:
    """``attribution="last"``: the last event before the lead reached the last stage.

    a never reaches offer: its last event (linkedin). c reached offer on day 9; its last
    event before that is the referral contact. f's events tie with the offer: the events
    before it at that time are meeting (recruiter) and responded (linkedin): largest
    label, recruiter.
    """
    table = lead_table(tied, attribution="last").set_index("lead")["channel"]
    assert table.to_dict() == {
        "a": "linkedin",
        "b": "recruiter",
        "c": "referral",
        "d": "linkedin",
        "e": "social_media",
        "f": "recruiter",
    }


def _assert_same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(actual, expected, check_exact=True)


def _groupings(backend: str) -> tuple[object, ...]:
    """Every grouping locally; fewer on the cluster engines (each call is a few jobs)."""
    if backend in ("dask", "pyspark"):
        return ("channel",)  # the statistics below group by [mode, seeker]
    return ("channel", "mode", ["channel", "seeker"], "seeker", "direction")


@pytest.mark.parametrize("backend", ALL_BACKENDS)
def test_funnel_counts_match_pandas(backend, events, to_backend) -> None:
    data = to_backend(backend, events)
    for by in _groupings(backend):
        for attribution in ("first", "last"):
            expected = funnel(events, by=by, attribution=attribution)
            _assert_same(funnel(data, by=by, attribution=attribution), expected)
    stages = ["contacted", "meeting", "offer"]
    _assert_same(funnel(data, stages=stages), funnel(events, stages=stages))


@pytest.mark.parametrize("backend", ALL_BACKENDS)
def test_lead_tables_match_pandas(backend, events, to_backend) -> None:
    data = to_backend(backend, events)
    cluster = backend in ("dask", "pyspark")
    for attribution in ("first",) if cluster else ("first", "last"):
        _assert_same(
            lead_table(data, by=["channel", "company"], attribution=attribution),
            lead_table(events, by=["channel", "company"], attribution=attribution),
        )
    for attribution in ("last",) if cluster else ("first", "last"):
        _assert_same(
            lead_times(data, stages=TIMES, by="mode", attribution=attribution),
            lead_times(events, stages=TIMES, by="mode", attribution=attribution),
        )


@pytest.mark.parametrize("backend", [b for b in ALL_BACKENDS if b != "scan"])
def test_ties_missing_values_and_undated_events(backend, tied, to_backend) -> None:
    """Not for na.scan, which (as na.load) reads a missing channel as 'other' and rejects
    undated rows."""
    data = to_backend(backend, tied)
    for attribution in ("first", "last"):
        _assert_same(funnel(data, attribution=attribution), funnel(tied, attribution=attribution))
        _assert_same(
            lead_times(data, stages=TIMES, attribution=attribution),
            lead_times(tied, stages=TIMES, attribution=attribution),
        )


@pytest.mark.parametrize("backend", ["pandas", "polars", "duckdb", "dask"])
def test_string_columns_and_other_time_zones_give_the_same_results(
    backend, events, to_backend
) -> None:
    """Categorical or plain text labels, times in UTC or in New York: same instants, same
    results (times come back in UTC)."""
    text = events.astype({"channel": "str", "stage": "str", "direction": "str", "mode": "str"})
    text["timestamp"] = text["timestamp"].dt.tz_convert("America/New_York")
    data = to_backend(backend, text)
    _assert_same(funnel(data, by="mode"), funnel(events, by="mode"))
    _assert_same(lead_times(data, stages=TIMES), lead_times(events, stages=TIMES))


def _result_tables(result: object) -> dict[str, pd.DataFrame]:
    tables = {}
    for field in dataclasses.fields(result):  # type: ignore[arg-type]
        value = getattr(result, field.name)
        if isinstance(value, pd.DataFrame):
            tables[field.name] = value
    return tables


STATISTICS = {
    "conversion": lambda data: na.conversion(data, by="channel"),
    "compare": lambda data: na.compare(data, by="mode", to_stage="interview"),
    "bayes": lambda data: na.bayes(data, by="channel", to_stage="responded", draws=2_000),
    "time_to": lambda data: na.time_to(data, stage="responded", by="mode"),
}


@pytest.mark.parametrize("backend", ALL_BACKENDS)
@pytest.mark.parametrize("statistic", list(STATISTICS))
def test_statistics_match_pandas(statistic, backend, events, to_backend) -> None:
    """Same p-values, intervals and Kaplan-Meier curves on every engine."""
    compute = STATISTICS[statistic]
    try:
        expected = compute(events)
    except NotImplementedError:  # pragma: no cover - while the statistics are written
        pytest.skip(f"na.{statistic} is not implemented yet (raises NotImplementedError)")
    actual = compute(to_backend(backend, events))
    tables = _result_tables(expected)
    assert tables, f"{statistic} result holds no table"
    for name, table in tables.items():
        pd.testing.assert_frame_equal(
            _result_tables(actual)[name], table, check_exact=False, rtol=1e-12, obj=name
        )


# ---------------------------------------------------------------------------------------
# The pandas fast path and the narwhals path are the same function
# ---------------------------------------------------------------------------------------

CHANNEL_VALUES = ["job_board", "linkedin", "referral", "recruiter", None, "Zeta Forum"]
STAGE_VALUES = ["contacted", "responded", "meeting", "interview", "offer", "rejected", "accepted"]


@st.composite
def event_logs(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 40))
    lead = draw(st.lists(st.sampled_from(["L1", "L2", "L3", "L4", "L5"]), min_size=n, max_size=n))
    seeker = draw(st.lists(st.sampled_from(["S1", "S2"]), min_size=n, max_size=n))
    channel = draw(st.lists(st.sampled_from(CHANNEL_VALUES), min_size=n, max_size=n))
    stage = draw(st.lists(st.sampled_from(STAGE_VALUES), min_size=n, max_size=n))
    # Few distinct days, so that ties are common; some events undated.
    day = draw(st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=n, max_size=n))
    stamps = [
        pd.NaT if d is None else pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(days=d)
        for d in day
    ]
    return pd.DataFrame(
        {
            "seeker": seeker,
            "lead": lead,
            "channel": pd.Series(channel, dtype="str"),
            "stage": stage,
            "timestamp": pd.Series(stamps, dtype="datetime64[us, UTC]"),
        }
    )


def _narwhals_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_path, "use_pandas_path", lambda data: False)


@settings(max_examples=25)
@given(log=event_logs(), attribution=st.sampled_from(["first", "last"]))
def test_pandas_path_equals_narwhals_path(log, attribution) -> None:
    """Random logs with ties, undated events, missing and unknown channels, leads shared
    by two seekers: the numpy pandas path and the narwhals path agree exactly."""
    fast = {
        "funnel": funnel(log, by=["channel", "seeker"], attribution=attribution),
        "mode": funnel(log, by="mode", attribution=attribution),
        "leads": lead_table(log, attribution=attribution),
        "times": lead_times(log, stages=TIMES, attribution=attribution),
    }
    with pytest.MonkeyPatch.context() as patch:
        _narwhals_path(patch)
        slow = {
            "funnel": funnel(log, by=["channel", "seeker"], attribution=attribution),
            "mode": funnel(log, by="mode", attribution=attribution),
            "leads": lead_table(log, attribution=attribution),
            "times": lead_times(log, stages=TIMES, attribution=attribution),
        }
    for name in fast:
        pd.testing.assert_frame_equal(fast[name], slow[name], obj=name)


@settings(max_examples=25)
@given(log=event_logs())
def test_encoded_ordered_and_join_attribution_agree(log) -> None:
    """The three ways the narwhals path picks a lead's first group (arithmetic encoding
    when the labels are known, ordered aggregation, self-join) give the same table."""
    import polars as pl

    frame = pl.from_pandas(log)
    expected = lead_table(log, by="channel")
    ordered = lead_table(frame, by="channel")  # polars: first(order_by=...)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(funnel_module, "supports_ordered_aggregation", lambda lf: False)
        patch.setattr(funnel_module, "_known_labels", lambda lf, spec: None)
        joined = lead_table(frame, by="channel")
    labels = sorted({v for v in CHANNEL_VALUES if v is not None} | {MISSING_GROUP})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(funnel_module, "_known_labels", lambda lf, spec: {"channel": labels})
        encoded = lead_table(frame, by="channel")
    for table in (ordered, joined, encoded):
        pd.testing.assert_frame_equal(table, expected)


@settings(max_examples=25)
@given(log=event_logs())
def test_row_order_and_duplicates_change_nothing(log) -> None:
    shuffled = pd.concat([log, log.iloc[::2]]).sample(frac=1.0, random_state=0)
    pd.testing.assert_frame_equal(funnel(shuffled), funnel(log))
    pd.testing.assert_frame_equal(lead_times(shuffled, stages=TIMES), lead_times(log, stages=TIMES))


def test_unsupported_input_names_what_is_accepted() -> None:
    with pytest.raises(na.errors.ParameterError, match="pandas, polars, pyarrow, DuckDB"):
        funnel([1, 2, 3])


def test_text_timestamps_are_refused_with_a_hint(events) -> None:
    import polars as pl

    frame = pl.from_pandas(events).with_columns(pl.col("timestamp").cast(pl.String))
    with pytest.raises(na.errors.ParameterError, match=r"na\.load\(\.\.\.\) or na\.scan"):
        funnel(frame)


@pytest.mark.cluster
def test_backend_notices_do_not_reach_users(events, dask_client) -> None:
    """Dask-through-narwhals announces a plugin that is not published yet; users of
    netanalysis cannot act on it, so it is not shown (pytest turns warnings into errors)."""
    import dask.dataframe as dd

    from netanalysis.backends import backend_of

    frame = dd.from_pandas(events, npartitions=2)
    assert backend_of(frame) == "dask"
    _assert_same(funnel(frame), funnel(events))
