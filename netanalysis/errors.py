"""Errors and warnings that say what went wrong and what to do next.

Every error netanalysis raises is a :class:`NetAnalysisError`. Errors about input data
name the file, row, column and value (:class:`InputError`); errors about arguments follow
one template (:func:`check_choice`, :func:`check_range`). Warnings are
:class:`NetAnalysisWarning` subclasses and carry a remedy.

Examples:
    >>> from netanalysis.errors import check_choice
    >>> check_choice("ci", "wilsn", ("wilson", "exact"), where="conversion")
    Traceback (most recent call last):
    ...
    netanalysis.errors.ParameterError: The 'ci' parameter of conversion must be one of {'wilson', 'exact'}. Got 'wilsn' instead. Did you mean 'wilson'?
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "AmbiguousDateWarning",
    "DataQualityWarning",
    "EmptySourceError",
    "InputError",
    "MissingColumnsError",
    "NetAnalysisError",
    "NetAnalysisWarning",
    "ParameterError",
    "SmallSampleWarning",
    "UnknownFormatError",
    "check_choice",
    "check_range",
    "closest",
]


class NetAnalysisError(Exception):
    """Base class of every error netanalysis raises on purpose."""


class ParameterError(NetAnalysisError, ValueError):
    """An argument has a value the function cannot use."""


class InputError(NetAnalysisError, ValueError):
    """Input data that cannot be used, located by file, row, column and value.

    Args:
        problem: what is wrong, in a few words.
        file: the source file (or ``"<DataFrame>"``).
        row: 1-based data row in the file (header and preamble not counted).
        column: the column name in the file.
        value: the offending value.
        hint: what the user can do about it.

    Examples:
        >>> raise InputError("unknown stage", file="log.csv", row=4, column="status",
        ...                  value="ghosted", hint="map it with mapping= or fix the file")
        Traceback (most recent call last):
        ...
        netanalysis.errors.InputError: log.csv, row 4, column 'status', value 'ghosted': unknown stage. Hint: map it with mapping= or fix the file.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            shown = str(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            where.append(f"value {shown!r}")
        text = (", ".join(where) + ": " if where else "") + self.problem
        if self.hint:
            text += f". Hint: {self.hint.rstrip('.')}."
        return text


class MissingColumnsError(InputError):
    """Required columns are absent; lists what is missing, what is there, the closest match."""

    def __init__(
        self,
        missing: Sequence[str],
        available: Sequence[str],
        *,
        file: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.missing = list(missing)
        self.available = list(available)
        suggestions = []
        for name in self.missing:
            match = closest(name, self.available)
            if match is not None:
                suggestions.append(f"did you mean {match!r} for {name!r}?")
        problem = (
            f"the following required columns were not found: {self.missing}; "
            f"the file has: {self.available}"
        )
        parts = [*suggestions]
        parts.append(hint or "name the columns with mapping={'<your column>': '<canonical name>'}")
        super().__init__(problem, file=file, hint="; ".join(parts))


class EmptySourceError(InputError):
    """A source holds no data rows (empty file, header only, empty sheet)."""


class UnknownFormatError(InputError):
    """The format of a source could not be recognised from its content."""


class NetAnalysisWarning(UserWarning):
    """Base class of netanalysis warnings; each message ends with what to do."""


class AmbiguousDateWarning(NetAnalysisWarning):
    """Day/month order could not be decided from the values of a file."""


class DataQualityWarning(NetAnalysisWarning):
    """Something in the data weakens the analysis (guessed columns, missing dates, ...)."""


class SmallSampleWarning(NetAnalysisWarning):
    """Too few observations for the requested method to be reliable."""


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate most similar to ``name`` (case-insensitive), or None.

    Examples:
        >>> closest("lead", ["lead_id", "date"])
        'lead_id'
    """
    candidates = list(candidates)
    lowered = {str(c).lower(): str(c) for c in candidates}
    low = name.lower()
    for key, original in lowered.items():
        if low in key or key in low:
            return original
    match = difflib.get_close_matches(low, list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def check_choice(name: str, value: Any, choices: Iterable[Any], *, where: str) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise one uniform ParameterError.

    Examples:
        >>> check_choice("adjust", "holm", ("holm", "bh"), where="compare")
        'holm'
    """
    choices = tuple(choices)
    if value in choices:
        return value
    shown = "{" + ", ".join(repr(c) for c in choices) + "}"
    message = f"The {name!r} parameter of {where} must be one of {shown}. Got {value!r} instead."
    if isinstance(value, str):
        match = closest(value, [str(c) for c in choices])
        if match is not None:
            message += f" Did you mean {match!r}?"
    raise ParameterError(message)


def check_range(
    name: str,
    value: float,
    *,
    where: str,
    low: float | None = None,
    high: float | None = None,
    inclusive: bool = False,
) -> float:
    """Return ``value`` if it lies in the interval, else raise one uniform ParameterError.

    Examples:
        >>> check_range("level", 1.5, where="conversion", low=0, high=1)
        Traceback (most recent call last):
        ...
        netanalysis.errors.ParameterError: The 'level' parameter of conversion must be in (0, 1). Got 1.5 instead.
    """
    ok = True
    if low is not None:
        ok &= value >= low if inclusive else value > low
    if high is not None:
        ok &= value <= high if inclusive else value < high
    if ok:
        return value
    left, right = ("[", "]") if inclusive else ("(", ")")
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    raise ParameterError(
        f"The {name!r} parameter of {where} must be in {left}{lo}, {hi}{right}. Got {value!r} instead."
    )
