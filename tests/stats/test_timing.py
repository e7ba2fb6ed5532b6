"""Tests for na.time_to: censored durations, Kaplan–Meier, medians, log-rank."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.stats.timing import TimeToResult, time_to

DAY0 = pd.Timestamp("2024-01-01", tz="UTC")


def make_log(rows: list[tuple], *, by: str = "channel") -> pd.DataFrame:
    """Events from (lead, group, stage, day or None[, seeker]) rows; day counts from DAY0."""
    records = []
    for row in rows:
        lead, group, stage, day = row[:4]
        seeker = row[4] if len(row) > 4 else "me"
        when = DAY0 + pd.Timedelta(days=day) if day is not None else pd.NaT
        records.append(
            {"seeker": seeker, "lead": lead, by: group, "stage": stage, "timestamp": when}
        )
    frame = pd.DataFrame(records)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return frame


# A hand-made log whose answer is known (as_of = day 10):
#   a: contacted 0, responded 2                     -> event at 2
#   b: contacted 0, interview 3 (implies responded) -> event at 3
#   c: contacted 1, rejected 4                      -> closed without a response: with
#                                                      closed="never" in the count until
#                                                      as_of (9 days, no event); with
#                                                      closed="censor" censored at 3
#   d: contacted 6, nothing since                   -> censored at 4 (as_of)
#   e: contacted 0, responded 5                     -> event at 5
#   f: contacted 0, responded 8                     -> event at 8
#   g: contacted 3, responded 15 (after as_of)      -> censored at 7 (as_of)
#   h: contacted 12 (after as_of)                   -> left out
#   u: contacted undated (status-only row)          -> left out, counted as undated
HAND = [
    ("a", "referral", "contacted", 0),
    ("a", "referral", "responded", 2),
    ("b", "referral", "contacted", 0),
    ("b", "referral", "interview", 3),
    ("c", "referral", "contacted", 1),
    ("c", "referral", "rejected", 4),
    ("d", "referral", "contacted", 6),
    ("e", "referral", "contacted", 0),
    ("e", "referral", "responded", 5),
    ("f", "referral", "contacted", 0),
    ("f", "referral", "responded", 8),
    ("g", "referral", "contacted", 3),
    ("g", "referral", "responded", 15),
    ("h", "referral", "contacted", 12),
    ("u", "referral", "contacted", None),
]
AS_OF = DAY0 + pd.Timedelta(days=10)


@pytest.mark.parametrize(("closed", "days_c"), [("never", 9.0), ("censor", 3.0)])
def test_hand_made_log_durations_and_censoring(closed, days_c):
    tt = time_to(make_log(HAND), as_of=AS_OF, closed=closed)
    got = tt.durations.set_index("lead")
    assert list(got.index) == ["a", "b", "c", "d", "e", "f", "g"]
    assert got["days"].tolist() == [2.0, 3.0, days_c, 4.0, 5.0, 8.0, 7.0]
    assert got["event"].tolist() == [True, True, False, False, True, True, False]
    # censored_at says why the watch ended, whichever way closed leads are counted
    assert got["censored_at"].tolist() == [
        "stage", "stage", "closing", "as_of", "stage", "stage", "as_of"
    ]  # fmt: skip
    expected_end = AS_OF if closed == "never" else DAY0 + pd.Timedelta(days=4)
    assert got.loc["c", "end"] == expected_end
    assert tt.excluded["undated"] == 1
    assert tt.excluded["after_as_of"] == 1
    assert tt.as_of == AS_OF
    assert tt.closed == closed
    assert f"closed={closed!r}" in tt.method
    assert any("status-only" in note for note in tt.notes)
    assert any("started after 2024-01-11" in note for note in tt.notes)


def test_hand_made_log_kaplan_meier_by_hand_closed_never():
    """KM by hand for durations 2, 3, 4+, 5, 7+, 8, 9+ (+ = no event; c in the count to 9).

    t=2: 7 at risk, 1 event -> S = 6/7
    t=3: 6 at risk, 1 event -> 6/7 * 5/6 = 5/7
    t=4: d censored, 5 at risk -> S stays 5/7
    t=5: 4 at risk, 1 event -> 5/7 * 3/4 = 15/28
    t=7: g censored, 3 at risk; t=8: 2 at risk, 1 event -> 15/28 * 1/2 = 15/56
    t=9: c (rejected on day 4, never responds) leaves the count at as_of, 1 at risk.
    Median: first time S < 1/2 -> 8 days (5 days if c were censored at its closing).
    """
    tt = time_to(make_log(HAND), as_of=AS_OF)
    curve = tt.curves
    assert curve["days"].tolist() == [0.0, 2.0, 3.0, 4.0, 5.0, 7.0, 8.0, 9.0]
    expected = [1.0, 6 / 7, 5 / 7, 5 / 7, 15 / 28, 15 / 28, 15 / 56, 15 / 56]
    assert curve["survival"].to_numpy() == pytest.approx(expected)
    assert curve["at_risk"].tolist() == [7, 7, 6, 5, 4, 3, 2, 1]
    assert curve["events"].tolist() == [0, 1, 1, 0, 1, 0, 1, 0]
    assert curve["censored"].tolist() == [0, 0, 0, 1, 0, 1, 0, 1]
    row = tt.summary.iloc[0]
    assert (row["n"], row["events"], row["censored"]) == (7, 4, 3)
    assert row["median_days"] == 8.0
    within = tt.reached_by(6).iloc[0]
    assert within["reached"] == pytest.approx(1 - 15 / 28)
    assert within["ci_low"] <= 13 / 28 <= within["ci_high"]
    assert tt.reached_by(9).iloc[0]["followed"]  # c is watched until as_of: 9 days
    assert not tt.reached_by(9.5).iloc[0]["followed"]


def test_hand_made_log_kaplan_meier_by_hand_closed_censor():
    """KM by hand for durations 2, 3, 3+, 4+, 5, 7+, 8 (+ = censored; c censored at closing).

    t=2: 7 at risk, 1 event -> S = 6/7
    t=3: 6 at risk, 1 event (the censoring at 3 counts as still at risk) -> 6/7 * 5/6 = 5/7
    t=4: censored, 4 at risk -> S stays 5/7
    t=5: 3 at risk, 1 event -> 5/7 * 2/3 = 10/21
    t=7: censored, 2 at risk; t=8: 1 at risk, 1 event -> 0
    Median: first time S < 1/2 -> 5 days.
    """
    tt = time_to(make_log(HAND), as_of=AS_OF, closed="censor")
    curve = tt.curves
    assert curve["days"].tolist() == [0.0, 2.0, 3.0, 4.0, 5.0, 7.0, 8.0]
    expected = [1.0, 6 / 7, 5 / 7, 5 / 7, 10 / 21, 10 / 21, 0.0]
    assert curve["survival"].to_numpy() == pytest.approx(expected)
    assert curve["at_risk"].tolist() == [7, 7, 6, 4, 3, 2, 1]
    assert curve["events"].tolist() == [0, 1, 1, 0, 1, 0, 1]
    assert curve["censored"].tolist() == [0, 0, 1, 1, 0, 1, 0]
    row = tt.summary.iloc[0]
    assert (row["n"], row["events"], row["censored"]) == (7, 4, 3)
    assert row["median_days"] == 5.0
    within = tt.reached_by(4.5).iloc[0]
    assert within["reached"] == pytest.approx(2 / 7)
    assert within["ci_low"] <= 2 / 7 <= within["ci_high"]
    assert within["followed"]
    assert not tt.reached_by(9).iloc[0]["followed"]  # the longest follow-up is 8 days
    # every lead that reached it did so by day 8, yet 1 of 7 never did: "censor" says 100%
    assert tt.reached_by(8).iloc[0]["reached"] == pytest.approx(1.0)
    never = time_to(make_log(HAND), as_of=AS_OF)
    assert never.reached_by(8).iloc[0]["reached"] == pytest.approx(41 / 56)


def test_closed_never_recovers_the_true_share_censor_overstates_it():
    """Simulated searches whose future is known: the same leads (same seed) seen on
    2024-03-15, two weeks after the last was contacted, and again on 2025-06-30 when every
    interview is in. The truth is the share of leads whose interview came within 30 days
    of first contact (seen in the late export, where every lead was watched > 1 year).

    From the early export, closed="never" lands on the truth (inside its 95% interval, per
    mode and pooled); closed="censor" (rejected leads censored at their rejection) is above
    the truth in every mode, and pooled above the whole interval of closed="never"
    (0.113 vs 0.097; the reviewer's figures on the 180-day search: affinity 0.158 vs 0.120,
    direct 0.195 vs 0.165, in_person 0.212 vs 0.182).
    """
    settings = {"n_leads": 1500, "seed": 3, "start": "2024-01-01", "days": 60}
    now = na.simulate(**settings, as_of="2024-03-15")
    later = na.simulate(**settings, as_of="2025-06-30")
    for by in ("mode", "pool"):
        ev_now, ev_later = now.events.assign(pool="all"), later.events.assign(pool="all")
        final = time_to(ev_later, stage="interview", by=by, as_of=later.as_of).durations
        truth = (final["event"] & (final["days"] <= 30)).groupby(final[by]).mean()
        truth = truth.rename_axis(by)
        never = time_to(ev_now, stage="interview", by=by, as_of=now.as_of)
        censor = time_to(ev_now, stage="interview", by=by, as_of=now.as_of, closed="censor")
        # some leads are still open at the early export: censoring at as_of is exercised
        assert (never.durations["censored_at"] == "as_of").sum() > 500
        a = never.reached_by(30).set_index(by).reindex(truth.index)
        b = censor.reached_by(30).set_index(by).reindex(truth.index)
        assert a["followed"].all()
        assert ((a["ci_low"] <= truth) & (truth <= a["ci_high"])).all(), (a, truth)
        assert ((a["reached"] - truth).abs() < 0.01).all()
        assert (b["reached"] > truth + 0.008).all(), (b, truth)
        if by == "pool":
            assert b["reached"].iloc[0] > a["ci_high"].iloc[0]


def test_default_as_of_is_latest_timestamp():
    tt = time_to(make_log(HAND))
    assert tt.as_of == DAY0 + pd.Timedelta(days=15)
    got = tt.durations.set_index("lead")
    # With as_of at day 15, g's response (day 15) counts and h (day 12) is in.
    assert got.loc["g", "event"]
    assert got.loc["g", "days"] == 12.0
    assert got.loc["h", "censored_at"] == "as_of"
    assert got.loc["h", "days"] == 3.0


@pytest.mark.parametrize("closed", ["never", "censor"])
def test_closing_after_as_of_is_censored_at_as_of(closed):
    rows = [("a", "referral", "contacted", 0), ("a", "referral", "rejected", 20)]
    tt = time_to(make_log(rows), as_of=AS_OF, closed=closed)
    assert tt.durations["censored_at"].tolist() == ["as_of"]
    assert tt.durations["days"].tolist() == [10.0]


UNDATED = [
    ("a", "referral", "contacted", 0),
    ("a", "referral", "responded", None),  # reached, but when?
    ("b", "referral", "contacted", 0),
    ("b", "referral", "rejected", None),  # closed, but when?
    ("c", "referral", "contacted", 0),
    ("c", "referral", "responded", 4),
]


def test_undated_stage_or_closing_is_excluded_when_closings_are_censored():
    tt = time_to(make_log(UNDATED), as_of=AS_OF, closed="censor")
    assert tt.durations["lead"].tolist() == ["c"]
    assert tt.excluded["undated"] == 2
    assert "2 leads were left out" in tt.finding()
    assert "or of the closing" in tt.notes[0]


def test_undated_closing_needs_no_date_when_closed_leads_never_reach():
    """A closed lead never reaches the stage, whenever it closed: it is kept until as_of."""
    tt = time_to(make_log(UNDATED), as_of=AS_OF)
    got = tt.durations.set_index("lead")
    assert got.index.tolist() == ["b", "c"]
    assert got.loc["b", "days"] == 10.0
    assert got.loc["b", "censored_at"] == "closing"
    assert not got.loc["b", "event"]
    assert tt.excluded["undated"] == 1
    assert "1 lead was left out" in tt.finding()
    assert "closing" not in tt.notes[0]


def test_finding_explains_how_closed_leads_count():
    never = time_to(make_log(HAND), as_of=AS_OF).finding()
    assert "3 of 7 leads have not reached a response: 2 still open on 2024-01-11" in never
    assert "1 closed without it and count as never reaching it" in never
    censor = time_to(make_log(HAND), as_of=AS_OF, closed="censor").finding()
    assert "censored at their closing (closed='censor')" in censor
    assert "lean high" in censor
    only_open = [("a", "referral", "contacted", 0), ("b", "referral", "contacted", 1)]
    text = time_to(make_log(only_open), as_of=AS_OF).finding()
    assert "2 of 2 leads have not reached a response: still open on 2024-01-11" in text
    assert "closed" not in text


def test_status_only_tracker_gives_empty_result_with_note():
    rows = [("a", "referral", "interview", None), ("b", "job_board", "contacted", None)]
    tt = time_to(make_log(rows))
    assert tt.summary.empty
    assert tt.curves.empty
    assert tt.excluded["undated"] == 2
    assert tt.finding().startswith("No lead could be timed")


def test_freireich_6mp_matches_r():
    """Freireich et al. (1963) leukemia remission data, 6-MP vs placebo.

    R (survival 3.x)::

        t6 <- c(6,6,6,6,7,9,10,10,11,13,16,17,19,20,22,23,25,32,32,34,35)
        s6 <- c(1,1,1,0,1,0,1,0,0,1,1,0,0,0,1,1,0,0,0,0,0)
        tp <- c(1,1,2,2,3,4,4,5,5,8,8,8,8,11,11,12,12,15,17,22,23)
        d <- data.frame(time=c(t6,tp), status=c(s6,rep(1,21)), group=rep(c("6MP","pl"),each=21))
        summary(survfit(Surv(time, status) ~ group, data=d))   # group=6MP:
        #  time n.risk n.event survival std.err
        #     6     21       3    0.857  0.0764
        #     7     17       1    0.807  0.0869
        #    10     15       1    0.753  0.0963
        #    13     12       1    0.690  0.1068
        #    16     11       1    0.627  0.1141
        #    22      7       1    0.538  0.1282
        #    23      6       1    0.448  0.1346
        survdiff(Surv(time, status) ~ group, data=d)
        #  Chisq= 16.8  on 1 degrees of freedom, p= 4.17e-05

    Median (6-MP) 23 weeks in R and statsmodels. The log-log pointwise interval at week 6
    is S^exp(±1.96·se/(S·|ln S|)) = 0.6197–0.9516 (Kalbfleisch & Prentice; the default of
    Stata's ``sts list`` and SAS LIFETEST).
    """
    t6 = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    s6 = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    tp = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
    rows = []
    for i, (t, s) in enumerate(zip(t6 + tp, s6 + [1] * 21)):
        group = "6MP" if i < 21 else "placebo"
        rows.append((f"L{i:02d}", group, "contacted", 0))
        # An event is a response at t. To give each censored lead its own follow-up, it
        # is withdrawn at t and closed="censor" censors it there.
        rows.append((f"L{i:02d}", group, "responded" if s else "withdrawn", t))
    tt = time_to(
        make_log(rows, by="arm"), by="arm", as_of=DAY0 + pd.Timedelta(days=60), closed="censor"
    )
    curve = tt.curves[(tt.curves["arm"] == "6MP") & (tt.curves["events"] > 0)]
    assert curve["days"].tolist() == [6, 7, 10, 13, 16, 22, 23]
    assert curve["at_risk"].tolist() == [21, 17, 15, 12, 11, 7, 6]
    assert curve["survival"].round(3).tolist() == [0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448]
    first = curve.iloc[0]
    assert first["ci_low"] == pytest.approx(0.6197, abs=5e-5)
    assert first["ci_high"] == pytest.approx(0.9516, abs=5e-5)
    summary = tt.summary.set_index("arm")
    assert summary.loc["6MP", "median_days"] == 23
    assert summary.loc["placebo", "median_days"] == 8
    test = tt.test.iloc[0]
    assert test["statistic"] == pytest.approx(16.79, abs=0.01)
    assert test["p_value"] == pytest.approx(4.17e-05, rel=0.01)
    assert test["dof"] == 1


def test_median_interval_matches_statsmodels_at_level():
    sim = na.simulate(n_leads=300, seed=5)
    tt = time_to(sim.events, by="mode", as_of=sim.as_of, level=0.9)
    for group, sub in tt.durations.groupby("mode"):
        sf = SurvfuncRight(sub["days"].to_numpy(), sub["event"].to_numpy(dtype=float))
        row = tt.summary.set_index("mode").loc[group]
        if row["events"] == 0:
            continue
        with np.errstate(all="ignore"):
            low, high = sf.quantile_ci(0.5, alpha=0.1)
        assert row["median_days"] == pytest.approx(sf.quantile(0.5), nan_ok=True)
        assert row["median_low"] == pytest.approx(low, nan_ok=True)
        expected_high = high if np.isfinite(high) else np.nan
        assert row["median_high"] == pytest.approx(expected_high, nan_ok=True)


def test_log_rank_k_groups_matches_statsmodels(sim_events):
    tt = time_to(sim_events, stage="interview")
    d = tt.durations
    stat, p = survdiff(d["days"], d["event"].astype(float), d["channel"])
    test = tt.test.iloc[0]
    assert test["statistic"] == pytest.approx(stat)
    assert test["p_value"] == pytest.approx(p)
    assert test["dof"] == d["channel"].nunique() - 1


def test_stratified_log_rank_matches_statsmodels():
    sim = na.simulate(n_leads=300, seekers=6, seeker_sd=1.0, seed=8)
    tt = time_to(sim.events, by="mode", strata="seeker")
    d = tt.durations
    stat, p = survdiff(d["days"], d["event"].astype(float), d["mode"], strata=d["seeker"])
    assert tt.test.iloc[0]["statistic"] == pytest.approx(stat)
    assert tt.test.iloc[0]["p_value"] == pytest.approx(p)
    assert tt.test.iloc[0]["test"] == "log-rank stratified by seeker"
    assert tt.strata == "seeker"
    assert "comparing within each seeker" in tt.finding()


def test_never_averages_only_the_converters():
    """Two of ten leads respond within a day; eight never do: the median is not reached."""
    rows = []
    for i in range(10):
        rows.append((f"L{i}", "referral", "contacted", 0))
        if i < 2:
            rows.append((f"L{i}", "referral", "responded", 1))
    tt = time_to(make_log(rows), as_of=DAY0 + pd.Timedelta(days=30))
    row = tt.summary.iloc[0]
    assert np.isnan(row["median_days"])
    assert row["censored"] == 8
    assert tt.curves["survival"].iloc[-1] == pytest.approx(0.8)
    text = tt.finding()
    assert "not reached" in text
    assert "8 of 10 leads" in text
    assert "Within 30 days, 20% of referrals" in text


def test_one_group_has_no_test():
    tt = time_to(make_log(HAND), as_of=AS_OF)
    test = tt.test.iloc[0]
    assert np.isnan(test["p_value"])
    assert test["dof"] == 0
    assert "fewer than two groups" in test["note"]


def test_no_events_gives_no_test_and_no_median():
    rows = [("a", "x", "contacted", 0), ("b", "y", "contacted", 1)]
    tt = time_to(make_log(rows), as_of=AS_OF)
    assert tt.summary["events"].tolist() == [0, 0]
    assert tt.summary["median_days"].isna().all()
    assert "no lead reached" in tt.test.iloc[0]["note"]
    assert "not reached in any group" in tt.finding()


def test_finding_reads_with_caveats():
    sim = na.simulate(n_leads=200, seekers=4, seed=2)
    tt = time_to(sim.events, as_of=sim.as_of)
    text = tt.finding()
    assert text.startswith("Median time from first contact to a response")
    assert "Log-rank test across the" in text
    assert "censored" in text
    assert "4 seekers" in text
    assert "association, not proof" in text
    assert "estimates are rough" in text  # some channels have few leads


def test_result_is_frozen_and_renders():
    tt = time_to(make_log(HAND), as_of=AS_OF)
    assert isinstance(tt, TimeToResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        tt.level = 0.9  # type: ignore[misc]
    assert tt.to_pandas().equals(tt.summary)
    html = tt._repr_html_()
    assert "<table" in html
    assert "Median time" in html
    assert tt.level == 0.95
    assert tt.attribution == "first"


def test_columns_follow_the_contract(sim_events):
    tt = time_to(sim_events, by="mode")
    assert list(tt.curves.columns)[:6] == [
        "mode", "days", "survival", "ci_low", "ci_high", "at_risk"
    ]  # fmt: skip
    assert list(tt.summary.columns) == [
        "mode", "n", "events", "censored", "median_days", "median_low", "median_high"
    ]  # fmt: skip
    assert {"statistic", "dof", "p_value"} <= set(tt.test.columns)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stage": "contacted"}, "must differ"),
        ({"stage": "responsed"}, "Did you mean 'responded'"),
        ({"level": 1.2}, "must be in (0, 1)"),
        ({"attribution": "middle"}, "'attribution' parameter"),
        ({"by": ["channel", "mode"]}, "one column name"),
        ({"closed": "drop"}, "'closed' parameter"),
    ],
)
def test_parameter_errors(kwargs, message, sim_events):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        time_to(sim_events, **kwargs)


def test_polars_input_gives_the_same_answer(sim_events):
    pl = pytest.importorskip("polars")
    expected = time_to(sim_events)
    got = time_to(pl.from_pandas(sim_events))
    pd.testing.assert_frame_equal(got.summary, expected.summary)
    pd.testing.assert_frame_equal(got.curves, expected.curves)


_SMALL = na.simulate(n_leads=60, seekers=3, seed=21)


@given(st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rnd):
    events = _SMALL.events
    order = list(range(len(events)))
    rnd.shuffle(order)
    a = time_to(events, as_of=_SMALL.as_of)
    b = time_to(events.iloc[order].reset_index(drop=True), as_of=_SMALL.as_of)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.curves, b.curves)
    pd.testing.assert_frame_equal(a.test, b.test)


@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 20), st.booleans(), st.sampled_from("xy")),
        min_size=1,
        max_size=25,
    )
)
def test_survival_is_a_non_increasing_curve_in_unit_interval(leads):
    rows = []
    for i, (start, wait, responds, group) in enumerate(leads):
        rows.append((f"L{i}", group, "contacted", start))
        rows.append((f"L{i}", group, "responded" if responds else "rejected", start + wait))
    tt = time_to(make_log(rows), as_of=DAY0 + pd.Timedelta(days=40))
    for _, curve in tt.curves.groupby("channel"):
        surv = curve["survival"].to_numpy()
        assert ((surv >= 0) & (surv <= 1)).all()
        assert (np.diff(surv) <= 1e-12).all()
        assert (np.diff(curve["at_risk"].to_numpy()) <= 0).all()
        inside = curve.dropna(subset=["ci_low", "ci_high"])
        assert (inside["ci_low"] <= inside["survival"] + 1e-12).all()
        assert (inside["survival"] <= inside["ci_high"] + 1e-12).all()
    assert tt.summary["n"].sum() == len(leads)
    assert (tt.summary["events"] + tt.summary["censored"] == tt.summary["n"]).all()
