"""Compare channels within seekers: Mantel–Haenszel and logistic regression.

A cohort's seekers differ (skill, field, market) and choose channels differently, so a
channel can look good pooled over seekers only because good seekers favour it. Two tools
compare like with like:

- :func:`stratified` pools 2×2 tables across strata (seekers, seniority, ...) with the
  Cochran–Mantel–Haenszel method (statsmodels
  :class:`~statsmodels.stats.contingency_tables.StratifiedTable`): a common odds ratio
  with its interval, the CMH test, the Breslow–Day test (Tarone's correction) of whether
  the odds ratio is the same in every stratum, and the pooled (crude) answer beside it.
  When the two point in opposite directions it says so (Simpson's paradox).
- :func:`model` (in :mod:`netanalysis.stats.regression`, exported here) fits a logistic regression of reaching a stage on channel plus lead-level
  covariates, with standard errors clustered by seeker (statsmodels GLM,
  ``cov_type="cluster"``), and reports odds ratios with intervals per term.

Examples:
    >>> import netanalysis as na
    >>> sim = na.simulate(n_leads=600, seekers=8, seeker_sd=0.8, seed=5)
    >>> res = na.stratified(sim.events, groups=["referral", "job_board"])
    >>> res.pairs[["group_a", "group_b"]].values.tolist()
    [['referral', 'job_board']]
    >>> m = na.model(sim.events, to_stage="interview", cluster=None)
    >>> m.baseline, m.n_leads
    ('job_board', 600)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

from netanalysis.errors import ParameterError, check_choice, check_range
from netanalysis.results import Result
from netanalysis.stats import findings as f
from netanalysis.stats._outcomes import display_order, largest, open_caveat, outcomes, still_open
from netanalysis.stats.regression import (
    MIN_CLUSTERS,
    FewClustersWarning,
    ModelResult,
    SeparationWarning,
    model,
)

__all__ = [
    "MIN_CLUSTERS",
    "FewClustersWarning",
    "ModelResult",
    "SeparationWarning",
    "StratifiedResult",
    "model",
    "stratified",
]

Adjust = Literal["holm", "bh", "bonferroni", "none"]
_MULTITEST = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}


def _plural(strata: str) -> str:
    """``seekers`` for the seeker column, else ``<strata> groups`` (``seniority groups``)."""
    return "seekers" if strata == "seeker" else f"{strata} groups"


def _direction(odds_ratio: float) -> int:
    """+1 when the odds ratio favours group a, -1 when it favours group b, 0 otherwise."""
    if f.is_missing(odds_ratio) or odds_ratio < 0 or odds_ratio == 1:
        return 0
    return 1 if odds_ratio > 1 else -1


# ---------------------------------------------------------------------------------------
# stratified: Cochran–Mantel–Haenszel
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class StratifiedResult(Result):
    """Mantel–Haenszel comparisons of groups within strata, with the pooled answer beside.

    Attributes:
        pairs: one row per comparison: ``group_a, group_b, k_a, n_a, k_b, n_b,
            crude_or, crude_or_low, crude_or_high`` (pooled over strata, interval as in
            statsmodels ``confint_proportions_2indep``), ``odds_ratio, or_low, or_high``
            (Mantel–Haenszel common odds ratio of ``group_a`` vs ``group_b``, Robins–
            Breslow–Greenland interval), ``risk_ratio`` (Mantel–Haenszel, no interval),
            ``statistic, p_value`` (CMH test with continuity correction, as R's
            ``mantelhaen.test``), ``p_adjusted``, ``homogeneity_statistic,
            homogeneity_dof, homogeneity_p`` (Breslow–Day with Tarone's correction),
            ``strata_used, strata_total`` and ``simpson`` (True when the pooled and the
            stratified odds ratios point in opposite directions).
        by_stratum: ``<strata>, <by>, n, k, rate`` for every stratum and group compared.
        by: the grouping column. strata: the stratifying column.
        from_stage, to_stage: the step whose success is compared.
        baseline: the reference group (``group_b`` of every pair), or None for one pair.
        adjust: the multiple-comparison adjustment of ``p_adjusted``.
        level: the confidence level.
        n_seekers: number of seekers among the leads compared.
        n_leads: number of leads compared.
        n_open: leads still open (no outcome, recent activity) that may still reach
            ``to_stage``; counted as not reaching it.
        notes: sentences about what was left out and why.
    """

    pairs: pd.DataFrame
    by_stratum: pd.DataFrame
    by: str
    strata: str
    from_stage: str
    to_stage: str
    baseline: str | None
    adjust: str
    level: float
    n_seekers: int
    n_leads: int
    n_open: int
    notes: tuple[str, ...]

    def to_pandas(self) -> pd.DataFrame:
        """The comparisons, one row per pair."""
        return self.pairs.copy()

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"pairs": self.pairs}

    def finding(self) -> str:
        """The within-strata comparison in plain words, with the pooled one when they differ.

        Examples:
            >>> import netanalysis as na
            >>> sim = na.simulate(n_leads=400, seekers=6, seed=3)
            >>> res = na.stratified(sim.events, groups=["referral", "job_board"])
            >>> res.finding().startswith("Comparing leads of the same seeker")
            True
        """
        pairs = self.pairs
        if pairs.empty:
            return f.sentences("There was nothing to compare.", *self.notes)
        alpha = 1 - self.level
        order = pairs.assign(_p=pairs["p_value"].fillna(2.0)).sort_values("_p", kind="stable")
        shown = order.head(3)
        where = (
            "Comparing leads of the same seeker"
            if self.strata == "seeker"
            else f"Comparing leads within the same {self.strata}"
        )
        parts = []
        for i, (_, row) in enumerate(shown.iterrows()):
            lead_in = (
                f"{where} (Mantel–Haenszel, {row['strata_used']} {_plural(self.strata)}), "
                if i == 0
                else ""
            )
            parts.append(self._pair_sentence(row, lead_in))
        if len(pairs) > len(shown):
            more = len(pairs) - len(shown)
            parts.append(
                "1 more comparison is in .pairs." if more == 1 else f"{more} more are in .pairs."
            )
        for _, row in pairs[pairs["simpson"]].iterrows():
            parts.append(self._simpson_sentence(row))
        uneven = pairs[pairs["homogeneity_p"] < alpha]
        for _, row in uneven.head(2).iterrows():
            parts.append(
                f"The odds ratio of {f.group_phrase(self.by, row['group_a'])} vs "
                f"{f.group_phrase(self.by, row['group_b'])} is not the same in every "
                f"{self.strata} (Breslow–Day test with Tarone's correction, "
                f"{f.fmt_p(row['homogeneity_p'])}): one pooled number hides real "
                "differences; see .by_stratum."
            )
        n_min = float(np.nanmin(np.r_[pairs["n_a"], pairs["n_b"]]))
        parts.append(f.small_sample_caveat(n_min))
        parts.append(f.many_comparisons_caveat(len(pairs), self.adjust, level=self.level))
        parts.append(open_caveat(self.n_open, self.n_leads, self.to_stage))
        parts.extend(self.notes)
        parts.append(f.association_caveat(self.by, n_seekers=self.n_seekers))
        return f.sentences(*parts)

    def _simpson_sentence(self, row: pd.Series) -> str:
        a = f.group_phrase(self.by, row["group_a"])
        b = f.group_phrase(self.by, row["group_b"])
        pooled = "better" if row["crude_or"] > 1 else "worse"
        within = "better" if row["odds_ratio"] > 1 else "worse"
        return (
            f"Pooled over {_plural(self.strata)}, {a} did {pooled} than {b} (odds ratio "
            f"{f.fmt_ratio(row['crude_or'])}), but within {_plural(self.strata)} they did {within} "
            f"({f.fmt_ratio(row['odds_ratio'])}): Simpson's paradox. The {_plural(self.strata)} "
            f"differ in their mix of {f.by_plural(self.by)} and in their success rates, so the pooled "
            f"comparison misleads; the within-{self.strata} one is fairer."
        )

    def _pair_sentence(self, row: pd.Series, lead_in: str) -> str:
        a = f.group_phrase(self.by, row["group_a"], capital=not lead_in)
        b = f.group_phrase(self.by, row["group_b"])
        stage = f.stage_phrase(self.to_stage)
        if f.is_missing(row["odds_ratio"]):
            return (
                f"{lead_in}{a} vs {b}: no {self.strata} had both, with some leads that "
                f"{stage.replace('led ', 'lead ')} and some that did not, so there is no "
                "within-stratum comparison."
            )
        p = f.fmt_p(row["p_adjusted"], adjust=self.adjust if len(self.pairs) > 1 else None)
        if row["odds_ratio"] in (0.0, math.inf):
            return (
                f"{lead_in}{a}: {f.fmt_count(row['k_a'])} of {f.fmt_count(row['n_a'])} "
                f"{stage.replace('led to', 'reached').replace('got', 'reached')}, against "
                f"{f.fmt_count(row['k_b'])} of {f.fmt_count(row['n_b'])} {b}: within "
                f"{_plural(self.strata)} the odds ratio is "
                f"{'infinite' if row['odds_ratio'] else 'zero'} and has no interval ({p})."
            )
        ci = f.fmt_ci(row["or_low"], row["or_high"], level=self.level, ratio=True)
        crude = f.fmt_ratio(row["crude_or"])
        return (
            f"{lead_in}{a} {stage} with {f.fmt_ratio(row['odds_ratio'])} the odds of {b} "
            f"({ci}; {p}; {f.fmt_count(row['n_a'])} vs {f.fmt_count(row['n_b'])} leads; "
            f"pooled over {_plural(self.strata)}: {crude})."
        )


def stratified(
    events: Any,
    *,
    by: str = "channel",
    strata: str = "seeker",
    to_stage: str = "interview",
    from_stage: str | None = None,
    groups: Sequence[str] | None = None,
    baseline: str | None = None,
    adjust: Adjust = "holm",
    level: float = 0.95,
    attribution: Literal["first", "last"] = "first",
) -> StratifiedResult:
    """Compare groups within strata (Cochran–Mantel–Haenszel) and beside the pooled answer.

    Args:
        events: an events frame (pandas or any narwhals-supported frame).
        by: the column whose groups are compared (``"channel"``, ``"mode"``, ...).
        strata: the column to compare within (``"seeker"``, seniority, ...).
        to_stage: success is reaching this stage.
        from_stage: leads counted are those that reached this stage (default: the first
            stage, ``"contacted"``).
        groups: the groups to compare (default: all). Two groups and no ``baseline``:
            ``groups[0]`` vs ``groups[1]``.
        baseline: compare every other group against this one. Default with more than
            two groups: the group with the most leads.
        adjust: multiple-comparison adjustment of ``p_adjusted`` (``"holm"``, ``"bh"``,
            ``"bonferroni"``, ``"none"``).
        level: confidence level of the intervals.
        attribution: ``"first"`` or ``"last"`` (see :func:`netanalysis.funnel`).

    Returns:
        A :class:`StratifiedResult`; ``.pairs`` has one row per comparison.

    Raises:
        ParameterError: unknown group or baseline, fewer than two groups, bad options.

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> rows = []
        >>> for dept, (ka, na_, kb, nb) in {"A": (8, 10, 3, 4), "B": (1, 5, 4, 20)}.items():
        ...     for g, k, n in (("x", ka, na_), ("y", kb, nb)):
        ...         rows += [(f"{dept}{g}{i}", g, dept, "interview" if i < k else "contacted")
        ...                  for i in range(n)]
        >>> ev = pd.DataFrame(rows, columns=["lead", "channel", "dept", "stage"])
        >>> ev["timestamp"] = pd.Timestamp("2024-01-01", tz="UTC")
        >>> res = na.stratified(ev, strata="dept", groups=["x", "y"])
        >>> row = res.pairs.iloc[0]
        >>> round(float(row["odds_ratio"]), 3), round(float(row["crude_or"]), 3)
        (1.134, 3.643)
    """
    where = "stratified"
    check_choice("adjust", adjust, ("holm", "bh", "bonferroni", "none"), where=where)
    check_range("level", level, where=where, low=0, high=1)
    for name, value in (("by", by), ("strata", strata)):
        if not isinstance(value, str):
            raise ParameterError(
                f"The {name!r} parameter of {where} must be one column name. Got {value!r}."
            )
    if by == strata:
        raise ParameterError(
            f"The 'by' and 'strata' parameters of {where} must differ. Got {by!r}."
        )
    leads, start = outcomes(events, [by, strata], from_stage, to_stage, attribution, where)
    present = display_order(leads[by].astype(str).tolist(), by)
    chosen = _chosen_groups(present, groups, where)
    pairs_wanted, baseline = _pairs(leads, by, chosen, baseline, groups, where)
    leads = leads[leads[by].isin(chosen)]

    rows = [_one_pair(leads, by, strata, a, b, level) for a, b in pairs_wanted]
    pairs = pd.DataFrame(rows, columns=_PAIR_COLUMNS)
    pairs["p_adjusted"] = _adjusted(pairs["p_value"].to_numpy(dtype=float), adjust)
    for column in ("k_a", "n_a", "k_b", "n_b", "strata_used", "strata_total", "homogeneity_dof"):
        pairs[column] = pairs[column].astype("int64")
    pairs["simpson"] = pairs["simpson"].astype(bool)

    cells = (
        leads.assign(k=leads["reached"].astype("int64"))
        .groupby([strata, by], sort=True)["k"]
        .agg(n="size", k="sum")
        .reset_index()
    )
    cells["rate"] = cells["k"] / cells["n"]
    notes = []
    for _, row in pairs.iterrows():
        idle = row["strata_total"] - row["strata_used"]
        if idle and row["strata_total"]:
            notes.append(
                f"For {f.group_phrase(by, row['group_a'])} vs "
                f"{f.group_phrase(by, row['group_b'])}, {idle} of {row['strata_total']} "
                f"{_plural(strata)} carry no information (they have leads in only one of the two "
                f"groups, or all or none of their leads reached "
                f"{f.stage_phrase(to_stage, noun=True)})."
            )
    return StratifiedResult(
        pairs=pairs,
        by_stratum=cells,
        by=by,
        strata=strata,
        from_stage=start,
        to_stage=to_stage,
        baseline=baseline,
        adjust=adjust,
        level=level,
        n_seekers=int(leads["seeker"].nunique()),
        n_leads=len(leads),
        n_open=still_open(events, leads, to_stage),
        notes=tuple(notes[:2]),
    )


_PAIR_COLUMNS = [
    "group_a", "group_b", "k_a", "n_a", "k_b", "n_b", "crude_or", "crude_or_low", "crude_or_high",
    "odds_ratio", "or_low", "or_high", "risk_ratio", "statistic", "p_value", "p_adjusted",
    "homogeneity_statistic", "homogeneity_dof", "homogeneity_p", "strata_used", "strata_total",
    "simpson"
]  # fmt: skip


def _chosen_groups(present: list[str], groups: Sequence[str] | None, where: str) -> list[str]:
    if groups is None:
        chosen = present
    else:
        if isinstance(groups, str):
            groups = [groups]
        chosen = [str(g) for g in groups]
        for g in chosen:
            check_choice("groups", g, present, where=where)
        chosen = list(dict.fromkeys(chosen))
    if len(chosen) < 2:
        raise ParameterError(
            f"The 'groups' parameter of {where} must name at least two groups with leads. "
            f"Got {chosen}; the data have {present}."
        )
    return chosen


def _pairs(
    leads: pd.DataFrame,
    by: str,
    chosen: list[str],
    baseline: str | None,
    groups: Sequence[str] | None,
    where: str,
) -> tuple[list[tuple[str, str]], str | None]:
    if baseline is not None:
        check_choice("baseline", baseline, chosen, where=where)
    elif len(chosen) == 2 and groups is not None:
        return [(chosen[0], chosen[1])], None
    else:
        sizes = leads[by].value_counts().reindex(chosen).fillna(0)
        baseline = largest(sizes)
    return [(g, baseline) for g in chosen if g != baseline], baseline


def _one_pair(
    leads: pd.DataFrame, by: str, strata: str, a: str, b: str, level: float
) -> dict[str, Any]:
    alpha = 1 - level
    sub = leads[leads[by].isin([a, b])]
    cells = (
        sub.assign(k=sub["reached"].astype("int64"), is_a=sub[by] == a)
        .groupby([strata, "is_a"])["k"]
        .agg(n="size", k="sum")
        .unstack("is_a", fill_value=0)
    )
    tables = []
    for _, c in cells.iterrows():
        ka, na_ = int(c.get(("k", True), 0)), int(c.get(("n", True), 0))
        kb, nb = int(c.get(("k", False), 0)), int(c.get(("n", False), 0))
        table = np.array([[ka, na_ - ka], [kb, nb - kb]], dtype=float)
        if table.sum(axis=1).min() > 0 and table.sum(axis=0).min() > 0:
            tables.append(table)
    is_a = sub[by] == a
    k_a, n_a = int(sub.loc[is_a, "reached"].sum()), int(is_a.sum())
    k_b, n_b = int(sub.loc[~is_a, "reached"].sum()), int((~is_a).sum())
    row: dict[str, Any] = dict.fromkeys(_PAIR_COLUMNS, np.nan)
    row.update(group_a=a, group_b=b, k_a=k_a, n_a=n_a, k_b=k_b, n_b=n_b)
    row.update(strata_used=len(tables), strata_total=len(cells), homogeneity_dof=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        row["crude_or"] = np.float64(k_a * (n_b - k_b)) / np.float64((n_a - k_a) * k_b)
        if n_a and n_b:
            low, high = confint_proportions_2indep(
                k_a, n_a, k_b, n_b, compare="odds-ratio", alpha=alpha
            )
            row.update(crude_or_low=float(low), crude_or_high=float(high))
        if tables:
            st = StratifiedTable(np.stack(tables, axis=2))
            odds = float(st.oddsratio_pooled)
            row.update(odds_ratio=odds, risk_ratio=float(st.riskratio_pooled))
            if 0 < odds < math.inf:
                low, high = st.oddsratio_pooled_confint(alpha=alpha)
                row.update(or_low=float(low), or_high=float(high))
            cmh = st.test_null_odds(correction=True)
            row.update(statistic=float(cmh.statistic), p_value=float(cmh.pvalue))
            if len(tables) >= 2:
                bd = st.test_equal_odds(adjust=True)
                row.update(
                    homogeneity_statistic=float(bd.statistic),
                    homogeneity_p=float(bd.pvalue),
                    homogeneity_dof=len(tables) - 1,
                )
    row["simpson"] = _direction(row["crude_or"]) * _direction(row["odds_ratio"]) == -1
    for key in ("crude_or", "odds_ratio", "risk_ratio"):
        row[key] = float(row[key])
    return row


def _adjusted(p: np.ndarray, adjust: str) -> np.ndarray:
    out = p.copy()
    ok = ~np.isnan(p)
    if adjust != "none" and ok.sum() > 1:
        out[ok] = multipletests(p[ok], method=_MULTITEST[adjust])[1]
    return out
