"""The sections of the report: headline findings, data, funnel, rates, comparisons,
time to response, where to put the next hour, how many more leads.

Each function takes computed results (:class:`~netanalysis.reporting.analysis.Outcome`)
and returns a :class:`~netanalysis.reporting.template.Section`. Sentences come from the
results' ``finding()`` (one wording for notebooks, terminal and report); tables show the
numbers behind them, formatted with :mod:`netanalysis.stats.findings`. A section whose
result could not be computed says why instead.

Examples:
    >>> first_sentences("Of 300 leads, 9% led to an interview (95% CI 6.1–13%). Highest: x.", 1)
    'Of 300 leads, 9% led to an interview (95% CI 6.1–13%).'
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netanalysis import plots
from netanalysis.io.result import LoadResult
from netanalysis.reporting.analysis import Analysis, Outcome
from netanalysis.reporting.figures import figure_block
from netanalysis.reporting.privacy import Redactor
from netanalysis.reporting.template import (
    Section,
    bullet_list,
    esc,
    missing,
    paragraph,
    table,
)
from netanalysis.stats import findings as fw

__all__ = [
    "DataInfo",
    "Figures",
    "comparisons_section",
    "data_section",
    "first_sentences",
    "funnel_section",
    "headline",
    "next_hour_section",
    "power_section",
    "rates_section",
    "timing_section",
]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ROW_NUMBER = re.compile(r"\brow \d+")
#: Rows of a long table shown before the rest is folded away.
_SHOW = 12


def first_sentences(text: str, n: int = 1) -> str:
    """The first ``n`` sentences of a finding."""
    parts = _SENTENCE.split(text.strip())
    return " ".join(parts[:n])


@dataclass
class Figures:
    """The charts, each an :class:`Outcome` holding a plotly Figure."""

    funnel: Outcome[Any] = field(default_factory=Outcome)
    sankey: Outcome[Any] = field(default_factory=Outcome)
    activity: Outcome[Any] = field(default_factory=Outcome)
    forest: Outcome[Any] = field(default_factory=Outcome)
    matrix: Outcome[Any] = field(default_factory=Outcome)
    survival: Outcome[Any] = field(default_factory=Outcome)
    posterior: Outcome[Any] = field(default_factory=Outcome)


@dataclass
class DataInfo:
    """What the data section needs besides the analysis.

    ``load_finding`` is the load's sentence, made once (it counts leads on all events).
    """

    load: LoadResult | None
    events: pd.DataFrame
    redactor: Redactor
    warnings: list[str]
    dropped_after_as_of: int
    as_of: pd.Timestamp | None
    as_of_given: bool
    n_leads: int
    n_seekers: int
    load_finding: str = ""


def count_leads(events: pd.DataFrame) -> tuple[int, int]:
    """(leads, seekers) of an events frame; a lead is a (seeker, lead) pair.

    Examples:
        >>> count_leads(pd.DataFrame({"seeker": ["a", "a", "b"], "lead": ["1", "1", "1"]}))
        (2, 2)
    """
    if events.empty:
        return 0, 0
    lead_codes, _ = pd.factorize(events["lead"], use_na_sentinel=False)
    if "seeker" not in events.columns:
        return len(np.unique(lead_codes)), 1
    seeker_codes, seekers = pd.factorize(events["seeker"], use_na_sentinel=False)
    key = seeker_codes.astype(np.int64) * (int(lead_codes.max()) + 1) + lead_codes
    return len(np.unique(key)), len(seekers)


def _chart(outcome: Outcome[Any], name: str, caption: str, what: str, r: Redactor) -> str:
    if outcome.ok:
        return figure_block(outcome.value, name, caption) + _warnings(outcome, r)
    reason = outcome.error or "no chart"
    return missing(f"The {what} chart cannot be drawn: {r.text(reason)}") + _warnings(outcome, r)


def _warnings(outcome: Outcome[Any], r: Redactor) -> str:
    if not outcome.warnings:
        return ""
    return bullet_list((r.text(w) for w in outcome.warnings), "na-warn")


def _unavailable(outcome: Outcome[Any], what: str, r: Redactor) -> str:
    return missing(
        f"{what} cannot be computed: {r.text(outcome.error or 'no result')}"
    ) + _warnings(outcome, r)


def name(r: Redactor, by: str, group: object) -> str:
    """A group as the report names it: the charts' label (people are pseudonyms already)."""
    if r.personal_by:
        return str(group)
    return html.unescape(plots.group_label(by, group))


