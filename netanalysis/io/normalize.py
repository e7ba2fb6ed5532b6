"""Turn rows with canonical column names (raw values) into canonical events.

Every loader ends here. Values are checked and converted column by column, vectorised
(labels are mapped once per distinct value), and a row with a value that cannot be used
is rejected with the file's column name, the value and the reason (and the row's raw
values). A source row that yields several events (a wide tracker row) is kept or
rejected as a whole, so for every source ``rows_read = rows_kept + rows_rejected``.

What is rejected: a missing lead id, stage or date (unless the loader allows events
without a date), an unknown stage (the reason lists the known ones), an unparseable
date, an unknown direction. What is kept with a default: a missing or unknown channel
(``other``, the raw label kept in ``channel_raw``), a missing seeker (``seeker=`` or
``"me"``), a missing direction (the loader's default).

Examples:
    >>> import pandas as pd
    >>> from netanalysis.io.options import LoadOptions
    >>> raw = pd.DataFrame({"lead": ["a", "a"], "stage": ["applied", "ghosted"],
    ...                     "channel": ["Indeed", "Indeed"],
    ...                     "timestamp": ["2024-03-01", "2024-03-09"]})
    >>> out = to_events(raw, source="log.csv", loader="long", format="csv",
    ...                 options=LoadOptions())
    >>> out.events[["lead", "channel", "stage"]].to_dict("records")
    [{'lead': 'a', 'channel': 'job_board', 'stage': 'contacted'}]
    >>> out.rejections.frame()["reason"].iloc[0][:23]
    "unknown stage 'ghosted'"
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netanalysis.io.dates import parse_timestamps
from netanalysis.io.options import LoadOptions
from netanalysis.io.rejects import Rejections
from netanalysis.io.result import SourceResult
from netanalysis.io.tables import NULL_TEXTS
from netanalysis.schema import (
    CHANNELS,
    DIRECTION_ALIASES,
    DIRECTIONS,
    EVENT_COLUMNS,
    EVENT_DTYPES,
    MODE_OF,
    MODES,
    STAGES,
    channel_of,
    normalize_label,
    stage_of,
)

__all__ = ["RESERVED_COLUMNS", "finalize_events", "map_labels", "text_column", "to_events"]

#: Column names an events frame uses itself; a source's own column with such a name is
#: kept under ``"<name> (file)"``.
RESERVED_COLUMNS: tuple[str, ...] = (*EVENT_COLUMNS, "mode", "channel_raw")


def map_labels(values: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """Apply ``func`` once per distinct non-missing value (fast on millions of rows).

    Examples:
        >>> map_labels(pd.Series(["a", "b", "a", None]), str.upper).tolist()
        ['A', 'B', 'A', nan]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    out = pd.Series(mapped[codes], index=values.index, dtype=object)
    return out.where(out.notna(), np.nan)


@dataclass
class _Labels:
    """A label column mapped once per distinct value."""

    categorical: pd.Categorical  # the mapped value (missing where unknown or missing)
    unknown: np.ndarray  # a label is there but ``func`` does not know it
    missing: np.ndarray  # no label (blank or a null text)
    text: pd.Series  # the labels as str, surrounding spaces removed


