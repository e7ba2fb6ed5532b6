"""Rates and their differences: the forest plot and the pairwise comparison matrix.

Examples:
    >>> import pandas as pd, netanalysis as na
    >>> counts = pd.DataFrame({"contacted": [23, 212, 40], "interview": [7, 16, 5]},
    ...     index=pd.Index(["referral", "job_board", "recruiter"], name="channel"))
    >>> na.plots.forest(na.conversion(counts)).data[0].type
    'scatter'
    >>> na.plots.comparison_matrix(na.compare(counts, to_stage="interview")).data[0].type
    'heatmap'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from netanalysis.errors import ParameterError, check_choice
from netanalysis.plots._style import (
    colors_for,
    empty_figure,
    fmt_count,
    fmt_p,
    fmt_p_short,
    fmt_pct,
    group_label,
    new_figure,
    template,
    titled,
)

if TYPE_CHECKING:
    from netanalysis.stats.compare import CompareResult
    from netanalysis.stats.rates import ConversionResult

__all__ = ["comparison_matrix", "forest"]

_RATE_COLUMNS = ["from_stage", "to_stage", "n", "k", "rate", "ci_low", "ci_high"]

_CI_NAMES = {
    "wilson": "Wilson",
    "jeffreys": "Jeffreys",
    "exact": "Clopper–Pearson",
    "agresti_coull": "Agresti–Coull",
}

#: Risk ratios beyond this factor (either way) get the end colours of the scale.
_RATIO_CAP = 16.0


def _rates_table(result: Any) -> tuple[pd.DataFrame, str, str]:
    """(table, by, interval words) from a ConversionResult or its ``to_pandas()`` frame."""
    if isinstance(result, pd.DataFrame):
        table = result
        extra = [c for c in table.columns if c not in _RATE_COLUMNS]
        missing = [c for c in _RATE_COLUMNS if c not in table.columns]
        if missing or not extra:
            raise ParameterError(
                "forest needs a ConversionResult (na.conversion(...)) or its table with columns "
                f"<by>, {', '.join(_RATE_COLUMNS)}. Got columns {list(table.columns)}."
            )
        return table, str(extra[0]), "confidence intervals"
    table = getattr(result, "table", None)
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(
            f"forest needs a ConversionResult from na.conversion(...). Got {type(result).__name__}."
        )
    words = f"{result.level:.0%} {_CI_NAMES.get(result.ci, result.ci)} intervals"
    return table, str(result.by), words


def forest(
    conversion_result: ConversionResult | pd.DataFrame,
    *,
    pair: tuple[str, str] | Literal["all"] | None = None,
) -> go.Figure:
    """Forest plot: each group's conversion rate with its confidence interval, sorted.

    Args:
        conversion_result: the result of :func:`netanalysis.conversion` (or its
            ``to_pandas()`` table).
        pair: which ``(from_stage, to_stage)`` rate to draw when the result holds several:
            ``None`` (default) takes the result's last pair (the first → last stage of the
            funnel when ``conversion`` was called without stages, else its only pair);
            ``"all"`` draws one panel per pair, stacked.

    Returns:
        A figure with one scatter trace per panel: ``x`` = rates, ``y`` = group labels
        (highest rate on top; groups with no leads at the bottom, without a point),
        ``error_x`` from ``ci_low`` to ``ci_high``, marker colours from :func:`palette`.
        ``k/n`` of each row is written on the right (annotations); the dashed line is the
        rate of all groups together.

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> fig = na.plots.forest(na.conversion(counts))
        >>> list(fig.data[0].y), [a.text for a in fig.layout.annotations][:2]
        (['referral', 'job board'], ['7/23', '16/212'])
    """
    table, by, words = _rates_table(conversion_result)
    available = list(dict.fromkeys(zip(table["from_stage"], table["to_stage"])))
    if pair is None:
        pairs = available[-1:]
    elif pair == "all":
        pairs = available
    else:
        pairs = [check_choice("pair", tuple(pair), available, where="plots.forest")]
    title = "Conversion rates"
    if table.empty or not pairs:
        return empty_figure(title, "No rates to show.")
    if len(pairs) == 1:
        title = f"Conversion {pairs[0][0]} → {pairs[0][1]}"
    panels = [table[(table["from_stage"] == a) & (table["to_stage"] == b)] for a, b in pairs]
    heights = [20 + 30 * len(p) for p in panels]  # pixels
    gap = 80
    plot_height = sum(heights) + gap * (len(pairs) - 1)
    fig = make_subplots(
        rows=len(pairs),
        cols=1,
        subplot_titles=[f"{a} → {b}" for a, b in pairs] if len(pairs) > 1 else None,
        row_heights=heights,
        vertical_spacing=gap / plot_height if len(pairs) > 1 else 0.0,
    )
    fig.update_layout(template=template())
    widest = 0
    for row, panel in enumerate(panels, start=1):
        widest = max(widest, _forest_panel(fig, panel, by, row))
    fig.update_xaxes(title={"text": "conversion rate"}, row=len(pairs), col=1)
    titled(fig, title, f"{words}; k/n on the right", "dashed line: all groups together")
    top = fig.layout.margin.t + (40 if len(pairs) > 1 else 0)
    fig.update_layout(
        height=int(top + plot_height + 60),
        showlegend=False,
        margin={"r": 20 + 7 * widest, "t": top, "b": 8},
    )
    return fig


def _forest_panel(fig: go.Figure, rows: pd.DataFrame, by: str, row: int) -> int:
    """Draw one pair's rows; return the length of the longest ``k/n`` label."""
    order = rows.assign(_nan=rows["rate"].isna()).sort_values(
        ["_nan", "rate", "n"], ascending=[True, False, False], kind="stable"
    )
    groups = [str(g) for g in order[by]]
    labels = [group_label(by, g) for g in groups]
    rate = order["rate"].to_numpy(dtype=float)
    lo = order["ci_low"].to_numpy(dtype=float)
    hi = order["ci_high"].to_numpy(dtype=float)
    n = order["n"].to_numpy(dtype=np.int64)
    k = order["k"].to_numpy(dtype=np.int64)
    custom = [
        [fmt_count(k[i]), fmt_count(n[i]), fmt_pct(lo[i]), fmt_pct(hi[i]), fmt_pct(rate[i])]
        for i in range(len(order))
    ]
    start, stop = str(order["from_stage"].iloc[0]), str(order["to_stage"].iloc[0])
    fig.add_trace(
        go.Scatter(
            x=rate,
            y=labels,
            mode="markers",
            marker={
                "color": colors_for(by, groups),
                "size": 11,
                "symbol": "square",
                "line": {"width": 0.5, "color": "#444444"},
            },
            error_x={
                "type": "data",
                "symmetric": False,
                "array": hi - rate,
                "arrayminus": rate - lo,
                "color": "#444444",
                "thickness": 1.5,
                "width": 5,
            },
            customdata=custom,
            name=f"{start} → {stop}",
            hovertemplate=(
                "<b>%{y}</b><br>k = %{customdata[0]} of n = %{customdata[1]} "
                f"({start} → {stop})<br>rate %{{customdata[4]}} "
                "(interval %{customdata[2]} – %{customdata[3]})<extra></extra>"
            ),
        ),
        row=row,
        col=1,
    )
    suffix = "" if row == 1 else str(row)
    texts = [f"{ki:,}/{ni:,}" for ki, ni in zip(k, n)]
    # The k/n labels in one layout update: fig.add_annotation one by one re-validates the
    # whole annotation list each time (quadratic: 15 s for 145 groups in three panels).
    notes = [
        {
            "text": text,
            "x": 1.01,
            "xref": f"x{suffix} domain",
            "xanchor": "left",
            "y": label,
            "yref": f"y{suffix}",
            "showarrow": False,
            "font": {"size": 12, "color": "#444444"},
        }
        for label, text in zip(labels, texts)
    ]
    fig.layout.annotations = (*fig.layout.annotations, *notes)
    used = order[order["n"] > 0]
    upper = float(np.nanmax(hi)) if np.isfinite(hi).any() else 1.0
    if len(used):
        pooled = used["k"].sum() / used["n"].sum()
        # The shape fig.add_vline(row=row) makes, without its cost (it copies the layout,
        # annotations included, on every call).
        line = {
            "type": "line",
            "x0": pooled,
            "x1": pooled,
            "xref": f"x{suffix}",
            "y0": 0,
            "y1": 1,
            "yref": f"y{suffix} domain",
            "line": {"dash": "dash", "color": "#888888", "width": 1},
            "layer": "below",
        }
        fig.layout.shapes = (*fig.layout.shapes, line)
        upper = max(upper, float(pooled))
    fig.update_xaxes(range=[0, min(1.0, upper * 1.08 + 0.01)], tickformat=".0%", row=row, col=1)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=labels[::-1],
        ticks="",
        showgrid=False,
        row=row,
        col=1,
    )
    return max((len(t) for t in texts), default=0)


