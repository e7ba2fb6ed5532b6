"""Forest plot and comparison matrix (netanalysis.plots._rates)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.plots._style import fmt_p_short, group_label


def test_forest_error_bars_are_the_intervals(counts):
    res = na.conversion(counts, from_stage="contacted", to_stage="interview", ci="exact")
    fig = na.plots.forest(res)
    (trace,) = fig.data
    table = res.table.set_index("channel")
    order = table.sort_values("rate", ascending=False)
    assert list(trace.y) == [group_label("channel", g) for g in order.index]
    assert np.allclose(trace.x, order["rate"])
    assert np.allclose(trace.x - trace.error_x.arrayminus, order["ci_low"])
    assert np.allclose(trace.x + trace.error_x.array, order["ci_high"])
    palette = na.plots.palette()
    assert list(trace.marker.color) == [palette[g] for g in order.index]
    texts = [a.text for a in fig.layout.annotations]
    assert texts == [f"{k:,}/{n:,}" for k, n in zip(order["k"], order["n"])]
    assert "Clopper–Pearson" in fig.layout.title.subtitle.text


def test_forest_takes_the_last_pair_by_default_a_named_pair_or_all(counts):
    res = na.conversion(counts)  # consecutive pairs + first -> last
    assert res.pairs[-1] == ("contacted", "offer")
    assert na.plots.forest(res).data[0].name == "contacted → offer"
    one = na.plots.forest(res, pair=("responded", "interview"))
    assert one.data[0].name == "responded → interview"
    every = na.plots.forest(res, pair="all")
    assert [t.name for t in every.data] == [f"{a} → {b}" for a, b in res.pairs]
    assert len(every.layout.annotations) == len(res.pairs) * (len(counts) + 1)  # + titles
    with pytest.raises(ParameterError, match=r"'pair' parameter of plots\.forest"):
        na.plots.forest(res, pair=("contacted", "accepted"))


def test_forest_puts_groups_without_leads_last_without_a_point(small_counts):
    res = na.conversion(small_counts, from_stage="contacted", to_stage="interview")
    trace = na.plots.forest(res).data[0]
    assert list(trace.y) == ["referral", "job board", "recruiter"]
    assert np.isnan(trace.x[-1])
    assert [a.text for a in na.plots.forest(res).layout.annotations][-1] == "0/0"


def test_forest_accepts_the_rates_table(counts):
    res = na.conversion(counts, from_stage="contacted", to_stage="responded")
    a, b = na.plots.forest(res), na.plots.forest(res.to_pandas())
    assert np.array_equal(a.data[0].x, b.data[0].x)
    with pytest.raises(ParameterError, match="ConversionResult"):
        na.plots.forest(pd.DataFrame({"rate": [0.1]}))


def _many_companies(groups: int = 145) -> pd.DataFrame:
    """Invented counts for many groups (the size at which forest used to take 15 s)."""
    rng = np.random.default_rng(0)
    n = rng.integers(5, 300, groups)
    k = (n * rng.uniform(0, 0.4, groups)).astype(int)
    index = pd.Index([f"company_{i:03d}" for i in range(groups)], name="company")
    return pd.DataFrame({"contacted": n, "interview": k, "offer": k // 2}, index=index)


def test_forest_adds_its_labels_in_one_go_not_one_by_one(monkeypatch):
    """k/n labels and pooled lines are set as whole lists: fig.add_annotation and
    fig.add_vline copy the layout on every call (quadratic in the number of groups; the
    benchmark command is in the report: 16 s -> 0.24 s for 145 groups in 3 panels)."""
    import plotly.graph_objects as go

    def refuse(*args, **kwargs):
        raise AssertionError("forest must not add annotations or lines one by one")

    monkeypatch.setattr(go.Figure, "add_annotation", refuse)
    monkeypatch.setattr(go.Figure, "add_vline", refuse)
    counts = _many_companies()
    res = na.conversion(counts, by="company")
    fig = na.plots.forest(res, pair="all")
    titles, labels = fig.layout.annotations[:3], fig.layout.annotations[3:]
    assert [a.text for a in titles] == [f"{a} → {b}" for a, b in res.pairs]
    assert len(labels) == 3 * len(counts)
    for panel, (start, stop) in enumerate(res.pairs):
        suffix = "" if panel == 0 else str(panel + 1)
        rows = res.table[(res.table["from_stage"] == start) & (res.table["to_stage"] == stop)]
        order = rows.assign(_nan=rows["rate"].isna()).sort_values(
            ["_nan", "rate", "n"], ascending=[True, False, False], kind="stable"
        )
        mine = labels[panel * len(counts) : (panel + 1) * len(counts)]
        assert [a.text for a in mine] == [f"{k:,}/{n:,}" for k, n in zip(order["k"], order["n"])]
        assert [a.y for a in mine] == [group_label("company", g) for g in order["company"]]
        assert {(a.xref, a.yref, a.x, a.xanchor, a.showarrow) for a in mine} == {
            (f"x{suffix} domain", f"y{suffix}", 1.01, "left", False)
        }
        assert {(a.font.size, a.font.color) for a in mine} == {(12, "#444444")}
        line = fig.layout.shapes[panel]
        used = rows[rows["n"] > 0]
        assert line.x0 == line.x1 == pytest.approx(used["k"].sum() / used["n"].sum())
        assert (line.xref, line.yref, line.y0, line.y1) == (f"x{suffix}", f"y{suffix} domain", 0, 1)
        assert (line.line.dash, line.layer) == ("dash", "below")


def matrix_cells(fig) -> tuple[np.ndarray, list[list[str]], np.ndarray]:
    """(log2 ratio, text, significant?) of every cell, both traces merged."""
    sig, faded = fig.data
    z = np.where(np.isnan(np.asarray(sig.z, float)), np.asarray(faded.z, float), sig.z)
    text = [[a or b for a, b in zip(ra, rb)] for ra, rb in zip(sig.text, faded.text)]
    return z, text, ~np.isnan(np.asarray(sig.z, float))


def test_matrix_cells_hold_ratio_colour_and_adjusted_p(counts):
    res = na.compare(counts, to_stage="interview")
    fig = na.plots.comparison_matrix(res)
    z, text, significant = matrix_cells(fig)
    labels = list(fig.data[0].y)
    assert labels == list(fig.data[0].x)
    order = res.groups.sort_values("rate", ascending=False)["channel"].tolist()
    assert labels == [group_label("channel", g) for g in order]
    index = {g: i for i, g in enumerate(order)}
    for _, pair in res.pairs.iterrows():
        i, j = index[pair["group_a"]], index[pair["group_b"]]
        assert z[i, j] == pytest.approx(np.log2(pair["ratio"]))
        assert z[j, i] == pytest.approx(-np.log2(pair["ratio"]))
        assert text[i][j] == text[j][i] == fmt_p_short(pair["p_adjusted"])
        assert significant[i, j] == (pair["p_adjusted"] <= 0.05)
    assert np.isnan(np.diag(z)).all()
    assert fig.data[1].opacity < 1
    assert fig.data[0].zmid == 0
    assert fig.data[0].zmin == -fig.data[0].zmax


def test_matrix_against_a_baseline_has_one_column(counts):
    res = na.compare(counts, to_stage="interview", baseline="job_board")
    fig = na.plots.comparison_matrix(res)
    assert list(fig.data[0].x) == ["job board"]
    assert len(fig.data[0].y) == len(counts) - 1
    z, text, _ = matrix_cells(fig)
    pairs = res.pairs.set_index("group_a")
    for i, label in enumerate(fig.data[0].y):
        group = next(g for g in counts.index if group_label("channel", g) == label)
        row = pairs.loc[group] if group in pairs.index else None
        if row is None:  # baseline listed as group_a
            row = res.pairs.set_index("group_b").loc[group]
            assert z[i, 0] == pytest.approx(-np.log2(row["ratio"]))
        else:
            assert z[i, 0] == pytest.approx(np.log2(row["ratio"]))
        assert text[i][0] == fmt_p_short(row["p_adjusted"])


def test_matrix_leaves_out_groups_without_leads_and_caps_infinite_ratios():
    counts = pd.DataFrame(
        {"contacted": [20, 30, 0], "interview": [5, 0, 0]},
        index=pd.Index(["referral", "job_board", "recruiter"], name="channel"),
    )
    fig = na.plots.comparison_matrix(na.compare(counts, to_stage="interview"))
    z, _, _ = matrix_cells(fig)
    assert list(fig.data[0].y) == ["referral", "job board"]
    assert z[0, 1] == fig.data[0].zmax  # 25% vs 0%: ratio inf, drawn at the end colour
    assert "recruiter" in fig.layout.title.subtitle.text


def test_matrix_of_one_group_says_there_is_nothing_to_compare():
    counts = pd.DataFrame(
        {"contacted": [20], "interview": [5]}, index=pd.Index(["referral"], name="channel")
    )
    fig = na.plots.comparison_matrix(na.compare(counts, to_stage="interview"))
    assert not fig.data
    assert "nothing to compare" in fig.layout.annotations[0].text
