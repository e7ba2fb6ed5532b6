"""Where to put the next hour: posterior densities and P(best) from :func:`netanalysis.bayes`.

Examples:
    >>> import pandas as pd, netanalysis as na
    >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
    ...                       index=pd.Index(["referral", "job_board"], name="channel"))
    >>> fig = na.plots.posterior(na.bayes(counts, draws=2_000))
    >>> [t.type for t in fig.data]
    ['scatter', 'scatter', 'bar']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from scipy import stats as sps

from netanalysis.errors import check_choice
from netanalysis.plots._style import (
    colors_for,
    empty_figure,
    fmt_count,
    fmt_pct,
    group_label,
    template,
    titled,
)
from netanalysis.stats import findings as fw

if TYPE_CHECKING:
    from netanalysis.stats.bayes import BayesResult

__all__ = ["posterior"]

#: Points per density curve (each on its own grid spanning its 0.05%–99.95% quantiles).
_POINTS = 201


def posterior(
    bayes_result: BayesResult,
    *,
    kind: Literal["both", "density", "p_best"] = "both",
) -> go.Figure:
    """Posterior density of each group's rate and the probability that each is the best.

    The densities are the Beta posteriors of the result: ``Beta(a + k, b + n - k)`` with
    the result's ``prior = (a, b)`` and each group's ``k`` of ``n``; a group with no leads
    shows its prior. P(best) comes from the result's Monte Carlo draws (``p_best``).

    Args:
        bayes_result: the result of :func:`netanalysis.bayes`.
        kind: ``"both"`` (default): densities on top, P(best) bars below (two subplots);
            ``"density"`` or ``"p_best"``: one of them.

    Returns:
        A figure: one line trace per group (``x`` = rate, ``y`` = density, on a grid over
        the group's 0.05%–99.95% posterior quantiles) and/or one horizontal bar trace of
        ``p_best`` (highest on top, ties by lower expected loss; hover: expected loss,
        k and n).

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> res = na.bayes(counts, draws=2_000)
        >>> bars = na.plots.posterior(res, kind="p_best").data[0]
        >>> list(bars.y), [round(float(p), 2) for p in bars.x]
        (['referral', 'job board'], [1.0, 0.0])
    """
    check_choice("kind", kind, ("both", "density", "p_best"), where="plots.posterior")
    res = bayes_result
    by = str(res.by)
    t = res.table
    title = "Where to put the next hour"
    if t.empty:
        return empty_figure(title, "No groups to show.")
    a, b = (float(v) for v in res.prior)
    groups = [str(g) for g in t[by]]
    colors = dict(zip(groups, colors_for(by, groups)))
    panels = ["density", "p_best"] if kind == "both" else [kind]
    titles = {
        "density": f"Posterior of each {by}'s rate",
        "p_best": "Probability of being the best",
    }
    pixels = {"density": 300, "p_best": 26 * len(groups) + 20}
    heights = [pixels[p] for p in panels]
    gap = 100
    plot_height = sum(heights) + gap * (len(panels) - 1)
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=[titles[p] for p in panels] if len(panels) > 1 else None,
        row_heights=heights,
        vertical_spacing=gap / plot_height if len(panels) > 1 else 0.0,
    )
    fig.update_layout(template=template())
    level = f"{res.level:.0%}"
    stop = fw.stage_phrase(str(res.to_stage), plural=True)
    for row, panel in enumerate(panels, start=1):
        if panel == "density":
            top = 0.0
            for group, k, n, mean, lo, hi in zip(
                groups, t["k"], t["n"], t["mean"], t["cri_low"], t["cri_high"]
            ):
                dist = sps.beta(a + float(k), b + float(n) - float(k))
                x = np.linspace(*(float(q) for q in dist.ppf([0.0005, 0.9995])), _POINTS)
                y = dist.pdf(x)
                x, y = x.astype(np.float32), y.astype(np.float32)
                inner = (x >= dist.ppf(0.01)) & (x <= dist.ppf(0.99))
                top = max(top, float(np.nanmax(y[inner])) if inner.any() else 0.0)
                label = group_label(by, group)
                fig.add_trace(
                    go.Scatter(
                        x=x,
                        y=y,
                        mode="lines",
                        name=label,
                        legendgroup=group,
                        line={"color": colors[group], "width": 2.5},
                        hovertemplate=(
                            f"<b>{label}</b>: k = {fmt_count(k)} of n = {fmt_count(n)}<br>"
                            f"mean {fmt_pct(mean)}, {level} credible interval "
                            f"{fmt_pct(lo)} – {fmt_pct(hi)}<br>"
                            "rate %{x:.1%}: density %{y:.3g}<extra></extra>"
                        ),
                    ),
                    row=row,
                    col=1,
                )
            fig.update_xaxes(
                title={"text": f"rate ({res.from_stage} → {res.to_stage})"},
                tickformat=".0%",
                rangemode="tozero",
                row=row,
                col=1,
            )
            fig.update_yaxes(title={"text": "density"}, range=[0, 1.05 * top or 1], row=row, col=1)
        else:
            order = t.assign(_p=t["p_best"]).sort_values(
                ["_p", "expected_loss"], ascending=[False, True], kind="stable"
            )
            ordered = [str(g) for g in order[by]]
            labels = [group_label(by, g) for g in ordered]
            loss = order["expected_loss"].to_numpy(dtype=float)
            custom = [
                [
                    fmt_count(k),
                    fmt_count(n),
                    fmt_pct(m),
                    f"{loss_i * 100:.2g} {stop} per 100 leads",
                ]
                for k, n, m, loss_i in zip(order["k"], order["n"], order["mean"], loss)
            ]
            fig.add_trace(
                go.Bar(
                    x=order["p_best"].to_numpy(dtype=float),
                    y=labels,
                    orientation="h",
                    marker={"color": [colors[g] for g in ordered]},
                    text=[fmt_pct(p, 0) for p in order["p_best"]],
                    textposition="outside",
                    cliponaxis=False,
                    customdata=custom,
                    showlegend=False,
                    name="P(best)",
                    hovertemplate=(
                        "<b>%{y}</b>: P(best) %{x:.1%}<br>k = %{customdata[0]} of "
                        "n = %{customdata[1]}, posterior mean %{customdata[2]}<br>"
                        "expected loss: %{customdata[3]}<extra></extra>"
                    ),
                ),
                row=row,
                col=1,
            )
            fig.update_xaxes(
                title={"text": "probability of having the highest rate"},
                tickformat=".0%",
                range=[0, 1.12],
                row=row,
                col=1,
            )
            fig.update_yaxes(
                categoryorder="array",
                categoryarray=labels[::-1],
                ticks="",
                showgrid=False,
                row=row,
                col=1,
            )
    titled(
        fig,
        title,
        f"rate {res.from_stage} → {res.to_stage}; Beta({a:g}, {b:g}) prior",
        f"P(best): {res.draws:,} posterior draws, seed {res.seed}",
    )
    top = fig.layout.margin.t + (40 if len(panels) > 1 else 0)
    legend = 30 * ((len(groups) + 1) // 2) if "density" in panels else 0
    fig.update_layout(height=int(top + plot_height + 60 + legend), margin={"t": top}, bargap=0.25)
    return fig
