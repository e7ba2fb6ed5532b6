"""What every figure promises: a Figure, determinism, shared colours, bounded size."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

import netanalysis as na


def all_figures(sim, *, draws: int = 2_000) -> dict[str, go.Figure]:
    events = sim.events
    counts = na.funnel(events)
    return {
        "funnel": na.plots.funnel(counts),
        "forest": na.plots.forest(na.conversion(counts), pair="all"),
        "matrix": na.plots.comparison_matrix(na.compare(counts)),
        "posterior": na.plots.posterior(na.bayes(counts, draws=draws)),
        "survival": na.plots.survival(na.time_to(events, as_of=sim.as_of)),
        "sankey": na.plots.sankey(events),
        "activity": na.plots.activity(events),
    }


@pytest.fixture(scope="module")
def figures(sim):
    return all_figures(sim)


def test_every_function_returns_a_figure_with_data_and_the_template(figures):
    for name, fig in figures.items():
        assert isinstance(fig, go.Figure), name
        assert fig.data, name
        assert fig.layout.title.text, name
        assert fig.layout.template.layout.font.family == na.plots.template().layout.font.family
        assert fig.layout.width is None  # fills its container (phones included)


def test_same_input_gives_byte_identical_json(sim, figures):
    again = all_figures(na.simulate(n_leads=1_500, seed=7))
    for name, fig in figures.items():
        assert fig.to_json() == again[name].to_json(), name
        assert '"uid"' not in fig.to_json()


def test_hover_texts_give_n_and_k(figures):
    for name in ["funnel", "forest", "posterior", "survival", "sankey", "activity"]:
        text = json.dumps(figures[name].to_plotly_json()["data"], default=str)
        assert "n = " in text, name
        assert "k = " in text, name
    matrix = figures["matrix"].data[0]
    assert "k = " in matrix.customdata[0][1][0]
    assert "n = " in matrix.customdata[0][1][0]


def colour_of(fig: go.Figure, kind: str, label: str) -> str:
    for t in fig.data:
        if kind == "funnel" and t.name == label:
            return t.marker.color
        is_line = kind in ("posterior", "survival") and t.name == label and t.mode == "lines"
        if is_line and (kind == "posterior" or t.meta == "curve"):
            return t.line.color
        if kind == "activity" and t.type == "bar" and t.name == label:
            return t.marker.color
        if kind == "forest" and label in t.y:
            return t.marker.color[list(t.y).index(label)]
        if kind == "sankey":
            return t.node.color[list(t.node.label).index(label)]
    raise AssertionError(f"{label} not in {kind}")


def test_a_channel_has_one_colour_in_every_figure(figures):
    palette = na.plots.palette()
    for channel in ["referral", "job_board", "cold_email"]:
        label = na.plots.group_label("channel", channel)
        for kind, fig in figures.items():
            if kind != "matrix":
                assert colour_of(fig, kind, label) == palette[channel], (kind, channel)


def test_one_group_and_empty_groups_draw_without_error():
    one = na.load(
        pd.DataFrame(
            {
                "lead": ["a", "a", "b", "c"],
                "channel": ["referral"] * 4,
                "stage": ["applied", "interview", "applied", "applied"],
                "date": ["2024-03-01", "2024-03-05", "2024-03-02", "2024-03-20"],
            }
        )
    ).events
    sim = type("Sim", (), {"events": one, "as_of": pd.Timestamp("2024-04-01", tz="UTC")})
    figures = all_figures(sim, draws=500)
    assert figures["funnel"].data[0].name == "referral"
    assert not figures["matrix"].data  # nothing to compare, said in words
    zero = pd.DataFrame(
        {"contacted": [5, 0], "responded": [2, 0], "interview": [1, 0]},
        index=pd.Index(["referral", "recruiter"], name="channel"),
    )
    for fig in [
        na.plots.funnel(zero),
        na.plots.sankey(zero),
        na.plots.forest(na.conversion(zero), pair="all"),
        na.plots.comparison_matrix(na.compare(zero)),
        na.plots.posterior(na.bayes(zero, draws=500)),
    ]:
        fig.to_json()


def test_figures_stay_small_and_hold_no_lead(big):
    """20,000 leads from 4 seekers: every figure is aggregated (size set by groups and
    periods, not leads), and no lead id reaches a figure."""
    figures = all_figures(big)
    sizes = {name: len(fig.to_json()) for name, fig in figures.items()}
    assert max(sizes.values()) < 300_000, sizes
    assert sum(sizes.values()) < 600_000, sizes
    leads = big.events["lead"].drop_duplicates().sample(200, random_state=0)
    text = "".join(fig.to_json() for fig in figures.values())
    assert not [lead for lead in leads if f'"{lead}"' in text]
    by_seeker = na.plots.activity(big.events, by="seeker")
    assert len([t for t in by_seeker.data if t.type == "bar"]) == 4
