"""Conversion rates per group with confidence intervals that hold on small samples.

A conversion rate from stage A to stage B is ``k / n``: of the ``n`` leads of a group that
reached A, ``k`` also reached B. Intervals come from
:func:`statsmodels.stats.proportion.proportion_confint`:

- ``"wilson"`` (default): Wilson score interval; coverage close to nominal on average,
  even for a handful of leads,
- ``"jeffreys"``: equal-tailed interval of the Beta(k + 1/2, n - k + 1/2) posterior,
  with lower end 0 when k = 0 and upper end 1 when k = n (Brown, Cai & DasGupta 2001),
- ``"exact"``: Clopper–Pearson (statsmodels ``method="beta"``); never below nominal,
  wider than needed (conservative),
- ``"agresti_coull"``: add two successes and two failures, then Wald; slightly
  conservative for small n.

``benchmarks/calibration.py`` prints the coverage of each method.

Examples:
    >>> import netanalysis as na
    >>> counts = na.funnel(na.simulate(n_leads=300, seed=4).events)
    >>> res = na.conversion(counts, from_stage="contacted", to_stage="interview")
    >>> list(res.to_pandas().columns)
    ['channel', 'from_stage', 'to_stage', 'n', 'k', 'rate', 'ci_low', 'ci_high']
    >>> print(res.finding())  # doctest: +ELLIPSIS
    Of 300 leads, ...% led to an interview (95% CI ...). ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from netanalysis.errors import check_choice, check_range
from netanalysis.results import Result
from netanalysis.stats import findings as fw
from netanalysis.stats._data import as_counts, stage_pairs

__all__ = ["CI_METHODS", "ConversionResult", "conversion", "proportion_interval"]

CIMethod = Literal["wilson", "jeffreys", "exact", "agresti_coull"]

#: Interval names -> statsmodels ``proportion_confint`` methods.
CI_METHODS: dict[str, str] = {
    "wilson": "wilson",
    "jeffreys": "jeffreys",
    "exact": "beta",
    "agresti_coull": "agresti_coull",
}

#: Names of the interval methods, for sentences and reports.
CI_NAMES: dict[str, str] = {
    "wilson": "Wilson score interval",
    "jeffreys": "Jeffreys interval",
    "exact": "Clopper–Pearson exact interval",
    "agresti_coull": "Agresti–Coull interval",
}

COLUMNS = ["from_stage", "to_stage", "n", "k", "rate", "ci_low", "ci_high"]


def proportion_interval(
    k: Any, n: Any, *, ci: CIMethod = "wilson", level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval for ``k / n`` (arrays); NaN where ``n`` is 0.

    Examples:
        >>> lo, hi = proportion_interval([3, 0], [10, 0])
        >>> [round(float(v), 4) for v in (lo[0], hi[0])], bool(np.isnan(lo[1]))
        ([0.1078, 0.6032], True)
    """
    check_choice("ci", ci, tuple(CI_METHODS), where="conversion")
    k_arr = np.atleast_1d(np.asarray(k, dtype=float))
    n_arr = np.atleast_1d(np.asarray(n, dtype=float))
    lo = np.full(k_arr.shape, np.nan)
    hi = np.full(k_arr.shape, np.nan)
    ok = n_arr > 0
    if ok.any():
        low, high = proportion_confint(k_arr[ok], n_arr[ok], alpha=1 - level, method=CI_METHODS[ci])
        lo[ok] = np.clip(low, 0.0, 1.0)
        hi[ok] = np.clip(high, 0.0, 1.0)
    # Exact ends at the boundaries (statsmodels leaves rounding residue such as 1e-17, and
    # its Jeffreys interval would exclude an observed 0% or 100%: Brown, Cai & DasGupta
    # (2001) set lower = 0 when k = 0 and upper = 1 when k = n).
    lo[ok & (k_arr == 0)] = 0.0
    hi[ok & (k_arr == n_arr)] = 1.0
    return lo, hi


