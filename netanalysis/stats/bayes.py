"""Where should the next hour go? Beta–Binomial posteriors, P(best) and expected loss.

Each group's conversion rate gets a Beta prior (default Beta(1, 1), uniform); after ``k``
of ``n`` leads converted its posterior is Beta(a + k, b + n - k)
(:data:`scipy.stats.beta`). From seeded Monte Carlo draws of every group's rate:

- ``p_best``: the probability that the group has the highest true rate;
- ``expected_loss``: how much rate is given up, on average, by betting on this group
  instead of the truly best one (``E[max_j θ_j - θ_g]``; 0.01 = one conversion per
  100 leads). Low expected loss is the decision criterion: it stays meaningful when
  several groups are nearly tied and P(best) is split between them.

Examples:
    >>> import pandas as pd, netanalysis as na
    >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
    ...                       index=pd.Index(["referral", "job_board"], name="channel"))
    >>> res = na.bayes(counts, draws=20_000)
    >>> res.to_pandas().round(2)
         channel   k    n  mean  cri_low  cri_high  p_best  expected_loss
    0   referral   7   23  0.32     0.16      0.51     1.0           0.00
    1  job_board  16  212  0.08     0.05      0.12     0.0           0.24
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as sps

from netanalysis.errors import ParameterError, check_range
from netanalysis.results import Result
from netanalysis.stats import findings as fw
from netanalysis.stats._data import as_counts, ordered_pair

__all__ = ["BayesResult", "bayes", "posterior_draws"]

#: Draws are simulated in blocks of this many rows to bound memory with many groups.
_BLOCK = 20_000


@dataclass(frozen=True, repr=False)
class BayesResult(Result):
    """Posterior conversion rates per group and which group is the best bet.

    Attributes:
        table: columns ``<by>, k, n, mean, cri_low, cri_high, p_best, expected_loss``:
            ``k`` of ``n`` leads reached ``to_stage``; posterior mean and equal-tailed
            credible interval at ``level``; probability of having the highest rate; expected
            loss (rate given up) when betting on this group. Groups with n = 0 keep the
            prior. ``p_best`` sums to 1.
        by: grouping column; from_stage, to_stage: the rate; stages: the funnel.
        prior: the Beta prior ``(a, b)``.
        draws, seed: Monte Carlo draws and seed.
        level: credibility level of the interval.
        attribution, kind: how the counts were made / what was passed.
        n_seekers: distinct seekers (None for a counts table).
        n_open: leads still open between the two stages (None when unknown).
        unit: the unit of a counts table whose numbers are not counts of leads
            (``attrs["unit"]``): posteriors, P(best) and expected loss assume counts and do
            not hold; the finding compares the rates only. None for counts and events.
    """

    table: pd.DataFrame
    by: str
    from_stage: str
    to_stage: str
    stages: tuple[str, ...]
    prior: tuple[float, float]
    draws: int
    seed: int
    level: float
    attribution: str
    kind: str
    n_seekers: int | None
    n_open: int | None
    unit: str | None = None

    _show_index = False
    _main = "table"

    def finding(self) -> str:
        """The best bet, how sure, what the alternatives cost, and caveats."""
        t = self.table
        used = t[t["n"] > 0]
        if used.empty:
            return (
                f"Nothing to rank: no {fw.by_singular(self.by)} has leads that reached "
                f"{fw.stage_phrase(self.from_stage, noun=True)}, so there is no best bet yet."
            )
        if self.unit is not None:
            return self._unit_finding(used)
        stop = fw.stage_phrase(self.to_stage)
        best = t.sort_values(["expected_loss", "n"], ascending=[True, False], kind="stable").iloc[0]
        a, b = self.prior
        name = fw.group_phrase(self.by, best[self.by])
        of = (
            ""
            if self.from_stage == self.stages[0]
            else f" (of leads that reached {self.from_stage!r})"
        )
        ci = fw.fmt_ci(best["cri_low"], best["cri_high"], level=self.level, pct=True, credible=True)
        parts = [
            f"Best bet for {fw.stage_phrase(self.to_stage, noun=True)}: {name} "
            f"(probability {_prob(best['p_best'])} of being the best): "
            f"{fw.fmt_count(best['k'])} of {fw.fmt_count(best['n'])} {stop}{of}, "
            f"posterior mean {fw.fmt_pct(best['mean'])} ({ci}; Beta({a:g}, {b:g}) prior)."
        ]
        if len(used) > 1:
            busiest = used.sort_values("n", ascending=False, kind="stable").iloc[0]
            if busiest[self.by] != best[self.by]:
                parts.append(
                    f"Betting on {fw.group_phrase(self.by, busiest[self.by])} instead, your most "
                    f"used, would cost on average {fw.fmt_num(busiest['expected_loss'] * 100)} "
                    f"{fw.stage_phrase(self.to_stage, plural=True)} per 100 leads compared with "
                    f"the truly best {fw.by_singular(self.by)}."
                )
        if best["p_best"] < 0.5 and len(t) > 1:
            runner = t[t[self.by] != best[self.by]].sort_values("p_best", ascending=False).iloc[0]
            parts.append(
                f"No {fw.by_singular(self.by)} is a clear winner yet: "
                f"{fw.group_phrase(self.by, runner[self.by])} is close behind "
                f"(probability {_prob(runner['p_best'])})."
            )
        empty = t[t["n"] == 0]
        if not empty.empty:
            parts.append(
                f"{len(empty)} {fw.by_singular(self.by) if len(empty) == 1 else fw.by_plural(self.by)} with no "
                "leads keep the prior: their ranking reflects only what was assumed."
            )
        parts.append(fw.small_sample_caveat(best["n"]))
        n_used = int(used["n"].sum())
        parts.append(fw.dependence_caveat(self.n_seekers, n_used))
        parts.append(fw.censoring_caveat(self.n_open, n_used, self.to_stage))
        parts.append(fw.association_caveat(self.by, n_seekers=self.n_seekers))
        return fw.sentences(*parts)

    def _unit_finding(self, used: pd.DataFrame) -> str:
        """The highest and lowest rates of a table that is not counts of leads."""
        rate = used["k"] / used["n"]
        ordered = used.assign(_rate=rate).sort_values("_rate", ascending=False, kind="stable")
        best, worst = ordered.iloc[0], ordered.iloc[-1]
        of = (
            ""
            if self.from_stage == self.stages[0]
            else f" (of those that reached {self.from_stage!r})"
        )
        text = (
            f"Highest rate of {fw.stage_phrase(self.to_stage, noun=True)}{of}: "
            f"{fw.group_phrase(self.by, best[self.by])}, {fw.fmt_pct(best['_rate'])}"
        )
        if len(ordered) > 1:
            text += (
                f"; lowest: {fw.group_phrase(self.by, worst[self.by])}, "
                f"{fw.fmt_pct(worst['_rate'])}"
            )
        return fw.sentences(
            text + ".",
            fw.units_caveat(self.unit, "posterior intervals, P(best) and expected loss"),
            fw.association_caveat(self.by, n_seekers=self.n_seekers),
        )


def _prob(p: float) -> str:
    """A Monte Carlo probability: never shown as a certain 0% or 100%."""
    if p > 0.999:
        return "over 99.9%"
    if p < 0.001:
        return "under 0.1%"
    return fw.fmt_pct(p)


def posterior_draws(
    k: Any, n: Any, *, prior: tuple[float, float] = (1, 1), draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Draws of each group's rate from its Beta posterior, shape ``(draws, groups)``.

    Examples:
        >>> x = posterior_draws([3, 0], [10, 0], draws=5, rng=np.random.default_rng(0))
        >>> x.shape
        (5, 2)
    """
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    dist = sps.beta(prior[0] + k_arr, prior[1] + n_arr - k_arr)
    return dist.rvs(size=(draws, k_arr.size), random_state=rng)