def _labels(values: pd.Series, func: Callable[[str], object], categories: Sequence[str]) -> _Labels:
    """Map labels to a categorical, calling ``func`` once per distinct value.

    A label ``func`` maps to None (or to a value outside ``categories``) is unknown.
    """
    values = values.reset_index(drop=True)
    if values.dtype != "str":
        values = text_column(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    raw = [str(u) for u in uniques]
    cleaned: list[str | None] = [u.strip() for u in raw]
    cleaned = [None if c in NULL_TEXTS else c for c in cleaned]
    position = {c: i for i, c in enumerate(categories)}
    lookup = np.array(
        [-1 if c is None else position.get(func(c), -2) for c in cleaned] + [-1],  # type: ignore[arg-type]
        dtype=np.int16,
    )
    absent = np.array([c is None for c in cleaned] + [True], dtype=bool)
    mapped = lookup[codes]
    unknown = mapped == -2
    categorical = pd.Categorical.from_codes(
        np.where(mapped < 0, -1, mapped).astype(np.int8), categories=list(categories)
    )
    if cleaned == raw:
        text = values
    else:
        taken = pc.take(pa.array(cleaned, type=pa.large_string()), pa.array(codes, mask=codes < 0))
        text = pd.Series(taken.to_pandas(), dtype="str")
    return _Labels(categorical, unknown, absent[codes], text)


def _with_default(categorical: pd.Categorical, default: str) -> pd.Categorical:
    codes = np.asarray(categorical.codes)
    if not (codes < 0).any():
        return categorical
    fill = list(categorical.categories).index(default)
    return pd.Categorical.from_codes(
        np.where(codes < 0, fill, codes).astype(np.int8), categories=categorical.categories
    )


#: From this many rows on, column conversions run on a few threads.
_PARALLEL_ROWS = 100_000


def _start(
    jobs: Mapping[str, tuple[Callable[..., object], tuple[object, ...]]], *, parallel: bool
) -> dict[str, Callable[[], Any]]:
    """Start ``func(*args)`` for each job; return a getter of each result.

    With ``parallel``, jobs run on a small thread pool (their work is in Arrow and pandas
    kernels that release the GIL), else they run now, in order.
    """
    if not parallel or len(jobs) < 2:
        results = {column: func(*args) for column, (func, args) in jobs.items()}
        return {column: (lambda value=value: value) for column, value in results.items()}
    pool = ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1, 4))
    futures = {column: pool.submit(func, *args) for column, (func, args) in jobs.items()}
    pool.shutdown(wait=False)
    return {column: future.result for column, future in futures.items()}


def _constant(value: str, n: int) -> pd.Series:
    """A ``str`` column holding one value (Arrow-backed, built without Python objects)."""
    return pa.repeat(pa.scalar(value, pa.large_string()), n).to_pandas()


def _all_integral(values: pd.Series) -> bool:
    present = values.dropna()
    return (
        bool(len(present))
        and bool(np.isfinite(present).all())
        and bool((present == np.floor(present)).all())
    )


# Bytes that can start / end a whitespace character in UTF-8: ASCII whitespace, and the
# first / last byte of the Unicode White_Space characters (U+0085, U+00A0, U+1680,
# U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
_SPACE_FIRST = np.zeros(256, dtype=bool)
_SPACE_FIRST[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3]] = True
_SPACE_LAST = np.zeros(256, dtype=bool)
_SPACE_LAST[
    [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, *range(0x80, 0x8B), 0x9F, 0xA0, 0xA8, 0xA9, 0xAF]
] = True


def _may_have_edge_spaces(array: pa.Array | pa.ChunkedArray) -> bool:
    """False only if no value starts or ends with whitespace (checked on the raw buffers,
    without copying the strings); True when unsure."""
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    for chunk in chunks:
        if len(chunk) == 0 or chunk.null_count == len(chunk):
            continue
        if chunk.type == pa.large_string():
            width = np.int64
        elif chunk.type == pa.string():
            width = np.int32
        else:
            return True
        _, offsets_buffer, data_buffer = chunk.buffers()
        if data_buffer is None or offsets_buffer is None:
            continue
        offsets = np.frombuffer(offsets_buffer, dtype=width)[
            chunk.offset : chunk.offset + len(chunk) + 1
        ]
        data = np.frombuffer(data_buffer, dtype=np.uint8)
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        if _SPACE_FIRST[data[starts[filled]]].any() or _SPACE_LAST[data[ends[filled] - 1]].any():
            return True
    return False


def text_column(values: pd.Series) -> pd.Series:
    """Values as ``str`` with surrounding spaces removed; blank values become missing.

    Whole-number floats (ids read from a spreadsheet as ``1001.0``) are written ``1001``.
    (Null texts such as ``N/A`` are the readers' business: :mod:`netanalysis.io.tables`
    reads them as missing.)

    Examples:
        >>> text_column(pd.Series([" a ", "", None, "b", "  "])).tolist()
        ['a', nan, nan, 'b', nan]
        >>> text_column(pd.Series([1001.0, None])).tolist()
        ['1001', nan]
    """
    values = values.reset_index(drop=True)
    if values.dtype != "str":
        if pd.api.types.is_float_dtype(values.dtype) and _all_integral(values):
            values = values.astype("Int64")
        values = values.astype("str").where(values.notna())
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        stripped = values.str.strip()
        return stripped.where(stripped != "")
    if _may_have_edge_spaces(array):
        trimmed = pc.utf8_trim_whitespace(array)
        cleaned = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, trimmed.type), trimmed)
    elif pc.any(pc.equal(array, "")).as_py():
        cleaned = pc.if_else(pc.equal(array, ""), pa.scalar(None, array.type), array)
    else:
        return values
    return pd.Series(cleaned.to_pandas(), dtype="str")


