"""Rows with canonical names -> checked canonical events; every bad row explained."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from netanalysis.io.normalize import finalize_events, map_labels, text_column, to_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.rejects import Rejections
from netanalysis.schema import EVENT_COLUMNS, EVENT_DTYPES, empty_events


def events_of(frame: pd.DataFrame, **options):
    kwargs = {k: options.pop(k) for k in list(options) if k not in LoadOptions.__dataclass_fields__}
    return to_events(
        frame,
        source="log.csv",
        loader="long",
        format="csv",
        options=LoadOptions(**options),
        **kwargs,
    )


def test_canonical_dtypes_and_order():
    raw = pd.DataFrame(
        {
            "lead": ["a", "a"],
            "stage": ["Applied", "Phone screen"],
            "timestamp": ["2024-03-01", "2024-03-05 10:00"],
            "channel": ["Indeed", "Indeed"],
            "company": ["Acme", "Acme"],
            "notes": ["first", None],
        }
    )
    out = events_of(raw, extra_columns=["notes"])
    ev = out.events
    assert list(ev.columns) == [*EVENT_COLUMNS, "mode", "channel_raw", "notes"]
    for column in EVENT_COLUMNS:
        assert ev[column].dtype == EVENT_DTYPES[column], column
    assert ev["stage"].tolist() == ["contacted", "interview"]
    assert ev["mode"].tolist() == ["online_passive", "online_passive"]
    assert ev["seeker"].tolist() == ["me", "me"]
    assert ev["direction"].tolist() == ["outbound", "outbound"]
    assert ev["source"].tolist() == ["log.csv", "log.csv"]
    assert ev["source_row"].tolist() == [1, 2]
    assert out.rows_read == 2
    assert out.rows_kept == 2


def test_rejected_rows_name_the_file_column_value_and_raw_values():
    file_rows = pd.DataFrame(
        {
            "Job": ["J1", None, "J3", "J4"],
            "Status": ["applied", "applied", "ghosted", "offer"],
            "When": ["2024-03-01", "2024-03-02", "2024-03-03", "soon"],
        }
    )
    frame = file_rows.rename(columns={"Job": "lead", "Status": "stage", "When": "timestamp"})
    out = events_of(
        frame,
        raw_frame=file_rows,
        source_columns={"lead": "Job", "stage": "Status", "timestamp": "When"},
    )
    assert out.events["lead"].tolist() == ["J1"]
    rejected = out.rejections.frame().set_index("source_row")
    assert rejected.loc[2, "reason"] == "missing lead id"
    assert rejected.loc[2, "column"] == "Job"
    assert pd.isna(rejected.loc[2, "value"])
    assert rejected.loc[3, "column"] == "Status"
    assert rejected.loc[3, "value"] == "ghosted"
    assert rejected.loc[4, "reason"] == "unparseable date"
    assert rejected.loc[4, "value"] == "soon"
    assert json.loads(rejected.loc[3, "raw"]) == {
        "Job": "J3",
        "Status": "ghosted",
        "When": "2024-03-03",
    }
    assert out.rows_read == out.rows_kept + out.rows_rejected == 4


def test_unknown_stage_lists_the_known_ones_and_stage_map_fixes_it():
    frame = pd.DataFrame({"lead": ["a"], "stage": ["Ghosted"], "timestamp": ["2024-03-01"]})
    out = events_of(frame)
    [record] = out.rejections.records
    assert record["reason"].startswith("unknown stage 'Ghosted'; known stages: contacted, ")
    assert "withdrawn" in record["reason"]
    assert "stage_map" in record["reason"]
    out = events_of(frame, stage_map={"ghosted": "rejected"})
    assert out.events["stage"].tolist() == ["rejected"]


def test_channel_map_and_unknown_labels():
    frame = pd.DataFrame(
        {
            "lead": list("abcde"),
            "stage": ["applied"] * 5,
            "timestamp": ["2024-03-01"] * 5,
            "channel": [" Vets2Tech Slack", "carrier pigeon", None, "Career Fair", "N/A"],
        }
    )
    out = events_of(frame, channel_map={"vets2tech slack": "industry_group"})
    ev = out.events
    assert ev["channel"].tolist() == ["industry_group", "other", "other", "in_person", "other"]
    assert ev["channel_raw"].tolist()[:2] == ["Vets2Tech Slack", "carrier pigeon"]
    assert ev["channel_raw"].isna().tolist() == [False, False, True, False, True]
    assert ev["mode"].tolist()[0] == "affinity"
    assert "2 row(s) without a channel: counted as 'other'" in out.notes


def test_no_channel_column():
    frame = pd.DataFrame({"lead": ["a"], "stage": ["applied"], "timestamp": ["2024-03-01"]})
    out = events_of(frame)
    assert out.events["channel"].tolist() == ["other"]
    assert any("no channel column" in n for n in out.notes)
    out = events_of(frame, default_channel="linkedin")
    assert out.events["channel"].tolist() == ["linkedin"]
    assert not any("no channel column" in n for n in out.notes)


def test_seeker_defaults():
    frame = pd.DataFrame(
        {"lead": ["a", "b"], "stage": ["applied"] * 2, "timestamp": ["2024-03-01"] * 2}
    )
    assert events_of(frame).events["seeker"].tolist() == ["me", "me"]
    assert events_of(frame, seeker="zoe").events["seeker"].tolist() == ["zoe", "zoe"]
    frame["seeker"] = ["vet-01", " "]
    assert events_of(frame).events["seeker"].tolist() == ["vet-01", "me"]


def test_directions():
    frame = pd.DataFrame(
        {
            "lead": list("abcd"),
            "stage": ["applied"] * 4,
            "timestamp": ["2024-03-01"] * 4,
            "direction": ["Incoming", "me", None, "sideways"],
        }
    )
    out = events_of(frame, default_direction="inbound")
    assert out.events["direction"].tolist() == ["inbound", "outbound", "inbound"]
    [record] = out.rejections.records
    assert record["source_row"] == 4
    assert record["reason"].startswith("unknown direction")


def test_a_source_row_with_several_events_is_kept_or_rejected_whole():
    frame = pd.DataFrame(
        {
            "lead": ["t1", "t1", "t2", "t2"],
            "stage": ["contacted", "interview", "contacted", "interview"],
            "timestamp": ["2024-03-01", "not a date", "2024-03-02", "2024-03-09"],
        }
    )
    out = events_of(frame, source_rows=np.array([1, 1, 2, 2]), rows_read=2)
    assert out.events["lead"].tolist() == ["t2", "t2"]
    assert [r["source_row"] for r in out.rejections.records] == [1]
    assert (out.rows_read, out.rows_kept, out.rows_rejected) == (2, 1, 1)


def test_rows_already_rejected_by_the_reader_are_counted():
    rejections = Rejections("log.csv")
    rejections.add(2, "the row has 6 fields but the header has 3")
    frame = pd.DataFrame({"lead": ["a"], "stage": ["applied"], "timestamp": ["2024-03-01"]})
    out = events_of(frame, source_rows=[1], rejections=rejections)
    assert (out.rows_read, out.rows_kept, out.rows_rejected) == (2, 1, 1)


def test_missing_time_allowed_for_status_only_events():
    frame = pd.DataFrame({"lead": ["a"], "stage": ["offer"], "timestamp": [pd.NaT]})
    assert events_of(frame).rejections.records[0]["reason"] == "missing date"
    out = events_of(frame, allow_missing_time=True)
    assert out.events["timestamp"].isna().tolist() == [True]


def test_extra_columns_with_reserved_names_are_kept_aside():
    frame = pd.DataFrame(
        {
            "lead": ["a"],
            "stage": ["applied"],
            "timestamp": ["2024-03-01"],
            "source": ["job fair flyer"],
        }
    )
    out = events_of(frame, extra_columns=["source"])
    assert out.events["source"].tolist() == ["log.csv"]
    assert out.events["source (file)"].tolist() == ["job fair flyer"]


def test_text_column():
    assert text_column(
        pd.Series(["  a ", "", " \t", None, "b\u00a0", "\u3000c\u2028"])
    ).tolist() == [
        "a",
        np.nan,
        np.nan,
        np.nan,
        "b",
        "c",
    ]
    assert text_column(pd.Series(["José", "Zoë"])).tolist() == ["José", "Zoë"]
    assert text_column(pd.Series([1001.0, np.nan, 7.0])).tolist() == ["1001", np.nan, "7"]
    assert text_column(pd.Series([1.5])).tolist() == ["1.5"]
    assert text_column(pd.Series([3, 4])).tolist() == ["3", "4"]
    clean = pd.Series(["x", "y"], dtype="str")
    assert text_column(clean).tolist() == ["x", "y"]
    assert str(text_column(clean).dtype) == "str"


def test_map_labels_calls_once_per_distinct_value():
    calls = []

    def upper(value):
        calls.append(value)
        return value.upper()

    out = map_labels(pd.Series(["a", "b", "a", None, "a"]), upper)
    assert out.fillna("-").tolist() == ["A", "B", "A", "-", "A"]
    assert sorted(calls) == ["a", "b"]


def test_finalize_events_is_idempotent_and_fills_defaults():
    frame = pd.DataFrame(
        {
            "lead": ["1"],
            "channel": ["referral"],
            "stage": ["offer"],
            "timestamp": ["2024-01-01"],
        }
    )
    once = finalize_events(frame)
    assert once["seeker"].tolist() == ["me"]
    assert once["direction"].tolist() == ["outbound"]
    assert once["channel_raw"].tolist() == ["referral"]
    assert once["mode"].tolist() == ["direct"]
    pd.testing.assert_frame_equal(finalize_events(once), once)
    empty = finalize_events(empty_events())
    assert list(empty.columns) == list(empty_events().columns)


@pytest.mark.parametrize("bad", ["sideways", None])
def test_default_direction_must_be_a_direction(bad):
    frame = pd.DataFrame({"lead": ["a"], "stage": ["applied"], "timestamp": ["2024-03-01"]})
    if bad is None:
        assert len(events_of(frame).events) == 1
    else:
        with pytest.raises(ValueError, match="default_direction"):
            events_of(frame, default_direction=bad)


def test_parallel_and_sequential_conversions_agree(monkeypatch):
    import netanalysis.io.normalize as normalize

    rng = np.random.default_rng(8)
    n = 3000
    frame = pd.DataFrame(
        {
            "seeker": rng.choice(["s1", " s2", None], n),
            "lead": [f"L{i % 700}" for i in range(n)],
            "stage": rng.choice(["Applied", "Reply", "ghosted", None], n),
            "channel": rng.choice(["Indeed", "Referral ", "pigeon", None], n),
            "timestamp": rng.choice(["2024-03-01", "2024-03-02 10:00", "soon"], n),
            "direction": rng.choice(["in", "out", "sideways", None], n),
            "company": rng.choice(["Acme", " ", None], n),
        }
    )
    monkeypatch.setattr(normalize, "_PARALLEL_ROWS", 10**9)
    sequential = events_of(frame)
    monkeypatch.setattr(normalize, "_PARALLEL_ROWS", 100)
    parallel = events_of(frame)
    pd.testing.assert_frame_equal(parallel.events, sequential.events)
    pd.testing.assert_frame_equal(parallel.rejections.frame(), sequential.rejections.frame())


def test_the_buffer_check_never_skips_a_value_that_needs_trimming():
    """Every whitespace character Arrow trims, at either end of a value, alone or beside
    letters whose UTF-8 bytes look alike (é ends with 0xA9, like U+2029)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    spaces = [
        " ",
        "\t",
        "\n",
        "\r",
        "\x0b",
        "\x0c",
        "\x85",
        "\xa0",
        "\u1680",
        "\u2000",
        "\u2005",
        "\u200a",
        "\u2028",
        "\u2029",
        "\u202f",
        "\u205f",
        "\u3000",
    ]
    letters = ["a", "é", "€", "ë", "\u2020", "\u3001", "日"]
    values = [f"{s}{c}" for s in spaces for c in letters] + [
        f"{c}{s}" for s in spaces for c in letters
    ]
    values += [f"{a}{b}" for a in letters for b in letters]
    expected = pc.utf8_trim_whitespace(pa.array(values)).to_pylist()
    for value, want in zip(values, expected):
        assert text_column(pd.Series([value], dtype="str")).tolist() == [want], repr(value)
