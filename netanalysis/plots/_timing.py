"""Time: Kaplan–Meier curves of time to response, and weekly activity by channel.

Both figures are bounded in size whatever the number of leads: a curve keeps only the
times where it steps (then at most ``max_points`` points), censor marks are binned, and
activity is counted per period.

Examples:
    >>> import netanalysis as na
    >>> sim = na.simulate(n_leads=300, seed=1)
    >>> fig = na.plots.survival(na.time_to(sim.events, as_of=sim.as_of))
    >>> fig.layout.annotations[0].text
    'number at risk'
    >>> na.plots.activity(sim.events).data[0].type
    'bar'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from netanalysis.errors import check_choice, check_range
from netanalysis.funnel import lead_times
from netanalysis.plots._style import (
    colors_for,
    empty_figure,
    fmt_compact,
    fmt_count,
    group_label,
    group_order,
    readable,
    rgba,
    template,
    titled,
)
from netanalysis.schema import STAGES
from netanalysis.stats import findings as fw

if TYPE_CHECKING:
    from netanalysis.stats.timing import TimeToResult

__all__ = ["activity", "survival"]

#: Candidate spacings (days) of the number-at-risk columns.
_TICK_STEPS = (1, 2, 3, 5, 7, 14, 21, 30, 60, 90, 180, 365, 730)

#: Most censor marks drawn per group (more are binned).
_MAX_MARKS = 30

#: Pixels between the curves and the number-at-risk table.
_GAP = 70

_OUTCOME_STYLE = {
    0: {"symbol": "diamond", "color": "#444444"},
    1: {"symbol": "star", "color": "#000000"},
    2: {"symbol": "triangle-up", "color": "#777777"},
}


def _step_rows(curve: pd.DataFrame, max_points: int) -> pd.DataFrame:
    """The rows where the curve steps (plus the first and last), at most ``max_points``.

    A step plot (``line_shape="hv"``) of these rows is the same function as of all rows;
    beyond ``max_points`` the curve is read on an even grid of days instead.
    """
    surv = curve["survival"].to_numpy(dtype=float)
    keep = np.ones(len(curve), dtype=bool)
    if len(curve) > 2:
        keep[1:-1] = surv[1:-1] != surv[:-2]
    rows = curve[keep]
    if len(rows) <= max_points:
        return rows
    days = curve["days"].to_numpy(dtype=float)
    grid = np.linspace(days[0], days[-1], max_points)
    idx = np.searchsorted(days, grid, side="right") - 1
    out = curve.iloc[np.clip(idx, 0, len(curve) - 1)].copy()
    out["days"] = grid
    return out


def _censor_marks(curve: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(days, survival, leads censored) of the censor marks, binned to at most 30."""
    rows = curve[curve["censored"] > 0]
    days = rows["days"].to_numpy(dtype=float)
    surv = rows["survival"].to_numpy(dtype=float)
    count = rows["censored"].to_numpy(dtype=np.int64)
    if len(rows) <= _MAX_MARKS:
        return days, surv, count
    edges = np.linspace(days[0], days[-1], _MAX_MARKS + 1)
    bins = np.clip(np.searchsorted(edges, days, side="right") - 1, 0, _MAX_MARKS - 1)
    last = np.full(_MAX_MARKS, -1)
    np.maximum.at(last, bins, np.arange(len(days)))
    used = last >= 0
    return days[last[used]], surv[last[used]], np.bincount(bins, count, _MAX_MARKS)[used]


def _tick_days(longest: float) -> np.ndarray:
    step = next((s for s in _TICK_STEPS if longest / s <= 6), _TICK_STEPS[-1])
    return np.arange(0, longest + 1e-9, step, dtype=float)


def _at_risk(curve: pd.DataFrame, ticks: np.ndarray) -> np.ndarray:
    """Leads still watched at each tick: ``at_risk`` of the first curve row at or after it."""
    days = curve["days"].to_numpy(dtype=float)
    at_risk = curve["at_risk"].to_numpy(dtype=np.int64)
    idx = np.searchsorted(days, ticks, side="left")
    return np.where(idx < len(days), at_risk[np.minimum(idx, len(days) - 1)], 0)


