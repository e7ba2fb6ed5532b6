"""Wide tracker sheets: one row per lead -> one event per dated stage, plus the status."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netanalysis.io.options import LoadOptions
from netanalysis.io.tables import read_table
from netanalysis.io.wide import is_wide, read_wide

FIXTURES = Path(__file__).parent.parent / "fixtures" / "generic"


def wide(frame: pd.DataFrame, **kwargs):
    options = kwargs.pop("options", LoadOptions())
    return read_wide(frame, source="tracker.csv", format="csv", options=options, **kwargs)


def test_is_wide_decisions():
    assert is_wide(["Company", "Applied Date", "Interview Date", "Status"])[0]
    assert is_wide(
        ["ID", "Company", "Status"], pd.DataFrame({"ID": [1, 2], "Company": "x", "Status": "y"})
    )[0]
    long, why = is_wide(["Lead", "Stage", "Date"])
    assert not long
    assert "event column ('Stage')" in why
    frame = pd.DataFrame(
        {"Lead": ["a", "a"], "Status": ["applied", "interview"], "Date": ["1", "2"]}
    )
    repeated, why = is_wide(list(frame.columns), frame)
    assert not repeated
    assert "repeat across rows" in why
    assert not is_wide(["Lead", "Date"])[0]
    # an explicit mapping of the status to 'stage' does not make a status column an event log
    assert is_wide(["Ref", "Current state"], None, {"Current state": "stage"})[0]
    assert not is_wide(["Ref", "Step"], None, {"Step": "stage"})[0]
    # a column named 'Stage' but mapped elsewhere is not the event column
    assert is_wide(["Stage", "Status"], None, {"Stage": "company"})[0]


def test_tracker_sheet_events():
    table = read_table(FIXTURES / "tracker_wide.csv", source="tracker_wide.csv")
    res = read_wide(
        table.frame,
        source="tracker_wide.csv",
        format="csv",
        options=LoadOptions(),
        source_rows=table.source_rows,
        rows_read=table.rows_read,
    )
    ev = res.events
    by_lead = {
        lead: list(zip(g["stage"].astype(str), g["timestamp"].dt.strftime("%Y-%m-%d").fillna("-")))
        for lead, g in ev.groupby("lead", sort=True)
    }
    assert by_lead == {
        "tracker_wide:1": [("contacted", "2024-02-01")],
        "tracker_wide:2": [
            ("contacted", "2024-02-03"),
            ("interview", "2024-02-14"),
            ("offer", "2024-02-28"),
        ],
        "tracker_wide:3": [
            ("contacted", "2024-02-05"),
            ("interview", "2024-02-19"),
            ("rejected", "-"),
        ],
        "tracker_wide:5": [("contacted", "2024-02-10"), ("interview", "-")],
    }
    assert set(ev["company"]) == {
        "Acme Analytics",
        "Bluefin Logistics",
        "Cobalt Health",
        "Evergreen Robotics",
    }
    assert ev["Role"].iloc[0] == "Data analyst"  # extra columns kept
    rejected = res.rejections.frame().set_index("source_row")
    assert (
        rejected.loc[4, "reason"] == "not a lead yet: status 'Wishlist' means no contact was made"
    )
    assert rejected.loc[6, "reason"].startswith("unknown status 'Ghosted'; known stages: contacted")
    assert rejected.loc[6, "column"] == "Status"
    assert json.loads(rejected.loc[6, "raw"])["Company"] == "Foxglove Finance"
    assert (res.rows_read, res.rows_kept, res.rows_rejected) == (6, 4, 2)
    notes = "; ".join(res.notes)
    assert "current status only, not its history" in notes
    assert "2 stage(s) known from the status only, without a date" in notes


def test_status_only_sheet():
    frame = pd.DataFrame(
        {
            "ID": ["T1", "T2", "T3"],
            "Status": ["Applied", "Interviewing", "Offer"],
            "How found": ["Indeed", "Referral", "Recruiter"],
        }
    )
    res = wide(frame)
    assert res.events["lead"].tolist() == ["T1", "T2", "T3"]
    assert res.events["stage"].tolist() == ["contacted", "interview", "offer"]
    assert res.events["timestamp"].isna().all()
    assert res.events["channel"].tolist() == ["job_board", "referral", "recruiter"]


def test_status_date_column_dates_the_status():
    frame = pd.DataFrame(
        {
            "Company": ["Acme"],
            "Applied Date": ["2024-03-01"],
            "Status": ["Interviewing"],
            "Status Date": ["2024-03-10"],
        }
    )
    ev = wide(frame).events
    assert ev["stage"].tolist() == ["contacted", "interview"]
    assert ev["timestamp"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2024-03-10"]


def test_status_equal_to_a_dated_stage_is_one_event():
    frame = pd.DataFrame(
        {"Company": ["Acme"], "Applied Date": ["2024-03-01"], "Status": ["Applied"]}
    )
    assert wide(frame).events["stage"].tolist() == ["contacted"]


def test_plain_date_column_is_first_contact_unless_stages_are_dated():
    frame = pd.DataFrame({"Company": ["Acme"], "Date": ["2024-03-01"], "Status": ["Rejected"]})
    ev = wide(frame).events
    assert ev["stage"].tolist() == ["contacted", "rejected"]
    frame = pd.DataFrame(
        {
            "Company": ["Acme"],
            "Date": ["2024-01-01"],
            "Applied Date": ["2024-03-01"],
            "Status": ["Applied"],
        }
    )
    res = wide(frame)
    assert res.events["timestamp"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01"]
    assert res.events["Date"].tolist() == ["2024-01-01"]  # kept, not lost
    assert any("kept as an extra column" in n for n in res.notes)


def test_status_map_and_default_channel_for_tracker_exports():
    frame = pd.DataFrame(
        {"Status": ["LISTED", "APPLIED", "INTERVIEWING"], "Company": ["a", "b", "c"]}
    )
    res = wide(
        frame,
        status_map={"listed": None, "applied": "contacted", "interviewing": "interview"},
        default_channel="job_board",
        loader="simplify",
    )
    assert res.loader == "simplify"
    assert res.events["stage"].tolist() == ["contacted", "interview"]
    assert res.events["channel"].tolist() == ["job_board", "job_board"]
    assert res.rejections.records[0]["reason"].startswith("not a lead yet")


def test_row_without_status_or_dates_is_rejected():
    frame = pd.DataFrame({"Company": ["Acme", "Bluefin"], "Applied Date": ["2024-03-01", None]})
    res = wide(frame)
    assert res.events["company"].tolist() == ["Acme"]
    assert res.rejections.records[0]["reason"].startswith("no status and no stage date")


def test_unparseable_stage_date_rejects_the_row():
    frame = pd.DataFrame(
        {
            "Company": ["Acme", "Bluefin"],
            "Applied Date": ["2024-03-01", "someday"],
            "Status": ["Applied"] * 2,
        }
    )
    res = wide(frame)
    [record] = res.rejections.records
    assert (record["source_row"], record["column"], record["value"]) == (
        2,
        "Applied Date",
        "someday",
    )
    assert record["reason"] == "unparseable date"


def test_synthetic_lead_ids_are_stable_and_blank_ids_get_one():
    frame = pd.DataFrame({"ID": ["T1", None, "T3"], "Status": ["Applied"] * 3})
    res = wide(frame, source_rows=np.array([1, 2, 4]))
    assert res.events["lead"].tolist() == ["T1", "tracker:2", "T3"]
    assert any("without a lead id" in n for n in res.notes)
    again = wide(frame, source_rows=np.array([1, 2, 4]))
    assert again.events["lead"].tolist() == res.events["lead"].tolist()


@pytest.mark.parametrize("n", [1, 7])
def test_conservation(n):
    statuses = ["Applied", "Wishlist", "Ghosted", "Offer", None, "Rejected", "Phone screen"]
    frame = pd.DataFrame(
        {
            "Company": [f"c{i}" for i in range(n)],
            "Status": [statuses[i % 7] for i in range(n)],
            "Applied Date": ["2024-03-01" if i % 2 else None for i in range(n)],
        }
    )
    res = wide(frame)
    assert res.rows_read == n
    assert res.rows_kept + res.rows_rejected == n
    assert res.events["source_row"].nunique() == res.rows_kept
