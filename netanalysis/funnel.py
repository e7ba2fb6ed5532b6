"""Events -> per-lead furthest stage -> counts per group, on any backend.

A lead reaches a funnel stage when any of its events implies it
(:data:`netanalysis.schema.STAGE_IMPLIES`: an interview implies a response), and reaching
a stage implies every earlier stage of the funnel. Each lead is credited to one group:
the group of its first event (``attribution="first"``) or of its last event before it
reached the funnel's last stage (``"last"``). Ties between events at the same time go to
the smallest group label (``"first"``) or the largest (``"last"``); undated events count
only for a lead none of whose events is dated.

The computation is written once in narwhals expressions, so the same code runs on pandas,
polars, pyarrow, DuckDB (:func:`netanalysis.scan`), Dask and PySpark frames; only the small
result is collected. Engines with an ordered group-by aggregation (``first(order_by=)``:
DuckDB, polars, pyarrow) pick each lead's group in the same pass that finds its furthest
stage; Dask and Spark use an equivalent self-join. pandas frames take a measured fast path
(:mod:`netanalysis._funnel_pandas`: integer codes and numpy reductions, several times faster than a
string group-by); property tests keep it identical to the narwhals path.

Examples:
    >>> import netanalysis as na
    >>> events = na.simulate(n_leads=200, seed=1).events
    >>> counts = na.funnel(events, by="mode")
    >>> list(counts.columns)
    ['contacted', 'responded', 'interview', 'offer']
    >>> bool((counts.diff(axis=1).iloc[:, 1:] <= 0).all().all())  # never increases
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd

from netanalysis.backends import (
    collect_pandas,
    supports_ordered_aggregation,
    to_lazy,
    to_pandas_dtypes,
)
from netanalysis.errors import MissingColumnsError, ParameterError, check_choice
from netanalysis.schema import (
    CHANNELS,
    DEFAULT_FUNNEL,
    MODE_OF,
    MODES,
    STAGE_IMPLIES,
    STAGES,
    TERMINAL_STAGES,
    funnel_level,
)

__all__ = ["MISSING_GROUP", "funnel", "is_counts", "lead_table", "lead_times", "resolve_stages"]

Attribution = Literal["first", "last"]

#: Group label for leads whose ``by`` value is missing.
MISSING_GROUP = "(missing)"

_KEY = ["seeker", "lead"]


def resolve_stages(stages: Sequence[str] | None, *, where: str = "funnel") -> list[str]:
    """Check a user's funnel: known stage names, no repeats, at least two.

    Examples:
        >>> resolve_stages(None)
        ['contacted', 'responded', 'interview', 'offer']
    """
    if stages is None:
        return list(DEFAULT_FUNNEL)
    if isinstance(stages, str):
        stages = [s.strip() for s in stages.split(",")]
    stages = list(stages)
    for stage in stages:
        check_choice("stages", stage, tuple(STAGES), where=where)
    if len(set(stages)) != len(stages):
        raise ParameterError(f"The 'stages' parameter of {where} repeats a stage: {stages}.")
    if len(stages) < 2:
        raise ParameterError(
            f"The 'stages' parameter of {where} needs at least two stages. Got {stages}."
        )
    return stages


def is_counts(data: Any) -> bool:
    """True for a counts table (one row per group, integer columns named after stages).

    Examples:
        >>> is_counts(pd.DataFrame({"contacted": [10], "interview": [2]}, index=["referral"]))
        True
    """
    if not isinstance(data, pd.DataFrame) or "lead" in data.columns:
        return False
    stage_columns = [c for c in data.columns if c in STAGES]
    return len(stage_columns) >= 2 and all(
        pd.api.types.is_integer_dtype(data[c]) or pd.api.types.is_float_dtype(data[c])
        for c in stage_columns
    )


def _by_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _as_lazy(data: Any) -> nw.LazyFrame[Any]:
    return to_lazy(data)


@dataclass(frozen=True)
class _Spec:
    """What to compute per lead (shared by the narwhals and the pandas paths)."""

    by: list[str]
    stages: list[str]
    attribution: str
    times: list[str]  # stages whose first time (t_<s>) and reached_<s> are wanted
    known: dict[str, tuple[str, ...]] = field(default_factory=dict)  # labels a column holds

    @property
    def group_cols(self) -> list[str]:
        return [b for b in self.by if b not in _KEY]

    @property
    def target(self) -> int:
        return len(self.stages) - 1

    def levels(self) -> dict[str, int]:
        """Stage name -> funnel level (-1: implies no funnel stage)."""
        return {s: funnel_level(s, self.stages) for s in STAGES}

    def implying(self, stage: str) -> list[str]:
        return [e for e, implied in STAGE_IMPLIES.items() if stage in implied]

    def out_columns(self) -> list[str]:
        columns = [*_KEY, "_furthest", *self.group_cols]
        if self.times:
            columns += [f"t_{s}" for s in self.times] + [f"reached_{s}" for s in self.times]
            columns += ["t_close", "t_last"]
        return columns


def _check_columns(columns: list[str], spec: _Spec) -> None:
    needed = ["lead", "stage", "timestamp"]
    # mode derives from channel; a log without a seeker column is one seeker's ("me").
    needed += [b for b in spec.by if not ((b == "mode" and "channel" in columns) or b == "seeker")]
    missing = [c for c in needed if c not in columns]
    if missing:
        raise MissingColumnsError(
            missing, columns, hint="pass an events frame from na.load(...), or choose another by="
        )


# ---------------------------------------------------------------------------------------
# The narwhals path (every backend)
# ---------------------------------------------------------------------------------------


def _level_expr(spec: _Spec) -> nw.Expr:
    """Funnel level of each event's stage (-1 for none), as a short CASE."""
    by_level: dict[int, list[str]] = {}
    for stage, level in spec.levels().items():
        if level >= 0:
            by_level.setdefault(level, []).append(stage)
    expr: Any = nw
    for level in sorted(by_level, reverse=True):
        expr = expr.when(nw.col("stage").is_in(by_level[level])).then(nw.lit(level))
    return expr.otherwise(nw.lit(-1)).cast(nw.Int8).alias("_level")


