"""Do the groups convert at different rates? An omnibus test and pairwise comparisons.

**Omnibus** (are all groups alike?): the groups with at least one lead form an r×2 table
(reached / did not reach ``to_stage``). When every expected count is at least 5 (Cochran's
rule) Pearson's chi-square test is used (:func:`scipy.stats.chi2_contingency`, no
continuity correction). Otherwise an exact conditional test: Fisher's exact test for two
groups, and for more the Fisher–Freeman–Halton test with a Monte Carlo p-value
(:func:`scipy.stats.fisher_exact` with :class:`scipy.stats.MonteCarloMethod`: ``draws``
tables with the observed margins from :func:`scipy.stats.random_table`, seeded, rows in a
canonical order so relabelling groups gives the same p-value).

**Pairs** (which groups differ?): every pair of groups, or each group against
``baseline``, with the risk difference, risk ratio and odds ratio and their intervals
(the defaults of :func:`statsmodels.stats.proportion.confint_proportions_2indep`:
Newcombe's hybrid score interval for the difference, the log-adjusted interval for the
ratio, the logit-adjusted interval for the odds ratio), the p-value of the named test and
the p-value adjusted for the number of pairs
(:func:`statsmodels.stats.multitest.multipletests`).

Tests (``test=``): ``"fisher"`` (:func:`scipy.stats.fisher_exact`), ``"chi2"`` (Pearson,
no continuity correction), ``"boschloo"`` (:func:`scipy.stats.boschloo_exact`, exact and
more powerful than Fisher's, slower), ``"z"`` (statsmodels ``test_proportions_2indep``
default: Wald z-test on Agresti–Caffo adjusted proportions), ``"auto"``: see
:data:`AUTO_RULE`.

Examples:
    >>> import pandas as pd, netanalysis as na
    >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
    ...                       index=pd.Index(["referral", "job_board"], name="channel"))
    >>> res = na.compare(counts, from_stage="contacted", to_stage="interview")
    >>> res.pairs[["group_a", "group_b", "ratio", "test"]].round(2)
        group_a    group_b  ratio    test
    0  referral  job_board   4.03  fisher
    >>> print(res.finding())  # doctest: +ELLIPSIS
    Referrals led to an interview 4.0× as often as job-board applications (95% CI 1.9–8.7; Fisher's exact test, p = 0.003; 23 vs 212 leads). ...
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats import proportion as smp
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests

from netanalysis.errors import ParameterError, check_choice, check_range
from netanalysis.results import Result, frame_to_html
from netanalysis.stats import findings as fw
from netanalysis.stats._data import CountsData, as_counts, group_pairs, ordered_pair

__all__ = ["AUTO_RULE", "PAIR_COLUMNS", "CompareResult", "Omnibus", "compare"]

Test = Literal["auto", "fisher", "chi2", "boschloo", "z"]
Adjust = Literal["holm", "bh", "bonferroni", "none"]

#: The rule ``test="auto"`` follows, in words (also kept on each result as ``rule``).
AUTO_RULE = (
    "Pearson's chi-square test when every expected count of the pair's 2×2 table is at "
    "least 5; otherwise Fisher's exact test, because it is exact for any sample size (its "
    "false-alarm rate never exceeds the chosen level), needs no large-sample approximation, "
    "matches R's fisher.test, and is fast enough for every pair (test='boschloo' is "
    "exact and more powerful, but slower)."
)

#: Columns of ``CompareResult.pairs``, in order.
PAIR_COLUMNS = [
    "group_a",
    "group_b",
    "k_a",
    "n_a",
    "k_b",
    "n_b",
    "rate_a",
    "rate_b",
    "diff",
    "diff_low",
    "diff_high",
    "ratio",
    "ratio_low",
    "ratio_high",
    "odds_ratio",
    "or_low",
    "or_high",
    "test",
    "p_value",
    "p_adjusted",
]

_ADJUST_METHODS = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}

#: Names of the omnibus tests (keys of ``Omnibus.test``).
OMNIBUS_NAMES: dict[str, str] = {
    "chi2": "Pearson's chi-square test",
    "fisher": "Fisher's exact test",
    "ffh_mc": "Fisher–Freeman–Halton exact test by Monte Carlo",
    "none": "no test",
}


@dataclass(frozen=True, repr=False)
class Omnibus(Result):
    """The r×c test of homogeneity: do all groups share one conversion rate?

    Attributes:
        test: ``"chi2"`` (Pearson), ``"fisher"`` (two groups, small counts), ``"ffh_mc"``
            (Fisher–Freeman–Halton, Monte Carlo p-value) or ``"none"`` (fewer than two
            groups with leads).
        statistic: Pearson's X² (chi2), the sample odds ratio (fisher), or the null
            probability of the observed table (ffh_mc); NaN for none.
        dof: degrees of freedom (chi2), else NaN.
        p_value: the p-value (NaN when there is nothing to test).
        note: which test and why, in words.
        groups: number of groups in the test (those with n > 0).
        min_expected: the smallest expected count of the table.
        draws: Monte Carlo tables drawn (0 when no simulation was needed).
        seed: the seed of the simulation.
    """

    test: str
    statistic: float
    dof: float
    p_value: float
    note: str
    groups: int
    min_expected: float
    draws: int
    seed: int

    def to_pandas(self) -> pd.DataFrame:
        """One row: test, statistic, dof, p_value, note."""
        return pd.DataFrame(
            [
                {
                    "test": self.test,
                    "statistic": self.statistic,
                    "dof": self.dof,
                    "p_value": self.p_value,
                    "note": self.note,
                }
            ]
        )

    def finding(self) -> str:
        """The p-value, then which test and why (:attr:`note`)."""
        if self.test == "none" or fw.is_missing(self.p_value):
            return self.note
        return fw.sentences(
            f"Test that all {self.groups} groups share one rate: {fw.fmt_p(self.p_value)}.",
            self.note,
        )

    def _display(self) -> pd.DataFrame:
        """The numbers without the note (the finding says it in words)."""
        return pd.DataFrame(
            [
                {
                    "test": self.test,
                    "statistic": self.statistic,
                    "dof": self.dof,
                    "p_value": self.p_value,
                    "groups": self.groups,
                    "min_expected": self.min_expected,
                    "draws": self.draws,
                }
            ]
        )

    def _title(self) -> str:
        return f"Omnibus test: {OMNIBUS_NAMES.get(self.test, self.test)}"

    def to_html(self) -> str:
        """HTML: the title, the finding, then one row of numbers."""
        text = self.finding()
        return "\n".join(
            [
                f"<div class='na-result'><strong>{html.escape(self._title())}</strong>",
                f"<p>{html.escape(text)}</p>" if text else "",
                frame_to_html(self._display(), index=False),
                "</div>",
            ]
        )

    def __repr__(self) -> str:
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            table = self._display().to_string(index=False)
        return "\n".join([self._title(), self.finding(), table])


@dataclass(frozen=True, repr=False)
class CompareResult(Result):
    """Pairwise comparisons of conversion rates and an omnibus test.

    Attributes:
        pairs: one row per pair, columns :data:`PAIR_COLUMNS`: ``group_a, group_b, k_a,
            n_a, k_b, n_b, rate_a, rate_b`` (k leads of n reached ``to_stage``),
            ``diff = rate_a - rate_b`` with ``diff_low, diff_high``, ``ratio = rate_a /
            rate_b`` with ``ratio_low, ratio_high``, ``odds_ratio`` with ``or_low, or_high``,
            ``test`` (the test used: fisher, chi2, boschloo, z, or none when a group has no
            leads), ``p_value``, ``p_adjusted``. NaN where undefined (a group with n = 0);
            ratio and odds ratio are inf when the denominator group has none.
        omnibus: :class:`Omnibus`.
        groups: per group ``<by>, n, k, rate`` (every group, including n = 0).
        by: grouping column; from_stage, to_stage: the rate compared; stages: the funnel.
        baseline: the reference group (None: all pairs).
        test: the test requested; ``rule`` the rule ``"auto"`` follows.
        adjust: the multiple-comparison adjustment; level: the confidence level
            (alpha = 1 - level for "clear" differences in the finding).
        seed, draws: Monte Carlo settings of the omnibus test.
        attribution, kind: how the counts were made (events input) / what was passed.
        n_seekers: distinct seekers (None for a counts table).
        n_open: leads still open between the two stages (None when unknown).
        within_seeker: per pair, the pooled odds ratio and the Mantel–Haenszel odds ratio
            within seekers (columns ``group_a, group_b, odds_ratio, mh_odds_ratio, strata,
            reversed``); None when the data do not come from several seekers.
        unit: the unit of a counts table whose numbers are not counts of leads
            (``attrs["unit"]``, e.g. ``"per_hire"``): rates and their ratios hold, tests,
            p-values and intervals do not, and the finding says so. None for counts.
    """

    pairs: pd.DataFrame
    omnibus: Omnibus
    groups: pd.DataFrame
    by: str
    from_stage: str
    to_stage: str
    stages: tuple[str, ...]
    baseline: str | None
    test: str
    rule: str
    adjust: str
    level: float
    seed: int
    draws: int
    attribution: str
    kind: str
    n_seekers: int | None
    n_open: int | None
    within_seeker: pd.DataFrame | None
    unit: str | None = None

    def to_pandas(self) -> pd.DataFrame:
        """The pairs table (a copy)."""
        return self.pairs.copy()

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"pairs": self.pairs, "omnibus": self.omnibus.to_pandas()}

    def to_html(self) -> str:
        """HTML: the finding, the pairs, the omnibus test."""
        text = self.finding()
        return "\n".join(
            [
                "<div class='na-result'><strong>CompareResult</strong>",
                f"<p>{html.escape(text)}</p>" if text else "",
                "<p><em>.pairs</em></p>",
                frame_to_html(self.pairs, index=False),
                "<p><em>.omnibus</em></p>",
                frame_to_html(self.omnibus.to_pandas(), index=False),
                "</div>",
            ]
        )

    def headline(self) -> pd.Series | None:
        """The pair the finding is about: smallest adjusted p-value (ties: more leads),
        oriented so that ``group_a`` has the higher rate; None when nothing was tested."""
        tested = self.pairs[self.pairs["test"] != "none"]
        if tested.empty:
            return None
        order = tested.assign(_n=tested["n_a"] + tested["n_b"]).sort_values(
            ["p_adjusted", "_n"], ascending=[True, False], kind="stable"
        )
        return _oriented(order.iloc[0].drop("_n"))

    def finding(self) -> str:
        """The clearest pair in plain words, the omnibus test, and the caveats."""
        alpha = 1 - self.level
        tested = self.pairs[self.pairs["test"] != "none"]
        top = self.headline()
        stop = self.to_stage
        if top is None:
            return (
                f"Nothing to compare: fewer than two {fw.by_plural(self.by)} have leads that "
                f"reached {self.from_stage!r}."
            )
        if self.unit is not None:
            return self._unit_finding(_largest_ratio(tested, top))
        adjust = None if self.adjust == "none" or len(tested) == 1 else self.adjust
        of = (
            ""
            if self.from_stage == self.stages[0]
            else f" (of leads that reached {self.from_stage!r})"
        )
        unadjusted = "unadjusted " if adjust else ""
        detail = (
            f"{fw.method_name(top['test'])}, {fw.fmt_p(top['p_adjusted'], adjust=adjust)}; "
            f"{fw.fmt_count(top['n_a'])} vs {fw.fmt_count(top['n_b'])} leads"
        )
        a = fw.group_phrase(self.by, top["group_a"], capital=True)
        b = fw.group_phrase(self.by, top["group_b"])
        clear = bool(top["p_adjusted"] <= alpha)
        rates = f"{fw.fmt_pct(top['rate_a'])} vs {fw.fmt_pct(top['rate_b'])} {fw.stage_phrase(stop)}{of}"
        diff_ci = fw.fmt_ci(top["diff_low"], top["diff_high"], level=self.level, diff=True)
        parts: list[str] = []
        if clear and np.isfinite(top["ratio"]):
            ratio_ci = fw.fmt_ci(top["ratio_low"], top["ratio_high"], level=self.level, ratio=True)
            parts.append(
                f"{a}{of} {fw.stage_phrase(stop)} {fw.fmt_ratio(top['ratio'])} as often as {b} "
                f"({ratio_ci}; {detail})."
            )
        elif clear:
            parts.append(f"{a} did better than {b}: {rates} (difference {diff_ci}; {detail}).")
        else:
            parts.append(
                f"No difference between {fw.by_plural(self.by)} is clear at the "
                f"{fw.fmt_level(alpha)} level. The largest is "
                f"{fw.group_phrase(self.by, top['group_a'])} vs {b}: "
                f"{rates} (difference {fw.fmt_pct(top['diff'], sign=True).rstrip('%')} points, "
                f"{unadjusted}{diff_ci}; {detail})."
            )
        others = int((tested["p_adjusted"] <= alpha).sum()) - int(clear)
        if clear and others > 0:
            parts.append(
                f"{others} other comparison{'s are' if others > 1 else ' is'} also clear at "
                f"the {fw.fmt_level(alpha)} level."
            )
        if self.omnibus.groups > 2 and np.isfinite(self.omnibus.p_value):
            verdict = "differ" if self.omnibus.p_value <= alpha else "do not clearly differ"
            parts.append(
                f"Across all {self.omnibus.groups} {fw.by_plural(self.by)}, rates {verdict} "
                f"({OMNIBUS_NAMES[self.omnibus.test]}, {fw.fmt_p(self.omnibus.p_value)})."
            )
        n_used = int(self.groups.loc[self.groups["n"] > 0, "n"].sum())
        parts.append(fw.small_sample_caveat(min(top["n_a"], top["n_b"])))
        parts.append(fw.many_comparisons_caveat(len(tested), self.adjust, level=self.level))
        parts.append(_simpson_sentence(self, top))
        parts.append(fw.dependence_caveat(self.n_seekers, n_used))
        parts.append(fw.censoring_caveat(self.n_open, n_used, stop))
        parts.append(fw.association_caveat(self.by, n_seekers=self.n_seekers))
        return fw.sentences(*parts)

    def _unit_finding(self, top: pd.Series) -> str:
        """The ratio of rates of a table that is not counts of leads (no test, no interval)."""
        of = (
            ""
            if self.from_stage == self.stages[0]
            else f" (of those that reached {self.from_stage!r})"
        )
        a = fw.group_phrase(self.by, top["group_a"], capital=True)
        b = fw.group_phrase(self.by, top["group_b"])
        stop = fw.stage_phrase(self.to_stage)
        rates = f"{fw.fmt_pct(top['rate_a'])} vs {fw.fmt_pct(top['rate_b'])}"
        if np.isfinite(top["ratio"]) and top["ratio"] > 0:
            head = f"{a}{of} {stop} {fw.fmt_ratio(top['ratio'])} as often as {b} ({rates})."
        else:
            head = f"{a}{of} {stop} more often than {b} ({rates})."
        return fw.sentences(
            head,
            fw.units_caveat(
                self.unit,
                "the tests, p-values and intervals",
                remedy=("read the rates and their ratios only"),
            ),
            fw.association_caveat(self.by, n_seekers=self.n_seekers),
        )


def _largest_ratio(tested: pd.DataFrame, fallback: pd.Series) -> pd.Series:
    """The pair whose rates differ the most as a ratio (higher rate first); p-values are
    meaningless when the table is not counts, so the finding picks by effect size."""
    rows = [_oriented(row) for _, row in tested.iterrows()]
    finite = [r for r in rows if np.isfinite(r["ratio"]) and r["ratio"] > 0]
    if not finite:
        return fallback
    return max(finite, key=lambda r: float(r["ratio"]))


def _oriented(row: pd.Series) -> pd.Series:
    """The pair with the higher rate first (ratios inverted, differences negated)."""
    if not (row["rate_b"] > row["rate_a"]):
        return row
    out = row.copy()
    for x, y in (("group_a", "group_b"), ("k_a", "k_b"), ("n_a", "n_b"), ("rate_a", "rate_b")):
        out[x], out[y] = row[y], row[x]
    out["diff"], out["diff_low"], out["diff_high"] = (
        -row["diff"],
        -row["diff_high"],
        -row["diff_low"],
    )
    with np.errstate(divide="ignore"):
        for est, lo, hi in (
            ("ratio", "ratio_low", "ratio_high"),
            ("odds_ratio", "or_low", "or_high"),
        ):
            out[est] = 1 / row[est] if row[est] != 0 else np.inf
            out[lo] = 1 / row[hi] if row[hi] != 0 else np.inf
            out[hi] = 1 / row[lo] if row[lo] != 0 else np.inf
    return out


def _simpson_sentence(res: CompareResult, top: pd.Series) -> str:
    ws = res.within_seeker
    if ws is None or ws.empty:
        return ""
    hit = ws[
        ((ws["group_a"] == top["group_a"]) & (ws["group_b"] == top["group_b"]))
        | ((ws["group_a"] == top["group_b"]) & (ws["group_b"] == top["group_a"]))
    ]
    if hit.empty or not bool(hit["reversed"].iloc[0]):
        return ""
    a = fw.group_phrase(res.by, top["group_a"])
    b = fw.group_phrase(res.by, top["group_b"])
    return fw.simpson_caveat(f"{a} did better than {b}", "the opposite holds")


# ---------------------------------------------------------------------------------------
# Arithmetic (scipy / statsmodels)
# ---------------------------------------------------------------------------------------


def _quiet(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a library function that may warn about 0/0 on boundary tables."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return func(*args, **kwargs)


def _expected_min(table: np.ndarray) -> float:
    total = table.sum()
    if total == 0:
        return 0.0
    return float((np.outer(table.sum(axis=1), table.sum(axis=0)) / total).min())


def _omnibus(n: np.ndarray, k: np.ndarray, groups: list[str], *, draws: int, seed: int) -> Omnibus:
    used = n > 0
    empty = [g for g, u in zip(groups, used) if not u]
    skipped = f" Groups with no leads are left out: {', '.join(empty)}." if empty else ""
    r = int(used.sum())
    if r < 2:
        return Omnibus(
            "none",
            np.nan,
            np.nan,
            np.nan,
            f"No omnibus test: fewer than two groups have leads.{skipped}",
            r,
            np.nan,
            0,
            seed,
        )
    table = np.column_stack([k[used], n[used] - k[used]]).astype(np.int64)
    # Canonical row order: the result does not depend on how groups are named or ordered.
    table = table[np.lexsort((table[:, 1], table[:, 0]))]
    e_min = _expected_min(table)
    if table[:, 0].sum() in (0, table.sum()):
        return Omnibus(
            "none",
            np.nan,
            np.nan,
            1.0,
            "Every group has the same rate (all 0% or all 100%): nothing differs, p = 1." + skipped,
            r,
            e_min,
            0,
            seed,
        )
    if e_min >= 5:
        res = sps.chi2_contingency(table, correction=False)
        note = (
            f"Pearson's chi-square test of homogeneity across {r} groups: every expected "
            f"count is at least 5 (smallest {fw.fmt_num(e_min)})."
        )
        return Omnibus(
            "chi2",
            float(res.statistic),
            float(res.dof),
            float(res.pvalue),
            note + skipped,
            r,
            e_min,
            0,
            seed,
        )
    if r == 2:
        res = sps.fisher_exact(table)
        note = (
            f"Fisher's exact test: an expected count is below 5 (smallest {fw.fmt_num(e_min)}), "
            "so the chi-square approximation is not trusted."
        )
        return Omnibus(
            "fisher",
            float(res.statistic),
            np.nan,
            float(res.pvalue),
            note + skipped,
            r,
            e_min,
            0,
            seed,
        )
    method = sps.MonteCarloMethod(n_resamples=draws, rng=np.random.default_rng(seed))
    res = sps.fisher_exact(table, method=method)
    note = (
        f"Fisher–Freeman–Halton exact test across {r} groups with a Monte Carlo p-value "
        f"({fw.fmt_count(draws)} tables with the observed margins, seed {seed}): an expected "
        f"count is below 5 (smallest {fw.fmt_num(e_min)}), so the chi-square approximation is "
        "not trusted."
    )
    return Omnibus(
        "ffh_mc",
        float(res.statistic),
        np.nan,
        float(res.pvalue),
        note + skipped,
        r,
        e_min,
        draws,
        seed,
    )


def _pair_test(ka: int, na: int, kb: int, nb: int, test: str) -> tuple[str, float]:
    """(test used, two-sided p-value) for one 2×2 table."""
    rows = np.array([[ka, na - ka], [kb, nb - kb]], dtype=np.int64)
    if test == "auto":
        test = "chi2" if _expected_min(rows) >= 5 else "fisher"
    if rows[:, 0].sum() in (0, rows.sum()):
        return test, 1.0  # both 0% or both 100%: every test says "no difference"
    if test == "fisher":
        return test, float(sps.fisher_exact(rows).pvalue)
    if test == "chi2":
        return test, float(sps.chi2_contingency(rows, correction=False).pvalue)
    if test == "boschloo":
        # scipy compares the two columns: one column per group.
        return test, float(sps.boschloo_exact(rows.T, alternative="two-sided").pvalue)
    res = _quiet(smp.test_proportions_2indep, ka, na, kb, nb)
    return test, float(res.pvalue)


def _pair_row(a: str, b: str, ka: int, na: int, kb: int, nb: int, test: str, alpha: float) -> dict:
    row: dict[str, Any] = {
        "group_a": a,
        "group_b": b,
        "k_a": ka,
        "n_a": na,
        "k_b": kb,
        "n_b": nb,
    }
    nan = float("nan")
    if na == 0 or nb == 0:
        row.update(dict.fromkeys(PAIR_COLUMNS[6:], nan))
        row["rate_a"] = ka / na if na else nan
        row["rate_b"] = kb / nb if nb else nan
        row["test"] = "none"
        return row
    ra, rb = ka / na, kb / nb
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.float64(ra) / np.float64(rb)
        odds = np.float64(ka * (nb - kb)) / np.float64((na - ka) * kb)
    intervals = {}
    for compare_, names in (
        ("diff", ("diff_low", "diff_high")),
        ("ratio", ("ratio_low", "ratio_high")),
        ("odds-ratio", ("or_low", "or_high")),
    ):
        lo, hi = _quiet(
            smp.confint_proportions_2indep, ka, na, kb, nb, compare=compare_, alpha=alpha
        )
        intervals[names[0]], intervals[names[1]] = float(lo), float(hi)
    used, p = _pair_test(ka, na, kb, nb, test)
    row.update(
        rate_a=ra,
        rate_b=rb,
        diff=ra - rb,
        diff_low=intervals["diff_low"],
        diff_high=intervals["diff_high"],
        ratio=float(ratio),
        ratio_low=intervals["ratio_low"],
        ratio_high=intervals["ratio_high"],
        odds_ratio=float(odds),
        or_low=intervals["or_low"],
        or_high=intervals["or_high"],
        test=used,
        p_value=min(max(p, 0.0), 1.0),
    )
    return row


def _adjusted(p: np.ndarray, adjust: str) -> np.ndarray:
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    if adjust == "none" or ok.sum() == 1:  # one test: every adjustment leaves it as is
        out[ok] = p[ok]
    else:
        out[ok] = multipletests(p[ok], method=_ADJUST_METHODS[adjust])[1]
    return np.clip(out, 0.0, 1.0)


def _within_seeker(
    data: CountsData, pairs: list[tuple[str, str]], start: str, stop: str
) -> pd.DataFrame | None:
    """Pooled vs Mantel–Haenszel (within-seeker) odds ratio per pair."""
    if data.per_seeker is None or not data.n_seekers or data.n_seekers < 2:
        return None
    per = data.per_seeker
    # groups x seekers arrays of leads (n) and conversions (k); absent combinations are 0
    n_gs = per[start].unstack("seeker", fill_value=0)
    k_gs = per[stop].unstack("seeker", fill_value=0).reindex_like(n_gs)
    rows = []
    for a, b in pairs:
        na_s, ka_s = n_gs.loc[a].to_numpy(), k_gs.loc[a].to_numpy()
        nb_s, kb_s = n_gs.loc[b].to_numpy(), k_gs.loc[b].to_numpy()
        both = (na_s > 0) & (nb_s > 0)
        tables = np.stack(
            [
                np.stack([ka_s[both], na_s[both] - ka_s[both]]),
                np.stack([kb_s[both], nb_s[both] - kb_s[both]]),
            ]
        )  # 2 x 2 x strata
        sub = data.table.loc[[a, b]]
        ka, na, kb, nb = sub.loc[a, stop], sub.loc[a, start], sub.loc[b, stop], sub.loc[b, start]
        with np.errstate(all="ignore"):
            crude = np.float64(ka * (nb - kb)) / np.float64((na - ka) * kb)
        mh = np.nan
        if int(both.sum()) >= 2:
            mh = float(_quiet(lambda t: StratifiedTable(t).oddsratio_pooled, tables.astype(float)))
        with np.errstate(all="ignore"):
            lc, lm = np.log(crude), np.log(mh)
        # Opposite sides of 1, each by at least 10%: a reversal worth a sentence.
        reversed_ = bool(
            np.isfinite(lc)
            and np.isfinite(lm)
            and lc * lm < 0
            and min(abs(lc), abs(lm)) >= np.log(1.1)
        )
        rows.append(
            {
                "group_a": a,
                "group_b": b,
                "odds_ratio": float(crude),
                "mh_odds_ratio": mh,
                "strata": int(both.sum()),
                "reversed": reversed_,
            }
        )
    return pd.DataFrame(rows)


def compare(
    data: Any,
    *,
    by: str = "channel",
    from_stage: str | None = None,
    to_stage: str = "interview",
    baseline: str | None = None,
    test: Test = "auto",
    adjust: Adjust = "holm",
    level: float = 0.95,
    seed: int = 0,
    draws: int = 20_000,
    stages: Sequence[str] | None = None,
    attribution: Literal["first", "last"] = "first",
) -> CompareResult:
    """Compare conversion rates between groups: omnibus test and pairwise comparisons.

    Args:
        data: events frame (any narwhals backend) or counts table.
        by: column to group leads by; for a counts table the groups are its rows.
        from_stage: stage the rate starts from (default: the first of the funnel).
        to_stage: stage the rate counts (default ``"interview"``).
        baseline: compare each group with this one; None compares every pair.
        test: pairwise test: ``"auto"`` (:data:`AUTO_RULE`), ``"fisher"``, ``"chi2"``,
            ``"boschloo"``, ``"z"``.
        adjust: multiple-comparison adjustment of the pairwise p-values: ``"holm"``,
            ``"bh"`` (Benjamini–Hochberg), ``"bonferroni"``, ``"none"``.
        level: confidence level of the intervals; ``1 - level`` is the level at which the
            finding calls a difference clear.
        seed: seed of the Monte Carlo omnibus p-value.
        draws: Monte Carlo tables for the omnibus test when counts are small.
        stages: the funnel (events) or the stage columns to use (counts).
        attribution: ``"first"`` or ``"last"``: which event's group a lead belongs to.

    Returns:
        :class:`CompareResult` with ``.pairs`` (columns :data:`PAIR_COLUMNS`) and
        ``.omnibus`` (:class:`Omnibus`); ``to_pandas()`` is ``.pairs``. With fewer than
        two groups (empty input included) ``.pairs`` is empty, the omnibus test is
        ``"none"`` and the finding says there is nothing to compare.

    Warns:
        UnitsWarning: ``data`` is a counts table whose ``attrs["unit"]`` is not
            ``"count"`` (e.g. a published table per hire): ratios of rates hold, tests,
            p-values and intervals do not.

    Examples:
        >>> import netanalysis as na
        >>> res = na.compare(na.simulate(n_leads=300, seed=5).events, baseline="job_board")
        >>> res.omnibus.test, len(res.pairs)
        ('ffh_mc', 7)
        >>> bool(res.pairs["p_adjusted"].between(0, 1).all())
        True
    """
    where = "compare"
    check_choice("test", test, ("auto", "fisher", "chi2", "boschloo", "z"), where=where)
    check_choice("adjust", adjust, ("holm", "bh", "bonferroni", "none"), where=where)
    check_range("level", level, where=where, low=0, high=1)
    if not isinstance(draws, (int, np.integer)) or draws < 99:
        raise ParameterError(
            f"The 'draws' parameter of compare must be an integer >= 99. Got {draws!r}."
        )
    data_ = as_counts(
        data,
        by=by,
        stages=stages,
        attribution=attribution,
        needed=(from_stage, to_stage),
        where=where,
        invalid="the tests, p-values and intervals",
    )
    start = data_.stages[0] if from_stage is None else from_stage
    start, stop = ordered_pair(data_.stages, start, to_stage, where=where)
    n, k = data_.nk(start, stop)
    labels = data_.groups
    index = {g: i for i, g in enumerate(labels)}
    pairs = group_pairs(labels, baseline, where=where)
    rows = [
        _pair_row(
            a,
            b,
            int(k[index[a]]),
            int(n[index[a]]),
            int(k[index[b]]),
            int(n[index[b]]),
            test,
            1 - level,
        )
        for a, b in pairs
    ]
    table = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    table["p_adjusted"] = _adjusted(table["p_value"].to_numpy(dtype=float, copy=True), adjust)
    table = table.astype(dict.fromkeys(("k_a", "n_a", "k_b", "n_b"), "int64"))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    groups = pd.DataFrame({data_.by: labels, "n": n, "k": k, "rate": rate})
    return CompareResult(
        pairs=table,
        omnibus=_omnibus(n, k, labels, draws=int(draws), seed=seed),
        groups=groups,
        by=data_.by,
        from_stage=start,
        to_stage=stop,
        stages=data_.stages,
        baseline=baseline,
        test=test,
        rule=AUTO_RULE,
        adjust=adjust,
        level=level,
        seed=seed,
        draws=int(draws),
        attribution=attribution,
        kind=data_.kind,
        n_seekers=data_.n_seekers,
        n_open=data_.n_open(start, stop),
        within_seeker=_within_seeker(data_, pairs, start, stop),
        unit=data_.unit,
    )
