"""Small and odd data: every section says what cannot be computed instead of failing."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from report_helpers import DRAWS, content, visible_text

import netanalysis as na


def _sim(n: int = 60, seed: int = 1) -> pd.DataFrame:
    return na.simulate(n_leads=n, seed=seed).events


def _missing(html: str) -> list[str]:
    """The sentences saying what cannot be shown."""
    return [
        re.sub(r"\s+", " ", m)
        for m in re.findall(r'<p class="na-missing">(.*?)</p>', content(html), flags=re.S)
        if "need JavaScript" not in m
    ]


def _report(data: object, **kwargs: object) -> str:
    html = na.report(data, timestamp=False, draws=DRAWS, **kwargs)  # type: ignore[arg-type]
    assert isinstance(html, str)
    assert "could not be computed (" not in content(html)  # no internal error anywhere
    return html


def test_a_single_channel() -> None:
    html = _report(_sim().assign(channel="referral"))
    missing = _missing(html)
    assert "Pairwise comparisons need at least two channels." in missing
    assert "Planning needs at least two channels." in missing
    assert "Nothing to compare: fewer than two channels have leads" in visible_text(html)
    assert 'id="na-fig-forest"' in html
    assert 'id="na-fig-matrix"' not in html


def test_no_interviews_at_all() -> None:
    events = _sim()
    html = _report(events[~events["stage"].isin(["interview", "offer", "accepted"])])
    text = visible_text(html)
    assert "0% led to an interview" in text
    assert "No difference to detect" in text  # every planned difference is 0 vs 0


def test_leads_known_from_a_status_only() -> None:
    sheet = pd.DataFrame(
        {
            "Company": ["A", "B", "C", "D"],
            "Source": ["Referral", "Indeed", "Indeed", "Referral"],
            "Applied Date": [None] * 4,
            "Interview Date": [None] * 4,
            "Status": ["Applied", "Interviewing", "Applied", "Offer"],
        }
    )
    res = na.load(sheet)
    assert res.events["timestamp"].isna().all()
    html = _report(res)
    text = visible_text(html)
    assert "No event has a date: times to response cannot be computed." in text
    assert "No lead could be timed" in text
    assert "Of 4 leads, 50% led to an interview" in text


def test_a_group_with_no_lead_at_a_stage() -> None:
    """Rates from 'responded' on have n = 0 for a channel without any response."""
    events = _sim(80, seed=4)
    never = events[
        (events["channel"] == "job_board") & events["stage"].isin(["contacted", "rejected"])
    ]
    others = events[events["channel"] != "job_board"]
    html = _report(pd.concat([never, others], ignore_index=True))
    assert "– (no leads)" in html  # job board, responded → interview
    assert _missing(html) == []


def test_two_leads() -> None:
    tiny = pd.DataFrame(
        {
            "lead": ["a", "b"],
            "channel": ["Referral", "Indeed"],
            "stage": ["applied", "applied"],
            "date": ["2024-01-01", "2024-01-02"],
        }
    )
    html = _report(na.load(tiny))
    assert "Of 2 leads, 0% led to an interview" in visible_text(html)


def test_nothing_left_before_as_of() -> None:
    html = _report(_sim(), as_of="2023-01-01")
    missing = _missing(html)
    assert len(missing) == 5
    assert all("No lead reached the first stage of the funnel" in m for m in missing)
    assert "No rates:" in visible_text(html.split('<section id="data">')[0])


def test_a_custom_two_stage_funnel() -> None:
    html = _report(_sim(), stages=["contacted", "interview"], to_stage="interview")
    text = visible_text(html)
    assert "Funnel: contacted → interview; target stage: interview." in text
    assert "Time to interview" in text  # the only later stage is timed


@pytest.mark.parametrize("by", ["mode", "direction", "seeker"])
def test_other_groupings(by: str) -> None:
    events = na.simulate(n_leads=150, seekers=3, seed=8).events
    html = _report(events, by=by)
    assert f"Grouped by {by}:" in visible_text(html)
