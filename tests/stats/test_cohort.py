"""Tests for na.stratified (Cochran–Mantel–Haenszel) and na.model (clustered logistic)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.stats.cohort import (
    MIN_CLUSTERS,
    FewClustersWarning,
    ModelResult,
    SeparationWarning,
    StratifiedResult,
    model,
    stratified,
)

T0 = pd.Timestamp("2024-01-01", tz="UTC")


def from_counts(cells: dict[tuple[str, str], tuple[int, int]], *, by: str, strata: str):
    """Events with one lead per person: {(stratum, group): (reached, total)}.

    A lead that reached the stage has one 'interview' event (which implies contacted);
    the others one 'contacted' event.
    """
    rows = []
    for (stratum, group), (k, n) in cells.items():
        for i in range(n):
            stage = "interview" if i < k else "contacted"
            rows.append((f"{stratum}|{group}|{i}", group, stratum, stage))
    frame = pd.DataFrame(rows, columns=["lead", by, strata, "stage"])
    frame["timestamp"] = T0
    return frame


# R's datasets::UCBAdmissions, admitted/applicants per department and gender.
UCB = {
    ("A", "Male"): (512, 825),
    ("A", "Female"): (89, 108),
    ("B", "Male"): (353, 560),
    ("B", "Female"): (17, 25),
    ("C", "Male"): (120, 325),
    ("C", "Female"): (202, 593),
    ("D", "Male"): (138, 417),
    ("D", "Female"): (131, 375),
    ("E", "Male"): (53, 191),
    ("E", "Female"): (94, 393),
    ("F", "Male"): (22, 373),
    ("F", "Female"): (24, 341),
}

# R's mantelhaen.test example (Agresti 1990): penicillin and rabbits; cured/total.
RABBITS = {
    ("1/8", "None"): (0, 6),
    ("1/8", "1.5h"): (0, 5),
    ("1/4", "None"): (3, 6),
    ("1/4", "1.5h"): (0, 6),
    ("1/2", "None"): (6, 6),
    ("1/2", "1.5h"): (2, 6),
    ("1", "None"): (5, 6),
    ("1", "1.5h"): (6, 6),
    ("4", "None"): (2, 2),
    ("4", "1.5h"): (5, 5),
}


def test_rabbits_matches_r_mantelhaen():
    """R 4.x::

    Rabbits <- array(c(0, 0, 6, 5,  3, 0, 3, 6,  6, 2, 0, 4,  5, 6, 1, 0,  2, 5, 0, 0),
                     dim = c(2, 2, 5), dimnames = list(Delay = c("None", "1.5h"),
                     Response = c("Cured", "Died"),
                     Penicillin.Level = c("1/8", "1/4", "1/2", "1", "4")))
    mantelhaen.test(Rabbits)
    # Mantel-Haenszel X-squared = 3.9286, df = 1, p-value = 0.04747
    # 95 percent confidence interval: 1.026713 47.725133
    # common odds ratio: 7
    """
    events = from_counts(RABBITS, by="delay", strata="level")
    res = stratified(events, by="delay", strata="level", groups=["None", "1.5h"])
    row = res.pairs.iloc[0]
    assert row["odds_ratio"] == pytest.approx(7.0)
    assert row["or_low"] == pytest.approx(1.026713, abs=1e-6)
    assert row["or_high"] == pytest.approx(47.725133, abs=1e-5)
    assert row["statistic"] == pytest.approx(3.9286, abs=1e-4)
    assert row["p_value"] == pytest.approx(0.04747, abs=1e-5)
    # Only 3 levels have both cured and died rabbits; the others carry no information.
    assert (row["strata_used"], row["strata_total"]) == (3, 5)
    # Crude OR (16*15)/(10*13) = 1.85 points the same way: no Simpson's paradox.
    assert row["crude_or"] == pytest.approx(240 / 130)
    assert not row["simpson"]
    assert "Simpson" not in res.finding()


def test_ucb_admissions_matches_r_and_flags_simpson():
    """R 4.x::

        mantelhaen.test(UCBAdmissions)
        # Mantel-Haenszel X-squared = 1.4269, df = 1, p-value = 0.2323
        # 95 percent confidence interval: 0.7719074 1.0603298
        # common odds ratio: 0.9046968
        mantelhaen.test(UCBAdmissions, correct = FALSE)   # X-squared = 1.5246, p = 0.2169

    Pooled over departments men were admitted with 1.84 times the odds of women
    ((1198 * 1278) / (1493 * 557)), within departments with 0.90 times: the classic
    Simpson's paradox (Bickel et al. 1975). The homogeneity test is statsmodels'
    ``StratifiedTable(...).test_equal_odds(adjust=True)`` (Breslow–Day with Tarone's
    correction): 18.83 on 5 df, p = 0.0021, the value DescTools' ``BreslowDayTest`` gives.
    """
    events = from_counts(UCB, by="gender", strata="dept")
    res = stratified(events, by="gender", strata="dept", groups=["Male", "Female"])
    row = res.pairs.iloc[0]
    assert row["odds_ratio"] == pytest.approx(0.9046968, abs=1e-7)
    assert row["or_low"] == pytest.approx(0.7719074, abs=1e-7)
    assert row["or_high"] == pytest.approx(1.0603298, abs=1e-7)
    assert row["statistic"] == pytest.approx(1.4269, abs=1e-4)
    assert row["p_value"] == pytest.approx(0.2323, abs=1e-4)
    assert row["crude_or"] == pytest.approx((1198 * 1278) / (1493 * 557))
    assert (row["n_a"], row["k_a"], row["n_b"], row["k_b"]) == (2691, 1198, 1835, 557)
    tables = [
        np.array([[UCB[(d, "Male")][0], UCB[(d, "Male")][1] - UCB[(d, "Male")][0]],
                  [UCB[(d, "Female")][0], UCB[(d, "Female")][1] - UCB[(d, "Female")][0]]])
        for d in "ABCDEF"
    ]  # fmt: skip
    bd = StratifiedTable(tables).test_equal_odds(adjust=True)
    assert row["homogeneity_statistic"] == pytest.approx(bd.statistic)
    assert row["homogeneity_statistic"] == pytest.approx(18.83, abs=0.01)
    assert row["homogeneity_p"] == pytest.approx(0.00207, abs=1e-5)
    assert row["homogeneity_dof"] == 5
    assert row["simpson"]
    text = res.finding()
    assert "Simpson's paradox" in text
    assert "Pooled over dept groups" in text
    assert "Breslow–Day" in text
    assert res.strata == "dept"
    assert res.level == 0.95


def test_constructed_simpson_between_seekers():
    """Job boards do better than referrals for each seeker, but the strong seeker mostly
    used referrals, so pooled over seekers referrals look better."""
    cells = {
        ("strong", "referral"): (16, 20),  # 80%
        ("strong", "job_board"): (9, 10),  # 90%
        ("weak", "referral"): (1, 10),  # 10%
        ("weak", "job_board"): (6, 40),  # 15%
    }
    events = from_counts(cells, by="channel", strata="seeker")
    res = stratified(events, groups=["referral", "job_board"])
    row = res.pairs.iloc[0]
    assert row["crude_or"] > 1
    assert row["odds_ratio"] < 1
    assert row["simpson"]
    assert "Simpson's paradox" in res.finding()
    # Same data without the confounding (both seekers split channels alike): not flagged.
    fair = {
        ("strong", "referral"): (8, 10),
        ("strong", "job_board"): (9, 10),
        ("weak", "referral"): (3, 20),
        ("weak", "job_board"): (4, 20),
    }
    res = stratified(from_counts(fair, by="channel", strata="seeker"))
    assert not res.pairs["simpson"].any()
    assert "Simpson" not in res.finding()


def test_zero_cells_give_zero_or_infinite_odds_without_crashing():
    cells = {
        ("s1", "referral"): (3, 5),
        ("s1", "job_board"): (0, 10),
        ("s2", "referral"): (2, 4),
        ("s2", "job_board"): (0, 12),
    }
    res = stratified(from_counts(cells, by="channel", strata="seeker"))
    row = res.pairs.iloc[0]
    assert (row["group_a"], row["group_b"]) == ("referral", "job_board")
    assert row["crude_or"] == np.inf
    assert row["odds_ratio"] == np.inf
    assert np.isnan(row["or_low"])
    assert 0 <= row["p_value"] <= 1
    assert not row["simpson"]
    assert "the odds ratio is infinite and has no interval" in res.finding()


def test_open_leads_are_counted_and_named_as_censoring():
    """Open = no interview and no outcome, last event within 30 days of the latest event."""
    day = pd.Timedelta(days=1)
    rows = [
        ("old", "referral", "contacted", T0),  # 60 days before the end: not open
        ("done", "referral", "contacted", T0 + 40 * day),
        ("done", "referral", "rejected", T0 + 45 * day),  # closed: not open
        ("hit", "referral", "interview", T0 + 50 * day),  # reached: not open
        ("new1", "job_board", "contacted", T0 + 55 * day),  # open
        ("new2", "job_board", "contacted", T0 + 31 * day),  # open (29 days before the end)
        ("jb", "job_board", "interview", T0 + 60 * day),
    ]
    events = pd.DataFrame(rows, columns=["lead", "channel", "stage", "timestamp"])
    res = stratified(events)
    assert res.n_open == 2
    assert res.n_leads == 6
    assert "2 of the 6 leads are still open" in res.finding()
    m = model(events, cluster=None)
    assert m.n_open == 2
    assert "2 of the 6 leads are still open" in m.finding()


def test_each_group_against_the_largest_by_default():
    sim = na.simulate(n_leads=500, seekers=10, seeker_sd=0.5, seed=4)
    res = stratified(sim.events, by="mode", adjust="holm")
    assert res.baseline == "online_passive"  # job boards are 45% of leads
    assert (res.pairs["group_b"] == "online_passive").all()
    assert len(res.pairs) == res.pairs["group_a"].nunique() == 4
    p = res.pairs["p_value"].to_numpy()
    ok = ~np.isnan(p)
    expected = multipletests(p[ok], method="holm")[1]
    assert res.pairs["p_adjusted"].to_numpy()[ok] == pytest.approx(expected)
    assert set(res.by_stratum.columns) == {"seeker", "mode", "n", "k", "rate"}
    assert res.by_stratum["n"].sum() == 500


def test_swapping_the_groups_inverts_the_odds_ratio(sim_events):
    sim = na.simulate(n_leads=400, seekers=8, seed=6)
    ab = stratified(sim.events, by="mode", groups=["direct", "online_passive"]).pairs.iloc[0]
    ba = stratified(sim.events, by="mode", groups=["online_passive", "direct"]).pairs.iloc[0]
    assert ab["odds_ratio"] == pytest.approx(1 / ba["odds_ratio"])
    assert ab["or_low"] == pytest.approx(1 / ba["or_high"])
    assert ab["p_value"] == pytest.approx(ba["p_value"])
    assert ab["crude_or"] == pytest.approx(1 / ba["crude_or"])


_COHORT = na.simulate(n_leads=150, seekers=6, seed=12)


@settings(max_examples=15)
@given(st.randoms(use_true_random=False))
def test_stratified_row_order_does_not_matter(rnd):
    events = _COHORT.events
    order = list(range(len(events)))
    rnd.shuffle(order)
    a = stratified(events, by="mode")
    b = stratified(events.iloc[order].reset_index(drop=True), by="mode")
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    pd.testing.assert_frame_equal(a.by_stratum, b.by_stratum)
    assert ((a.pairs["p_value"] >= 0) & (a.pairs["p_value"] <= 1)).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"groups": ["referal", "job_board"]}, "Did you mean 'referral'"),
        ({"groups": ["referral"]}, "at least two groups"),
        ({"strata": "channel"}, "must differ"),
        ({"baseline": "nope"}, "'baseline' parameter"),
        ({"adjust": "hochberg"}, "'adjust' parameter"),
        ({"level": 0}, "must be in"),
        ({"to_stage": "contacted"}, "repeats a stage"),
    ],
)
def test_stratified_parameter_errors(kwargs, message, sim_events):
    with pytest.raises(ParameterError, match=message):
        stratified(sim_events, **kwargs)


def test_stratified_result_is_frozen_and_renders():
    res = stratified(from_counts(UCB, by="gender", strata="dept"), by="gender", strata="dept")
    assert isinstance(res, StratifiedResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.level = 0.9  # type: ignore[misc]
    assert res.to_pandas().equals(res.pairs)
    assert "<table" in res._repr_html_()
    assert res.baseline == "Male"  # more applicants
    assert res.from_stage == "contacted"


# ---------------------------------------------------------------------------------------
# model
# ---------------------------------------------------------------------------------------


def with_covariates(events: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Add lead-level covariates: years of experience (number) and field (category)."""
    rng = np.random.default_rng(seed)
    leads = events["lead"].unique()
    years = dict(zip(leads, rng.integers(0, 20, len(leads))))
    field = dict(zip(leads, rng.choice(["data", "ops", "sales"], len(leads))))
    out = events.copy()
    out["years"] = out["lead"].map(years).astype("int64")
    out["field"] = out["lead"].map(field).astype(str)
    return out


