"""Time from one stage to another, with leads still open counted as censored.

A lead's clock starts when it first reached ``from_stage`` and stops when it first
reached ``stage`` (an event). A lead still open that has not reached it is
*right-censored* at ``as_of`` (the export date; by default the latest timestamp in the
data): all we know is that it had not got there *yet*. Censored leads are never dropped
and never averaged in as zeros: the Kaplan–Meier estimator (statsmodels
:class:`~statsmodels.duration.survfunc.SurvfuncRight`) uses each lead for as long as it
was watched. Groups are compared with the k-group log-rank test (statsmodels
:func:`~statsmodels.duration.survfunc.survdiff`).

**Leads that closed without reaching the stage** (a rejection, a withdrawal or an
acceptance) are a *competing risk*, not censoring: such a lead
can never reach the stage, and censoring it at its closing would treat it as if it still
could (censoring must be uninformative, and a closing tells everything about the lead's
future). Censoring them inflates the share that reaches the stage, most where closings
come early and often (rejections before an interview). So by default
(``closed="never"``) a closed lead stays in the risk set until ``as_of`` without an event:
it is known not to have reached the stage by then. Because everyone's potential follow-up
(``as_of``) is known, 1 − Kaplan–Meier is then the share of leads that reach the stage
within ``t`` days (the cumulative incidence), the number a job seeker asks for, and the
medians are the times by which half of *all* leads got there. ``closed="censor"`` censors
them at their closing instead (the time to the stage *if nothing closed the lead*), for
those who want that quantity; it leans high as a share of leads.

Leads whose start or stage is known only from an undated status (trackers without
dates) cannot be timed; they are left out and counted in a note. So are, with
``closed="censor"``, leads whose closing has no date.

Examples:
    >>> import netanalysis as na
    >>> sim = na.simulate(n_leads=300, seed=4)
    >>> tt = na.time_to(sim.events, stage="responded", by="mode", as_of=sim.as_of)
    >>> list(tt.summary.columns)
    ['mode', 'n', 'events', 'censored', 'median_days', 'median_low', 'median_high']
    >>> list(tt.test.columns)
    ['test', 'statistic', 'dof', 'p_value', 'note']
    >>> bool(tt.curves["survival"].between(0, 1).all())
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from netanalysis.errors import ParameterError, check_choice, check_range
from netanalysis.funnel import lead_times
from netanalysis.results import Result
from netanalysis.schema import CHANNELS, MODES, STAGES, TERMINAL_STAGES
from netanalysis.stats import findings as f

__all__ = ["TimeToResult", "time_to"]

#: Durations are reported in (fractional) days.
_DAY = pd.Timedelta(days=1)

#: When a median is not reached, the finding reports the share reached within this many days.
_HORIZON_DAYS = 30.0


@dataclass(frozen=True, repr=False)
class TimeToResult(Result):
    """Kaplan–Meier curves, medians and a log-rank test of time from one stage to another.

    Attributes:
        curves: one row per group and observed time: ``<by>, days, survival, ci_low,
            ci_high, at_risk, events, censored``. ``survival`` is the share of leads
            still waiting (not yet reached ``stage``) after ``days``; ``at_risk`` the
            leads still watched just before ``days``. The first row of each group is the
            start (``days`` 0, survival 1). Pointwise intervals use the log-log transform
            (Kalbfleisch–Prentice; the default of SAS and Stata) on Greenwood's variance;
            they are NaN where it is undefined (survival 1 before the first event, or 0).
        summary: one row per group: ``<by>, n, events, censored, median_days,
            median_low, median_high``; ``censored`` counts every lead without an event
            (still open, or closed without reaching the stage). The median is the first time the curve drops
            below one half (statsmodels' convention); NaN when it never does within
            follow-up ("not reached"); ``median_high`` is NaN when the interval's upper
            end lies beyond follow-up.
        test: one row: ``test, statistic, dof, p_value, note`` (log-rank across groups).
        durations: one row per lead used: ``seeker, lead, <by>, start, end, days, event,
            censored_at``. ``censored_at`` says why the watch ended: ``"stage"`` (an
            event), ``"as_of"`` (still open then) or ``"closing"`` (closed without
            reaching the stage; with ``closed="never"`` its ``end`` is ``as_of``, with
            ``closed="censor"`` its closing).
        by: the grouping column.
        stage: the stage whose time is measured.
        from_stage: the stage the clock starts at.
        strata: the column the log-rank test was stratified by, or None.
        as_of: the censoring time for leads still open.
        level: the confidence level of the intervals.
        attribution: how leads were credited to groups (``"first"`` or ``"last"``).
        closed: how leads that closed without reaching the stage were counted:
            ``"never"`` (in the risk set until ``as_of``, never reaching it) or
            ``"censor"`` (censored at their closing).
        method: the method in one paragraph (estimator, censoring, closed leads, test),
            for a report's methods section.
        n_seekers: number of seekers among the leads used.
        excluded: leads left out, by reason (``{"undated": 3, ...}``).
        notes: sentences about what was left out and why.
    """

    curves: pd.DataFrame
    summary: pd.DataFrame
    test: pd.DataFrame
    durations: pd.DataFrame
    by: str
    stage: str
    from_stage: str
    strata: str | None
    as_of: pd.Timestamp
    level: float
    attribution: str
    closed: str
    method: str
    n_seekers: int
    excluded: dict[str, int]
    notes: tuple[str, ...]

    def to_pandas(self) -> pd.DataFrame:
        """The per-group summary (medians with intervals)."""
        return self.summary.copy()

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"summary": self.summary, "test": self.test}

    def reached_by(self, days: float = 30.0) -> pd.DataFrame:
        """Share of leads that reached the stage within ``days`` (Kaplan–Meier), per group.

        Returns:
            ``<by>, days, reached, ci_low, ci_high, followed``: ``reached`` is
            1 − survival at ``days``; ``followed`` is False for a group none of whose
            leads was watched that long (the estimate then stops at its last time).

        Examples:
            >>> import netanalysis as na
            >>> tt = na.time_to(na.simulate(n_leads=200, seed=1).events, by="mode")
            >>> list(tt.reached_by(30).columns)
            ['mode', 'days', 'reached', 'ci_low', 'ci_high', 'followed']
        """
        check_range("days", days, where="reached_by", low=0, inclusive=True)
        rows = []
        longest = self.durations.groupby(self.by)["days"].max()
        for group, curve in self.curves.groupby(self.by, sort=False):
            last = curve[curve["days"] <= days].iloc[-1]
            rows.append(
                {
                    self.by: group,
                    "days": float(days),
                    "reached": 1 - last["survival"],
                    "ci_low": 1 - last["ci_high"],
                    "ci_high": 1 - last["ci_low"],
                    "followed": bool(longest.get(group, 0.0) >= days),
                }
            )
        columns = [self.by, "days", "reached", "ci_low", "ci_high", "followed"]
        return pd.DataFrame(rows, columns=columns)

    def finding(self) -> str:
        """The medians, the test and the caveats, in plain words.

        Examples:
            >>> import netanalysis as na
            >>> tt = na.time_to(na.simulate(n_leads=200, seed=1).events, by="mode")
            >>> tt.finding().startswith("Median time from first contact to a response")
            True
        """
        s = self.summary
        if s.empty:
            return f.sentences(
                f"No lead could be timed from {_stage_words(self.from_stage)} "
                f"to {f.stage_phrase(self.stage, noun=True)}.",
                *self.notes,
            )
        parts = [self._medians_sentence()]
        if s["median_days"].isna().any():
            parts.append(self._within_sentence(_HORIZON_DAYS))
        t = self.test.iloc[0]
        if len(s) >= 2 and not f.is_missing(t["p_value"]):
            within = (
                ""
                if self.strata is None
                else f", comparing within each {f.by_singular(self.strata)}"
            )
            parts.append(
                f"Log-rank test across the {len(s)} groups{within}: {f.fmt_p(t['p_value'])} "
                f"(chi-square {f.fmt_num(t['statistic'])}, {int(t['dof'])} df)."
            )
        n = int(s["n"].sum())
        parts.append(self._censoring_sentence(n, int(s["censored"].sum())))
        not_reached = s.loc[s["median_days"].isna() & (s["n"] > 0), self.by].tolist()
        if not_reached and len(not_reached) < len(s):
            names = ", ".join(f.group_phrase(self.by, g) for g in not_reached[:4])
            more = f" and {len(not_reached) - 4} more" if len(not_reached) > 4 else ""
            parts.append(
                f"Median not reached for {names}{more}: fewer than half got there within "
                "the time watched."
            )
        parts.append(f.small_sample_caveat(s["n"].min()))
        if self.strata == "seeker" and self.n_seekers > 1:
            parts.append(
                f"These {f.fmt_count(n)} leads come from {f.fmt_count(self.n_seekers)} "
                "seekers: the test compares groups within each seeker, but the curves and "
                "their intervals still treat one seeker's leads as independent, so they are "
                "too narrow."
            )
        else:
            dependence = f.dependence_caveat(self.n_seekers, n)
            if dependence and len(s) >= 2:
                dependence += " Here, time_to(..., strata='seeker') compares groups within seekers."
            parts.append(dependence)
        parts.extend(self.notes)
        if len(s) >= 2:
            parts.append(f.association_caveat(self.by, n_seekers=self.n_seekers))
        return f.sentences(*parts)

    def _censoring_sentence(self, n: int, not_reached: int) -> str:
        """Who has not reached the stage, and how they were counted (open vs closed)."""
        if not not_reached:
            return ""
        noun = f.stage_phrase(self.stage, noun=True)
        by_close = int((self.durations["censored_at"] == "closing").sum())
        still_open = not_reached - by_close
        head = f"{f.fmt_count(not_reached)} of {f.fmt_count(n)} leads have not reached {noun}"
        open_words = "watched for as long as they were open, not counted as failures or zeros"
        if self.closed == "censor":
            text = (
                f"{head} ({f.fmt_count(by_close)} closed without it, the rest still open on "
                f"{self.as_of:%Y-%m-%d}): they count as censored, {open_words}."
            )
            if by_close:
                text += (
                    " Leads that closed without it are censored at their closing "
                    "(closed='censor'), as if they could still get there later; they cannot, "
                    f"so the shares that reach {noun} lean high: closed='never' (the default) "
                    "counts them as never reaching it."
                )
            return text
        closed_words = (
            "count as never reaching it (a closed lead cannot get there later: it stays in "
            f"the count until {self.as_of:%Y-%m-%d} rather than being censored at its "
            "closing, which would overstate the share that gets there)"
        )
        if not by_close:
            return (
                f"{head}: still open on {self.as_of:%Y-%m-%d}, they count as censored, "
                f"{open_words}."
            )
        if not still_open:
            return f"{head}; they closed without it and {closed_words}."
        return (
            f"{head}: {f.fmt_count(still_open)} still open on {self.as_of:%Y-%m-%d} count as "
            f"censored, {open_words}; {f.fmt_count(by_close)} closed without it and "
            f"{closed_words}."
        )

    def _medians_sentence(self) -> str:
        s = self.summary
        head = (
            f"Median time from {_stage_words(self.from_stage)} to "
            f"{f.stage_phrase(self.stage, noun=True)}"
        )
        known = s[s["median_days"].notna()].sort_values("median_days", kind="stable")
        if known.empty:
            return f"{head}: not reached in any group (fewer than half got there)."
        if len(s) == 1 or len(known) == 1:
            row = known.iloc[0]
            who = "" if len(s) == 1 else f" for {f.group_phrase(self.by, row[self.by])}"
            return f"{head}{who}: {self._median_text(row)}."
        fast, slow = known.iloc[0], known.iloc[-1]
        text = (
            f"{head} was shortest for {f.group_phrase(self.by, fast[self.by])}: "
            f"{self._median_text(fast)}"
        )
        if len(known) == len(s):  # every group has a median: the slowest is meaningful
            text += (
                f", and longest for {f.group_phrase(self.by, slow[self.by])}: "
                f"{self._median_text(slow)}"
            )
        return text + "."

    def _within_sentence(self, days: float) -> str:
        shares = self.reached_by(days)
        shares = shares[shares["followed"]].sort_values("reached", ascending=False, kind="stable")
        if shares.empty:
            return ""

        def share(row: pd.Series) -> str:
            text = f"{f.fmt_pct(row['reached'])} of {f.group_phrase(self.by, row[self.by])}"
            if f.is_missing(row["ci_low"]):
                return text
            return f"{text} ({f.fmt_ci(row['ci_low'], row['ci_high'], level=self.level, pct=True)})"

        verb = f.stage_phrase(self.stage)
        text = f"Within {f.fmt_num(days)} days, {share(shares.iloc[0])} {verb}"
        if len(shares) > 1:
            text += f", against {share(shares.iloc[-1])}"
        return text + " (Kaplan–Meier estimates)."

    def _median_text(self, row: pd.Series) -> str:
        if f.is_missing(row["median_low"]):
            ci = f"{f.fmt_level(self.level)} CI not available"
        elif f.is_missing(row["median_high"]):
            ci = f"{f.fmt_level(self.level)} CI {_days(row['median_low'])} to not reached"
        else:
            ci = f.fmt_ci(row["median_low"], row["median_high"], level=self.level)
        return f"{_days(row['median_days'])} days ({ci}; {f.fmt_count(row['n'])} leads)"


def _display_order(column: pd.Series) -> pd.Series:
    """Sort key: channels and modes in taxonomy order, anything else alphabetically."""
    order = {"channel": list(CHANNELS), "mode": list(MODES)}.get(str(column.name))
    if order is None:
        return column.astype(str)
    rank = {v: i for i, v in enumerate(order)}
    # Rank the distinct values once, then look each row up (fast on millions of leads).
    distinct = sorted(pd.unique(column), key=lambda v: (rank.get(v, len(rank)), str(v)))
    return column.map({v: i for i, v in enumerate(distinct)})


def _leads(n: int, singular: str, plural: str) -> str:
    """``1 lead was`` / ``3 leads were``."""
    return f"1 lead {singular}" if n == 1 else f"{f.fmt_count(n)} leads {plural}"


def _days(x: float) -> str:
    return f.fmt_num(x) if not f.is_missing(x) else f.DASH


def _stage_words(stage: str) -> str:
    return "first contact" if stage == "contacted" else f.stage_phrase(stage, noun=True)


def _as_utc(value: Any) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _utc_column(values: pd.Series) -> pd.Series:
    values = pd.to_datetime(values)
    if getattr(values.dt, "tz", None) is None:
        return values.dt.tz_localize("UTC")
    return values.dt.tz_convert("UTC")


def time_to(
    events: Any,
    *,
    stage: str = "responded",
    from_stage: str = "contacted",
    by: str = "channel",
    as_of: str | pd.Timestamp | None = None,
    level: float = 0.95,
    attribution: Literal["first", "last"] = "first",
    strata: str | None = None,
    closed: Literal["never", "censor"] = "never",
) -> TimeToResult:
    """Time from ``from_stage`` to ``stage`` per group, leads still open counted as censored.

    Args:
        events: an events frame (pandas or any narwhals-supported frame).
        stage: the milestone whose time is measured (e.g. ``"responded"``,
            ``"interview"``, ``"offer"``).
        from_stage: the milestone that starts the clock (default ``"contacted"``).
        by: column to group leads by (``"channel"``, ``"mode"``, ``"seeker"``, ...).
        as_of: when the log was exported; leads still open are censored then, later
            events are ignored and leads that started later are left out. Default: the
            latest timestamp in the data.
        level: confidence level of the intervals.
        attribution: ``"first"`` (group of a lead's first event) or ``"last"``.
        strata: optional column (e.g. ``"seeker"``) to stratify the log-rank test by:
            groups are then compared within each stratum and the results summed, so a
            seeker who both answers slowly and favours one channel does not make that
            channel look slow. The curves and medians are not stratified.
        closed: how to count a lead that closed (rejected, withdrawn, accepted) without
            reaching ``stage``. ``"never"`` (default): it can no longer reach it, so it
            stays in the risk set until ``as_of`` without an event, and 1 − Kaplan–Meier
            is the share of leads that reach the stage within t days. ``"censor"``:
            censored at its closing, as if it could still get there (the time to the stage
            had nothing closed the lead); this treats a competing outcome as uninformative
            censoring and overstates the share that reaches the stage.

    Returns:
        A :class:`TimeToResult` with ``curves``, ``summary``, ``test`` and ``durations``.
        Empty input (or no lead that can be timed) gives empty tables with these columns
        and a finding that says no lead could be timed.

    Raises:
        ParameterError: unknown stages, equal stages, or a level outside (0, 1).

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> ev = pd.DataFrame({
        ...     "lead": ["a", "a", "b", "b", "c"], "channel": "referral",
        ...     "stage": ["contacted", "responded", "contacted", "rejected", "contacted"],
        ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-01",
        ...                                  "2024-01-05", "2024-01-02"], utc=True)})
        >>> tt = na.time_to(ev, as_of="2024-01-10")
        >>> tt.durations[["lead", "days", "event", "censored_at"]]
          lead  days  event censored_at
        0    a   2.0   True       stage
        1    b   9.0  False     closing
        2    c   8.0  False       as_of
        >>> tt.summary[["channel", "n", "events", "censored", "median_days"]]
            channel  n  events  censored  median_days
        0  referral  3       1         2          NaN

        Lead b was rejected on day 4 without a response: it stays in the count until
        as_of (day 9), never responding. ``closed="censor"`` stops watching it at day 4:

        >>> na.time_to(ev, as_of="2024-01-10", closed="censor").durations["days"].tolist()
        [2.0, 4.0, 8.0]
    """
    where = "time_to"
    check_choice("stage", stage, tuple(STAGES), where=where)
    check_choice("from_stage", from_stage, tuple(STAGES), where=where)
    check_choice("attribution", attribution, ("first", "last"), where=where)
    check_choice("closed", closed, ("never", "censor"), where=where)
    check_range("level", level, where=where, low=0, high=1)
    if not isinstance(by, str):
        raise ParameterError(f"The 'by' parameter of {where} must be one column name. Got {by!r}.")
    if stage == from_stage:
        raise ParameterError(
            f"The 'stage' and 'from_stage' parameters of {where} must differ. Got {stage!r} "
            "for both."
        )

    if strata is not None and not isinstance(strata, str):
        raise ParameterError(
            f"The 'strata' parameter of {where} must be one column name or None. Got {strata!r}."
        )
    wanted = list(dict.fromkeys([from_stage, stage, *TERMINAL_STAGES]))
    columns = list(dict.fromkeys([by, *([strata] if strata else [])]))
    # seeker and lead are always returned (seeker "me" when the data have none).
    grouping = [c for c in columns if c not in ("seeker", "lead")]
    leads = lead_times(events, stages=wanted, by=grouping, attribution=attribution)
    for column in [f"t_{s}" for s in wanted] + ["t_close", "t_last"]:
        leads[column] = _utc_column(leads[column])
    as_of_ts = _as_utc(as_of) if as_of is not None else leads["t_last"].max()
    if pd.isna(as_of_ts):
        as_of_ts = pd.Timestamp("NaT", tz="UTC")
    timed, excluded, notes = _durations(leads, stage, from_stage, columns, as_of_ts, closed)
    curves, summary = _kaplan_meier(timed, by, level)
    test = _log_rank(timed, by, strata)
    return TimeToResult(
        curves=curves,
        summary=summary,
        test=test,
        durations=timed,
        by=by,
        stage=stage,
        from_stage=from_stage,
        strata=strata,
        as_of=as_of_ts,
        level=level,
        attribution=attribution,
        closed=closed,
        method=_method(stage, from_stage, closed, strata),
        n_seekers=int(timed["seeker"].nunique()),
        excluded=excluded,
        notes=tuple(notes),
    )


def _method(stage: str, from_stage: str, closed: str, strata: str | None) -> str:
    """The method paragraph of a result (see :attr:`TimeToResult.method`)."""
    noun = f.stage_phrase(stage, noun=True)
    text = (
        f"Time from {_stage_words(from_stage)} to {noun}: Kaplan–Meier estimates with "
        "log-log pointwise intervals; leads still open are censored at as_of, so they are "
        "neither dropped nor counted as failures. "
    )
    if closed == "never":
        text += (
            f"A lead that closed (rejection, withdrawal, acceptance) without reaching {noun} "
            "is a competing outcome, not censoring: it can no longer get there, so it stays "
            "in the count until as_of without reaching it, and one minus the curve is the "
            f"share of leads that reach {noun} within a given time (closed='never'). "
        )
    else:
        text += (
            f"A lead that closed without reaching {noun} is censored at its closing "
            "(closed='censor'): the curve estimates the time to it had nothing closed the "
            "lead, and as a share of leads it leans high, because closed leads cannot get "
            "there later. "
        )
    test = "the log-rank test" if strata is None else f"the log-rank test stratified by {strata}"
    return text + f"Groups compared with {test}."


def _durations(
    leads: pd.DataFrame,
    stage: str,
    from_stage: str,
    columns: list[str],
    as_of: pd.Timestamp,
    closed_rule: str = "never",
) -> tuple[pd.DataFrame, dict[str, int], list[str]]:
    """Per lead: start, end, days, event flag and what ended the watch."""
    start = leads[f"t_{from_stage}"]
    reached_from = leads[f"reached_{from_stage}"].to_numpy(dtype=bool)
    t_stage = leads[f"t_{stage}"]
    reached = leads[f"reached_{stage}"].to_numpy(dtype=bool)
    closed = np.zeros(len(leads), dtype=bool)
    for s in TERMINAL_STAGES:
        closed |= leads[f"reached_{s}"].to_numpy(dtype=bool)
    t_close = leads["t_close"]

    has_start = start.notna().to_numpy()
    stage_dated = t_stage.notna().to_numpy()
    close_dated = t_close.notna().to_numpy()
    if pd.isna(as_of):
        before_as_of = np.zeros(len(leads), dtype=bool)
    else:
        before_as_of = (start <= as_of).fillna(False).to_numpy(dtype=bool)

    never_started = ~reached_from
    undated = reached_from & (~has_start | (reached & ~stage_dated & has_start))
    if closed_rule == "censor":  # the closing date is then the end of the watch
        undated |= reached_from & has_start & ~reached & closed & ~close_dated
    late = reached_from & ~undated & ~before_as_of
    usable = reached_from & ~undated & ~late

    # Event when the stage was reached (dated) by as_of.
    stage_by_as_of = (t_stage <= as_of).fillna(False).to_numpy(dtype=bool)
    event = usable & reached & stage_by_as_of
    # Reached before the clock started (possible for pairs that do not imply each other).
    backwards = event & (t_stage < start).fillna(False).to_numpy(dtype=bool)
    event &= ~backwards
    usable &= ~backwards
    close_by_as_of = (t_close <= as_of).fillna(False).to_numpy(dtype=bool)
    # Closed by as_of without reaching the stage (an undated closing is known only from
    # the status at export, so it counts as closed by as_of).
    closing = usable & ~event & (close_by_as_of | (closed & ~reached & ~close_dated))
    # A lead that reached the stage after as_of, or that is still open: censored at as_of.
    end = t_stage.copy() if pd.isna(as_of) else pd.Series(as_of, index=leads.index)
    if closed_rule == "censor":
        end = end.mask(closing, t_close)
    # closed="never": a closed lead stays at risk until as_of, never reaching the stage.
    end = end.mask(event, t_stage)

    by = columns[0]
    out = leads.loc[usable, list(dict.fromkeys(["seeker", "lead", *columns]))].copy()
    out["start"] = start[usable]
    out["end"] = end[usable]
    out["days"] = ((out["end"] - out["start"]) / _DAY).astype("float64")
    out["event"] = event[usable]
    out["censored_at"] = np.where(
        event[usable], "stage", np.where(closing[usable], "closing", "as_of")
    )
    for column in columns:
        out[column] = out[column].astype(str)
    out = out.sort_values([by, "seeker", "lead"], key=_display_order, kind="stable").reset_index(
        drop=True
    )

    excluded = {
        "undated": int(undated.sum()),
        "after_as_of": int(late.sum()),
        "stage_before_start": int(backwards.sum()),
        "never_started": int(never_started.sum()),
    }
    notes = []
    if excluded["undated"]:
        closing_words = " or of the closing" if closed_rule == "censor" else ""
        notes.append(
            f"{_leads(excluded['undated'], 'was', 'were')} left out because the date of "
            f"{_stage_words(from_stage)} or of {f.stage_phrase(stage, noun=True)}"
            f"{closing_words} is unknown (status-only tracker rows): add dates to time them."
        )
    if excluded["after_as_of"]:
        notes.append(
            f"{_leads(excluded['after_as_of'], 'started', 'started')} after "
            f"{as_of:%Y-%m-%d} (as_of) and {'was' if excluded['after_as_of'] == 1 else 'were'} "
            "left out."
        )
    if excluded["stage_before_start"]:
        notes.append(
            f"{_leads(excluded['stage_before_start'], 'reached', 'reached')} "
            f"{f.stage_phrase(stage, noun=True)} before {_stage_words(from_stage)} "
            f"and {'was' if excluded['stage_before_start'] == 1 else 'were'} left out."
        )
    return out, excluded, notes


def _loglog_ci(surv: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise interval for S(t) on the log(-log) scale (stays inside [0, 1])."""
    low = np.full_like(surv, np.nan)
    high = np.full_like(surv, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = (surv > 0) & (surv < 1) & np.isfinite(se) & (se > 0)
        w = se[inside] / (surv[inside] * np.abs(np.log(surv[inside])))
        low[inside] = surv[inside] ** np.exp(z * w)
        high[inside] = surv[inside] ** np.exp(-z * w)
    return low, high


def _kaplan_meier(timed: pd.DataFrame, by: str, level: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    z = float(norm.ppf(0.5 + level / 2))
    curve_parts: list[pd.DataFrame] = []
    rows: list[dict[str, Any]] = []
    for group, sub in timed.groupby(by, sort=False):
        days = sub["days"].to_numpy(dtype=float)
        status = sub["event"].to_numpy(dtype=float)
        n = len(days)
        n_events = int(status.sum())
        times, where_ = np.unique(days, return_inverse=True)
        at_risk = n - np.searchsorted(np.sort(days), times, side="left")
        d = np.bincount(where_, weights=status, minlength=len(times)).astype("int64")
        c = np.bincount(where_, minlength=len(times)).astype("int64") - d
        surv = np.ones(len(times))
        se = np.zeros(len(times))
        median = low = high = np.nan
        if n_events:
            with np.errstate(divide="ignore", invalid="ignore"):
                sf = SurvfuncRight(days, status)
                median = float(sf.quantile(0.5))
                low, high = (float(v) for v in sf.quantile_ci(0.5, alpha=1 - level))
            idx = np.searchsorted(sf.surv_times, times, side="right") - 1
            has = idx >= 0
            surv[has] = sf.surv_prob[idx[has]]
            se[has] = sf.surv_prob_se[idx[has]]
        ci_low, ci_high = _loglog_ci(surv, se, z)
        start = pd.DataFrame(
            {
                by: [group],
                "days": [0.0],
                "survival": [1.0],
                "ci_low": [1.0],
                "ci_high": [1.0],
                "at_risk": [n],
                "events": [0],
                "censored": [0],
            }
        )
        body = pd.DataFrame(
            {
                by: group,
                "days": times,
                "survival": surv,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "at_risk": at_risk.astype("int64"),
                "events": d,
                "censored": c,
            }
        )
        curve_parts.extend([start, body])
        rows.append(
            {
                by: group,
                "n": n,
                "events": n_events,
                "censored": n - n_events,
                "median_days": median,
                "median_low": low,
                "median_high": high if np.isfinite(high) else np.nan,
            }
        )
    columns = ["days", "survival", "ci_low", "ci_high", "at_risk", "events", "censored"]
    if curve_parts:
        curves = pd.concat(curve_parts, ignore_index=True)
    else:
        curves = pd.DataFrame({c: pd.Series(dtype="float64") for c in [by, *columns]})
        curves[by] = curves[by].astype(str)
    for column in ("at_risk", "events", "censored"):
        curves[column] = curves[column].astype("int64")
    summary_columns = [by, "n", "events", "censored", "median_days", "median_low", "median_high"]
    summary = pd.DataFrame(rows, columns=summary_columns)
    for column in ("n", "events", "censored"):
        summary[column] = summary[column].astype("int64")
    for column in ("median_days", "median_low", "median_high"):
        summary[column] = summary[column].astype("float64")
    return curves, summary


def _log_rank(timed: pd.DataFrame, by: str, strata: str | None) -> pd.DataFrame:
    groups: Sequence[str] = timed[by].unique().tolist()
    name = "log-rank" if strata is None else f"log-rank stratified by {strata}"
    row: dict[str, Any] = {"test": name, "statistic": np.nan, "dof": len(groups) - 1}
    row.update(p_value=np.nan, note="")
    if len(groups) < 2:
        row["dof"] = 0
        row["note"] = "fewer than two groups: nothing to compare"
    elif not timed["event"].any():
        row["note"] = "no lead reached the stage: nothing to compare"
    else:
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                statistic, p_value = survdiff(
                    timed["days"].to_numpy(dtype=float),
                    timed["event"].to_numpy(dtype=float),
                    timed[by].to_numpy(dtype=object),
                    strata=None if strata is None else timed[strata].to_numpy(dtype=object),
                )
            row.update(statistic=float(statistic), p_value=float(p_value))
        except np.linalg.LinAlgError:
            row["note"] = "groups without leads at risk at any event time: test undefined"
    frame = pd.DataFrame([row], columns=["test", "statistic", "dof", "p_value", "note"])
    frame["dof"] = frame["dof"].astype("int64")
    return frame
