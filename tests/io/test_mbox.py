"""Email (mbox) loader: threads, direction, replies, automated mail, bad headers.

The fixture ``tests/fixtures/mbox/takeout.mbox`` is hand-written (invented people) in the
Google Takeout format; its 19 messages are listed in ``EXPECTED_REJECTED`` and
``EXPECTED_EVENTS`` below, worked out by hand from the file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import InputError, NetAnalysisError, UnknownFormatError
from netanalysis.io.mbox import split_mbox

FIXTURE = Path(__file__).parents[1] / "fixtures" / "mbox" / "takeout.mbox"

#: row -> start of the rejection reason.
EXPECTED_REJECTED = {
    5: "automated message: auto-reply (Auto-Submitted: auto-replied)",
    9: "automated message: automated sender (jobalerts-noreply@...)",
    10: "chat message",
    11: "duplicate message (same Message-ID as row 2)",
    15: "draft (never sent)",
    16: "automated message: bulk mail (Precedence: bulk)",
    17: "automated message: automated sender (mailer-daemon@...)",
}

#: (lead, stage, UTC time, direction, channel, contact, contact_email, row)
EXPECTED_EVENTS = [
    ("email:1790000000000000001", "contacted", "2024-03-04 14:15", "outbound", "cold_email",
     "Dana Whitfield", "dana.whitfield@northwind-analytics.com", 1),
    ("email:1790000000000000001", "responded", "2024-03-05 14:02", "outbound", "cold_email",
     "Dana Whitfield", "dana.whitfield@northwind-analytics.com", 2),
    ("email:1790000000000000004", "contacted", "2024-03-06 10:30", "outbound", "referral",
     "Priya Natarajan", "priya@bluefinch.io", 4),
    ("email:1790000000000000006", "contacted", "2024-03-07 08:00", "outbound", "industry_group",
     "Marcus Lee", "marcus.lee.vet@gmail.com", 6),
    ("email:1790000000000000007", "contacted", "2024-03-07 12:20", "inbound", "cold_email",
     "Renée Fournier", "renee@talentbridge-recruiting.com", 7),
    ("email:1790000000000000007", "responded", "2024-03-07 18:45", "inbound", "cold_email",
     "Renée Fournier", "renee@talentbridge-recruiting.com", 8),
    ("sam", "contacted", "2024-03-13 10:00", "outbound", "cold_email",
     "Sam Okafor", "sam.okafor@harborview.org", 12),
    ("sam", "responded", "2024-03-14 08:30", "outbound", "cold_email",
     "Sam Okafor", "sam.okafor@harborview.org", 13),
    ("email:1790000000000000014", "contacted", "2024-03-15 07:10", "inbound", "cold_email",
     "Jürgen Weiß", "juergen.weiss@vela-mobility.de", 14),
    ("lena", "contacted", "2024-03-18 15:00", "outbound", "cold_email",
     "Lena Kovacs", "lena@kovacs-design.example", 18),
    ("lena", "responded", "2024-03-19 09:00", "outbound", "cold_email",
     "Lena Kovacs", "lena@kovacs-design.example", 19),
]  # fmt: skip


def _load(data: bytes, **options) -> na.LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mail.mbox"
        path.write_bytes(data)
        return na.load(path, **options)


def _message(
    number: int,
    *,
    sender: str = "Jordan Reyes <jordan.reyes@example.com>",
    to: str = "Dana Whitfield <dana@acme.example>",
    date: str | None = "Mon, 4 Mar 2024 09:00:00 +0000",
    labels: str | None = "Sent",
    message_id: str | None = "auto",
    subject: str = "Hello",
    extra: str = "",
    from_line: str = "Mon Mar 04 09:00:00 +0000 2024",
) -> str:
    lines = [f"From {number}@xxx {from_line}"]
    if labels is not None:
        lines.append(f"X-Gmail-Labels: {labels}")
    if message_id == "auto":
        message_id = f"<m{number}@example.com>"
    if message_id is not None:
        lines.append(f"Message-ID: {message_id}")
    if date is not None:
        lines.append(f"Date: {date}")
    lines += [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n\nbody\n\n"


@pytest.fixture(scope="module")
def loaded() -> na.LoadResult:
    return na.load(FIXTURE)


def test_fixture_is_recognised_by_content_and_rows_add_up(loaded):
    row = loaded.summary.iloc[0]
    assert (row["loader"], row["format"]) == ("mbox", "mbox")
    assert (row["rows_read"], row["rows_kept"], row["rows_rejected"]) == (19, 12, 7)


def test_rejected_messages_have_their_reasons(loaded):
    rejected = loaded.rejected.set_index("source_row")["reason"].to_dict()
    assert set(rejected) == set(EXPECTED_REJECTED)
    for row, reason in EXPECTED_REJECTED.items():
        assert rejected[row].startswith(reason), (row, rejected[row])


def test_events_worked_out_by_hand(loaded):
    ev = loaded.events
    # Threads without X-GM-THRID get a hashed id: name them by their contact here.
    alias = {
        ev.loc[ev["contact"] == "Sam Okafor", "lead"].iloc[0]: "sam",
        ev.loc[ev["contact"] == "Lena Kovacs", "lead"].iloc[0]: "lena",
    }
    got = [
        (
            alias.get(r.lead, r.lead),
            r.stage,
            r.timestamp.strftime("%Y-%m-%d %H:%M"),
            r.direction,
            r.channel,
            r.contact,
            r.contact_email,
            r.source_row,
        )
        for r in ev.itertuples()
    ]
    assert got == EXPECTED_EVENTS


def test_message_text_is_never_kept(loaded):
    text = loaded.events.astype(str).to_string() + loaded.rejected.astype(str).to_string()
    assert "never read" not in text
    assert "happy to chat" not in text
    assert "Question about the data team" not in text  # subjects are not kept either


def test_rfc2047_and_8bit_headers_are_decoded(loaded):
    contacts = set(loaded.events["contact"])
    assert "Renée Fournier" in contacts  # =?UTF-8?Q?...?=
    assert "Jürgen Weiß" in contacts  # raw UTF-8 bytes in the header
    assert "8-bit header" in loaded.summary["notes"].iloc[0]


def test_windows_1252_header_bytes():
    data = _message(1).encode().replace(b"Dana Whitfield", b"Ren\xe9e Fournier")
    ev = _load(data).events
    assert ev["contact"].tolist() == ["Renée Fournier"]


def test_unescaped_from_in_a_body_does_not_split_a_message():
    data = b"From a@xxx Mon Mar 04 09:00:00 +0000 2024\nSubject: x\n\nHi\nFrom my side, yes\n\n"
    assert len(split_mbox(data)) == 1
    data = _message(1) + _message(2).replace("body", "Hi\nFrom here on, fine")
    assert len(split_mbox(data.encode())) == 2


def test_malformed_date_falls_back_to_the_from_line_else_rejected():
    good_line = _message(1, date="sometime in March", from_line="Wed Mar 13 10:00:00 +0000 2024")
    res = _load(good_line.encode())
    assert str(res.events["timestamp"].iloc[0]) == "2024-03-13 10:00:00+00:00"
    assert "dated from the mbox 'From ' line" in res.summary["notes"].iloc[0]

    bad_line = _message(1, date="sometime in March", from_line="garbage")
    res = _load(bad_line.encode())
    assert res.events.empty
    rejected = res.rejected.iloc[0]
    assert (rejected["reason"], rejected["column"], rejected["value"]) == (
        "malformed Date header",
        "Date",
        "sometime in March",
    )
    res = _load(_message(1, date=None, from_line="garbage").encode())
    assert res.rejected["reason"].tolist() == ["missing Date header"]


def test_missing_message_id_is_kept_and_deduplicated_on_its_headers():
    one = _message(1, message_id=None)
    res = _load((one + one + _message(3, message_id=None, subject="Other")).encode())
    assert res.summary[["rows_read", "rows_kept", "rows_rejected"]].iloc[0].tolist() == [3, 2, 1]
    assert (
        res.rejected["reason"]
        .iloc[0]
        .startswith("duplicate message (same Date, From, To and Subject (no Message-ID) as row 1)")
    )
    assert "without Message-ID" in res.summary["notes"].iloc[0]


def test_date_without_zone_is_read_in_tz():
    data = _message(1, date="Mon, 4 Mar 2024 09:00:00").encode()
    res = _load(data, tz="America/New_York")
    assert str(res.events["timestamp"].iloc[0]) == "2024-03-04 14:00:00+00:00"
    assert "without a zone read as America/New_York" in res.summary["notes"].iloc[0]


def test_owner_given_with_me_and_names_ignored(loaded):
    assert "most frequent sender of Sent-labelled messages" in loaded.summary["notes"].iloc[0]
    res = na.load(FIXTURE, me=["Jordan Reyes", "JORDAN.REYES@example.com"])
    assert "given with me=" in res.summary["notes"].iloc[0]
    pd.testing.assert_frame_equal(res.events, loaded.events)
    res = na.load(FIXTURE, me="Jordan Reyes")
    assert "me= names no email address" in res.summary["notes"].iloc[0]


def test_owner_without_sent_labels_is_the_most_present_address():
    data = (
        _message(1, labels=None)
        + _message(2, labels=None, sender="Dana Whitfield <dana@acme.example>",
                   to="jordan.reyes@example.com", extra="In-Reply-To: <m1@example.com>",
                   date="Tue, 5 Mar 2024 09:00:00 +0000")
        + _message(3, labels=None, to="Sam <sam@other.example>", subject="Hi Sam")
    )  # fmt: skip
    res = _load(data.encode())
    assert "no Sent label: owner guessed" in res.summary["notes"].iloc[0]
    assert res.events[["stage", "direction", "contact"]].values.tolist() == [
        ["contacted", "outbound", "Dana Whitfield"],
        ["responded", "outbound", "Dana Whitfield"],
        ["contacted", "outbound", "Sam"],
    ]


def test_inbound_thread_responded_when_the_owner_replies():
    data = _message(
        1, labels="Inbox", sender="Recruiter <r@agency.example>", to="jordan.reyes@example.com"
    ) + _message(
        2, extra="In-Reply-To: <m1@example.com>", to="r@agency.example",
        date="Mon, 4 Mar 2024 10:00:00 +0000",
    )  # fmt: skip
    res = _load(data.encode(), me="jordan.reyes@example.com")
    assert res.events[["stage", "direction"]].values.tolist() == [
        ["contacted", "inbound"],
        ["responded", "inbound"],
    ]


def test_note_to_self_and_missing_sender_are_rejected():
    data = _message(1, to="Jordan Reyes <jordan.reyes@example.com>") + _message(
        2, labels="Inbox", sender=""
    )
    res = _load(data.encode(), me="jordan.reyes@example.com")
    assert res.rejected["reason"].tolist() == [
        "no other person in the message (note to self)",
        "no sender (From header missing or empty)",
    ]


def test_channel_from_a_label_or_channel_map(loaded):
    # "Vets Network" names a channel (an alias of industry_group); "Job search" does not.
    marcus = loaded.events[loaded.events["contact"] == "Marcus Lee"]
    assert marcus[["channel", "channel_raw"]].values.tolist() == [
        ["industry_group", "Vets Network"]
    ]
    res = na.load(FIXTURE, channel_map={"Job search": "referral"})
    dana = res.events[res.events["contact"] == "Dana Whitfield"]
    assert set(dana["channel"]) == {"referral"}
    assert set(dana["channel_raw"]) == {"Job search"}
    unmapped = loaded.events[loaded.events["contact"] == "Dana Whitfield"]
    assert set(unmapped["channel"]) == {"cold_email"}


def test_labels_option_keeps_only_threads_under_those_labels():
    res = na.load(FIXTURE, labels=["Job search"])
    assert set(res.events["lead"]) == {"email:1790000000000000001"}
    s = res.summary.iloc[0]
    assert s["rows_read"] == s["rows_kept"] + s["rows_rejected"] == 19
    assert s["rows_kept"] == 3  # the three messages of the thread (one labelled only Sent)
    assert res.rejected["reason"].str.startswith("thread not under the labels").sum() == 9


def test_crlf_mailbox_reads_the_same(loaded):
    crlf = FIXTURE.read_bytes().replace(b"\n", b"\r\n")
    res = _load(crlf)
    cols = ["lead", "stage", "timestamp", "contact", "direction", "source_row"]
    pd.testing.assert_frame_equal(res.events[cols], loaded.events[cols])


def test_pseudonymize_replaces_contacts_and_addresses():
    res = na.load(FIXTURE, pseudonymize=True, salt="a-secret-salt")
    ev = res.events
    assert ev["contact"].str.startswith("contact-").all()
    assert ev["contact_email"].str.startswith("email-").all()
    assert not ev.astype(str).apply(lambda c: c.str.contains("@")).any().any()


def test_personal_fields_are_named_in_the_summary(loaded):
    assert "personal fields present" in loaded.summary["notes"].iloc[0]


def test_not_an_mbox_with_kind_mbox():
    with pytest.raises(UnknownFormatError, match="no line starts with 'From '"):
        _load(b"date,stage\n2024-01-01,applied\n", kind="mbox")


def test_errors_raise_does_not_stop_on_messages_set_aside_on_purpose():
    # Chat items, drafts, automated mail and duplicates are exclusions, not errors.
    res = na.load(FIXTURE, errors="raise")
    assert len(res.rejected) == 7
    assert res.rejected["excluded"].all()


def test_errors_raise_names_a_broken_message():
    data = (
        b"From a@x Mon Jan  1 00:00:00 2024\nFrom: Ann Lee <ann@example.org>\n"
        b"To: me@example.com\nSubject: hi\nMessage-ID: <1@x>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nbody\n\n"
        b"From bad\nFrom: Bo Ray <bo@example.org>\nTo: me@example.com\nSubject: yo\n"
        b"Message-ID: <2@x>\nDate: not a date\n\nbody\n"
    )
    res = _load(data)
    assert not res.rejected["excluded"].all()
    with pytest.raises(InputError, match="row 2"):
        _load(data, errors="raise")


_HEADER_NAMES = st.sampled_from(
    ["From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To", "References",
     "X-GM-THRID", "X-Gmail-Labels", "Auto-Submitted", "Precedence", "Content-Type"]
)  # fmt: skip
_HEADER_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["=?UTF-8?Q?Ren=C3=A9e?= <r@x.example>", "Sent,Chat", "<a@b>", "Mon, 4 Mar 2024",
         "=?bogus?B?@@@?=", '"unclosed <x@', "Mon, 31 Feb 2024 25:61:00 +9999", "<>"]
    ),
)  # fmt: skip
_MESSAGES = st.lists(
    st.lists(st.tuples(_HEADER_NAMES, _HEADER_VALUES), max_size=8), min_size=1, max_size=4
)


def _check(data: bytes) -> None:
    try:
        res = _load(data, kind="mbox")
    except NetAnalysisError:
        return
    s = res.summary
    assert (s["rows_read"] == s["rows_kept"] + s["rows_rejected"]).all()


@given(st.binary(max_size=400))
def test_fuzz_arbitrary_bytes(data):
    _check(data)
    _check(b"From x@xxx Mon Mar 04 09:00:00 +0000 2024\n" + data)


@given(_MESSAGES)
def test_fuzz_header_soup(messages):
    parts = []
    for number, headers in enumerate(messages):
        lines = [f"From {number}@xxx Mon Mar 04 09:00:00 +0000 2024"]
        lines += [
            f"{name}: {value}".replace("\n", " ").replace("\r", " ") for name, value in headers
        ]
        parts.append("\n".join(lines) + "\n\nbody\n\n")
    _check("".join(parts).encode("utf-8", "surrogatepass"))
