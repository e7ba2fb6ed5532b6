"""Pseudonyms, scrubbed rejected rows, and the personal fields a frame holds."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import mailbox
import re
from email.header import decode_header, make_header
from email.utils import getaddresses
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.io.privacy import (
    check_privacy_options,
    describe_personal_fields,
    personal_fields,
    pseudonym,
    pseudonymize,
    scrub_raw,
)

SALT = "keep-this-secret"
FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_pseudonym_is_hmac_sha256_of_the_folded_value():
    """Reference: hmac.new(salt, casefolded value, sha256), first 12 hex digits."""
    expected = hmac.new(SALT.encode(), b"jane doe", hashlib.sha256).hexdigest()[:12]
    assert pseudonym("  Jane   DOE ", salt=SALT) == f"contact-{expected}"
    assert pseudonym("Jane Doe", salt=SALT, prefix="email") == f"email-{expected}"
    assert pseudonym("Jane Doe", salt="another-secret") != f"contact-{expected}"
    assert pseudonym("A1", salt=SALT, exact=True) != pseudonym("a1", salt=SALT, exact=True)


def test_pseudonymize_columns_and_missing_values():
    frame = pd.DataFrame(
        {
            "lead": ["L1", "L1", "l1"],
            "contact": ["Ada Byron", "ada byron", None],
            "contact_email": ["ada@example.org", None, "ADA@example.org"],
            "company": ["Acme", "Acme", "Acme"],
        }
    )
    out = pseudonymize(frame, salt=SALT)
    assert out["lead"].iloc[0] == out["lead"].iloc[1] != out["lead"].iloc[2]  # lead keeps case
    assert out["contact"].iloc[0] == out["contact"].iloc[1]
    assert pd.isna(out["contact"].iloc[2])
    assert out["contact_email"].iloc[0] == out["contact_email"].iloc[2]
    assert out["contact_email"].iloc[0].startswith("email-")
    assert out["company"].tolist() == ["Acme"] * 3  # not personal: kept
    assert frame["contact"].iloc[0] == "Ada Byron"  # input untouched
    assert personal_fields(out) == []


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"pseudonymize": True}, "needs salt="),
        ({"pseudonymize": True, "salt": "short"}, "at least 8"),
        ({"pseudonymize": True, "salt": 12345678}, "must be a str"),
        ({"pseudonymize": "yes", "salt": SALT}, "True or False"),
    ],
)
def test_privacy_options_are_checked(options, match):
    with pytest.raises(ParameterError, match=match):
        check_privacy_options(options)


def test_no_pseudonyms_without_asking():
    assert check_privacy_options({"salt": SALT}) is None
    assert check_privacy_options({"pseudonymize": True, "salt": SALT}) == SALT.encode()


def test_personal_fields_by_name_and_by_content():
    frame = pd.DataFrame(
        {
            "contact": ["Ada", None],
            "note": ["wrote to ada@example.org", None],
            "link": ["https://www.linkedin.com/in/ada", None],
            "company": ["Acme", "Initech"],
            "n": [1, 2],
        }
    )
    found = {f.column: (f.holds, f.values) for f in personal_fields(frame)}
    assert found == {
        "contact": ("names of people or organisations", 1),
        "note": ("email addresses", 1),
        "link": ("profile URLs", 1),
    }
    assert "pseudonymize=True" in describe_personal_fields(frame)
    assert describe_personal_fields(frame[["company", "n"]]) is None


def test_scrub_raw_removes_text_and_hashes_people():
    raw = {
        "FROM": "Ada Byron",
        "CONTENT": "my secret plans",
        "DATE": "2024-01-01",
        "Company Name": "Acme",
        "Message": "note text",
        "SENDER PROFILE URL": "x",
    }
    plain = json.loads(scrub_raw(raw, salt=None))
    assert plain["CONTENT"] == plain["Message"] == "<removed>"
    assert plain["FROM"] == "Ada Byron"  # without a salt, only text is removed
    hashed = json.loads(scrub_raw(json.dumps(raw), salt=SALT))
    assert hashed["FROM"] == pseudonym("Ada Byron", salt=SALT)
    assert hashed["SENDER PROFILE URL"].startswith("contact-")
    assert hashed["Company Name"] == "Acme"
    assert hashed["DATE"] == "2024-01-01"
    assert scrub_raw("not json", salt=SALT) == "<removed: not structured>"
    assert scrub_raw(None, salt=SALT) is None


def test_load_option_on_a_tracker():
    res = na.load(FIXTURES / "trackers" / "huntr_jobs.csv", pseudonymize=True, salt=SALT)
    assert res.events["lead"].str.match(r"^lead-[0-9a-f]{12}$").all()
    assert "pseudonyms" in res.summary["notes"].iloc[0]
    plain = na.load(FIXTURES / "trackers" / "huntr_jobs.csv")
    pd.testing.assert_frame_equal(
        na.funnel(res.events, by="channel"), na.funnel(plain.events, by="channel")
    )


def test_load_option_on_linkedin_hashes_rejected_rows_too():
    res = na.load(
        FIXTURES / "linkedin" / "single" / "Invitations_bom_crlf.csv", pseudonymize=True, salt=SALT
    )
    raw = json.loads(res.rejected["raw"].iloc[0])
    assert raw["From"] == pseudonym("Alex Rivera", salt=SALT)
    assert raw["Direction"] == "SIDEWAYS"
    assert res.events["contact"].str.startswith("contact-").all()


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=30))
def test_pseudonyms_are_stable_and_distinct(values):
    frame = pd.DataFrame({"contact": values})
    first = pseudonymize(frame, salt=SALT)["contact"]
    second = pseudonymize(frame.iloc[::-1], salt=SALT)["contact"].iloc[::-1]
    assert first.tolist() == second.tolist()  # independent of row order
    canonical = [" ".join(v.split()).casefold() for v in values]
    by_value = dict(zip(canonical, first, strict=True))
    assert len(set(by_value.values())) == len(by_value)  # no collisions in small sets
    assert first.str.fullmatch(r"contact-[0-9a-f]{12}").all()


@given(
    st.dictionaries(
        st.sampled_from(["CONTENT", "Message", "body", "FROM", "To", "x"]),
        st.text(min_size=5, max_size=30),
        min_size=1,
    )
)
def test_scrub_raw_never_keeps_message_text(record):
    out = json.loads(scrub_raw(record, salt=SALT))
    for key in ("CONTENT", "Message", "body"):
        if key in record:
            assert out[key] == "<removed>"
    for key in ("FROM", "To"):
        if key in record:
            assert out[key] == pseudonym(record[key], salt=SALT)


# --- after linking: every personal column the loaders and na.link write ----------------

STORY = FIXTURES / "story"
STORY_SOURCES = [STORY / "linkedin", STORY / "tracker.csv", STORY / "mail.mbox", STORY / "calendar.ics"]  # fmt: skip
ME = ["Jordan Reyes", "jordan.reyes@example.com"]
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PROFILE_URL = re.compile(r"https?://(?:www\.)?linkedin\.com/in/[\w%-]+")


def _csv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "," in line and not line.startswith(('"', "Notes")))  # fmt: skip
    return list(csv.DictReader(io.StringIO("".join(lines[start:]))))


def story_personal_values() -> set[str]:
    """Every personal value of the story fixture, read from the files (not from what
    netanalysis loaded): people's names (and last names), email addresses, profile URLs
    and their slugs, the phone number, the resume file name and message text."""
    names: set[str] = set()
    out: set[str] = set()
    linkedin = STORY / "linkedin"
    for row in _csv(linkedin / "Connections.csv"):
        names.add(f"{row['First Name']} {row['Last Name']}")
    for row in _csv(linkedin / "Invitations.csv"):
        names.update((row["From"], row["To"]))
        out.add(row["Message"])
    for row in _csv(linkedin / "messages.csv"):
        names.update((row["FROM"], row["TO"]))
        out.add(row["CONTENT"])
    for row in _csv(linkedin / "Jobs" / "Job Applications.csv"):
        out.update((row["Contact Phone Number"], row["Resume Name"], row["Question And Answers"]))
    box = mailbox.mbox(str(STORY / "mail.mbox"), create=False)
    try:
        for message in box:
            for header in ("From", "To"):
                decoded = [str(make_header(decode_header(str(v)))) for v in message.get_all(header)]
                names.update(name for name, _ in getaddresses(decoded))
    finally:
        box.close()
    calendar = (STORY / "calendar.ics").read_text(encoding="utf-8").replace("\n ", "")
    names.update(re.findall(r"CN=([^;:]+)", calendar))
    texts = [calendar] + [p.read_text(encoding="utf-8-sig") for p in STORY.rglob("*") if p.suffix in (".csv", ".mbox")]  # fmt: skip
    for text in texts:
        out.update(_ADDRESS.findall(text))
        for url in _PROFILE_URL.findall(text):
            out.update((url, url.rsplit("/", 1)[1]))
    names = {n.strip() for n in names if n and n.strip()}
    out.update(names)
    out.update(n.split()[-1] for n in names if len(n.split()[-1]) >= 4)
    return {v for v in out if v and len(v) >= 4}


def _leaks(frame: pd.DataFrame, values: set[str]) -> dict[str, list[str]]:
    """Column -> the personal values found in it (case-insensitive substring)."""
    found = {}
    for column in frame.columns:
        text = "\n".join(frame[column].map(str)).casefold()
        hits = sorted(v for v in values if v.casefold() in text)
        if hits:
            found[str(column)] = hits
    return found


@pytest.fixture(scope="module")
def story_linked() -> na.io.link.LinkResult:
    return na.link(na.load(STORY_SOURCES, me=ME), window_days=30)


def test_story_values_are_found_before_pseudonyms(story_linked):
    """The search can fail: before pseudonyms, the linked events hold the people."""
    values = story_personal_values()
    assert {"Dana Whitfield", "Renée Fournier", "Whitfield", "dana-whitfield-nwa", "+1 555 0142",
            "renee@talentbridge-recruiting.com", "https://www.linkedin.com/in/marcus-lee-vet",
            "jordan.reyes@example.com", "Jordan_Reyes_Resume.pdf"} <= values  # fmt: skip
    leaks = _leaks(story_linked.events, values)
    # The columns loaders write, and the three that linking adds.
    assert {"contact", "contact_email", "contact_url", "attendees", "lead", "lead_before_link",
            "linked_from"} <= set(leaks)  # fmt: skip
    assert {f.column for f in personal_fields(story_linked.events)} >= {
        "contact", "contact_email", "contact_url", "attendees", "lead", "lead_before_link",
        "linked_from", "contact_id",
    }  # fmt: skip


def test_pseudonymize_after_linking_leaves_no_personal_value(story_linked):
    values = story_personal_values()
    shared = pseudonymize(story_linked.events, salt=SALT)
    assert _leaks(shared, values) == {}
    assert personal_fields(shared) == []
    for attribution in ("first", "last"):
        pd.testing.assert_frame_equal(
            na.funnel(shared, attribution=attribution),
            na.funnel(story_linked.events, attribution=attribution),
        )
    # One pseudonym per id, whichever column holds it: a touch's linked_from is its
    # networking lead's lead, an attendee's address is the contact_email's pseudonym.
    touches = shared[shared["linked_from"].notna()]
    assert set(touches["linked_from"]) <= set(shared["lead"])
    meetings = shared[shared["attendees"].notna()]
    for email, attendees in zip(meetings["contact_email"], meetings["attendees"], strict=True):
        assert email in attendees.split(";")
    assert shared["contact_id"].nunique() == story_linked.events["contact_id"].nunique()


def test_link_result_pseudonymize_covers_links_and_contacts(story_linked):
    values = story_personal_values()
    shared = story_linked.pseudonymize(salt=SALT)
    for name in ("events", "links", "contacts"):
        assert _leaks(getattr(shared, name), values) == {}, name
    assert personal_fields(shared.links) == []
    assert personal_fields(shared.contacts.drop(columns="first_seen")) == []
    links, before = shared.links, story_linked.links
    assert links["kind"].tolist() == before["kind"].tolist()
    assert set(links["lead"]) | set(links["other_lead"].dropna()) <= set(shared.events["lead_before_link"].dropna()) | set(shared.events["lead"])  # fmt: skip
    same = links[links["kind"] == "same_contact"]
    assert set(same["key"].str.split("-").str[0]) == {"email", "key"}
    assert sorted(shared.contacts["leads"]) == sorted(story_linked.contacts["leads"])
    pd.testing.assert_frame_equal(
        na.funnel(shared.events, attribution="first"),
        na.funnel(story_linked.events, attribution="first"),
    )


def test_contact_ids_are_not_made_from_personal_values():
    """Renaming every person changes no contact id: ids are numbers, not hashes of names."""

    def events(names: dict[str, str]) -> pd.DataFrame:
        rows = [
            ("m1", "cold_email", "2024-03-01", "Dana Whitfield", "dana@acme.example"),
            ("m2", "cold_email", "2024-03-02", "Sam Okafor", "sam@acme.example"),
            ("m3", "cold_email", "2024-03-05", "Dana Whitfield", "dana@acme.example"),
        ]
        return pd.DataFrame(
            {
                "lead": [r[0] for r in rows],
                "channel": [r[1] for r in rows],
                "stage": "contacted",
                "timestamp": pd.to_datetime([r[2] for r in rows], utc=True),
                "contact": [names.get(r[3], r[3]) for r in rows],
                "contact_email": [names.get(r[4], r[4]) for r in rows],
            }
        )

    plain = na.link(events({})).events
    renamed = na.link(
        events({"Dana Whitfield": "Ada Byron", "dana@acme.example": "ada@initech.example"})
    ).events
    assert plain["contact_id"].tolist() == renamed["contact_id"].tolist()
    assert sorted(set(plain["contact_id"])) == ["contact-1", "contact-2"]  # first seen first


def test_the_registry_covers_what_link_adds():
    from netanalysis.io.link import ADDED_COLUMNS, PERSONAL_ADDED_COLUMNS
    from netanalysis.io.privacy import DEFAULT_COLUMNS, PERSONAL_COLUMNS

    not_personal = {"lead_kind", "channel_before_link", "company_before_link"}
    assert set(PERSONAL_ADDED_COLUMNS) == set(ADDED_COLUMNS) - not_personal
    assert set(PERSONAL_ADDED_COLUMNS) <= set(PERSONAL_COLUMNS) == set(DEFAULT_COLUMNS)
    assert {"attendees", "contact_email", "contact_url", "contact"} <= set(PERSONAL_COLUMNS)


def test_counts_are_not_pseudonymised():
    frame = pd.DataFrame({"participants": pd.array([3, None], dtype="Int64"), "contact": ["A b", None]})  # fmt: skip
    out = pseudonymize(frame, salt=SALT)
    assert out["participants"].tolist() == [3, pd.NA]
    assert personal_fields(out) == []
