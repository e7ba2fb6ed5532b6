"""Time na.load on a synthetic mbox and .ics, and na.link on their events; print figures.

Run: .venv/bin/python benchmarks/email_calendar_link.py [n_threads]

The mailbox and calendar are generated in a temporary folder with invented people:
n_threads email threads of 3 messages (the owner writes, about half get a reply, then a
follow-up), plus one automated message per 10 threads; n_threads // 5 calendar events with
a contact, a third of them weekly series of 6. ``na.link`` then runs on the combined events
plus one application per 4 threads at the contacts' companies, and on ``na.simulate``
logs. Nothing is asserted; the figures go in the report.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import netanalysis as na

BODY = "Hello,\n\n" + "This is the body of the message, never read by netanalysis.\n" * 20


def mbox(n_threads: int) -> bytes:
    parts = []
    day = pd.Timestamp("2024-01-01", tz="UTC")
    for t in range(n_threads):
        when = day + pd.Timedelta(minutes=37 * t)
        person = f"person{t % 997}@company{t % 251}.example"
        messages = [("out", when), ("in", when + pd.Timedelta(hours=20))]
        messages.append(("out", when + pd.Timedelta(hours=30)))
        if t % 2:
            messages.pop(1)
        for m, (side, at) in enumerate(messages):
            sender, to = (
                ("Jordan Reyes <jordan@example.com>", f"P {t} <{person}>")
                if side == "out"
                else (f"P {t} <{person}>", "jordan@example.com")
            )
            parts.append(
                f"From {t}{m}@xxx {at:%a %b %d %H:%M:%S +0000 %Y}\n"
                f"X-GM-THRID: {1790000000000000000 + t}\n"
                f"X-Gmail-Labels: {'Sent' if side == 'out' else 'Inbox'}\n"
                f"Message-ID: <m{t}.{m}@example.com>\n"
                f"Date: {at:%a, %d %b %Y %H:%M:%S +0000}\nFrom: {sender}\nTo: {to}\n"
                f"Subject: {'Re: ' if m else ''}Thread {t}\n\n{BODY}\n"
            )
        if t % 10 == 0:
            parts.append(
                f"From a{t}@xxx {when:%a %b %d %H:%M:%S +0000 %Y}\nX-Gmail-Labels: Inbox\n"
                f"Message-ID: <alert{t}@jobs.example>\nDate: {when:%a, %d %b %Y %H:%M:%S +0000}\n"
                "From: Alerts <noreply@jobs.example>\nTo: jordan@example.com\n"
                f"Subject: New jobs\nList-Unsubscribe: <https://jobs.example/u>\n\n{BODY}\n"
            )
    return "".join(parts).encode()


def ics(n_events: int) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "X-WR-CALNAME:jordan@example.com"]
    day = pd.Timestamp("2024-01-01", tz="UTC")
    for e in range(n_events):
        at = day + pd.Timedelta(hours=13 * e)
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{e}@example.com",
            f"DTSTART:{at:%Y%m%dT%H%M%SZ}",
            "DTSTAMP:20250101T000000Z",
            "LOCATION:Coffee shop",
            f"ATTENDEE;CN=P {e}:mailto:person{e % 997}@company{e % 251}.example",
            "ATTENDEE:mailto:jordan@example.com",
        ]
        if e % 3 == 0:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=6")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def timed(label: str, func):
    start = time.perf_counter()
    out = func()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return out


def main(n_threads: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        mail = Path(folder) / "mail.mbox"
        cal = Path(folder) / "calendar.ics"
        mail.write_bytes(mbox(n_threads))
        cal.write_bytes(ics(n_threads // 5))
        print(f"mbox: {mail.stat().st_size / 1e6:.1f} MB; ics: {cal.stat().st_size / 1e6:.2f} MB")
        res_mail = timed("na.load(mbox)", lambda: na.load(mail))
        s = res_mail.summary.iloc[0]
        print(f"  {s['rows_read']:,} messages, {s['rows_rejected']:,} rejected, "
              f"{s['events']:,} events")  # fmt: skip
        res_cal = timed("na.load(ics)", lambda: na.load(cal))
        s = res_cal.summary.iloc[0]
        print(f"  {s['rows_read']:,} VEVENTs, {s['events']:,} meetings")
    apps = pd.DataFrame(
        {
            "lead": [f"app{i}" for i in range(n_threads // 4)],
            "company": [f"Company{i % 251}" for i in range(n_threads // 4)],
            "channel": "Indeed",
            "stage": "applied",
            "timestamp": [
                pd.Timestamp("2024-01-10", tz="UTC") + pd.Timedelta(hours=9 * i)
                for i in range(n_threads // 4)
            ],
        }
    )
    events = na.load([res_mail.events, res_cal.events, apps]).events
    linked = timed(f"na.link({len(events):,} events)", lambda: na.link(events))
    print(f"  {linked.links['kind'].value_counts().to_dict()}")
    for n in (20_000, 100_000):
        sim = na.simulate(n_leads=n, seed=1).events
        timed(f"na.link(simulate {n:,} leads, {len(sim):,} events)", lambda s=sim: na.link(s))
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
