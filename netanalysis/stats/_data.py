"""Turn the ``data`` argument of the statistics into a small counts table.

Every statistic (conversion, compare, bayes, power) accepts either an events frame of any
narwhals backend (pandas, polars, pyarrow, DuckDB, Dask, PySpark) or a counts table
(one row per group, one column per stage). Events always go through
:func:`netanalysis.funnel.funnel`, so the heavy step runs on the data's own engine and only
the counts are collected. What the statistics need besides counts, and only events can
tell, is gathered here too: how many seekers the leads come from (leads of one seeker are
not independent), per-seeker counts (for Simpson's paradox) and how many leads are still
open (censoring).

**Empty input** (an events frame with no rows, or a counts table with stage columns and no
rows) gives a :class:`CountsData` with no groups: every statistic then returns an empty
table with its usual columns and a finding that says there is nothing to report. Only
arguments that cannot be right raise :class:`~netanalysis.errors.ParameterError`.

**Units**: a counts table whose ``attrs["unit"]`` says its numbers are not counts of leads
(the published tables of :func:`netanalysis.datasets.published`: ``per_100`` applicants,
``per_hire``) is still read, because its rates are valid; but intervals, p-values and
posteriors assume counts of independent leads, so :func:`as_counts` emits a
:class:`UnitsWarning` and records the unit for the findings to speak in.

Examples:
    >>> import netanalysis as na
    >>> data = as_counts(na.simulate(n_leads=120, seed=1).events, by="channel")
    >>> data.by, data.stages, data.kind, data.n_seekers
    ('channel', ('contacted', 'responded', 'interview', 'offer'), 'events', 1)
    >>> n, k = data.nk("contacted", "interview")
    >>> bool((k <= n).all())
    True
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from netanalysis.errors import DataQualityWarning, ParameterError, check_choice
from netanalysis.funnel import funnel, is_counts, resolve_stages
from netanalysis.schema import STAGES, TERMINAL_STAGES, funnel_level
from netanalysis.stats.findings import unit_words

__all__ = [
    "RECENT_DAYS",
    "CountsData",
    "UnitsWarning",
    "as_counts",
    "group_pairs",
    "stage_pairs",
    "table_unit",
]


class UnitsWarning(DataQualityWarning):
    """A counts table's numbers are not counts of leads (``attrs["unit"]`` is not
    ``"count"``): rates are valid, intervals, p-values and posteriors are not."""


#: Values of ``attrs["unit"]`` that mean "counts of leads".
COUNT_UNITS = frozenset({"count", "counts", ""})

#: A lead with no outcome whose last event is at most this many days before the latest
#: event in the data counts as still open (it may still convert: censoring).
RECENT_DAYS = 30


@dataclass(frozen=True)
class CountsData:
    """The counts behind a statistic and what the events said about them.

    Attributes:
        table: one row per group (index named ``by``, string labels), one int column per
            stage in funnel order: the number of leads that reached it.
        by: the grouping column.
        stages: the funnel.
        kind: ``"events"`` or ``"counts"`` (what the user passed).
        n_seekers: number of distinct seekers among the leads (None for a counts table).
        per_seeker: counts per (group, seeker), MultiIndex ``(by, "seeker")``; None for a
            counts table or when ``by="seeker"``.
        open_by_level: number of still-open leads (see :data:`RECENT_DAYS`) by the index of
            their furthest funnel stage; None when unknown (counts table, no dates).
        unit: the unit of a counts table whose numbers are not counts of leads (its
            ``attrs["unit"]``, e.g. ``"per_100"``); None for counts and for events.
    """

    table: pd.DataFrame
    by: str
    stages: tuple[str, ...]
    kind: str
    n_seekers: int | None = None
    per_seeker: pd.DataFrame | None = None
    open_by_level: dict[int, int] | None = None
    unit: str | None = None

    @property
    def groups(self) -> list[str]:
        """Group labels in table order."""
        return [str(g) for g in self.table.index]

    def nk(self, from_stage: str, to_stage: str) -> tuple[np.ndarray, np.ndarray]:
        """Per group: leads that reached ``from_stage`` (n) and ``to_stage`` (k)."""
        n = self.table[from_stage].to_numpy(dtype=np.int64, copy=True)
        k = self.table[to_stage].to_numpy(dtype=np.int64, copy=True)
        return n, k

    def n_open(self, from_stage: str, to_stage: str) -> int | None:
        """Open leads that reached ``from_stage`` but not yet ``to_stage`` (None if unknown)."""
        if self.open_by_level is None:
            return None
        lo, hi = self.stages.index(from_stage), self.stages.index(to_stage)
        return int(sum(v for level, v in self.open_by_level.items() if lo <= level < hi))


def check_by(by: Any, *, where: str) -> str:
    """``by`` must be one column name (a string)."""
    if not isinstance(by, str) or not by:
        raise ParameterError(
            f"The 'by' parameter of {where} must be one column name, e.g. 'channel'. "
            f"Got {by!r} instead. To group by several columns, combine them into one column first."
        )
    return by


def table_unit(data: Any) -> str | None:
    """The unit of a table's numbers when it is not "count" (``attrs["unit"]``), else None.

    Examples:
        >>> import netanalysis as na
        >>> table_unit(na.datasets.published("lever_2016")), table_unit(pd.DataFrame())
        ('per_hire', None)
    """
    attrs = getattr(data, "attrs", None)
    unit = attrs.get("unit") if isinstance(attrs, dict) else None
    if unit is None or str(unit).strip().lower() in COUNT_UNITS:
        return None
    return str(unit)


def _is_empty_counts(frame: pd.DataFrame) -> bool:
    """A counts table with stage columns and no rows (``is_counts`` rejects it)."""
    return (
        frame.empty and "lead" not in frame.columns and sum(c in STAGES for c in frame.columns) >= 2
    )


def _empty_table(frame: pd.DataFrame, stages: Sequence[str] | None) -> pd.DataFrame:
    present = [c for c in frame.columns if c in STAGES]
    columns = [s for s in STAGES if s in present] if stages is None else list(stages)
    missing = [s for s in columns if s not in frame.columns]
    if missing:
        raise ParameterError(
            f"Stage columns {missing} are not in the counts table (it has "
            f"{list(frame.columns)}). Pass stages=[...] among its columns."
        )
    return frame[columns].astype("int64")


def _counts_frame(data: Any, by: str) -> pd.DataFrame | None:
    """``data`` as a pandas counts table, or None when it is an events frame."""
    if isinstance(data, pd.DataFrame):
        frame = data
    else:
        try:
            native = nw.from_native(data, eager_only=True)
        except TypeError:
            return None
        names = native.columns
        if "lead" in names or sum(c in STAGES for c in names) < 2:
            return None
        frame = native.to_pandas()
    if "lead" in frame.columns:
        return None
    if by in frame.columns and by not in STAGES:
        frame = frame.set_index(by)
    return frame if is_counts(frame) or _is_empty_counts(frame) else None


def as_counts(
    data: Any,
    *,
    by: str = "channel",
    stages: Sequence[str] | None = None,
    attribution: str = "first",
    needed: Sequence[str | None] = (),
    where: str = "conversion",
    invalid: str = "intervals and p-values",
    stacklevel: int = 3,
) -> CountsData:
    """Counts per group from events (any backend) or from a counts table.

    Args:
        data: events frame or counts table.
        by: grouping column. For a counts table the groups are its rows; the column is
            ``by`` if the table has it, else the table's index (named after the index, or
            ``by`` when the index has no name).
        stages: the funnel (events), or the stage columns to use (counts table).
        attribution: ``"first"`` or ``"last"`` (events only; see :func:`netanalysis.funnel`).
        needed: stages the caller will use; they must be in the funnel.
        where: the calling function, for error messages.
        invalid: what the caller computes that assumes counts of leads (for the
            :class:`UnitsWarning`).
        stacklevel: passed to :func:`warnings.warn` (3: the caller of the caller).

    Warns:
        UnitsWarning: a counts table whose ``attrs["unit"]`` is not ``"count"``.
    """
    by = check_by(by, where=where)
    check_choice("attribution", attribution, ("first", "last"), where=where)
    counts = _counts_frame(data, by)
    if counts is not None:
        table = _empty_table(counts, stages) if counts.empty else funnel(counts, stages=stages)
        name = counts.index.name if counts.index.name is not None else by
        table.index = pd.Index([str(g) for g in table.index], name=str(name))
        _check_needed(needed, list(table.columns), where)
        unit = table_unit(data)
        if unit is not None:
            warnings.warn(_units_message(unit, where, invalid), UnitsWarning, stacklevel=stacklevel)
        return CountsData(
            table=table, by=str(name), stages=tuple(table.columns), kind="counts", unit=unit
        )

    funnel_stages = resolve_stages(stages, where=where)
    _check_needed(needed, funnel_stages, where)
    if by == "seeker":
        table = funnel(data, by="seeker", stages=funnel_stages, attribution=attribution)
        per_seeker = None
        n_seekers = len(table)
    else:
        per_seeker = funnel(data, by=[by, "seeker"], stages=funnel_stages, attribution=attribution)
        table = per_seeker.groupby(level=0, sort=False).sum()
        table.index.name = by
        n_seekers = int(per_seeker.index.get_level_values("seeker").nunique())
    table = table.astype("int64")
    return CountsData(
        table=table,
        by=by,
        stages=tuple(funnel_stages),
        kind="events",
        n_seekers=n_seekers,
        per_seeker=per_seeker,
        open_by_level=_open_leads(data, funnel_stages),
    )


def _units_message(unit: str, where: str, invalid: str) -> str:
    return (
        f"{where}() reads this table's numbers as counts of leads, but they are "
        f"{unit_words(unit)} (attrs['unit'] = {unit!r}): {invalid} assume counts of "
        "independent leads and are not valid here. Use the table for rates (and ratios of "
        "rates) only; if its numbers are in fact counts, set table.attrs['unit'] = 'count'."
    )


def _check_needed(needed: Sequence[str | None], stages: Sequence[str], where: str) -> None:
    for stage in needed:
        if stage is None:
            continue
        check_choice("stage", stage, tuple(STAGES), where=where)
        if stage not in stages:
            raise ParameterError(
                f"Stage {stage!r} is not in the funnel {list(stages)} of {where}. Choose "
                f"from_stage/to_stage among {list(stages)}, or (for events) pass stages=[...] "
                f"that include {stage!r}."
            )


def _open_leads(data: Any, stages: Sequence[str]) -> dict[int, int] | None:
    """Still-open leads by furthest funnel level, computed on the data's own engine."""
    from netanalysis.backends import to_lazy

    lf = to_lazy(data)  # quiet on Dask; accepts na.scan frames
    levels = {s: funnel_level(s, stages) for s in STAGES}
    per_lead = (
        lf.select(
            nw.col("lead").cast(nw.String),
            nw.col("stage").cast(nw.String),
            nw.col("timestamp"),
            *(
                [nw.col("seeker").cast(nw.String)]
                if "seeker" in lf.collect_schema().names()
                else [nw.lit("me").alias("seeker")]
            ),
        )
        .with_columns(
            nw.col("stage").replace_strict(levels, default=-1, return_dtype=nw.Int8).alias("_lv"),
            nw.col("stage").is_in(list(TERMINAL_STAGES)).cast(nw.Int8).alias("_closed"),
        )
        .group_by("seeker", "lead")
        .agg(
            nw.col("_lv").max(),
            nw.col("_closed").max(),
            nw.col("timestamp").max().alias("_last"),
        )
    )
    latest = lf.select(nw.col("timestamp").max()).collect().item()
    if latest is None or pd.isna(latest):
        return None
    cutoff = pd.Timestamp(latest) - pd.Timedelta(days=RECENT_DAYS)
    cutoff_value: dt.datetime = cutoff.to_pydatetime()
    counted = (
        per_lead.filter(
            (nw.col("_closed") == 0)
            & (nw.col("_lv") >= 0)
            & (nw.col("_lv") < len(stages) - 1)
            & (nw.col("_last") >= nw.lit(cutoff_value))
        )
        .group_by("_lv")
        .agg(nw.col("lead").count().alias("_n"))
        .collect()
        .to_pandas()
    )
    return {int(lv): int(n) for lv, n in zip(counted["_lv"], counted["_n"])}


