"""Counts along the funnel: the funnel chart and the Sankey diagram of where leads go.

Both figures are drawn from the small counts table (:func:`netanalysis.funnel`), never
from leads: their size depends on the number of groups and stages only.

Examples:
    >>> import netanalysis as na
    >>> events = na.simulate(n_leads=300, seed=1).events
    >>> fig = na.plots.funnel(events)
    >>> [t.type for t in fig.data][:2]
    ['funnel', 'funnel']
    >>> na.plots.sankey(events).data[0].type
    'sankey'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from netanalysis.funnel import funnel as count_funnel
from netanalysis.funnel import is_counts
from netanalysis.plots._style import (
    DROP_COLOR,
    STAGE_COLOR,
    colors_for,
    empty_figure,
    fmt_count,
    fmt_pct,
    group_label,
    new_figure,
    rgba,
    titled,
)
from netanalysis.schema import STAGES

__all__ = ["funnel", "sankey"]

#: Names of the drop-out node before each stage in the Sankey diagram.
_DROP_LABELS: dict[str, str] = {
    "contacted": "not contacted",
    "responded": "no response",
    "meeting": "no meeting",
    "referral": "no referral",
    "interview": "no interview",
    "offer": "no offer",
    "accepted": "not accepted",
    "rejected": "not rejected",
    "withdrawn": "not withdrawn",
}


def _counts_of(
    data: Any, *, by: str, stages: Sequence[str] | None
) -> tuple[pd.DataFrame, str, list[str]]:
    """(counts with one string label per row, the by name, the group labels)."""
    if (
        isinstance(data, pd.DataFrame)
        and data.empty
        and not {"lead", "stage"} & set(data.columns)
        and any(c in STAGES for c in data.columns)
    ):
        columns = list(stages) if stages is not None else [c for c in data if c in STAGES]
        return pd.DataFrame(columns=columns, dtype="int64"), by, []
    if is_counts(data):
        counts = count_funnel(data, stages=stages)
        names = [n for n in counts.index.names if n is not None]
        by_name = " / ".join(str(n) for n in names) if names else by
    else:
        counts = count_funnel(data, by=by, stages=stages)
        by_name = by
    if isinstance(counts.index, pd.MultiIndex):
        labels = [" / ".join(str(v) for v in key) for key in counts.index]
    else:
        labels = [str(v) for v in counts.index]
    counts = counts.set_axis(labels, axis=0)
    return counts, by_name, labels


def funnel(
    counts_or_events: Any,
    *,
    by: str = "channel",
    stages: Sequence[str] | None = None,
    normalize: bool = False,
) -> go.Figure:
    """The funnel of each group: leads reaching each stage and the stage-to-stage rates.

    Args:
        counts_or_events: a counts table (as :func:`netanalysis.funnel` returns: one row
            per group, one column per stage) or an events frame (counted here with
            ``by`` and ``stages``).
        by: grouping column, for events (a counts table brings its own groups).
        stages: the funnel (events) or the stage columns to draw (counts); default: the
            default funnel / every stage column.
        normalize: draw each group's counts as a share of its first stage, so that small
            and large groups can be compared; the labels still give the counts.

    Returns:
        A figure with one ``go.Funnel`` trace per group (name = group label, ``y`` = the
        stages, ``x`` = the counts, or the shares with ``normalize``). The label of each
        bar gives the count and the rate from the previous stage; the hover text gives
        ``k`` of ``n`` (this stage of the previous one) and the share of the first stage.

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> fig = na.plots.funnel(counts)
        >>> [t.x.tolist() for t in fig.data]
        [[23, 7], [212, 16]]
        >>> fig.data[0].text[1]
        '7 · 30%'
    """
    counts, by_name, groups = _counts_of(counts_or_events, by=by, stages=stages)
    title = "Funnel by " + by_name
    if counts.empty:
        return empty_figure(title, "No leads to show.")
    stage_names = [str(c) for c in counts.columns]
    fig = new_figure()
    for group, color in zip(groups, colors_for(by_name, groups)):
        k = counts.loc[group].to_numpy(dtype=np.int64)
        n = np.concatenate([k[:1], k[:-1]])
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(n > 0, k / np.maximum(n, 1), np.nan)
            share = np.where(k[0] > 0, k / max(int(k[0]), 1), np.nan)
        text = [
            fmt_count(k[0]) if i == 0 else f"{fmt_count(k[i])} · {fmt_pct(rate[i], 0)}"
            for i in range(len(k))
        ]
        custom = [
            [
                fmt_count(k[i]),
                fmt_count(n[i]),
                stage_names[max(i - 1, 0)],
                fmt_pct(rate[i]),
                fmt_pct(share[i]),
            ]
            for i in range(len(k))
        ]
        label = group_label(by_name, group)
        fig.add_trace(
            go.Funnel(
                name=label,
                y=stage_names,
                x=share if normalize else k,
                text=text,
                textinfo="text",
                textposition="auto",
                textfont={"size": 12},
                customdata=custom,
                marker={"color": color},
                connector={"visible": False},
                hovertemplate=(
                    f"<b>{label}</b><br>%{{y}}: %{{customdata[0]}} leads<br>"
                    "k = %{customdata[0]} of n = %{customdata[1]} at %{customdata[2]} "
                    "(%{customdata[3]})<br>%{customdata[4]} of the first stage<extra></extra>"
                ),
            )
        )
    n_groups = len(groups)
    fig.update_layout(
        funnelmode="group",
        height=int(180 + len(stage_names) * (24 + 16 * n_groups)),
        xaxis={
            "title": {"text": "share of first stage" if normalize else "leads"},
            "tickformat": ".0%" if normalize else ",d",
        },
        yaxis={"title": {"text": ""}, "ticks": ""},
        legend={"traceorder": "normal"},
    )
    total = int(counts.iloc[:, 0].sum())
    return titled(
        fig,
        title,
        f"{fmt_count(total)} leads" + ("; bars: share of the first stage" if normalize else ""),
        "labels: count · rate from the previous stage",
    )


def sankey(
    events: Any,
    *,
    by: str = "channel",
    stages: Sequence[str] | None = None,
) -> go.Figure:
    """How leads flow from each group through the stages, and where they drop out.

    The left column has one node per group (its leads that reached the first stage);
    each later column one node per stage plus a drop-out node ("no response", "no
    interview", ...) for the leads that stopped before it. Links keep the colour of the
    group they carry, so a group can be followed to the end.

    Args:
        events: an events frame, or a counts table (as :func:`netanalysis.funnel` returns).
        by: grouping column (events).
        stages: the funnel; default ``contacted, responded, interview, offer``.

    Returns:
        A figure with one ``go.Sankey`` trace. Nodes are aggregates (groups, stages,
        drop-outs), never leads; link values are counts of leads: the links leaving a
        group's node sum to its first-stage count.

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> s = na.plots.sankey(counts).data[0]
        >>> list(s.node.label)
        ['referral', 'job board', 'interview', 'no interview']
        >>> list(s.link.value)
        [7, 16, 16, 196]
    """
    counts, by_name, groups = _counts_of(events, by=by, stages=stages)
    title = f"Where leads went, by {by_name}"
    if not counts.empty:
        counts = counts[counts.iloc[:, 0] > 0]
    if counts.empty:
        return empty_figure(title, "No leads to show.")
    groups = [str(g) for g in counts.index]
    stage_names = [str(c) for c in counts.columns]
    colors = colors_for(by_name, groups)

    labels = [group_label(by_name, g) for g in groups]
    node_colors = list(colors)
    # Fixed positions: column 0 the groups, column i stage i above its drop-outs, each
    # node at its share of all leads (plotly's "snap" arrangement resolves overlaps).
    totals = counts.sum(axis=0).to_numpy(dtype=np.int64)
    first = float(totals[0])
    spare = 0.15  # share of the height left for the gaps between nodes
    scale = 1 - spare
    columns = len(stage_names) - 1
    sizes = counts.iloc[:, 0].to_numpy(dtype=float)
    before = np.concatenate([[0.0], np.cumsum(sizes)[:-1]])
    gaps = spare / len(groups)
    node_x = [0.001] * len(groups)
    node_y = [
        float(0.01 + (b + s / 2) / first * scale * 0.95 + gaps * g)
        for g, (b, s) in enumerate(zip(before, sizes))
    ]
    stage_node: dict[int, int] = {}
    drop_node: dict[int, int] = {}
    for i, stage in enumerate(stage_names[1:], start=1):
        stage_node[i] = len(labels)
        labels.append(stage)
        node_colors.append(STAGE_COLOR)
        node_x.append(min(i / columns, 0.999))
        node_y.append(float(totals[i] / 2 / first * scale + 0.001))
    for i, stage in enumerate(stage_names[1:], start=1):
        drop_node[i] = len(labels)
        labels.append(_DROP_LABELS.get(stage, f"not {stage}"))
        node_colors.append(DROP_COLOR)
        node_x.append(min(i / columns, 0.999))
        lost = totals[i - 1] - totals[i]
        node_y.append(float((totals[i] + lost / 2) / first * scale + spare / 2))

    source: list[int] = []
    target: list[int] = []
    value: list[int] = []
    link_colors: list[str] = []
    custom: list[list[str]] = []

    def link(src: int, dst: int, v: int, color: str, what: list[str]) -> None:
        if v > 0:
            source.append(src)
            target.append(dst)
            value.append(v)
            link_colors.append(color)
            custom.append(what)

    for g, (group, color) in enumerate(zip(groups, colors)):
        k = counts.loc[group].to_numpy(dtype=np.int64)
        name = group_label(by_name, group)
        for i in range(1, len(stage_names)):
            src = g if i == 1 else stage_node[i - 1]
            prev = int(k[i - 1])
            got, lost = int(k[i]), int(k[i - 1] - k[i])
            at = stage_names[i - 1]
            link(
                src,
                stage_node[i],
                got,
                rgba(color, 0.5),
                [name, fmt_count(prev), at, fmt_pct(got / prev if prev else float("nan"))],
            )
            link(
                src,
                drop_node[i],
                lost,
                rgba(color, 0.2),
                [name, fmt_count(prev), at, fmt_pct(lost / prev if prev else float("nan"))],
            )

    trace = go.Sankey(
        arrangement="snap",
        valueformat=",d",
        node={
            "label": labels,
            "color": node_colors,
            "x": node_x,
            "y": node_y,
            "pad": 14,
            "thickness": 14,
            "line": {"width": 0},
            "hovertemplate": "%{label}: %{value:,} leads<extra></extra>",
        },
        link={
            "source": source,
            "target": target,
            "value": value,
            "color": link_colors,
            "customdata": custom,
            "hovertemplate": (
                "<b>%{customdata[0]}</b>: %{source.label} → %{target.label}<br>"
                "k = %{value:,} of n = %{customdata[1]} at %{customdata[2]} "
                "(%{customdata[3]})<extra></extra>"
            ),
        },
    )
    fig = new_figure(height=int(max(420, 180 + 34 * len(groups))))
    fig.add_trace(trace)
    fig.update_layout(margin={"l": 8, "r": 8, "b": 24})
    total = int(counts.iloc[:, 0].sum())
    return titled(
        fig,
        title,
        f"{fmt_count(total)} leads, {stage_names[0]} → {stage_names[-1]}",
        "grey nodes: where leads stopped",
    )
