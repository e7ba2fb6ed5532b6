"""Plain-word formatting and caveats (netanalysis.stats.findings)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netanalysis.schema import CHANNELS, MODES, STAGES
from netanalysis.stats import findings as fw


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4.137, "4.1"),
        (8.71, "8.7"),
        (0.2345, "0.23"),
        (0.0456, "0.046"),
        (9.96, "10"),
        (12.4, "12"),
        (1234.6, "1,235"),
        (-2.5, "−2.5"),
        (0.0, "0"),
        (float("nan"), "–"),
        (None, "–"),
        (float("inf"), "∞"),
    ],
)
def test_fmt_num(value, expected):
    assert fw.fmt_num(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.2345, "23%"),
        (0.0995, "10%"),
        (0.046, "4.6%"),
        (0.0012, "0.12%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (0.9971, "99.7%"),
        (float("nan"), "–"),
    ],
)
def test_fmt_pct(value, expected):
    assert fw.fmt_pct(value) == expected


@pytest.mark.parametrize(
    ("p", "adjust", "expected"),
    [
        (0.2345, None, "p = 0.23"),
        (0.0491, None, "p = 0.049"),  # never rounded up to 0.05
        (0.0021, "holm", "Holm-adjusted p = 0.002"),
        (0.0004, "bonferroni", "Bonferroni-adjusted p < 0.001"),
        (0.999, None, "p > 0.99"),
        (0.5, "none", "p = 0.50"),
        (float("nan"), None, "p –"),
    ],
)
def test_fmt_p(p, adjust, expected):
    assert fw.fmt_p(p, adjust=adjust) == expected


def test_fmt_ci_variants():
    assert fw.fmt_ci(1.93, 8.71, ratio=True) == "95% CI 1.9–8.7"
    assert fw.fmt_ci(0.12, 0.35, pct=True, level=0.9) == "90% CI 12–35%"
    assert fw.fmt_ci(-0.12, 0.05, diff=True) == "95% CI −12 to +5.0 points"
    assert fw.fmt_ci(0.14, 0.5, pct=True, credible=True) == "95% credible interval 14–50%"
    assert fw.fmt_ci(float("nan"), 1.0) == "95% CI –"


def test_the_issue_example_can_be_written():
    """The sentence of issue 4, built from the helpers."""
    text = (
        f"{fw.group_phrase('channel', 'referral', capital=True)} {fw.stage_phrase('interview')} "
        f"{fw.fmt_ratio(4.1)} as often as {fw.group_phrase('channel', 'job_board')} "
        f"({fw.fmt_ci(1.9, 8.7, ratio=True)}; {fw.method_name('fisher')}, "
        f"{fw.fmt_p(0.002, adjust='holm')}; 23 vs 212 leads). {fw.association_caveat('channel')}"
    )
    assert text == (
        "Referrals led to an interview 4.1× as often as job-board applications (95% CI 1.9–8.7; "
        "Fisher's exact test, Holm-adjusted p = 0.002; 23 vs 212 leads). Channels were chosen "
        "by you, not assigned at random: this is association, not proof."
    )


def test_every_channel_mode_and_stage_has_words():
    for channel in CHANNELS:
        phrase = fw.group_phrase("channel", channel, capital=True)
        assert phrase[0].isupper()
        assert "_" not in phrase
    for mode in MODES:
        assert "_" not in fw.group_phrase("mode", mode)
    for stage in STAGES:
        assert "'" not in fw.stage_phrase(stage)
        assert "'" not in fw.stage_phrase(stage, noun=True)
        assert "'" not in fw.stage_phrase(stage, plural=True)
    assert fw.group_phrase("channel", "(missing)") == "leads with no channel"


def test_caveats_trigger_only_on_the_data_that_call_for_them():
    assert fw.small_sample_caveat(12).startswith("With as few as 12 leads")
    assert fw.small_sample_caveat(30) == ""
    assert fw.small_sample_caveat(float("nan")) == ""
    assert fw.many_comparisons_caveat(1, "holm") == ""
    assert "Holm" in fw.many_comparisons_caveat(3, "holm")
    assert "Benjamini" in fw.many_comparisons_caveat(3, "bh")
    assert "1.4" in fw.many_comparisons_caveat(28, "none")
    assert fw.dependence_caveat(None, 100) == ""
    assert fw.dependence_caveat(1, 100) == ""
    assert "from 3 seekers" in fw.dependence_caveat(3, 100)
    assert fw.censoring_caveat(None, 100, "interview") == ""
    assert fw.censoring_caveat(0, 100, "interview") == ""
    assert "may still lead to an interview" in fw.censoring_caveat(5, 100, "interview")
    assert "may still get a response" in fw.censoring_caveat(5, 100, "responded")
    assert "Simpson's paradox" in fw.simpson_caveat("A did better", "B did")
    assert "by the seekers" in fw.association_caveat("mode", n_seekers=5)


def test_sentences_skips_empty_parts():
    assert fw.sentences("", "A.", "  ", "B.") == "A. B."


@given(st.floats(min_value=0, max_value=1))
def test_fmt_pct_round_trips_within_rounding(p):
    text = fw.fmt_pct(p)
    assert text.endswith("%")
    shown = float(text[:-1]) / 100
    assert math.isclose(shown, p, abs_tol=0.005 + 1e-12) or abs(shown - p) <= 0.05 * p


@given(st.floats(min_value=0, max_value=1))
def test_fmt_p_is_never_rounded_across_005(p):
    text = fw.fmt_p(p)
    if "=" in text:
        shown = float(text.split("=")[1])
        assert (shown <= 0.05) == (p <= 0.05) or abs(p - 0.05) < 0.0005


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_fmt_num_always_gives_text(x):
    assert isinstance(fw.fmt_num(x), str)
    assert fw.fmt_num(x)


@pytest.mark.parametrize(
    ("by", "value", "phrase"),
    [
        ("invitation_note", True, "leads where invitation_note is True"),
        ("invitation_note", "False", "leads where invitation_note is False"),
        ("invitation_note", "with note", "leads with note"),
        ("invitation_note", "without note", "leads without note"),
        ("company", "Acme", "leads where company is Acme"),
        ("group", "nonreferral", "the nonreferral group"),
        ("channel", "newsletter", "leads where channel is newsletter"),
    ],
)
def test_group_phrase_reads_for_any_column(by, value, phrase):
    assert fw.group_phrase(by, value) == phrase
    assert fw.group_phrase(by, value, capital=True) == phrase[0].upper() + phrase[1:]


def test_articles_and_group_nouns_agree_for_any_column():
    assert fw.association_caveat("invitation_note") == (
        "Leads were not assigned to an invitation_note group at random: this is association, "
        "not proof."
    )
    assert "to a company group at random" in fw.association_caveat("company")
    assert "to a group at random" in fw.association_caveat("group")
    assert fw.by_plural("group") == "groups"
    assert fw.by_singular("seeker") == "seeker"
    assert [fw.article(w) for w in ("email", "user", "referral", "hour", "one_off")] == [
        "an", "a", "a", "an", "a"
    ]  # fmt: skip


def test_findings_read_well_for_a_flag_column():
    """by="invitation_note" with True/False groups: no "with invitation_note True", no
    "a invitation_note", no "invitation_notes"."""
    import netanalysis as na

    sim = na.simulate(n_leads=300, seed=2)
    events = sim.events.copy()
    events["invitation_note"] = events["lead"].str[-1].isin(list("02468"))
    texts = [
        na.conversion(events, by="invitation_note", to_stage="responded").finding(),
        na.compare(events, by="invitation_note", to_stage="responded").finding(),
        na.bayes(events, by="invitation_note", to_stage="responded", draws=2_000).finding(),
        na.time_to(events, by="invitation_note", as_of=sim.as_of).finding(),
        na.sample_size(events, by="invitation_note", to_stage="responded").finding(),
    ]
    for text in texts:
        assert (
            "leads where invitation_note is True" in text
            or "leads where invitation_note is False" in text
        )
        assert "with invitation_note" not in text
        assert "a invitation_note" not in text
        assert "invitation_notes" not in text
    assert "an invitation_note group at random" in texts[1]
