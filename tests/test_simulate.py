"""simulate(): seeded, canonical, and faithful to the truth it returns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.schema import EVENT_COLUMNS


def test_same_seed_same_log_other_seed_other_log():
    a = na.simulate(n_leads=200, seed=5).events
    b = na.simulate(n_leads=200, seed=5).events
    c = na.simulate(n_leads=200, seed=6).events
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_canonical_columns_and_dtypes():
    ev = na.simulate(n_leads=100, seed=1).events
    assert list(ev.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    assert str(ev["timestamp"].dtype) == "datetime64[us, UTC]"
    assert ev["lead"].nunique() == 100


def test_nothing_after_as_of_and_recent_leads_pending():
    sim = na.simulate(n_leads=2000, seed=2, days=120)
    assert (sim.events["timestamp"] <= sim.as_of).all()
    last_week = sim.events[sim.events["timestamp"] > sim.as_of - pd.Timedelta(days=7)]
    started_recently = set(last_week.loc[last_week["stage"] == "contacted", "lead"])
    offers = set(sim.events.loc[sim.events["stage"] == "offer", "lead"])
    assert started_recently
    assert not (started_recently & offers)


def test_estimates_recover_truth_without_censoring():
    rates = {"job_board": (0.2, 0.5, 0.3), "referral": (0.6, 0.6, 0.4)}
    sim = na.simulate(
        n_leads=20000,
        rates=rates,
        shares={"job_board": 1, "referral": 1},
        as_of="2030-01-01",
        seed=3,
    )
    counts = na.funnel(sim.events)
    truth = sim.truth.set_index("channel")
    for channel in rates:
        observed = counts.loc[channel, "interview"] / counts.loc[channel, "contacted"]
        expected = truth.loc[channel, "interview"]
        se = np.sqrt(expected * (1 - expected) / counts.loc[channel, "contacted"])
        assert abs(observed - expected) < 4 * se


def test_cohort_has_seekers_and_heterogeneity():
    sim = na.simulate(n_leads=3000, seekers=30, seeker_sd=1.0, seed=4, as_of="2030-01-01")
    per_seeker = na.funnel(sim.events, by="seeker")
    assert len(per_seeker) == 30
    rate = per_seeker["responded"] / per_seeker["contacted"]
    assert rate.std() > 0.08


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_leads": 0},
        {"rates": {"job_board": (1.2, 0.1, 0.1)}},
        {"rates": {"bogus": (0.1, 0.1, 0.1)}},
        {"seeker_sd": -1},
    ],
)
def test_bad_parameters(kwargs):
    with pytest.raises(ParameterError):
        na.simulate(**kwargs)