def _mode_expr() -> nw.Expr:
    """``mode`` from ``channel``: unknown channels -> ``other``, missing stays missing."""
    channel = nw.col("channel").cast(nw.String)
    expr: Any = nw
    for mode in dict.fromkeys(MODE_OF.values()):
        members = [c for c, m in MODE_OF.items() if m == mode]
        expr = expr.when(channel.is_in(members)).then(nw.lit(mode))
    return expr.otherwise(nw.when(~channel.is_null()).then(nw.lit("other"))).alias("mode")


def _prepared(data: Any, spec: _Spec) -> nw.LazyFrame[Any]:
    """Select and type the columns the funnel needs; add ``mode`` and ``_level``."""
    lf = to_lazy(data)
    schema = lf.collect_schema()
    columns = schema.names()
    _check_columns(columns, spec)
    time_dtype = schema["timestamp"]
    if not isinstance(time_dtype, (nw.Datetime, nw.Date, nw.Unknown)):
        raise ParameterError(
            f"The 'timestamp' column must hold dates or times; it has type {time_dtype}. "
            "Load the data with na.load(...) or na.scan(...), which parse timestamps."
        )
    stamp = nw.col("timestamp")
    zone = getattr(time_dtype, "time_zone", None)
    engine = lf.implementation
    if zone not in (None, "UTC", "Etc/UTC") and (engine.is_pandas_like() or engine.is_dask()):
        stamp = stamp.dt.convert_time_zone("UTC")  # Dask's epoch needs UTC
    exprs = [
        nw.col("lead").cast(nw.String),
        nw.col("stage").cast(nw.String),
        stamp.cast(nw.Datetime("us")) if isinstance(time_dtype, nw.Date) else stamp,
        nw.col("seeker").cast(nw.String) if "seeker" in columns else nw.lit("me").alias("seeker"),
    ]
    for b in spec.by:
        if b in ("seeker", "lead", "stage", "timestamp"):
            continue
        if b == "mode" and "mode" not in columns:
            exprs.append(_mode_expr())
        else:
            exprs.append(nw.col(b).cast(nw.String))
    return lf.select(exprs).with_columns(
        _level_expr(spec),
        *[nw.col(b).fill_null(MISSING_GROUP) for b in spec.group_cols],
    )


