"""Generate netanalysis's bundled synthetic datasets with fixed seeds.

Run from the repository root::

    .venv/bin/python data/make_data.py            # rewrite data/ in place
    .venv/bin/python data/make_data.py --out DIR  # write a copy elsewhere (tests do this)

It writes

* ``sample_seeker/tracker.xlsx`` and ``sample_seeker/networking_log.csv``: one veteran's
  six-month search, drawn with :func:`netanalysis.simulate.simulate` and written the way
  people keep it (a wide application tracker plus a long networking log);
* ``sample_cohort/events.parquet``: a transition programme of 150 seekers, one
  :func:`~netanalysis.simulate.simulate` call per seeker with the seeker's own rates
  (seniority shift + personal effect), channel shares that depend on seniority, and a
  constructed Simpson's paradox (LinkedIn vs the veterans' network);
* ``truth/``: what the generator knows and the data can only estimate;
* the generated tables of ``README.md`` (between ``<!-- generated:NAME -->`` markers);
* ``story/`` and ``linkedin_example/``: example exports of invented people, copied byte
  for byte from the hand-written test fixtures (``tests/fixtures/story/`` and
  ``tests/fixtures/linkedin/export_2026/``), which stay the source of truth: edit the
  fixture, then rerun this script (``tests/test_datasets.py`` fails while they differ).

The published tables (``published/``) are typed in by hand, not generated here.
Everything is deterministic: the same netanalysis version gives byte-identical CSV and
JSON files and identical XLSX/Parquet contents.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from netanalysis.funnel import funnel
from netanalysis.simulate import DEFAULT_RATES, simulate

HERE = Path(__file__).resolve().parent
#: The hand-written example exports (test fixtures of a source checkout) -> their name in
#: the bundled data. Copied verbatim: they are inputs of notebook 4, not generated.
EXAMPLES: dict[str, Path] = {
    "story": HERE.parent / "tests" / "fixtures" / "story",
    "linkedin_example": HERE.parent / "tests" / "fixtures" / "linkedin" / "export_2026",
}

# ---------------------------------------------------------------------------------------
# Settings (changing any of these changes the data: regenerate and update the README)
# ---------------------------------------------------------------------------------------

SEEKER_SEED = 20240108
SEEKER_LEADS = 300
SEEKER_START = "2024-01-08"
SEEKER_DAYS = 175  # as_of = 2024-07-01
#: Channels whose leads are applications, kept in the tracker sheet; the others are
#: threads with one contact each, kept in the networking log.
TRACKER_CHANNELS = ("job_board", "referral")

COHORT_SEED = 20240401
COHORT_SEEKERS = 150
COHORT_MEAN_LEADS = 50
COHORT_DAYS = 120
COHORT_AS_OF = "2024-11-01"
COHORT_SEEKER_SD = 0.6
#: Cohort rates: the simulate defaults, except that LinkedIn outreach beats the veterans'
#: network (industry_group) for every seeker, which pooled data hides (Simpson's paradox).
COHORT_RATES: dict[str, tuple[float, float, float]] = {
    **DEFAULT_RATES,
    "linkedin": (0.40, 0.35, 0.25),
    "industry_group": (0.32, 0.32, 0.30),
}
#: seniority -> (share of seekers, shift of every step's log-odds).
SENIORITY: dict[str, tuple[float, float]] = {
    "junior": (0.40, -0.8),
    "mid": (0.35, 0.0),
    "senior": (0.25, 0.8),
}
#: seniority -> share of leads per channel: juniors favour LinkedIn, seniors the
#: veterans' network.
COHORT_SHARES: dict[str, dict[str, float]] = {
    "junior": {
        "job_board": 0.50,
        "linkedin": 0.22,
        "social_media": 0.07,
        "industry_group": 0.03,
        "in_person": 0.06,
        "referral": 0.03,
        "recruiter": 0.04,
        "cold_email": 0.05,
    },
    "mid": {
        "job_board": 0.42,
        "linkedin": 0.14,
        "social_media": 0.05,
        "industry_group": 0.12,
        "in_person": 0.08,
        "referral": 0.06,
        "recruiter": 0.06,
        "cold_email": 0.07,
    },
    "senior": {
        "job_board": 0.25,
        "linkedin": 0.06,
        "social_media": 0.02,
        "industry_group": 0.30,
        "in_person": 0.10,
        "referral": 0.12,
        "recruiter": 0.10,
        "cold_email": 0.05,
    },
}
BRANCHES: dict[str, float] = {
    "Army": 0.45,
    "Navy": 0.20,
    "Air Force": 0.17,
    "Marine Corps": 0.13,
    "Coast Guard": 0.05,
}
WAVES: dict[str, str] = {"2024-1": "2024-01-08", "2024-2": "2024-04-01", "2024-3": "2024-07-01"}
SIMPSON_PAIR = ("linkedin", "industry_group")

# ---------------------------------------------------------------------------------------
# Labels as people write them (every one maps with netanalysis.schema's default aliases)
# ---------------------------------------------------------------------------------------

SOURCE_LABELS: dict[str, tuple[str, ...]] = {
    "job_board": (
        "Indeed",
        "Indeed",
        "LinkedIn Easy Apply",
        "Company website",
        "USAJobs",
        "ZipRecruiter",
        "Glassdoor",
        "Dice",
    ),
    "referral": ("Referral", "Employee referral", "Warm intro"),
}
CHANNEL_LABELS: dict[str, tuple[str, ...]] = {
    "linkedin": ("LinkedIn", "LinkedIn", "LinkedIn message", "InMail"),
    "social_media": ("Facebook group", "Reddit", "Instagram"),
    "industry_group": (
        "Veterans network",
        "Veterans network",
        "Hire Heroes",
        "Alumni network",
        "Slack community",
        "Professional association",
    ),
    "in_person": ("Career fair", "Coffee chat", "Meetup", "Conference", "Hiring event"),
    "recruiter": ("Recruiter", "Agency", "Headhunter"),
    "cold_email": ("Cold email", "Email"),
}
FIRST_ACTION: dict[str, tuple[str, ...]] = {
    "linkedin": ("Messaged", "Connection request"),
    "social_media": ("Messaged",),
    "industry_group": ("Messaged", "Reached out"),
    "in_person": ("Contact made", "Reached out"),
    "recruiter": ("Messaged",),
    "cold_email": ("Emailed",),
}
ROLES = (
    "Operations Manager",
    "Logistics Analyst",
    "Program Manager",
    "Project Coordinator",
    "Supply Chain Analyst",
    "Security Specialist",
    "IT Support Specialist",
    "Data Analyst",
    "Training Coordinator",
    "Field Service Technician",
)
TRACKER_COLUMNS = (
    "Company",
    "Role",
    "Source",
    "Contact",
    "Applied Date",
    "Response Date",
    "Interview Date",
    "Offer Date",
    "Status",
    "Last Updated",
    "Link",
    "Notes",
)
LOG_COLUMNS = ("Date", "Lead ID", "Contact", "Company", "Channel", "Action", "Notes")

_FIXED_ZIP_TIME = (2024, 7, 1, 0, 0, 0)
_FIXED_DOC_TIME = datetime(2024, 7, 1)


# ---------------------------------------------------------------------------------------
# sample_seeker
# ---------------------------------------------------------------------------------------


@dataclass
class SeekerSample:
    """The sample seeker's files (as frames) and what the generator knows."""

    tracker: pd.DataFrame
    log: pd.DataFrame
    truth_rates: pd.DataFrame
    truth_funnel: pd.DataFrame
    manifest: dict