def per_lead_by_hand(events: pd.DataFrame, covariates: list[str]) -> pd.DataFrame:
    """Independent reduction: outcome = any event implying an interview; first event's values."""
    first = events.sort_values(["timestamp", "stage"]).groupby("lead").first()
    reached = events.groupby("lead")["stage"].agg(
        lambda s: bool(set(s.astype(str)) & {"interview", "offer", "accepted"})
    )
    out = first[["seeker", "channel", *covariates]].copy()
    out["channel"] = out["channel"].astype(str)
    out["y"] = reached.astype(float)
    return out.reset_index()


def test_model_matches_statsmodels_fitted_directly():
    sim = na.simulate(n_leads=900, seekers=MIN_CLUSTERS + 10, seeker_sd=0.5, seed=31)
    events = with_covariates(sim.events, 31)
    res = model(events, by="mode", covariates=["years", "field"], cluster="seeker")
    assert res.cov_type == "cluster"
    assert res.n_clusters == MIN_CLUSTERS + 10
    data = per_lead_by_hand(events, ["years", "field"])
    data["mode"] = data["channel"].map(na.schema.MODE_OF)
    ref = data["field"].value_counts().idxmax()  # categorical covariates: most common level
    other = sorted(set(data["field"]) - {ref})[0]
    assert set(res.terms.loc[res.terms["variable"] == "field", "reference"]) == {ref}
    fit = smf.glm(
        f"y ~ C(mode, Treatment('online_passive')) + years + C(field, Treatment('{ref}'))",
        data=data,
        family=sm.families.Binomial(),
    ).fit(
        cov_type="cluster",
        cov_kwds={"groups": pd.factorize(data["seeker"])[0]},
        use_t=True,
    )
    conf = fit.conf_int()
    terms = res.terms.set_index("term")
    for name in ["direct", "in_person", "affinity", "online_social"]:
        key = f"C(mode, Treatment('online_passive'))[T.{name}]"
        assert terms.loc[f"mode: {name}", "odds_ratio"] == pytest.approx(np.exp(fit.params[key]))
        assert terms.loc[f"mode: {name}", "or_low"] == pytest.approx(np.exp(conf.loc[key, 0]))
        assert terms.loc[f"mode: {name}", "or_high"] == pytest.approx(np.exp(conf.loc[key, 1]))
        assert terms.loc[f"mode: {name}", "p_value"] == pytest.approx(fit.pvalues[key])
    assert terms.loc["years", "odds_ratio"] == pytest.approx(np.exp(fit.params["years"]))
    assert terms.loc["years", "value"] == "per unit"
    key = f"C(field, Treatment('{ref}'))[T.{other}]"
    assert terms.loc[f"field: {other}", "odds_ratio"] == pytest.approx(np.exp(fit.params[key]))
    assert res.n_leads == 900
    assert res.n_events == int(data["y"].sum())
    assert res.baseline == "online_passive"
    assert res.covariates == ("years", "field")


