"""Omnibus and pairwise comparisons (netanalysis.stats.compare)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import proportion as smp
from statsmodels.stats.multitest import multipletests

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.stats.compare import AUTO_RULE, PAIR_COLUMNS, compare


def counts_table(rows: dict[str, tuple[int, int]], by: str = "channel") -> pd.DataFrame:
    """{group: (n contacted, k interviewed)} -> counts table."""
    frame = pd.DataFrame(rows, index=["contacted", "interview"]).T
    frame.index.name = by
    return frame


ISSUE = counts_table({"referral": (23, 7), "job_board": (212, 16)})


def pair(res, a, b) -> pd.Series:
    p = res.pairs
    return p[(p["group_a"] == a) & (p["group_b"] == b)].iloc[0]


# ---------------------------------------------------------------------------------------
# Reference values
# ---------------------------------------------------------------------------------------


def test_fisher_lady_tasting_tea():
    """Fisher (1935), The Design of Experiments: 3 of 4 cups right each way, two-sided
    p = 34/70 = 0.4857 (R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857)."""
    res = compare(counts_table({"milk_first": (4, 3), "tea_first": (4, 1)}), test="fisher")
    assert pair(res, "milk_first", "tea_first")["p_value"] == pytest.approx(34 / 70, abs=1e-12)


def test_issue_example_against_scipy_and_statsmodels():
    """7/23 referrals vs 16/212 job-board applications.

    scipy.stats.fisher_exact([[7, 16], [16, 196]]).pvalue                       -> p
    confint_proportions_2indep(7, 23, 16, 212, compare="ratio")                 -> (1.9403, 8.7070)
    confint_proportions_2indep(7, 23, 16, 212, compare="diff")                  -> (0.0743, 0.4352)
    confint_proportions_2indep(7, 23, 16, 212, compare="odds-ratio")            -> (1.9940, 14.6954)
    """
    row = pair(compare(ISSUE), "referral", "job_board")
    assert row["test"] == "fisher"  # expected count of referral interviews is 2.25 < 5
    assert row["p_value"] == pytest.approx(stats.fisher_exact([[7, 16], [16, 196]]).pvalue)
    assert (row["ratio_low"], row["ratio_high"]) == pytest.approx((1.9403, 8.7070), abs=1e-4)
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((0.0743, 0.4352), abs=1e-4)
    assert (row["or_low"], row["or_high"]) == pytest.approx((1.9940, 14.6954), abs=1e-4)
    for compare_, cols in [
        ("ratio", ("ratio_low", "ratio_high")),
        ("odds-ratio", ("or_low", "or_high")),
    ]:
        ref = smp.confint_proportions_2indep(7, 23, 16, 212, compare=compare_)
        assert (row[cols[0]], row[cols[1]]) == pytest.approx(tuple(ref), rel=1e-12)
    assert row["ratio"] == pytest.approx((7 / 23) / (16 / 212))
    assert row["odds_ratio"] == pytest.approx((7 * 196) / (16 * 16))
    assert row["diff"] == pytest.approx(7 / 23 - 16 / 212)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ((70, 56), (80, 48), 0.0524, 0.3339),
        ((10, 9), (10, 3), 0.1705, 0.8090),
        ((7, 6), (7, 2), 0.0582, 0.8062),
        ((56, 5), (29, 0), -0.0381, 0.1926),
    ],
)
def test_difference_interval_matches_newcombe_1998(a, b, low, high):
    """Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score
    interval without continuity correction) - the statsmodels default for the difference."""
    row = compare(counts_table({"a": a, "b": b}), to_stage="interview").pairs.iloc[0]
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((low, high), abs=5e-5)


def test_chi2_is_the_squared_pooled_z_statistic():
    """Pearson's X² (no continuity correction) of a 2×2 table equals the squared pooled
    two-proportion z statistic: z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2)); p = 2(1 - Φ(|z|))."""
    k1, n1, k2, n2 = 30, 80, 18, 90
    p = (k1 + k2) / (n1 + n2)
    z = (k1 / n1 - k2 / n2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    row = compare(counts_table({"a": (n1, k1), "b": (n2, k2)}), test="chi2").pairs.iloc[0]
    assert row["test"] == "chi2"
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10)


def test_boschloo_and_z_against_their_libraries():
    """Job satisfaction of 117 professors (74 very satisfied) and 63 scientists (31): the
    published one-sided Boschloo p-value is 0.0355 (scipy's boschloo_exact example, after
    Hinkle, Wiersma & Jurs, Applied Statistics for the Behavioral Sciences); one column
    per group.

    scipy.stats.boschloo_exact([[74, 31], [43, 32]], alternative="greater").pvalue -> 0.0355
    scipy.stats.boschloo_exact([[74, 31], [43, 32]], alternative="two-sided").pvalue
    statsmodels test_proportions_2indep(74, 117, 31, 63).pvalue  (Agresti-Caffo z)
    """
    published = stats.boschloo_exact([[74, 31], [43, 32]], alternative="greater").pvalue
    assert published == pytest.approx(0.0355, abs=1e-4)  # the orientation used below
    table = counts_table({"a": (117, 74), "b": (63, 31)})
    row = compare(table, test="boschloo").pairs.iloc[0]
    ref = stats.boschloo_exact([[74, 31], [43, 32]], alternative="two-sided").pvalue
    assert row["test"] == "boschloo"
    assert row["p_value"] == pytest.approx(ref, rel=1e-9)
    row = compare(table, test="z").pairs.iloc[0]
    assert row["p_value"] == pytest.approx(smp.test_proportions_2indep(74, 117, 31, 63).pvalue)


def test_omnibus_chi2_against_scipy():
    """scipy.stats.chi2_contingency([[20, 80], [35, 65], [50, 50]], correction=False)."""
    table = counts_table({"a": (100, 20), "b": (100, 35), "c": (100, 50)})
    om = compare(table).omnibus
    ref = stats.chi2_contingency([[20, 80], [35, 65], [50, 50]], correction=False)
    assert om.test == "chi2"
    assert om.dof == 2
    assert om.statistic == pytest.approx(ref.statistic)
    assert om.p_value == pytest.approx(ref.pvalue)


def exact_ffh_p(n: list[int], k: list[int]) -> float:
    """Exact Fisher-Freeman-Halton p-value of an r×2 table by enumeration: with the margins
    fixed, the successes follow a multivariate hypergeometric distribution,
    P(k) = prod C(n_i, k_i) / C(N, K); p = sum of P over tables no more probable than observed.
    """
    total_k = sum(k)
    dist = stats.multivariate_hypergeom(m=n, n=total_k)
    p_obs = dist.pmf(k)
    p = 0.0
    for ks in itertools.product(*[range(min(ni, total_k) + 1) for ni in n]):
        if sum(ks) == total_k:
            pk = dist.pmf(list(ks))
            if pk <= p_obs * (1 + 1e-7):
                p += pk
    return p


def test_omnibus_ffh_monte_carlo_matches_exact_enumeration():
    """Small counts: Fisher-Freeman-Halton by Monte Carlo vs the exact enumeration above
    (R: fisher.test(matrix(c(3, 0, 2, 7, 20, 2), 3))$p.value gives the exact value)."""
    n, k = [10, 20, 4], [3, 0, 2]
    draws = 20_000
    om = compare(counts_table({"a": (10, 3), "b": (20, 0), "c": (4, 2)}), draws=draws).omnibus
    exact = exact_ffh_p(n, k)
    assert om.test == "ffh_mc"
    assert om.draws == draws
    assert om.seed == 0
    assert abs(om.p_value - exact) < 4 * np.sqrt(exact * (1 - exact) / draws) + 1 / draws
    assert "Monte Carlo" in om.note
    assert "seed 0" in om.note


def test_two_group_omnibus_uses_fisher_when_counts_are_small():
    om = compare(ISSUE).omnibus
    assert om.test == "fisher"
    assert om.p_value == pytest.approx(stats.fisher_exact([[7, 16], [16, 196]]).pvalue)


@pytest.mark.parametrize("adjust", ["holm", "bh", "bonferroni"])
def test_adjustment_matches_statsmodels(adjust):
    """multipletests(p, method={"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"})."""
    table = counts_table({"a": (40, 4), "b": (40, 10), "c": (40, 16), "d": (40, 22)})
    res = compare(table, adjust=adjust)
    method = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}[adjust]
    ref = multipletests(res.pairs["p_value"], method=method)[1]
    np.testing.assert_allclose(res.pairs["p_adjusted"], ref)
    none = compare(table, adjust="none")
    np.testing.assert_array_equal(none.pairs["p_adjusted"], none.pairs["p_value"])


# ---------------------------------------------------------------------------------------
# The auto rule, at its threshold
# ---------------------------------------------------------------------------------------


def test_auto_rule_switches_exactly_at_expected_count_5():
    # 10 vs 10 leads, 10 interviews in all: every expected count is exactly 5 -> chi-square.
    at = compare(counts_table({"a": (10, 7), "b": (10, 3)})).pairs.iloc[0]
    assert at["test"] == "chi2"
    # 9 interviews in all: the smallest expected count is 4.5 -> Fisher.
    below = compare(counts_table({"a": (10, 6), "b": (10, 3)})).pairs.iloc[0]
    assert below["test"] == "fisher"
    assert "below 5" not in AUTO_RULE or "Fisher" in AUTO_RULE
    assert "at least 5" in AUTO_RULE
    assert "Fisher's exact test" in AUTO_RULE


def test_explicit_test_is_used_for_every_pair():
    table = counts_table({"a": (30, 3), "b": (30, 9), "c": (50, 20)})
    for test in ("fisher", "chi2", "boschloo", "z"):
        assert set(compare(table, test=test).pairs["test"]) == {test}


# ---------------------------------------------------------------------------------------
# Edge cases
# ---------------------------------------------------------------------------------------


def test_groups_with_no_leads_are_reported_not_crashed_on():
    table = counts_table({"a": (20, 5), "b": (0, 0), "c": (15, 1)})
    res = compare(table)
    row = pair(res, "a", "b")
    assert row["test"] == "none"
    assert np.isnan(row["p_value"])
    assert np.isnan(row["p_adjusted"])
    assert np.isnan(row["diff"])
    assert row["rate_a"] == 0.25
    assert np.isnan(row["rate_b"])
    assert pair(res, "a", "c")["test"] in ("fisher", "chi2")
    # only the tested pair is in the adjustment family
    assert pair(res, "a", "c")["p_adjusted"] == pair(res, "a", "c")["p_value"]
    assert res.omnibus.groups == 2
    assert "left out: b" in res.omnibus.note
    assert res.groups.set_index("channel").loc["b", "n"] == 0


def test_zero_cells():
    res = compare(counts_table({"a": (10, 0), "b": (20, 0)}))
    row = res.pairs.iloc[0]
    assert row["p_value"] == 1.0
    assert row["diff"] == 0
    assert np.isnan(row["ratio"])
    assert np.isfinite([row["diff_low"], row["diff_high"], row["or_low"], row["or_high"]]).all()
    assert res.omnibus.p_value == 1.0
    res = compare(counts_table({"a": (10, 3), "b": (20, 0)}))
    row = res.pairs.iloc[0]
    assert np.isinf(row["ratio"])
    assert np.isinf(row["odds_ratio"])
    assert np.isfinite(row["ratio_high"])
    assert 0 <= row["p_value"] <= 1
    assert "did better" in res.finding() or "No difference" in res.finding()


def test_single_group_and_nothing_to_compare():
    res = compare(counts_table({"a": (10, 3), "b": (0, 0)}))
    assert res.omnibus.test == "none"
    assert np.isnan(res.omnibus.p_value)
    assert res.finding().startswith("Nothing to compare")


def test_baseline_pairs_and_errors():
    table = counts_table({"a": (30, 3), "b": (30, 9), "c": (50, 20)})
    res = compare(table, baseline="c")
    assert list(zip(res.pairs["group_a"], res.pairs["group_b"])) == [("a", "c"), ("b", "c")]
    with pytest.raises(ParameterError, match="'baseline' parameter of compare"):
        compare(table, baseline="zz")
    with pytest.raises(ParameterError, match="'test' parameter"):
        compare(table, test="fischer")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'adjust' parameter"):
        compare(table, adjust="hochberg")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'draws' parameter"):
        compare(table, draws=10)


def test_events_on_pandas_and_polars_agree(sim_events):
    pl = pytest.importorskip("polars")
    a = compare(sim_events, baseline="job_board")
    b = compare(pl.from_pandas(sim_events), baseline="job_board")
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    assert a.omnibus == b.omnibus
    assert list(a.pairs.columns) == PAIR_COLUMNS


def test_parameters_are_kept_on_the_result(sim_events):
    res = compare(sim_events, from_stage="responded", to_stage="offer", level=0.9, seed=4)
    assert (res.from_stage, res.to_stage, res.level, res.seed) == ("responded", "offer", 0.9, 4)
    assert res.stages == ("contacted", "responded", "interview", "offer")
    assert res.rule == AUTO_RULE
    assert res.test == "auto"
    assert res.adjust == "holm"
    assert "(of leads that reached 'responded')" in res.finding()


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

groups = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda t: (max(t), min(t))),
    min_size=2,
    max_size=5,
)


@given(groups, st.sampled_from(["holm", "bh", "bonferroni", "none"]))
def test_rates_and_p_values_in_unit_interval(rows, adjust):
    res = compare(counts_table({f"g{i}": r for i, r in enumerate(rows)}), draws=999, adjust=adjust)
    p = res.pairs
    for col in ("rate_a", "rate_b", "p_value", "p_adjusted"):
        values = p[col].dropna()
        assert values.between(0, 1).all()
    assert (p["p_adjusted"].dropna() >= p["p_value"].dropna() - 1e-12).all()
    tested = p["test"] != "none"
    assert (p.loc[tested, "diff_low"] <= p.loc[tested, "diff_high"]).all()
    om = res.omnibus.p_value
    assert np.isnan(om) or 0 <= om <= 1


def canonical(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair with its alphabetically first group as group_a (flipping the estimates)."""
    rows = []
    for _, r in pairs.iterrows():
        if r["group_a"] > r["group_b"]:
            r = r.copy()
            r["group_a"], r["group_b"] = r["group_b"], r["group_a"]
            r["k_a"], r["k_b"], r["n_a"], r["n_b"] = r["k_b"], r["k_a"], r["n_b"], r["n_a"]
            r["rate_a"], r["rate_b"], r["diff"] = r["rate_b"], r["rate_a"], -r["diff"]
        rows.append(
            r[
                [
                    "group_a",
                    "group_b",
                    "k_a",
                    "n_a",
                    "k_b",
                    "n_b",
                    "rate_a",
                    "rate_b",
                    "diff",
                    "test",
                    "p_value",
                    "p_adjusted",
                ]
            ]
        )
    return pd.DataFrame(rows).sort_values(["group_a", "group_b"]).reset_index(drop=True)