def _best_and_loss(
    k: np.ndarray, n: np.ndarray, prior: tuple[float, float], draws: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    # Draw in a canonical group order (by k, then n) so that renaming or reordering the
    # groups permutes the output instead of changing it.
    if k.size == 0:  # no groups: nothing to rank
        return np.zeros(0), np.zeros(0)
    order = np.lexsort((n, k))
    k, n = k[order], n[order]
    rng = np.random.default_rng(seed)
    groups = k.size
    wins = np.zeros(groups)
    loss = np.zeros(groups)
    done = 0
    while done < draws:
        size = min(_BLOCK, draws - done)
        theta = posterior_draws(k, n, prior=prior, draws=size, rng=rng)
        top = theta.max(axis=1, keepdims=True)
        wins += np.bincount(theta.argmax(axis=1), minlength=groups)
        loss += (top - theta).sum(axis=0)
        done += size
    back = np.empty_like(order)
    back[order] = np.arange(order.size)
    return (wins / draws)[back], (loss / draws)[back]


def bayes(
    data: Any,
    *,
    by: str = "channel",
    to_stage: str = "interview",
    from_stage: str | None = None,
    prior: tuple[float, float] = (1, 1),
    draws: int = 100_000,
    seed: int = 0,
    level: float = 0.95,
    stages: Sequence[str] | None = None,
    attribution: Literal["first", "last"] = "first",
) -> BayesResult:
    """Beta–Binomial posteriors per group, P(best) and expected loss.

    Args:
        data: events frame (any narwhals backend) or counts table.
        by: column to group leads by; for a counts table the groups are its rows.
        to_stage: stage the rate counts (default ``"interview"``).
        from_stage: stage the rate starts from (default: the first of the funnel).
        prior: Beta prior ``(a, b)``, both > 0; ``(1, 1)`` is uniform, ``(0.5, 0.5)``
            Jeffreys. A prior worth m leads at rate p is ``(m p, m (1 - p))``.
        draws: Monte Carlo draws for P(best) and expected loss.
        seed: random seed; the same seed gives the same numbers.
        level: credibility level of the equal-tailed interval.
        stages: the funnel (events) or the stage columns to use (counts).
        attribution: ``"first"`` or ``"last"``: which event's group a lead belongs to.

    Returns:
        :class:`BayesResult`; ``to_pandas()`` has columns ``<by>, k, n, mean, cri_low,
        cri_high, p_best, expected_loss``. Empty input (no groups) gives an empty table
        with these columns and a finding that there is nothing to rank.

    Warns:
        UnitsWarning: ``data`` is a counts table whose ``attrs["unit"]`` is not
            ``"count"``: posteriors, P(best) and expected loss assume counts of leads.

    Examples:
        >>> import netanalysis as na
        >>> res = na.bayes(na.simulate(n_leads=300, seed=2).events, draws=10_000)
        >>> round(float(res.to_pandas()["p_best"].sum()), 6)
        1.0
    """
    where = "bayes"
    check_range("level", level, where=where, low=0, high=1)
    try:
        a, b = (float(v) for v in prior)
    except (TypeError, ValueError):
        raise ParameterError(
            f"The 'prior' parameter of bayes must be two positive numbers (a, b). Got {prior!r}."
        ) from None
    if not (a > 0 and b > 0 and np.isfinite(a) and np.isfinite(b)):
        raise ParameterError(
            f"The 'prior' parameter of bayes must be two positive numbers (a, b). Got {prior!r}."
        )
    if not isinstance(draws, (int, np.integer)) or draws < 100:
        raise ParameterError(
            f"The 'draws' parameter of bayes must be an integer >= 100. Got {draws!r}."
        )
    data_ = as_counts(
        data,
        by=by,
        stages=stages,
        attribution=attribution,
        needed=(from_stage, to_stage),
        where=where,
        invalid="posterior intervals, P(best) and expected loss",
    )
    start = data_.stages[0] if from_stage is None else from_stage
    start, stop = ordered_pair(data_.stages, start, to_stage, where=where)
    n, k = data_.nk(start, stop)
    post = sps.beta(a + k, b + n - k)
    tail = (1 - level) / 2
    p_best, loss = _best_and_loss(k, n, (a, b), int(draws), seed)
    table = pd.DataFrame(
        {
            data_.by: data_.groups,
            "k": k,
            "n": n,
            "mean": post.mean(),
            "cri_low": post.ppf(tail),
            "cri_high": post.ppf(1 - tail),
            "p_best": p_best,
            "expected_loss": loss,
        }
    )
    return BayesResult(
        table=table,
        by=data_.by,
        from_stage=start,
        to_stage=stop,
        stages=data_.stages,
        prior=(a, b),
        draws=int(draws),
        seed=seed,
        level=level,
        attribution=attribution,
        kind=data_.kind,
        n_seekers=data_.n_seekers,
        n_open=data_.n_open(start, stop),
        unit=data_.unit,
    )