def _ratio_cell(pairs: dict[tuple[str, str], pd.Series], a: str, b: str) -> dict[str, Any] | None:
    """The comparison of row group ``a`` with column group ``b`` (rate a / rate b)."""
    if (a, b) in pairs:
        r = pairs[(a, b)]
        return {
            "ratio": r["ratio"],
            "low": r["ratio_low"],
            "high": r["ratio_high"],
            "k": (r["k_a"], r["n_a"], r["k_b"], r["n_b"]),
            "rates": (r["rate_a"], r["rate_b"]),
            "p": r["p_value"],
            "p_adj": r["p_adjusted"],
            "test": r["test"],
        }
    if (b, a) in pairs:
        r = pairs[(b, a)]
        with np.errstate(divide="ignore"):
            inv = [
                1.0 / x if x != 0 else np.inf for x in (r["ratio"], r["ratio_high"], r["ratio_low"])
            ]
        return {
            "ratio": inv[0],
            "low": inv[1],
            "high": inv[2],
            "k": (r["k_b"], r["n_b"], r["k_a"], r["n_a"]),
            "rates": (r["rate_b"], r["rate_a"]),
            "p": r["p_value"],
            "p_adj": r["p_adjusted"],
            "test": r["test"],
        }
    return None


def _fmt_ratio(x: float) -> str:
    if pd.isna(x):
        return "–"
    if np.isinf(x):
        return "∞"
    return f"{x:.2g}" if x < 10 else f"{x:.0f}"