# ---------------------------------------------------------------------------------------
# Headline
# ---------------------------------------------------------------------------------------


def headline(a: Analysis, info: DataInfo) -> str:
    """The findings in plain words, one per question, linking to their sections."""
    r = info.redactor
    items: list[str] = []

    def add(anchor: str, text: str) -> None:
        if text:
            items.append(f'{esc(text)} <a class="na-more" href="#{anchor}">More</a>')

    if info.load is not None:
        add("data", r.text(info.load_finding))
    if not a.main_rate.ok:
        items.append(esc(r.text(f"No rates: {a.main_rate.error or a.counts.error}")))
    if a.main_rate.ok:
        add("rates", first_sentences(a.main_rate.value.finding(), 2))  # type: ignore[union-attr]
    if a.comparison.ok:
        add("comparisons", first_sentences(a.comparison.value.finding(), 1))  # type: ignore[union-attr]
    if a.timing.ok and not a.timing.value.summary.empty:  # type: ignore[union-attr]
        add("time", first_sentences(a.timing.value.finding(), 1))  # type: ignore[union-attr]
    if a.bayes.ok:
        add("next-hour", first_sentences(a.bayes.value.finding(), 1))  # type: ignore[union-attr]
    if a.sample_size.ok:
        planning = _SENTENCE.split(a.sample_size.value.finding())  # type: ignore[union-attr]
        settled = [p for p in planning[1:] if "enough leads" in p]  # "3 comparisons already ..."
        add("more-leads", " ".join(planning[:1] + settled))
    if not items:
        return ""
    return (
        '<section id="headline" aria-label="Headline findings">'
        '<ul class="na-headline">' + "".join(f"<li>{i}</li>" for i in items) + "</ul></section>"
    )


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


def split_notes(notes: str) -> list[str]:
    """Split a summary's notes at the "; " between notes, not inside brackets or quotes.

    Examples:
        >>> split_notes("column 'A' read as 'lead' (guessed; name it if wrong); zone UTC")
        ["column 'A' read as 'lead' (guessed; name it if wrong)", 'zone UTC']
        >>> split_notes("fields: 'a' (names); 'b' (emails); pass x=True; owner found")
        ["fields: 'a' (names); 'b' (emails); pass x=True", 'owner found']
    """
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(notes):
        if char == "'" and (i == 0 or not notes[i - 1].isalnum() or quoted):
            quoted = not quoted
        elif not quoted and char in "([":
            depth += 1
        elif not quoted and char in ")]":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0 and not quoted and notes[i + 1 : i + 2] == " ":
            parts.append(notes[start:i])
            start = i + 2
    parts.append(notes[start:])
    merged: list[str] = []
    for part in (p.strip() for p in parts):
        # A note may itself hold "; " (a list, then advice): keep its pieces together.
        if merged and part.startswith(("pass ", "'")):
            merged[-1] = f"{merged[-1]}; {part}"
        elif part:
            merged.append(part)
    return merged


