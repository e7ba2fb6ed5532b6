"""Rejected rows: where each came from and why it was not kept.

Every loader reports the rows it could not use here, so that for each source
``rows read = rows kept + rows rejected`` holds and nothing is dropped silently.

Examples:
    >>> r = Rejections("log.csv")
    >>> r.add(4, "unknown stage 'ghosted'", raw={"status": "ghosted"}, column="status",
    ...       value="ghosted")
    >>> r.frame()[["source", "source_row", "reason"]].to_dict("records")
    [{'source': 'log.csv', 'source_row': 4, 'reason': "unknown stage 'ghosted'"}]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netanalysis.errors import InputError

__all__ = [
    "EXCLUSION_REASONS",
    "REJECTED_COLUMNS",
    "Rejections",
    "empty_rejected",
    "hint_for",
    "is_exclusion",
    "raw_json",
]

#: Columns of ``LoadResult.rejected``.
REJECTED_COLUMNS: tuple[str, ...] = (
    "source",
    "source_row",
    "reason",
    "raw",
    "column",
    "value",
    "excluded",
)


#: What to do about a rejected row, by the start of its reason.
_HINTS: tuple[tuple[str, str], ...] = (
    (
        "missing lead id",
        "give the row a lead id (application or thread id), or name the id "
        "column with mapping={'<column>': 'lead'}",
    ),
    (
        "missing stage",
        "fill in the stage, or name the status column with mapping={'<column>': 'stage'}",
    ),
    ("unknown stage", "map the word to a stage with stage_map={'<word>': '<stage>'}"),
    ("unknown status", "map the word to a stage with stage_map={'<word>': '<stage>'}"),
    (
        "missing date",
        "fill in the date (a sheet with a status but no dates loads with kind='wide')",
    ),
    ("unparseable date", "write the date like 2024-03-01 or 2024-03-01 14:30"),
    ("date does not fit", "fix the value, or say the order with dayfirst=True or dayfirst=False"),
    ("unknown direction", "write outbound or inbound, or leave the cell empty"),
    ("not a lead yet", "nothing to fix: a saved posting is not a lead until you apply"),
    ("the row has", "quote values that contain the delimiter, or remove the extra fields"),
    ("malformed JSON", "fix the JSON on that line"),
    ("the record is not", "write one JSON object per record"),
)


def hint_for(reason: str) -> str | None:
    """What the user can do about a rejection, from its reason (None when unknown).

    Examples:
        >>> hint_for("unknown stage 'ghosted'")
        "map the word to a stage with stage_map={'<word>': '<stage>'}"
    """
    return next((hint for start, hint in _HINTS if reason.startswith(start)), None)


#: Reasons (by their start) for rows set aside on purpose: not interactions, or copies.
#: They are listed in ``LoadResult.rejected`` with ``excluded=True`` like any other row, but
#: ``errors="raise"`` does not stop on them: nothing in the file needs fixing.
EXCLUSION_REASONS: tuple[str, ...] = (
    "not a lead yet",
    "saved job, not an application",
    "event registration, no contact named",
    "draft (never sent)",
    "chat message",
    "spam",
    "automated message",
    "no other person in the message",
    "duplicate message",
    "exact duplicate",
    "cancelled (STATUS:CANCELLED)",
    "declined by the owner",
    "every other attendee declined",
    "no attendee other than the owner",
    "scheduled after as_of",
    "no occurrence left",
    "the conversation has no participant other than you",
    "thread outside",
)


def is_exclusion(reason: str) -> bool:
    """True when a reason marks a row set aside on purpose, not an error in the data.

    Examples:
        >>> is_exclusion("draft (never sent): not an interaction"), is_exclusion("unparseable date")
        (True, False)
    """
    return reason.startswith(EXCLUSION_REASONS)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NaT or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def raw_json(record: Mapping[str, Any]) -> str:
    """The raw values of a row as JSON text (missing values as null).

    Examples:
        >>> raw_json({"a": 1, "b": float("nan")})
        '{"a": 1, "b": null}'
    """
    return json.dumps({str(k): _plain(v) for k, v in record.items()}, ensure_ascii=False)


def empty_rejected() -> pd.DataFrame:
    """A rejected-rows frame with no rows."""
    return pd.DataFrame(
        {
            "source": pd.Series([], dtype="str"),
            "source_row": pd.Series([], dtype="Int64"),
            "reason": pd.Series([], dtype="str"),
            "raw": pd.Series([], dtype="str"),
            "column": pd.Series([], dtype="str"),
            "value": pd.Series([], dtype="str"),
            "excluded": pd.Series([], dtype=bool),
        }
    )


@dataclass
class Rejections:
    """Collects rejected rows of one source."""

    source: str
    records: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        row: int | None,
        reason: str,
        *,
        raw: Mapping[str, Any] | str | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
        excluded: bool | None = None,
    ) -> None:
        """Record one rejected row (``row`` is the 1-based data row in the source).

        ``hint`` says what the user can do; :meth:`first_error` puts it in the error.
        ``excluded`` marks a row set aside on purpose (default: from the reason, see
        :data:`EXCLUSION_REASONS`).
        """
        raw_text = raw if isinstance(raw, str) or raw is None else raw_json(raw)
        plain = _plain(value)
        record = {
            "source": self.source,
            "source_row": row,
            "reason": reason,
            "raw": raw_text,
            "column": column,
            "value": None if plain is None else str(plain),
            "excluded": is_exclusion(reason) if excluded is None else bool(excluded),
        }
        hint = hint or hint_for(reason)
        if hint is not None:
            record["hint"] = hint
        self.records.append(record)

    def extend_frame(self, frame: pd.DataFrame) -> None:
        """Add rows from a frame with (some of) the :data:`REJECTED_COLUMNS`."""
        for record in frame.to_dict("records"):
            record.setdefault("source", self.source)
            plain = {c: _plain(record.get(c)) for c in REJECTED_COLUMNS}
            if plain["excluded"] is None:
                plain["excluded"] = is_exclusion(str(plain["reason"] or ""))
            self.records.append(plain)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def has_errors(self) -> bool:
        """True if a row was rejected for a problem in the data (not set aside on purpose)."""
        return any(not r.get("excluded") for r in self.records)

    def frame(self) -> pd.DataFrame:
        """The rejected rows as a DataFrame with :data:`REJECTED_COLUMNS`."""
        if not self.records:
            return empty_rejected()
        out = pd.DataFrame.from_records(self.records, columns=list(REJECTED_COLUMNS))
        out["source_row"] = pd.array(out["source_row"], dtype="Int64")
        out["excluded"] = out["excluded"].fillna(False).astype(bool)
        for column in ("source", "reason", "raw", "column", "value"):
            out[column] = out[column].astype("str").where(out[column].notna())
        return out

    def first_error(self, hint: str | None = None) -> InputError:
        """An :class:`InputError` for the first rejected row (by row number).

        Examples:
            >>> r = Rejections("log.csv")
            >>> r.add(7, "unparseable date", column="Date", value="soon",
            ...       hint="write dates like 2024-03-01")
            >>> print(r.first_error())
            log.csv, row 7, column 'Date', value 'soon': unparseable date. Hint: write dates like 2024-03-01; or load with errors='quarantine' to set such rows aside in LoadResult.rejected.
        """
        errors = [r for r in self.records if not r.get("excluded")] or self.records
        first = min(
            errors,
            key=lambda r: (r["source_row"] is None, r["source_row"] or 0),
        )
        remedy = hint or first.get("hint") or "fix the value in the file"
        return InputError(
            first["reason"],
            file=first["source"],
            row=first["source_row"],
            column=first["column"],
            value=first["value"],
            hint=f"{remedy.rstrip('.')}; or load with errors='quarantine' to set such rows "
            "aside in LoadResult.rejected",
        )
