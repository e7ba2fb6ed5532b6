"""Wide tracker sheets: one row per lead, a current status and/or a date per stage.

Each row becomes a lead with one event per dated stage ("Applied Date" -> ``contacted``,
"Interview Date" -> ``interview``). A current status without its own date becomes an
event at an unknown time: it counts in funnels and is left out of time-to-event.

Examples:
    >>> import pandas as pd
    >>> from netanalysis.io.options import LoadOptions
    >>> sheet = pd.DataFrame({"Company": ["Acme"], "Applied Date": ["2024-03-01"],
    ...                       "Status": ["Phone screen"], "Source": ["Indeed"]})
    >>> res = read_wide(sheet, source="tracker.csv", format="csv", options=LoadOptions())
    >>> res.events[["lead", "channel", "stage"]].to_dict("records")
    [{'lead': 'tracker:1', 'channel': 'job_board', 'stage': 'contacted'}, {'lead': 'tracker:1', 'channel': 'job_board', 'stage': 'interview'}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath

import numpy as np
import pandas as pd

from netanalysis.io.dates import parse_timestamps
from netanalysis.io.mapping import guess_mapping, stage_date_columns
from netanalysis.io.normalize import RESERVED_COLUMNS, map_labels, text_column, to_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.rejects import Rejections
from netanalysis.io.result import SourceResult
from netanalysis.schema import PRE_CONTACT_STATUSES, STAGES, normalize_label, stage_of

__all__ = ["is_wide", "read_wide"]

_STATUS_WORDS = (
    "status",
    "current status",
    "application status",
    "latest status",
    "state",
    "current state",
    "current stage",
)

_STATUS_DATE_WORDS = (
    "status date",
    "date status",
    "status updated",
    "last updated",
    "updated at",
    "last status change",
    "status changed",
)


def is_wide(
    columns: Sequence[str],
    frame: pd.DataFrame | None = None,
    mapping: Mapping[str, str] | None = None,
) -> tuple[bool, str]:
    """Decide whether a table is a wide tracker sheet; return (decision, reason).

    A table is a long event log when it has an event column (``stage``, ``step``,
    ``event``, ...) or when its lead ids repeat across rows. Otherwise it is a wide
    sheet when it has a date column per stage ("Applied Date") or a current-status
    column (``status``) with one row per lead.

    Examples:
        >>> is_wide(["Company", "Applied Date", "Status"])
        (True, "it has a date column per stage ('Applied Date')")
        >>> is_wide(["Lead", "Stage", "Date"])
        (False, "it has an event column ('Stage')")
    """
    normalized = {normalize_label(c): c for c in columns}
    explicit = {dst: src for src, dst in (mapping or {}).items()}
    event_words = ("stage", "step", "event", "event type", "milestone", "action")
    event_column = next(
        (
            normalized[k]
            for k in event_words
            if k in normalized and normalized[k] not in explicit.values()
        ),
        None,
    )
    if "stage" in explicit:
        chosen = normalize_label(explicit["stage"])
        event_column = explicit["stage"] if chosen in event_words else None
    if event_column is not None:
        return False, f"it has an event column ({event_column!r})"
    guessed = guess_mapping(list(columns), mapping, strict=False).mapping
    lead_column = next((src for src, dst in guessed.items() if dst == "lead"), None)
    if lead_column is not None and frame is not None and _repeats(frame[lead_column]):
        return False, f"lead ids in {lead_column!r} repeat across rows (one row per event)"
    dated = stage_date_columns([c for c in columns if c not in (mapping or {})])
    if dated:
        return True, f"it has a date column per stage ({', '.join(repr(c) for c in dated)})"
    status = explicit.get("stage") or next(
        (normalized[k] for k in _STATUS_WORDS if k in normalized), None
    )
    if status is None:
        return False, "it has no status column nor a date column per stage"
    return True, f"it has a current-status column ({status!r}) and one row per lead"


def _repeats(values: pd.Series) -> bool:
    """True if any non-missing value occurs twice (checks the first rows first: fast)."""
    head = values.iloc[:10_000].dropna()
    if head.duplicated().any():
        return True
    return len(values) > 10_000 and bool(values.dropna().duplicated().any())


def read_wide(
    frame: pd.DataFrame,
    *,
    source: str,
    format: str,
    options: LoadOptions,
    source_rows: np.ndarray | None = None,
    rows_read: int | None = None,
    rejections: Rejections | None = None,
    notes: Sequence[str] = (),
    loader: str = "wide",
    default_channel: str | None = None,
    status_map: dict[str, str | None] | None = None,
) -> SourceResult:
    """Turn a wide tracker sheet into events (see the module docstring).

    Columns are found by name: a date column per stage ("Applied Date", "Interview on"),
    a status column (``Status``, ``Current status``, a synonym, or ``mapping=``), a status
    date ("Status Date", "Last updated"), and the usual lead/channel/company columns. A
    sheet without a lead id column gets ids ``<file stem>:<row>``. Every row is kept or
    rejected whole: a status that means "not applied yet" (``Wishlist``), an unknown
    status, an unparseable date, or a row with neither status nor date is rejected.

    Args:
        frame: the sheet, one row per lead, columns as in the file.
        source, format: where the rows came from, for the summary.
        options: the user's load options (``mapping``, ``stage_map``, ``tz``, ...).
        source_rows: 1-based row number of each row (default 1..n).
        rows_read: data rows in the source (default: rows of ``frame`` plus those already
            in ``rejections``).
        rejections: rows already rejected by the reader.
        notes: notes from the reader.
        loader: the loader name shown in the summary (e.g. ``"simplify"``).
        default_channel: channel when the sheet has no channel column.
        status_map: tracker status word (normalised) -> stage, or None for "not a lead
            yet"; consulted before the general stage aliases (used by tracker exports).

    Returns:
        SourceResult with one event per dated stage plus the status, if it has no date
        of its own (its timestamp is then missing).
    """
    frame = frame.reset_index(drop=True)
    n = len(frame)
    rows = np.arange(1, n + 1) if source_rows is None else np.asarray(source_rows)
    rejections = rejections if rejections is not None else Rejections(source)
    pre_rejected = len(rejections)
    notes = list(notes)
    user_mapping = dict(options.mapping or {})
    dated = {
        c: s for c, s in stage_date_columns(list(frame.columns)).items() if c not in user_mapping
    }
    normalized = {normalize_label(c): c for c in frame.columns}
    status_date = next((normalized[k] for k in _STATUS_DATE_WORDS if k in normalized), None)
    exclude = [*dated, *([status_date] if status_date else [])]
    mapping = guess_mapping(
        list(frame.columns), user_mapping, exclude=exclude, strict=not options.partial_mapping
    )
    if "stage" not in mapping.mapping.values():
        status = next(
            (
                normalized[k]
                for k in _STATUS_WORDS
                if k in normalized
                and normalized[k] not in mapping.mapping
                and normalized[k] not in exclude
            ),
            None,
        )
        if status is not None:
            mapping.mapping[status] = "stage"
            mapping.guessed[status] = "stage"
    by_target = mapping.source_of
    notes.extend(mapping.describe())
    if dated:
        notes.append("stage dates from " + ", ".join(f"{c!r} ({s})" for c, s in dated.items()))
    unused_date: list[str] = []
    # A plain date column on a wide sheet is when the lead started.
    if "timestamp" in by_target:
        if "contacted" not in dated.values():
            dated[by_target["timestamp"]] = "contacted"
            notes.append(f"column {by_target['timestamp']!r} read as the date of first contact")
        else:
            unused_date.append(by_target["timestamp"])
            notes.append(
                f"column {by_target['timestamp']!r} kept as an extra column: the sheet has a "
                "date per stage"
            )

    bad_reason = np.full(n, None, dtype=object)
    bad_column = np.full(n, None, dtype=object)
    bad_value = np.full(n, None, dtype=object)

    def mark(mask: np.ndarray, reason: str | pd.Series, column: str, values: pd.Series) -> None:
        fresh = mask & pd.isna(bad_reason)
        bad_reason[fresh] = reason if isinstance(reason, str) else reason.to_numpy(object)[fresh]
        bad_column[fresh] = column
        bad_value[fresh] = values.to_numpy(dtype=object)[fresh]

    stamps: dict[str, pd.Series] = {}
    for column in [*dated, *([status_date] if status_date else [])]:
        parsed = parse_timestamps(
            frame[column], tz=options.tz, dayfirst=options.dayfirst, source=source, column=column
        )
        notes.extend(note for note in parsed.notes if note not in notes)
        if parsed.bad.any():
            reasons = pd.Series(
                parsed.reasons if parsed.reasons is not None else "unparseable date",
                index=range(n),
            )
            mark(parsed.bad, reasons, column, frame[column])
        stamps[column] = parsed.values

    status_column = by_target.get("stage")
    status_stage = pd.Series([None] * n, dtype=object)
    if status_column is not None:
        raw_status = text_column(frame[status_column])

        def to_stage(label: object) -> object:
            key = normalize_label(label)
            if status_map is not None and key in status_map:
                return status_map[key] or "<pre-contact>"
            if key in PRE_CONTACT_STATUSES:
                return "<pre-contact>"
            return stage_of(label, options.stage_map) or "<unknown>"

        status_stage = map_labels(raw_status, to_stage)
        pre = (status_stage == "<pre-contact>").to_numpy()
        mark(
            pre,
            map_labels(
                raw_status, lambda v: f"not a lead yet: status {v!r} means no contact was made"
            ),
            status_column,
            raw_status,
        )
        unknown = (status_stage == "<unknown>").to_numpy()
        known = ", ".join(STAGES)
        mark(
            unknown,
            map_labels(
                raw_status,
                lambda v: (
                    f"unknown status {v!r}; known stages: {known} (or map it with stage_map=)"
                ),
            ),
            status_column,
            raw_status,
        )
        notes.append(
            f"column {status_column!r} is the current status only, not its history: stages "
            "before it are implied, and a status without its own date has no time"
        )
    has_any = status_stage.notna().to_numpy().copy()
    for column in dated:
        has_any |= stamps[column].notna().to_numpy()
    mark(~has_any, "no status and no stage date: nothing says what happened", "", frame.iloc[:, 0])

    # Build one event per dated stage, plus the status when it has no date of its own.
    synthetic = pd.Series([f"{_stem(source)}:{r}" for r in rows], dtype="str")
    if "lead" in by_target:
        lead = text_column(frame[by_target["lead"]])
        blank = int(lead.isna().sum())
        if blank:
            lead = lead.fillna(synthetic)
            notes.append(
                f"{blank} row(s) without a lead id in {by_target['lead']!r}: each is its own "
                f"lead, named '{_stem(source)}:<row>'"
            )
    else:
        lead = synthetic
    parts = []
    for column, stage in dated.items():
        present = stamps[column].notna().to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "_i": np.flatnonzero(present),
                    "stage": stage,
                    "timestamp": stamps[column][present].to_numpy(),
                }
            )
        )
    status_known = status_stage.notna() & ~status_stage.isin(["<pre-contact>", "<unknown>"])
    status_idx = np.flatnonzero(status_known.to_numpy())
    if len(status_idx):
        status_time = (
            stamps[status_date].iloc[status_idx].to_numpy()
            if status_date
            else np.full(len(status_idx), np.datetime64("NaT"), dtype="datetime64[us]")
        )
        status_part = pd.DataFrame(
            {
                "_i": status_idx,
                "stage": status_stage.iloc[status_idx].to_numpy(),
                "timestamp": pd.to_datetime(status_time, utc=True),
            }
        )
        if parts:
            dated_pairs = pd.concat(parts)[["_i", "stage"]]
            dup = status_part.merge(dated_pairs, on=["_i", "stage"], how="left", indicator=True)
            status_part = status_part[(dup["_merge"] == "left_only").to_numpy()]
        parts.append(status_part)
    long = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"_i": pd.Series([], dtype=int), "stage": [], "timestamp": []})
    )
    bad_rows = ~pd.isna(bad_reason)
    long = long[~bad_rows[long["_i"].to_numpy()]]
    long = long.sort_values(["_i", "timestamp"], kind="stable").reset_index(drop=True)
    idx = long["_i"].to_numpy()
    out = pd.DataFrame(
        {
            "lead": lead.to_numpy()[idx],
            "stage": long["stage"].to_numpy(),
            "timestamp": pd.to_datetime(long["timestamp"], utc=True),
        }
    )
    for target in ("seeker", "channel", "contact", "company", "direction"):
        if target in by_target:
            out[target] = frame[by_target[target]].to_numpy()[idx]
    extras = [
        c
        for c in frame.columns
        if (c not in mapping.mapping and c not in exclude) or c in unused_date
    ]
    extra_labels = []
    for column in extras:
        label = f"{column} (file)" if column in RESERVED_COLUMNS else column
        out[label] = frame[column].to_numpy()[idx]
        extra_labels.append(label)

    for i in np.flatnonzero(bad_rows):
        rejections.add(
            int(rows[i]),
            str(bad_reason[i]),
            raw=frame.iloc[i].to_dict(),
            column=bad_column[i] or None,
            value=bad_value[i],
        )
    missing_time = int(out["timestamp"].isna().sum())
    if missing_time:
        notes.append(
            f"{missing_time} stage(s) known from the status only, without a date: counted in "
            "funnels, left out of time-to-event"
        )
    return to_events(
        out,
        source=source,
        loader=loader,
        format=format,
        options=options,
        source_rows=rows[idx],
        rows_read=rows_read if rows_read is not None else n + pre_rejected,
        rejections=rejections,
        notes=notes,
        guessed=mapping.guessed,
        allow_missing_time=True,
        default_channel=default_channel,
        extra_columns=extra_labels,
        raw_frame=frame,
        raw_index=idx,
        source_columns=by_target,
    )


def _stem(source: str) -> str:
    """A short name for synthetic lead ids: the file name, or 'DataFrame' for frames."""
    stem = PurePath(source.split("::")[-1]).stem.strip("<> ")
    return stem or "row"