def comparison_matrix(compare_result: CompareResult) -> go.Figure:
    """Pairwise comparisons as a matrix: risk ratio as colour, adjusted p-value in the cell.

    Rows and columns are the groups with leads, highest rate first; cell (row, column)
    compares the row's rate with the column's: its colour is the risk ratio row ÷ column on
    a log scale centred at 1 (blue: the row does better, red: worse; ratios beyond
    16× either way share the end colours), its text the adjusted p-value. Cells whose
    adjusted p-value is above ``1 - level`` are faded. With a ``baseline`` the matrix has
    one column (the baseline) and one row per other group.

    Args:
        compare_result: the result of :func:`netanalysis.compare`.

    Returns:
        A figure with two ``go.Heatmap`` traces on the same cells: the first holds the
        significant cells (full colour), the second the others (``opacity`` 0.35). ``z``
        is ``log2(ratio)`` (NaN where the other trace draws the cell or there is no pair),
        ``text`` the adjusted p-values, short (``.003``, ``<.001``; the hover text has them
        in full with the unadjusted p-value, the ratio's interval, k and n and the test).

    Examples:
        >>> import pandas as pd, netanalysis as na
        >>> counts = pd.DataFrame({"contacted": [23, 212], "interview": [7, 16]},
        ...                       index=pd.Index(["referral", "job_board"], name="channel"))
        >>> fig = na.plots.comparison_matrix(na.compare(counts, to_stage="interview"))
        >>> fig.data[0].text[0][1], round(float(2 ** fig.data[0].z[0][1]), 2)
        ('.003', 4.03)
    """
    res = compare_result
    by = str(res.by)
    alpha = 1 - float(res.level)
    title = "Pairwise comparisons"
    groups_table = res.groups[res.groups["n"] > 0]
    groups_table = groups_table.assign(_r=groups_table["rate"]).sort_values(
        ["_r", "n"], ascending=[False, False], kind="stable"
    )
    groups = [str(g) for g in groups_table[by]]
    left_out = [str(g) for g in res.groups.loc[res.groups["n"] <= 0, by]]
    if len(groups) < 2 or res.pairs.empty:
        return empty_figure(title, "Fewer than two groups with leads: nothing to compare.")
    pairs = {(str(r["group_a"]), str(r["group_b"])): r for _, r in res.pairs.iterrows()}
    if res.baseline is not None and str(res.baseline) in groups:
        cols = [str(res.baseline)]
        rows = [g for g in groups if g != cols[0]]
    else:
        rows, cols = groups, groups
    cap = np.log2(_RATIO_CAP)
    z = np.full((len(rows), len(cols)), np.nan)
    sig = np.zeros_like(z, dtype=bool)
    text = [["" for _ in cols] for _ in rows]
    custom = [[["", "", "", "", ""] for _ in cols] for _ in rows]
    for i, a in enumerate(rows):
        for j, b in enumerate(cols):
            cell = _ratio_cell(pairs, a, b)
            if cell is None or cell["test"] == "none":
                continue
            ratio = cell["ratio"]
            if pd.isna(ratio):  # both rates 0: no difference to colour
                z[i, j] = 0.0
            else:
                with np.errstate(divide="ignore"):
                    z[i, j] = float(np.clip(np.log2(ratio), -cap, cap))
            sig[i, j] = bool(cell["p_adj"] <= alpha)
            text[i][j] = fmt_p_short(cell["p_adj"])
            ka, na, kb, nb = cell["k"]
            ra, rb = cell["rates"]
            custom[i][j] = [
                f"{fmt_pct(ra)} (k = {fmt_count(ka)} of n = {fmt_count(na)})",
                f"{fmt_pct(rb)} (k = {fmt_count(kb)} of n = {fmt_count(nb)})",
                f"{_fmt_ratio(ratio)} ({_fmt_ratio(cell['low'])}–{_fmt_ratio(cell['high'])})",
                f"{fmt_p(cell['p'])}, adjusted {fmt_p(cell['p_adj'])}",
                str(cell["test"]),
            ]
    row_labels = [group_label(by, g) for g in rows]
    col_labels = [group_label(by, g) for g in cols]
    ticks = [t for t in range(-4, 5, 2) if abs(t) <= cap]
    tick_text = [f"{2.0**t:g}" if t >= 0 else f"1/{2**-t}" for t in ticks]
    common: dict[str, Any] = {
        "x": col_labels,
        "y": row_labels,
        "customdata": custom,
        "texttemplate": "%{text}",
        "textfont": {"size": 11 if len(cols) <= 5 else 10},
        "colorscale": "RdBu",
        "zmin": -cap,
        "zmax": cap,
        "zmid": 0,
        "xgap": 2,
        "ygap": 2,
        "hoverongaps": False,
        "hovertemplate": (
            "<b>%{y}</b> vs <b>%{x}</b><br>%{y}: %{customdata[0]}<br>"
            "%{x}: %{customdata[1]}<br>risk ratio %{customdata[2]}<br>"
            "%{customdata[3]} (%{customdata[4]})<extra></extra>"
        ),
    }
    fig = new_figure()
    fig.add_trace(
        go.Heatmap(
            z=np.where(sig, z, np.nan),
            text=[[t if s else "" for t, s in zip(tr, sr)] for tr, sr in zip(text, sig)],
            name="significant",
            colorbar={
                "title": {"text": "risk ratio, row ÷ column", "side": "top", "font": {"size": 12}},
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": -0.02,
                "yanchor": "top",
                "len": 1,
                "thickness": 12,
                "tickvals": ticks,
                "ticktext": tick_text,
            },
            **common,
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=np.where(~sig, z, np.nan),
            text=[[t if not s else "" for t, s in zip(tr, sr)] for tr, sr in zip(text, sig)],
            name="not significant",
            opacity=0.35,
            showscale=False,
            **{**common, "textfont": {**common["textfont"], "color": "#000000"}},
        )
    )
    fig.update_xaxes(
        side="top", showgrid=False, ticks="", showline=False, tickangle=-45 if len(cols) > 1 else 0
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="", showline=False)
    fig.update_layout(height=int(230 + 40 * len(rows)), margin={"b": 80})
    adjust = {"holm": "Holm", "bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni"}.get(
        str(res.adjust)
    )
    p_words = f"{adjust}-adjusted p" if adjust else "p (not adjusted)"
    lines = [
        f"rate {res.from_stage} → {res.to_stage}; colour: risk ratio row ÷ column",
        f"cells: {p_words}; faded: p > {alpha:g}",
    ]
    if left_out:
        lines.append("no leads: " + ", ".join(group_label(by, g) for g in left_out))
    titled(fig, title, *lines)
    # The column labels sit on top, under the title.
    longest = max(len(label) for label in col_labels)
    extra = 40 if len(cols) == 1 else int(30 + 5.5 * min(longest, 24))
    fig.update_layout(margin={"t": fig.layout.margin.t + extra})
    return fig
