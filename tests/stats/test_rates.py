"""Conversion rates and their intervals (netanalysis.stats.rates)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.stats.rates import conversion, proportion_interval

CONTRACT = ["channel", "from_stage", "to_stage", "n", "k", "rate", "ci_low", "ci_high"]


def counts_table(rows: dict[str, tuple[int, ...]], stages=("contacted", "interview")):
    frame = pd.DataFrame(rows, index=list(stages)).T
    frame.index.name = "channel"
    return frame


def single(k: int, n: int, ci: str) -> tuple[float, float]:
    res = conversion(counts_table({"x": (n, k)}), ci=ci).to_pandas()
    return float(res["ci_low"][0]), float(res["ci_high"][0])


# ---------------------------------------------------------------------------------------
# Reference values
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(k, n, low, high):
    """Wilson score intervals published in Newcombe (1998), Statistics in Medicine 17:857-872,
    Table II, method 3 (score, no continuity correction), to 4 decimals."""
    got = single(k, n, "wilson")
    assert got == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize(("k", "n"), [(81, 263), (15, 148), (0, 20), (1, 29), (7, 7), (3, 10)])
def test_wilson_and_exact_match_scipy_binomtest(k, n):
    """Independent implementation: scipy.

    lo, hi = scipy.stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
    lo, hi = scipy.stats.binomtest(k, n).proportion_ci(0.95, method="exact")  # Clopper-Pearson
    """
    ref_w = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
    ref_e = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
    assert single(k, n, "wilson") == pytest.approx((ref_w.low, ref_w.high), abs=1e-9)
    assert single(k, n, "exact") == pytest.approx((ref_e.low, ref_e.high), abs=1e-9)


def test_exact_closed_forms():
    """Clopper-Pearson has closed forms at the boundaries: upper = 1 - (alpha/2)^(1/n) for
    k = 0 and lower = (alpha/2)^(1/n) for k = n (0.1684 for 0/20: Newcombe 1998, Table II)."""
    lo, hi = single(0, 20, "exact")
    assert lo == 0
    assert hi == pytest.approx(1 - 0.025 ** (1 / 20), abs=1e-10)
    assert hi == pytest.approx(0.1684, abs=5e-5)
    lo, hi = single(12, 12, "exact")
    assert hi == 1
    assert lo == pytest.approx(0.025 ** (1 / 12), abs=1e-10)


@pytest.mark.parametrize(("k", "n"), [(3, 10), (1, 29), (40, 50), (81, 263)])
def test_jeffreys_is_the_beta_half_posterior_quantiles(k, n):
    """Brown, Cai & DasGupta (2001): Jeffreys interval = quantiles of Beta(k+1/2, n-k+1/2).

    scipy.stats.beta.ppf([0.025, 0.975], k + 0.5, n - k + 0.5)
    """
    ref = stats.beta.ppf([0.025, 0.975], k + 0.5, n - k + 0.5)
    assert single(k, n, "jeffreys") == pytest.approx(tuple(ref), abs=1e-9)


def test_jeffreys_boundary_modification():
    """Brown, Cai & DasGupta (2001, section 4.1.2): lower end 0 when k = 0, upper end 1 when
    k = n; the other end is the Beta(k+1/2, n-k+1/2) quantile."""
    lo, hi = single(0, 10, "jeffreys")
    assert lo == 0
    assert hi == pytest.approx(stats.beta.ppf(0.975, 0.5, 10.5), abs=1e-9)
    lo, hi = single(10, 10, "jeffreys")
    assert hi == 1
    assert lo == pytest.approx(stats.beta.ppf(0.025, 10.5, 0.5), abs=1e-9)


@pytest.mark.parametrize(("k", "n"), [(3, 10), (12, 29), (40, 50), (81, 263)])
def test_agresti_coull_textbook_formula(k, n):
    """Agresti & Coull (1998): p~ = (k + z²/2)/(n + z²), p~ ± z·sqrt(p~(1-p~)/(n + z²))."""
    z = stats.norm.ppf(0.975)
    nt = n + z**2
    pt = (k + z**2 / 2) / nt
    half = z * np.sqrt(pt * (1 - pt) / nt)
    assert single(k, n, "agresti_coull") == pytest.approx((pt - half, pt + half), abs=1e-9)


def test_level_changes_width():
    narrow = single(10, 40, "wilson")
    wide = conversion(counts_table({"x": (40, 10)}), level=0.99).to_pandas()
    assert wide["ci_low"][0] < narrow[0]
    assert wide["ci_high"][0] > narrow[1]


# ---------------------------------------------------------------------------------------
# Contract and behaviour
# ---------------------------------------------------------------------------------------


def test_columns_and_pairs_without_from_and_to(sim_events):
    res = conversion(sim_events)
    table = res.to_pandas()
    assert list(table.columns) == CONTRACT
    pairs = list(dict.fromkeys(zip(table["from_stage"], table["to_stage"])))
    assert pairs == [
        ("contacted", "responded"),
        ("responded", "interview"),
        ("interview", "offer"),
        ("contacted", "offer"),
    ]
    assert res.pairs == tuple(pairs)
    assert table["n"].dtype == "int64"
    assert table["k"].dtype == "int64"
    counts = na.funnel(sim_events)
    first = table[table["to_stage"] == "responded"].set_index("channel")
    assert (first["n"] == counts["contacted"]).all()
    assert (first["k"] == counts["responded"]).all()


def test_only_one_end_given(sim_events):
    t = conversion(sim_events, to_stage="interview").to_pandas()
    assert set(zip(t["from_stage"], t["to_stage"])) == {("contacted", "interview")}
    t = conversion(sim_events, from_stage="responded").to_pandas()
    assert set(zip(t["from_stage"], t["to_stage"])) == {("responded", "offer")}


def test_two_stage_funnel_has_one_pair():
    t = conversion(counts_table({"a": (10, 3)})).to_pandas()
    assert len(t) == 1


def test_groups_with_no_leads_are_reported_as_nan():
    t = conversion(counts_table({"a": (10, 3), "b": (0, 0)})).to_pandas().set_index("channel")
    assert t.loc["b", "n"] == 0
    assert np.isnan(t.loc["b", ["rate", "ci_low", "ci_high"]].astype(float)).all()


def test_counts_table_with_group_column_and_other_index_name():
    frame = pd.DataFrame(
        {"mode": ["direct", "online_passive"], "contacted": [5, 50], "offer": [1, 2]}
    )
    res = conversion(frame, by="mode")
    assert list(res.to_pandas()["mode"]) == ["direct", "online_passive"]
    named = frame.set_index("mode")
    assert res.to_pandas().equals(conversion(named).to_pandas())  # index name wins


def test_parameter_errors(sim_events):
    with pytest.raises(ParameterError, match="'ci' parameter of conversion"):
        conversion(sim_events, ci="wilsn")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'level' parameter"):
        conversion(sim_events, level=95)
    with pytest.raises(ParameterError, match="before to_stage"):
        conversion(sim_events, from_stage="offer", to_stage="contacted")
    with pytest.raises(ParameterError, match="not in the funnel"):
        conversion(sim_events, to_stage="meeting")
    with pytest.raises(ParameterError, match="'by' parameter"):
        conversion(sim_events, by=["channel", "seeker"])  # type: ignore[arg-type]


def test_custom_stages_and_last_attribution(sim_events):
    res = conversion(sim_events, stages=["contacted", "interview"], attribution="last")
    assert res.stages == ("contacted", "interview")
    assert res.attribution == "last"
    assert res.pairs == (("contacted", "interview"),)


def test_polars_events_give_the_same_table(sim_events):
    pl = pytest.importorskip("polars")
    pandas_result = conversion(sim_events).to_pandas()
    polars_result = conversion(pl.from_pandas(sim_events)).to_pandas()
    pd.testing.assert_frame_equal(pandas_result, polars_result)


def test_interval_helper_handles_zero_n():
    lo, hi = proportion_interval([0, 5], [0, 5])
    assert np.isnan(lo[0])
    assert hi[1] == 1.0


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

group_counts = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60)).map(
        lambda t: tuple(sorted(t, reverse=True))
    ),
    min_size=1,
    max_size=6,
)


@given(group_counts, st.sampled_from(["wilson", "jeffreys", "exact", "agresti_coull"]))
def test_rates_and_intervals_in_unit_interval(rows, ci):
    table = counts_table(
        {f"g{i}": r for i, r in enumerate(rows)}, stages=("contacted", "responded", "interview")
    )
    t = conversion(table, ci=ci).to_pandas()
    ok = t["n"] > 0
    assert t.loc[ok, ["rate", "ci_low", "ci_high"]].apply(lambda c: c.between(0, 1)).all().all()
    assert (t.loc[ok, "ci_low"] <= t.loc[ok, "rate"] + 1e-12).all()
    assert (t.loc[ok, "rate"] <= t.loc[ok, "ci_high"] + 1e-12).all()
    assert t.loc[~ok, "rate"].isna().all()


@given(group_counts, st.randoms(use_true_random=False))
def test_reordering_and_relabelling_groups_permutes_the_output(rows, rnd):
    labels = [f"g{i}" for i in range(len(rows))]
    table = counts_table(dict(zip(labels, rows)), stages=("contacted", "responded", "interview"))
    new_names = {g: f"renamed_{g}" for g in labels}
    shuffled = table.sample(frac=1, random_state=rnd.randint(0, 10**6)).rename(index=new_names)
    a = conversion(table).to_pandas()
    b = conversion(shuffled).to_pandas()
    b["channel"] = b["channel"].str.replace("renamed_", "")
    key = ["from_stage", "to_stage", "channel"]
    pd.testing.assert_frame_equal(
        a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    )


def test_permuting_event_rows_changes_nothing(sim_events):
    shuffled = sim_events.sample(frac=1, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        conversion(sim_events).to_pandas(), conversion(shuffled).to_pandas()
    )


# ---------------------------------------------------------------------------------------
# Finding
# ---------------------------------------------------------------------------------------


def test_finding_on_counts_reads_well():
    table = counts_table({"referral": (23, 7), "job_board": (212, 16)})
    text = conversion(table).finding()
    assert text.startswith("Of 235 leads, 10% led to an interview (95% CI 6.6–14%).")
    assert "Highest: referrals, 30% of 23" in text
    assert "lowest: job-board applications, 7.5% of 212" in text
    assert "With as few as 23 leads" in text
    assert "seekers" not in text
    assert "still open" not in text


def test_finding_on_a_cohort_names_dependence_and_censoring():
    events = na.simulate(n_leads=300, seekers=4, seed=8).events
    res = conversion(events, to_stage="interview")
    text = res.finding()
    assert res.n_seekers == 4
    assert "come from 4 seekers" in text
    assert "still open" in text
    assert res.n_open[0] > 0


def test_html_and_repr(sim_events):
    res = conversion(sim_events)
    assert "<table" in res._repr_html_()
    assert "led to" in res._repr_html_()
    assert "ConversionResult" in repr(res)
