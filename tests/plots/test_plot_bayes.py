"""Posterior densities and P(best) bars (netanalysis.plots._bayes)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import stats

import netanalysis as na
from netanalysis.errors import ParameterError


def test_densities_are_the_beta_posteriors_of_the_result(small_counts):
    res = na.bayes(small_counts, prior=(0.5, 0.5), draws=2_000)
    fig = na.plots.posterior(res)
    lines = [t for t in fig.data if t.type == "scatter"]
    assert [t.name for t in lines] == ["referral", "job board", "recruiter"]
    for trace, (_, row) in zip(lines, res.table.iterrows()):
        dist = stats.beta(0.5 + row["k"], 0.5 + row["n"] - row["k"])
        x = np.linspace(*dist.ppf([0.0005, 0.9995]), 201)  # the documented grid
        assert np.asarray(trace.x) == pytest.approx(x, rel=1e-6)
        assert np.asarray(trace.y) == pytest.approx(dist.pdf(x), rel=1e-6)
        assert f"k = {row['k']} of n = {row['n']}" in trace.hovertemplate
        assert trace.line.color == na.plots.palette()[row["channel"]]
    # the group with no leads shows its prior, Beta(0.5, 0.5)
    assert lines[2].x[0] < 0.001
    assert lines[2].x[-1] > 0.999


def test_p_best_bars_are_sorted_and_equal_the_result(counts):
    """Highest P(best) on top; ties (often at 0) by lower expected loss."""
    res = na.bayes(counts, draws=5_000, seed=1)
    (bars,) = [t for t in na.plots.posterior(res).data if t.type == "bar"]
    order = res.table.sort_values(
        ["p_best", "expected_loss"], ascending=[False, True], kind="stable"
    )
    assert list(bars.x) == pytest.approx(order["p_best"].tolist())
    assert list(bars.y) == [na.plots.group_label("channel", g) for g in order["channel"]]
    assert "expected loss" in bars.hovertemplate


def test_kind_chooses_the_panels(small_counts):
    res = na.bayes(small_counts, draws=1_000)
    assert {t.type for t in na.plots.posterior(res, kind="density").data} == {"scatter"}
    assert {t.type for t in na.plots.posterior(res, kind="p_best").data} == {"bar"}
    with pytest.raises(ParameterError, match=r"'kind' parameter of plots\.posterior"):
        na.plots.posterior(res, kind="bars")


def test_an_empty_result_gives_an_empty_figure(small_counts):
    res = na.bayes(small_counts, draws=1_000)
    empty = dataclasses.replace(res, table=res.table.iloc[:0])
    fig = na.plots.posterior(empty)
    assert not fig.data
    assert fig.layout.annotations[0].text == "No groups to show."
