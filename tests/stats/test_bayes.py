"""Beta-Binomial posteriors, P(best) and expected loss (netanalysis.stats.bayes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.stats.bayes import bayes

COLUMNS = ["channel", "k", "n", "mean", "cri_low", "cri_high", "p_best", "expected_loss"]


def counts_table(rows: dict[str, tuple[int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, index=["contacted", "interview"]).T
    frame.index.name = "channel"
    return frame


ISSUE = counts_table({"referral": (23, 7), "job_board": (212, 16)})


def test_posterior_is_the_conjugate_beta():
    """Beta(1, 1) prior, 7 of 23: posterior Beta(8, 17), mean 8/25 = 0.32 (Gelman et al.,
    Bayesian Data Analysis, section 2.4). Interval: scipy.stats.beta(8, 17).ppf([.025, .975])."""
    t = bayes(ISSUE, draws=1000).to_pandas().set_index("channel")
    assert t.loc["referral", "mean"] == pytest.approx(8 / 25)
    ref = stats.beta(8, 17).ppf([0.025, 0.975])
    assert (t.loc["referral", "cri_low"], t.loc["referral", "cri_high"]) == pytest.approx(
        tuple(ref)
    )
    t = bayes(ISSUE, prior=(0.5, 0.5), level=0.9, draws=1000).to_pandas().set_index("channel")
    ref = stats.beta(16.5, 196.5).ppf([0.05, 0.95])
    assert (t.loc["job_board", "cri_low"], t.loc["job_board", "cri_high"]) == pytest.approx(
        tuple(ref)
    )


def p_greater(a1: float, b1: float, a2: float, b2: float) -> float:
    """P(X > Y) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2) by quadrature: ∫ f_X(x) F_Y(x) dx."""
    return integrate.quad(lambda x: stats.beta.pdf(x, a1, b1) * stats.beta.cdf(x, a2, b2), 0, 1)[0]


def expected_shortfall(a1: float, b1: float, a2: float, b2: float) -> float:
    """E[(Y - X)+] by quadrature: ∫ f_X(x) ∫_x^1 (1 - F_Y(y)) dy dx."""

    def tail(x: float) -> float:
        return integrate.quad(lambda y: stats.beta.sf(y, a2, b2), x, 1)[0]

    return integrate.quad(lambda x: stats.beta.pdf(x, a1, b1) * tail(x), 0, 1, limit=100)[0]


def test_p_best_and_expected_loss_match_quadrature():
    """Two groups: P(best) and expected loss from numerical integration (scipy.integrate.quad)
    of the two Beta posteriors; Monte Carlo must agree within 4 standard errors."""
    counts = counts_table({"a": (30, 9), "b": (40, 8)})
    draws = 200_000
    t = bayes(counts, draws=draws, seed=1).to_pandas().set_index("channel")
    pa = p_greater(10, 22, 9, 33)
    assert abs(t.loc["a", "p_best"] - pa) < 4 * np.sqrt(pa * (1 - pa) / draws)
    assert t.loc["a", "p_best"] + t.loc["b", "p_best"] == pytest.approx(1)
    loss_a = expected_shortfall(10, 22, 9, 33)  # E[(θb - θa)+]
    loss_b = expected_shortfall(9, 33, 10, 22)
    assert t.loc["a", "expected_loss"] == pytest.approx(loss_a, abs=5e-4)
    assert t.loc["b", "expected_loss"] == pytest.approx(loss_b, abs=5e-4)


def test_contract_seed_and_parameters(sim_events):
    res = bayes(sim_events, draws=5_000, seed=3)
    t = res.to_pandas()
    assert list(t.columns) == COLUMNS
    assert (res.draws, res.seed, res.prior, res.level) == (5_000, 3, (1.0, 1.0), 0.95)
    assert (res.from_stage, res.to_stage) == ("contacted", "interview")
    pd.testing.assert_frame_equal(t, bayes(sim_events, draws=5_000, seed=3).to_pandas())
    assert not t["p_best"].equals(bayes(sim_events, draws=5_000, seed=4).to_pandas()["p_best"])
    assert t["p_best"].sum() == pytest.approx(1)
    assert (t["expected_loss"] >= 0).all()
    assert t.loc[t["expected_loss"].idxmin(), "channel"] == t.loc[t["p_best"].idxmax(), "channel"]


def test_group_without_leads_keeps_the_prior():
    t = bayes(counts_table({"a": (20, 5), "b": (0, 0)}), prior=(2, 8), draws=2000).to_pandas()
    b = t.set_index("channel").loc["b"]
    assert b["mean"] == pytest.approx(0.2)
    assert (b["cri_low"], b["cri_high"]) == pytest.approx(
        tuple(stats.beta(2, 8).ppf([0.025, 0.975]))
    )
    assert (
        "keep the prior" in bayes(counts_table({"a": (20, 5), "b": (0, 0)}), draws=2000).finding()
    )


@pytest.mark.parametrize("prior", [(0, 1), (1, -2), (1,), "flat", (float("inf"), 1)])
def test_bad_prior(prior):
    with pytest.raises(ParameterError, match="'prior' parameter of bayes"):
        bayes(ISSUE, prior=prior)  # type: ignore[arg-type]


def test_bad_draws_and_level():
    with pytest.raises(ParameterError, match="'draws'"):
        bayes(ISSUE, draws=10)
    with pytest.raises(ParameterError, match="'level'"):
        bayes(ISSUE, level=1.0)


groups = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 50)).map(lambda t: (max(t), min(t))),
    min_size=1,
    max_size=5,
    unique=True,
)


@given(groups, st.randoms(use_true_random=False))
def test_relabelling_groups_permutes_the_output(rows, rnd):
    labels = [f"g{i}" for i in range(len(rows))]
    table = counts_table(dict(zip(labels, rows)))
    mapping = {g: f"x{g}" for g in labels}
    shuffled = table.rename(index=mapping).sample(frac=1, random_state=rnd.randint(0, 999))
    a = bayes(table, draws=2_000).to_pandas().set_index("channel").sort_index()
    b = bayes(shuffled, draws=2_000).to_pandas()
    b = b.assign(channel=b["channel"].str[1:]).set_index("channel").sort_index()
    pd.testing.assert_frame_equal(a, b)
    for col in ("mean", "cri_low", "cri_high", "p_best"):
        assert a[col].between(0, 1).all()


def test_permuting_event_rows_changes_nothing(sim_events):
    shuffled = sim_events.sample(frac=1, random_state=9)
    pd.testing.assert_frame_equal(
        bayes(sim_events, draws=2_000).to_pandas(), bayes(shuffled, draws=2_000).to_pandas()
    )


def test_finding_reads_well():
    text = bayes(ISSUE).finding()
    assert text.startswith(
        "Best bet for an interview: referrals (probability over 99.9% of being the best): 7 of 23 "
        "led to an interview, posterior mean 32% (95% credible interval 16–51%; Beta(1, 1) prior)."
    )
    assert "Betting on job-board applications instead, your most used" in text
    assert "interviews per 100 leads" in text


def test_finding_says_when_no_group_is_a_clear_winner():
    text = bayes(counts_table({"a": (30, 6), "b": (30, 6), "c": (30, 5)}), draws=20_000).finding()
    assert "No channel is a clear winner yet" in text


def test_finding_on_simulated_cohort():
    res = bayes(na.simulate(n_leads=300, seekers=3, seed=2).events, draws=20_000)
    text = res.finding()
    assert "come from 3 seekers" in text
    assert "nan" not in text.lower()
    assert "<table" in res._repr_html_()