def data_section(a: Analysis, info: DataInfo) -> Section:
    """Sources, rows kept and rejected (counts by reason), dates, guesses, notes."""
    r = info.redactor
    parts: list[str] = []
    ev = info.events
    load = info.load
    if load is not None:
        parts.append(paragraph(r.text(info.load_finding), "na-finding"))
        s = load.summary
        sources = pd.DataFrame(
            {
                "source": [r.text(str(v)) for v in s["source"]],
                "read as": [f"{lo} ({fmt})" for lo, fmt in zip(s["loader"], s["format"])],
                "rows read": s["rows_read"].to_numpy(),
                "kept": s["rows_kept"].to_numpy(),
                "rejected": s["rows_rejected"].to_numpy(),
                "events": s["events"].to_numpy(),
                "duplicates dropped": s["duplicates"].to_numpy(),
            }
        )
        parts.append(table(sources, caption="Sources: rows read = rows kept + rows rejected."))
        parts.append(_rejections(load.rejected, r))
        guessed, other = [], []
        for source, notes in zip(s["source"], s["notes"]):
            for note in split_notes(str(notes or "")):
                text = f"{r.text(str(source))}: {r.text(note)}"
                (guessed if "guess" in note else other).append(text)
        parts.append("<h3>What was guessed</h3>")
        parts.append(
            bullet_list(guessed)
            if guessed
            else paragraph("Nothing: every column was named by the data or by the options.")
        )
        notes = [r.text(n) for n in load.notes] + other
        if notes:
            parts.append(
                f"<details><summary>Notes from loading ({len(notes)})</summary>"
                + bullet_list(notes)
                + "</details>"
            )
    else:
        parts.append(
            paragraph(
                f"Events passed in memory: {fw.fmt_count(len(ev))} events. There is no load "
                "summary (pass the files, or the LoadResult of na.load, to see the rows kept "
                "and rejected and why)."
            )
        )
    if info.warnings:
        parts.append("<h3>Warnings while loading</h3>")
        parts.append(bullet_list((r.text(w) for w in info.warnings), "na-warn"))
    parts.append("<h3>What was analysed</h3>")
    parts.append(bullet_list(_coverage(a, info)))
    return Section("data", "The data", "\n".join(parts))


def _rejections(rejected: pd.DataFrame, r: Redactor) -> str:
    if rejected.empty:
        return paragraph("No row was rejected.")
    reasons = rejected["reason"].fillna("(no reason given)").astype(str)
    shown = reasons.map(lambda t: _ROW_NUMBER.sub("row n", r.text(t)))
    sources = rejected["source"].fillna("").astype(str).map(r.text)
    counts = (
        pd.DataFrame({"source": sources, "reason": shown})
        .value_counts(sort=False)
        .rename("rows")
        .reset_index()
        .sort_values(["rows", "source", "reason"], ascending=[False, True, True], kind="stable")
    )
    html = "<h3>Rejected rows, by reason</h3>" + table(
        counts.head(20),
        caption="Counts only: the rows themselves are in LoadResult.rejected.",
        wrap=["reason"],
    )
    if len(counts) > 20:
        rest = int(counts["rows"].iloc[20:].sum())
        html += paragraph(f"… and {len(counts) - 20} more reasons ({fw.fmt_count(rest)} rows).")
    return html


def _events(n: int) -> str:
    return f"{fw.fmt_count(n)} event{'' if n == 1 else 's'}"


def _coverage(a: Analysis, info: DataInfo) -> list[str]:
    ev = info.events
    s = a.settings
    items = []
    leads, seekers = info.n_leads, info.n_seekers
    items.append(
        f"{_events(len(ev))} on {fw.fmt_count(leads)} lead{'' if leads == 1 else 's'}"
        + (f" of {fw.fmt_count(seekers)} seekers" if seekers > 1 else "")
        + "."
    )
    times = ev["timestamp"] if "timestamp" in ev else pd.Series([], dtype="datetime64[us, UTC]")
    dated = times.dropna()
    if len(dated):
        items.append(
            f"Dates: {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}"
            + (
                f"; {_events(len(times) - len(dated))} without a date (known from a "
                "status only: counted in the funnel, left out of times)."
                if len(dated) < len(times)
                else "."
            )
        )
    else:
        items.append("No event has a date: times to response cannot be computed.")
    if info.as_of is not None:
        how = "given" if info.as_of_given else "by default, the latest event"
        items.append(
            f"As of {info.as_of:%Y-%m-%d %H:%M} UTC ({how}): leads still open then are censored."
        )
    if info.dropped_after_as_of:
        items.append(f"{_events(info.dropped_after_as_of)} dated after as_of left out.")
    if a.counts.ok and a.counts.value is not None:
        groups = [name(info.redactor, s.by, g) for g in a.counts.value.index]
        shown = ", ".join(groups[:12]) + (
            f" and {len(groups) - 12} more" if len(groups) > 12 else ""
        )
        items.append(f"Grouped by {s.by}: {shown}.")
    items.append(f"Funnel: {' → '.join(s.stages)}; target stage: {s.to_stage}.")
    r = info.redactor
    if r.show_names:
        items.append("Names are shown as in the data (show_names=True).")
    else:
        items.append(
            "Contact names, email addresses, profile URLs and message text are not shown"
            + (
                f"; {fw.fmt_count(len(r.values))} personal values found in the data are replaced "
                "by pseudonyms wherever the loaders mention them."
                if r.values
                else "."
            )
            + " Files are named relative to the folder you gave, not by their full path."
        )
    return items