def survival(
    time_to_result: TimeToResult,
    *,
    kind: Literal["waiting", "reached"] = "waiting",
    max_points: int = 300,
) -> go.Figure:
    """Kaplan–Meier curves per group, with interval bands, censor marks and numbers at risk.

    Args:
        time_to_result: the result of :func:`netanalysis.time_to`.
        kind: ``"waiting"`` (default): the Kaplan–Meier curve, the share still waiting
            for the stage; ``"reached"``: one minus it, the share that got there.
        max_points: most points per curve. A curve keeps every time it steps; a longer one
            is read on an even grid of this many days (the figure stays small for a
            million leads).

    Returns:
        A figure with two rows sharing the x axis (days). Top: per group, two traces for
        the interval band (``ci_high`` then ``ci_low`` filled to it; NaN intervals drawn
        as the curve itself), then per group the step curve (``line_shape="hv"``, hover:
        at risk n and reached k) and the censor marks (``|``; binned to at most 30 per
        group, hover: leads censored). Bottom: the number at risk per group at the x axis
        ticks (text traces, one per group).

    Examples:
        >>> import netanalysis as na
        >>> sim = na.simulate(n_leads=200, seed=2)
        >>> tt = na.time_to(sim.events, by="mode", as_of=sim.as_of)
        >>> fig = na.plots.survival(tt)
        >>> lines = [t for t in fig.data if t.meta == "curve"]
        >>> len(lines) == len(tt.summary)
        True
    """
    check_choice("kind", kind, ("waiting", "reached"), where="plots.survival")
    check_range("max_points", max_points, where="plots.survival", low=10, inclusive=True)
    tt = time_to_result
    by = str(tt.by)
    curves = tt.curves
    noun = fw.stage_phrase(str(tt.stage), noun=True)
    title = f"Time from {tt.from_stage} to {tt.stage}"
    if curves.empty:
        return empty_figure(title, "No lead could be timed.")
    groups = list(dict.fromkeys([*map(str, tt.summary[by]), *map(str, curves[by])]))
    groups = [g for g in groups if (curves[by].astype(str) == g).any()]
    colors = dict(zip(groups, colors_for(by, groups)))
    per_group = {
        g: c.sort_values("days", kind="stable")
        for g, c in curves.groupby(curves[by].astype(str), sort=False)
    }
    risk_rows = 28 * len(groups) + 30
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[340, risk_rows],
        vertical_spacing=_GAP / (340 + risk_rows + _GAP),
    )
    fig.update_layout(template=template())
    flip = kind == "reached"

    def y_of(values: np.ndarray) -> np.ndarray:
        return 1 - values if flip else values

    lines = []
    for group in groups:
        curve = per_group[group].copy()
        curve["reached"] = curve["events"].cumsum()
        rows = _step_rows(curve, max_points)
        days = rows["days"].to_numpy(dtype=np.float32)
        surv = rows["survival"].to_numpy(dtype=np.float32)
        lo = rows["ci_low"].fillna(rows["survival"]).to_numpy(dtype=np.float32)
        hi = rows["ci_high"].fillna(rows["survival"]).to_numpy(dtype=np.float32)
        band_top, band_bottom = (y_of(lo), y_of(hi)) if flip else (hi, lo)
        label = group_label(by, group)
        color = colors[group]
        for edge, fill in ((band_top, None), (band_bottom, "tonexty")):
            fig.add_trace(
                go.Scatter(
                    x=days,
                    y=edge,
                    mode="lines",
                    line={"width": 0, "shape": "hv", "color": color},
                    fill=fill,
                    fillcolor=rgba(color, 0.12),
                    legendgroup=group,
                    showlegend=False,
                    hoverinfo="skip",
                    meta="band",
                    name=label,
                ),
                row=1,
                col=1,
            )
        custom = np.column_stack(
            [
                rows["at_risk"].to_numpy(dtype=np.float32),
                rows["reached"].to_numpy(dtype=np.float32),
                y_of(lo) if not flip else y_of(hi),
                y_of(hi) if not flip else y_of(lo),
            ]
        ).astype(np.float32)
        lines.append(
            go.Scatter(
                x=days,
                y=y_of(surv),
                mode="lines",
                line={"shape": "hv", "color": color, "width": 2.5},
                name=label,
                legendgroup=group,
                customdata=custom,
                meta="curve",
                hovertemplate=(
                    f"<b>{label}</b>, day %{{x:.1f}}: %{{y:.1%}} "
                    f"{'reached' if flip else 'still waiting'}<br>interval "
                    "%{customdata[2]:.1%} – %{customdata[3]:.1%}<br>n = %{customdata[0]:,} at "
                    "risk, k = %{customdata[1]:,} reached so far<extra></extra>"
                ),
            )
        )
        mark_days, mark_surv, mark_n = _censor_marks(curve)
        lines.append(
            go.Scatter(
                x=mark_days.astype(np.float32),
                y=y_of(mark_surv).astype(np.float32),
                mode="markers",
                marker={
                    "symbol": "line-ns",
                    "size": 7,
                    "color": color,
                    "line": {"width": 1.5, "color": color},
                },
                customdata=mark_n,
                legendgroup=group,
                showlegend=False,
                meta="censored",
                name=label,
                hovertemplate=(
                    f"<b>{label}</b>, day %{{x:.1f}}: %{{customdata:,}} censored<extra></extra>"
                ),
            )
        )
    for trace in lines:
        fig.add_trace(trace, row=1, col=1)

    longest = float(curves["days"].max())
    ticks = _tick_days(longest)
    labels = [group_label(by, g) for g in groups]
    for group, label in zip(groups, labels):
        at_risk = _at_risk(per_group[group], ticks)
        fig.add_trace(
            go.Scatter(
                x=ticks,
                y=[label] * len(ticks),
                mode="text",
                text=[fmt_compact(v) for v in at_risk],
                customdata=at_risk,
                textfont={"size": 11, "color": readable(colors[group])},
                showlegend=False,
                meta="at_risk",
                name=label,
                hovertemplate=(
                    f"<b>{label}</b>, day %{{x:g}}: n = %{{customdata:,}} at risk<extra></extra>"
                ),
            ),
            row=2,
            col=1,
        )
    pad = max(longest * 0.04, 0.5)
    span = [-2 * pad, longest + pad]
    fig.update_xaxes(
        title={"text": f"days since {tt.from_stage}"},
        range=span,
        tickvals=ticks,
        showticklabels=True,
        row=1,
        col=1,
    )
    fig.update_xaxes(
        range=span,
        tickvals=ticks,
        showticklabels=False,
        ticks="",
        showline=False,
        showgrid=False,
        row=2,
        col=1,
    )
    what = f"share still waiting for {noun}" if not flip else f"share that got {noun}"
    fig.update_yaxes(title={"text": what}, range=[0, 1.02], tickformat=".0%", row=1, col=1)
    fig.add_annotation(
        text="number at risk",
        x=0,
        xref="paper",
        xanchor="left",
        y=1,
        yref="y2 domain",
        yanchor="bottom",
        showarrow=False,
        font={"size": 13},
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=labels[::-1],
        showgrid=False,
        showline=False,
        ticks="",
        row=2,
        col=1,
    )
    legend = 30 * ((len(groups) + 1) // 2)
    fig.update_layout(height=int(90 + 340 + _GAP + risk_rows + 50 + legend))
    test = tt.test.iloc[0] if len(tt.test) else None
    first = f"Kaplan–Meier with {tt.level:.0%} bands"
    if test is not None and len(groups) > 1 and not pd.isna(test["p_value"]):
        first += f"; log-rank {fw.fmt_p(float(test['p_value']))}"
    return titled(fig, title, first, "| = censored: still open, or closed without it")


_FREQS = {"D": "day", "W": "week", "M": "month"}

#: plotly period of each frequency (bars span their period) and a period start.
_PERIODS = {
    "D": (86_400_000, "2000-01-03"),
    "W": (604_800_000, "2000-01-03"),
    "M": ("M1", "2000-01-01"),
}


def _period_start(stamps: pd.Series, freq: str) -> pd.Series:
    """Start of each timestamp's period (UTC days; weeks start on Monday)."""
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    day = stamps.dt.floor("D")
    if freq == "D":
        return day
    if freq == "W":
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    return day - pd.to_timedelta(day.dt.day - 1, unit="D")


def activity(
    events: Any,
    *,
    by: str = "channel",
    freq: Literal["D", "W", "M"] = "W",
    outcomes: Sequence[str] = ("interview", "offer"),
) -> go.Figure:
    """What you did when: leads started per week by channel, with the outcomes marked.

    Args:
        events: an events frame (pandas or any narwhals backend).
        by: grouping column of the stacked bars.
        freq: period of the bars: ``"D"`` (day), ``"W"`` (week, starting Monday, UTC),
            ``"M"`` (month).
        outcomes: stages marked below the bars, each when a lead first reached it.

    Returns:
        A figure with two rows sharing the x axis (period start dates, ``YYYY-MM-DD``).
        Top: one bar trace per group (stacked): leads whose first contact fell in the
        period (hover: n started, k of them that reached the first outcome). Bottom: one
        marker trace per outcome: leads that first reached it in the period (hover: per
        group). Leads without a dated first contact are left out (counted in the subtitle).

    Examples:
        >>> import netanalysis as na
        >>> events = na.simulate(n_leads=300, seed=1).events
        >>> fig = na.plots.activity(events)
        >>> bars = [t for t in fig.data if t.type == "bar"]
        >>> int(sum(sum(t.y) for t in bars))
        300
    """
    check_choice("freq", freq, tuple(_FREQS), where="plots.activity")
    outcomes = list(dict.fromkeys(outcomes))
    for stage in outcomes:
        check_choice("outcomes", stage, tuple(STAGES), where="plots.activity")
    unit = _FREQS[freq]
    period = {
        "xperiod": _PERIODS[freq][0],
        "xperiod0": _PERIODS[freq][1],
        "xperiodalignment": "middle",
    }
    title = f"Leads started per {unit}, by {by}"
    if isinstance(events, pd.DataFrame) and events.empty:
        return empty_figure(title, "No leads to show.")
    wanted = list(dict.fromkeys(["contacted", *outcomes]))
    leads = lead_times(events, stages=wanted, by=by)
    leads = leads[leads["reached_contacted"]]
    undated = int(leads["t_contacted"].isna().sum())
    leads = leads[leads["t_contacted"].notna()]
    if leads.empty:
        return empty_figure(title, "No dated leads to show.")
    leads = leads.assign(
        _group=leads[by].astype(str),
        _period=_period_start(leads["t_contacted"], freq),
    )
    groups = group_order(sorted(leads["_group"].unique().tolist()), by)
    colors = dict(zip(groups, colors_for(by, groups)))
    first = outcomes[0] if outcomes else None
    agg = {"n": ("lead", "size")}
    if first:
        agg["k"] = (f"reached_{first}", "sum")
    table = leads.groupby(["_period", "_group"], sort=True).agg(**agg).reset_index()
    table["_period"] = table["_period"].dt.strftime("%Y-%m-%d")  # after grouping: fast
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.08
    )
    fig.update_layout(template=template())
    for group in groups:
        rows = table[table["_group"] == group]
        if rows.empty:
            continue
        label = group_label(by, group)
        k = rows["k"] if first else pd.Series(0, index=rows.index)
        custom = np.column_stack([rows["n"].to_numpy(np.int64), k.to_numpy(np.int64)])
        reach = f"<br>k = %{{customdata[1]:,}} of them reached {first}" if first else ""
        fig.add_trace(
            go.Bar(
                x=rows["_period"].tolist(),
                y=rows["n"].to_numpy(np.int64),
                name=label,
                legendgroup=group,
                marker={"color": colors[group], "line": {"width": 0}},
                **period,
                customdata=custom,
                hovertemplate=(
                    f"<b>{label}</b>, {unit} of %{{x|%Y-%m-%d}}<br>n = %{{customdata[0]:,}} "
                    f"leads started{reach}<extra></extra>"
                ),
            ),
            row=1,
            col=1,
        )
    for i, stage in enumerate(outcomes):
        times = leads.loc[leads[f"t_{stage}"].notna()]
        if times.empty:
            continue
        times = times.assign(_when=_period_start(times[f"t_{stage}"], freq))
        per = times.groupby(["_when", "_group"], sort=True).size()
        per.index = per.index.set_levels(per.index.levels[0].strftime("%Y-%m-%d"), level=0)
        totals = per.groupby(level=0, sort=True).sum()
        detail = []
        for when in totals.index:
            parts = per.loc[when]
            ordered = [g for g in groups if g in parts.index]
            detail.append(", ".join(f"{group_label(by, g)} {fmt_count(parts[g])}" for g in ordered))
        style = _OUTCOME_STYLE.get(i, _OUTCOME_STYLE[2])
        plural = fw.stage_phrase(stage, plural=True)
        fig.add_trace(
            go.Scatter(
                x=totals.index.tolist(),
                y=totals.to_numpy(np.int64),
                mode="markers",
                name=plural,
                marker={"symbol": style["symbol"], "size": 10, "color": style["color"]},
                **period,
                customdata=detail,
                hovertemplate=(
                    f"{unit} of %{{x|%Y-%m-%d}}: %{{y:,}} {plural}<br>%{{customdata}}"
                    "<extra></extra>"
                ),
            ),
            row=2,
            col=1,
        )
    fig.update_layout(
        barmode="stack",
        bargap=0.15,
        height=560,
        legend={"traceorder": "normal"},
    )
    fig.update_xaxes(type="date", row=1, col=1)
    fig.update_xaxes(type="date", title={"text": f"{unit} (UTC)"}, row=2, col=1)
    fig.update_yaxes(title={"text": f"leads per {unit}"}, rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title={"text": "outcomes"}, rangemode="tozero", row=2, col=1)
    lines = [f"{fmt_count(len(leads))} leads, by date of first contact"]
    if outcomes:
        lines.append("below: " + ", ".join(fw.stage_phrase(s, plural=True) for s in outcomes))
    if undated:
        lines.append(f"{fmt_count(undated)} undated leads left out")
    return titled(fig, title, *lines)