@given(groups, st.randoms(use_true_random=False))
def test_relabelling_groups_permutes_the_output(rows, rnd):
    labels = [f"g{i}" for i in range(len(rows))]
    table = counts_table(dict(zip(labels, rows)))
    mapping = dict(zip(labels, rnd.sample([f"h{i}" for i in range(len(rows))], len(rows))))
    relabelled = table.rename(index=mapping).sample(frac=1, random_state=rnd.randint(0, 999))
    # adjust="bh": statsmodels' Holm path calls gc.collect(), slow in a test process.
    a = compare(table, draws=999, adjust="bh")
    b = compare(relabelled, draws=999, adjust="bh")
    back = {v: k for k, v in mapping.items()}
    b_pairs = b.pairs.assign(
        group_a=b.pairs["group_a"].map(back), group_b=b.pairs["group_b"].map(back)
    )
    pd.testing.assert_frame_equal(canonical(a.pairs), canonical(b_pairs), check_dtype=False)
    assert a.omnibus.test == b.omnibus.test
    np.testing.assert_equal(a.omnibus.p_value, b.omnibus.p_value)  # same Monte Carlo draws


def test_permuting_event_rows_changes_nothing(sim_events):
    shuffled = sim_events.sample(frac=1, random_state=5).reset_index(drop=True)
    a, b = compare(sim_events), compare(shuffled)
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    assert a.omnibus == b.omnibus


