"""Shared test settings: deterministic Hypothesis, UTC, small seeded data."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("TZ", "UTC")

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")


@pytest.fixture
def sim_events():
    """A seeded synthetic log of 400 leads for one seeker."""
    import netanalysis as na

    return na.simulate(n_leads=400, seed=11).events


def pytest_ignore_collect(collection_path, config):
    """conftest.py files are plugins, not doctest modules: collecting two of them under the
    same module name (``--doctest-modules``) fails when several test folders run together."""
    return True if collection_path.name == "conftest.py" else None