def _time_columns(spec: _Spec) -> tuple[list[nw.Expr], list[nw.Expr]]:
    """Per-event columns and per-lead aggregations of :func:`lead_times`."""
    columns: list[nw.Expr] = []
    aggs: list[nw.Expr] = []
    for s in spec.times:
        hit = nw.col("stage").is_in(spec.implying(s))
        columns.append(nw.when(hit).then(nw.col("timestamp")).alias(f"t_{s}"))
        columns.append(hit.cast(nw.Int8).alias(f"reached_{s}"))
    closing = nw.col("stage").is_in(list(TERMINAL_STAGES))
    columns.append(nw.when(closing).then(nw.col("timestamp")).alias("t_close"))
    aggs += [nw.col(f"t_{s}").min() for s in spec.times]
    aggs += [nw.col(f"reached_{s}").max() for s in spec.times]
    aggs += [nw.col("t_close").min(), nw.col("timestamp").max().alias("t_last")]
    return columns, aggs


#: At most this many labels per group column for the encoded pick (see :func:`_encoded`):
#: ``epoch_us * 256`` stays within int64 for any date between the years 830 and 3110.
_MAX_LABELS = 256
_OFFSET = 2**53
_UNDATED = 2**53 - 1  # microseconds: year 2255


def _known_labels(lf: nw.LazyFrame[Any], spec: _Spec) -> dict[str, list[str]] | None:
    """The labels each group column can hold, when small and known; else None.

    ``mode`` (derived here) and the columns a :func:`netanalysis.scan` frame guarantees
    are known without looking; on engines without an ordered aggregation (Dask, Spark)
    the distinct labels are fetched (one cheap pass that saves a self-join).
    """
    known: dict[str, list[str]] = {}
    for c in spec.group_cols:
        if c in spec.known:
            known[c] = sorted({*spec.known[c], MISSING_GROUP})
    unknown = [c for c in spec.group_cols if c not in known]
    if unknown and not supports_ordered_aggregation(lf) and _has_epoch(lf):
        for c in unknown:
            values = collect_pandas(lf.select(c).unique())[c]
            if len(values) >= _MAX_LABELS:
                return None
            known[c] = sorted({str(v) for v in values if not pd.isna(v)} | {MISSING_GROUP})
        unknown = []
    return None if unknown else known


