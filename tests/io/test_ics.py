"""Calendar (.ics) loader: held meetings with contacts, recurrence, zones, bad input.

The fixture ``tests/fixtures/ics/calendar.ics`` is hand-written (invented people) like a
Google Calendar export: CRLF, folded lines, a VTIMEZONE, an RRULE with EXDATE and a
moved occurrence (RECURRENCE-ID), a cancelled event, an all-day event, an unknown TZID,
personal entries, a declined invitation and a meeting after the export time.
Expected times are worked out by hand: America/New_York is UTC-5 until 2024-03-10 and
UTC-4 from then on.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import InputError, NetAnalysisError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ics" / "calendar.ics"

#: (source_row, UTC time, contact, contact_email, meeting_mode, direction)
EXPECTED = [
    (1, "2024-03-08 13:30", "Dana Whitfield", "dana.whitfield@northwind-analytics.com",
     "in_person", "outbound"),  # 08:30 EST; CN folded across two lines
    (2, "2024-03-05 23:00", "Marcus Lee", "marcus.lee.vet@gmail.com", "video", "inbound"),
    (2, "2024-03-12 22:00", "Marcus Lee", "marcus.lee.vet@gmail.com", "video", "inbound"),
    # 2024-03-19 is an EXDATE; 2024-03-26 moved to 03-27 19:00 EDT by row 3;
    # 2024-04-02 is after the export time (DTSTAMP 2024-04-01 12:00 UTC).
    (3, "2024-03-27 23:00", "Marcus Lee", "marcus.lee.vet@gmail.com", "video", "inbound"),
    (5, "2024-03-14 04:00", "Sam Okafor", "sam.okafor@harborview.org", "in_person",
     "outbound"),  # all-day: midnight in the calendar's zone (EDT)
    (6, "2024-03-11 14:00", "Renée Fournier", "renee@talentbridge-recruiting.com", "video",
     "inbound"),  # unknown TZID read in X-WR-TIMEZONE: 10:00 EDT
]  # fmt: skip

EXPECTED_REJECTED = {
    4: "cancelled (STATUS:CANCELLED)",
    7: "no attendee other than the owner",
    8: "declined by the owner",
    9: "no attendee other than the owner",  # only a room resource besides the owner
    10: "scheduled after as_of",
}


def _load(data: bytes, **options) -> na.LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calendar.ics"
        path.write_bytes(data)
        return na.load(path, **options)


def _calendar(*events: str, head: str = "X-WR-CALNAME:jordan@example.com\r\n") -> bytes:
    body = "".join(events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{head}{body}END:VCALENDAR\r\n".encode()


def _event(uid: str, start: str, extra: str = "") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART{start}\r\nDTSTAMP:20240601T000000Z\r\n"
        "ATTENDEE;CN=Dana W:mailto:dana@acme.example\r\n"
        f"ATTENDEE:mailto:jordan@example.com\r\n{extra}END:VEVENT\r\n"
    )


@pytest.fixture(scope="module")
def loaded() -> na.LoadResult:
    return na.load(FIXTURE)


def test_fixture_is_recognised_and_rows_add_up(loaded):
    row = loaded.summary.iloc[0]
    assert (row["loader"], row["format"]) == ("ics", "ics")
    assert (row["rows_read"], row["rows_kept"], row["rows_rejected"]) == (10, 5, 5)


def test_held_meetings_worked_out_by_hand(loaded):
    ev = loaded.events
    got = [
        (
            r.source_row,
            r.timestamp.strftime("%Y-%m-%d %H:%M"),
            r.contact,
            r.contact_email,
            r.meeting_mode,
            r.direction,
        )
        for r in ev.itertuples()
    ]
    assert got == EXPECTED
    assert set(ev["stage"]) == {"meeting"}
    assert set(ev["channel"]) == {"in_person"}
    assert ev["lead"].nunique() == 4  # one lead per event series


def test_rejected_rows_have_their_reasons(loaded):
    rejected = loaded.rejected.set_index("source_row")["reason"].to_dict()
    assert set(rejected) == set(EXPECTED_REJECTED)
    for row, reason in EXPECTED_REJECTED.items():
        assert rejected[row].startswith(reason), (row, rejected[row])


def test_notes_say_how_zones_and_range_were_decided(loaded):
    notes = loaded.summary["notes"].iloc[0]
    assert "owner found as the calendar's name" in notes
    assert "export time 2024-04-01 12:00 UTC" in notes
    assert "unknown time zone(s) ['Mars/Olympus_Mons']" in notes
    assert "read in the calendar's zone America/New_York" in notes
    assert "1 all-day event(s)" in notes


def test_titles_and_descriptions_are_not_kept(loaded):
    text = loaded.events.astype(str).to_string() + loaded.rejected.astype(str).to_string()
    for secret in ("Coffee with Dana", "Mentoring", "never keeps it", "Gym"):
        assert secret not in text


def test_as_of_extends_the_range(loaded):
    res = na.load(FIXTURE, as_of="2024-04-30")
    ev = res.events
    assert len(ev) == len(loaded.events) + 2
    marcus = ev[ev["contact"] == "Marcus Lee"]["timestamp"].dt.strftime("%m-%d %H:%M")
    assert marcus.tolist() == ["03-05 23:00", "03-12 22:00", "04-02 22:00", "03-27 23:00"]
    priya = ev[ev["contact"] == "Priya Natarajan"]
    assert priya[["meeting_mode", "channel_raw"]].values.tolist() == [["phone", "phone call"]]
    assert str(priya["timestamp"].iloc[0]) == "2024-04-10 13:00:00+00:00"


def test_channel_map_maps_the_meeting_labels():
    res = na.load(FIXTURE, channel_map={"video call": "industry_group"})
    ev = res.events
    video = ev[ev["meeting_mode"] == "video"]
    assert set(video["channel"]) == {"industry_group"}
    assert set(video["channel_raw"]) == {"video call"}
    assert set(ev[ev["meeting_mode"] == "in_person"]["channel"]) == {"in_person"}


def test_unknown_tzid_without_calendar_zone_falls_back_to_tz():
    data = _calendar(_event("u1", ";TZID=Mars/Olympus:20240305T100000"))
    res = _load(data, tz="Europe/Berlin")
    assert str(res.events["timestamp"].iloc[0]) == "2024-03-05 09:00:00+00:00"
    assert (
        "unknown time zone(s) ['Mars/Olympus']: those times read in Europe/Berlin"
        in (res.summary["notes"].iloc[0])
    )


def test_unknown_calendar_zone_is_ignored_with_a_note():
    data = _calendar(_event("u1", ":20240305T100000"), head="X-WR-TIMEZONE:Mars/Base\r\n")
    res = _load(data, me="jordan@example.com", tz="UTC")
    assert str(res.events["timestamp"].iloc[0]) == "2024-03-05 10:00:00+00:00"
    notes = res.summary["notes"].iloc[0]
    assert "X-WR-TIMEZONE 'Mars/Base' ignored" in notes
    assert "1 event(s) with floating times read in UTC" in notes


def test_cancelled_override_removes_one_occurrence():
    data = _calendar(
        _event("s", ":20240101T100000Z", "RRULE:FREQ=WEEKLY;COUNT=3\r\n"),
        _event("s", ":20240108T120000Z", "RECURRENCE-ID:20240108T100000Z\r\nSTATUS:CANCELLED\r\n"),
    )
    res = _load(data)
    assert res.events["timestamp"].dt.strftime("%m-%d").tolist() == ["01-01", "01-15"]
    assert res.rejected["reason"].tolist() == ["cancelled (STATUS:CANCELLED)"]


def test_owner_given_or_guessed():
    event = _event("e", ":20240101T100000Z")
    res = _load(_calendar(event, head=""))
    notes = res.summary["notes"].iloc[0]
    assert "owner guessed as the address present in most events" in notes
    res = _load(_calendar(event, head=""), me=["Jordan", "jordan@example.com"])
    assert "given with me=" in res.summary["notes"].iloc[0]
    assert res.events["contact"].tolist() == ["Dana W"]


def test_declined_contacts_and_hourly_rules_are_rejected():
    declined = _event("d", ":20240101T100000Z").replace(
        "ATTENDEE;CN=Dana W:", "ATTENDEE;CN=Dana W;PARTSTAT=DECLINED:"
    )
    hourly = _event("h", ":20240101T100000Z", "RRULE:FREQ=HOURLY\r\n")
    res = _load(_calendar(declined, hourly))
    assert res.rejected["reason"].tolist() == [
        "every other attendee declined",
        "recurs more often than daily (FREQ=HOURLY): not a meeting with a contact",
    ]


def test_unreadable_rule_and_start_are_rejected_not_raised():
    res = _load(
        _calendar(
            _event("a", ":20240101T100000Z", "RRULE:FREQ=BOGUS\r\n"),
            _event("b", ":not-a-date"),
            _event("c", ":20240102T100000Z"),
        )
    )
    reasons = res.rejected.set_index("source_row")["reason"].to_dict()
    assert reasons[1].startswith("unreadable recurrence")
    assert reasons[2] == "missing or unreadable DTSTART"
    assert res.events["source_row"].tolist() == [3]


def test_duplicate_uid_reads_the_first_only():
    data = _calendar(_event("x", ":20240101T100000Z"), _event("x", ":20240102T100000Z"))
    res = _load(data)
    assert res.events["timestamp"].dt.strftime("%m-%d").tolist() == ["01-01"]
    assert res.rejected["reason"].iloc[0].startswith("another event in the file has the same UID")


def test_not_a_calendar_raises_an_input_error():
    with pytest.raises(InputError, match="not a readable iCalendar file"):
        _load(b"BEGIN:VCALENDAR\r\ngarbage\r\n")


def test_pseudonymized_attendees_match_their_contact_email():
    res = na.load(FIXTURE, pseudonymize=True, salt="a-secret-salt")
    ev = res.events
    assert ev["contact_email"].str.startswith("email-").all()
    for email, attendees in zip(ev["contact_email"], ev["attendees"], strict=True):
        assert email in attendees.split(";")
    assert not ev.astype(str).apply(lambda c: c.str.contains("@")).any().any()


_LINES = st.sampled_from(
    [
        "BEGIN:VEVENT", "END:VEVENT", "UID:x", "UID:y", "DTSTART:20240101T100000Z",
        "DTSTART;TZID=Nowhere/Zone:20240101T100000", "DTSTART;VALUE=DATE:20240102",
        "DTSTART:garbage", "RRULE:FREQ=DAILY;COUNT=3", "RRULE:FREQ=WEEKLY", "RRULE:FREQ=",
        "EXDATE:20240102T100000Z", "RECURRENCE-ID:20240102T100000Z", "STATUS:CANCELLED",
        "ATTENDEE;CN=A B:mailto:a@b.example", "ATTENDEE;PARTSTAT=DECLINED:mailto:c@d.example",
        "ORGANIZER:mailto:me@x.example", "ATTENDEE:mailto:me@x.example", "LOCATION:Zoom",
        "DTSTAMP:20240301T000000Z", " folded continuation", "X-WR-TIMEZONE:Europe/Paris",
        "BEGIN:VTIMEZONE", "END:VTIMEZONE", "TZID:Custom", "BEGIN:STANDARD", "END:STANDARD",
    ]
)  # fmt: skip


def _check(data: bytes) -> None:
    try:
        res = _load(data, kind="ics")
    except NetAnalysisError:
        return
    s = res.summary
    assert (s["rows_read"] == s["rows_kept"] + s["rows_rejected"]).all()


@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(data):
    _check(data)
    _check(b"BEGIN:VCALENDAR\r\n" + data + b"\r\nEND:VCALENDAR\r\n")


@given(st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=25))
def test_fuzz_line_soup(lines):
    text = "\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR"])
    _check(text.encode("utf-8", "surrogatepass"))
