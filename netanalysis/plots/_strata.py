"""Rates within strata next to the pooled rate, from :func:`netanalysis.stratified`.

The picture behind a Simpson's paradox: each group's rate in every stratum (seeker,
seniority, ...) and, on the top row, its rate pooled over all strata, with a dashed line
at that pooled rate so that each stratum can be read against it. The subtitle gives the
pooled and the within-strata (Mantel–Haenszel) odds ratios of the result's comparisons.

Examples:
    >>> import netanalysis as na
    >>> sim = na.simulate(n_leads=400, seekers=5, seed=3)
    >>> res = na.stratified(sim.events, groups=["referral", "job_board"])
    >>> fig = na.plots.strata(res)
    >>> [t.name for t in fig.data], fig.data[0].y[0]
    (['job board', 'referral'], '<b>all seekers (pooled)</b>')
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from netanalysis.errors import check_range
from netanalysis.plots._style import (
    colors_for,
    empty_figure,
    fmt_count,
    fmt_pct,
    group_label,
    new_figure,
    titled,
)
from netanalysis.stats import findings as fw
from netanalysis.stats._outcomes import display_order

if TYPE_CHECKING:
    from netanalysis.stats.cohort import StratifiedResult

__all__ = ["strata"]

#: Marker sizes (pixels) of the smallest and the largest cell (area grows with n).
_SIZE = (6.0, 18.0)

#: Pixels per row of the figure.
_ROW = 24


def _groups(res: StratifiedResult, cells: pd.DataFrame) -> list[str]:
    """The groups compared: channels and modes in taxonomy order, others alphabetical."""
    named = [str(g) for g in [*res.pairs["group_a"], *res.pairs["group_b"]]]
    return display_order([*named, *(str(g) for g in cells[res.by])], str(res.by))


def _chosen_strata(cells: pd.DataFrame, by: str, column: str, most: int) -> list[str]:
    """At most ``most`` strata: those with leads in two or more groups first, then the
    largest, then by name; shown in that order (most informative on top)."""
    per = cells.groupby(column, sort=True).agg(n=("n", "sum"), groups=(by, "nunique"))
    per = per.assign(_both=per["groups"] >= 2, _name=per.index.astype(str))
    per = per.sort_values(["_both", "n", "_name"], ascending=[False, False, True], kind="stable")
    return [str(s) for s in per.index[:most]]


def _sizes(n: np.ndarray, largest: float) -> np.ndarray:
    low, high = _SIZE
    return low + (high - low) * np.sqrt(np.asarray(n, dtype=float) / max(largest, 1.0))


def _pair_line(res: StratifiedResult, row: pd.Series) -> str:
    a, b = group_label(res.by, row["group_a"]), group_label(res.by, row["group_b"])
    within = fw.by_plural(res.strata)
    text = (
        f"{a} vs {b}: odds ratio pooled {fw.fmt_ratio(row['crude_or'])}, "
        f"within {html.escape(within)} {fw.fmt_ratio(row['odds_ratio'])}"
    )
    return text + (" (Simpson's paradox)" if bool(row["simpson"]) else "")


def strata(stratified_result: StratifiedResult, *, max_strata: int = 30) -> go.Figure:
    """Each group's rate in every stratum, next to its rate pooled over the strata.

    Args:
        stratified_result: the result of :func:`netanalysis.stratified`.
        max_strata: most strata drawn (rows). Strata where two or more groups have leads
            come first (only they inform the within-strata comparison), then the largest;
            the subtitle says how many were left out. The pooled row always uses them all.

    Returns:
        A figure with one scatter trace per group (legend: the group), ``y`` = rows (the
        pooled row on top, in bold, then the strata), ``x`` = rates (NaN where a stratum
        has no lead of the group); marker area grows with the stratum's leads, the pooled
        point is a diamond; hover: k of n. One dashed vertical line (a layout shape) per
        group at its pooled rate. The subtitle gives, for up to two comparisons, the
        pooled and the within-strata (Mantel–Haenszel) odds ratios.

    Raises:
        ParameterError: ``max_strata`` below 1.

    Examples:
        >>> import netanalysis as na
        >>> sim = na.simulate(n_leads=400, seekers=5, seed=3)
        >>> fig = na.plots.strata(na.stratified(sim.events, groups=["referral", "job_board"]))
        >>> len(fig.data[0].y), len(fig.layout.shapes)
        (6, 2)
    """
    check_range("max_strata", max_strata, where="plots.strata", low=1, inclusive=True)
    res = stratified_result
    by, column = str(res.by), str(res.strata)
    title = f"Rates within {fw.by_plural(column)} and pooled"
    cells = res.by_stratum
    if cells.empty or res.pairs.empty:
        return empty_figure(title, "Nothing to compare.")
    cells = cells.assign(**{column: cells[column].astype(str), by: cells[by].astype(str)})
    groups = _groups(res, cells)
    shown = _chosen_strata(cells, by, column, int(max_strata))
    total = cells[column].nunique()
    pooled_label = f"<b>all {html.escape(fw.by_plural(column))} (pooled)</b>"
    labels = [pooled_label, *[html.escape(s) for s in shown]]
    pooled = cells.groupby(by, sort=False)[["k", "n"]].sum()
    wide_n = cells.pivot_table(index=column, columns=by, values="n", aggfunc="sum")
    wide_k = cells.pivot_table(index=column, columns=by, values="k", aggfunc="sum")
    wide_n = wide_n.reindex(index=shown, columns=groups)
    wide_k = wide_k.reindex(index=shown, columns=groups)
    largest = float(np.nanmax(wide_n.to_numpy(dtype=float))) if len(shown) else 1.0
    stage = fw.stage_phrase(res.to_stage)

    fig = new_figure()
    upper = 0.0
    lines: list[dict[str, Any]] = []
    for group, color in zip(groups, colors_for(by, groups)):
        k_all, n_all = (int(pooled.loc[group, c]) if group in pooled.index else 0 for c in "kn")
        n = np.concatenate([[n_all], wide_n[group].to_numpy(dtype=float)])
        k = np.concatenate([[k_all], wide_k[group].to_numpy(dtype=float)])
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(n > 0, k / n, np.nan)
        sizes = _sizes(np.nan_to_num(n[1:]), largest)
        custom = [
            [fmt_count(ki), fmt_count(ni), fmt_pct(ri)] if ni > 0 else ["0", "0", "–"]
            for ki, ni, ri in zip(np.nan_to_num(k), np.nan_to_num(n), rate)
        ]
        name = group_label(by, group)
        fig.add_trace(
            go.Scatter(
                x=rate,
                y=labels,
                mode="markers",
                name=name,
                marker={
                    "color": color,
                    "size": [_SIZE[1], *sizes],
                    "symbol": ["diamond", *["circle"] * len(shown)],
                    "line": {"width": 0.5, "color": "#444444"},
                    "opacity": 0.85,
                },
                customdata=custom,
                hovertemplate=(
                    f"<b>{name}</b>, %{{y}}<br>%{{customdata[0]}} of %{{customdata[1]}} "
                    f"{stage} (%{{customdata[2]}})<extra></extra>"
                ),
            )
        )
        if n_all > 0:
            lines.append(
                {
                    "type": "line",
                    "x0": k_all / n_all,
                    "x1": k_all / n_all,
                    "xref": "x",
                    "y0": 0,
                    "y1": 1,
                    "yref": "y domain",
                    "line": {"dash": "dash", "color": color, "width": 1},
                    "layer": "below",
                }
            )
        if np.isfinite(rate).any():
            upper = max(upper, float(np.nanmax(rate)))
    fig.layout.shapes = tuple(lines)
    fig.update_xaxes(
        title={"text": f"share that {stage}"},
        range=[-0.02 * max(upper, 0.1), min(1.0, upper * 1.08 + 0.02)],
        tickformat=".0%",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], ticks="", showgrid=False)
    notes = [_pair_line(res, row) for _, row in res.pairs.head(2).iterrows()]
    if len(res.pairs) > 2:
        notes.append(f"and {len(res.pairs) - 2} more comparisons (see the table)")
    sizes_note = "dashed: pooled rate; marker area grows with leads"
    if len(shown) < total:
        sizes_note += f"; {len(shown)} of {total} {html.escape(fw.by_plural(column))} shown"
    titled(fig, title, *notes, sizes_note)
    legend = 30 * ((len(groups) + 1) // 2)
    fig.update_layout(height=int(fig.layout.margin.t + _ROW * len(labels) + 90 + legend))
    return fig
