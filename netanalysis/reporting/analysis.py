"""Run the statistics and charts of the report, keeping going when one cannot be computed.

Each step is an :class:`Outcome`: its value, or the reason it could not be computed (the
message of a :class:`~netanalysis.errors.NetAnalysisError`, e.g. "fewer than two
channels have leads"), and the warnings it raised (shown in the report beside the
section, not raised: the report is where they are read). Small or odd data (a single
channel, no interviews, leads known only from a status) therefore give a report whose
sections say what cannot be computed instead of no report at all.

Examples:
    >>> out = attempt(lambda: 1 / 0)
    >>> out.ok, out.error
    (False, 'could not be computed (ZeroDivisionError: division by zero)')
    >>> attempt(lambda: 42).value
    42
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pandas as pd

from netanalysis.errors import NetAnalysisError
from netanalysis.funnel import funnel
from netanalysis.stats.bayes import BayesResult, bayes
from netanalysis.stats.compare import CompareResult, compare
from netanalysis.stats.power import SampleSizeResult, sample_size
from netanalysis.stats.rates import ConversionResult, conversion
from netanalysis.stats.timing import TimeToResult, time_to

__all__ = ["MAX_ALL_PAIRS", "Analysis", "Outcome", "Settings", "analyse", "attempt"]

T = TypeVar("T")

#: With more groups than this and no ``baseline``, groups are compared with the largest
#: one instead of every pair (8 channels give 28 pairs; 150 seekers would give 11,175).
MAX_ALL_PAIRS = 12


@dataclass
class Outcome(Generic[T]):
    """A computed value, or why it could not be computed, and the warnings raised."""

    value: T | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is a value."""
        return self.error is None and self.value is not None


def attempt(func: Callable[[], T]) -> Outcome[T]:
    """Call ``func``; record its warnings, and turn an exception into the reason it failed.

    A :class:`~netanalysis.errors.NetAnalysisError` is the data or the options speaking
    (its message is shown as is); anything else is named with its type so that a bug
    shows up in the report instead of stopping it.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = func()
        except NetAnalysisError as exc:
            return Outcome(error=str(exc), warnings=_messages(caught))
        except Exception as exc:
            return Outcome(
                error=f"could not be computed ({type(exc).__name__}: {exc})",
                warnings=_messages(caught),
            )
    return Outcome(value=value, warnings=_messages(caught))


def _messages(caught: Sequence[warnings.WarningMessage]) -> list[str]:
    return list(dict.fromkeys(str(w.message) for w in caught))


@dataclass(frozen=True)
class Settings:
    """The analysis parameters of a report (after defaults are resolved)."""

    by: str
    stages: tuple[str, ...]
    to_stage: str
    time_stage: str | None
    baseline: str | None
    test: str
    adjust: str
    level: float
    ci: str
    attribution: str
    as_of: pd.Timestamp | None
    seed: int
    draws: int
    prior: tuple[float, float]
    power: float


@dataclass
class Analysis:
    """Everything the report shows, each part an :class:`Outcome`."""

    settings: Settings
    counts: Outcome[pd.DataFrame]
    rates: Outcome[ConversionResult]
    main_rate: Outcome[ConversionResult]
    comparison: Outcome[CompareResult]
    timing: Outcome[TimeToResult]
    bayes: Outcome[BayesResult]
    sample_size: Outcome[SampleSizeResult]
    baseline: str | None
    baseline_note: str | None


def _no_leads(counts: Outcome[pd.DataFrame]) -> str | None:
    if not counts.ok:
        return counts.error or "no counts"
    table = counts.value
    assert table is not None
    if table.empty or int(table.iloc[:, 0].sum()) == 0:
        return "No lead reached the first stage of the funnel: there is nothing to analyse."
    return None


def _skip(reason: str) -> Outcome[Any]:
    return Outcome(error=reason)


def analyse(events: pd.DataFrame, s: Settings) -> Analysis:
    """Compute the statistics of the report on ``events`` (already privacy-filtered)."""
    counts = attempt(lambda: funnel(events, by=s.by, stages=s.stages, attribution=s.attribution))
    empty = _no_leads(counts)
    baseline, note = s.baseline, None
    if empty is None and counts.value is not None and baseline is None:
        table = counts.value
        if len(table) > MAX_ALL_PAIRS:
            baseline = str(table.iloc[:, 0].idxmax())
            note = (
                f"With {len(table)} groups, each is compared with the largest, {baseline!r} "
                f"(all pairs would be {len(table) * (len(table) - 1) // 2:,} comparisons); "
                "pass baseline= to choose the reference."
            )
    common = {"by": s.by, "stages": list(s.stages), "attribution": s.attribution}

    def run(func: Callable[[], T]) -> Outcome[T]:
        return _skip(empty) if empty is not None else attempt(func)

    first = s.stages[0]
    rates = run(lambda: conversion(events, ci=s.ci, level=s.level, **common))  # type: ignore[arg-type]
    main_rate = run(
        lambda: conversion(
            events,
            from_stage=first,
            to_stage=s.to_stage,
            ci=s.ci,  # type: ignore[arg-type]
            level=s.level,
            **common,  # type: ignore[arg-type]
        )
    )
    comparison = run(
        lambda: compare(
            events,
            to_stage=s.to_stage,
            baseline=baseline,
            test=s.test,  # type: ignore[arg-type]
            adjust=s.adjust,  # type: ignore[arg-type]
            level=s.level,
            seed=s.seed,
            **common,  # type: ignore[arg-type]
        )
    )
    if s.time_stage is None:
        timing: Outcome[TimeToResult] = _skip(
            "Time to response needs a funnel of at least two stages."
        )
    else:
        timing = run(
            lambda: time_to(
                events,
                stage=s.time_stage,  # type: ignore[arg-type]
                from_stage=first,
                by=s.by,
                as_of=s.as_of,
                level=s.level,
                attribution=s.attribution,  # type: ignore[arg-type]
            )
        )
    posterior = run(
        lambda: bayes(
            events,
            to_stage=s.to_stage,
            prior=s.prior,
            draws=s.draws,
            seed=s.seed,
            level=s.level,
            **common,  # type: ignore[arg-type]
        )
    )
    planning = run(
        lambda: sample_size(
            events,
            to_stage=s.to_stage,
            baseline=baseline,
            alpha=1 - s.level,
            power=s.power,
            **common,  # type: ignore[arg-type]
        )
    )
    return Analysis(
        settings=s,
        counts=counts,
        rates=rates,
        main_rate=main_rate,
        comparison=comparison,
        timing=timing,
        bayes=posterior,
        sample_size=planning,
        baseline=baseline,
        baseline_note=note,
    )