# ---------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------


def test_finding_reads_like_the_issue_example():
    text = compare(ISSUE).finding()
    assert text.startswith(
        "Referrals led to an interview 4.0× as often as job-board applications "
        "(95% CI 1.9–8.7; Fisher's exact test, p = 0.003; 23 vs 212 leads)."
    )
    assert text.endswith(
        "Channels were chosen, not assigned at random: this is association, not proof."
    )  # a typed-in counts table: who chose is unknown


def test_finding_orients_the_better_group_first_and_names_adjustment():
    table = counts_table({"job_board": (212, 16), "referral": (23, 7), "recruiter": (20, 6)})
    text = compare(table).finding()
    assert "as often as job-board applications" in text
    assert "Holm-adjusted p" in text
    assert "3 comparisons were made" in text


def test_finding_when_nothing_is_clear():
    table = counts_table({"linkedin": (40, 6), "cold_email": (35, 5)})
    text = compare(table).finding()
    assert text.startswith("No difference between channels is clear at the 5% level.")


def simpson_events() -> pd.DataFrame:
    """Two invented seekers. Within each, referrals do better than job boards
    (S1: 9/10 vs 72/90; S2: 18/90 vs 1/10), but pooled, referrals do worse (27/100 vs 73/100)."""
    rows = []
    plan = {("S1", "referral"): (10, 9), ("S1", "job_board"): (90, 72),
            ("S2", "referral"): (90, 18), ("S2", "job_board"): (10, 1)}  # fmt: skip
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    for (seeker, channel), (n, k) in plan.items():
        for i in range(n):
            lead = f"{seeker}-{channel}-{i}"
            rows.append((seeker, lead, channel, "contacted", t0))
            if i < k:
                rows.append((seeker, lead, channel, "interview", t0 + pd.Timedelta(days=3)))
            else:
                rows.append((seeker, lead, channel, "rejected", t0 + pd.Timedelta(days=3)))
    return pd.DataFrame(rows, columns=["seeker", "lead", "channel", "stage", "timestamp"])


