"""``na.load`` end to end: sources, options, bad input, nothing lost, duplicates."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import polars as pl
import pytest

import netanalysis as na
from netanalysis.errors import (
    AmbiguousDateWarning,
    EmptySourceError,
    InputError,
    MissingColumnsError,
    NetAnalysisError,
    ParameterError,
    UnknownFormatError,
)
from netanalysis.io.rejects import REJECTED_COLUMNS
from netanalysis.io.result import SUMMARY_COLUMNS
from netanalysis.schema import EVENT_COLUMNS, EVENT_DTYPES

FIXTURES = Path(__file__).parent.parent / "fixtures" / "generic"


def fx(name: str) -> str:
    return str(FIXTURES / name)


def conserved(res) -> bool:
    s = res.summary
    return bool((s["rows_read"] == s["rows_kept"] + s["rows_rejected"]).all())


def comparable(events: pd.DataFrame) -> pd.DataFrame:
    return events.drop(columns=["source"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Sources and formats
# --------------------------------------------------------------------------------------


def test_basic_log():
    res = na.load(fx("log_basic.csv"))
    ev = res.events
    assert list(ev.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    for column in EVENT_COLUMNS:
        assert ev[column].dtype == EVENT_DTYPES[column]
    assert len(ev) == 10
    assert ev["lead"].nunique() == 5
    assert ev.loc[ev["lead"] == "A-102", "stage"].tolist() == [
        "contacted",
        "interview",
        "interview",
        "offer",
    ]
    assert ev.loc[ev["lead"] == "A-103", "direction"].tolist() == ["inbound", "inbound"]
    assert ev["Notes"].iloc[1] == "Noor works on the data team, said to apply"  # extra column kept
    assert res.summary.loc[0, "loader"] == "long"
    counts = na.funnel(ev)
    assert counts.loc["referral"].tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize("name", ["log_excel_bom.csv", "log_unicode.txt", "log_tabs.tsv"])
def test_spreadsheet_saved_files_load_like_the_original(name):
    expected = na.load(fx("log_basic.csv")).events
    res = na.load(fx(name))
    pd.testing.assert_frame_equal(comparable(res.events), comparable(expected))
    assert res.summary.loc[0, "rows_read"] == 10


def test_cp1252_semicolon_file_with_explicit_mapping():
    mapping = {
        "Datum": "timestamp",
        "Vorgang": "lead",
        "Firma": "company",
        "Kontakt": "contact",
        "Kanal": "channel",
    }
    res = na.load(
        fx("log_cp1252_semicolon.csv"), mapping=mapping, channel_map={"Empfehlung": "referral"}
    )
    ev = res.events
    assert ev["contact"].tolist() == ["Zoë Müller", "José Peña", "Zoë Müller"]
    assert ev["channel"].tolist() == ["referral", "job_board", "referral"]
    assert ev["timestamp"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-13",
        "2024-03-14",
        "2024-04-02",
    ]
    notes = res.summary.loc[0, "notes"]
    assert "read as cp1252" in notes
    assert "fields separated by ';'" in notes
    assert "day/month order decided as day-first" in notes  # decided for this file, reported
    assert "(guessed" not in notes.replace("'Status' read as 'stage' (guessed", "")


def test_guessed_columns_are_shown_in_the_summary():
    res = na.load(fx("cohort.csv"))
    notes = res.summary.loc[0, "notes"]
    for column, target in [
        ("participant_id", "seeker"),
        ("thread_id", "lead"),
        ("occurred_at", "timestamp"),
        ("method", "channel"),
        ("event", "stage"),
        ("initiated_by", "direction"),
    ]:
        assert f"column {column!r} read as {target!r} (guessed" in notes
        assert f"{column} -> {target}" in res.summary.loc[0, "guessed"]
    assert "participant_id -> seeker" in repr(res)
    explicit = na.load(fx("cohort.csv"), mapping={"participant_id": "seeker"})
    assert "participant_id" not in explicit.summary.loc[0, "guessed"]


def test_xlsx_source(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Company", "Applied Date", "Status", "Source", "Link"])
    sheet.append(
        [
            "Acme",
            dt.datetime(2024, 3, 1),
            "Applied",
            "Indeed",
            '=HYPERLINK("https://a.example","job")',
        ]
    )
    sheet.append(["Bluefin", dt.datetime(2024, 3, 4), "Offer", "Referral", None])
    book.save(tmp_path / "tracker.xlsx")
    res = na.load(tmp_path / "tracker.xlsx")
    assert res.summary.loc[0, "format"] == "xlsx"
    assert res.summary.loc[0, "loader"] == "wide"
    assert res.events["stage"].tolist() == ["contacted", "contacted", "offer"]
    assert res.events["Link"].iloc[0] == '=HYPERLINK("https://a.example","job")'


def test_parquet_json_and_jsonl_sources(tmp_path):
    pd.DataFrame(
        {"lead": ["a", "a"], "stage": ["applied", "offer"], "when": ["2024-03-01", "2024-03-09"]}
    ).to_parquet(tmp_path / "log.parquet")
    res = na.load([tmp_path / "log.parquet", fx("events.json"), fx("events.jsonl")])
    assert res.summary["format"].tolist() == ["parquet", "json", "jsonl"]
    assert res.summary["rows_read"].tolist() == [2, 3, 5]
    assert res.summary["rows_rejected"].tolist() == [0, 0, 2]
    assert len(res.events) == 2 + 3 + 3
    j2 = res.events[res.events["lead"] == "J-2"]
    assert j2["timestamp"].iloc[0] == pd.Timestamp("2024-03-02 08:00", tz="UTC")  # +01:00 kept
    assert conserved(res)


def test_folder_source_skips_what_is_not_data():
    res = na.load(FIXTURES / "folder")
    summary = res.summary.set_index(res.summary["source"].map(lambda s: Path(s).name))
    assert ".hidden.csv" not in summary.index
    assert summary.loc["README.md", "loader"] == "skipped"
    assert summary.loc["empty.csv", "loader"] == "skipped"
    assert "the file is empty" in summary.loc["empty.csv", "notes"]
    assert summary.loc["notes.csv", "loader"] == "skipped"
    assert "required columns were not found" in summary.loc["notes.csv", "notes"]
    assert summary.loc["log_a.csv", "loader"] == "long"
    assert summary.loc["tracker.csv", "loader"] == "wide"
    assert set(res.events["lead"]) == {"G-1", "G-2", "tracker:1", "tracker:2"}
    assert conserved(res)


def test_list_of_files_and_frames():
    frame = pd.DataFrame({"lead": ["z"], "stage": ["offer"], "date": ["2024-05-01"]})
    res = na.load([fx("log_basic.csv"), frame, fx("duplicates.csv")])
    assert res.summary["source"].tolist()[1] == "<DataFrame>"
    two = na.load([frame, frame.assign(lead="y")])
    assert two.summary["source"].tolist() == ["<DataFrame 1>", "<DataFrame 2>"]
    assert res.summary["format"].tolist() == ["csv", "dataframe", "csv"]
    assert len(res.events) == 10 + 1 + 3


def test_pandas_and_polars_frames():
    data = {
        "lead": ["a", "a", "b"],
        "stage": ["applied", "reply", "applied"],
        "date": ["2024-03-01", "2024-03-02", "2024-03-03"],
    }
    from_pandas = na.load(pd.DataFrame(data))
    from_polars = na.load(pl.DataFrame(data))
    pd.testing.assert_frame_equal(from_pandas.events, from_polars.events)
    assert from_pandas.summary.loc[0, "source"] == "<DataFrame>"
    assert from_pandas.events["stage"].tolist() == ["contacted", "responded", "contacted"]


def test_typed_frame_timestamps_in_tz_are_flagged():
    frame = pd.DataFrame(
        {"lead": ["a"], "stage": ["applied"], "date": pd.to_datetime(["2024-03-01 09:00"])}
    )
    res = na.load(frame, tz="America/Chicago")
    assert res.events["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 15:00", tz="UTC")
    assert "times without a zone read as America/Chicago" in res.summary.loc[0, "notes"]


def test_tz_applies_to_naive_sources_only():
    naive = na.load(fx("log_basic.csv"), tz="Europe/London")
    assert naive.events["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 09:15", tz="UTC")
    assert "read as Europe/London" in naive.summary.loc[0, "notes"]
    summer = na.load(
        pd.DataFrame({"lead": ["a"], "stage": ["applied"], "date": ["2024-07-01 09:15"]}),
        tz="Europe/London",
    )
    assert summer.events["timestamp"].iloc[0] == pd.Timestamp("2024-07-01 08:15", tz="UTC")
    zoned = na.load(fx("cohort.csv"), tz="Europe/London")
    assert zoned.events["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 14:00", tz="UTC")
    assert "without a zone" not in zoned.summary.loc[0, "notes"]


def test_seeker_defaults_to_me_and_lead_ids_are_per_seeker():
    assert set(na.load(fx("log_basic.csv")).events["seeker"]) == {"me"}
    assert set(na.load(fx("log_basic.csv"), seeker="avery").events["seeker"]) == {"avery"}
    cohort = na.load(fx("cohort.csv"))
    # thread 't1' of vet-01 and 't1' of vet-02 are two leads
    assert cohort.events.groupby(["seeker", "lead"]).ngroups == 3
    assert int(na.funnel(cohort.events, by="seeker")["contacted"].sum()) == 3


def test_channel_map_unknown_labels_and_notes():
    res = na.load(fx("tracker_wide.csv"))
    cobalt = res.events[res.events["company"] == "Cobalt Health"]
    assert set(cobalt["channel"]) == {"other"}
    assert set(cobalt["channel_raw"]) == {"Vets2Tech Slack"}
    assert any("'Vets2Tech Slack' (3)" in n and "channel_map=" in n for n in res.notes)
    mapped = na.load(fx("tracker_wide.csv"), channel_map={"Vets2Tech Slack": "industry_group"})
    cobalt = mapped.events[mapped.events["company"] == "Cobalt Health"]
    assert set(cobalt["channel"]) == {"industry_group"}
    assert set(cobalt["mode"]) == {"affinity"}
    assert mapped.notes == ()


def test_stage_map():
    res = na.load(
        fx("unknown_stages.csv"), stage_map={"ghosted": "rejected", "Wishlist": "contacted"}
    )
    assert res.events["stage"].tolist() == ["contacted", "rejected", "contacted", "interview"]
    assert res.rejected["reason"].tolist() == ["missing stage"]


def test_kind_forces_a_reader():
    res = na.load(
        fx("log_cp1252_semicolon.csv"),
        kind="long",
        mapping={"Datum": "timestamp", "Vorgang": "lead"},
    )
    assert res.summary.loc[0, "loader"] == "long"
    assert len(res.events) == 3
    res = na.load(fx("tracker_status_only.csv"), kind="wide")
    assert res.summary.loc[0, "loader"] == "wide"


# --------------------------------------------------------------------------------------
# Bad input (issue 2, item 6)
# --------------------------------------------------------------------------------------


def test_ragged_rows():
    res = na.load(fx("ragged.csv"))
    assert conserved(res)
    rejected = res.rejected.set_index("source_row")
    assert "7 fields but the header has 5" in rejected.loc[2, "reason"]
    assert json.loads(rejected.loc[2, "raw"])["extra_2"] == "remote"
    assert rejected.loc[6, "reason"] == "missing stage"  # padded row 6 lacks its stage
    assert res.events["lead"].tolist() == ["R-1", "R-3", "R-4", "R-5"]
    assert "had fewer fields than the header (row 3, 6)" in res.summary.loc[0, "notes"]


def test_unparseable_dates_are_rejected_with_their_value():
    res = na.load(fx("dates_bad.csv"))
    rejected = res.rejected.set_index("source_row")
    assert rejected.loc[2, ["reason", "column", "value"]].tolist() == [
        "unparseable date",
        "Date",
        "next Tuesday",
    ]
    assert rejected.loc[3, "value"] == "2024-02-30"
    assert rejected.loc[4, "reason"] == "missing date"
    assert res.events["lead"].tolist() == ["B-1", "B-5"]
    assert conserved(res)


def test_day_month_order_is_decided_per_file_and_reported():
    res = na.load([fx("dates_dayfirst.csv"), fx("dates_monthfirst.csv")])
    days = res.events.set_index("lead")["timestamp"].dt.strftime("%Y-%m-%d")
    assert days["D-1"] == "2024-03-05"  # 05/03/2024, day-first file
    assert days["M-1"] == "2024-03-05"  # 03/05/2024, month-first file
    notes = res.summary["notes"].tolist()
    assert "decided as day-first" in notes[0]
    assert "decided as month-first" in notes[1]


def test_ambiguous_dates_warn_unless_dayfirst_is_given():
    with pytest.warns(AmbiguousDateWarning, match="dates_ambiguous.csv, column 'Date'"):
        res = na.load(fx("dates_ambiguous.csv"))
    assert res.events["timestamp"].iloc[0] == pd.Timestamp("2024-03-04", tz="UTC")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = na.load(fx("dates_ambiguous.csv"), dayfirst=True)
    assert res.events["timestamp"].iloc[0] == pd.Timestamp("2024-04-03", tz="UTC")
    assert "as asked (dayfirst=True)" in res.summary.loc[0, "notes"]


def test_dates_in_the_minority_order_are_rejected():
    res = na.load(fx("dates_mixed_order.csv"))
    [reason] = res.rejected["reason"].tolist()
    assert reason.startswith("date does not fit this column's day/month order (day-first)")


def test_unknown_stages_are_rejected_listing_the_known_ones():
    res = na.load(fx("unknown_stages.csv"))
    rejected = res.rejected.set_index("source_row")
    for row, word in [(2, "ghosted"), (3, "Wishlist")]:
        reason = rejected.loc[row, "reason"]
        assert reason.startswith(f"unknown stage {word!r}; known stages: ")
        assert "contacted, responded, meeting, referral, interview, offer" in reason
    assert rejected.loc[5, "reason"] == "missing stage"
    assert res.events["stage"].tolist() == ["contacted", "interview"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("excel_empty_bom.csv", "the file is empty"),
        ("header_only.csv", "the file has a header but no data rows"),
    ],
)
def test_empty_files_raise_a_clear_error(name, message):
    with pytest.raises(EmptySourceError, match=message) as info:
        na.load(fx(name))
    assert name in str(info.value)
    assert "Hint:" in str(info.value)


def test_empty_frame_raises():
    with pytest.raises(EmptySourceError, match="no rows"):
        na.load(pd.DataFrame({"lead": [], "stage": [], "date": []}))


def test_missing_columns_error_lists_missing_present_and_closest():
    with pytest.raises(MissingColumnsError) as info:
        na.load(fx("missing_columns.csv"))
    error = info.value
    assert error.missing == ["timestamp"]
    assert error.available == ["Lead", "Dat", "Stage", "Channel"]
    text = str(error)
    assert "missing_columns.csv" in text
    assert "['timestamp']" in text
    assert "the file has: ['Lead', 'Dat', 'Stage', 'Channel']" in text
    assert "mapping={'Dat': 'timestamp'}" in text
    res = na.load(fx("missing_columns.csv"), mapping={"Dat": "timestamp"})
    assert len(res.events) == 1


def test_formula_looking_cells_are_text():
    res = na.load(fx("formulas.csv"))
    assert (
        res.events["company"].tolist()[0]
        == '=HYPERLINK("https://acme.example/jobs/7","Acme Analytics")'
    )
    assert res.events["company"].tolist()[2] == "=1+1"


# --------------------------------------------------------------------------------------
# errors="raise"
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "words"),
    [
        ("unknown_stages.csv", 2, "Stage", "ghosted", "stage_map="),
        ("dates_bad.csv", 2, "Date", "next Tuesday", "2024-03-01"),
        ("ragged.csv", 2, None, None, "quote values"),
    ],
)
def test_errors_raise_names_file_row_column_value_and_remedy(name, row, column, value, words):
    with pytest.raises(InputError) as info:
        na.load(fx(name), errors="raise")
    error = info.value
    assert isinstance(error, NetAnalysisError)
    assert error.file == fx(name)
    assert error.row == row
    assert error.column == column
    assert error.value == value
    text = str(error)
    assert text.startswith(f"{fx(name)}, row {row}")
    if column:
        assert f"column {column!r}, value {value!r}" in text
    assert words in text
    assert "errors='quarantine'" in text


def test_errors_raise_on_clean_data_loads():
    res = na.load(fx("log_basic.csv"), errors="raise")
    assert len(res.events) == 10


def test_errors_raise_stops_at_a_bad_file_in_a_folder(tmp_path):
    shutil.copy(FIXTURES / "log_basic.csv", tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("")
    assert len(na.load(tmp_path).events) == 10
    with pytest.raises(EmptySourceError):
        na.load(tmp_path, errors="raise")


# --------------------------------------------------------------------------------------
# Nothing lost, duplicates
# --------------------------------------------------------------------------------------


def test_rejected_frame_columns():
    res = na.load(fx("unknown_stages.csv"))
    assert list(res.rejected.columns) == list(REJECTED_COLUMNS)
    assert str(res.rejected["source_row"].dtype) == "Int64"
    assert set(res.rejected["source"]) == {fx("unknown_stages.csv")}
    raw = json.loads(res.rejected["raw"].iloc[0])
    assert raw == {"Lead": "U-2", "Date": "2024-04-02", "Stage": "ghosted", "Channel": "Indeed"}


def test_exact_duplicates_within_a_file():
    res = na.load(fx("duplicates.csv"))
    assert len(res.events) == 3
    assert res.summary.loc[
        0, ["rows_read", "rows_kept", "rows_rejected", "events", "duplicates"]
    ].tolist() == [5, 3, 2, 3, 2]
    reasons = res.rejected.set_index("source_row")["reason"]
    assert (
        reasons[2] == f"exact duplicate of an event already loaded ({fx('duplicates.csv')}, row 1)"
    )
    assert reasons[5].endswith("row 3)")
    assert "2 exact duplicate event(s) dropped" in res.finding()


def test_loading_the_same_file_twice_gives_one_copy():
    once = na.load(fx("log_basic.csv"))
    twice = na.load([fx("log_basic.csv"), fx("log_basic.csv")])
    pd.testing.assert_frame_equal(twice.events, once.events)
    assert twice.summary["events"].tolist() == [10, 0]
    assert twice.summary["duplicates"].tolist() == [0, 10]
    assert twice.summary["rows_rejected"].tolist() == [0, 10]
    assert conserved(twice)


def test_a_wide_row_with_some_duplicate_events_stays_kept():
    log = pd.DataFrame(
        {
            "lead": ["tracker_wide:2"],
            "stage": ["contacted"],
            "date": ["2024-02-03"],
            "channel": ["Referral"],
            "company": ["Bluefin Logistics"],
        }
    )
    res = na.load([fx("tracker_wide.csv"), log])
    assert res.summary["duplicates"].tolist() == [0, 1]
    assert res.summary["rows_rejected"].tolist() == [2, 1]
    res = na.load([log, fx("tracker_wide.csv")])
    # now the sheet's contacted event is the duplicate, but its row still gives two events
    assert res.summary["duplicates"].tolist() == [0, 1]
    assert res.summary["rows_rejected"].tolist() == [0, 2]
    assert res.summary["rows_kept"].tolist() == [1, 4]


# --------------------------------------------------------------------------------------
# Result and arguments
# --------------------------------------------------------------------------------------


def test_summary_repr_and_html():
    res = na.load([fx("log_basic.csv"), fx("unknown_stages.csv")])
    assert list(res.summary.columns) == list(SUMMARY_COLUMNS)
    for column in ("rows_read", "rows_kept", "rows_rejected", "events", "duplicates"):
        assert res.summary[column].dtype == "int64"
    text = repr(res)
    assert text.startswith("LoadResult\nRead 15 rows from 2 source(s): 12 kept, 3 rejected")
    html = res._repr_html_()
    assert "<table" in html
    assert "Rejected rows by reason" in html
    assert res.to_html() == html
    pd.testing.assert_frame_equal(res.to_pandas(), res.events)


def test_bad_arguments():
    with pytest.raises(ParameterError, match="'kind' parameter of load"):
        na.load(fx("log_basic.csv"), kind="longg")
    with pytest.raises(ParameterError, match="unknown option"):
        na.load(fx("log_basic.csv"), colour="blue")
    with pytest.raises(ParameterError, match="IANA time zone"):
        na.load(fx("log_basic.csv"), tz="Mars/Olympus")
    with pytest.raises(ParameterError, match="'errors' parameter"):
        na.load(fx("log_basic.csv"), errors="ignore")
    with pytest.raises(ParameterError, match="not a channel"):
        na.load(fx("log_basic.csv"), channel_map={"x": "carrier_pigeon"})
    with pytest.raises(ParameterError, match="takes a path"):
        na.load(42)
    with pytest.raises(InputError, match="no such file"):
        na.load(fx("nope.csv"))
    with pytest.raises(InputError, match="nothing to load"):
        na.load([])


def test_mapping_is_strict_for_one_source_and_partial_for_several():
    with pytest.raises(ParameterError, match="Did you mean 'Dat'"):
        na.load(fx("missing_columns.csv"), mapping={"Dta": "timestamp"})
    res = na.load([fx("missing_columns.csv"), fx("log_basic.csv")], mapping={"Dat": "timestamp"})
    assert res.summary["rows_read"].tolist() == [1, 10]
    assert "mapping entries not in this source: ['Dat']" in res.summary.loc[1, "notes"]


def test_unknown_binary_file_raises_or_is_skipped_in_a_folder(tmp_path):
    path = tmp_path / "photo.dat"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(UnknownFormatError, match="does not recognise"):
        na.load(path)
    shutil.copy(FIXTURES / "log_basic.csv", tmp_path / "log.csv")
    res = na.load(tmp_path)
    assert res.summary["loader"].tolist() == ["long", "skipped"]
    assert len(res.events) == 10


# --------------------------------------------------------------------------------------
# Registry: items, probes, loaders
# --------------------------------------------------------------------------------------


def test_item_reads_a_file_lazily_and_probe_sees_the_header(tmp_path):
    from netanalysis.io.registry import Item, Probe

    path = tmp_path / "log.csv"
    path.write_bytes(b"sep=;\r\nLead;Date;Stage\r\nA1;2024-03-01;applied\r\n")
    item = Item(str(path), path=path)
    assert not item.in_memory
    assert item.head(5) == b"sep=;"
    assert not item.in_memory  # the head does not read the whole file
    probe = Probe.of(item)
    assert (probe.format, probe.header) == ("text", ["Lead", "Date", "Stage"])
    assert item.data == path.read_bytes()
    assert item.in_memory
    preamble = Probe.of(Item("p.csv", data=(FIXTURES / "preamble.csv").read_bytes()))
    assert preamble.header == ["Lead", "Date", "Stage", "Channel"]
    assert Probe.of(Item("folder", path=FIXTURES)).format == "folder"


def test_registered_loaders_come_before_the_generic_ones(monkeypatch):
    from netanalysis.io import registry
    from netanalysis.io.registry import Loader, loaders, register
    from netanalysis.io.result import SourceResult

    monkeypatch.setattr(registry, "_LOADERS", list(loaders()))

    def read(item, options):
        events = na.load(fx("log_basic.csv")).events.assign(source=item.label)
        from netanalysis.io.rejects import Rejections

        return [SourceResult(item.label, "shout", "text", 10, events, Rejections(item.label))]

    shout = Loader("shout", read, claims_file=lambda probe: probe.header[:1] == ["SHOUT"])
    register(shout)
    names = [x.name for x in loaders()]
    assert names.index("shout") < names.index("long")
    assert names[-2:] == ["long", "wide"]
    register(Loader("shout", read, claims_file=lambda probe: False))  # replaces, no duplicate
    assert [x.name for x in loaders()].count("shout") == 1


def test_errors_raise_skips_rows_set_aside_on_purpose_but_not_errors(tmp_path):
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "Company,Source,Applied Date,Status\n"
        "Acme,Indeed,2024-03-01,Applied\n"
        "Bluefin,Indeed,,Wishlist\n"
    )
    res = na.load(sheet, errors="raise")  # a saved posting is not an error
    assert res.rejected["excluded"].tolist() == [True]
    sheet.write_text(sheet.read_text() + "Cobalt,Indeed,2024-03-02,Ghosted\n")
    with pytest.raises(InputError, match=r"row 3.*Ghosted"):
        na.load(sheet, errors="raise")
    assert not na.load(sheet).rejected["excluded"].all()


def test_nested_export_folder_is_read_whole(tmp_path):
    fixtures = Path(__file__).parents[1] / "fixtures"
    export = tmp_path / "data" / "Basic_LinkedInDataExport_03-12-2026"
    shutil.copytree(fixtures / "linkedin" / "export_2026", export)
    shutil.copy(fixtures / "trackers" / "huntr_jobs.csv", tmp_path / "data" / "huntr.csv")
    nested = na.load(tmp_path / "data")
    alone = na.load(export)
    loaders = dict(zip(nested.summary["source"], nested.summary["loader"], strict=True))
    assert loaders[str(export)] == "linkedin"
    linkedin = nested.events[nested.events["source"].str.startswith(str(export))]
    assert len(linkedin) == len(alone.events)


def test_pseudonymize_applies_to_generic_tables(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("lead,date,stage,channel,contact\n1,2024-03-01,applied,LinkedIn,Noor Quimby\n")
    res = na.load(log, pseudonymize=True, salt="a-long-secret")
    assert "Noor" not in res.events.astype(str).to_string()
    assert res.events["contact"].iloc[0].startswith("contact-")