def _day(ts: pd.Timestamp | None) -> date | None:
    return None if ts is None or pd.isna(ts) else ts.date()


def _lead_stages(events: pd.DataFrame) -> dict[str, dict]:
    """lead -> {channel, contact, company, direction, stages: {stage: timestamp}}."""
    leads: dict[str, dict] = {}
    for row in events.itertuples(index=False):
        info = leads.setdefault(
            row.lead,
            {
                "channel": str(row.channel),
                "contact": row.contact if isinstance(row.contact, str) else None,
                "company": row.company,
                "direction": str(row.direction),
                "stages": {},
            },
        )
        info["stages"][str(row.stage)] = row.timestamp
    return dict(sorted(leads.items(), key=lambda kv: (kv[1]["stages"]["contacted"], kv[0])))


def _status(stages: Mapping[str, pd.Timestamp], rng: np.random.Generator) -> str:
    if "accepted" in stages:
        return "Offer accepted"
    if "offer" in stages:
        return "Offer"
    if "rejected" in stages:
        return "Rejected" if rng.random() < 0.8 else "Not selected"
    if "interview" in stages:
        return "Interviewing"
    if "responded" in stages:
        return "Heard back"
    return "Applied"


def _slug(company: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", company.lower())


def _tracker(leads: dict[str, dict], rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    rows: list[dict] = []
    for info in leads.values():
        if info["channel"] not in TRACKER_CHANNELS:
            continue
        st = info["stages"]
        channel = info["channel"]
        source = str(rng.choice(SOURCE_LABELS[channel]))
        link = None
        if channel == "job_board" and rng.random() < 0.7:
            link = (
                f"https://careers.{_slug(info['company'])}.example/jobs/{rng.integers(1000, 99999)}"
            )
        rows.append(
            {
                "Company": info["company"],
                "Role": str(rng.choice(ROLES)),
                "Source": source,
                "Contact": info["contact"] if channel == "referral" else None,
                "Applied Date": _day(st["contacted"]),
                "Response Date": _day(st.get("responded")),
                "Interview Date": _day(st.get("interview")),
                "Offer Date": _day(st.get("offer")),
                "Status": _status(st, rng),
                "Last Updated": _day(max(st.values())),
                "Link": link,
                "Notes": None,
            }
        )
    quirks: dict[str, object] = {}
    # Quirk 1: the date of one application was never filled in (status only): kept, no time.
    silent = [i for i, r in enumerate(rows) if r["Status"] == "Applied" and r["Source"] == "Indeed"]
    i = silent[len(silent) // 2]
    rows[i]["Applied Date"] = None
    rows[i]["Last Updated"] = None
    rows[i]["Notes"] = "forgot to note the date"
    # Quirk 2: one date typed as text instead of a spreadsheet date: still parsed.
    typed = [
        j
        for j, r in enumerate(rows)
        if j != i and r["Applied Date"] is not None and r["Applied Date"].day > 12
    ]
    j = typed[len(typed) // 3]
    rows[j]["Applied Date"] = rows[j]["Applied Date"].strftime("%d %b %Y")
    # Quirk 3: a couple of postings saved for later, never applied to: rejected as
    # "not a lead yet" (deliberate).
    for position, status, note in ((40, "Wishlist", "apply after PMP exam"), (110, "Saved", None)):
        rows.insert(
            position,
            {
                "Company": str(rng.choice(["Keystone Aerospace", "Meridian Defense"])),
                "Role": "Program Manager",
                "Source": "Indeed",
                "Contact": None,
                "Applied Date": None,
                "Response Date": None,
                "Interview Date": None,
                "Offer Date": None,
                "Status": status,
                "Last Updated": None,
                "Link": None,
                "Notes": note,
            },
        )
    pre_contact = [k + 1 for k, r in enumerate(rows) if r["Status"] in ("Wishlist", "Saved")]
    quirks["pre_contact_rows"] = pre_contact
    # Row numbers of the quirks after the insertions.
    status_only = next(k + 1 for k, r in enumerate(rows) if r["Notes"] == "forgot to note the date")
    text_date = next(k + 1 for k, r in enumerate(rows) if isinstance(r["Applied Date"], str))
    quirks["status_only_row"] = status_only
    quirks["text_date_row"] = text_date
    screened = next(k for k, r in enumerate(rows) if r["Interview Date"] is not None)
    rows[screened]["Notes"] = "phone screen was 20 min, asked about clearance"
    frame = pd.DataFrame(rows, columns=list(TRACKER_COLUMNS))
    return frame, quirks


def _between(rng: np.random.Generator, start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    return start + (end - start) * float(rng.uniform(0.2, 0.8))


def _log(
    leads: dict[str, dict], as_of: pd.Timestamp, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    records: list[tuple[pd.Timestamp, int, dict]] = []
    order = {
        s: k
        for k, s in enumerate(
            [
                "contacted",
                "responded",
                "meeting",
                "referral",
                "interview",
                "offer",
                "accepted",
                "rejected",
                "note",
            ]
        )
    }
    number = 0
    lead_ids: dict[str, str] = {}
    for lead, info in leads.items():
        channel = info["channel"]
        if channel in TRACKER_CHANNELS:
            continue
        number += 1
        lead_id = f"N{number:03d}"
        lead_ids[lead] = lead_id
        st = dict(info["stages"])
        label = str(rng.choice(CHANNEL_LABELS[channel]))
        first = str(rng.choice(FIRST_ACTION[channel]))
        if channel == "recruiter" and info["direction"] == "inbound":
            first = "Recruiter reached out"
        actions: list[tuple[str, pd.Timestamp, str, str | None]] = []
        actions.append(("contacted", st["contacted"], first, None))
        if "responded" in st:
            reply = "Connection accepted" if first == "Connection request" else "Replied"
            actions.append(("responded", st["responded"], reply, None))
            # A conversation (coffee, call) often follows a reply: not part of the funnel truth.
            upper = min(
                [st[s] for s in ("interview", "rejected") if s in st]
                + [st["responded"] + pd.Timedelta(days=10), as_of]
            )
            p_meet = 0.8 if channel == "in_person" else 0.5
            meeting_at = None
            if rng.random() < p_meet and upper > st["responded"]:
                meeting_at = _between(rng, st["responded"], upper)
                kind = str(rng.choice(["Coffee", "Call", "Video call"]))
                actions.append(("meeting", meeting_at, kind, None))
            if "interview" in st and channel != "recruiter" and rng.random() < 0.5:
                after = meeting_at if meeting_at is not None else st["responded"]
                referred_at = _between(rng, after, st["interview"])
                who = "Referred" if rng.random() < 0.7 else "Intro made"
                actions.append(("referral", referred_at, who, None))
        if "interview" in st:
            kind = "Phone screen" if channel == "recruiter" else "Interview"
            actions.append(("interview", st["interview"], kind, None))
        if "offer" in st:
            actions.append(("offer", st["offer"], "Offer", None))
        if "accepted" in st:
            actions.append(("accepted", st["accepted"], "Accepted offer", None))
        if "rejected" in st:
            word = "Rejected" if rng.random() < 0.75 else "Position filled"
            actions.append(("rejected", st["rejected"], word, None))
        for stage, when, action, note in actions:
            records.append(
                (
                    when.normalize(),
                    order[stage],
                    {
                        "Date": when.strftime("%Y-%m-%d"),
                        "Lead ID": lead_id,
                        "Contact": info["contact"],
                        "Company": info["company"],
                        "Channel": label,
                        "Action": action,
                        "Notes": note,
                    },
                )
            )
    records.sort(key=lambda r: (r[0], r[2]["Lead ID"], r[1]))
    rows = [r[2] for r in records]
    # A few notes, as people leave them.
    notes = (
        "said they'd pass my resume on",
        "follow up next week",
        "ex-Army, very helpful",
        "asked for a 15-min call",
        "will check with hiring manager",
    )
    for k, note in zip(rng.choice(len(rows), size=len(notes), replace=False), notes):
        rows[int(k)]["Notes"] = note
    quirks: dict[str, object] = {}
    # Quirk 4: a reply pasted twice: the copy is an exact duplicate (dropped, row rejected).
    replies = [k for k, r in enumerate(rows) if r["Action"] == "Replied"]
    k = replies[len(replies) // 2]
    rows.insert(k + 1, dict(rows[k]))
    # Quirk 5: a step the funnel does not know: rejected as an unknown stage (deliberate).
    interviews = [
        m
        for m, r in enumerate(rows)
        if r["Action"] == "Interview"
        and pd.Timestamp(r["Date"], tz="UTC") + pd.Timedelta(days=1) <= as_of
    ]
    m = interviews[len(interviews) // 2]
    note_row = dict(rows[m])
    note_row["Date"] = (pd.Timestamp(rows[m]["Date"]) + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    note_row["Action"] = "Thank-you note"
    note_row["Notes"] = None
    position = next(
        (q for q in range(m + 1, len(rows)) if rows[q]["Date"] > note_row["Date"]), len(rows)
    )
    rows.insert(position, note_row)
    frame = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    # Row numbers (1-based data rows) of the quirks in the final frame.
    dup_mask = frame.duplicated(keep="first")
    quirks["duplicate_row"] = int(np.flatnonzero(dup_mask.to_numpy())[0]) + 1
    quirks["unknown_action_row"] = int(np.flatnonzero(frame["Action"] == "Thank-you note")[0]) + 1
    return frame, quirks


def build_seeker(seed: int = SEEKER_SEED) -> SeekerSample:
    """Draw the sample seeker and lay it out as a tracker sheet and a networking log."""
    sim = simulate(n_leads=SEEKER_LEADS, seed=seed, start=SEEKER_START, days=SEEKER_DAYS)
    rng = np.random.default_rng(seed + 1)
    leads = _lead_stages(sim.events)
    tracker, tracker_quirks = _tracker(leads, rng)
    log, log_quirks = _log(leads, sim.as_of, rng)
    truth_funnel = funnel(sim.events, by="channel")
    truth_funnel = truth_funnel[truth_funnel["contacted"] > 0]
    truth_rates = sim.truth.copy()
    truth_rates.insert(
        1, "leads", truth_rates["channel"].map(truth_funnel["contacted"]).fillna(0).astype(int)
    )
    manifest = {
        "generator": f"simulate(n_leads={SEEKER_LEADS}, seed={seed}, start={SEEKER_START!r}, days={SEEKER_DAYS})",
        "seed": seed,
        "as_of": sim.as_of.isoformat(),
        "leads": SEEKER_LEADS,
        "tracker_channels": list(TRACKER_CHANNELS),
        "files": {
            "tracker.xlsx": {
                "rows_read": len(tracker),
                "rows_rejected": len(tracker_quirks["pre_contact_rows"]),
                "rows_kept": len(tracker) - len(tracker_quirks["pre_contact_rows"]),
                "leads": int(len(tracker) - len(tracker_quirks["pre_contact_rows"])),
            },
            "networking_log.csv": {
                "rows_read": len(log),
                "rows_rejected": 2,
                "rows_kept": len(log) - 2,
                "leads": int(log["Lead ID"].nunique()),
            },
        },
        "deliberate_rejections": [
            *[
                {"file": "tracker.xlsx", "row": r, "why": "a saved posting: not a lead yet"}
                for r in tracker_quirks["pre_contact_rows"]
            ],
            {
                "file": "networking_log.csv",
                "row": log_quirks["duplicate_row"],
                "why": "exact duplicate of the row above (pasted twice)",
            },
            {
                "file": "networking_log.csv",
                "row": log_quirks["unknown_action_row"],
                "why": "unknown stage 'Thank-you note'",
            },
        ],
        "kept_quirks": [
            {
                "file": "tracker.xlsx",
                "row": tracker_quirks["status_only_row"],
                "what": "status 'Applied' without any date: counted in funnels, no time",
            },
            {
                "file": "tracker.xlsx",
                "row": tracker_quirks["text_date_row"],
                "what": "Applied Date typed as text ('%d %b %Y') instead of a date cell",
            },
        ],
    }
    return SeekerSample(tracker, log, truth_rates, truth_funnel, manifest)


# ---------------------------------------------------------------------------------------
# sample_cohort
# ---------------------------------------------------------------------------------------


@dataclass
class CohortSample:
    """The cohort's events file and what the generator knows."""

    events: pd.DataFrame
    seekers: pd.DataFrame
    truth_rates: pd.DataFrame
    truth_funnel: pd.DataFrame
    manifest: dict


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.log(p / (1 - p))


def _expit(x: np.ndarray | float) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def _shifted(shift: float) -> dict[str, tuple[float, float, float]]:
    return {
        c: tuple(float(v) for v in _expit(_logit(np.array(p)) + shift))  # type: ignore[misc]
        for c, p in COHORT_RATES.items()
    }


def _population_average(shift: float, sd: float) -> dict[str, tuple[float, float, float]]:
    """P(reach responded / interview / offer | contacted) averaged over seeker effects."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    out = {}
    for c, p in COHORT_RATES.items():
        steps = _expit(_logit(np.array(p))[None, :] + shift + sd * nodes[:, None])
        reach = np.cumprod(steps, axis=1)
        out[c] = tuple(float(v) for v in weights @ reach)
    return out  # type: ignore[return-value]


def _choice(rng: np.random.Generator, table: Mapping[str, float]) -> str:
    keys = list(table)
    p = np.array([table[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def build_cohort(seed: int = COHORT_SEED) -> CohortSample:
    """Draw the cohort: one simulate() call per seeker with the seeker's own rates."""
    rng = np.random.default_rng(seed)
    seniority_share = {k: v[0] for k, v in SENIORITY.items()}
    frames = []
    seekers = []
    width = len(str(COHORT_SEEKERS))
    for number in range(1, COHORT_SEEKERS + 1):
        seeker = f"V{number:0{width}d}"
        seniority = _choice(rng, seniority_share)
        branch = _choice(rng, BRANCHES)
        wave = str(rng.choice(list(WAVES)))
        effect = float(rng.normal(0.0, COHORT_SEEKER_SD))
        n_leads = int(max(5, rng.negative_binomial(4, 4 / (4 + COHORT_MEAN_LEADS))))
        start = pd.Timestamp(WAVES[wave]) + pd.Timedelta(days=int(rng.integers(0, 14)))
        sim_seed = int(rng.integers(0, 2**31 - 1))
        sim = simulate(
            n_leads=n_leads,
            rates=_shifted(SENIORITY[seniority][1] + effect),
            shares=COHORT_SHARES[seniority],
            start=start,
            days=COHORT_DAYS,
            as_of=COHORT_AS_OF,
            seed=sim_seed,
        )
        ev = sim.events
        first = ev.groupby("lead", observed=True)["timestamp"].min().sort_values(kind="stable")
        renumber = {lead: f"{seeker}-L{k + 1:03d}" for k, lead in enumerate(first.index)}
        frames.append(
            pd.DataFrame(
                {
                    "seeker": seeker,
                    "lead": ev["lead"].map(renumber),
                    "channel": ev["channel"].astype(str),
                    "stage": ev["stage"].astype(str),
                    "timestamp": ev["timestamp"].dt.floor("s"),
                    "contact": ev["contact"],
                    "company": ev["company"],
                    "direction": ev["direction"].astype(str),
                    "seniority": seniority,
                    "branch": branch,
                    "wave": wave,
                }
            )
        )
        seekers.append(
            {
                "seeker": seeker,
                "seniority": seniority,
                "branch": branch,
                "wave": wave,
                "start": start.date().isoformat(),
                "leads_drawn": n_leads,
                "leads_in_log": int(ev["lead"].nunique()),
                "effect": round(effect, 6),
                "sim_seed": sim_seed,
            }
        )
    events = pd.concat(frames, ignore_index=True)
    events = events.sort_values(["seeker", "timestamp", "lead"], kind="stable").reset_index(
        drop=True
    )
    for column in ("seeker", "lead", "channel", "stage", "contact", "company", "direction"):
        events[column] = events[column].astype("str").where(events[column].notna())
    for column in ("seniority", "branch", "wave"):
        events[column] = events[column].astype("str")
    seekers_frame = pd.DataFrame(seekers)

    rows = []
    for level, (_, shift) in SENIORITY.items():
        cond = _shifted(shift)
        avg = _population_average(shift, COHORT_SEEKER_SD)
        for channel in COHORT_RATES:
            p1, p2, p3 = cond[channel]
            rows.append(
                {
                    "seniority": level,
                    "channel": channel,
                    "share": COHORT_SHARES[level][channel],
                    "p_responded_given_contacted": round(p1, 6),
                    "p_interview_given_responded": round(p2, 6),
                    "p_offer_given_interview": round(p3, 6),
                    "typical_interview": round(p1 * p2, 6),
                    "typical_offer": round(p1 * p2 * p3, 6),
                    "average_responded": round(avg[channel][0], 6),
                    "average_interview": round(avg[channel][1], 6),
                    "average_offer": round(avg[channel][2], 6),
                }
            )
    truth_rates = pd.DataFrame(rows)
    truth_funnel = funnel(events, by=["seniority", "channel"]).reset_index()
    manifest = {
        "generator": "one simulate() call per seeker (see data/make_data.py, build_cohort)",
        "seed": seed,
        "as_of": pd.Timestamp(COHORT_AS_OF, tz="UTC").isoformat(),
        "seekers": COHORT_SEEKERS,
        "leads": int(events.groupby(["seeker", "lead"]).ngroups),
        "events": len(events),
        "seeker_sd": COHORT_SEEKER_SD,
        "seniority_shift": {k: v[1] for k, v in SENIORITY.items()},
        "waves": WAVES,
        "simpson": _simpson(events, truth_rates),
    }
    return CohortSample(events, seekers_frame, truth_rates, truth_funnel, manifest)


def _simpson(events: pd.DataFrame, truth_rates: pd.DataFrame) -> dict:
    """The constructed paradox, in the truth and in the drawn data; fails if it is absent."""
    a, b = SIMPSON_PAIR
    counts = funnel(events, by=["seniority", "channel"])
    pooled = funnel(events, by="channel")

    def rate(table: pd.DataFrame, key: object) -> float:
        return float(table.loc[key, "interview"] / table.loc[key, "contacted"])

    strata = {}
    for level in SENIORITY:
        strata[level] = {
            a: {
                "contacted": int(counts.loc[(level, a), "contacted"]),
                "interview": int(counts.loc[(level, a), "interview"]),
                "rate": round(rate(counts, (level, a)), 4),
            },
            b: {
                "contacted": int(counts.loc[(level, b), "contacted"]),
                "interview": int(counts.loc[(level, b), "interview"]),
                "rate": round(rate(counts, (level, b)), 4),
            },
        }
    pooled_rates = {
        c: {
            "contacted": int(pooled.loc[c, "contacted"]),
            "interview": int(pooled.loc[c, "interview"]),
            "rate": round(rate(pooled, c), 4),
        }
        for c in (a, b)
    }
    within = all(strata[s][a]["rate"] > strata[s][b]["rate"] for s in strata)
    reversed_pooled = pooled_rates[a]["rate"] < pooled_rates[b]["rate"]
    if not (within and reversed_pooled):
        raise SystemExit(
            "make_data: the drawn cohort does not show the constructed Simpson's paradox; "
            "change COHORT_SEED or the shares."
        )
    # The same comparison in the truth: expected leads per seniority x channel.
    truth = truth_rates.set_index(["seniority", "channel"])
    expected = {}
    for c in (a, b):
        weights = np.array([SENIORITY[s][0] * COHORT_SHARES[s][c] for s in SENIORITY])
        rates = np.array([truth.loc[(s, c), "average_interview"] for s in SENIORITY])
        expected[c] = round(float(weights @ rates / weights.sum()), 4)
    return {
        "pair": [a, b],
        "from_stage": "contacted",
        "to_stage": "interview",
        "statement": (
            f"within every seniority level {a} has the higher interview rate, but pooled "
            f"over seniority {b} looks better, because senior seekers (high rates on every "
            f"channel) use {b} most and junior seekers use {a} most"
        ),
        "drawn_by_seniority": strata,
        "drawn_pooled": pooled_rates,
        "true_pooled_average_interview": expected,
    }


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def write_xlsx(frame: pd.DataFrame, path: Path, *, sheet: str = "Applications") -> None:
    """Write a tracker sheet as people do: date cells, a header row, deterministic bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False):
        ws.append(
            [None if (v is None or (isinstance(v, float) and np.isnan(v))) else v for v in record]
        )
    date_columns = [
        i + 1 for i, c in enumerate(frame.columns) if "Date" in c or c == "Last Updated"
    ]
    for column in date_columns:
        for row in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    widths = {"Company": 24, "Role": 24, "Source": 20, "Contact": 20, "Link": 48, "Notes": 40}
    for i, name in enumerate(frame.columns):
        letter = ws.cell(row=1, column=i + 1).column_letter
        ws.column_dimensions[letter].width = widths.get(name, 14)
    wb.properties.creator = "netanalysis sample data"
    wb.properties.created = _FIXED_DOC_TIME
    wb.properties.modified = _FIXED_DOC_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    _normalize_zip(buffer.getvalue(), path)


def _normalize_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed member times so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, src.read(info.filename))
    path.write_bytes(out.getvalue())


def _csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _json(obj: object, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def write_seeker(sample: SeekerSample, out: Path) -> None:
    folder = out / "sample_seeker"
    folder.mkdir(parents=True, exist_ok=True)
    write_xlsx(sample.tracker, folder / "tracker.xlsx")
    _csv(sample.log, folder / "networking_log.csv")
    truth = out / "truth"
    truth.mkdir(parents=True, exist_ok=True)
    _csv(sample.truth_rates.round(6), truth / "sample_seeker_rates.csv")
    _csv(sample.truth_funnel.reset_index(), truth / "sample_seeker_funnel.csv")
    _json(sample.manifest, truth / "sample_seeker.json")


def write_cohort(sample: CohortSample, out: Path) -> None:
    folder = out / "sample_cohort"
    folder.mkdir(parents=True, exist_ok=True)
    sample.events.to_parquet(folder / "events.parquet", index=False, compression="zstd")
    truth = out / "truth"
    truth.mkdir(parents=True, exist_ok=True)
    _csv(sample.seekers, truth / "sample_cohort_seekers.csv")
    _csv(sample.truth_rates, truth / "sample_cohort_rates.csv")
    _csv(sample.truth_funnel, truth / "sample_cohort_funnel.csv")
    _json(sample.manifest, truth / "sample_cohort.json")


def copy_examples(out: Path, examples: Mapping[str, Path] = EXAMPLES) -> None:
    """Copy the example exports byte for byte (the folder is replaced, so no stale file
    survives a rename in the fixture)."""
    for name, source in examples.items():
        if not source.is_dir():
            raise SystemExit(
                f"make_data.py: {source} not found; run it from a source checkout of "
                "netanalysis (the example exports are copied from its test fixtures)."
            )
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, copy_function=shutil.copyfile)


# ---------------------------------------------------------------------------------------
# README tables
# ---------------------------------------------------------------------------------------


def _markdown(frame: pd.DataFrame) -> str:
    columns = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in frame.itertuples(index=False):
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def readme_blocks(seeker: SeekerSample, cohort: CohortSample) -> dict[str, str]:
    """The generated tables of data/README.md, by marker name."""
    rates = seeker.truth_rates[
        [
            "channel",
            "share",
            "p_responded_given_contacted",
            "p_interview_given_responded",
            "p_offer_given_interview",
            "responded",
            "interview",
            "offer",
        ]
    ].rename(
        columns={
            "p_responded_given_contacted": "P(resp|cont)",
            "p_interview_given_responded": "P(int|resp)",
            "p_offer_given_interview": "P(offer|int)",
            "responded": "P(responded)",
            "interview": "P(interview)",
            "offer": "P(offer)",
        }
    )
    drawn = seeker.truth_funnel.reset_index()
    files = pd.DataFrame(
        [{"file": name, **info} for name, info in seeker.manifest["files"].items()]
    )[["file", "rows_read", "rows_kept", "rows_rejected", "leads"]]
    cohort_rates = cohort.truth_rates[cohort.truth_rates["channel"].isin(SIMPSON_PAIR)][
        ["seniority", "channel", "share", "typical_interview", "average_interview"]
    ]
    simpson = cohort.manifest["simpson"]
    a, b = simpson["pair"]
    lines = [
        f"| group | {a} contacted | {a} interview | {a} rate | {b} contacted | "
        f"{b} interview | {b} rate |",
        "|---|---|---|---|---|---|---|",
    ]
    for level, pair in simpson["drawn_by_seniority"].items():
        lines.append(
            f"| {level} | {pair[a]['contacted']} | {pair[a]['interview']} | "
            f"{pair[a]['rate']:.3f} | {pair[b]['contacted']} | {pair[b]['interview']} | "
            f"{pair[b]['rate']:.3f} |"
        )
    pooled = simpson["drawn_pooled"]
    lines.append(
        f"| **pooled** | {pooled[a]['contacted']} | {pooled[a]['interview']} | "
        f"{pooled[a]['rate']:.3f} | {pooled[b]['contacted']} | {pooled[b]['interview']} | "
        f"{pooled[b]['rate']:.3f} |"
    )
    cohort_summary = (
        f"{cohort.manifest['seekers']} seekers, {cohort.manifest['leads']:,} leads, "
        f"{cohort.manifest['events']:,} events; seniority: "
        + ", ".join(
            f"{k} {v}" for k, v in cohort.seekers["seniority"].value_counts().sort_index().items()
        )
        + "; waves: "
        + ", ".join(
            f"{k} {v}" for k, v in cohort.seekers["wave"].value_counts().sort_index().items()
        )
        + "."
    )
    return {
        "seeker-rates": _markdown(rates),
        "seeker-funnel": _markdown(drawn),
        "seeker-files": _markdown(files),
        "cohort-summary": cohort_summary,
        "cohort-rates": _markdown(cohort_rates),
        "cohort-simpson": "\n".join(lines),
    }


_BLOCK = re.compile(
    r"(<!-- generated:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(\n<!-- /generated -->)", re.S
)


def update_readme(path: Path, blocks: Mapping[str, str]) -> None:
    """Replace the generated blocks of a README in place (other text untouched)."""
    text = path.read_text()

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        body = blocks.get(name, match.group("body"))
        return match.group(1) + body + match.group(4)

    path.write_text(_BLOCK.sub(replace, text))


def readme_block_texts(text: str) -> dict[str, str]:
    """The generated blocks found in a README's text, by name."""
    return {m.group("name"): m.group("body") for m in _BLOCK.finditer(text)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: data/)")
    args = parser.parse_args(argv)
    out: Path = args.out
    seeker = build_seeker()
    cohort = build_cohort()
    write_seeker(seeker, out)
    write_cohort(cohort, out)
    copy_examples(out)
    readme = out / "README.md"
    if readme.exists():
        update_readme(readme, readme_blocks(seeker, cohort))
    print(
        f"wrote {out}/sample_seeker, {out}/sample_cohort and {out}/truth; copied "
        + ", ".join(f"{out}/{name}" for name in EXAMPLES)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
