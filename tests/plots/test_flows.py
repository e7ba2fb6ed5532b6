"""Funnel and Sankey figures (netanalysis.plots._flows)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import MissingColumnsError


def test_funnel_traces_hold_the_counts(counts):
    fig = na.plots.funnel(counts)
    assert isinstance(fig, go.Figure)
    assert [t.type for t in fig.data] == ["funnel"] * len(counts)
    for trace, (group, row) in zip(fig.data, counts.iterrows()):
        assert trace.name == na.plots.group_label("channel", group)
        assert list(trace.y) == list(counts.columns)
        assert np.array_equal(trace.x, row.to_numpy())
        assert trace.marker.color == na.plots.palette()[group]


def test_funnel_labels_give_stage_to_stage_rates_and_hover_k_and_n(small_counts):
    fig = na.plots.funnel(small_counts)
    referral = fig.data[0]
    assert list(referral.text) == ["23", "15 · 65%", "7 · 47%"]  # 15/23, 7/15
    assert referral.customdata[2][:2] == ["7", "15"]  # k of n
    assert "k = " in referral.hovertemplate
    assert "n = " in referral.hovertemplate
    empty = fig.data[2]  # recruiter: no leads
    assert list(empty.x) == [0, 0, 0]
    assert empty.customdata[1][3] == "–"


def test_funnel_normalized_draws_shares_of_the_first_stage(small_counts):
    fig = na.plots.funnel(small_counts, normalize=True)
    assert fig.data[0].x == pytest.approx([1.0, 15 / 23, 7 / 23])
    assert next(iter(fig.data[0].text)) == "23"  # labels keep the counts
    assert np.isnan(fig.data[2].x).all()


def test_funnel_of_events_equals_funnel_of_their_counts(sim):
    a = na.plots.funnel(sim.events, by="mode", stages=["contacted", "interview"])
    b = na.plots.funnel(na.funnel(sim.events, by="mode", stages=["contacted", "interview"]))
    assert a.to_json() == b.to_json()


def test_funnel_of_a_multi_column_counts_table(sim):
    counts = na.funnel(sim.events, by=["seeker", "channel"])
    fig = na.plots.funnel(counts)
    assert fig.data[0].name == "me / job_board"
    assert len(fig.data) == len(counts)


def test_funnel_of_a_frame_that_is_neither_says_what_is_missing():
    with pytest.raises(MissingColumnsError):
        na.plots.funnel(pd.DataFrame({"lead_id": [1], "status": ["applied"]}))


def sankey_flows(fig: go.Figure) -> tuple[list[str], pd.DataFrame]:
    s = fig.data[0]
    links = pd.DataFrame({"source": s.link.source, "target": s.link.target, "value": s.link.value})
    return list(s.node.label), links


def test_sankey_conserves_leads(counts):
    fig = na.plots.sankey(counts)
    labels, links = sankey_flows(fig)
    groups = [na.plots.group_label("channel", g) for g in counts.index]
    assert labels[: len(groups)] == groups
    assert (links["value"] > 0).all()  # no empty links
    out = links.groupby("source")["value"].sum()
    into = links.groupby("target")["value"].sum()
    for i, group in enumerate(counts.index):  # each group's leads leave its node
        assert out[i] == counts.loc[group, "contacted"]
    for stage in ["responded", "interview", "offer"]:
        assert into[labels.index(stage)] == counts[stage].sum()
    ends = [labels.index(x) for x in ["offer", "no response", "no interview", "no offer"]]
    assert into[ends].sum() == counts["contacted"].sum()
    # flows out of a stage = flows into it (except the last)
    for stage in ["responded", "interview"]:
        node = labels.index(stage)
        assert out[node] == into[node]


def test_sankey_links_carry_their_group_colour(small_counts):
    fig = na.plots.sankey(small_counts)
    s = fig.data[0]
    # recruiter has no leads: no node
    assert list(s.node.label) == [
        "referral",
        "job board",
        "responded",
        "interview",
        "no response",
        "no interview",
    ]
    assert s.node.color[0] == na.plots.palette()["referral"]
    assert s.link.color[0] == "rgba(0,158,115,0.5)"
    assert list(s.link.customdata[0]) == ["referral", "23", "contacted", "65.2%"]


@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=6
    )
)
def test_sankey_and_funnel_agree_with_any_counts_table(rows):
    data = []
    for n, a, b in rows:
        r = int(n * a)
        data.append((n, r, int(r * b)))
    counts = pd.DataFrame(
        data,
        columns=["contacted", "responded", "interview"],
        index=pd.Index([f"g{i}" for i in range(len(data))], name="group"),
    )
    funnel = na.plots.funnel(counts)
    assert [list(t.x) for t in funnel.data] == [list(r) for r in data]
    fig = na.plots.sankey(counts)
    if counts["contacted"].sum() == 0:
        assert not fig.data
        return
    labels, links = sankey_flows(fig)
    into = links.groupby("target")["value"].sum()
    end = [labels.index(x) for x in ["interview", "no response", "no interview"]]
    assert into.reindex(end, fill_value=0).sum() == counts["contacted"].sum()
