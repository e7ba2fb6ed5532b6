"""What ``na.load`` returns: events, rejected rows, and a summary per source.

Examples:
    >>> import netanalysis as na
    >>> import pandas as pd
    >>> log = pd.DataFrame({"lead": ["a", "b", "c"], "stage": ["applied", "ghosted", "offer"],
    ...                     "date": ["2024-03-01", "2024-03-02", "someday"]})
    >>> res = na.load(log)
    >>> res.summary[["rows_read", "rows_kept", "rows_rejected", "events"]].to_dict("records")
    [{'rows_read': 3, 'rows_kept': 1, 'rows_rejected': 2, 'events': 1}]
    >>> res.rejected[["source_row", "column", "value"]].to_dict("records")
    [{'source_row': 2, 'column': 'stage', 'value': 'ghosted'}, {'source_row': 3, 'column': 'date', 'value': 'someday'}]
    >>> res.finding()
    'Read 3 rows from 1 source(s): 1 kept, 2 rejected; 1 events on 1 leads.'
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from netanalysis.io.rejects import Rejections
from netanalysis.results import Result, frame_to_html

__all__ = ["SUMMARY_COLUMNS", "LoadResult", "SourceResult"]

#: Columns of ``LoadResult.summary``.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "source",
    "loader",
    "format",
    "rows_read",
    "rows_kept",
    "rows_rejected",
    "events",
    "duplicates",
    "guessed",
    "notes",
)


@dataclass
class SourceResult:
    """One source after reading and normalising, before sources are combined.

    ``rows_read`` counts the data rows of the source (records, messages, calendar
    entries); each is either kept (it fed the events) or rejected with a reason.
    ``duplicates`` and ``events_kept`` are set when sources are combined (exact
    duplicate events dropped, events left).
    """

    source: str
    loader: str
    format: str
    rows_read: int
    events: pd.DataFrame
    rejections: Rejections
    notes: list[str] = field(default_factory=list)
    guessed: dict[str, str] = field(default_factory=dict)
    duplicates: int = 0
    events_kept: int | None = None

    @property
    def rows_rejected(self) -> int:
        return len(self.rejections)

    @property
    def rows_kept(self) -> int:
        return self.rows_read - self.rows_rejected

    def summary_row(self) -> dict[str, object]:
        return {
            "source": self.source,
            "loader": self.loader,
            "format": self.format,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_rejected": self.rows_rejected,
            "events": len(self.events) if self.events_kept is None else self.events_kept,
            "duplicates": self.duplicates,
            "guessed": ", ".join(f"{src} -> {dst}" for src, dst in self.guessed.items()),
            "notes": "; ".join(dict.fromkeys(self.notes)),
        }


@dataclass(frozen=True, repr=False)
class LoadResult(Result):
    """Events in the canonical schema, the rows set aside, and what happened per source.

    Attributes:
        events: one row per event, columns :data:`netanalysis.schema.EVENT_COLUMNS`,
            then ``mode``, ``channel_raw`` and any extra source columns.
        rejected: rows not kept: ``source, source_row, reason, raw, column, value``.
        summary: per source ``rows_read = rows_kept + rows_rejected``, events kept,
            exact duplicate events dropped, the columns whose meaning was guessed
            (``guessed``: ``"When -> timestamp, Via -> channel"``), and notes (encoding,
            delimiter, day/month order, zone assumed, ...).
        notes: notes that concern the whole load (e.g. unknown channel labels).
    """

    events: pd.DataFrame
    rejected: pd.DataFrame
    summary: pd.DataFrame
    notes: tuple[str, ...] = ()

    def to_pandas(self) -> pd.DataFrame:
        """The events frame (a copy)."""
        return self.events.copy()

    def finding(self) -> str:
        """The load in one sentence."""
        s = self.summary
        read, kept, rejected = (
            int(s[c].sum()) for c in ("rows_read", "rows_kept", "rows_rejected")
        )
        leads = self.events.groupby(["seeker", "lead"], observed=True).ngroups
        text = (
            f"Read {read:,} rows from {len(s)} source(s): {kept:,} kept, {rejected:,} rejected; "
            f"{len(self.events):,} events on {leads:,} leads."
        )
        duplicates = int(s["duplicates"].sum())
        if duplicates:
            text += f" {duplicates:,} exact duplicate event(s) dropped."
        return text

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"summary": self.summary, "rejected": self.rejected}

    def to_html(self) -> str:
        """HTML for notebooks and reports: the finding, the summary, reasons for rejection."""
        return self._repr_html_()

    def _repr_html_(self) -> str:
        parts = [f"<div class='na-result'><p>{html.escape(self.finding())}</p>"]
        parts.append(frame_to_html(self.summary, index=False))
        if self.notes:
            parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in self.notes))
            parts.append("</ul>")
        if len(self.rejected):
            reasons = self.rejected["reason"].value_counts().rename_axis("reason").reset_index()
            parts.append("<p>Rejected rows by reason (details in <code>.rejected</code>):</p>")
            parts.append(frame_to_html(reasons.head(20), index=False))
        parts.append("</div>")
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = ["LoadResult", self.finding()]
        with pd.option_context("display.width", 120, "display.max_colwidth", 60):
            lines.append(self.summary.drop(columns=["notes"]).to_string(index=False))
        for _, row in self.summary.iterrows():
            if row["notes"]:
                lines.append(f"  {row['source']}: {row['notes']}")
        lines.extend(f"  {n}" for n in self.notes)
        return "\n".join(lines)
