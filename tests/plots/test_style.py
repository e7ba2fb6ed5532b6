"""One colour per group, the template and the number formats (netanalysis.plots._style)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.plots import _style
from netanalysis.schema import CHANNELS, MODE_OF, MODES


def test_every_channel_and_mode_has_its_own_colour_in_taxonomy_order():
    channels = na.plots.palette()
    assert list(channels)[: len(CHANNELS)] == list(CHANNELS)
    named = [channels[c] for c in CHANNELS if c != "other"]
    assert len(set(named)) == len(named)
    assert set(named) == set(_style.OKABE_ITO.values())  # the colour-blind-safe set
    modes = na.plots.palette(by="mode")
    assert list(modes)[: len(MODES)] == list(MODES)
    assert channels["other"] == modes["other"] != channels["(missing)"]


def test_a_mode_has_the_colour_of_its_single_or_first_channel():
    channels, modes = na.plots.palette(), na.plots.palette(by="mode")
    for mode in MODES:
        members = [c for c in CHANNELS if MODE_OF[c] == mode]
        assert modes[mode] == channels[members[0]]


def test_unknown_groups_get_fallback_colours_from_the_sorted_set():
    a = na.plots.palette(by="seeker", groups=["S3", "S1", "S2"])
    b = na.plots.palette(by="seeker", groups=["S2", "S3", "S1"])
    assert a == b
    assert [a["S1"], a["S2"], a["S3"]] == list(_style.FALLBACK_COLORS[:3])
    # Unknown labels of a channel table avoid the channels' colours.
    c = na.plots.palette(groups=["referral", "Published: referrals"])
    assert c["referral"] == "#009E73"
    assert c["Published: referrals"] not in set(_style.OKABE_ITO.values())


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=40))
def test_palette_is_a_function_of_the_set_of_groups(groups):
    colors = na.plots.palette(by="company", groups=groups)
    assert colors == na.plots.palette(by="company", groups=list(reversed(groups)))
    assert all(str(g) in colors for g in groups)
    distinct = sorted(set(groups) - {"(missing)"})
    if len(distinct) <= len(_style.FALLBACK_COLORS):
        assert len({colors[g] for g in distinct}) == len(distinct)


def test_labels_are_readable_and_escaped():
    assert _style.group_label("channel", "cold_email") == "cold email"
    assert _style.group_label("mode", "online_passive") == "online, passive"
    assert _style.group_label("seeker", "<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert _style.group_label("company", "%{x}") == "% {x}"  # not a plotly placeholder
    assert _style.group_label("seeker", "(missing)") == "no seeker"


@pytest.mark.parametrize(
    ("p", "long", "short"),
    [
        (0.00001, "p<0.001", "<.001"),
        (0.0031, "p=0.003", ".003"),
        (0.0312, "p=0.031", ".031"),
        (0.5, "p=0.50", ".50"),
        (1.0, "p=1.00", "1"),
        (float("nan"), "–", "–"),
    ],
)
def test_p_value_formats(p, long, short):
    assert _style.fmt_p(p) == long
    assert _style.fmt_p_short(p) == short


def test_template_fixes_fonts_and_needs_no_web_font():
    t = na.plots.template()
    assert t.layout.font.size >= 12
    assert "http" not in t.to_plotly_json().__repr__()
    assert t.layout.legend.orientation == "h"