@dataclass(frozen=True, repr=False)
class ConversionResult(Result):
    """Conversion rates per group and stage pair.

    Attributes:
        table: the rates; columns ``<by>, from_stage, to_stage, n, k, rate, ci_low,
            ci_high``; one row per (stage pair, group), pairs in funnel order, groups in
            the order of ``counts``. ``rate``, ``ci_low``, ``ci_high`` are NaN when n = 0.
        counts: the counts table the rates were computed from (index ``by``).
        by: the grouping column.
        stages: the funnel.
        pairs: the (from_stage, to_stage) pairs reported, in order.
        ci: the interval method (``wilson``, ``jeffreys``, ``exact``, ``agresti_coull``).
        level: the confidence level.
        attribution: how leads were credited to groups (events input only).
        kind: ``"events"`` or ``"counts"`` (what was passed).
        n_seekers: distinct seekers among the leads (None for a counts table).
        n_open: per pair, leads still open between its two stages (None when unknown).
        unit: the unit of a counts table whose numbers are not counts of leads
            (``attrs["unit"]``, e.g. ``"per_100"``): the rates hold, the intervals do not,
            and the finding says so. None for counts and events.
    """

    table: pd.DataFrame
    counts: pd.DataFrame
    by: str
    stages: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    ci: str
    level: float
    attribution: str
    kind: str
    n_seekers: int | None
    n_open: tuple[int | None, ...]
    unit: str | None = None

    _show_index = False
    _main = "table"

    def finding(self) -> str:
        """The overall rate for the widest stage pair, the best and worst groups, caveats."""
        if not self.pairs:
            return ""
        i = len(self.pairs) - 1
        start, stop = self.pairs[i]
        rows = self.table[(self.table["from_stage"] == start) & (self.table["to_stage"] == stop)]
        rows = rows[rows["n"] > 0]
        n_total, k_total = int(rows["n"].sum()), int(rows["k"].sum())
        if n_total == 0:
            return (
                f"No leads reached {fw.stage_phrase(start, noun=True)}: there is no rate to report."
            )
        if self.unit is not None:
            return self._unit_finding(rows, start, stop)
        lo, hi = proportion_interval(k_total, n_total, ci=self.ci, level=self.level)  # type: ignore[arg-type]
        of = (
            f"Of {fw.fmt_count(n_total)} leads"
            if start == self.stages[0]
            else f"Of {fw.fmt_count(n_total)} leads that reached {start!r}"
        )
        parts = [
            f"{of}, {fw.fmt_pct(k_total / n_total)} {fw.stage_phrase(stop)} "
            f"({fw.fmt_ci(lo[0], hi[0], level=self.level, pct=True)})."
        ]
        if len(rows) > 1:
            ordered = rows.sort_values(["rate", "n"], ascending=[False, False], kind="stable")
            best, worst = ordered.iloc[0], ordered.iloc[-1]
            parts.append(
                f"Highest: {_group_rate(self.by, best, self.level)}; "
                f"lowest: {_group_rate(self.by, worst, self.level)}. "
                "Overlap of intervals is not a test: na.compare tests the differences."
            )
        parts.append(fw.small_sample_caveat(rows["n"].min()))
        parts.append(fw.dependence_caveat(self.n_seekers, n_total))
        parts.append(fw.censoring_caveat(self.n_open[i], n_total, stop))
        return fw.sentences(*parts)

    def _unit_finding(self, rows: pd.DataFrame, start: str, stop: str) -> str:
        """The rates of a table that is not counts of leads (no pooled rate, no interval)."""
        of = "" if start == self.stages[0] else f"Of those that reached {start!r}, "
        ordered = rows.sort_values(["rate", "n"], ascending=[False, False], kind="stable")
        best, worst = ordered.iloc[0], ordered.iloc[-1]
        text = (
            f"{of}{fw.fmt_pct(best['rate'])} of {fw.group_phrase(self.by, best[self.by])} "
            f"{fw.stage_phrase(stop)}"
        )
        if len(rows) > 1:
            text += (
                f", against {fw.fmt_pct(worst['rate'])} of "
                f"{fw.group_phrase(self.by, worst[self.by])}"
            )
        return fw.sentences(text + ".", fw.units_caveat(self.unit, "the intervals"))


