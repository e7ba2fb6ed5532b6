"""Errors name the file, row, column and value and say what to do."""

from __future__ import annotations

import pytest

from netanalysis.errors import (
    InputError,
    MissingColumnsError,
    NetAnalysisError,
    ParameterError,
    check_choice,
    check_range,
    closest,
)


def test_input_error_message_has_location_and_hint():
    err = InputError(
        "unknown stage",
        file="log.csv",
        row=4,
        column="status",
        value="ghosted",
        hint="map it with stage_map=",
    )
    text = str(err)
    for part in ("log.csv", "row 4", "'status'", "'ghosted'", "unknown stage", "stage_map="):
        assert part in text
    assert isinstance(err, NetAnalysisError)
    assert isinstance(err, ValueError)


def test_long_values_are_shortened():
    err = InputError("bad", value="x" * 500)
    assert len(str(err)) < 200


def test_missing_columns_lists_what_is_there():
    err = MissingColumnsError(["timestamp"], ["Date Applied", "Company"], file="t.csv")
    assert "Date Applied" in str(err)
    assert "t.csv" in str(err)


def test_check_choice_suggests_closest():
    with pytest.raises(ParameterError, match="Did you mean 'wilson'"):
        check_choice("ci", "wilsn", ("wilson", "exact"), where="conversion")
    assert check_choice("ci", "exact", ("wilson", "exact"), where="conversion") == "exact"


@pytest.mark.parametrize(("value", "ok"), [(0.5, True), (0.0, False), (1.0, False), (1.5, False)])
def test_check_range_open_interval(value, ok):
    if ok:
        assert check_range("level", value, where="f", low=0, high=1) == value
    else:
        with pytest.raises(ParameterError, match=r"must be in \(0, 1\)"):
            check_range("level", value, where="f", low=0, high=1)


def test_closest():
    assert closest("timestamp", ["time stamp", "company"]) == "time stamp"
    assert closest("zzz", ["company"]) is None
