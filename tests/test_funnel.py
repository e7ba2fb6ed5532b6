"""na.funnel on small hand-made logs where the right answer is known."""

from __future__ import annotations

import pandas as pd
import pytest

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.funnel import is_counts, lead_table


def _events(rows):
    frame = pd.DataFrame(rows, columns=["lead", "channel", "stage", "date"])
    return na.load(frame).events


LOG = _events(
    [
        # a: LinkedIn touch first, then an application; interview implies a response
        ("a", "LinkedIn", "messaged", "2024-03-01"),
        ("a", "Indeed", "applied", "2024-03-05"),
        ("a", "Indeed", "interview", "2024-03-20"),
        # b: an application that was rejected (reaches contacted only)
        ("b", "Indeed", "applied", "2024-03-02"),
        ("b", "Indeed", "rejected", "2024-03-09"),
        # c: a coffee chat implies a two-way exchange
        ("c", "Meetup", "applied", "2024-03-03"),
        ("c", "Meetup", "coffee chat", "2024-03-10"),
        # d: an accepted offer implies every stage before it
        ("d", "Referral", "accepted", "2024-04-01"),
    ]
)


def test_counts_by_hand_first_attribution():
    counts = na.funnel(LOG)
    assert counts.loc["linkedin"].tolist() == [1, 1, 1, 0]
    assert counts.loc["job_board"].tolist() == [1, 0, 0, 0]
    assert counts.loc["in_person"].tolist() == [1, 1, 0, 0]
    assert counts.loc["referral"].tolist() == [1, 1, 1, 1]


def test_last_attribution_credits_the_last_touch_before_the_target():
    counts = na.funnel(LOG, attribution="last", stages=["contacted", "responded", "interview"])
    assert "linkedin" not in counts.index  # lead a's last touch before the interview: Indeed
    assert counts.loc["job_board"].tolist() == [2, 1, 1]


def test_custom_funnel_and_mode():
    counts = na.funnel(LOG, by="mode", stages=["contacted", "meeting"])
    assert counts.loc["in_person"].tolist() == [1, 1]
    assert counts["meeting"].sum() == 1


def test_seeker_defaults_to_me_when_the_log_has_no_seeker_column():
    events = LOG.drop(columns=["seeker"])
    assert na.funnel(events, by="seeker").index.tolist() == ["me"]
    assert set(lead_table(events, by="seeker")["seeker"]) == {"me"}


def test_counts_tables_are_checked_and_passed_through():
    counts = pd.DataFrame({"contacted": [10, 4], "interview": [3, 1]}, index=["a", "b"])
    assert is_counts(counts)
    pd.testing.assert_frame_equal(na.funnel(counts), counts)
    empty = pd.DataFrame(
        {"contacted": pd.Series([], dtype="int64"), "interview": pd.Series([], dtype="int64")}
    )
    assert na.funnel(empty).empty
    with pytest.raises(ParameterError, match="must not increase"):
        na.funnel(pd.DataFrame({"contacted": [1], "interview": [2]}))


def test_bad_parameters():
    with pytest.raises(ParameterError, match="Did you mean 'interview'"):
        na.funnel(LOG, stages=["contacted", "interveiw"])
    with pytest.raises(ParameterError, match="attribution"):
        na.funnel(LOG, attribution="middle")
