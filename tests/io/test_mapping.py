"""Column mapping: explicit, guessed from synonyms, and stage-date columns of trackers."""

from __future__ import annotations

import pytest

from netanalysis.errors import ParameterError
from netanalysis.io.mapping import guess_mapping, stage_date_columns, suggest_column
from netanalysis.io.options import LoadOptions


def test_synonyms_are_guessed_and_reported():
    m = guess_mapping(["participant_id", "thread_id", "occurred_at", "method", "event"])
    assert m.mapping == {
        "participant_id": "seeker",
        "thread_id": "lead",
        "occurred_at": "timestamp",
        "method": "channel",
        "event": "stage",
    }
    assert m.guessed == m.mapping
    assert "column 'method' read as 'channel' (guessed" in m.describe()[3]


def test_canonical_names_are_not_guesses_and_win_over_synonyms():
    m = guess_mapping(["Source", "Channel", "Lead", "Date"])
    assert m.mapping == {"Channel": "channel", "Lead": "lead", "Date": "timestamp"}
    assert m.guessed == {"Date": "timestamp"}  # 'Channel' and 'Lead' are the names themselves
    assert "Source" not in m.mapping  # 'channel' is taken by the exact name


def test_explicit_mapping_comes_first_and_is_not_a_guess():
    m = guess_mapping(["Date Applied", "Date", "Ref", "Stage"], {"Date Applied": "timestamp"})
    assert m.mapping["Date Applied"] == "timestamp"
    assert "Date" not in m.mapping  # timestamp is taken
    assert m.guessed == {}
    assert m.source_of == {"timestamp": "Date Applied", "stage": "Stage"}


def test_mapping_to_an_unknown_canonical_column():
    with pytest.raises(ParameterError, match="'when' is not a canonical column"):
        guess_mapping(["When"], {"When": "when"})


def test_mapping_two_columns_to_one():
    with pytest.raises(ParameterError, match="maps both 'A' and 'B' to 'lead'"):
        guess_mapping(["A", "B"], {"A": "lead", "B": "lead"})


def test_mapping_a_column_the_file_lacks_suggests_the_closest():
    with pytest.raises(ParameterError, match="Did you mean 'Date Applied'"):
        guess_mapping(["Date Applied", "Stage"], {"Date Aplied": "timestamp"})


def test_non_strict_mapping_keeps_unused_entries():
    m = guess_mapping(["When", "Stage"], {"Date Applied": "timestamp"}, strict=False)
    assert m.unused == {"Date Applied": "timestamp"}
    assert m.mapping == {"When": "timestamp", "Stage": "stage"}
    assert "mapping entries not in this source: ['Date Applied']" in m.describe()


def test_load_options_check_the_mapping_up_front():
    with pytest.raises(ParameterError, match="Did you mean 'timestamp'"):
        LoadOptions(mapping={"When": "time"})
    with pytest.raises(ParameterError, match="maps both"):
        LoadOptions(mapping={"A": "stage", "B": "stage"})


def test_excluded_columns_are_not_guessed():
    m = guess_mapping(["Applied Date", "Status"], exclude=["Applied Date"])
    assert m.mapping == {"Status": "stage"}


def test_stage_date_columns():
    found = stage_date_columns(
        [
            "Company",
            "Applied Date",
            "Date of Interview",
            "Offer on",
            "Rejected At",
            "Date",
            "Status Date",
            "Follow up date",
            "Last updated",
        ]
    )
    assert found == {
        "Applied Date": "contacted",
        "Date of Interview": "interview",
        "Offer on": "offer",
        "Rejected At": "rejected",
    }


def test_only_the_first_column_of_a_stage_counts():
    assert stage_date_columns(["Applied Date", "Date Applied"]) == {"Applied Date": "contacted"}


def test_suggest_column_uses_synonyms_and_typos():
    assert suggest_column("timestamp", ["Lead", "Dat", "Stage"]) == "Dat"
    assert suggest_column("stage", ["Lead", "Staus"]) == "Staus"
    assert suggest_column("lead", ["Job IDs"]) == "Job IDs"
    assert suggest_column("stage", ["Name", "Phone"]) is None