def test_simpson_paradox_is_named():
    res = compare(simpson_events())
    ws = res.within_seeker
    assert ws is not None
    assert bool(ws["reversed"].iloc[0])
    assert np.log(ws["odds_ratio"].iloc[0]) * np.log(ws["mh_odds_ratio"].iloc[0]) < 0
    text = res.finding()
    assert "Simpson's paradox" in text
    assert "come from 2 seekers" in text
    assert "chosen by the seekers" in text


def test_finding_on_simulated_logs_reads_well():
    for seed in (1, 2, 3):
        res = compare(na.simulate(n_leads=300, seed=seed).events)
        text = res.finding()
        assert "nan" not in text.lower()
        assert "inf" not in text.lower()
        assert "Channels were chosen by you" in text
        assert "28 comparisons" in text


def test_html_has_both_tables():
    html = compare(ISSUE)._repr_html_()
    assert html.count("<table") == 2
    assert "Fisher" in html


def test_finding_keeps_the_case_of_group_names_mid_sentence():
    """'The largest is LinkedIn contacts vs ...', not 'linkedIn contacts' (nor 's01's leads')."""
    text = compare(counts_table({"linkedin": (40, 7), "cold_email": (35, 5)})).finding()
    assert "The largest is LinkedIn contacts vs cold emails:" in text
    by_seeker = counts_table({"S01": (40, 7), "S02": (35, 5)}, by="seeker")
    assert "The largest is S01's leads vs S02's leads:" in compare(by_seeker).finding()


def test_omnibus_displays_without_a_result_heading():
    omnibus = compare(counts_table({"a": (40, 6), "b": (35, 5), "c": (50, 20)})).omnibus
    text = repr(omnibus)
    assert ".result" not in text
    lines = text.splitlines()
    assert lines[0] == "Omnibus test: Pearson's chi-square test"
    assert lines[1].startswith("Test that all 3 groups share one rate: p = ")
    assert lines[2].split() == [
        "test",
        "statistic",
        "dof",
        "p_value",
        "groups",
        "min_expected",
        "draws",
    ]
    assert lines[3].split()[0] == "chi2"
    html = omnibus._repr_html_()
    assert ".result" not in html
    assert html.count("<table") == 1
    assert "<strong>Omnibus test: Pearson&#x27;s chi-square test</strong>" in html
    assert "note" not in html.split("<table")[1]  # the note is the sentence, not a column
    nothing = compare(counts_table({"a": (40, 6), "b": (0, 0)})).omnibus
    assert repr(nothing).splitlines()[:2] == [
        "Omnibus test: no test",
        "No omnibus test: fewer than two groups have leads. Groups with no leads are left out: b.",
    ]
