"""How many more leads until a difference would be clear? Planning, not evidence.

:func:`sample_size` answers "how many leads per group do I need (and how many more than I
have) to detect a difference of a given size with a given power?"; :func:`power` answers
"with these many leads (now, or after ``more``), how likely would a difference of a given
size be detected?". Both use the normal approximation for two independent proportions on
Cohen's arcsine effect size ``h = 2 asin√p_a − 2 asin√p_b``
(:func:`statsmodels.stats.proportion.proportion_effectsize`,
:class:`statsmodels.stats.power.NormalIndPower`). For a handful of expected conversions
an exact test needs somewhat more leads than this approximation says.

The difference to detect is a *target*: the observed rates (``sample_size`` only), a
difference ``diff`` added to the second group's observed rate, or explicit ``rates``.
netanalysis never reports "observed power" (the power to detect exactly the difference
seen): it is a restatement of the p-value and says nothing new, so :func:`power` requires a
named target.

Examples:
    >>> import netanalysis as na
    >>> res = na.sample_size(rates=(0.30, 0.10))
    >>> res.to_pandas()[["needed_a", "needed_b"]]
       needed_a  needed_b
    0        60        60
    >>> round(float(na.power(rates=(0.30, 0.10), n=(60, 60)).to_pandas()["power"][0]), 3)
    0.807
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from netanalysis.errors import ParameterError, check_choice, check_range
from netanalysis.results import Result
from netanalysis.stats import findings as fw
from netanalysis.stats._data import as_counts, group_pairs, ordered_pair

__all__ = ["PowerResult", "SampleSizeResult", "power", "sample_size"]

Alternative = Literal["two-sided", "larger", "smaller"]

SAMPLE_SIZE_COLUMNS = [
    "group_a",
    "group_b",
    "rate_a",
    "rate_b",
    "effect_size",
    "n_a",
    "n_b",
    "needed_a",
    "needed_b",
    "more_a",
    "more_b",
]
POWER_COLUMNS = ["group_a", "group_b", "rate_a", "rate_b", "effect_size", "n_a", "n_b", "power"]

_PLANNING = (
    "This plans future leads from assumed rates; it is not evidence about the difference "
    "seen so far. The normal approximation is rough when few conversions are expected: an "
    "exact test needs somewhat more."
)


@dataclass(frozen=True)
class _Setup:
    """What both functions share: the pairs, their target rates and collected leads."""

    table: pd.DataFrame  # group_a, group_b, rate_a, rate_b, effect_size, n_a, n_b
    target: str
    by: str
    from_stage: str | None
    to_stage: str | None
    stages: tuple[str, ...] | None
    kind: str
    unit: str | None = None


#: What a table that is not counts of leads leaves invalid in planning.
_UNIT_INVALID = "the leads collected and the leads still to collect"
_UNIT_REMEDY = "the leads needed for the target rates still hold"


def _target_rates(
    rates: tuple[float, float] | None, diff: float | None, where: str
) -> tuple[float, float] | None:
    if rates is not None and diff is not None:
        raise ParameterError(f"{where} takes rates= or diff=, not both.")
    if rates is not None:
        try:
            pa, pb = (float(v) for v in rates)
        except (TypeError, ValueError):
            raise ParameterError(
                f"The 'rates' parameter of {where} must be two rates (rate_a, rate_b) in [0, 1]. "
                f"Got {rates!r}."
            ) from None
        for value in (pa, pb):
            check_range("rates", value, where=where, low=0, high=1, inclusive=True)
        return pa, pb
    if diff is not None:
        check_range("diff", diff, where=where, low=-1, high=1)
    return None


def _setup(
    data: Any,
    *,
    by: str,
    from_stage: str | None,
    to_stage: str,
    baseline: str | None,
    rates: tuple[float, float] | None,
    diff: float | None,
    collected: tuple[int, int] | None,
    stages: Sequence[str] | None,
    attribution: str,
    where: str,
    allow_observed: bool,
) -> _Setup:
    target_rates = _target_rates(rates, diff, where)
    if data is None:
        if target_rates is None:
            raise ParameterError(
                f"Without data, {where} needs the rates to tell apart: rates=(rate_a, rate_b)."
            )
        n_a, n_b = (0, 0) if collected is None else (int(collected[0]), int(collected[1]))
        if n_a < 0 or n_b < 0:
            raise ParameterError(f"Leads collected must be >= 0. Got {collected!r}.")
        pa, pb = target_rates
        table = pd.DataFrame(
            {"group_a": ["a"], "group_b": ["b"], "rate_a": [pa], "rate_b": [pb]}
        ).assign(n_a=n_a, n_b=n_b)
        return _finish(table, "rates", by, None, to_stage, None, "none")
    if target_rates is None and diff is None and not allow_observed:
        raise ParameterError(
            f"{where}() needs a difference to detect: pass diff= (added to the second group's "
            "observed rate) or rates=(rate_a, rate_b). The power to detect the difference that "
            "was observed ('observed power') only restates the p-value, so netanalysis does not "
            "report it; sample_size() says how many more leads a difference would need."
        )
    data_ = as_counts(
        data,
        by=by,
        stages=stages,
        attribution=attribution,
        needed=(from_stage, to_stage),
        where=where,
        invalid=_UNIT_INVALID,
        stacklevel=4,
    )
    start = data_.stages[0] if from_stage is None else from_stage
    start, stop = ordered_pair(data_.stages, start, to_stage, where=where)
    n, k = data_.nk(start, stop)
    index = {g: i for i, g in enumerate(data_.groups)}
    rows = []
    for a, b in group_pairs(data_.groups, baseline, where=where):
        na_, nb_ = int(n[index[a]]), int(n[index[b]])
        obs_a = k[index[a]] / na_ if na_ else np.nan
        obs_b = k[index[b]] / nb_ if nb_ else np.nan
        if target_rates is not None:
            pa, pb = target_rates
        elif diff is not None:
            pb = obs_b
            pa = pb + diff if 0 <= pb + diff <= 1 else np.nan
        else:
            pa, pb = obs_a, obs_b
        rows.append(
            {"group_a": a, "group_b": b, "rate_a": pa, "rate_b": pb, "n_a": na_, "n_b": nb_}
        )
    table = pd.DataFrame(rows, columns=["group_a", "group_b", "rate_a", "rate_b", "n_a", "n_b"])
    target = "rates" if target_rates is not None else ("diff" if diff is not None else "observed")
    return _finish(table, target, data_.by, start, stop, data_.stages, data_.kind, data_.unit)


def _finish(
    table: pd.DataFrame,
    target: str,
    by: str,
    start: str | None,
    stop: str | None,
    stages: tuple[str, ...] | None,
    kind: str,
    unit: str | None = None,
) -> _Setup:
    pa = table["rate_a"].to_numpy(dtype=float, copy=True)
    pb = table["rate_b"].to_numpy(dtype=float, copy=True)
    ok = ~(np.isnan(pa) | np.isnan(pb))
    h = np.full(pa.shape, np.nan)
    if ok.any():
        h[ok] = proportion_effectsize(pa[ok], pb[ok])
    table = table.assign(effect_size=h)
    table = table.astype({"n_a": "int64", "n_b": "int64"})
    return _Setup(table, target, by, start, stop, stages, kind, unit)


def _check_common(alpha: float, alternative: str, where: str) -> None:
    check_range("alpha", alpha, where=where, low=0, high=1)
    check_choice("alternative", alternative, ("two-sided", "larger", "smaller"), where=where)


def _describe_target(res: Any, row: pd.Series) -> str:
    stop = fw.stage_phrase(res.to_stage or "interview")
    rates = f"{fw.fmt_pct(row['rate_a'])} vs {fw.fmt_pct(row['rate_b'])} {stop}"
    if res.target == "observed":
        return f"a difference like the one observed ({rates})"
    return f"a difference of {rates}"


def _counted(n: float, phrase: str) -> str:
    """``74 referrals``, ``74 leads where company is Acme``, ``74 in the referral group``."""
    return f"{fw.fmt_count(n)} {'in ' if phrase.startswith('the ') else ''}{phrase}"


def _names(res: Any, row: pd.Series) -> tuple[str, str]:
    if res.kind == "none":
        return "group A", "group B"
    return fw.group_phrase(res.by, row["group_a"]), fw.group_phrase(res.by, row["group_b"])


@dataclass(frozen=True, repr=False)
class SampleSizeResult(Result):
    """Leads needed per group to detect a target difference, and how many more.

    Attributes:
        table: columns ``group_a, group_b, rate_a, rate_b`` (target rates),
            ``effect_size`` (Cohen's h), ``n_a, n_b`` (leads already collected),
            ``needed_a, needed_b`` (total leads needed; inf when the rates are equal),
            ``more_a, more_b`` (still to collect, never negative).
        target: ``"observed"``, ``"diff"`` or ``"rates"``: where the target rates come from.
        alpha, power, alternative: the design of the test.
        ratio: ``needed_b / needed_a`` as requested; None means each pair keeps its
            current mix of leads (``n_b / n_a``), or 1 when nothing is collected yet.
        by, from_stage, to_stage, stages: the rate (None without data).
        kind: ``"events"``, ``"counts"`` or ``"none"`` (no data passed).
        unit: the unit of a counts table whose numbers are not counts of leads
            (``attrs["unit"]``): the leads collected are then unknown. None for counts.
    """

    table: pd.DataFrame
    target: str
    alpha: float
    power: float
    alternative: str
    ratio: float | None
    by: str
    from_stage: str | None
    to_stage: str | None
    stages: tuple[str, ...] | None
    kind: str
    unit: str | None = None

    _show_index = False
    _main = "table"

    def finding(self) -> str:
        """The comparison closest to being settled, in leads still to collect."""
        if self.table.empty:
            return _nothing_to_plan(self.by)
        t = self.table[np.isfinite(self.table["needed_a"])]
        if t.empty:
            return (
                "No difference to detect: the target rates are equal (or unknown), so no "
                "number of leads would tell the groups apart."
            )
        pending = t[(t["more_a"] + t["more_b"]) > 0]
        done = len(t) - len(pending)
        pool = pending if not pending.empty else t
        row = (
            pool.assign(_more=pool["more_a"] + pool["more_b"])
            .sort_values(["_more", "needed_a"], kind="stable")
            .iloc[0]
        )
        a, b = _names(self, row)
        design = f"with {fw.fmt_pct(self.power)} power at the {fw.fmt_level(self.alpha)} level"
        if self.alternative != "two-sided":
            design += " (one-sided)"
        first = (
            f"Detecting {_describe_target(self, row)} between {a} and {b}, {design}, takes "
            f"about {_counted(row['needed_a'], a)} and {_counted(row['needed_b'], b)}"
        )
        if self.kind == "none":
            first = (
                f"Detecting {_describe_target(self, row)}, {design}, takes about "
                f"{fw.fmt_count(row['needed_a'])} leads in group A and "
                f"{fw.fmt_count(row['needed_b'])} in group B"
            )
        if row["n_a"] + row["n_b"] > 0 and self.unit is None:
            have = f"; you have {fw.fmt_count(row['n_a'])} and {fw.fmt_count(row['n_b'])}"
            if row["more_a"] + row["more_b"] == 0:
                first += f"{have}: enough already."
            else:
                mix = " (keeping your current mix)" if self.ratio is None else ""
                first += (
                    f"{have}, so {fw.fmt_count(row['more_a'])} and "
                    f"{fw.fmt_count(row['more_b'])} more{mix}."
                )
        else:
            first += "."
        parts = [fw.capitalize(first)]
        if len(t) > 1 and pending.shape[0] > 1:
            parts.append(
                f"This is the comparison closest to settled; {len(pending) - 1} others need "
                "more (see the table)."
            )
        if done and len(t) > 1:
            parts.append(
                f"{done} comparison{'s' if done > 1 else ''} already "
                f"{'have' if done > 1 else 'has'} enough leads."
            )
        parts.append(fw.units_caveat(self.unit, _UNIT_INVALID, remedy=_UNIT_REMEDY))
        parts.append(_PLANNING)
        return fw.sentences(*parts)


def _nothing_to_plan(by: str) -> str:
    return f"Nothing to plan: there are fewer than two {fw.by_plural(by)} to compare."


@dataclass(frozen=True, repr=False)
class PowerResult(Result):
    """Power to detect a named difference with given numbers of leads.

    Attributes:
        table: columns ``group_a, group_b, rate_a, rate_b`` (target rates),
            ``effect_size`` (Cohen's h), ``n_a, n_b`` (leads the power is computed for:
            collected plus ``more``, or ``n``), ``power``.
        target: ``"diff"`` or ``"rates"`` (never the observed difference).
        alpha, alternative: the design of the test.
        more: leads added per group to those collected (0: as things stand).
        by, from_stage, to_stage, stages, kind, unit: as in :class:`SampleSizeResult`.
    """

    table: pd.DataFrame
    target: str
    alpha: float
    alternative: str
    more: tuple[int, int]
    by: str
    from_stage: str | None
    to_stage: str | None
    stages: tuple[str, ...] | None
    kind: str
    unit: str | None = None

    _show_index = False
    _main = "table"

    def finding(self) -> str:
        """The power of the least-powered comparison, in words."""
        if self.table.empty:
            return _nothing_to_plan(self.by)
        t = self.table.dropna(subset=["power"])
        if t.empty:
            return "No power to report: the target rates are unknown for every comparison."
        row = t.sort_values("power", kind="stable").iloc[0]
        a, b = _names(self, row)
        after = "" if self.more == (0, 0) else " (after the extra leads)"
        text = (
            f"With {_counted(row['n_a'], a)} and {_counted(row['n_b'], b)}{after}, "
            f"{_describe_target(self, row)} would be detected with probability "
            f"{fw.fmt_pct(row['power'])} at the {fw.fmt_level(self.alpha)} level"
            + ("" if self.alternative == "two-sided" else " (one-sided)")
            + "."
        )
        parts = [text]
        if len(t) > 1:
            parts.append("That is the least-powered of the comparisons in the table.")
        parts.append(fw.units_caveat(self.unit, _UNIT_INVALID, remedy=_UNIT_REMEDY))
        parts.append(_PLANNING)
        return fw.sentences(*parts)


def sample_size(
    data: Any = None,
    *,
    by: str = "channel",
    from_stage: str | None = None,
    to_stage: str = "interview",
    baseline: str | None = None,
    rates: tuple[float, float] | None = None,
    diff: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float | None = None,
    alternative: Alternative = "two-sided",
    collected: tuple[int, int] | None = None,
    stages: Sequence[str] | None = None,
    attribution: Literal["first", "last"] = "first",
) -> SampleSizeResult:
    """Leads needed per group to detect a difference, and how many more than collected.

    Args:
        data: events frame or counts table (optional: without data, give ``rates``).
        by: grouping column; for a counts table the groups are its rows.
        from_stage, to_stage: the rate (default first stage -> ``"interview"``).
        baseline: each group against this one; None: every pair.
        rates: target rates ``(rate_a, rate_b)`` for every pair. Default: the observed
            rates of each pair (the difference "of the observed size").
        diff: target difference ``rate_a - rate_b``, added to group_b's observed rate.
        alpha: significance level of the planned test.
        power: probability of detecting the target difference.
        ratio: planned ``needed_b / needed_a``; None keeps each pair's current mix of
            leads (new leads arrive as before), or 1 when nothing is collected.
        alternative: ``"two-sided"``, ``"larger"`` (rate_a > rate_b) or ``"smaller"``.
        collected: without data, leads already collected ``(n_a, n_b)``.
        stages: the funnel (events) or the stage columns to use (counts).
        attribution: ``"first"`` or ``"last"``.

    Returns:
        :class:`SampleSizeResult` (columns ``group_a, group_b, rate_a, rate_b,
        effect_size, n_a, n_b, needed_a, needed_b, more_a, more_b``). With fewer than two
        groups (empty input included) the table is empty and the finding says so.

    Warns:
        UnitsWarning: ``data`` is a counts table whose ``attrs["unit"]`` is not
            ``"count"``: the leads collected are then unknown.

    Examples:
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> sample_size(counts).to_pandas()[["needed_a", "needed_b", "more_a", "more_b"]]
           needed_a  needed_b  more_a  more_b
        0        24       215       1       3
        >>> sample_size(counts, ratio=1).to_pandas()[["needed_a", "needed_b", "more_a"]]
           needed_a  needed_b  more_a
        0        42        42      19
    """
    where = "sample_size"
    _check_common(alpha, alternative, where)
    check_range("power", power, where=where, low=0, high=1)
    if ratio is not None:
        check_range("ratio", ratio, where=where, low=0)
    setup = _setup(
        data,
        by=by,
        from_stage=from_stage,
        to_stage=to_stage,
        baseline=baseline,
        rates=rates,
        diff=diff,
        collected=collected,
        stages=stages,
        attribution=attribution,
        where=where,
        allow_observed=True,
    )
    t = setup.table
    needed_a, needed_b = [], []
    for h, n_a, n_b in zip(t["effect_size"], t["n_a"], t["n_b"]):
        r = ratio if ratio is not None else (n_b / n_a if n_a > 0 and n_b > 0 else 1.0)
        if np.isnan(h):
            needed_a.append(np.nan)
            needed_b.append(np.nan)
        elif h == 0:
            needed_a.append(np.inf)
            needed_b.append(np.inf)
        else:
            n1 = NormalIndPower().solve_power(
                effect_size=abs(h) if alternative == "two-sided" else h,
                nobs1=None,
                alpha=alpha,
                power=power,
                ratio=r,
                alternative=alternative,
            )
            n1 = float(np.asarray(n1).item())
            needed_a.append(float(math.ceil(n1 - 1e-9)))
            needed_b.append(float(math.ceil(n1 * r - 1e-9)))
    na_ = np.asarray(needed_a, dtype=float)
    nb_ = np.asarray(needed_b, dtype=float)
    table = t.assign(
        needed_a=na_,
        needed_b=nb_,
        more_a=np.maximum(na_ - t["n_a"].to_numpy(), 0),
        more_b=np.maximum(nb_ - t["n_b"].to_numpy(), 0),
    )
    if np.isfinite(table[["needed_a", "needed_b"]].to_numpy()).all():
        table = table.astype(dict.fromkeys(("needed_a", "needed_b", "more_a", "more_b"), "int64"))
    return SampleSizeResult(
        table=table[SAMPLE_SIZE_COLUMNS],
        target=setup.target,
        alpha=alpha,
        power=power,
        alternative=alternative,
        ratio=ratio,
        by=setup.by,
        from_stage=setup.from_stage,
        to_stage=setup.to_stage,
        stages=setup.stages,
        kind=setup.kind,
        unit=setup.unit,
    )


def power(
    data: Any = None,
    *,
    by: str = "channel",
    from_stage: str | None = None,
    to_stage: str = "interview",
    baseline: str | None = None,
    rates: tuple[float, float] | None = None,
    diff: float | None = None,
    n: tuple[int, int] | None = None,
    more: int | tuple[int, int] = 0,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
    stages: Sequence[str] | None = None,
    attribution: Literal["first", "last"] = "first",
) -> PowerResult:
    """Power to detect a named difference with the leads collected (plus ``more``) or ``n``.

    Never the "observed power": a target (``rates`` or ``diff``) is required.

    Args:
        data: events frame or counts table (optional: without data, give ``rates`` and ``n``).
        by: grouping column; for a counts table the groups are its rows.
        from_stage, to_stage: the rate (default first stage -> ``"interview"``).
        baseline: each group against this one; None: every pair.
        rates: target rates ``(rate_a, rate_b)`` for every pair.
        diff: target difference ``rate_a - rate_b``, added to group_b's observed rate.
        n: leads per group ``(n_a, n_b)`` instead of those collected.
        more: leads to add to each group (an int) or to ``(group_a, group_b)``.
        alpha: significance level of the test.
        alternative: ``"two-sided"``, ``"larger"`` (rate_a > rate_b) or ``"smaller"``.
        stages: the funnel (events) or the stage columns to use (counts).
        attribution: ``"first"`` or ``"last"``.

    Returns:
        :class:`PowerResult` (columns ``group_a, group_b, rate_a, rate_b, effect_size,
        n_a, n_b, power``). With fewer than two groups (empty input included) the table
        is empty and the finding says so.

    Warns:
        UnitsWarning: ``data`` is a counts table whose ``attrs["unit"]`` is not
            ``"count"``: the leads collected are then unknown.

    Examples:
        >>> import pandas as pd
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> res = power(counts, diff=0.10, more=50)   # 10 points above job boards
        >>> res.to_pandas()[["rate_a", "rate_b", "n_a", "n_b"]].round(3)
           rate_a  rate_b  n_a  n_b
        0   0.175   0.075   73  262
        >>> power(counts)
        Traceback (most recent call last):
        ...
        netanalysis.errors.ParameterError: power() needs a difference to detect: ...
    """
    where = "power"
    _check_common(alpha, alternative, where)
    extra = (more, more) if isinstance(more, (int, np.integer)) else tuple(more)
    if len(extra) != 2 or min(extra) < 0:
        raise ParameterError(f"The 'more' parameter of power must be >= 0. Got {more!r}.")
    if data is None and n is None:
        raise ParameterError("Without data, power needs the leads per group: n=(n_a, n_b).")
    setup = _setup(
        data,
        by=by,
        from_stage=from_stage,
        to_stage=to_stage,
        baseline=baseline,
        rates=rates,
        diff=diff,
        collected=None,
        stages=stages,
        attribution=attribution,
        where=where,
        allow_observed=False,
    )
    t = setup.table
    if n is not None:
        if len(n) != 2 or min(n) < 1:
            raise ParameterError(f"The 'n' parameter of power must be two counts >= 1. Got {n!r}.")
        t = t.assign(n_a=int(n[0]), n_b=int(n[1]))
    t = t.assign(n_a=t["n_a"] + int(extra[0]), n_b=t["n_b"] + int(extra[1]))
    values = []
    for h, n_a, n_b in zip(t["effect_size"], t["n_a"], t["n_b"]):
        if np.isnan(h) or n_a == 0 or n_b == 0:
            values.append(np.nan)
            continue
        value = NormalIndPower().power(
            effect_size=abs(h) if alternative == "two-sided" else h,
            nobs1=n_a,
            alpha=alpha,
            ratio=n_b / n_a,
            alternative=alternative,
        )
        values.append(float(np.asarray(value).item()))
    table = t.assign(power=values).astype({"n_a": "int64", "n_b": "int64"})
    return PowerResult(
        table=table[POWER_COLUMNS],
        target=setup.target,
        alpha=alpha,
        alternative=alternative,
        more=(int(extra[0]), int(extra[1])),
        by=setup.by,
        from_stage=setup.from_stage,
        to_stage=setup.to_stage,
        stages=setup.stages,
        kind=setup.kind,
        unit=setup.unit,
    )
