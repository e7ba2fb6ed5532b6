"""Per-lead outcomes shared by the cohort statistics (stratified, model).

One row per lead with its groups and whether it reached a stage, computed with
:func:`netanalysis.funnel.lead_table` (backend-neutral), plus how many of those leads are
still open (they may still reach the stage: censoring).

Examples:
    >>> import netanalysis as na
    >>> leads, start = outcomes(na.simulate(n_leads=40, seed=1).events, ["channel"],
    ...                         None, "interview", "first", "example")
    >>> start, sorted(leads.columns)
    ('contacted', ['channel', 'lead', 'reached', 'seeker'])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from netanalysis.errors import check_choice
from netanalysis.funnel import lead_table, lead_times, resolve_stages
from netanalysis.schema import CHANNELS, DEFAULT_FUNNEL, MODES, TERMINAL_STAGES
from netanalysis.stats import findings as f
from netanalysis.stats._data import RECENT_DAYS

__all__ = ["display_order", "largest", "open_caveat", "outcomes", "still_open"]


def outcomes(
    events: Any,
    columns: Sequence[str],
    from_stage: str | None,
    to_stage: str,
    attribution: str,
    where: str,
) -> tuple[pd.DataFrame, str]:
    """Leads that reached ``from_stage``: ``seeker, lead, <columns>, reached``."""
    check_choice("attribution", attribution, ("first", "last"), where=where)
    start = from_stage if from_stage is not None else DEFAULT_FUNNEL[0]
    stages = resolve_stages([start, to_stage], where=where)
    # seeker and lead are always returned (seeker "me" when the data have none).
    wanted = [c for c in dict.fromkeys(columns) if c not in ("seeker", "lead")]
    table = lead_table(events, by=wanted, stages=stages, attribution=attribution)
    table = table[table["furthest"] >= 0].reset_index(drop=True)
    table["reached"] = table["furthest"] >= 1
    return table.drop(columns="furthest"), start


def still_open(events: Any, leads: pd.DataFrame, to_stage: str) -> int:
    """Leads among ``leads`` without ``to_stage`` or an outcome, active in the last
    :data:`~netanalysis.stats._data.RECENT_DAYS` days of the log: they may still get there."""
    stages = list(dict.fromkeys([to_stage, *TERMINAL_STAGES]))
    times = lead_times(events, stages=stages, by=[])
    last = times["t_last"]
    if last.isna().all():
        return 0
    recent = (last >= last.max() - pd.Timedelta(days=RECENT_DAYS)).fillna(False)
    waiting = ~times[[f"reached_{s}" for s in stages]].any(axis=1)
    open_ = times.loc[recent & waiting, ["seeker", "lead"]]
    return len(open_.merge(leads[["seeker", "lead"]], on=["seeker", "lead"]))


def open_caveat(n_open: int, n: int, to_stage: str) -> str:
    """Say that open leads count as not reaching ``to_stage`` ('' when there are none)."""
    if n_open <= 0:
        return ""
    return (
        f"{f.fmt_count(n_open)} of the {f.fmt_count(n)} leads are still open (active in the "
        f"last {RECENT_DAYS} days, no outcome yet) and may still reach "
        f"{f.stage_phrase(to_stage, noun=True)}; here they count as not reaching it, which "
        "is unfair to slow channels and to recent leads; na.time_to accounts for leads "
        "still open."
    )


def display_order(values: Sequence[str], by: str) -> list[str]:
    """Distinct values; channels and modes in taxonomy order, anything else alphabetical."""
    order = {"channel": list(CHANNELS), "mode": list(MODES)}.get(by, [])
    rank = {v: i for i, v in enumerate(order)}
    return sorted(set(values), key=lambda v: (rank.get(v, len(rank)), str(v)))


def largest(counts: pd.Series) -> str:
    """The group with the most leads (ties: display order)."""
    return str(counts.index[int(np.argmax(counts.to_numpy()))])