# ---------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------


def funnel_section(a: Analysis, info: DataInfo, figs: Figures) -> Section:
    """Leads per group reaching each stage: chart, table, flow and weekly activity."""
    r = info.redactor
    s = a.settings
    parts = []
    if not a.counts.ok:
        parts.append(_unavailable(a.counts, "The funnel", r))
        return Section("funnel", "Funnel", "\n".join(parts))
    counts = a.counts.value
    assert counts is not None
    parts.append(
        paragraph(
            f"Each column counts the leads that reached that stage (reaching a stage implies "
            f"every earlier one). A lead belongs to the {s.by} of its "
            f"{'first' if s.attribution == 'first' else 'last'} event."
        )
    )
    parts.append(
        _chart(figs.funnel, "funnel", f"Leads reaching each stage, per {s.by}.", "funnel", r)
    )
    shown = counts.copy()
    shown.index = [name(r, s.by, g) for g in shown.index]
    total = shown.sum(axis=0).to_frame().T
    total.index = ["all"]
    frame = pd.concat([shown, total]).rename_axis(s.by).reset_index()
    parts.append(table(frame, caption=f"Leads per {s.by} reaching each stage.", total=True))
    parts.append(
        _chart(
            figs.sankey,
            "sankey",
            f"How leads flow from each {s.by} through the stages.",
            "flow",
            r,
        )
    )
    parts.append("<h3>What you did when</h3>")
    parts.append(
        _chart(
            figs.activity,
            "activity",
            f"Leads started per week and {s.by}, with outcomes marked.",
            "activity",
            r,
        )
    )
    return Section("funnel", "Funnel", "\n".join(parts))


# ---------------------------------------------------------------------------------------
# Rates
# ---------------------------------------------------------------------------------------


def rates_section(a: Analysis, info: DataInfo, figs: Figures) -> Section:
    """Conversion rates with intervals: the main rate as a forest plot, every step as a table."""
    r = info.redactor
    s = a.settings
    parts = []
    if a.main_rate.ok:
        res = a.main_rate.value
        parts.append(paragraph(res.finding(), "na-finding"))  # type: ignore[union-attr]
        parts.append(_warnings(a.main_rate, r))
        parts.append(
            _chart(
                figs.forest,
                "forest",
                f"Share of leads that reached {s.to_stage}, per {s.by}, with "
                f"{fw.fmt_level(s.level)} confidence intervals.",
                "rates",
                r,
            )
        )
    else:
        parts.append(_unavailable(a.main_rate, "The conversion rate", r))
    if a.rates.ok:
        t = a.rates.value.table  # type: ignore[union-attr]
        by = a.rates.value.by  # type: ignore[union-attr]
        t = t.assign(
            step=[f"{x} → {y}" for x, y in zip(t["from_stage"], t["to_stage"])],
            cell=[
                _rate_cell(k, n, rate, lo, hi)
                for k, n, rate, lo, hi in zip(t["k"], t["n"], t["rate"], t["ci_low"], t["ci_high"])
            ],
        )
        wide = t.pivot_table(index=by, columns="step", values="cell", aggfunc="first", sort=False)
        order = list(dict.fromkeys(t[by]))
        wide = wide.reindex(index=order, columns=list(dict.fromkeys(t["step"])))
        wide.index = [name(r, by, g) for g in wide.index]
        frame = wide.rename_axis(by).reset_index()
        parts.append(
            table(
                frame,
                caption=f"Every step: rate ({fw.fmt_level(s.level)} CI), k of n leads.",
                numeric=[c for c in frame.columns if c != by],
            )
        )
    elif a.rates.error and a.main_rate.ok:
        parts.append(_unavailable(a.rates, "The step rates", r))
    return Section("rates", "Conversion rates", "\n".join(p for p in parts if p))


