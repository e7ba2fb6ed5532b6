"""``na.load``: any mix of files, folders and frames -> one canonical events frame.

Examples:
    >>> import netanalysis as na
    >>> import pandas as pd
    >>> log = pd.DataFrame({"lead": ["a", "a", "b"], "channel": ["Referral", "Referral", "Indeed"],
    ...                     "stage": ["applied", "interview", "applied"],
    ...                     "date": ["2024-03-01", "2024-03-08", "2024-03-02"]})
    >>> res = na.load(log)
    >>> res.events[["lead", "channel", "stage"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'lead': 'a', 'channel': 'referral', 'stage': 'contacted'},
     {'lead': 'a', 'channel': 'referral', 'stage': 'interview'},
     {'lead': 'b', 'channel': 'job_board', 'stage': 'contacted'}]
    >>> twice = na.load([log, log])
    >>> len(twice.events), twice.summary["duplicates"].tolist(), len(twice.rejected)
    (3, [0, 3], 3)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netanalysis.errors import (
    EmptySourceError,
    InputError,
    MissingColumnsError,
    ParameterError,
    UnknownFormatError,
    check_choice,
)
from netanalysis.io.options import Errors, LoadOptions
from netanalysis.io.registry import Item, Loader, Probe, loaders
from netanalysis.io.rejects import Rejections, empty_rejected
from netanalysis.io.result import SUMMARY_COLUMNS, LoadResult, SourceResult
from netanalysis.schema import EVENT_COLUMNS, empty_events

__all__ = ["IDENTITY_COLUMNS", "combine", "load"]

#: Columns that identify an event for exact-duplicate detection.
IDENTITY_COLUMNS: tuple[str, ...] = tuple(
    c for c in EVENT_COLUMNS if c not in ("source", "source_row")
)

_SKIP_SUFFIXES = {
    ".md",
    ".rst",
    ".py",
    ".ipynb",
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".html",
    ".htm",
    ".docx",
    ".doc",
    ".pptx",
    ".yaml",
    ".yml",
    ".toml",
    ".ini",
    ".cfg",
    ".log",
    ".js",
    ".css",
}

#: Whole-file problems that skip a file found in a folder (a file named directly raises).
_SKIPPABLE = (EmptySourceError, UnknownFormatError, MissingColumnsError)

Source = str | os.PathLike[str] | pd.DataFrame | Any


@dataclass
class _Entry:
    item: Item
    note: str | None = None
    in_folder: bool = False


def load(
    source: Source | Iterable[Source],
    *,
    kind: str = "auto",
    mapping: Mapping[str, str] | None = None,
    channel_map: Mapping[str, str] | None = None,
    stage_map: Mapping[str, str] | None = None,
    seeker: str | None = None,
    tz: str = "UTC",
    dayfirst: bool | None = None,
    errors: Errors = "quarantine",
    **format_options: Any,
) -> LoadResult:
    """Load interaction logs into canonical events, setting aside what cannot be used.

    Nothing is lost: for every source ``rows_read == rows_kept + rows_rejected``, and
    every rejected row is in ``.rejected`` with its source, row number, reason and raw
    values. Row numbers count records from 1 below the header, blank rows included, so
    that row ``n`` sits ``n`` rows below the header in a spreadsheet (JSON lines: the
    line number; frames: the position).

    Exact duplicates: an event equal to an earlier one on every canonical column but
    ``source`` and ``source_row`` (seeker, lead, channel, stage, timestamp, contact,
    company, direction) is dropped, the first one (in source order, then row order) is
    kept. The summary's ``duplicates`` counts the events dropped per source and its
    ``events`` the events kept. A source row all of whose events were dropped is
    rejected with the reason ``"exact duplicate of an event already loaded (<source>,
    row <n>)"``; a row that still gave an event counts as kept. Loading the same file
    twice therefore gives one copy of each event, and the second copy's rows are
    rejected as duplicates.

    Whole-file problems (an empty file, an unknown format, missing required columns)
    raise for a file named directly; for a file found in a folder they skip the file,
    with the reason in the summary.

    A lead is identified by ``(seeker, lead)``: the same id under two seekers is two
    leads, and the same id in two sources of one seeker is one lead (a log split over
    files). Sheets without an id column get ids ``<file name>:<row>``, unique per file.

    Args:
        source: a path (file or folder), a list of them, or an in-memory DataFrame
            (pandas, or any frame narwhals knows: polars, pyarrow, ...).
        kind: ``"auto"`` (recognise each source by content) or a loader name:
            ``"long"``, ``"wide"``, or a format loader (see ``netanalysis validate --help``).
        mapping: file column -> canonical column, e.g. ``{"Date Applied": "timestamp"}``;
            columns not named are guessed from common synonyms (reported in the summary).
            With several sources, each uses the entries whose columns it has.
        channel_map: your channel labels -> the taxonomy, e.g. ``{"Vets Slack": "industry_group"}``.
            Unknown labels become ``other`` (raw label kept in ``channel_raw``, listed
            in ``.notes``).
        stage_map: your status words -> stages, e.g. ``{"Ghosted": "rejected"}``.
        seeker: seeker id for sources that name none (default ``"me"``).
        tz: IANA zone of timestamps written without one (they are flagged in the summary).
        dayfirst: order of numeric dates (``03/04/2024``): ``True`` day first, ``False``
            month first; ``None`` (default) decides per file from the values and warns
            (:class:`~netanalysis.errors.AmbiguousDateWarning`) when they cannot decide.
        errors: ``"quarantine"`` (default) sets unusable rows aside in ``.rejected``;
            ``"raise"`` raises an :class:`~netanalysis.errors.InputError` naming the file,
            row, column and value of the first one, and what to do. Rows set aside on
            purpose (saved postings, drafts, chat items, automated mail, cancelled
            meetings, exact duplicates: ``excluded=True`` in ``.rejected``) are not errors
            and never raise.
        **format_options: options of format loaders, e.g. ``me=`` (the account owner in
            exports), ``pseudonymize=True, salt=...`` (stable pseudonyms for personal
            fields, applied to every source), ``include_sensitive=True`` (LinkedIn's
            screening answers, never loaded otherwise).

    Loading never links sources: call :func:`netanalysis.link` on the events to join the
    same person across sources and credit networking before applications.

    Returns:
        LoadResult with ``.events``, ``.rejected``, ``.summary`` and ``.notes``.

    Raises:
        InputError: a path does not exist, nothing to load, or (``errors="raise"``) a
            row cannot be used. Its subclasses :class:`~netanalysis.errors.EmptySourceError`,
            :class:`~netanalysis.errors.MissingColumnsError` and
            :class:`~netanalysis.errors.UnknownFormatError` say what is wrong with a file.
        ParameterError: an option has a value netanalysis cannot use.
    """
    all_loaders = loaders()
    names = [loader.name for loader in all_loaders]
    check_choice("kind", kind, ("auto", *names), where="load")
    accepted = {o for loader in all_loaders for o in loader.options}
    unknown = sorted(set(format_options) - accepted)
    if unknown:
        raise ParameterError(
            f"load() got unknown option(s) {unknown}. Options of the format loaders are "
            f"{sorted(accepted) or 'none'}; common options are kind, mapping, channel_map, "
            "stage_map, seeker, tz, dayfirst, errors."
        )
    entries = list(_expand(source))
    if not entries:
        raise InputError(
            "nothing to load", file=str(source), hint="pass a file, folder or DataFrame"
        )
    options = LoadOptions(
        mapping=mapping,
        channel_map=channel_map,
        stage_map=stage_map,
        seeker=seeker,
        tz=tz,
        dayfirst=dayfirst,
        errors=errors,
        kind=kind,
        extra=dict(format_options),
        partial_mapping=len(entries) > 1,
    )
    # Loaders without their own privacy pass (generic tables, frames) get the shared one
    # when pseudonymize=True was asked, so that the option holds for every source.
    from netanalysis.io.privacy import check_privacy_options, protect_source

    salt = check_privacy_options(options.extra)
    results: list[SourceResult] = []
    for entry in entries:
        item = entry.item
        try:
            loader = _choose(item, kind, all_loaders)
            if loader is None:
                results.append(_skipped(item, entry.note or "not a format netanalysis reads"))
                continue
            read = loader.read(item, options)
        except _SKIPPABLE as exc:
            if not entry.in_folder or options.errors == "raise":
                raise
            results.append(_skipped(item, f"skipped: {exc}"))
            continue
        for result in read:
            if options.errors == "raise" and result.rejections.has_errors:
                raise result.rejections.first_error()
            if salt is not None and "pseudonymize" not in loader.options:
                protect_source(result, salt)
            results.append(result)
    return combine(results)


def _expand(source: Source | Iterable[Source]) -> Iterable[_Entry]:
    """Files, folders and frames to load, in order; folders expand to their files."""
    if _is_frame(source) or isinstance(source, (str, os.PathLike)):
        sources: list[Any] = [source]
    elif isinstance(source, Iterable):
        sources = list(source)
    else:
        raise ParameterError(
            f"load() takes a path, a list of paths, or a DataFrame. Got {type(source).__name__}."
        )
    frames = sum(1 for s in sources if _is_frame(s))
    for number, entry in enumerate(sources):
        if _is_frame(entry):
            label = "<DataFrame>" if frames == 1 else f"<DataFrame {number + 1}>"
            yield _Entry(_frame_item(entry, label))
            continue
        if not isinstance(entry, (str, os.PathLike)):
            raise ParameterError(
                f"load() takes paths and DataFrames; item {number + 1} is a {type(entry).__name__}."
            )
        path = Path(entry)
        if not path.exists():
            raise InputError(
                "no such file or folder",
                file=str(entry),
                hint="check the path and the working folder",
            )
        if path.is_dir():
            yield from _expand_folder(path, str(entry))
        else:
            yield _Entry(Item(label=str(entry), path=path))


def _expand_folder(path: Path, label: str, *, in_folder: bool = False) -> Iterable[_Entry]:
    """A folder's files in name order; a subfolder a loader claims whole (an unzipped
    export) stays one item, so that its files are read together."""
    if any(loader.claims_dir(path) for loader in loaders()):
        yield _Entry(Item(label=label, path=path), None, in_folder)
        return
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.name == "__MACOSX":
            continue
        if child.is_dir():
            yield from _expand_folder(child, str(child), in_folder=True)
        elif not child.is_file():
            continue
        elif child.suffix.lower() in _SKIP_SUFFIXES:
            yield _Entry(
                Item(label=str(child)), f"skipped: {child.suffix} files are not data", True
            )
        else:
            yield _Entry(Item(label=str(child), path=child), None, True)


def _is_frame(obj: Any) -> bool:
    if isinstance(obj, pd.DataFrame):
        return True
    if isinstance(obj, (str, bytes, os.PathLike, list, tuple, dict)):
        return False
    try:
        import narwhals as nw

        nw.from_native(obj, eager_only=True)
        return True
    except (TypeError, ValueError):
        return False


def _frame_item(frame: Any, label: str) -> Item:
    import narwhals as nw

    if not isinstance(frame, pd.DataFrame):
        frame = nw.from_native(frame, eager_only=True).to_pandas()
    return Item(label=label, frame=frame)


def _choose(item: Item, kind: str, all_loaders: list[Loader]) -> Loader | None:
    if item.frame is not None:
        return _FRAME_LOADER
    if not item.is_file and not item.is_dir:
        return None
    if item.is_dir:
        matches = [x for x in all_loaders if x.claims_dir(item.path)]  # type: ignore[arg-type]
    else:
        probe = Probe.of(item)
        if probe.format == "empty":
            return next(x for x in all_loaders if x.name == "long")
        matches = [x for x in all_loaders if x.claims_file(probe)]
    if kind != "auto":
        chosen = next(x for x in all_loaders if x.name == kind)
        if item.is_dir and chosen not in matches:
            raise UnknownFormatError(
                f"this folder is not a {kind!r} source",
                file=item.label,
                hint="load its files one by one, or use kind='auto'",
            )
        return chosen
    if not matches:
        raise UnknownFormatError(
            "netanalysis does not recognise this file's format from its content",
            file=item.label,
            hint="formats read: CSV/TSV, XLSX, Parquet, JSON, LinkedIn export, mbox, ics; "
            "pass kind= to choose a reader",
        )
    return matches[0]


def _read_frame(item: Item, options: LoadOptions) -> list[SourceResult]:
    from netanalysis.io.builtin import read_raw_table
    from netanalysis.io.tables import RawTable

    frame: pd.DataFrame = item.frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    n = len(frame)
    if n == 0:
        raise EmptySourceError(
            "the DataFrame has no rows", file=item.label, hint="pass a frame with data"
        )
    table = RawTable(frame, np.arange(1, n + 1), n, Rejections(item.label), "dataframe")
    return read_raw_table(table, item.label, options)


_FRAME_LOADER = Loader(name="dataframe", read=_read_frame)


def _skipped(item: Item, note: str) -> SourceResult:
    return SourceResult(
        item.label, "skipped", "-", 0, empty_events(), Rejections(item.label), [note]
    )


def combine(results: list[SourceResult]) -> LoadResult:
    """Concatenate source results, drop exact duplicate events, build the summary.

    See :func:`load` for the duplicate policy.
    """
    frames = [r.events for r in results if len(r.events)]
    owners = [i for i, r in enumerate(results) if len(r.events)]
    if len(frames) > 1:
        from netanalysis.io.normalize import finalize_events

        # Categories are fixed by the schema, but extras may differ: re-finalise dtypes.
        events = finalize_events(pd.concat(frames, ignore_index=True))
    else:
        events = frames[0] if frames else empty_events()
    owner = np.repeat(np.asarray(owners, dtype=np.int64), [len(f) for f in frames])
    for result in results:
        result.events_kept = len(result.events)
    if len(events):
        events = _drop_duplicates(events, owner, results)
    rejected_frames = [r.rejections.frame() for r in results if len(r.rejections)]
    rejected = (
        pd.concat(rejected_frames, ignore_index=True) if rejected_frames else empty_rejected()
    )
    summary = pd.DataFrame([r.summary_row() for r in results], columns=list(SUMMARY_COLUMNS))
    for column in ("rows_read", "rows_kept", "rows_rejected", "events", "duplicates"):
        summary[column] = summary[column].astype("int64")
    return LoadResult(events, rejected, summary, tuple(_global_notes(events)))


def _candidate_key(events: pd.DataFrame) -> np.ndarray:
    """An int64 per event, equal for exact duplicates (collisions only cost time)."""
    key = pd.DatetimeIndex(events["timestamp"]).asi8 * 31
    for column in ("stage", "channel", "direction"):
        key = key + events[column].cat.codes.to_numpy()
        key *= 31
    return key


def _drop_duplicates(
    events: pd.DataFrame, owner: np.ndarray, results: list[SourceResult]
) -> pd.DataFrame:
    key = _candidate_key(events)
    ordered = np.sort(key)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(repeated):
        return events
    where = np.minimum(np.searchsorted(repeated, key), len(repeated) - 1)
    candidates = np.flatnonzero(repeated[where] == key)
    if not len(candidates):
        return events
    subset = events[list(IDENTITY_COLUMNS)].iloc[candidates]
    group = subset.groupby(list(IDENTITY_COLUMNS), dropna=False, observed=True, sort=False).ngroup()
    group = group.to_numpy()
    repeat = pd.Series(group).duplicated(keep="first").to_numpy()
    if not repeat.any():
        return events
    first_of_group = pd.Series(candidates).groupby(group).min().to_dict()
    dropped = candidates[repeat]
    drop_mask = np.zeros(len(events), dtype=bool)
    drop_mask[dropped] = True
    counts = np.bincount(owner[dropped], minlength=len(results))
    for result, count in zip(results, counts):
        result.duplicates += int(count)
        result.events_kept = (result.events_kept or 0) - int(count)
    # A source row all of whose events were dropped is rejected; its first event's
    # original is named in the reason.
    rows = events["source_row"].fillna(0).to_numpy(dtype=np.int64)
    row_key = owner * (1 << 40) + rows
    dropped_rows = np.unique(row_key[dropped])
    in_rows = np.isin(row_key, dropped_rows)
    still_kept = np.unique(row_key[in_rows & ~drop_mask])
    fully = np.setdiff1d(dropped_rows, still_kept)
    if len(fully):
        first_event = {}
        for position, rkey in zip(dropped, row_key[dropped]):
            first_event.setdefault(int(rkey), int(position))
        sources = events["source"].to_numpy(dtype=object)
        source_rows = events["source_row"].to_numpy(dtype=object)
        for rkey in fully:
            position = first_event[int(rkey)]
            original = first_of_group[group[np.searchsorted(candidates, position)]]
            result = results[int(owner[position])]
            raw = events.iloc[position][list(IDENTITY_COLUMNS)].to_dict()
            result.rejections.add(
                int(rkey % (1 << 40)),
                f"exact duplicate of an event already loaded ({sources[original]}, "
                f"row {source_rows[original]})",
                raw=raw,
            )
    return events[~drop_mask].reset_index(drop=True)


def _global_notes(events: pd.DataFrame) -> list[str]:
    notes = []
    if "channel_raw" in events and len(events):
        other = (events["channel"] == "other").to_numpy() & events["channel_raw"].notna().to_numpy()
        labels = events["channel_raw"][other]
        labels = labels[labels.str.lower() != "other"]
        if len(labels):
            counts = labels.value_counts().head(10)
            shown = ", ".join(f"{label!r} ({n})" for label, n in counts.items())
            notes.append(
                f"channel labels not in the taxonomy, counted as 'other': {shown}. "
                "Map them with channel_map={'<label>': '<channel>'}."
            )
    return notes
