"""Time na.load on a synthetic LinkedIn export (zip) and on tracker exports; print figures.

Run: .venv/bin/python benchmarks/linkedin_export.py [n_conversations]

The export is generated in a temporary folder with invented people: n_conversations
conversations of 4 messages (about half answered), as many invitations, and 4x as many
connections. Nothing is asserted; the figures go in the report.
"""

from __future__ import annotations

import csv
import io
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import netanalysis as na

HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "ATTACHMENTS",
    "IS MESSAGE DRAFT",
    "IS CONVERSATION DRAFT",
]
ME = "https://www.linkedin.com/in/me"


def rows_to_csv(header, rows, preamble=""):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (preamble + buffer.getvalue()).encode()


def make_export(n: int, folder: Path) -> Path:
    messages, invitations, connections = [], [], []
    for i in range(n):
        url = f"https://www.linkedin.com/in/person-{i}"
        name = f"Person {i}"
        day = 1 + i % 28
        invitations.append(
            [
                "Me",
                name,
                f"2/{day}/26, 9:{i % 60:02d} AM",
                "Hello" if i % 2 else "",
                "OUTGOING",
                ME,
                url,
            ]
        )
        for k in range(4 if i % 2 else 1):
            mine = k % 2 == 0
            messages.append(
                [
                    f"conv-{i}",
                    "",
                    "Me" if mine else name,
                    ME if mine else url,
                    name if mine else "Me",
                    url if mine else ME,
                    f"2026-03-{day:02d} {10 + k}:00:00 UTC",
                    "",
                    "<p>Some text, with commas\nand lines</p>" * 3,
                    "INBOX",
                    "",
                    "No",
                    "No",
                ]
            )
    for i in range(4 * n):
        connections.append(
            [
                f"First{i}",
                f"Last{i}",
                f"https://www.linkedin.com/in/person-{i}",
                "",
                "Company",
                "Role",
                "05 Mar 2026",
            ]
        )
    path = folder / "Basic_LinkedInDataExport_03-12-2026.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("messages.csv", rows_to_csv(HEADER, messages))
        zf.writestr(
            "Invitations.csv",
            rows_to_csv(
                [
                    "From",
                    "To",
                    "Sent At",
                    "Message",
                    "Direction",
                    "inviterProfileUrl",
                    "inviteeProfileUrl",
                ],
                invitations,
            ),
        )
        zf.writestr(
            "Connections.csv",
            rows_to_csv(
                [
                    "First Name",
                    "Last Name",
                    "URL",
                    "Email Address",
                    "Company",
                    "Position",
                    "Connected On",
                ],
                connections,
                preamble='Notes:\n"x"\n\n',
            ),
        )
    return path


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        path = make_export(n, Path(tmp))
        size = path.stat().st_size
        start = time.perf_counter()
        cpu = time.process_time()
        res = na.load(path)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        rows = int(res.summary["rows_read"].sum())
        print(
            f"LinkedIn zip: {size / 1e6:.1f} MB, {rows:,} rows, {len(res.events):,} events, "
            f"{res.events['lead'].nunique():,} leads: {seconds:.2f} s, "
            f"{rows / seconds:,.0f} rows/s ({cpu:.2f} s CPU), peak RSS {peak / 1e6:.0f} MB"
        )


if __name__ == "__main__":
    main()
