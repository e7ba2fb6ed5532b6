"""Seeded synthetic interaction logs with known true rates.

Each lead starts on a channel at a random day, then moves through the funnel with the
channel's stage probabilities and delays: contacted -> responded -> interview -> offer,
with rejections and silence along the way. Events after ``as_of`` have not happened yet,
so recent leads are still open (censored), as in real logs. The truth is returned beside
the events so that tests and notebooks can check estimates against it.

Examples:
    >>> import netanalysis as na
    >>> sim = na.simulate(n_leads=500, seed=7)
    >>> sim.truth.set_index("channel").loc["referral", "interview"]
    np.float64(0.36)
    >>> sim.events["lead"].nunique()
    500
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netanalysis.errors import ParameterError, check_range
from netanalysis.io.normalize import finalize_events
from netanalysis.results import Result
from netanalysis.schema import CHANNELS

__all__ = ["DEFAULT_RATES", "DEFAULT_SHARES", "Simulation", "simulate"]

#: Per channel: P(responded | contacted), P(interview | responded), P(offer | interview).
DEFAULT_RATES: dict[str, tuple[float, float, float]] = {
    "job_board": (0.12, 0.45, 0.25),
    "linkedin": (0.30, 0.30, 0.25),
    "social_media": (0.15, 0.20, 0.20),
    "industry_group": (0.35, 0.35, 0.30),
    "in_person": (0.50, 0.30, 0.30),
    "referral": (0.60, 0.60, 0.35),
    "recruiter": (0.55, 0.50, 0.30),
    "cold_email": (0.15, 0.35, 0.25),
}

#: Share of leads per channel.
DEFAULT_SHARES: dict[str, float] = {
    "job_board": 0.45,
    "linkedin": 0.15,
    "social_media": 0.05,
    "industry_group": 0.07,
    "in_person": 0.08,
    "referral": 0.06,
    "recruiter": 0.06,
    "cold_email": 0.08,
}

#: Median days from contact to response, per channel.
DEFAULT_RESPONSE_DAYS: dict[str, float] = {
    "job_board": 8.0,
    "linkedin": 2.0,
    "social_media": 3.0,
    "industry_group": 3.0,
    "in_person": 1.0,
    "referral": 2.0,
    "recruiter": 1.0,
    "cold_email": 4.0,
}

_FIRST = [
    "Avery",
    "Blake",
    "Casey",
    "Dana",
    "Eden",
    "Finley",
    "Gray",
    "Harper",
    "Indra",
    "Jules",
    "Kai",
    "Lane",
    "Morgan",
    "Noor",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Tatum",
    "Uma",
    "Vale",
    "Wren",
    "Yael",
    "Zion",
]
_LAST = [
    "Abernathy",
    "Brightwater",
    "Calloway",
    "Dunmore",
    "Ellery",
    "Fairbanks",
    "Galloway",
    "Hollis",
    "Ingram",
    "Jessup",
    "Kittredge",
    "Larkspur",
    "Merriweather",
    "Northcott",
    "Oakhurst",
    "Pemberton",
    "Quimby",
    "Ravensworth",
    "Stanhope",
    "Thistlewood",
]
_COMPANIES = [
    "Acme Analytics",
    "Bluefin Logistics",
    "Cobalt Health",
    "Driftwood Energy",
    "Evergreen Robotics",
    "Foxglove Finance",
    "Granite Systems",
    "Harbor Insurance",
    "Ironbark Manufacturing",
    "Juniper Software",
    "Keystone Aerospace",
    "Lumen Retail",
    "Meridian Defense",
    "Northwind Utilities",
    "Orchard Foods",
    "Pinnacle Consulting",
    "Quarry Labs",
    "Redwood Security",
    "Summit Telecom",
    "Tidewater Shipping",
]


@dataclass(frozen=True, repr=False)
class Simulation(Result):
    """Synthetic events and the truth they were drawn from.

    Attributes:
        events: canonical events (as :func:`netanalysis.load` returns them).
        truth: per channel, ``P(reach stage | contacted)`` for each funnel stage, the
            conditional probabilities used, the share of leads and the median delays.
        as_of: the moment the log was exported; later events have not happened.
        seed: the seed that produced it.
    """

    events: pd.DataFrame
    truth: pd.DataFrame
    as_of: pd.Timestamp
    seed: int

    def to_pandas(self) -> pd.DataFrame:
        return self.events.copy()

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"truth": self.truth}


def _check_probabilities(rates: Mapping[str, tuple[float, float, float]]) -> None:
    for channel, probs in rates.items():
        if channel not in CHANNELS:
            raise ParameterError(
                f"rates names {channel!r}, which is not a channel: {list(CHANNELS)}"
            )
        if len(probs) != 3 or not all(0 <= p <= 1 for p in probs):
            raise ParameterError(
                f"rates[{channel!r}] must be three probabilities in [0, 1] "
                f"(responded|contacted, interview|responded, offer|interview). Got {probs!r}."
            )


def simulate(
    n_leads: int = 300,
    *,
    seekers: int = 1,
    rates: Mapping[str, tuple[float, float, float]] | None = None,
    shares: Mapping[str, float] | None = None,
    start: str | pd.Timestamp = "2024-01-01",
    days: int = 180,
    as_of: str | pd.Timestamp | None = None,
    seeker_sd: float = 0.0,
    reject_after_silence: float = 0.3,
    seed: int = 0,
) -> Simulation:
    """Draw a synthetic interaction log with known per-channel rates.

    Args:
        n_leads: total number of leads (split across seekers).
        seekers: number of seekers (a cohort when > 1).
        rates: per channel ``(P(responded|contacted), P(interview|responded),
            P(offer|interview))``; default :data:`DEFAULT_RATES`.
        shares: share of leads per channel (normalised); default :data:`DEFAULT_SHARES`.
        start: first day leads can start.
        days: leads start uniformly over this many days.
        as_of: export time; events after it are not in the log (default ``start + days``).
        seeker_sd: standard deviation of a per-seeker effect on the log-odds of every
            step (seekers differ in skill and market); 0 for identical seekers.
        reject_after_silence: probability that a lead the other side did not answer gets
            an explicit rejection (the rest are silent, as most are).
        seed: random seed; the same seed gives the same log.

    Examples:
        >>> sim = simulate(n_leads=100, seekers=5, seed=3)
        >>> sim.events["seeker"].nunique()
        5
    """
    if n_leads < 1 or seekers < 1:
        raise ParameterError(f"n_leads and seekers must be >= 1. Got {n_leads} and {seekers}.")
    check_range("seeker_sd", seeker_sd, where="simulate", low=0, high=10, inclusive=True)
    check_range(
        "reject_after_silence",
        reject_after_silence,
        where="simulate",
        low=0,
        high=1,
        inclusive=True,
    )
    rates = dict(rates or DEFAULT_RATES)
    _check_probabilities(rates)
    shares = {c: float(v) for c, v in (shares or DEFAULT_SHARES).items() if c in rates}
    if not shares or sum(shares.values()) <= 0:
        raise ParameterError("shares must give a positive share to at least one channel in rates.")
    rng = np.random.default_rng(seed)
    start_ts = (
        pd.Timestamp(start, tz="UTC")
        if pd.Timestamp(start).tzinfo is None
        else pd.Timestamp(start).tz_convert("UTC")
    )
    as_of_ts = start_ts + pd.Timedelta(days=days) if as_of is None else pd.Timestamp(as_of)
    if as_of_ts.tzinfo is None:
        as_of_ts = as_of_ts.tz_localize("UTC")

    channels = np.array(list(shares))
    p_share = np.array([shares[c] for c in channels]) / sum(shares.values())
    seeker_of = rng.integers(0, seekers, size=n_leads)
    effect = rng.normal(0.0, seeker_sd, size=seekers) if seeker_sd > 0 else np.zeros(seekers)
    channel = channels[rng.choice(len(channels), size=n_leads, p=p_share)]
    base = np.array([rates[c] for c in channel])  # (n, 3)
    logit = np.log(np.clip(base, 1e-9, 1 - 1e-9) / np.clip(1 - base, 1e-9, 1))
    probs = 1 / (1 + np.exp(-(logit + effect[seeker_of][:, None])))
    probs = np.where(base >= 1, 1.0, np.where(base <= 0, 0.0, probs))
    steps = rng.random((n_leads, 3)) < probs
    reached = np.cumprod(steps, axis=1).astype(bool)  # responded, interview, offer

    t0 = start_ts + pd.to_timedelta(rng.uniform(0, days, n_leads), unit="D")
    median_response = np.array([DEFAULT_RESPONSE_DAYS.get(c, 3.0) for c in channel])
    d_resp = median_response * rng.lognormal(0, 0.8, n_leads)
    d_int = 7.0 * rng.lognormal(0, 0.6, n_leads)
    d_offer = 14.0 * rng.lognormal(0, 0.5, n_leads)
    d_close = 10.0 * rng.lognormal(0, 0.7, n_leads)
    t_resp = t0 + pd.to_timedelta(d_resp, unit="D")
    t_int = t_resp + pd.to_timedelta(d_int, unit="D")
    t_offer = t_int + pd.to_timedelta(d_offer, unit="D")

    inbound = (channel == "recruiter") & (rng.random(n_leads) < 0.7)
    first_names = rng.choice(_FIRST, n_leads)
    last_names = rng.choice(_LAST, n_leads)
    contact = np.char.add(np.char.add(first_names.astype(str), " "), last_names.astype(str))
    contact = np.where(channel == "job_board", None, contact)
    company = rng.choice(_COMPANIES, n_leads)
    width = len(str(n_leads))
    seeker_width = len(str(seekers))
    seeker_ids = (
        np.array([f"S{i + 1:0{seeker_width}d}" for i in range(seekers)])
        if seekers > 1
        else np.array(["me"])
    )

    parts: list[tuple[np.ndarray, str, np.ndarray]] = []

    def emit(mask: np.ndarray, stage: str, when: pd.DatetimeIndex) -> None:
        chosen = np.flatnonzero(mask)
        parts.append((chosen, stage, when.as_unit("ns").asi8[chosen]))

    emit(np.ones(n_leads, bool), "contacted", t0)
    emit(reached[:, 0], "responded", t_resp)
    emit(reached[:, 1], "interview", t_int)
    emit(reached[:, 2], "offer", t_offer)
    # Closing outcomes: rejected after the furthest step that did not lead on.
    ns = [t.as_unit("ns").asi8 for t in (t0, t_resp, t_int)]
    last_time = np.where(reached[:, 1], ns[2], np.where(reached[:, 0], ns[1], ns[0]))
    close_time = pd.DatetimeIndex(last_time.astype("datetime64[ns]")).tz_localize(
        "UTC"
    ) + pd.to_timedelta(d_close, unit="D")
    silent = ~reached[:, 0]
    rejected = (~reached[:, 2]) & (~silent | (rng.random(n_leads) < reject_after_silence))
    rejected &= reached[:, 0] | ~inbound
    emit(rejected, "rejected", close_time)
    accepted = reached[:, 2] & (rng.random(n_leads) < 0.6)
    emit(
        accepted,
        "accepted",
        t_offer + pd.to_timedelta(3.0 * rng.lognormal(0, 0.4, n_leads), unit="D"),
    )

    idx = np.concatenate([p[0] for p in parts])
    stages = np.concatenate([np.full(len(p[0]), p[1], dtype=object) for p in parts])
    times = pd.DatetimeIndex(
        np.concatenate([p[2] for p in parts]).astype("datetime64[ns]")
    ).tz_localize("UTC")
    lead_ids = np.char.add("L", np.char.zfill(np.arange(1, n_leads + 1).astype(str), width))
    frame = pd.DataFrame(
        {
            "seeker": seeker_ids[seeker_of[idx]],
            "lead": lead_ids[idx],
            "channel": channel[idx],
            "stage": stages,
            "timestamp": times,
            "contact": contact[idx],
            "company": company[idx],
            "direction": np.where(inbound[idx], "inbound", "outbound"),
        }
    )
    frame = frame[frame["timestamp"] <= as_of_ts]
    frame = frame.sort_values(["timestamp", "lead"], kind="stable").reset_index(drop=True)
    frame["source"] = f"simulate(seed={seed})"
    frame["source_row"] = np.arange(1, len(frame) + 1)
    events = finalize_events(frame)
    events["channel_raw"] = events["channel"].astype(str)
    truth = _truth(rates, shares)
    return Simulation(events=events, truth=truth, as_of=as_of_ts, seed=seed)


def _truth(
    rates: Mapping[str, tuple[float, float, float]], shares: Mapping[str, float]
) -> pd.DataFrame:
    total = sum(shares.values())
    rows = []
    for channel, (p1, p2, p3) in rates.items():
        rows.append(
            {
                "channel": channel,
                "share": shares.get(channel, 0.0) / total,
                "contacted": 1.0,
                "responded": p1,
                "interview": p1 * p2,
                "offer": p1 * p2 * p3,
                "p_responded_given_contacted": p1,
                "p_interview_given_responded": p2,
                "p_offer_given_interview": p3,
                "median_response_days": DEFAULT_RESPONSE_DAYS.get(channel, 3.0),
                "delay_interview_days": 7.0,
                "delay_offer_days": 14.0,
            }
        )
    return pd.DataFrame(rows)