class _Checker:
    """Collects per-event rejection reasons, first reason wins."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.any = False

    def reject(
        self, mask: np.ndarray, reason: str | np.ndarray, column: str, value: pd.Series
    ) -> None:
        if not mask.any():
            return
        if not self.any:
            self.reason = np.full(self.n, None, dtype=object)
            self.column = np.full(self.n, None, dtype=object)
            self.value = np.full(self.n, None, dtype=object)
        fresh = mask & pd.isna(self.reason)
        if not fresh.any():
            return
        self.any = True
        self.reason[fresh] = reason if isinstance(reason, str) else reason[fresh]
        self.column[fresh] = column
        where = np.flatnonzero(fresh)
        self.value[where] = value.iloc[where].to_numpy(dtype=object)

    @property
    def bad(self) -> np.ndarray:
        return ~pd.isna(self.reason) if self.any else np.zeros(self.n, dtype=bool)


def to_events(
    frame: pd.DataFrame,
    *,
    source: str,
    loader: str,
    format: str,
    options: LoadOptions,
    source_rows: Sequence[int] | np.ndarray | None = None,
    rows_read: int | None = None,
    rejections: Rejections | None = None,
    notes: Sequence[str] = (),
    guessed: dict[str, str] | None = None,
    allow_missing_time: bool = False,
    default_channel: str | None = None,
    default_direction: str = "outbound",
    extra_columns: Sequence[str] = (),
    raw_frame: pd.DataFrame | None = None,
    raw_index: np.ndarray | None = None,
    source_columns: Mapping[str, str] | None = None,
) -> SourceResult:
    """Check and convert rows with canonical column names into events.

    Args:
        frame: one row per event; canonical column names for what the source has
            (``lead``, ``stage``, ``timestamp``, ``channel``, ...), raw values.
        source, loader, format: where the rows came from, for the summary.
        options: the user's load options.
        source_rows: 1-based source row of each event (default 1..n).
        rows_read: data rows in the source (default: distinct ``source_rows`` plus the
            rows already in ``rejections``).
        rejections: rows already rejected by the reader (ragged rows, ...).
        notes: notes from the reader.
        guessed: columns whose mapping was guessed (file column -> canonical column).
        allow_missing_time: keep events without a timestamp (status-only trackers).
        default_channel: channel when the source has no channel column.
        default_direction: direction when the source has no direction value.
        extra_columns: columns of ``frame`` to keep after the canonical ones (a name
            the events frame uses itself is kept as ``"<name> (file)"``).
        raw_frame: the source's rows as read (file column names), for the raw values
            of rejected rows; default ``frame``.
        raw_index: for each row of ``frame``, its row in ``raw_frame`` (default 0..n-1).
        source_columns: canonical column -> the file's column name, for messages
            (default: from ``guessed``).

    Returns:
        SourceResult whose events have the canonical dtypes; bad rows are in its
        rejections, each with the file column, the value and the reason.
    """
    if default_direction not in DIRECTIONS:
        raise ValueError(f"default_direction must be one of {DIRECTIONS}")
    frame = frame.reset_index(drop=True)
    n = len(frame)
    rows = (
        np.arange(1, n + 1, dtype=np.int64)
        if source_rows is None
        else np.asarray(source_rows, dtype=np.int64)
    )
    rejections = rejections if rejections is not None else Rejections(source)
    rejected_by_reader = len(rejections)
    notes = list(notes)
    names = dict(source_columns or {})
    for src, dst in (guessed or {}).items():
        names.setdefault(dst, src)

    def name(canonical: str) -> str:
        return names.get(canonical, canonical)

    check = _Checker(n)
    out: dict[str, object] = {}
    nothing = pd.Series(np.nan, index=frame.index, dtype="str")

    # Column conversions are independent: on big inputs they run on a few threads (Arrow
    # releases the GIL) while the timestamps are parsed here; the checks below read them.
    jobs: dict[str, tuple[Callable[..., object], tuple[object, ...]]] = {}
    for column in ("seeker", "lead", "contact", "company"):
        if column in frame:
            jobs[column] = (text_column, (frame[column],))
    if "stage" in frame:
        jobs["stage"] = (
            _labels,
            (frame["stage"], lambda v: stage_of(v, options.stage_map), list(STAGES)),
        )
    if "channel" in frame:
        jobs["channel"] = (
            _labels,
            (frame["channel"], lambda v: channel_of(v, options.channel_map), list(CHANNELS)),
        )
    if "direction" in frame:
        jobs["direction"] = (
            _labels,
            (frame["direction"], lambda v: DIRECTION_ALIASES.get(normalize_label(v)), DIRECTIONS),
        )
    pending = _start(jobs, parallel=n >= _PARALLEL_ROWS)
    parsed = None
    if "timestamp" in frame:
        parsed = parse_timestamps(
            frame["timestamp"],
            tz=options.tz,
            dayfirst=options.dayfirst,
            source=source,
            column=name("timestamp"),
        )
    done = {column: result() for column, result in pending.items()}

    # seeker ---------------------------------------------------------------------------
    if "seeker" in frame:
        seeker = done["seeker"]
        if seeker.isna().any():
            seeker = seeker.fillna(options.default_seeker)
    else:
        seeker = _constant(options.default_seeker, n)
    out["seeker"] = seeker

    # lead -----------------------------------------------------------------------------
    lead = done["lead"] if "lead" in frame else nothing
    check.reject(lead.isna().to_numpy(), "missing lead id", name("lead"), lead)
    out["lead"] = lead

    # stage ----------------------------------------------------------------------------
    if "stage" in frame:
        stage = done["stage"]
        raw_stage = frame["stage"].reset_index(drop=True)
        check.reject(stage.missing, "missing stage", name("stage"), raw_stage)
        if stage.unknown.any():
            known = ", ".join(STAGES)
            reasons = map_labels(
                stage.text.where(stage.unknown),
                lambda v: f"unknown stage {v!r}; known stages: {known} (or map it with stage_map=)",
            )
            check.reject(stage.unknown, reasons.to_numpy(dtype=object), name("stage"), raw_stage)
        out["stage"] = stage.categorical
    else:
        check.reject(np.ones(n, bool), "missing stage", name("stage"), nothing)
        out["stage"] = pd.Categorical.from_codes(np.full(n, -1, np.int8), list(STAGES))

    # channel --------------------------------------------------------------------------
    if "channel" in frame:
        channel = done["channel"]
        raw_channel = channel.text
        missing_channel = int(channel.missing.sum())
        if missing_channel:
            notes.append(f"{missing_channel} row(s) without a channel: counted as 'other'")
        out["channel"] = _with_default(channel.categorical, "other")
    else:
        label = default_channel or "other"
        raw_channel = _constant(label, n)
        if default_channel is None:
            notes.append("no channel column: every lead counted as 'other' (name it with mapping=)")
        out["channel"] = pd.Categorical.from_codes(
            np.full(n, list(CHANNELS).index(channel_of(label)), np.int8), list(CHANNELS)
        )

    # timestamp ------------------------------------------------------------------------
    if parsed is not None:
        notes.extend(parsed.notes)
        raw_time = frame["timestamp"]
        if parsed.bad.any():
            reasons = parsed.reasons if parsed.reasons is not None else "unparseable date"
            check.reject(parsed.bad, reasons, name("timestamp"), raw_time)
        if not allow_missing_time:
            missing = parsed.values.isna().to_numpy() & ~parsed.bad
            check.reject(missing, "missing date", name("timestamp"), raw_time)
        out["timestamp"] = parsed.values
    else:
        out["timestamp"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
        if not allow_missing_time:
            check.reject(np.ones(n, bool), "missing date", name("timestamp"), nothing)

    # contact, company -----------------------------------------------------------------
    for column in ("contact", "company"):
        out[column] = done[column] if column in frame else nothing

    # direction ------------------------------------------------------------------------
    if "direction" in frame:
        raw_direction = frame["direction"].reset_index(drop=True)
        labels = done["direction"]
        check.reject(
            labels.unknown,
            f"unknown direction (use one of {list(DIRECTIONS)})",
            name("direction"),
            raw_direction,
        )
        direction = _with_default(labels.categorical, default_direction)
    else:
        direction = pd.Categorical.from_codes(
            np.full(n, DIRECTIONS.index(default_direction), dtype=np.int8),
            categories=list(DIRECTIONS),
        )
    out["direction"] = direction
    out["channel_raw"] = raw_channel

    # rejections: a source row with any bad event is rejected whole --------------------
    keep = np.ones(n, bool)
    if check.any:
        bad = check.bad
        keep = ~np.isin(rows, np.unique(rows[bad]))
        raw_source = raw_frame if raw_frame is not None else frame
        positions = np.arange(n) if raw_index is None else np.asarray(raw_index)
        first_bad: dict[int, int] = {}
        for i in np.flatnonzero(bad):
            first_bad.setdefault(int(rows[i]), int(i))
        chosen = np.fromiter(first_bad.values(), dtype=np.int64, count=len(first_bad))
        records = raw_source.iloc[positions[chosen]].to_dict("records")
        for i, record in zip(chosen, records):
            rejections.add(
                int(rows[i]),
                str(check.reason[i]),
                raw=record,
                column=None if check.column[i] is None else str(check.column[i]),
                value=check.value[i],
            )

    kept_index = None if keep.all() else np.flatnonzero(keep)

    def take(values: object) -> object:
        if kept_index is None:
            return values
        if isinstance(values, pd.Categorical):
            return values.take(kept_index)
        return values.iloc[kept_index].reset_index(drop=True)  # type: ignore[attr-defined]

    m = n if kept_index is None else len(kept_index)
    data = {column: take(out[column]) for column in EVENT_COLUMNS if column in out}
    data["source"] = _constant(source, m)
    data["source_row"] = pd.array(rows if kept_index is None else rows[kept_index], dtype="Int64")
    data["channel_raw"] = take(out["channel_raw"])
    for column in extra_columns:
        if column not in frame:
            continue
        label = f"{column} (file)" if column in RESERVED_COLUMNS else column
        data[label] = take(frame[column])
    events = finalize_events(pd.DataFrame(data))
    if rows_read is None:
        rows_read = len(np.unique(rows)) + rejected_by_reader
    return SourceResult(
        source=source,
        loader=loader,
        format=format,
        rows_read=rows_read,
        events=events,
        rejections=rejections,
        notes=notes,
        guessed=dict(guessed or {}),
    )


def guessed_name(guessed: dict[str, str] | None, canonical: str) -> str:
    """The file's own name for a canonical column, when the mapping renamed it."""
    for src, dst in (guessed or {}).items():
        if dst == canonical:
            return src
    return canonical