def _rate_cell(k: int, n: int, rate: float, lo: float, hi: float) -> str:
    if n == 0:
        return "– (no leads)"
    return f"{fw.fmt_pct(rate)} ({fw.fmt_interval(lo, hi, fw.fmt_pct)}) · {k:,}/{n:,}"


# ---------------------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------------------


def comparisons_section(a: Analysis, info: DataInfo, figs: Figures) -> Section:
    """Omnibus test, pairwise matrix and table of the clearest differences."""
    r = info.redactor
    s = a.settings
    parts = []
    if a.baseline_note:
        parts.append(paragraph(a.baseline_note))
    if not a.comparison.ok:
        parts.append(_unavailable(a.comparison, "The comparison", r))
        return Section("comparisons", "Comparisons", "\n".join(parts))
    res = a.comparison.value
    assert res is not None
    parts.append(paragraph(res.finding(), "na-finding"))
    parts.append(_warnings(a.comparison, r))
    if res.pairs.empty:
        parts.append(missing(f"Pairwise comparisons need at least two {fw.by_plural(s.by)}."))
        return Section("comparisons", "Comparisons", "\n".join(parts))
    parts.append(
        _chart(
            figs.matrix,
            "matrix",
            f"Risk ratio of reaching {s.to_stage} for each pair (row vs column); "
            + (
                f"{fw.adjust_name(res.adjust)}-adjusted p-values"
                if res.adjust != "none"
                else "unadjusted p-values"
            )
            + " in the cells; unclear differences muted.",
            "comparison",
            r,
        )
    )
    pairs = orient_pairs(res.pairs)
    pairs = pairs.assign(_n=pairs["n_a"] + pairs["n_b"]).sort_values(
        ["p_adjusted", "_n"], ascending=[True, False], kind="stable", na_position="last"
    )
    adjust = fw.adjust_name(res.adjust)
    frame = pd.DataFrame(
        {
            "pair": [
                f"{name(r, s.by, x)} vs {name(r, s.by, y)}"
                for x, y in zip(pairs["group_a"], pairs["group_b"])
            ],
            "rates": [
                f"{fw.fmt_pct(ra)} vs {fw.fmt_pct(rb)}"
                for ra, rb in zip(pairs["rate_a"], pairs["rate_b"])
            ],
            "leads": [f"{na:,} vs {nb:,}" for na, nb in zip(pairs["n_a"], pairs["n_b"])],
            "ratio (CI)": [
                f"{fw.fmt_ratio(x)} ({fw.fmt_interval(lo, hi)})"
                for x, lo, hi in zip(pairs["ratio"], pairs["ratio_low"], pairs["ratio_high"])
            ],
            "difference (CI)": [
                fw.fmt_ci(lo, hi, level=s.level, diff=True).split(" CI ", 1)[-1]
                for lo, hi in zip(pairs["diff_low"], pairs["diff_high"])
            ],
            "test": [fw.method_name(t) for t in pairs["test"]],
            "p": [_p(p) for p in pairs["p_value"]],
            f"{adjust + ' ' if adjust else ''}adjusted p": [_p(p) for p in pairs["p_adjusted"]],
        }
    )
    parts.append(_long_table(frame, "Pairs, clearest first"))
    return Section("comparisons", "Comparisons", "\n".join(p for p in parts if p))