def test_few_clusters_warn_with_a_remedy():
    sim = na.simulate(n_leads=400, seekers=5, seed=3)
    with pytest.warns(FewClustersWarning, match=r"Only 5 seekers.*Remedy: "):
        res = model(sim.events, by="mode")
    assert res.cov_type == "cluster"
    assert res.n_clusters == 5
    assert "Only 5 seekers" in res.finding()
    # t with clusters - 1 = 4 degrees of freedom
    assert res.fitted.df_resid_inference == 4


def test_one_seeker_is_not_clustered_and_does_not_warn():
    sim = na.simulate(n_leads=400, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = model(sim.events, by="mode")
    assert res.cov_type == "nonrobust"
    assert res.n_clusters == 1
    assert "one seeker" in res.finding()


def test_cluster_none_says_leads_are_treated_as_independent():
    sim = na.simulate(n_leads=400, seekers=4, seed=3)
    res = model(sim.events, by="mode", cluster=None)
    assert res.cov_type == "nonrobust"
    assert "not independent" in res.finding()


def test_separation_warns_and_reports_zero_odds():
    rows = {
        ("me", "referral"): (5, 10),
        ("me", "job_board"): (3, 30),
        ("me", "cold_email"): (0, 12),
    }
    events = from_counts(rows, by="channel", strata="seeker")
    with pytest.warns(SeparationWarning, match=r"none of its 12 leads.*Remedy: "):
        res = model(events)
    row = res.terms.set_index("value").loc["cold_email"]
    assert row["odds_ratio"] == 0
    assert np.isnan(row["or_low"])
    assert np.isnan(row["p_value"])
    assert row["note"] == "no lead reached the stage"
    # The other group is still estimated: (5/5) / (3/27) = 9.
    assert res.terms.set_index("value").loc["referral", "odds_ratio"] == pytest.approx(
        9.0, rel=1e-4
    )
    assert "not estimable" in res.finding()


def test_missing_covariates_are_left_out_and_counted():
    sim = na.simulate(n_leads=300, seed=8)
    events = with_covariates(sim.events, 8)
    drop = events["lead"].isin(events["lead"].unique()[:25])
    events["years"] = events["years"].astype("float64").mask(drop)
    res = model(events, by="mode", covariates=["years"])
    assert res.dropped["missing_covariate"] == 25
    assert res.n_leads == 275
    assert "25 leads were left out" in res.finding()


def test_model_parameter_errors(sim_events):
    with pytest.raises(ParameterError, match="collinear"):
        model(sim_events, by="channel", covariates=["mode"])
    with pytest.raises(ParameterError, match="'baseline' parameter"):
        model(sim_events, baseline="nope")
    with pytest.raises(ParameterError, match="must not repeat"):
        model(sim_events, covariates=["channel"])
    events = from_counts({("me", "a"): (0, 5), ("me", "b"): (0, 5)}, by="channel", strata="s")
    with pytest.raises(ParameterError, match="nothing to model"):
        model(events)


def test_model_baseline_and_result_shape():
    sim = na.simulate(n_leads=500, seed=9)
    res = model(sim.events, by="mode", baseline="direct", cluster=None)
    assert isinstance(res, ModelResult)
    assert (res.terms.loc[res.terms["variable"] == "mode", "reference"] == "direct").all()
    assert list(res.terms.columns) == [
        "term", "variable", "value", "reference", "odds_ratio", "or_low", "or_high",
        "p_value", "coef", "se", "note",
    ]  # fmt: skip
    assert res.to_pandas().equals(res.terms)
    assert "<table" in res._repr_html_()
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.level = 0.9  # type: ignore[misc]
    text = res.finding()
    assert text.startswith("Compared with direct contacts (the baseline)")
    assert "association, not proof" in text


def test_model_on_polars_gives_the_same_terms():
    pl = pytest.importorskip("polars")
    sim = na.simulate(n_leads=300, seed=9)
    events = with_covariates(sim.events, 9)
    a = model(events, by="mode", covariates=["years", "field"], cluster=None)
    b = model(pl.from_pandas(events), by="mode", covariates=["years", "field"], cluster=None)
    pd.testing.assert_frame_equal(a.terms, b.terms)
