"""Shared data for the figure tests: small seeded logs and their results (computed once)."""

from __future__ import annotations

import pandas as pd
import pytest

import netanalysis as na


@pytest.fixture(scope="package")
def sim():
    """A seeded log of 1,500 leads for one seeker."""
    return na.simulate(n_leads=1_500, seed=7)


@pytest.fixture(scope="package")
def counts(sim):
    return na.funnel(sim.events)


@pytest.fixture(scope="package")
def big():
    """A seeded log of 20,000 leads from 4 seekers (the size test of the issue)."""
    return na.simulate(n_leads=20_000, seekers=4, seed=3)


@pytest.fixture
def small_counts() -> pd.DataFrame:
    """The issue's example, plus a channel with no leads."""
    return pd.DataFrame(
        {"contacted": [23, 212, 0], "responded": [15, 40, 0], "interview": [7, 16, 0]},
        index=pd.Index(["referral", "job_board", "recruiter"], name="channel"),
    )
