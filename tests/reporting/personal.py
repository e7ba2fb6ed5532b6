"""Personal values of the fixture files: what a report must never show by default."""

from __future__ import annotations

import csv
import io
import mailbox
import re
from email.header import decode_header, make_header
from email.utils import getaddresses
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample_seeker"
LINKEDIN = ROOT / "tests" / "fixtures" / "linkedin" / "export_2026"
MBOX = ROOT / "tests" / "fixtures" / "mbox" / "takeout.mbox"
STORY = ROOT / "tests" / "fixtures" / "story"
STORY_SOURCES = [STORY / "linkedin", STORY / "tracker.csv", STORY / "mail.mbox", STORY / "calendar.ics"]  # fmt: skip
#: The owner of the story's exports (the me= option): the seeker's own name and address.
STORY_ME = ["Jordan Reyes", "jordan.reyes@example.com"]

_TAGS = re.compile(r"<[^>]+>")
#: Shorter values are not searched for (they match ordinary words).
MIN_LENGTH = 5


def _add(out: set[str], value: object) -> None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return
    text = " ".join(str(value).split())
    if len(text) >= MIN_LENGTH:
        out.add(text)
    plain = " ".join(_TAGS.sub(" ", str(value)).split())
    if plain != text and len(plain) >= MIN_LENGTH:
        out.add(plain)


def sample_values() -> set[str]:
    """Contact names and free-text notes of the bundled sample."""
    out: set[str] = set()
    log = pd.read_csv(SAMPLE / "networking_log.csv")
    for column in ("Contact", "Notes"):
        for value in log[column].dropna().unique():
            _add(out, value)
    sheet = pd.read_excel(SAMPLE / "tracker.xlsx")
    for column in ("Contact", "Notes"):
        for value in sheet[column].dropna().unique():
            _add(out, value)
    return out


def _csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)
    start = next(
        i for i, line in enumerate(lines) if "," in line and not line.startswith(('"', "Notes"))
    )
    return list(csv.DictReader(io.StringIO("".join(lines[start:]))))


def linkedin_values() -> set[str]:
    """Names, profile URLs, emails, phone numbers and message text of the LinkedIn export."""
    out: set[str] = set()
    for row in _csv_rows(LINKEDIN / "Connections.csv"):
        _add(out, f"{row.get('First Name', '')} {row.get('Last Name', '')}".strip())
        _add(out, row.get("URL"))
        _add(out, row.get("Email Address"))
    for row in _csv_rows(LINKEDIN / "Invitations.csv"):
        for key in ("From", "To", "Message", "inviterProfileUrl", "inviteeProfileUrl"):
            _add(out, row.get(key))
    for row in _csv_rows(LINKEDIN / "messages.csv"):
        for key in ("CONVERSATION TITLE", "FROM", "TO", "SENDER PROFILE URL", "SUBJECT", "CONTENT"):
            _add(out, row.get(key))
        for url in (row.get("RECIPIENT PROFILE URLS") or "").split(","):
            _add(out, url.strip())
    for row in _csv_rows(LINKEDIN / "Jobs" / "Job Applications.csv"):
        for key in ("Contact Email", "Contact Phone Number", "Question And Answers"):
            _add(out, row.get(key))
    return out


def mbox_values() -> set[str]:
    """Names, addresses, subjects and bodies of the mbox fixture."""
    out: set[str] = set()
    box = mailbox.mbox(str(MBOX), create=False)
    try:
        messages = list(box)
    finally:
        box.close()
    for message in messages:
        for header in ("From", "To", "Cc", "Reply-To"):
            raw = message.get_all(header) or []
            decoded = [str(make_header(decode_header(str(v)))) for v in raw]
            for name, address in getaddresses(decoded):
                _add(out, name)
                _add(out, address)
        subject = message.get("Subject")
        if subject:
            _add(out, str(make_header(decode_header(str(subject)))))
        payload = message.get_payload(decode=True) if not message.is_multipart() else None
        if payload:
            for line in payload.decode("utf-8", "replace").splitlines():
                _add(out, line)
    return out


def story_values() -> set[str]:
    """Names, addresses, profile URLs, the phone number, message text and meeting titles
    of the story fixture (LinkedIn export, mbox and calendar of one invented seeker)."""
    out: set[str] = set()
    linkedin = STORY / "linkedin"
    for row in _csv_rows(linkedin / "Connections.csv"):
        _add(out, f"{row['First Name']} {row['Last Name']}")
        _add(out, row["URL"])
    for row in _csv_rows(linkedin / "Invitations.csv"):
        for key in ("From", "To", "Message", "inviterProfileUrl", "inviteeProfileUrl"):
            _add(out, row.get(key))
    for row in _csv_rows(linkedin / "messages.csv"):
        for key in ("FROM", "TO", "SENDER PROFILE URL", "RECIPIENT PROFILE URLS", "CONTENT"):
            _add(out, row.get(key))
    for row in _csv_rows(linkedin / "Jobs" / "Job Applications.csv"):
        for key in ("Contact Email", "Contact Phone Number", "Resume Name", "Question And Answers"):
            _add(out, row.get(key))
    calendar = (STORY / "calendar.ics").read_text(encoding="utf-8").replace("\n ", "")
    for pattern in (r"CN=([^;:]+)", r"mailto:([^\s]+)", r"SUMMARY:(.+)"):
        for value in re.findall(pattern, calendar):
            _add(out, value)
    box = mailbox.mbox(str(STORY / "mail.mbox"), create=False)
    try:
        for message in box:
            for header in ("From", "To"):
                decoded = [str(make_header(decode_header(str(v)))) for v in message.get_all(header)]
                for name, address in getaddresses(decoded):
                    _add(out, name)
                    _add(out, address)
            _add(out, str(make_header(decode_header(str(message["Subject"])))))
    finally:
        box.close()
    return out


def found_in(html: str, values: set[str]) -> list[str]:
    """The values that appear in the report (as written, HTML-escaped or JSON-escaped)."""
    import html as html_module
    import json

    hits = []
    for value in sorted(values):
        forms = {value, html_module.escape(value), json.dumps(value, ensure_ascii=True)[1:-1]}
        if any(form in html for form in forms):
            hits.append(value)
    return hits
