"""The LinkedIn data export: zip, folder and single files, old and new eras.

Expected values below were worked out by hand from the fixture files in
tests/fixtures/linkedin (invented people).
"""

from __future__ import annotations

import io
import shutil
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import (
    DataQualityWarning,
    InputError,
    NetAnalysisError,
    NetAnalysisWarning,
    ParameterError,
    UnknownFormatError,
)
from netanalysis.io.linkedin import classify_header, invitation_acceptance, read_linkedin
from netanalysis.io.linkedin_leads import normalize_profile_url
from netanalysis.io.options import LoadOptions
from netanalysis.io.registry import Item

FIXTURES = Path(__file__).parents[1] / "fixtures" / "linkedin"
NEW = FIXTURES / "export_2026"
OLD = FIXTURES / "export_2019"
SINGLE = FIXTURES / "single"
ME = "https://www.linkedin.com/in/alex-rivera-3a1b2c"

#: Message and note texts of the fixtures that must never be stored anywhere.
SECRET_TEXTS = (
    "Happy to help",
    "Pizza is on the chapter",
    "following up on my invitation",
    "Would love to connect",
    "protected veteran",
    "Hispanic or Latino",
    "Decline to answer",
    "pasted this from Word",
)


def zip_folder(folder: Path, target: Path, *, prefix: str = "") -> Path:
    """Zip a fixture folder the way LinkedIn ships it (optionally under a top folder)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                zf.write(file, prefix + file.relative_to(folder).as_posix())
    return target


def everything_as_text(res: na.LoadResult) -> str:
    parts = [res.events.astype(str).to_csv(), res.rejected.astype(str).to_csv()]
    parts.append(res.summary.astype(str).to_csv())
    parts.extend(res.notes)
    return "\n".join(parts)


def check_rows(res: na.LoadResult) -> None:
    s = res.summary
    assert (s["rows_read"] == s["rows_kept"] + s["rows_rejected"]).all()
    assert int(s["rows_rejected"].sum()) == len(res.rejected)


@pytest.fixture(scope="module")
def new_export() -> na.LoadResult:
    return na.load(NEW)


def lead_table(events: pd.DataFrame) -> dict[str, dict[str, object]]:
    """contact (or company for applications) -> stages, direction, first time."""
    out = {}
    for _, group in events.groupby("lead", sort=False):
        first = group.iloc[0]
        name = first["contact"] if isinstance(first["contact"], str) else first["company"]
        out[name] = {
            "stages": sorted(group["stage"].astype(str)),
            "direction": str(first["direction"]),
            "channel": str(first["channel"]),
        }
    return out


# --------------------------------------------------------------------------------------
# The new-era export, as a folder and as a zip
# --------------------------------------------------------------------------------------


def test_folder_is_read_as_one_export(new_export):
    s = new_export.summary.set_index("source")
    assert set(s["loader"]) == {"linkedin"}
    assert s.loc[str(NEW), "format"] == "folder"
    per_file = {Path(k).name: v for k, v in s["rows_read"].items()}
    assert per_file == {
        "export_2026": 0,
        "Connections.csv": 9,
        "Invitations.csv": 7,
        "messages.csv": 11,
        "Job Applications.csv": 3,
        "Saved Jobs.csv": 2,
        "Events.csv": 1,
    }
    check_rows(new_export)


def test_leads_and_stages_by_hand(new_export):
    leads = lead_table(new_export.events)
    both, first = ["contacted", "responded"], ["contacted"]
    assert leads == {
        "Priya Natarajan": {"stages": both, "direction": "outbound", "channel": "linkedin"},
        "Mei Chen": {"stages": both, "direction": "outbound", "channel": "linkedin"},
        "Chris Adeyemi": {"stages": both, "direction": "outbound", "channel": "linkedin"},
        "Jordan Blake": {"stages": first, "direction": "outbound", "channel": "linkedin"},
        "Lena Vogel": {"stages": first, "direction": "outbound", "channel": "linkedin"},
        "Tomás Herrera": {"stages": both, "direction": "inbound", "channel": "linkedin"},
        "Dana Whitfield": {"stages": first, "direction": "inbound", "channel": "linkedin"},
        "Morgan Ellis": {"stages": first, "direction": "inbound", "channel": "linkedin"},
        "Sam Lindqvist": {"stages": both, "direction": "outbound", "channel": "linkedin"},
        "Vets in Data — March meetup": {
            "stages": both,
            "direction": "inbound",
            "channel": "linkedin",
        },
        "Crescent Analytics": {"stages": first, "direction": "outbound", "channel": "job_board"},
        "Brightwave Analytics": {"stages": first, "direction": "outbound", "channel": "job_board"},
        "Quantix": {"stages": first, "direction": "outbound", "channel": "job_board"},
    }


def test_funnel_per_channel_by_hand(new_export):
    counts = na.funnel(new_export.events, by="channel")
    assert counts.loc["linkedin"].tolist() == [10, 6, 0, 0]
    assert counts.loc["job_board"].tolist() == [3, 0, 0, 0]


def event(res: na.LoadResult, contact: str, stage: str) -> pd.Series:
    ev = res.events
    rows = ev[(ev["contact"] == contact) & (ev["stage"] == stage)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_accepted_invitation_is_a_response_at_connected_on(new_export):
    priya = event(new_export, "Priya Natarajan", "responded")
    assert priya["timestamp"] == pd.Timestamp("2026-03-05", tz="UTC")  # Connected On
    assert priya["touch"] == "accepted invitation"
    assert Path(priya["source"]).name == "Connections.csv"
    assert priya["source_row"] == 1
    contacted = event(new_export, "Priya Natarajan", "contacted")
    assert contacted["timestamp"] == pd.Timestamp("2026-03-02 09:14", tz="UTC")  # Sent At
    assert Path(contacted["source"]).name == "Invitations.csv"


def test_country_subdomain_and_trailing_slash_still_match(new_export):
    # Connections.csv has https://uk.linkedin.com/in/mei-chen-8a/ ; the invitation www.
    mei = event(new_export, "Mei Chen", "responded")
    assert mei["company"] == "Lumen Retail"
    assert mei["contact_url"] == "https://www.linkedin.com/in/mei-chen-8a"


def test_inbound_lead_responds_with_the_owners_first_message(new_export):
    tomas = event(new_export, "Tomás Herrera", "responded")
    assert tomas["timestamp"] == pd.Timestamp("2026-02-12 16:45:19", tz="UTC")
    assert tomas["touch"] == "message"
    assert tomas["direction"] == "inbound"
    # An accepted incoming invitation (Dana is a connection) is not a response.
    dana = new_export.events[new_export.events["contact"] == "Dana Whitfield"]
    assert dana["stage"].astype(str).tolist() == ["contacted"]
    assert bool(dana["invitation_accepted"].iloc[0])


def test_message_lead_without_invitation(new_export):
    sam = new_export.events[new_export.events["contact"] == "Sam Lindqvist"]
    assert sam["timestamp"].tolist() == [
        pd.Timestamp("2026-02-03 12:00", tz="UTC"),
        pd.Timestamp("2026-02-04 08:30", tz="UTC"),
    ]
    assert set(sam["company"]) == {"Fjord Systems"}  # enriched from Connections.csv
    assert set(sam["position"]) == {"CTO"}


def test_group_conversation_is_one_lead(new_export):
    group = new_export.events[new_export.events["lead"].str.contains("conversation:")]
    assert group["lead"].nunique() == 1
    assert group["participants"].tolist() == [2, 2]
    assert group["direction"].astype(str).tolist() == ["inbound", "inbound"]
    assert group["timestamp"].tolist() == [
        pd.Timestamp("2026-03-01 17:00", tz="UTC"),  # Dana started
        pd.Timestamp("2026-03-01 18:05", tz="UTC"),  # the owner answered
    ]


def test_drafts_are_set_aside(new_export):
    drafts = new_export.rejected[new_export.rejected["reason"].str.startswith("draft")]
    assert len(drafts) == 1
    assert drafts["source_row"].tolist() == [11]
    assert "<removed>" in drafts["raw"].iloc[0]


def test_saved_jobs_and_events_are_not_leads(new_export):
    reasons = new_export.rejected["reason"]
    assert reasons.str.startswith("saved job, not an application").sum() == 2
    assert reasons.str.startswith("event registration").sum() == 1


def test_connection_without_name_or_url_is_rejected(new_export):
    rejected = new_export.rejected[new_export.rejected["source"].str.endswith("Connections.csv")]
    assert rejected["source_row"].tolist() == [7]
    notes = new_export.summary.set_index("source").loc[str(NEW / "Connections.csv"), "notes"]
    assert "2 connection(s) are your existing network" in notes
    assert "6 give their lead a company/position" in notes


def test_owner_found_and_reported(new_export):
    notes = new_export.summary.set_index("source").loc[str(NEW), "notes"]
    assert "account owner: 'Alex Rivera', found from the messages" in notes
    assert "in 5 of 5 conversation(s), sender in 4"  # the draft is not one in notes


def test_invitation_note_column_and_acceptance(new_export):
    counts = invitation_acceptance(new_export.events)
    assert counts.to_dict("index") == {
        "with note": {"contacted": 3, "responded": 2},
        "without note": {"contacted": 2, "responded": 1},
    }
    rates = na.conversion(counts, from_stage="contacted", to_stage="responded")
    assert rates.to_pandas()["n"].tolist() == [3, 2]
    assert str(new_export.events["invitation_note"].dtype) == "boolean"


def test_job_applications_are_job_board_leads(new_export):
    jobs = new_export.events[new_export.events["touch"] == "job application"]
    assert jobs["channel_raw"].unique().tolist() == ["LinkedIn Jobs"]
    assert jobs["job_title"].tolist() == ["Data Analyst", "Analytics Engineer", "BI Developer"]
    assert jobs["timestamp"].iloc[0] == pd.Timestamp("2026-03-04 10:15", tz="UTC")
    assert "question_and_answers" not in new_export.events


def test_channel_map_applies_to_linkedin_labels():
    res = na.load(NEW, channel_map={"LinkedIn Jobs": "linkedin"})
    assert set(res.events["channel"].astype(str)) == {"linkedin"}


def test_no_message_text_or_sensitive_answer_is_stored(new_export):
    text = everything_as_text(new_export)
    for secret in SECRET_TEXTS:
        assert secret not in text, secret
    notes = new_export.summary.set_index("source").loc[str(NEW), "notes"]
    assert "Job Applicant Saved Answers.csv not read" in notes
    assert "Profile.csv" in notes  # listed as not read


def test_question_and_answers_only_with_opt_in():
    res = na.load(NEW, include_sensitive=True)
    answers = res.events["question_and_answers"].dropna().tolist()
    assert any("protected veteran" in a for a in answers)
    with pytest.raises(ParameterError, match="include_sensitive"):
        na.load(NEW, include_sensitive="yes")


def test_zip_gives_the_same_events_as_the_folder(tmp_path, new_export):
    archive = zip_folder(NEW, tmp_path / "Basic_LinkedInDataExport_03-12-2026.zip")
    res = na.load(archive)
    check_rows(res)
    assert res.summary["source"].iloc[0] == str(archive)
    assert res.summary["format"].iloc[0] == "zip"
    assert all(s.startswith(f"{archive}::") for s in res.summary["source"].iloc[1:])
    columns = ["lead", "stage", "timestamp", "contact", "company", "direction"]
    key = ["lead", "stage"]
    left = res.events[columns].sort_values(key).reset_index(drop=True)
    right = new_export.events[columns].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)


def test_zip_with_a_top_folder_and_macos_metadata(tmp_path):
    archive = zip_folder(
        NEW,
        tmp_path / "Complete_LinkedInDataExport_03-12-2026.zip",
        prefix="Complete_LinkedInDataExport_03-12-2026/",
    )
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(
            "__MACOSX/Complete_LinkedInDataExport_03-12-2026/._Connections.csv",
            b"\x00\x05\x16\x07binary",
        )
    res = na.load(archive)
    assert na.funnel(res.events, by="channel").loc["linkedin"].tolist() == [10, 6, 0, 0]


def test_mixed_folder_is_not_taken_for_an_export(tmp_path):
    folder = tmp_path / "my_search"
    shutil.copytree(NEW, folder)
    shutil.copy(FIXTURES.parent / "trackers" / "huntr_jobs.csv", folder / "huntr_jobs.csv")
    res = na.load(folder)
    loaders = set(res.summary["loader"])
    assert {"linkedin", "huntr"} <= loaders
    check_rows(res)


# --------------------------------------------------------------------------------------
# Owner
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "me", ["Alex Rivera", "alex  RIVERA", ME + "/?trk=x", ["nobody@x.org", ME]]
)
def test_owner_given_with_me(me, new_export):
    res = na.load(NEW, me=me)
    assert "given with me=" in res.summary["notes"].iloc[0]
    pd.testing.assert_frame_equal(
        res.events.drop(columns=["source"]), new_export.events.drop(columns=["source"])
    )


def test_me_matching_nobody_warns_and_falls_back():
    with pytest.warns(DataQualityWarning, match="matches nobody"):
        res = na.load(NEW, me="Someone Else")
    assert "found from the messages" in res.summary["notes"].iloc[0]


def test_ambiguous_owner_warns_and_me_decides():
    path = SINGLE / "messages_2022_one_conversation.csv"
    with pytest.warns(DataQualityWarning, match="ambiguous"):
        guessed = na.load(path)
    assert "ambiguous" in guessed.summary["notes"].iloc[0]
    res = na.load(path, me="Grace Okafor")
    alex = res.events
    assert alex["contact"].unique().tolist() == ["Alex Rivera"]
    assert alex["direction"].astype(str).unique().tolist() == ["inbound"]
    with pytest.raises(ParameterError, match="'me' parameter"):
        na.load(path, me=3)


def test_owner_who_never_replied_is_still_found(tmp_path):
    """A passive inbox: a recruiter wrote in two conversations, the owner never answered.
    The owner is in every conversation, so they are found, not the busiest sender."""
    rec = "https://www.linkedin.com/in/recruiter-one"
    other = "https://www.linkedin.com/in/recruiter-two"
    lines = [
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER",
        f"c1,,Rae Cole,{rec},Alex Rivera,{ME},2026-01-02 10:00:00 UTC,,Hi,INBOX",
        f"c2,,Rae Cole,{rec},Alex Rivera,{ME},2026-01-09 10:00:00 UTC,,Hi again,INBOX",
        f"c3,,Kim Ota,{other},Alex Rivera,{ME},2026-01-05 10:00:00 UTC,,Hello,INBOX",
    ]
    path = tmp_path / "messages.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = na.load(path)
    assert "account owner: 'Alex Rivera'" in res.summary["notes"].iloc[0]
    assert set(res.events["direction"].astype(str)) == {"inbound"}
    assert sorted(res.events["contact"].unique()) == ["Kim Ota", "Rae Cole"]


# --------------------------------------------------------------------------------------
# Old era
# --------------------------------------------------------------------------------------


def test_old_export_by_names_and_direction_column():
    res = na.load(OLD)
    check_rows(res)
    leads = lead_table(res.events)
    assert leads == {
        "Priya Natarajan": {
            "stages": ["contacted"],
            "direction": "outbound",
            "channel": "linkedin",
        },
        "Owen Brandt": {"stages": ["contacted"], "direction": "inbound", "channel": "linkedin"},
        "Grace Okafor": {
            "stages": ["contacted", "responded"],
            "direction": "outbound",
            "channel": "linkedin",
        },
        "Sam Lindqvist": {"stages": ["contacted"], "direction": "outbound", "channel": "linkedin"},
        "Harbor Health": {"stages": ["contacted"], "direction": "outbound", "channel": "job_board"},
    }
    grace = res.events[res.events["contact"] == "Grace Okafor"]
    assert set(grace["company"]) == {"Harbor Health"}  # matched by name: no URLs in 2019
    assert grace["timestamp"].iloc[0] == pd.Timestamp("2019-11-15 08:02", tz="UTC")
    assert "old export" in res.summary.set_index("source").loc[str(OLD / "messages.csv"), "notes"]


# --------------------------------------------------------------------------------------
# Single files and their quirks
# --------------------------------------------------------------------------------------


def test_broken_quote_rejects_that_row_with_its_line_and_loads_the_rest():
    res = na.load(SINGLE / "messages_broken_quote.csv")
    check_rows(res)
    s = res.summary.iloc[0]
    assert (s["rows_read"], s["rows_kept"], s["rows_rejected"]) == (4, 3, 1)
    bad = res.rejected.iloc[0]
    assert bad["source_row"] == 2
    assert "broken quoting" in bad["reason"]
    assert "line 3" in bad["reason"]
    assert "pasted this from Word" not in bad["raw"]
    assert sorted(res.events["contact"].unique()) == ["Morgan Ellis", "Priya Natarajan"]
    priya = res.events[res.events["contact"] == "Priya Natarajan"]
    assert priya["stage"].astype(str).tolist() == ["contacted", "responded"]


def test_broken_quote_with_errors_raise():
    with pytest.raises(InputError, match="row 2"):
        na.load(SINGLE / "messages_broken_quote.csv", errors="raise")


def test_spreadsheet_resave_cp1252_semicolons_day_first():
    res = na.load(SINGLE / "Connections_resaved_cp1252.csv")
    check_rows(res)
    notes = res.summary["notes"].iloc[0]
    assert "cp1252" in notes
    assert "';'" in notes
    assert "day-first" in notes
    assert res.summary["rows_kept"].iloc[0] == 2
    assert len(res.events) == 0  # Connections alone: the network, no leads
    assert "existing network" in notes


def test_bom_crlf_invitations_alone():
    res = na.load(SINGLE / "Invitations_bom_crlf.csv")
    check_rows(res)
    assert res.rejected["reason"].tolist() == [
        "unknown invitation direction (expected INCOMING or OUTGOING)"
    ]
    assert res.events["invitation_accepted"].isna().all()  # unknown without Connections.csv
    assert "read alone" in res.summary["notes"].iloc[0]
    with pytest.raises(InputError, match="no invitation you sent with a known outcome"):
        invitation_acceptance(res.events)


def test_kind_linkedin_on_another_file_is_a_clear_error():
    with pytest.raises(UnknownFormatError, match="not a file of the LinkedIn data export"):
        na.load(FIXTURES.parent / "trackers" / "huntr_jobs.csv", kind="linkedin")


def test_zip_without_linkedin_files(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.csv", "a,b\n1,2\n")
    with pytest.raises(UnknownFormatError):
        na.load(path, kind="linkedin")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe"),
        ("HTTPS://WWW.LINKEDIN.COM/in/Jane-Doe/", "https://www.linkedin.com/in/jane-doe"),
        ("http://de.linkedin.com/in/jane-doe?trk=x#y", "https://www.linkedin.com/in/jane-doe"),
        ("linkedin.com/in/jane-doe//", "https://www.linkedin.com/in/jane-doe"),
        ("www.linkedin.com/in/ren%C3%A9", "https://www.linkedin.com/in/rené"),
        ("", None),
        (None, None),
        ("LinkedIn Member", None),
    ],
)
def test_normalize_profile_url(raw, expected):
    assert normalize_profile_url(raw) == expected


def test_classify_header_eras():
    assert classify_header(["CONVERSATION ID", "FROM", "TO", "DATE", "CONTENT"]) == "messages"
    assert classify_header(["\ufeffFrom", "To", "Sent At", "Message", "Direction"]) == "invitations"
    assert classify_header(["Saved Date", "Job Url", "Job Title", "Company Name"]) == "saved_jobs"
    assert classify_header(["a", "b"]) is None


# --------------------------------------------------------------------------------------
# Privacy
# --------------------------------------------------------------------------------------


def test_pseudonymized_export_holds_no_name(tmp_path):
    archive = zip_folder(NEW, tmp_path / "export.zip")
    res = na.load(archive, pseudonymize=True, salt="correct horse battery")
    text = everything_as_text(res)
    for name in ("Priya", "Natarajan", "Tomás", "Alex Rivera", "priya-natarajan", "example.com"):
        assert name not in text, name
    again = na.load(archive, pseudonymize=True, salt="correct horse battery")
    pd.testing.assert_frame_equal(res.events, again.events)
    # Analysis is unchanged by pseudonyms.
    assert na.funnel(res.events, by="channel").loc["linkedin"].tolist() == [10, 6, 0, 0]


def test_pseudonymize_without_salt_is_an_error():
    with pytest.raises(ParameterError, match="needs salt="):
        na.load(NEW, pseudonymize=True)


def test_summary_names_personal_fields(new_export):
    notes = new_export.summary.set_index("source").loc[str(NEW), "notes"]
    assert "personal fields present" in notes
    assert "'contact_email' (email addresses" in notes


# --------------------------------------------------------------------------------------
# Fuzzing: arbitrary input gives a NetAnalysisError or a LoadResult, never another exception
# --------------------------------------------------------------------------------------

MESSAGES_HEADER = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT\n"
)


def read_bytes(data: bytes, label: str = "fuzz.csv", **options) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NetAnalysisWarning)  # warnings are not failures
        return read_linkedin(Item(label, data=data), LoadOptions(extra=options))


@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes(data):
    try:
        results = read_bytes(data)
    except NetAnalysisError:
        return
    for r in results:
        assert r.rows_read == r.rows_kept + r.rows_rejected


@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.sampled_from(list('ab,"\n\r\t;<>é ')), max_size=60),
            st.sampled_from(
                [
                    f'c1,,Alex,{ME},Jane,https://www.linkedin.com/in/jane,2024-03-01 10:00:00 UTC,,"hi",INBOX,No',
                    'c1,,Jane,https://www.linkedin.com/in/jane,Alex,,2024-03-02 10:00:00 UTC,,"a ""b"" c\nd",INBOX,No',
                    "c2,,Bo,,Alex,,not a date,,x,INBOX,Yes",
                ]
            ),
        ),
        max_size=12,
    )
)
def test_fuzz_messages_rows(lines):
    data = (MESSAGES_HEADER + "\n".join(lines)).encode("utf-8")
    try:
        results = read_bytes(data)
    except NetAnalysisError:
        return
    for r in results:
        assert r.rows_read == r.rows_kept + r.rows_rejected
        assert r.rows_read >= len(set(r.events["source_row"]))


@given(st.binary(max_size=300), st.integers(min_value=0, max_value=400))
def test_fuzz_damaged_zip(noise, cut):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("Invitations.csv", (NEW / "Invitations.csv").read_bytes())
        zf.writestr("messages.csv", MESSAGES_HEADER.encode() + noise)
    data = buffer.getvalue()
    data = data[:cut] + noise + data[cut + len(noise) :]
    try:
        results = read_bytes(data, label="fuzz.zip")
    except NetAnalysisError:
        return
    for r in results:
        assert r.rows_read == r.rows_kept + r.rows_rejected