def _group_rate(by: str, row: pd.Series, level: float) -> str:
    return (
        f"{fw.group_phrase(by, row[by])}, {fw.fmt_pct(row['rate'])} of {fw.fmt_count(row['n'])} "
        f"({fw.fmt_ci(row['ci_low'], row['ci_high'], level=level, pct=True)})"
    )


def conversion(
    data: Any,
    *,
    by: str = "channel",
    from_stage: str | None = None,
    to_stage: str | None = None,
    ci: CIMethod = "wilson",
    level: float = 0.95,
    stages: Sequence[str] | None = None,
    attribution: Literal["first", "last"] = "first",
) -> ConversionResult:
    """Conversion rates per group with confidence intervals.

    Args:
        data: events frame (pandas or any narwhals-supported backend) or counts table
            (one row per group, one column per stage, as :func:`netanalysis.funnel` returns).
        by: column to group leads by (``channel``, ``mode``, ``seeker``, ...). For a counts
            table the groups are its rows.
        from_stage: stage the rate starts from. With ``to_stage`` both None: every
            consecutive pair of stages plus first -> last.
        to_stage: stage the rate counts. Only one given: the other end of the funnel.
        ci: interval method: ``"wilson"``, ``"jeffreys"``, ``"exact"`` (Clopper–Pearson)
            or ``"agresti_coull"``.
        level: confidence level in (0, 1).
        stages: the funnel (events) or the stage columns to use (counts).
        attribution: ``"first"`` or ``"last"``: which event's group a lead belongs to.

    Returns:
        :class:`ConversionResult`; ``to_pandas()`` has columns ``<by>, from_stage,
        to_stage, n, k, rate, ci_low, ci_high``. Empty input (no rows) gives an empty
        table with these columns and a finding that there is no rate to report.

    Warns:
        UnitsWarning: ``data`` is a counts table whose ``attrs["unit"]`` is not
            ``"count"`` (e.g. a published table per 100 applicants): its rates hold, its
            intervals do not. Silence it with :func:`warnings.catch_warnings` when that
            is understood.

    Examples:
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> conversion(counts, ci="exact").to_pandas().round(3)
             channel from_stage   to_stage    n   k   rate  ci_low  ci_high
        0   referral  contacted  interview   23   7  0.304   0.132    0.529
        1  job_board  contacted  interview  212  16  0.075   0.044    0.120
    """
    where = "conversion"
    check_choice("ci", ci, tuple(CI_METHODS), where=where)
    check_range("level", level, where=where, low=0, high=1)
    data_ = as_counts(
        data,
        by=by,
        stages=stages,
        attribution=attribution,
        needed=(from_stage, to_stage),
        where=where,
        invalid="the intervals",
    )
    pairs = stage_pairs(data_.stages, from_stage, to_stage, where=where)
    frames = []
    for start, stop in pairs:
        n, k = data_.nk(start, stop)
        lo, hi = proportion_interval(k, n, ci=ci, level=level)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(n > 0, k / np.maximum(n, 1), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    data_.by: data_.groups,
                    "from_stage": start,
                    "to_stage": stop,
                    "n": n,
                    "k": k,
                    "rate": rate,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    table = table.astype({"n": "int64", "k": "int64"})
    return ConversionResult(
        table=table,
        counts=data_.table,
        by=data_.by,
        stages=data_.stages,
        pairs=tuple(pairs),
        ci=ci,
        level=level,
        attribution=attribution,
        kind=data_.kind,
        n_seekers=data_.n_seekers,
        n_open=tuple(data_.n_open(a, b) for a, b in pairs),
        unit=data_.unit,
    )
