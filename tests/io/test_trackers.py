"""Huntr, Simplify and JobSync exports. Expected values worked out by hand from the fixtures."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import MissingColumnsError, NetAnalysisError, NetAnalysisWarning
from netanalysis.io.options import LoadOptions
from netanalysis.io.registry import Item
from netanalysis.io.trackers import read_huntr, read_jobsync, read_simplify

FIXTURES = Path(__file__).parents[1] / "fixtures" / "trackers"
HUNTR = FIXTURES / "huntr_jobs.csv"
SIMPLIFY = FIXTURES / "simplify_applications.csv"
JOBSYNC = FIXTURES / "jobsync_jobs.csv"


def check_rows(res: na.LoadResult) -> None:
    s = res.summary
    assert (s["rows_read"] == s["rows_kept"] + s["rows_rejected"]).all()


def stages_by_company(res: na.LoadResult) -> dict[str, list[str]]:
    return {
        company: group["stage"].astype(str).tolist()
        for company, group in res.events.groupby("company", sort=True)
    }


@pytest.mark.parametrize(
    ("path", "loader"), [(HUNTR, "huntr"), (SIMPLIFY, "simplify"), (JOBSYNC, "jobsync")]
)
def test_detected_by_header(path, loader):
    res = na.load(path)
    assert res.summary["loader"].tolist() == [loader]
    check_rows(res)
    assert "current status only, not its history" in res.summary["notes"].iloc[0]


def test_huntr_by_hand():
    res = na.load(HUNTR)
    assert stages_by_company(res) == {
        "Crescent Analytics": ["contacted"],
        "Harbor Health": ["interview"],
        "Quantix": ["offer"],
        "Brightwave Analytics": ["rejected"],
        "Northwind Logistics": ["interview"],  # custom list "Phone Screen"
    }
    quantix = res.events[res.events["company"] == "Quantix"].iloc[0]
    assert quantix["timestamp"] == pd.Timestamp("2026-02-20 12:00", tz="UTC")  # lastMovedAt
    assert quantix["lead"] == "huntr:65a1f0c2e4b0a1b2c3d40003"
    assert pd.isna(quantix["job_url"])  # "-" is missing
    assert quantix["board"] == "Transition 2026"
    assert set(res.events["channel"].astype(str)) == {"job_board"}
    rejected = res.rejected.set_index("source_row")["reason"]
    assert rejected[5].startswith("not a lead yet: Huntr status 'Wishlist'")
    assert rejected[7].startswith("unknown Huntr status 'Ghosted'; known Huntr statuses: wishlist")
    assert "stage_map={'Ghosted': '<stage>'}" in rejected[7]
    counts = na.funnel(res.events, by="channel")
    assert counts.loc["job_board"].tolist() == [5, 3, 3, 1]


def test_stage_map_rescues_an_unknown_status():
    res = na.load(HUNTR, stage_map={"Ghosted": "rejected"})
    assert stages_by_company(res)["Keel & Co"] == ["rejected"]
    assert len(res.rejected) == 1


def test_errors_raise_skips_the_row_set_aside_and_stops_at_the_error():
    # row 5 is the Wishlist row (not a lead yet: set aside, not an error); row 7 has the
    # unknown status "Ghosted", which is an error in the data.
    with pytest.raises(na.errors.InputError, match="row 7"):
        na.load(HUNTR, errors="raise")


def test_simplify_by_hand():
    res = na.load(SIMPLIFY)
    assert stages_by_company(res) == {
        "Crescent Analytics": ["contacted"],
        "Harbor Health": ["contacted", "interview"],
        "Quantix": ["contacted", "offer"],
        "Brightwave Analytics": ["contacted", "rejected"],
    }
    harbor = res.events[res.events["company"] == "Harbor Health"]
    assert harbor["timestamp"].tolist() == [
        pd.Timestamp("2026-01-08", tz="UTC"),  # Applied Date
        pd.Timestamp("2026-02-02", tz="UTC"),  # Status Date
    ]
    assert "utf-8-sig" in res.summary["notes"].iloc[0]  # BOM
    reasons = res.rejected["reason"].tolist()
    assert reasons[0].startswith("not a lead yet: Simplify status 'SAVED'")
    assert reasons[1].startswith(
        "unknown Simplify status 'ON HOLD'; known Simplify statuses: SAVED"
    )
    assert res.events["job_url"].isna().sum() == 2  # Quantix's "N/A"


def test_jobsync_by_hand():
    res = na.load(JOBSYNC, channel_map={"Vets2Tech Slack": "industry_group"})
    check_rows(res)
    assert stages_by_company(res) == {
        "Crescent Analytics": ["contacted"],
        "Harbor Health": ["contacted", "interview"],
        "Quantix": ["contacted", "offer"],
        "Brightwave Analytics": ["contacted", "rejected"],
        "Keel & Co": ["contacted"],  # expired, but applied = true
    }
    channel = res.events.drop_duplicates("lead").set_index("company")["channel"].astype(str)
    assert channel.to_dict() == {
        "Crescent Analytics": "job_board",  # Indeed
        "Harbor Health": "job_board",  # a posting found on LinkedIn is not networking
        "Quantix": "referral",
        "Brightwave Analytics": "job_board",  # Company Website
        "Keel & Co": "industry_group",  # through channel_map
    }
    # JobSync has no status date: the status is known, its time is not.
    harbor = res.events[res.events["company"] == "Harbor Health"]
    assert harbor["timestamp"].isna().tolist() == [False, True]
    assert "3 status(es) have no date" in res.summary["notes"].iloc[0]
    reasons = res.rejected.set_index("source_row")["reason"]
    assert reasons[5].startswith("not a lead yet: JobSync status 'draft'")
    assert reasons[7].startswith("not a lead yet: JobSync status 'expired'")  # never applied
    counts = na.funnel(res.events, by="channel")
    assert counts.loc["job_board"].tolist() == [3, 1, 1, 0]  # Brightwave: rejected after applying
    assert counts.loc["referral"].tolist() == [1, 1, 1, 1]


def test_linkedin_job_source_can_be_mapped_back_to_networking():
    res = na.load(JOBSYNC, channel_map={"LinkedIn": "linkedin"})
    harbor = res.events[res.events["company"] == "Harbor Health"]
    assert set(harbor["channel"].astype(str)) == {"linkedin"}


def test_kind_forced_on_the_wrong_tracker():
    with pytest.raises(MissingColumnsError, match="not a Huntr export"):
        na.load(SIMPLIFY, kind="huntr")


def test_trackers_combine_with_other_sources():
    res = na.load([HUNTR, SIMPLIFY, JOBSYNC])
    check_rows(res)
    assert res.events["lead"].nunique() == 5 + 4 + 5


# --------------------------------------------------------------------------------------
# Fuzzing
# --------------------------------------------------------------------------------------

READERS = [read_huntr, read_simplify, read_jobsync]
HEADERS = {
    read_huntr: HUNTR.read_text(encoding="utf-8").splitlines()[0],
    read_simplify: SIMPLIFY.read_text(encoding="utf-8-sig").splitlines()[0],
    read_jobsync: JOBSYNC.read_text(encoding="utf-8").splitlines()[0],
}


def read(reader, data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetAnalysisWarning)  # warnings are not failures
        try:
            results = reader(Item("fuzz.csv", data=data), LoadOptions())
        except NetAnalysisError:
            return
    for r in results:
        assert r.rows_read == r.rows_kept + r.rows_rejected


@pytest.mark.parametrize("reader", READERS)
@given(data=st.binary(max_size=1500))
def test_fuzz_arbitrary_bytes(reader, data):
    read(reader, data)


@pytest.mark.parametrize("reader", READERS)
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        "",
                        "-",
                        "N/A",
                        "applied",
                        "Interview",
                        "OFFER",
                        "Wishlist",
                        "true",
                        "false",
                        "2026-01-06",
                        "2026-02-02T16:30:00.000Z",
                        "13/02/2026",
                        "soon",
                        "Acme",
                        "LinkedIn",
                        '"x,y"',
                    ]
                ),
                st.text(max_size=8),
            ),
            min_size=1,
            max_size=20,
        ),
        max_size=8,
    )
)
def test_fuzz_rows_under_a_real_header(reader, rows):
    lines = [HEADERS[reader]] + [",".join(row) for row in rows]
    read(reader, "\n".join(lines).encode("utf-8"))
