"""Sample size and power for planned comparisons (netanalysis.stats.power)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.power import NormalIndPower

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.stats.power import power, sample_size


def counts_table(rows: dict[str, tuple[int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, index=["contacted", "interview"]).T
    frame.index.name = "channel"
    return frame


ISSUE = counts_table({"referral": (23, 7), "job_board": (212, 16)})


def rates_for_h(h: float, p_b: float = 0.5) -> tuple[float, float]:
    """Rates whose Cohen's h = 2 asin √p_a − 2 asin √p_b equals h."""
    return math.sin(math.asin(math.sqrt(p_b)) + h / 2) ** 2, p_b


@pytest.mark.parametrize(("h", "cohen"), [(0.2, 392), (0.5, 63), (0.8, 25)])
def test_sample_size_matches_cohen_1988(h, cohen):
    """Cohen (1988), Statistical Power Analysis, Table 6.4.1 (two-sided alpha .05, power .80):
    n per group = 392, 63, 25 for h = .2, .5, .8 - rounded values of the closed form
    n = 2 ((z_{.975} + z_{.80}) / h)²; netanalysis rounds up."""
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    closed = 2 * (z / h) ** 2
    assert round(closed) == cohen
    t = sample_size(rates=rates_for_h(h)).to_pandas()
    assert t["effect_size"][0] == pytest.approx(h)
    assert t["needed_a"][0] == t["needed_b"][0] == math.ceil(closed)


def test_unequal_groups_against_statsmodels():
    """NormalIndPower().solve_power(effect_size=h, alpha=.05, power=.9, ratio=3) -> n1;
    n2 = 3 n1 (both rounded up)."""
    h = 2 * math.asin(math.sqrt(0.3)) - 2 * math.asin(math.sqrt(0.15))
    n1 = NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.9, ratio=3)
    t = sample_size(rates=(0.3, 0.15), power=0.9, ratio=3).to_pandas()
    assert t["needed_a"][0] == math.ceil(n1)
    assert t["needed_b"][0] == math.ceil(3 * n1)


def test_power_against_statsmodels_and_closed_form():
    """Power of the two-sided normal test: Φ(h/√(1/n1+1/n2) − z) + Φ(−h/√(...) − z)."""
    h = 2 * math.asin(math.sqrt(0.3)) - 2 * math.asin(math.sqrt(0.1))
    t = power(rates=(0.3, 0.1), n=(40, 80)).to_pandas()
    se = math.sqrt(1 / 40 + 1 / 80)
    z = stats.norm.ppf(0.975)
    closed = stats.norm.cdf(h / se - z) + stats.norm.cdf(-h / se - z)
    assert t["power"][0] == pytest.approx(closed, rel=1e-9)
    ref = NormalIndPower().power(effect_size=h, nobs1=40, alpha=0.05, ratio=2)
    assert t["power"][0] == pytest.approx(ref)


def test_round_trip_needed_leads_reach_the_power():
    t = sample_size(rates=(0.25, 0.1), power=0.8).to_pandas()
    p = power(rates=(0.25, 0.1), n=(int(t["needed_a"][0]), int(t["needed_b"][0])))
    assert p.to_pandas()["power"][0] >= 0.8
    fewer = power(rates=(0.25, 0.1), n=(int(t["needed_a"][0]) - 1, int(t["needed_b"][0]) - 1))
    assert fewer.to_pandas()["power"][0] < 0.8


def test_more_leads_keeps_the_current_mix_by_default():
    t = sample_size(ISSUE).to_pandas().iloc[0]
    assert (t["n_a"], t["n_b"]) == (23, 212)
    assert t["needed_b"] / t["needed_a"] == pytest.approx(212 / 23, rel=0.05)
    assert t["more_a"] == t["needed_a"] - 23
    assert t["more_b"] == t["needed_b"] - 212
    even = sample_size(ISSUE, ratio=1).to_pandas().iloc[0]
    assert even["needed_a"] == even["needed_b"]
    assert even["more_b"] == 0


def test_targets_diff_and_rates_with_data():
    res = sample_size(ISSUE, diff=0.05)
    t = res.to_pandas().iloc[0]
    assert res.target == "diff"
    assert t["rate_b"] == pytest.approx(16 / 212)
    assert t["rate_a"] == pytest.approx(16 / 212 + 0.05)
    res = sample_size(ISSUE, rates=(0.2, 0.1))
    assert res.target == "rates"
    assert res.to_pandas()["rate_a"][0] == 0.2
    assert sample_size(ISSUE).target == "observed"


def test_equal_rates_need_infinitely_many_leads():
    res = sample_size(rates=(0.2, 0.2))
    assert np.isinf(res.to_pandas()["needed_a"][0])
    assert res.finding().startswith("No difference to detect")


def test_never_observed_power():
    with pytest.raises(ParameterError, match="observed power"):
        power(ISSUE)
    with pytest.raises(ParameterError, match=r"rates=.*or diff=|diff=.*rates="):
        power(ISSUE, n=(10, 10))


def test_power_with_more_leads_and_baseline(sim_events):
    now = power(sim_events, baseline="job_board", diff=0.15).to_pandas()
    later = power(sim_events, baseline="job_board", diff=0.15, more=50).to_pandas()
    assert (later["n_a"] == now["n_a"] + 50).all()
    ok = now["power"].notna()
    assert (later.loc[ok, "power"] > now.loc[ok, "power"]).all()
    assert set(now["group_b"]) == {"job_board"}


def test_parameter_errors():
    with pytest.raises(ParameterError, match="'alpha' parameter of sample_size"):
        sample_size(rates=(0.3, 0.1), alpha=5)
    with pytest.raises(ParameterError, match="'power' parameter of sample_size"):
        sample_size(rates=(0.3, 0.1), power=1)
    with pytest.raises(ParameterError, match="'rates' parameter"):
        sample_size(rates=(1.3, 0.1))
    with pytest.raises(ParameterError, match="not both"):
        sample_size(ISSUE, rates=(0.3, 0.1), diff=0.1)
    with pytest.raises(ParameterError, match="needs the rates"):
        sample_size()
    with pytest.raises(ParameterError, match="n=\\(n_a, n_b\\)"):
        power(rates=(0.3, 0.1))
    with pytest.raises(ParameterError, match="'alternative' parameter"):
        power(rates=(0.3, 0.1), n=(5, 5), alternative="less")  # type: ignore[arg-type]


@given(
    st.floats(0.01, 0.99),
    st.floats(0.01, 0.99),
    st.integers(2, 500),
    st.integers(2, 500),
)
def test_power_is_a_probability_and_grows_with_n(pa, pb, na_, nb):
    p1 = power(rates=(pa, pb), n=(na_, nb)).to_pandas()["power"][0]
    p2 = power(rates=(pa, pb), n=(na_ + 20, nb + 20)).to_pandas()["power"][0]
    assert 0 <= p1 <= 1
    assert p2 >= p1 - 1e-12


def test_findings_read_well():
    text = sample_size(ISSUE).finding()
    assert text.startswith(
        "Detecting a difference like the one observed (30% vs 7.5% led to an interview) between "
        "referrals and job-board applications, with 80% power at the 5% level, takes about"
    )
    assert "you have 23 and 212" in text
    assert "not evidence about the difference" in text
    text = power(ISSUE, diff=0.10, more=50).finding()
    assert text.startswith(
        "With 73 referrals and 262 job-board applications (after the extra leads)"
    )
    text = sample_size(na.simulate(n_leads=300, seed=2).events).finding()
    assert "closest to settled" in text
    assert "nan" not in text.lower()
