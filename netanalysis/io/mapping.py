"""Map a file's columns to the canonical names: explicitly, else by synonyms.

The mapping goes from the file's column to the canonical column,
``{"Date Applied": "timestamp"}``. Columns the user does not name are guessed from
:data:`netanalysis.schema.COLUMN_SYNONYMS` (a column already named like a canonical
column wins over a synonym), and every guess is reported so the user can check it. Wide
tracker sheets have one date column per stage ("Applied Date", "Interview Date");
:func:`stage_date_columns` finds them.

Examples:
    >>> m = guess_mapping(["Job ID", "When", "Status", "Via"])
    >>> m.mapping
    {'Job ID': 'lead', 'When': 'timestamp', 'Status': 'stage', 'Via': 'channel'}
    >>> m.describe()[0]
    "column 'Job ID' read as 'lead' (guessed; name it with mapping= if wrong)"
    >>> stage_date_columns(["Company", "Applied Date", "Date of Interview", "Offer on"])
    {'Applied Date': 'contacted', 'Date of Interview': 'interview', 'Offer on': 'offer'}
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from netanalysis.errors import ParameterError, closest
from netanalysis.io.options import MAPPABLE
from netanalysis.schema import COLUMN_SYNONYMS, normalize_label, stage_of

__all__ = ["MAPPABLE", "ColumnMapping", "guess_mapping", "stage_date_columns", "suggest_column"]

_DATE_WORDS = {"date", "on", "at", "of", "day", "when", "time", "dt"}


@dataclass
class ColumnMapping:
    """Which file column feeds which canonical column, and which of those were guessed.

    Attributes:
        mapping: file column -> canonical column (explicit and guessed).
        guessed: the guessed part of ``mapping``.
        unused: explicit entries whose file column this source does not have (only with
            ``strict=False``).
    """

    mapping: dict[str, str]
    guessed: dict[str, str] = field(default_factory=dict)
    unused: dict[str, str] = field(default_factory=dict)

    @property
    def source_of(self) -> dict[str, str]:
        """canonical column -> the file column it comes from."""
        return {dst: src for src, dst in self.mapping.items()}

    def describe(self) -> list[str]:
        """One note per guessed column (and unused entry), for the load summary."""
        notes = [
            f"column {src!r} read as {dst!r} (guessed; name it with mapping= if wrong)"
            for src, dst in self.guessed.items()
        ]
        if self.unused:
            notes.append(f"mapping entries not in this source: {sorted(self.unused)}")
        return notes


def guess_mapping(
    columns: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    *,
    exclude: Sequence[str] = (),
    strict: bool = True,
) -> ColumnMapping:
    """Combine an explicit ``mapping`` with guesses for the columns it leaves out.

    Args:
        columns: the file's column names.
        mapping: file column -> canonical column, as the user gave it.
        exclude: file columns never to guess (e.g. stage-date columns of a wide sheet).
        strict: raise when ``mapping`` names a column the file lacks (else record it in
            ``unused``: a load of several sources, each using the entries that fit it).

    Raises:
        ParameterError: ``mapping`` names a canonical column that does not exist, maps two
            columns to one, or (``strict``) names a file column that is not there.

    Examples:
        >>> guess_mapping(["Date", "Stage"], {"Dte": "timestamp"})
        Traceback (most recent call last):
        ...
        netanalysis.errors.ParameterError: mapping names the column 'Dte', which the file does not have (it has ['Date', 'Stage']). Did you mean 'Date'?
    """
    explicit = dict(mapping or {})
    unused: dict[str, str] = {}
    seen_targets: dict[str, str] = {}
    for src, dst in list(explicit.items()):
        if dst not in MAPPABLE:
            raise ParameterError(
                f"mapping={{{src!r}: {dst!r}}}: {dst!r} is not a canonical column. "
                f"Map to one of {list(MAPPABLE)}."
            )
        if dst in seen_targets:
            raise ParameterError(
                f"mapping maps both {seen_targets[dst]!r} and {src!r} to {dst!r}; map one "
                "column to each canonical column."
            )
        seen_targets[dst] = src
        if src not in columns:
            if strict:
                hint = closest(src, columns)
                raise ParameterError(
                    f"mapping names the column {src!r}, which the file does not have "
                    f"(it has {list(columns)})." + (f" Did you mean {hint!r}?" if hint else "")
                )
            unused[src] = explicit.pop(src)
    taken = set(explicit.values())
    result = dict(explicit)
    guessed: dict[str, str] = {}
    # Exact canonical names first, then synonyms, in the order of the file's columns.
    for pass_exact in (True, False):
        for column in columns:
            if column in result or column in exclude:
                continue
            key = normalize_label(column)
            target = (key if key in MAPPABLE else None) if pass_exact else COLUMN_SYNONYMS.get(key)
            if target is None or target in taken:
                continue
            result[column] = target
            taken.add(target)
            if key != target:
                guessed[column] = target
    return ColumnMapping(result, guessed, unused)


def suggest_column(canonical: str, columns: Sequence[str]) -> str | None:
    """The file column most like ``canonical`` or one of its synonyms (typos included).

    Examples:
        >>> suggest_column("timestamp", ["Lead", "Dat", "Stage"])
        'Dat'
        >>> suggest_column("stage", ["Lead", "Date"]) is None
        True
    """
    names = [canonical, *(k for k, v in COLUMN_SYNONYMS.items() if v == canonical)]
    keys = {normalize_label(c): c for c in columns}
    best, best_ratio = None, 0.0
    for key, column in keys.items():
        for name in names:
            ratio = difflib.SequenceMatcher(None, key, name).ratio()
            if ratio > best_ratio:
                best, best_ratio = column, ratio
    return best if best_ratio >= 0.75 else None


def stage_date_columns(columns: Sequence[str]) -> dict[str, str]:
    """Columns that hold the date a stage was reached: ``"Applied Date"`` -> ``contacted``.

    A column qualifies when its name is a stage word plus a date word ("date", "on", ...).
    """
    found: dict[str, str] = {}
    for column in columns:
        words = normalize_label(column).split()
        if not words or not (set(words) & _DATE_WORDS):
            continue
        rest = " ".join(w for w in words if w not in _DATE_WORDS)
        if not rest:
            continue
        stage = stage_of(rest)
        if stage is not None and stage not in found.values():
            found[column] = stage
    return found