def _with_epoch(lf: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Add ``_epoch``: microseconds since 1970, undated events at :data:`_UNDATED` (after
    every real date). Raises NotImplementedError when the engine has no way to it in
    narwhals (Spark)."""
    stamp = nw.col("timestamp")
    try:
        epoch = stamp.dt.timestamp("us")
        lf.with_columns(epoch.alias("_epoch"))
    except NotImplementedError:
        # DuckDB: total_microseconds is epoch_us(), which also takes timestamps.
        if str(lf.implementation.value) != "duckdb":
            raise
        epoch = stamp.dt.total_microseconds()
    # fill_null then cast: engines that hold missing integers as floats (pandas, Dask)
    # get exact int64 arithmetic back.
    return lf.with_columns(epoch.fill_null(_UNDATED).cast(nw.Int64).alias("_epoch"))


def _has_epoch(lf: nw.LazyFrame[Any]) -> bool:
    try:
        _with_epoch(lf)
    except (NotImplementedError, TypeError):
        return False
    return True


def _encoded(
    lf: nw.LazyFrame[Any], spec: _Spec, aggs: list[nw.Expr], known: dict[str, list[str]]
) -> nw.LazyFrame[Any]:
    """First-event attribution with simple aggregations only (one pass, any engine).

    Each event gets ``(epoch_us + 2**53) * K + rank`` (rank: the label's place in string
    order among the K known labels; undated events sort after every date); the minimum
    per lead is its first event, ties going to the smallest label, and ``minimum % K``
    is that label's rank. The group columns come back as these ranks (decoded by the
    caller, on the small result). The codes stay within int64 for dates from 1685 to
    2255 (K <= 256).
    """
    columns: list[nw.Expr] = []
    codes: list[nw.Expr] = []
    for i, c in enumerate(spec.group_cols):
        expr: Any = nw
        for rank, label in enumerate(known[c]):
            expr = expr.when(nw.col(c) == nw.lit(label)).then(nw.lit(rank))
        # Every value is one of the known labels (by construction), so 0 is never used.
        columns.append(expr.otherwise(nw.lit(0)).cast(nw.Int64).alias(f"_rank{i}"))
        size = len(known[c])
        codes.append(((nw.col("_epoch") + _OFFSET) * size + nw.col(f"_rank{i}")).alias(f"_enc{i}"))
    per_lead = (
        _with_epoch(lf)
        .with_columns(*columns)
        .with_columns(*codes)
        .group_by(_KEY)
        .agg(*aggs, *[nw.col(f"_enc{i}").min() for i in range(len(spec.group_cols))])
    )
    decoded = [
        (nw.col(f"_enc{i}") % len(known[c])).cast(nw.Int64).alias(c)
        for i, c in enumerate(spec.group_cols)
    ]
    return per_lead.with_columns(*decoded).select(spec.out_columns())


def _per_lead(lf: nw.LazyFrame[Any], spec: _Spec) -> tuple[nw.LazyFrame[Any], dict[str, list[str]]]:
    """One row per lead: key, furthest level, attributed group columns (+ times).

    The second value names the group columns returned as integer codes, with their
    labels (decode them on the small, collected result).
    """
    group_cols = spec.group_cols
    aggs: list[nw.Expr] = [nw.col("_level").max().alias("_furthest")]
    if spec.times:
        time_columns, time_aggs = _time_columns(spec)
        lf = lf.with_columns(*time_columns)
        aggs += time_aggs
    ordered = supports_ordered_aggregation(lf)
    if group_cols and spec.attribution == "first":
        known = _known_labels(lf, spec)
        if known is not None and all(len(v) <= _MAX_LABELS for v in known.values()):
            try:
                return _encoded(lf, spec, aggs, known), known
            except (NotImplementedError, TypeError):  # no epoch in narwhals for this engine
                pass
    if group_cols and ordered and spec.attribution == "first":
        try:
            picks = [nw.col(c).first(order_by=["_undated", "timestamp", c]) for c in group_cols]
            return (
                lf.with_columns(nw.col("timestamp").is_null().alias("_undated"))
                .group_by(_KEY)
                .agg(*aggs, *picks)
                .select(spec.out_columns())
            ), {}
        except NotImplementedError:  # e.g. pyarrow: one order_by per group-by
            pass
    if not group_cols:
        return lf.group_by(_KEY).agg(*aggs).select(spec.out_columns()), {}
    lf = lf.with_columns(
        nw.when(nw.col("_level") >= spec.target).then(nw.col("timestamp")).alias("_at_target")
    )
    per_lead = lf.group_by(_KEY).agg(
        *aggs,
        nw.col("timestamp").min().alias("_first_ts"),
        nw.col("_at_target").min().alias("_target_ts"),
    )
    joined = lf.join(per_lead.select(*_KEY, "_first_ts", "_target_ts"), on=_KEY, how="inner")
    first = (
        joined.filter((nw.col("timestamp") == nw.col("_first_ts")) | nw.col("_first_ts").is_null())
        .group_by(_KEY)
        .agg(*[nw.col(c).min() for c in group_cols])
    )
    if spec.attribution == "first":
        picks_frame = first
    else:
        picks_frame = _last_picks(joined, spec, first, ordered)
    return (
        per_lead.drop("_first_ts", "_target_ts")
        .join(picks_frame, on=_KEY, how="inner")
        .select(spec.out_columns())
    ), {}


def _last_picks(
    joined: nw.LazyFrame[Any], spec: _Spec, first: nw.LazyFrame[Any], ordered: bool
) -> nw.LazyFrame[Any]:
    """The group of each lead's last event before it reached the target (else its first)."""
    group_cols = spec.group_cols
    target_ts = nw.col("_target_ts")
    before = joined.filter(
        target_ts.is_null()
        | ((nw.col("_level") < spec.target) & (nw.col("timestamp") <= target_ts))
    )
    picks_last = None
    if ordered:
        try:
            picks_last = (
                before.with_columns((~nw.col("timestamp").is_null()).alias("_dated"))
                .group_by(_KEY)
                .agg(*[nw.col(c).last(order_by=["_dated", "timestamp", c]) for c in group_cols])
            )
        except NotImplementedError:
            picks_last = None
    if picks_last is None:
        latest = before.group_by(_KEY).agg(nw.col("timestamp").max().alias("_pick_ts"))
        picks_last = (
            before.join(latest, on=_KEY, how="inner")
            .filter((nw.col("timestamp") == nw.col("_pick_ts")) | nw.col("_pick_ts").is_null())
            .group_by(_KEY)
            .agg(*[nw.col(c).max() for c in group_cols])
        )
    # Leads with no event before the target (only the target itself): first event.
    fallback = first.select(*_KEY, *[nw.col(c).alias(f"_fb_{c}") for c in group_cols])
    return fallback.join(picks_last, on=_KEY, how="left").select(
        *_KEY, *[nw.coalesce(nw.col(c), nw.col(f"_fb_{c}")).alias(c) for c in group_cols]
    )