def stage_pairs(
    stages: Sequence[str], from_stage: str | None, to_stage: str | None, *, where: str
) -> list[tuple[str, str]]:
    """The (from, to) stage pairs a conversion table reports.

    Both given: that pair. Neither: every consecutive pair plus first -> last. Only
    ``from_stage``: from it to the last stage. Only ``to_stage``: from the first stage.

    Examples:
        >>> stage_pairs(["contacted", "responded", "interview"], None, None, where="x")
        [('contacted', 'responded'), ('responded', 'interview'), ('contacted', 'interview')]
        >>> stage_pairs(["contacted", "responded", "interview"], None, "interview", where="x")
        [('contacted', 'interview')]
    """
    stages = list(stages)
    if from_stage is None and to_stage is None:
        pairs = list(itertools.pairwise(stages))
        if len(stages) > 2:
            pairs.append((stages[0], stages[-1]))
        return pairs
    start = stages[0] if from_stage is None else from_stage
    stop = stages[-1] if to_stage is None else to_stage
    return [ordered_pair(stages, start, stop, where=where)]


def ordered_pair(
    stages: Sequence[str], from_stage: str, to_stage: str, *, where: str
) -> tuple[str, str]:
    """Check that ``from_stage`` comes before ``to_stage`` in the funnel."""
    stages = list(stages)
    for stage in (from_stage, to_stage):
        if stage not in stages:
            raise ParameterError(
                f"Stage {stage!r} is not in the funnel {stages} of {where}. "
                "Pass stages=[...] that include it."
            )
    if stages.index(from_stage) >= stages.index(to_stage):
        raise ParameterError(
            f"from_stage must come before to_stage in the funnel {stages} of {where}. "
            f"Got from_stage={from_stage!r}, to_stage={to_stage!r}."
        )
    return from_stage, to_stage


def group_pairs(
    groups: Sequence[str], baseline: str | None, *, where: str
) -> list[tuple[str, str]]:
    """(group_a, group_b) pairs: every pair in table order, or each group vs ``baseline``.

    Examples:
        >>> group_pairs(["a", "b", "c"], None, where="x")
        [('a', 'b'), ('a', 'c'), ('b', 'c')]
        >>> group_pairs(["a", "b", "c"], "b", where="x")
        [('a', 'b'), ('c', 'b')]
    """
    groups = [str(g) for g in groups]
    if baseline is None:
        return [(a, b) for i, a in enumerate(groups) for b in groups[i + 1 :]]
    baseline = check_choice("baseline", str(baseline), tuple(groups), where=where)
    return [(g, baseline) for g in groups if g != baseline]
