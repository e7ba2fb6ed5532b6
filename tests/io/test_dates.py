"""Timestamps as people write them: formats, zones, day/month order decided per file."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

from netanalysis.errors import AmbiguousDateWarning
from netanalysis.io.dates import parse_timestamps


def utc(*values: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(v, tz="UTC") for v in values]


def parse(values, **kwargs):
    return parse_timestamps(pd.Series(values, dtype="str"), **kwargs)


def test_iso_naive_values_are_read_in_tz_and_flagged():
    out = parse(["2024-03-01 09:15:00", "2024-07-01T09:15", None], tz="America/New_York")
    assert out.values.tolist()[:2] == utc("2024-03-01 14:15", "2024-07-01 13:15")  # EST, EDT
    assert pd.isna(out.values.iloc[2])
    assert out.zone_assumed
    assert "times without a zone read as America/New_York" in out.notes[0]
    assert str(out.values.dtype) == "datetime64[us, UTC]"
    assert not out.bad.any()


def test_iso_values_with_zones_keep_them():
    out = parse(["2024-03-01T09:15:00Z", "2024-03-01T09:15:00+01:00"], tz="Asia/Tokyo")
    assert out.values.tolist() == utc("2024-03-01 09:15", "2024-03-01 08:15")
    assert not out.zone_assumed
    assert out.notes == []


def test_mixed_zoned_and_naive_values():
    out = parse(["2024-03-12 14:02:11 UTC", "2024-03-12 14:02:11", "2024-03-12T14:02:11-05:00"])
    assert out.values.tolist() == utc(
        "2024-03-12 14:02:11", "2024-03-12 14:02:11", "2024-03-12 19:02:11"
    )
    assert out.zone_assumed  # the middle value had no zone


def test_date_only_values_are_midnight_in_tz():
    out = parse(["2024-03-01", "2024-03-02"], tz="Europe/Paris")
    assert out.values.tolist() == utc("2024-02-29 23:00", "2024-03-01 23:00")


def test_clock_changes_are_not_rejected():
    # 02:30 does not exist on 2024-03-10 in New York; 01:30 happens twice on 2024-11-03
    out = parse(["2024-03-10 02:30", "2024-11-03 01:30"], tz="America/New_York")
    assert not out.bad.any()
    assert out.values.tolist() == utc("2024-03-10 07:00", "2024-11-03 05:30")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12 Mar 2021", "2021-03-12"),  # LinkedIn Connections.csv
        ("Mar 5, 2024", "2024-03-05"),
        ("March 5, 2024 10:00 AM", "2024-03-05 10:00"),
        ("5 March 2024", "2024-03-05"),
        ("12-Mar-2024", "2024-03-12"),
        ("Tue, 12 Mar 2024 14:02:11 +0000", "2024-03-12 14:02:11"),  # e-mail Date header
        ("2024/03/12", "2024-03-12"),
        ("2024-03-12 14:02:11.250", "2024-03-12 14:02:11.250"),
    ],
)
def test_formats_people_and_exports_use(value, expected):
    out = parse([value])
    assert not out.bad.any(), out.reasons
    assert out.values.iloc[0] == pd.Timestamp(expected, tz="UTC")


def test_linkedin_invitation_format_with_dayfirst_false():
    out = parse(["3/12/24, 2:05 PM", "11/2/23, 9:41 AM"], dayfirst=False)
    assert out.values.tolist() == utc("2024-03-12 14:05", "2023-11-02 09:41")


def test_day_first_decided_from_a_day_above_12():
    out = parse(["05/03/2024", "13/03/2024"])
    assert out.order == "day-first"
    assert out.values.tolist() == utc("2024-03-05", "2024-03-13")
    assert "decided as day-first (a value has a first number above 12)" in out.notes[0]


def test_month_first_decided_from_a_day_above_12_in_second_place():
    out = parse(["03/05/2024", "03/13/2024 2:30 PM"])
    assert out.order == "month-first"
    assert out.values.tolist() == utc("2024-03-05", "2024-03-13 14:30")


def test_dotted_european_dates():
    out = parse(["13.03.2024", "02.04.2024"])
    assert out.values.tolist() == utc("2024-03-13", "2024-04-02")


def test_ambiguous_dates_warn_and_read_month_first():
    with pytest.warns(AmbiguousDateWarning, match=r"Pass dayfirst=True") as record:
        out = parse(["03/04/2024", "05/06/2024"], source="log.csv", column="Date")
    assert "log.csv, column 'Date'" in str(record[0].message)
    assert out.values.tolist() == utc("2024-03-04", "2024-05-06")
    assert "ambiguous" in out.notes[0]


@pytest.mark.parametrize(("dayfirst", "expected"), [(True, "2024-04-03"), (False, "2024-03-04")])
def test_dayfirst_is_honoured_without_a_warning(dayfirst, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = parse(["03/04/2024"], dayfirst=dayfirst)
    assert out.values.tolist() == utc(expected)
    assert f"as asked (dayfirst={dayfirst})" in out.notes[0]


def test_dayfirst_is_honoured_even_against_the_values():
    out = parse(["13/03/2024", "03/04/2024"], dayfirst=False)
    assert out.bad.tolist() == [True, False]
    assert "does not fit this column's day/month order (month-first)" in out.reasons[0]
    assert out.values.iloc[1] == pd.Timestamp("2024-03-04", tz="UTC")


def test_same_day_and_month_is_not_ambiguous():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = parse(["03/03/2024", "07/07/2024"])
    assert out.values.tolist() == utc("2024-03-03", "2024-07-07")


def test_mixed_orders_take_the_majority_and_reject_the_rest():
    out = parse(["13/03/2024", "14/03/2024", "03/28/2024"])
    assert out.order == "day-first"
    assert out.bad.tolist() == [False, False, True]
    assert "does not fit" in out.reasons[2]
    assert "read as day-first (the majority)" in out.notes[0]


def test_unparseable_values_are_marked_with_a_reason():
    out = parse(["2024-03-01", "next Tuesday", "2024-02-30", "", None, "TBD"])
    assert out.bad.tolist() == [False, True, True, False, False, True]
    assert out.reasons[1] == "unparseable date"
    assert out.reasons[0] is None
    assert out.values.isna().tolist() == [False, True, True, True, True, True]


def test_a_few_dates_among_many_unreadable_values_are_still_found():
    values = [f"unknown {i}" for i in range(60)] + ["12 Mar 2021", "5 Apr 2021"]
    out = parse(values)
    assert out.bad.sum() == 60
    assert out.values.iloc[-2:].tolist() == utc("2021-03-12", "2021-04-05")


def test_spreadsheet_datetimes_and_text_mixed():
    values = pd.Series([dt.datetime(2024, 3, 1, 9, 30), "2024-03-02", None], dtype=object)
    out = parse_timestamps(values, tz="UTC")
    assert out.values.tolist()[:2] == utc("2024-03-01 09:30", "2024-03-02")


def test_typed_columns():
    naive = pd.Series(pd.to_datetime(["2024-03-01 09:00"]))
    out = parse_timestamps(naive, tz="Europe/London")
    assert out.values.iloc[0] == pd.Timestamp("2024-03-01 09:00", tz="UTC")
    assert out.zone_assumed
    aware = pd.Series(pd.to_datetime(["2024-03-01 09:00"]).tz_localize("Europe/Paris"))
    out = parse_timestamps(aware, tz="America/New_York")
    assert out.values.iloc[0] == pd.Timestamp("2024-03-01 08:00", tz="UTC")
    assert not out.zone_assumed


def test_all_missing():
    out = parse([None, None])
    assert out.values.isna().all()
    assert not out.bad.any()
    assert out.notes == []


def test_many_rows_of_one_format_parse_vectorised():
    days = pd.date_range("2023-01-01", periods=5000, freq="D")
    text = pd.Series(days.strftime("%d/%m/%Y %H:%M"), dtype="str")
    out = parse_timestamps(text)
    assert out.order == "day-first"
    assert (out.values == days.tz_localize("UTC")).all()


def test_fast_and_general_paths_agree():
    """The whole-column ISO fast path (pyarrow) and the per-value path (pandas) agree."""
    rng = np.random.default_rng(3)
    stamps = pd.to_datetime(rng.integers(1.6e9, 1.8e9, 500), unit="s")
    iso = pd.Series(stamps.strftime("%Y-%m-%d %H:%M:%S"), dtype="str")
    fast = parse_timestamps(iso, tz="Europe/Berlin")
    general = parse_timestamps(
        pd.concat([iso, pd.Series(["junk"], dtype="str")]), tz="Europe/Berlin"
    )
    assert general.bad.tolist() == [False] * 500 + [True]
    assert fast.values.tolist() == general.values.iloc[:500].tolist()