_MODE_CODES = np.array([list(MODES).index(MODE_OF[c]) for c in CHANNELS] + [-1], dtype=np.int8)


def finalize_events(events: pd.DataFrame) -> pd.DataFrame:
    """Give an events frame the canonical dtypes and column order (extras kept after).

    Adds ``mode`` (from ``channel``) and ``channel_raw`` (the channel) when absent.
    Columns that already have their canonical dtype are not converted again.

    Examples:
        >>> ev = finalize_events(pd.DataFrame({"seeker": ["me"], "lead": ["1"],
        ...     "channel": ["referral"], "stage": ["offer"],
        ...     "timestamp": [pd.Timestamp("2024-01-01", tz="UTC")]}))
        >>> str(ev["mode"].iloc[0]), str(ev["timestamp"].dtype)
        ('direct', 'datetime64[us, UTC]')
    """
    events = events.copy(deep=False)
    n = len(events)
    for column in EVENT_COLUMNS:
        dtype = EVENT_DTYPES[column]
        if column not in events:
            default = {"source": "<data>", "direction": "outbound", "seeker": "me"}.get(column)
            if dtype == "str" and default is not None:
                events[column] = _constant(default, n).set_axis(events.index)
            else:
                events[column] = pd.Series([default] * n, index=events.index, dtype=object)
        values = events[column]
        if values.dtype == dtype:
            continue
        if column == "timestamp":
            if not isinstance(values.dtype, pd.DatetimeTZDtype):
                values = pd.to_datetime(values, utc=True)
            events[column] = values.dt.tz_convert("UTC").astype(dtype)
        elif dtype == "str":
            events[column] = values.astype("str").where(values.notna())
        else:
            events[column] = values.astype(dtype)
    if "channel_raw" not in events:
        events["channel_raw"] = events["channel"].astype("str")
    elif events["channel_raw"].dtype != "str":
        raw = events["channel_raw"]
        events["channel_raw"] = raw.astype("str").where(raw.notna())
    codes = np.asarray(events["channel"].cat.codes)
    events["mode"] = pd.Categorical.from_codes(_MODE_CODES[codes], categories=list(MODES))
    first = [*EVENT_COLUMNS, "mode", "channel_raw"]
    rest = [c for c in events.columns if c not in first]
    return events[first + rest].reset_index(drop=True)
