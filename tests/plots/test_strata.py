"""Rates within strata next to the pooled rate (netanalysis.plots._strata)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import netanalysis as na
from netanalysis.errors import ParameterError


def invented_events(plan: dict[tuple[str, str], tuple[int, int]]) -> pd.DataFrame:
    """{(seeker, channel): (leads, interviews)} -> events of invented leads."""
    rows = []
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    for (seeker, channel), (n, k) in plan.items():
        for i in range(n):
            lead = f"{seeker}-{channel}-{i}"
            rows.append((seeker, lead, channel, "contacted", t0))
            stage = "interview" if i < k else "rejected"
            rows.append((seeker, lead, channel, stage, t0 + pd.Timedelta(days=3)))
    return pd.DataFrame(rows, columns=["seeker", "lead", "channel", "stage", "timestamp"])


#: Within each seeker referrals do better (S1: 9/10 vs 72/90; S2: 18/90 vs 1/10), pooled
#: they do worse (27/100 vs 73/100): Simpson's paradox. S3 used job boards only.
SIMPSON = invented_events(
    {
        ("S1", "referral"): (10, 9),
        ("S1", "job_board"): (90, 72),
        ("S2", "referral"): (90, 18),
        ("S2", "job_board"): (10, 1),
        ("S3", "job_board"): (4, 1),
    }
)


@pytest.fixture(scope="module")
def simpson():
    return na.stratified(SIMPSON, groups=["referral", "job_board"])


def test_rates_per_stratum_and_pooled(simpson):
    fig = na.plots.strata(simpson)
    assert [t.name for t in fig.data] == ["job board", "referral"]  # taxonomy order
    job, ref = fig.data
    # pooled row on top, then strata informative first (two groups), largest first
    assert list(job.y) == ["<b>all seekers (pooled)</b>", "S1", "S2", "S3"]
    assert np.allclose(job.x, [74 / 104, 72 / 90, 1 / 10, 1 / 4])
    assert np.allclose(ref.x[:3], [27 / 100, 9 / 10, 18 / 90])
    assert np.isnan(ref.x[3])  # S3 has no referral
    assert [c[:2] for c in ref.customdata] == [["27", "100"], ["9", "10"], ["18", "90"], ["0", "0"]]
    assert list(job.marker.symbol) == ["diamond", "circle", "circle", "circle"]
    sizes = list(job.marker.size)[1:]
    assert sizes[0] == max(sizes)
    assert sizes[-1] == min(sizes)
    lines = {round(s.x0, 6) for s in fig.layout.shapes}
    assert lines == {round(74 / 104, 6), round(27 / 100, 6)}
    assert all(s.line.dash == "dash" and s.yref == "y domain" for s in fig.layout.shapes)


def test_subtitle_names_the_odds_ratios_and_simpson(simpson):
    text = na.plots.strata(simpson).layout.title.subtitle.text
    row = simpson.pairs.iloc[0]
    assert text.startswith(
        f"referral vs job board: odds ratio pooled {na.stats.findings.fmt_ratio(row['crude_or'])}, "
        f"within seekers {na.stats.findings.fmt_ratio(row['odds_ratio'])} (Simpson's paradox)"
    )


def test_max_strata_keeps_the_informative_and_largest_and_says_so(simpson):
    fig = na.plots.strata(simpson, max_strata=1)
    assert list(fig.data[0].y) == ["<b>all seekers (pooled)</b>", "S1"]
    assert np.isclose(fig.data[0].x[0], 74 / 104)  # the pooled row still uses every stratum
    assert "1 of 3 seekers shown" in fig.layout.title.subtitle.text
    with pytest.raises(ParameterError, match="max_strata"):
        na.plots.strata(simpson, max_strata=0)


def test_many_groups_and_strata_stay_bounded():
    sim = na.simulate(n_leads=3_000, seekers=60, seed=4)
    res = na.stratified(sim.events, by="mode")
    fig = na.plots.strata(res)
    assert len(fig.data) == res.by_stratum["mode"].nunique()
    assert all(len(t.y) == 31 for t in fig.data)  # pooled + 30 strata
    assert "more comparisons" in fig.layout.title.subtitle.text
    assert fig.to_json() == na.plots.strata(res).to_json()  # deterministic


def test_nothing_to_compare_gives_an_empty_figure(simpson):
    empty = dataclasses.replace(simpson, pairs=simpson.pairs.iloc[0:0])
    fig = na.plots.strata(empty)
    assert fig.layout.annotations[0].text == "Nothing to compare."
    assert "strata" in na.plots.__all__
