"""What the statistics accept: empty input, and tables whose numbers are not counts
(netanalysis.stats._data)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import netanalysis as na
from netanalysis.errors import DataQualityWarning, NetAnalysisWarning
from netanalysis.stats import UnitsWarning
from netanalysis.stats._data import as_counts, table_unit

_SIM = na.simulate(n_leads=40, seed=1)
EMPTY_EVENTS = _SIM.events.iloc[0:0]
EMPTY_COUNTS = na.funnel(_SIM.events).iloc[0:0]

#: (function, contract columns of to_pandas(), words the finding must contain)
CALLS = {
    "conversion": (
        lambda d: na.conversion(d),
        ["channel", "from_stage", "to_stage", "n", "k", "rate", "ci_low", "ci_high"],
        "there is no rate to report",
    ),
    "compare": (lambda d: na.compare(d), None, "Nothing to compare"),
    "bayes": (
        lambda d: na.bayes(d),
        ["channel", "k", "n", "mean", "cri_low", "cri_high", "p_best", "expected_loss"],
        "Nothing to rank",
    ),
    "sample_size": (lambda d: na.sample_size(d), None, "Nothing to plan"),
    "power": (lambda d: na.power(d, diff=0.1), None, "Nothing to plan"),
}


@pytest.mark.parametrize("data", [EMPTY_EVENTS, EMPTY_COUNTS], ids=["events", "counts"])
@pytest.mark.parametrize("name", list(CALLS))
def test_empty_input_gives_an_empty_result_and_says_so(name, data):
    """Empty input never crashes: an empty table with the contract columns and a finding
    that says there is nothing to report (bayes used to raise 'zero-size array')."""
    func, columns, words = CALLS[name]
    res = func(data)
    table = res.to_pandas()
    assert table.empty
    if columns is not None:
        assert list(table.columns) == columns
    assert words in res.finding()
    assert "<table" in res._repr_html_()


def test_empty_compare_has_the_pair_columns_and_no_omnibus_test():
    res = na.compare(EMPTY_COUNTS)
    assert list(res.pairs.columns) == list(na.stats.compare.PAIR_COLUMNS)
    assert res.omnibus.test == "none"


def test_empty_events_give_an_empty_time_to():
    tt = na.time_to(EMPTY_EVENTS)
    assert tt.summary.empty
    assert tt.curves.empty
    assert tt.finding().startswith("No lead could be timed")


def test_empty_counts_keep_their_stage_columns():
    data = as_counts(EMPTY_COUNTS, by="channel")
    assert data.stages == ("contacted", "responded", "interview", "offer")
    assert data.groups == []


# ---------------------------------------------------------------------------------------
# Units: published tables per 100 applicants / per hire
# ---------------------------------------------------------------------------------------

PER_100 = na.datasets.published("fernandez_weinberg_1997")
PER_HIRE = na.datasets.published("lever_2016")


def test_units_warning_is_a_data_quality_warning_with_a_remedy():
    assert issubclass(UnitsWarning, DataQualityWarning)
    assert issubclass(UnitsWarning, NetAnalysisWarning)
    with pytest.warns(UnitsWarning) as caught:
        na.conversion(PER_100)
    message = str(caught[0].message)
    assert "per 100 applicants" in message
    assert "intervals assume counts of independent leads" in message
    assert message.endswith("set table.attrs['unit'] = 'count'.")
    assert caught[0].filename == __file__  # points at the caller's line


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda d: na.conversion(d), "the intervals"),
        (lambda d: na.compare(d, to_stage="offer"), "the tests, p-values and intervals"),
        (lambda d: na.bayes(d, to_stage="offer", draws=1_000), "P(best)"),
        (lambda d: na.sample_size(d, to_stage="offer"), "the leads collected"),
        (lambda d: na.power(d, to_stage="offer", diff=0.1), "the leads collected"),
    ],
)
def test_every_count_statistic_warns_on_a_table_that_is_not_counts(call, words):
    with pytest.warns(UnitsWarning, match="per 100 applicants") as caught:
        res = call(PER_100)
    assert words in str(caught[0].message)
    assert caught[0].filename == __file__
    assert res.unit == "per_100"
    text = res.finding()
    assert "per 100 applicants, not counts of leads" in text
    assert "Of 300 leads" not in text


def test_findings_speak_in_the_table_unit():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnitsWarning)
        rates = na.conversion(PER_100, from_stage="contacted", to_stage="offer").finding()
        ratio = na.compare(PER_HIRE, to_stage="accepted", baseline="applied").finding()
        best = na.bayes(PER_100, to_stage="offer", draws=1_000).finding()
    assert rates.startswith(
        "66% of the internal group led to an offer, against 12% of the nonreferral group. "
        "The numbers of this table are per 100 applicants, not counts of leads"
    )
    assert "CI" not in rates
    # the pair with the largest ratio (p-values mean nothing here): 1/16 vs 1/152 = 9.5x
    assert ratio.startswith(
        "The referral group ended in an accepted offer 9.5× as often as the applied group "
        "(6.2% vs 0.66%). The numbers of this table are per hire, not counts of leads"
    )
    assert "p =" not in ratio
    assert "p >" not in ratio
    assert best.startswith("Highest rate of an offer: the internal group, 66%; lowest: ")
    assert "probability" not in best


def test_counts_and_plain_tables_do_not_warn():
    counts = PER_100.copy()
    counts.attrs["unit"] = "count"
    plain = pd.DataFrame({"contacted": [10, 12], "interview": [2, 1]}, index=["a", "b"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert na.conversion(counts).unit is None
        assert na.compare(plain).unit is None
        assert na.bayes(_SIM.events, draws=1_000).unit is None
    assert (
        "Of 300 leads" in na.conversion(counts, from_stage="contacted", to_stage="offer").finding()
    )
    assert table_unit(counts) is None
    assert table_unit(PER_HIRE) == "per_hire"
