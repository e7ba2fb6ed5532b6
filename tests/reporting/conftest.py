"""Reports shared by the reporting tests (each is built once per session)."""

from __future__ import annotations

import pytest
from report_helpers import DRAWS

import netanalysis as na


@pytest.fixture(scope="session")
def sample_html() -> str:
    """The report on the bundled one-seeker sample, without generation time."""
    return na.report(na.datasets.path("sample_seeker"), timestamp=False, draws=DRAWS)