def _with_hints(data: Any, lf: nw.LazyFrame[Any], spec: _Spec) -> _Spec:
    """Add the label sets known without looking: derived ``mode``, ``na.scan`` columns."""
    known = dict(getattr(data, "known_labels", None) or {})
    if "mode" in spec.by and "mode" not in to_lazy(data).collect_schema().names():
        known["mode"] = tuple(MODES)
    return replace(spec, known={c: tuple(v) for c, v in known.items() if c in spec.by})


def _decoded(frame: pd.DataFrame, codes: dict[str, list[str]]) -> pd.DataFrame:
    """Group columns returned as codes by :func:`_encoded` -> their labels."""
    for column, labels in codes.items():
        values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
        known = ~np.isnan(values)
        out = np.full(len(values), None, dtype=object)
        out[known] = np.asarray(labels, dtype=object)[values[known].astype(np.int64)]
        frame[column] = pd.array(out, dtype="str")
    return frame


def _narwhals_leads(data: Any, spec: _Spec) -> pd.DataFrame:
    lf = _prepared(data, spec)
    leads, codes = _per_lead(lf, _with_hints(data, lf, spec))
    return _decoded(collect_pandas(leads), codes)


def _narwhals_counts(data: Any, spec: _Spec) -> pd.DataFrame:
    lf = _prepared(data, spec)
    leads, codes = _per_lead(lf, _with_hints(data, lf, spec))
    leads = leads.filter(nw.col("_furthest") >= 0)
    counts = collect_pandas(
        leads.with_columns(
            *[(nw.col("_furthest") >= i).cast(nw.Int64).alias(s) for i, s in enumerate(spec.stages)]
        )
        .group_by(spec.by)
        .agg(*[nw.col(s).sum() for s in spec.stages])
    )
    return _decoded(counts, codes)


