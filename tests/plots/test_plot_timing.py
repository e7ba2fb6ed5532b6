"""Kaplan–Meier figure and weekly activity (netanalysis.plots._timing)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.plots._style import group_label


@pytest.fixture(scope="module")
def tt(sim):
    return na.time_to(sim.events, as_of=sim.as_of)


def traces(fig, meta):
    return [t for t in fig.data if t.meta == meta]


def step_value(x: np.ndarray, y: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Value of a ``line_shape="hv"`` step plot at the given times."""
    return np.asarray(y)[np.searchsorted(np.asarray(x), at, side="right") - 1]


def test_curves_step_exactly_as_the_kaplan_meier_table(tt):
    fig = na.plots.survival(tt)
    lines = traces(fig, "curve")
    assert [t.name for t in lines] == [group_label("channel", g) for g in tt.summary["channel"]]
    for line, (group, curve) in zip(lines, tt.curves.groupby("channel", sort=False)):
        assert line.line.shape == "hv"
        assert line.line.color == na.plots.palette()[group]
        days = curve["days"].to_numpy()
        # float32 storage: compare just after each time, where the step has happened
        got = step_value(line.x, line.y, days.astype(np.float32))
        assert got == pytest.approx(curve["survival"].to_numpy(), abs=1e-6)
        assert line.x[-1] == pytest.approx(days[-1])  # drawn to the end of follow-up


def test_bands_are_the_intervals_and_reached_flips_the_curve(tt):
    fig = na.plots.survival(tt)
    upper, lower = traces(fig, "band")[:2]
    curve = tt.curves[tt.curves["channel"] == tt.summary["channel"].iloc[0]]
    stepped = curve[curve["survival"].diff().fillna(-1) != 0]
    hi = stepped["ci_high"].fillna(stepped["survival"])
    lo = stepped["ci_low"].fillna(stepped["survival"])
    assert upper.y[: len(hi) - 1] == pytest.approx(hi.to_numpy()[:-1], abs=1e-6)
    assert lower.y[: len(lo) - 1] == pytest.approx(lo.to_numpy()[:-1], abs=1e-6)
    assert lower.fill == "tonexty"
    reached = na.plots.survival(tt, kind="reached")
    a, b = traces(fig, "curve")[0], traces(reached, "curve")[0]
    assert np.allclose(np.asarray(a.y) + np.asarray(b.y), 1.0, atol=1e-6)
    assert "share that got a response" in reached.layout.yaxis.title.text


def test_censor_marks_count_every_censored_lead(tt):
    fig = na.plots.survival(tt)
    marks = traces(fig, "censored")
    total = sum(int(np.sum(t.customdata)) for t in marks)
    assert total == int(tt.summary["censored"].sum())
    assert all(len(t.x) <= 30 for t in marks)


def test_number_at_risk_matches_the_durations(tt):
    fig = na.plots.survival(tt)
    table = traces(fig, "at_risk")
    assert [t.name for t in table] == [group_label("channel", g) for g in tt.summary["channel"]]
    durations = tt.durations
    for row, group in zip(table, tt.summary["channel"]):
        days = durations.loc[durations["channel"] == group, "days"].to_numpy()
        expected = [(days >= t).sum() for t in row.x]
        assert list(row.customdata) == expected
        assert row.customdata[0] == tt.summary.set_index("channel").loc[group, "n"]
    assert list(table[0].x) == list(fig.layout.xaxis.tickvals)


def test_long_curves_are_read_on_a_grid(big):
    tt = na.time_to(big.events, by="mode", as_of=big.as_of)
    fig = na.plots.survival(tt, max_points=50)
    for line, (_, curve) in zip(traces(fig, "curve"), tt.curves.groupby("mode", sort=False)):
        assert len(line.x) <= 50
        days, surv = curve["days"].to_numpy(), curve["survival"].to_numpy()
        exact = step_value(days, surv, np.asarray(line.x, dtype=float) + 1e-4)
        assert np.asarray(line.y) == pytest.approx(exact, abs=2e-3)
    with pytest.raises(ParameterError, match="max_points"):
        na.plots.survival(tt, max_points=3)


def test_an_empty_result_gives_an_empty_figure():
    tt = na.time_to(na.schema.empty_events())
    fig = na.plots.survival(tt)
    assert not fig.data
    assert "timed" in fig.layout.annotations[0].text


def first_contacts(events: pd.DataFrame) -> pd.DataFrame:
    """Per lead: channel of its first event, and its week (Monday, UTC)."""
    ev = events.sort_values("timestamp", kind="stable")
    first = ev.groupby("lead").agg(channel=("channel", "first"), t=("timestamp", "min"))
    day = first["t"].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    first["week"] = (day - pd.to_timedelta(day.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
    return first


def test_activity_bars_count_leads_started_per_week_and_channel(sim):
    fig = na.plots.activity(sim.events)
    bars = [t for t in fig.data if t.type == "bar"]
    assert fig.layout.barmode == "stack"
    expected = first_contacts(sim.events).groupby(["channel", "week"], observed=True).size()
    got = {}
    palette = na.plots.palette()
    for bar in bars:
        group = next(g for g in palette if group_label("channel", g) == bar.name)
        assert bar.marker.color == palette[group]
        for week, n in zip(bar.x, bar.y):
            got[(group, week)] = int(n)
    assert got == {k: int(v) for k, v in expected.items()}
    assert sum(got.values()) == sim.events["lead"].nunique()


def test_activity_marks_outcomes_when_they_happened(sim):
    fig = na.plots.activity(sim.events, freq="M")
    marks = {t.name: t for t in fig.data if t.type == "scatter"}
    assert list(marks) == ["interviews", "offers"]
    ev = sim.events
    hit = ev[ev["stage"].isin(["interview", "offer", "accepted"])]
    first = hit.groupby("lead")["timestamp"].min().dt.tz_localize(None)
    months = first.dt.to_period("M").dt.start_time.dt.strftime("%Y-%m-%d")
    expected = months.value_counts().sort_index()
    assert list(marks["interviews"].x) == list(expected.index)
    assert list(marks["interviews"].y) == list(expected.to_numpy())


def test_activity_checks_its_options(sim):
    with pytest.raises(ParameterError, match=r"'freq' parameter of plots\.activity"):
        na.plots.activity(sim.events, freq="Q")
    with pytest.raises(ParameterError, match="'outcomes' parameter"):
        na.plots.activity(sim.events, outcomes=["hired!"])
    fig = na.plots.activity(sim.events, by="mode", freq="D", outcomes=[])
    assert {t.type for t in fig.data} == {"bar"}
    assert not na.plots.activity(na.schema.empty_events()).data