def orient_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs with the higher rate first: ratios inverted, differences negated where swapped.

    Examples:
        >>> t = pd.DataFrame({"group_a": ["x"], "group_b": ["y"], "k_a": [1], "n_a": [10],
        ...     "k_b": [5], "n_b": [10], "rate_a": [0.1], "rate_b": [0.5], "diff": [-0.4],
        ...     "diff_low": [-0.7], "diff_high": [-0.1], "ratio": [0.2], "ratio_low": [0.05],
        ...     "ratio_high": [0.8]})
        >>> orient_pairs(t)[["group_a", "ratio", "ratio_low", "diff_low"]].values.tolist()
        [['y', 5.0, 1.25, 0.1]]
    """
    swap = (pairs["rate_a"] < pairs["rate_b"]).to_numpy()
    out = pairs.copy()
    for a, b in (("group_a", "group_b"), ("k_a", "k_b"), ("n_a", "n_b"), ("rate_a", "rate_b")):
        out.loc[swap, a], out.loc[swap, b] = pairs.loc[swap, b], pairs.loc[swap, a]
    with np.errstate(divide="ignore"):
        for x, lo, hi in (("ratio", "ratio_low", "ratio_high"),):
            out.loc[swap, x] = 1 / pairs.loc[swap, x]
            out.loc[swap, lo] = 1 / pairs.loc[swap, hi]
            out.loc[swap, hi] = 1 / pairs.loc[swap, lo]
    out.loc[swap, "diff"] = -pairs.loc[swap, "diff"]
    out.loc[swap, "diff_low"] = -pairs.loc[swap, "diff_high"]
    out.loc[swap, "diff_high"] = -pairs.loc[swap, "diff_low"]
    return out


def _p(p: float) -> str:
    return fw.fmt_p(p).removeprefix("p ").replace("= ", "")


def _long_table(frame: pd.DataFrame, caption: str, numeric: Sequence[str] | None = None) -> str:
    html = table(frame.head(_SHOW), caption=caption, numeric=numeric)
    if len(frame) > _SHOW:
        html += (
            f"<details><summary>The other {len(frame) - _SHOW:,} rows</summary>"
            + table(frame.iloc[_SHOW:], numeric=numeric)
            + "</details>"
        )
    return html


# ---------------------------------------------------------------------------------------
# Time to response
# ---------------------------------------------------------------------------------------


def timing_section(a: Analysis, info: DataInfo, figs: Figures) -> Section:
    """Kaplan–Meier curves, medians and the log-rank test."""
    r = info.redactor
    s = a.settings
    title = f"Time to {fw.stage_phrase(s.time_stage or 'responded', noun=True).split(' ', 1)[-1]}"
    parts = []
    if not a.timing.ok:
        parts.append(_unavailable(a.timing, "Time to response", r))
        return Section("time", title, "\n".join(parts))
    res = a.timing.value
    assert res is not None
    parts.append(paragraph(res.finding(), "na-finding"))
    parts.append(_warnings(a.timing, r))
    if res.summary.empty:
        return Section("time", title, "\n".join(p for p in parts if p))
    parts.append(
        _chart(
            figs.survival,
            "survival",
            f"Share of leads still waiting for {fw.stage_phrase(res.stage, noun=True)}, by days "
            f"since {res.from_stage} (Kaplan–Meier, censored leads marked).",
            "time-to-event",
            r,
        )
    )
    t = res.summary
    frame = pd.DataFrame(
        {
            res.by: [name(r, res.by, g) for g in t[res.by]],
            "leads": t["n"].to_numpy(),
            f"reached {res.stage}": t["events"].to_numpy(),
            "censored": t["censored"].to_numpy(),
            "median days (CI)": [
                _median(m, lo, hi)
                for m, lo, hi in zip(t["median_days"], t["median_low"], t["median_high"])
            ],
        }
    )
    parts.append(
        table(
            frame,
            caption=f"Days from {res.from_stage} to {res.stage}.",
            numeric=list(frame.columns[1:]),
        )
    )
    return Section("time", title, "\n".join(p for p in parts if p))


def _median(m: float, lo: float, hi: float) -> str:
    if fw.is_missing(m):
        return "not reached"
    high = "beyond follow-up" if fw.is_missing(hi) else fw.fmt_num(hi)
    return f"{fw.fmt_num(m)} ({fw.fmt_num(lo)}–{high})"


# ---------------------------------------------------------------------------------------
# Where to put your next hour (Bayes)
# ---------------------------------------------------------------------------------------


def next_hour_section(a: Analysis, info: DataInfo, figs: Figures) -> Section:
    """Posterior rates, probability of being best and expected loss."""
    r = info.redactor
    s = a.settings
    parts = []
    if not a.bayes.ok:
        parts.append(_unavailable(a.bayes, "The Bayesian comparison", r))
        return Section("next-hour", "Where to put your next hour", "\n".join(parts))
    res = a.bayes.value
    assert res is not None
    parts.append(paragraph(res.finding(), "na-finding"))
    parts.append(_warnings(a.bayes, r))
    parts.append(
        _chart(
            figs.posterior,
            "posterior",
            f"What the data say about each {s.by}'s rate of reaching {s.to_stage} "
            "(posterior), and the probability that each is the best.",
            "posterior",
            r,
        )
    )
    t = res.table.sort_values(["expected_loss", "n"], ascending=[True, False], kind="stable")
    frame = pd.DataFrame(
        {
            res.by: [name(r, res.by, g) for g in t[res.by]],
            "reached / leads": [f"{k:,} / {n:,}" for k, n in zip(t["k"], t["n"])],
            "rate (credible interval)": [
                f"{fw.fmt_pct(m)} ({fw.fmt_interval(lo, hi, fw.fmt_pct)})"
                for m, lo, hi in zip(t["mean"], t["cri_low"], t["cri_high"])
            ],
            "P(best)": [fw.fmt_pct(p) for p in t["p_best"]],
            f"{fw.stage_phrase(s.to_stage, plural=True)} lost per 100 leads": [
                fw.fmt_num(x * 100) for x in t["expected_loss"]
            ],
        }
    )
    parts.append(
        table(
            frame,
            caption="Best bet first: the expected loss is what betting on a group gives up, on "
            "average, against the truly best one.",
            numeric=list(frame.columns[1:]),
        )
    )
    return Section("next-hour", "Where to put your next hour", "\n".join(p for p in parts if p))


# ---------------------------------------------------------------------------------------
# How many more leads (power)
# ---------------------------------------------------------------------------------------


def power_section(a: Analysis, info: DataInfo) -> Section:
    """Leads needed per pair to make the observed difference clear."""
    r = info.redactor
    s = a.settings
    title = "How many more leads until it is clear"
    parts = []
    if not a.sample_size.ok:
        parts.append(_unavailable(a.sample_size, "The sample size", r))
        return Section("more-leads", title, "\n".join(parts))
    res = a.sample_size.value
    assert res is not None
    parts.append(paragraph(res.finding(), "na-finding"))
    parts.append(_warnings(a.sample_size, r))
    t = res.table
    if t.empty:
        parts.append(missing(f"Planning needs at least two {fw.by_plural(s.by)}."))
        return Section("more-leads", title, "\n".join(parts))
    finite = np.isfinite(t["needed_a"].to_numpy(dtype=float))
    more = (t["more_a"] + t["more_b"]).where(finite, np.inf)
    t = t.assign(_more=more).sort_values(["_more", "needed_a"], kind="stable")
    frame = pd.DataFrame(
        {
            "pair": [
                f"{name(r, s.by, x)} vs {name(r, s.by, y)}"
                for x, y in zip(t["group_a"], t["group_b"])
            ],
            "rates seen": [
                f"{fw.fmt_pct(x)} vs {fw.fmt_pct(y)}" for x, y in zip(t["rate_a"], t["rate_b"])
            ],
            "leads now": [f"{x:,} + {y:,}" for x, y in zip(t["n_a"], t["n_b"])],
            "needed": [_needed(x, y) for x, y in zip(t["needed_a"], t["needed_b"])],
            "still to collect": [
                _needed(x, y, more=True) for x, y in zip(t["more_a"], t["more_b"])
            ],
        }
    )
    parts.append(
        _long_table(
            frame,
            f"Leads needed for {fw.fmt_pct(res.power)} power at the {fw.fmt_level(res.alpha)} "
            "level, if the rates seen were the truth; closest to settled first.",
            numeric=["leads now", "needed", "still to collect"],
        )
    )
    return Section("more-leads", title, "\n".join(p for p in parts if p))


def _needed(x: float, y: float, *, more: bool = False) -> str:
    if fw.is_missing(x) or not np.isfinite(float(x)):
        return "never (equal rates)" if not fw.is_missing(x) else "–"
    if more and x + y == 0:
        return "enough already"
    return f"{int(x):,} + {int(y):,}"