def _sort_by_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by seeker, then lead (string order, missing last), stably.

    As ``frame.sort_values(["seeker", "lead"], kind="stable")``, with Arrow's sort:
    several times faster on millions of lead ids.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = pa.table({c: pa.array(frame[c].array) for c in _KEY})
    order = pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in _KEY])  # nulls last
    return frame.take(order.to_numpy()).reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------


def _leads(data: Any, spec: _Spec) -> pd.DataFrame:
    from netanalysis._funnel_pandas import pandas_leads, use_pandas_path

    if use_pandas_path(data):
        return pandas_leads(data, spec).frame(spec)
    return _narwhals_leads(data, spec)


def lead_table(
    data: Any,
    *,
    by: str | Sequence[str] = "channel",
    stages: Sequence[str] | None = None,
    attribution: Attribution = "first",
) -> pd.DataFrame:
    """One row per lead: ``seeker, lead, <by>..., furthest`` (index of the furthest stage).

    ``furthest`` is -1 for a lead none of whose events reaches the funnel's first stage.

    Examples:
        >>> import netanalysis as na
        >>> t = lead_table(na.simulate(n_leads=50, seed=2).events)
        >>> sorted(t.columns)
        ['channel', 'furthest', 'lead', 'seeker']
    """
    stages = resolve_stages(stages)
    check_choice("attribution", attribution, ("first", "last"), where="funnel")
    spec = _Spec(_by_list(by), stages, attribution, [])
    out = _leads(data, spec).rename(columns={"_furthest": "furthest"})
    out = out[[*_KEY, "furthest", *spec.group_cols]]
    out["furthest"] = out["furthest"].astype("int64")
    for column in ["seeker", "lead", *spec.group_cols]:
        out[column] = out[column].astype("str").where(out[column].notna())
    return _sort_by_key(out)


def funnel(
    data: Any,
    *,
    by: str | Sequence[str] = "channel",
    stages: Sequence[str] | None = None,
    attribution: Attribution = "first",
) -> pd.DataFrame:
    """Count the leads of each group that reached each stage of the funnel.

    Args:
        data: an events frame (pandas, polars, pyarrow, DuckDB, Dask, PySpark, or
            :func:`netanalysis.scan`), or a counts table (returned checked, unchanged).
        by: column (or columns) to group leads by: ``"channel"``, ``"mode"``,
            ``"seeker"``, ``"company"``, ``"direction"``, any extra column.
        stages: the funnel, in order (default ``contacted, responded, interview, offer``).
        attribution: ``"first"``: a lead belongs to the group of its first event;
            ``"last"``: of its last event before it reached the funnel's last stage.

    Returns:
        DataFrame with one row per group (index named after ``by``) and one int column
        per stage, in funnel order: the number of leads that reached it. Counts never
        increase from left to right.

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> ev = na.load(pd.DataFrame({
        ...     "lead": ["a", "a", "b", "c"], "channel": ["referral", "referral", "indeed", "indeed"],
        ...     "stage": ["applied", "interview", "applied", "rejected"],
        ...     "date": ["2024-03-01", "2024-03-05", "2024-03-02", "2024-03-09"]})).events
        >>> na.funnel(ev)  # doctest: +NORMALIZE_WHITESPACE
                   contacted  responded  interview  offer
        channel
        job_board          2          0          0      0
        referral           1          1          1      0
    """
    if is_counts(data):
        return _checked_counts(data, stages)
    stages = resolve_stages(stages)
    check_choice("attribution", attribution, ("first", "last"), where="funnel")
    spec = _Spec(_by_list(by), stages, attribution, [])
    from netanalysis._funnel_pandas import pandas_counts, use_pandas_path

    compute = pandas_counts if use_pandas_path(data) else _narwhals_counts
    counts = compute(data, spec)
    return _tidy_counts(counts, spec.by, stages)


