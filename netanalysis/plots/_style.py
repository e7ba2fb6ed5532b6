"""One look for every figure: the colour of each group, the template, labels and numbers.

Colours are colour-blind safe: the eight Okabe–Ito colours for the eight named channels
(and the same colour for the mode a channel belongs to), greys for ``other`` and missing
values, and Paul Tol's *muted* scheme (then the Okabe–Ito colours) for any other group
(seekers, companies, a counts table's own labels), assigned in sorted order of the names.

Examples:
    >>> from netanalysis.plots import palette
    >>> palette()["referral"]
    '#009E73'
    >>> palette(by="mode")["direct"] == palette()["referral"]  # referral is a direct channel
    True
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from netanalysis.funnel import MISSING_GROUP
from netanalysis.schema import CHANNELS, MODES

__all__ = [
    "FALLBACK_COLORS",
    "FONT_FAMILY",
    "OKABE_ITO",
    "group_label",
    "palette",
    "template",
]

#: The Okabe–Ito palette (Okabe & Ito 2008), distinguishable with every common form of
#: colour blindness.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

_GREY_OTHER = "#999999"
_GREY_MISSING = "#BBBBBB"

_CHANNEL_COLORS: dict[str, str] = {
    "job_board": OKABE_ITO["blue"],
    "linkedin": OKABE_ITO["sky_blue"],
    "social_media": OKABE_ITO["yellow"],
    "industry_group": OKABE_ITO["vermillion"],
    "in_person": OKABE_ITO["orange"],
    "referral": OKABE_ITO["bluish_green"],
    "recruiter": OKABE_ITO["reddish_purple"],
    "cold_email": OKABE_ITO["black"],
    "other": _GREY_OTHER,
}

_MODE_COLORS: dict[str, str] = {
    "online_passive": OKABE_ITO["blue"],
    "online_social": OKABE_ITO["sky_blue"],
    "affinity": OKABE_ITO["vermillion"],
    "in_person": OKABE_ITO["orange"],
    "direct": OKABE_ITO["bluish_green"],
    "other": _GREY_OTHER,
}

#: Colours for groups outside the taxonomy: Paul Tol's muted scheme, then Okabe–Ito.
FALLBACK_COLORS: tuple[str, ...] = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    *OKABE_ITO.values(),
)

#: System fonts only: the report must work offline, without web fonts.
FONT_FAMILY = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
)

#: Colours of stage and drop-out nodes and of outcome markers (not group colours).
INK = "#222222"
STAGE_COLOR = "#555555"
DROP_COLOR = "#BBBBBB"

_LABELS: dict[str, dict[str, str]] = {
    "channel": {
        "job_board": "job board",
        "linkedin": "LinkedIn",
        "social_media": "social media",
        "industry_group": "industry group",
        "in_person": "in person",
        "referral": "referral",
        "recruiter": "recruiter",
        "cold_email": "cold email",
        "other": "other",
    },
    "mode": {
        "online_passive": "online, passive",
        "online_social": "online, social",
        "affinity": "affinity group",
        "in_person": "in person",
        "direct": "direct",
        "other": "other",
    },
}


def _known(by: str) -> dict[str, str]:
    if by == "channel":
        return dict(_CHANNEL_COLORS)
    if by == "mode":
        return dict(_MODE_COLORS)
    return {}


def palette(by: str = "channel", *, groups: Iterable[Any] | None = None) -> dict[str, str]:
    """One colour per group, the same in every figure.

    Args:
        by: the grouping column. ``"channel"`` and ``"mode"`` have fixed colours in the
            order of :data:`netanalysis.schema.CHANNELS` / :data:`~netanalysis.schema.MODES`
            (a mode has the colour of its channels: ``online_passive`` = ``job_board``);
            ``other`` is grey and missing values (``"(missing)"``) light grey.
        groups: group labels to include. Labels the taxonomy does not name get the
            fallback colours (:data:`FALLBACK_COLORS` minus those already used), in sorted
            order of their text, so the same set of groups always gets the same colours.

    Returns:
        ``{group: "#RRGGBB"}``: the taxonomy's groups first, then other groups sorted.

    Examples:
        >>> palette()["job_board"], palette()["other"]
        ('#0072B2', '#999999')
        >>> palette(by="seeker", groups=["S02", "S01"])
        {'(missing)': '#BBBBBB', 'S01': '#332288', 'S02': '#88CCEE'}
    """
    colors = _known(str(by))
    colors[MISSING_GROUP] = _GREY_MISSING
    if groups is not None:
        unknown = sorted({str(g) for g in groups} - set(colors))
        used = set(colors.values())
        spare = [c for c in FALLBACK_COLORS if c not in used] or list(FALLBACK_COLORS)
        for i, group in enumerate(unknown):
            colors[group] = spare[i % len(spare)]
    return colors


def colors_for(by: str, groups: Sequence[Any]) -> list[str]:
    """The colour of each group, in the order given.

    Examples:
        >>> colors_for("channel", ["referral", "job_board"])
        ['#009E73', '#0072B2']
    """
    colors = palette(by, groups=groups)
    return [colors[str(g)] for g in groups]


def group_label(by: str, group: Any) -> str:
    """The display name of a group (HTML-escaped: labels may come from user data).

    Examples:
        >>> group_label("channel", "job_board"), group_label("seeker", "S<1>")
        ('job board', 'S&lt;1&gt;')
        >>> group_label("channel", "(missing)")
        'no channel'
    """
    text = str(group)
    if text == MISSING_GROUP:
        return f"no {html.escape(str(by))}"
    return html.escape(_LABELS.get(str(by), {}).get(text, text)).replace("%{", "% {")


def rgba(color: str, alpha: float) -> str:
    """``#RRGGBB`` -> ``rgba(r,g,b,alpha)``.

    Examples:
        >>> rgba("#009E73", 0.25)
        'rgba(0,158,115,0.25)'
    """
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


def readable(color: str) -> str:
    """A darker shade of a light colour, for text on white (yellow, light grey).

    Examples:
        >>> readable("#F0E442"), readable("#0072B2")
        ('#908827', '#0072B2')
    """
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    if (0.299 * r + 0.587 * g + 0.114 * b) / 255 <= 0.7:
        return color
    return "#" + "".join(f"{int(v * 0.6):02X}" for v in (r, g, b))


def template() -> go.layout.Template:
    """The template of every figure: system fonts, readable sizes, phone-friendly margins.

    Figures use no fixed width (they fill their container, down to ~380 px on a phone),
    legends sit horizontally at the bottom (the margin grows to fit them), axis labels
    use ``automargin``, subtitles are short lines.

    Examples:
        >>> template().layout.font.size
        14
    """
    axis = {
        "automargin": True,
        "gridcolor": "#E6E6E6",
        "linecolor": "#666666",
        "showline": True,
        "ticks": "outside",
        "tickcolor": "#666666",
        "zeroline": False,
        "title": {"font": {"size": 14}, "standoff": 8},
        "tickfont": {"size": 12},
    }
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": 14, "color": INK},
            "title": {
                "font": {"size": 18},
                "x": 0,
                "xref": "container",
                "xanchor": "left",
                "y": 1,
                "yref": "container",
                "yanchor": "top",
                "pad": {"l": 12, "t": 14},
                "subtitle": {"font": {"size": 12, "color": "#555555"}},
            },
            "margin": {"l": 12, "r": 16, "t": 84, "b": 8, "pad": 2},
            "paper_bgcolor": "#FFFFFF",
            "plot_bgcolor": "#FFFFFF",
            "colorway": list(OKABE_ITO.values()),
            "xaxis": axis,
            "yaxis": axis,
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "xref": "container",
                "y": 0,
                "yanchor": "bottom",
                "yref": "container",
                "font": {"size": 12},
                "itemsizing": "constant",
            },
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}, "bgcolor": "#FFFFFF"},
            "hovermode": "closest",
            "separators": ".,",
        }
    )


def new_figure(**layout: Any) -> go.Figure:
    """An empty figure with the template applied."""
    fig = go.Figure()
    fig.update_layout(template=template(), **layout)
    return fig


def titled(fig: go.Figure, title: str, *lines: str) -> go.Figure:
    """Set the title and the subtitle lines under it (short lines: plotly does not wrap).

    The top margin grows with the number of lines.

    Examples:
        >>> fig = titled(new_figure(), "Funnel", "2 leads", "labels: counts")
        >>> fig.layout.title.subtitle.text, fig.layout.margin.t
        ('2 leads<br>labels: counts', 84)
    """
    lines = tuple(line for line in lines if line)
    fig.update_layout(
        title={"text": title, "subtitle": {"text": "<br>".join(lines)}},
        margin={"t": 52 + 16 * max(len(lines), 1)},
    )
    return fig


def empty_figure(title: str, message: str) -> go.Figure:
    """A figure that says there is nothing to draw (axes hidden).

    Examples:
        >>> empty_figure("Funnel", "No leads.").layout.annotations[0].text
        'No leads.'
    """
    fig = new_figure(height=260)
    titled(fig, title)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14, "color": "#555555"},
    )
    return fig


def fmt_count(n: Any) -> str:
    """Whole number with thousands separators; ``–`` when missing.

    Examples:
        >>> fmt_count(12345), fmt_count(float("nan"))
        ('12,345', '–')
    """
    if n is None or pd.isna(n):
        return "–"
    return f"{int(n):,}"


def fmt_compact(n: Any) -> str:
    """A count in at most four characters, for narrow tables: ``987``, ``4.8k``, ``12k``, ``1.2M``.

    Examples:
        >>> [fmt_compact(v) for v in (987, 4834, 12345, 1234567)]
        ['987', '4.8k', '12k', '1.2M']
    """
    if n is None or pd.isna(n):
        return "–"
    n = int(n)
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(n) >= size:
            value = n / size
            return f"{value:.1f}{suffix}" if abs(value) < 9.95 else f"{value:.0f}{suffix}"
    return str(n)


def fmt_pct(p: Any, digits: int = 1) -> str:
    """A share as a percentage; ``–`` when missing; ``<0.1%`` style for tiny non-zero values.

    Examples:
        >>> fmt_pct(0.3254), fmt_pct(0.0), fmt_pct(0.0004), fmt_pct(float("nan"))
        ('32.5%', '0%', '<0.1%', '–')
    """
    if p is None or pd.isna(p):
        return "–"
    p = float(p)
    if p == 0 or p == 1:
        return f"{p:.0%}"
    floor = 10.0 ** (-digits) / 100
    if 0 < p < floor:
        return f"<{floor:.{digits}%}"
    if 1 - floor < p < 1:
        return f">{1 - floor:.{digits}%}"
    return f"{p:.{digits}%}"


def fmt_p(p: Any) -> str:
    """A p-value for a cell: ``p=0.03``, ``p<0.001``; ``–`` when missing.

    Examples:
        >>> fmt_p(0.0312), fmt_p(1e-6), fmt_p(0.5), fmt_p(float("nan"))
        ('p=0.031', 'p<0.001', 'p=0.50', '–')
    """
    if p is None or pd.isna(p):
        return "–"
    p = float(p)
    if p < 0.001:
        return "p<0.001"
    if p < 0.1:
        return f"p={p:.2g}" if p >= 0.01 else f"p={p:.3f}"
    return f"p={p:.2f}"


def fmt_p_short(p: Any) -> str:
    """A p-value for a small matrix cell: ``<.001``, ``.003``, ``.031``, ``.12``, ``1``.

    Examples:
        >>> [fmt_p_short(p) for p in (1e-5, 0.0031, 0.0312, 0.123, 1.0, float("nan"))]
        ['<.001', '.003', '.031', '.12', '1', '–']
    """
    if p is None or pd.isna(p):
        return "–"
    p = float(p)
    if p < 0.001:
        return "<.001"
    if p >= 0.995:
        return "1"
    text = f"{p:.3f}" if p < 0.01 else f"{p:.2g}" if p < 0.1 else f"{p:.2f}"
    return text.removeprefix("0")


def group_order(labels: Sequence[Any], by: str) -> list[str]:
    """Groups in display order: taxonomy order for channel/mode, else as given.

    Examples:
        >>> group_order(["referral", "job_board", "zzz"], "channel")
        ['job_board', 'referral', 'zzz']
    """
    order = {"channel": list(CHANNELS), "mode": list(MODES)}.get(by)
    labels = [str(g) for g in dict.fromkeys(labels)]
    if order is None:
        return labels
    rank = {g: i for i, g in enumerate(order)}
    return sorted(labels, key=lambda g: (rank.get(g, len(rank)), labels.index(g)))
