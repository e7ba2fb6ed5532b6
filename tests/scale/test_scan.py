"""``na.scan``: the same events, rejections and notes as ``na.load``, lazily, over many files.

The logs are written here by hand (invented people and companies) in CSV and Parquet.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import narwhals as nw
import pandas as pd
import pytest

import netanalysis as na
from netanalysis.errors import InputError, MissingColumnsError, ParameterError

# A messy long log: synonyms for column names, padded and unknown labels, a missing lead,
# an unknown stage, an unparseable and a missing date, an unknown direction, a zone.
MESSY = pd.DataFrame(
    {
        "Lead ID": ["A1", "A1", " B2 ", "", "C3", "C3", "D4", "E5", "F6", "G7"],
        "Status": [
            "Applied",
            " Phone screen",
            "applied",
            "applied",
            "ghosted",
            "Offer",
            "Applied",
            "applied",
            "reply",
            "interview",
        ],
        "Via": [
            "Indeed",
            "Indeed",
            "Pigeon Club",
            "Referral",
            "Referral",
            "referral ",
            None,
            "Career fair",
            "LinkedIn",
            "Recruiter",
        ],
        "Date": [
            "2024-03-01",
            "2024-03-08 10:30",
            "2024-03-02",
            "2024-03-03",
            "2024-03-04",
            "2024-03-20T09:00:00+02:00",
            "someday",
            "",
            "2024-03-05 12:00:00 UTC",
            "2024-03-06",
        ],
        "Direction": ["out", "out", "in", "out", "out", "out", "out", "out", "sideways", "in"],
        "Company": ["Quarry Labs"] * 5 + ["Juniper Software"] * 5,
        "Note": [f"n{i}" for i in range(10)],
    }
)


def _write(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def _comparable(events: pd.DataFrame) -> pd.DataFrame:
    return events.sort_values(["source", "source_row"]).reset_index(drop=True)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_scan_gives_the_events_and_rejections_of_load(tmp_path, suffix) -> None:
    path = _write(MESSY, tmp_path / f"log{suffix}")
    options = {"channel_map": {"Pigeon Club": "industry_group"}, "tz": "America/New_York"}
    loaded = na.load(path, **options)
    lazy = na.scan(path, **options)
    pd.testing.assert_frame_equal(
        _comparable(lazy.to_pandas()), _comparable(loaded.events), check_exact=True
    )
    rejected = lazy.rejected()
    expected = loaded.rejected
    pd.testing.assert_frame_equal(
        rejected[["source", "source_row", "reason", "column", "value"]],
        expected[["source", "source_row", "reason", "column", "value"]],
    )
    # The raw row as na.load records it (JSON of the file's values).
    assert [json.loads(r)["Lead ID"] for r in rejected["raw"]] == [
        json.loads(r)["Lead ID"] for r in expected["raw"]
    ]
    summary = lazy.summary().iloc[0]
    load_summary = loaded.summary.iloc[0]
    for column in ("rows_read", "rows_kept", "rows_rejected", "events"):
        assert summary[column] == load_summary[column], column


def test_funnel_of_a_scan_equals_funnel_of_load(tmp_path) -> None:
    path = _write(MESSY, tmp_path / "log.parquet")
    loaded = na.load(path).events
    lazy = na.scan(path)
    for by in ("channel", "mode", "direction", "company"):
        pd.testing.assert_frame_equal(na.funnel(lazy, by=by), na.funnel(loaded, by=by))


def test_multi_file_glob_is_one_table(tmp_path) -> None:
    """Three Parquet files (one with an extra column) read as one log; rows numbered per
    file; the summary accounts for every row of every file."""
    sim = na.simulate(n_leads=120, seed=4, seekers=2).events
    parts = [sim.iloc[:100], sim.iloc[100:180], sim.iloc[180:]]
    folder = tmp_path / "logs"
    folder.mkdir()
    for i, part in enumerate(parts):
        part = part.drop(columns=["mode", "channel_raw", "source", "source_row"])
        if i == 1:
            part = part.assign(campaign="spring")
        _write(part, folder / f"part-{i}.parquet")
    lazy = na.scan(str(folder / "part-*.parquet"))
    assert len(lazy.files) == 3
    summary = lazy.summary()
    assert summary["rows_read"].tolist() == [len(p) for p in parts]
    assert summary["rows_rejected"].sum() == 0
    events = lazy.to_pandas()
    assert events.groupby("source")["source_row"].min().tolist() == [1, 1, 1]
    assert "campaign" in events.columns
    pd.testing.assert_frame_equal(na.funnel(lazy, by="mode"), na.funnel(sim, by="mode"))
    # A folder works as well as a glob.
    pd.testing.assert_frame_equal(na.funnel(na.scan(folder)), na.funnel(sim))


def test_scan_is_a_narwhals_lazy_frame(tmp_path) -> None:
    lazy = na.scan(_write(MESSY, tmp_path / "log.parquet"))
    frame = nw.from_native(lazy)
    assert isinstance(frame, nw.LazyFrame)
    kept = frame.filter(nw.col("channel") == "referral").select("lead").collect().to_pandas()
    assert kept["lead"].tolist() == ["C3"]
    # Filtered with narwhals, then counted.
    counts = na.funnel(lazy.lazy().filter(nw.col("company") == "Quarry Labs"))
    assert counts["contacted"].sum() == 2
    kept_rows = lazy.relation.aggregate("count(*)").fetchall()[0][0]
    assert kept_rows == lazy.summary()["rows_kept"].sum()


def test_mapping_seeker_and_lead_from_contact(tmp_path) -> None:
    frame = pd.DataFrame(
        {
            "who": ["Avery Quimby", "Avery Quimby", "Noor Hollis"],
            "org": ["Acme Analytics", "Acme Analytics", None],
            "what": ["messaged", "replied", "messaged"],
            "on": ["2024-02-01", "2024-02-03", "2024-02-02"],
        }
    )
    path = _write(frame, tmp_path / "contacts.csv")
    mapping = {"who": "contact", "org": "company", "what": "stage", "on": "timestamp"}
    lazy = na.scan(path, mapping=mapping, seeker="vet-17")
    events = lazy.to_pandas()
    # As the generic long-log reader: lead = contact | company, missing parts empty.
    assert events["lead"].tolist() == [
        "Avery Quimby | Acme Analytics",
        "Avery Quimby | Acme Analytics",
        "Noor Hollis |",
    ]
    assert set(events["seeker"]) == {"vet-17"}
    assert any("leads identified by contact + company" in n for n in lazy.notes)
    assert na.funnel(lazy, by="seeker").loc["vet-17"].tolist() == [2, 1, 0, 0]


def test_timestamp_format_and_stage_map(tmp_path) -> None:
    frame = pd.DataFrame(
        {
            "lead": ["x", "x", "y"],
            "stage": ["applied", "Ghosted", "applied"],
            "date": ["13/03/2024 14:00", "20/03/2024 09:30", "2024-03-14"],
        }
    )
    path = _write(frame, tmp_path / "dates.csv")
    lazy = na.scan(path, timestamp_format="%d/%m/%Y %H:%M", stage_map={"Ghosted": "rejected"})
    events = lazy.to_pandas()
    assert events["timestamp"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-03-13 14:00",
        "2024-03-20 09:30",
        "2024-03-14 00:00",
    ]
    assert events["stage"].astype(str).tolist() == ["contacted", "rejected", "contacted"]


def test_profile_is_redone_when_a_file_changes(tmp_path) -> None:
    path = _write(MESSY.iloc[:3], tmp_path / "log.parquet")
    assert na.scan(path).summary()["rows_rejected"].sum() == 0
    changed = MESSY.iloc[:5]
    _write(changed, path)
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))
    reasons = na.scan(path).rejected()["reason"].tolist()
    assert reasons == [
        "missing lead id",
        "unknown stage 'ghosted'; known stages: contacted, responded, meeting, referral, "
        "interview, offer, accepted, rejected, withdrawn (or map it with stage_map=)",
    ]


def test_rejected_limit_and_notes(tmp_path) -> None:
    lazy = na.scan(_write(MESSY, tmp_path / "log.csv"))
    assert len(lazy.rejected(limit=2)) == 2
    notes = lazy.summary()["notes"].iloc[0]
    assert "'Pigeon Club' (1)" in notes  # unknown channel counted as other, with a remedy
    assert "times without a zone read as UTC" in notes
    assert "ScanFrame" in repr(lazy)
    assert "<table" in lazy._repr_html_()


def test_errors_name_the_file_and_what_to_do(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        na.scan(tmp_path / "missing.parquet")
    with pytest.raises(InputError, match="matches no file"):
        na.scan(str(tmp_path / "*.parquet"))
    bad = _write(pd.DataFrame({"lead": ["a"], "when": ["2024-01-01"]}), tmp_path / "bad.csv")
    with pytest.raises(MissingColumnsError, match="stage"):
        na.scan(bad)
    _write(MESSY, tmp_path / "a.csv")
    _write(MESSY, tmp_path / "b.parquet")
    with pytest.raises(ParameterError, match="mix CSV and Parquet"):
        na.scan([tmp_path / "a.csv", tmp_path / "b.parquet"])
    with pytest.raises(ParameterError, match="'format' parameter of scan"):
        na.scan(tmp_path / "a.csv", format="xlsx")  # type: ignore[arg-type]