def _tidy_counts(counts: pd.DataFrame, by: list[str], stages: list[str]) -> pd.DataFrame:
    for stage in stages:
        counts[stage] = counts[stage].fillna(0).astype("int64")
    order = {"channel": list(CHANNELS), "mode": list(MODES)}

    def sort_key(column: pd.Series) -> pd.Series:
        if column.name in order:
            rank = {v: i for i, v in enumerate(order[str(column.name)])}
            return column.map(lambda v: (rank.get(v, len(rank)), str(v)))
        return column.astype(str)

    counts = counts.sort_values(by, key=sort_key, kind="stable")
    for b in by:
        counts[b] = counts[b].astype(str)
    counts = counts.set_index(by if len(by) > 1 else by[0])
    counts.columns.name = None
    return counts[stages]


def _checked_counts(counts: pd.DataFrame, stages: Sequence[str] | None) -> pd.DataFrame:
    present = [c for c in counts.columns if c in STAGES]
    if stages is None:
        stages = [s for s in STAGES if s in present]
    else:
        stages = list(stages)
        missing = [s for s in stages if s not in counts.columns]
        if missing:
            raise MissingColumnsError(missing, list(counts.columns), hint="name the stage columns")
    out = counts[list(stages)].copy()
    for stage in stages:
        values = out[stage]
        if values.isna().any() or (values < 0).any() or (values % 1 != 0).any():
            raise ParameterError(
                f"Counts in column {stage!r} must be whole numbers >= 0. Got {values.tolist()}."
            )
        out[stage] = values.astype("int64")
    increasing = (out.diff(axis=1).iloc[:, 1:] > 0).any(axis=1)
    if increasing.any():
        group = increasing[increasing].index[0]
        raise ParameterError(
            f"Counts must not increase along the funnel {list(stages)}; group {group!r} has "
            f"{out.loc[group].tolist()}. Each column counts the leads that reached that stage "
            "(and so all earlier ones)."
        )
    return out


def lead_times(
    data: Any,
    *,
    stages: Sequence[str],
    by: str | Sequence[str] = "channel",
    attribution: Attribution = "first",
) -> pd.DataFrame:
    """Per lead: its group, when it first reached each stage, when it closed.

    Columns: ``seeker, lead, <by>..., t_<stage>`` for each requested stage (first time an
    event implying it happened; NaT if never, or if it is known only from an undated
    status), ``reached_<stage>`` (bool, dated or not), ``t_close`` (first terminal outcome:
    rejected, withdrawn, accepted), ``t_last`` (latest event).

    Examples:
        >>> import netanalysis as na
        >>> t = lead_times(na.simulate(n_leads=30, seed=3).events, stages=["contacted", "responded"])
        >>> [c for c in t.columns if c.startswith("t_")]
        ['t_contacted', 't_responded', 't_close', 't_last']
    """
    stages = list(stages)
    for stage in stages:
        check_choice("stage", stage, tuple(STAGES), where="lead_times")
    check_choice("attribution", attribution, ("first", "last"), where="lead_times")
    spec = _Spec(_by_list(by), list(DEFAULT_FUNNEL), attribution, list(dict.fromkeys(stages)))
    out = _leads(data, spec)
    for s in spec.times:
        out[f"reached_{s}"] = out[f"reached_{s}"].astype(bool)
    for column in ["seeker", "lead", *spec.group_cols]:
        out[column] = out[column].astype("str").where(out[column].notna())
    out = to_pandas_dtypes(out)
    columns = [*_KEY, *spec.group_cols]
    columns += [f"t_{s}" for s in stages] + [f"reached_{s}" for s in stages] + ["t_close", "t_last"]
    return _sort_by_key(out[columns])
