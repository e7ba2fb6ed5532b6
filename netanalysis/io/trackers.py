"""Job-tracker exports: Huntr, Simplify and JobSync CSVs, recognised by their header.

Each row is one application (a lead). Trackers export the **current status only**, not
its history: the status becomes one event (at its date when the tracker has one, else
with no time), earlier stages are implied by the funnel, and the summary says so. An
application date, when the tracker has one, gives the ``contacted`` event.

Statuses map to stages through the tracker's own vocabulary (below), then the general
aliases (``Phone screen`` -> interview, ...); your ``stage_map=`` comes first. A saved
posting (Huntr ``Wishlist``, Simplify ``SAVED``, JobSync ``draft``) is not a lead yet and
is set aside with that reason; an unknown status is rejected with the known ones listed.
The channel is ``job_board`` unless the export has a source column (JobSync
``JobSource``), mapped through the channel aliases and ``channel_map=``. Every event has
``lead_kind = "application"``, so :func:`netanalysis.link` treats the row as an
application whatever its channel.

=========  ==========================================================  ===================
tracker    header (detected by)                                        status column
=========  ==========================================================  ===================
Huntr      ``id, title, lastMovedAt, listName, companyName, ...``      ``listName``
Simplify   ``Job Title, Company Name, Applied Date, Status, ...``      ``Status``
JobSync    ``index, createdAt, applied, appliedDate, Company, ...``    ``Status``
=========  ==========================================================  ===================

Examples:
    >>> from netanalysis.io.options import LoadOptions
    >>> from netanalysis.io.registry import Item
    >>> csv = (b"Job Title,Company Name,Job URL,Applied Date,Status,Status Date\\n"
    ...        b"Analyst,Acme,N/A,2024-03-01,INTERVIEWING,2024-03-15\\n")
    >>> [res] = read_simplify(Item("simplify.csv", data=csv), LoadOptions())
    >>> res.events[["stage", "channel", "company", "job_title"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'stage': 'contacted', 'channel': 'job_board', 'company': 'Acme', 'job_title': 'Analyst'},
     {'stage': 'interview', 'channel': 'job_board', 'company': 'Acme', 'job_title': 'Analyst'}]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePath

import numpy as np
import pandas as pd

from netanalysis.errors import MissingColumnsError
from netanalysis.io.dates import parse_timestamps
from netanalysis.io.normalize import to_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.privacy import check_privacy_options, protect_source
from netanalysis.io.registry import Item, Loader, Probe
from netanalysis.io.result import SourceResult
from netanalysis.io.tables import read_table
from netanalysis.schema import (
    PRE_CONTACT_STATUSES,
    STAGE_ALIASES,
    STAGES,
    channel_of,
    normalize_label,
)

__all__ = [
    "HUNTR",
    "HUNTR_LOADER",
    "JOBSYNC",
    "JOBSYNC_LOADER",
    "SIMPLIFY",
    "SIMPLIFY_LOADER",
    "TrackerFormat",
    "read_huntr",
    "read_jobsync",
    "read_simplify",
]

_PRE = "<not a lead yet>"
_BY_FLAG = "<by applied flag>"
_UNKNOWN = "<unknown>"
_SOURCE_NAMES = ("source", "job source", "jobsource", "lead source", "found via", "how found")


@dataclass(frozen=True)
class TrackerFormat:
    """How one tracker's export is read.

    Attributes:
        name: the loader name (``kind=``).
        title: the tracker's name, for messages.
        required: header names (lower-case) that identify the export.
        status: the status column.
        statuses: the tracker's status words (normalised) -> stage; ``None`` means not a
            lead yet; ``"<by applied flag>"`` means contacted if the ``applied`` flag is
            true, else not a lead yet.
        lead, company, job_title, job_url: columns, or None.
        applied_date: column with the application date, or None.
        status_date: column with the date of the current status, or None.
        applied_flag: a true/false column saying whether the seeker applied, or None.
        source: column naming where the job was found, or None.
        extras: other columns kept, file column -> event column.
        missing: cell texts that mean "missing" besides the usual ("", "N/A", ...).
        notes: sentences for the summary.
    """

    name: str
    title: str
    required: frozenset[str]
    status: str
    statuses: Mapping[str, str | None]
    lead: str | None = None
    company: str | None = None
    job_title: str | None = None
    job_url: str | None = None
    applied_date: str | None = None
    status_date: str | None = None
    applied_flag: str | None = None
    source: str | None = None
    extras: Mapping[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


HUNTR = TrackerFormat(
    name="huntr",
    title="Huntr",
    required=frozenset({"id", "title", "lastmovedat", "listname", "companyname"}),
    status="listName",
    statuses={
        "wishlist": None,
        "applied": "contacted",
        "interview": "interview",
        "interviewing": "interview",
        "offer": "offer",
        "rejected": "rejected",
    },
    lead="id",
    company="companyName",
    job_title="title",
    job_url="url",
    status_date="lastMovedAt",
    extras={"location": "location", "boardName": "board"},
    missing=("-",),
    notes=(
        "Huntr's createdAt is when the job was saved, not when you applied: the list's date "
        "(lastMovedAt) dates the current status",
    ),
)

SIMPLIFY = TrackerFormat(
    name="simplify",
    title="Simplify",
    required=frozenset({"job title", "company name", "applied date", "status"}),
    status="Status",
    statuses={
        "saved": None,
        "applied": "contacted",
        "screen": "interview",
        "interviewing": "interview",
        "offer": "offer",
        "rejected": "rejected",
        "withdrawn": "withdrawn",
        "accepted": "accepted",
    },
    company="Company Name",
    job_title="Job Title",
    job_url="Job URL",
    applied_date="Applied Date",
    status_date="Status Date",
    extras={"Location": "location"},
)

JOBSYNC = TrackerFormat(
    name="jobsync",
    title="JobSync",
    required=frozenset(
        {"index", "createdat", "applied", "applieddate", "company", "jobtitle", "status"}
    ),
    status="Status",
    statuses={
        "draft": None,
        "applied": "contacted",
        "interview": "interview",
        "offer": "offer",
        "rejected": "rejected",
        "expired": _BY_FLAG,
        "archived": _BY_FLAG,
    },
    lead="index",
    company="Company",
    job_title="JobTitle",
    applied_date="appliedDate",
    applied_flag="applied",
    source="JobSource",
    extras={"jobType": "job_type", "workplaceType": "workplace_type", "Location": "location"},
    notes=("JobSync's expired/archived jobs count as applications when 'applied' is true",),
)

FORMATS: tuple[TrackerFormat, ...] = (HUNTR, SIMPLIFY, JOBSYNC)


def _header_names(columns: list[str]) -> dict[str, str]:
    return {str(c).strip().lstrip("\ufeff").lower(): str(c) for c in columns}


def _claims(fmt: TrackerFormat):
    def claims(probe: Probe) -> bool:
        return probe.format == "text" and fmt.required <= set(_header_names(probe.header))

    return claims


def _column(names: dict[str, str], wanted: str | None) -> str | None:
    return names.get(wanted.lower()) if wanted else None


def _known(fmt: TrackerFormat) -> str:
    words = list(fmt.statuses)
    shown = ", ".join(w if fmt.name != "simplify" else w.upper() for w in words)
    return f"known {fmt.title} statuses: {shown}; stages: {', '.join(STAGES)}"


def _resolve(label: str, fmt: TrackerFormat, stage_map: Mapping[str, str] | None) -> str:
    if stage_map:
        if label in stage_map:
            return stage_map[label]
        normalized = {normalize_label(k): v for k, v in stage_map.items()}
        if normalize_label(label) in normalized:
            return normalized[normalize_label(label)]
    key = normalize_label(label)
    if key in fmt.statuses:
        stage = fmt.statuses[key]
        return _PRE if stage is None else stage
    if key in STAGE_ALIASES:
        return STAGE_ALIASES[key]
    if key in PRE_CONTACT_STATUSES:
        return _PRE
    return _UNKNOWN


def _postings_not_networking(
    labels: pd.Series, options: LoadOptions, column: str
) -> tuple[LoadOptions, str | None]:
    """A tracker's source column names where a posting was found: "LinkedIn" there is
    LinkedIn Jobs (``job_board``), not networking, unless ``channel_map`` says otherwise."""
    user = dict(options.channel_map or {})
    known = {normalize_label(k) for k in user}
    extra = {
        label: "job_board"
        for label in pd.unique(labels.dropna())
        if label not in user
        and normalize_label(label) not in known
        and channel_of(label) == "linkedin"
    }
    if not extra:
        return options, None
    note = (
        f"column {column!r}: {sorted(extra)} read as job_board (a posting found there); "
        "map it with channel_map= if it was networking"
    )
    return replace(options, channel_map={**user, **extra}), note


def read_tracker(item: Item, options: LoadOptions, fmt: TrackerFormat) -> list[SourceResult]:
    """Read one tracker export (see the module docstring)."""
    salt = check_privacy_options(options.extra)
    table = read_table(item.data or b"", source=item.label)
    frame = table.frame
    names = _header_names(list(frame.columns))
    missing_columns = sorted(fmt.required - set(names))
    if missing_columns:
        raise MissingColumnsError(
            missing_columns,
            list(frame.columns),
            file=item.label,
            hint=f"this is not a {fmt.title} export; load it with kind='auto'",
        )
    if fmt.missing:
        frame = frame.mask(frame.isin(list(fmt.missing)))
    rows = np.asarray(table.source_rows, dtype=np.int64)
    rejections = table.rejections
    notes = [*table.notes, *fmt.notes]
    n = len(frame)
    reason = np.full(n, None, dtype=object)
    bad_column = np.full(n, None, dtype=object)

    def mark(mask: np.ndarray, why: str | np.ndarray, column: str) -> None:
        fresh = np.asarray(mask, bool) & pd.isna(reason)
        reason[fresh] = why if isinstance(why, str) else why[fresh]
        bad_column[fresh] = column

    def get(column: str | None) -> pd.Series:
        if column is None:
            return pd.Series([None] * n, dtype=object)
        return frame[column].reset_index(drop=True)

    # Status -> stage -------------------------------------------------------------------
    status_column = _column(names, fmt.status)
    raw_status = get(status_column)
    resolved = raw_status.map(
        lambda v: _resolve(str(v), fmt, options.stage_map) if isinstance(v, str) else None
    )
    flag_column = _column(names, fmt.applied_flag)
    if flag_column is not None:
        applied = get(flag_column).map(lambda v: str(v).strip().lower() in ("true", "yes", "1"))
        by_flag = (resolved == _BY_FLAG).to_numpy(bool)
        resolved[by_flag & applied.to_numpy(bool)] = "contacted"
        resolved[by_flag & ~applied.to_numpy(bool)] = _PRE
    mark(raw_status.isna().to_numpy(), "missing status", fmt.status)
    unknown = (resolved == _UNKNOWN).to_numpy(bool)
    mark(
        unknown,
        raw_status.map(
            lambda v: (
                f"unknown {fmt.title} status {v!r}; {_known(fmt)} "
                f"(or map it with stage_map={{{v!r}: '<stage>'}})"
            )
        ).to_numpy(object),
        fmt.status,
    )
    mark(
        (resolved == _PRE).to_numpy(bool),
        raw_status.map(
            lambda v: f"not a lead yet: {fmt.title} status {v!r} means no application was made"
        ).to_numpy(object),
        fmt.status,
    )

    # Dates ------------------------------------------------------------------------------
    stamps: dict[str, pd.Series] = {}
    for role, wanted in (("applied", fmt.applied_date), ("status", fmt.status_date)):
        column = _column(names, wanted)
        if column is None:
            continue
        parsed = parse_timestamps(
            get(column),
            tz=options.tz,
            dayfirst=options.dayfirst,
            source=item.label,
            column=column,
        )
        notes.extend(x for x in parsed.notes if x not in notes)
        mark(parsed.bad, "unparseable date", column)
        stamps[role] = parsed.values.reset_index(drop=True)
    none_time = pd.Series(pd.NaT, index=range(n), dtype="datetime64[us, UTC]")
    applied_at = stamps.get("applied", none_time)
    status_at = stamps.get("status", none_time)

    # Events: contacted at the application date, the status at its date ----------------
    good = pd.isna(reason)
    stage = resolved.to_numpy(object)
    parts = []
    has_applied = applied_at.notna().to_numpy() & good
    parts.append(
        pd.DataFrame(
            {
                "_i": np.flatnonzero(has_applied),
                "stage": "contacted",
                "timestamp": applied_at[has_applied].to_numpy(),
            }
        )
    )
    status_event = good & ~((stage == "contacted") & has_applied)
    parts.append(
        pd.DataFrame(
            {
                "_i": np.flatnonzero(status_event),
                "stage": stage[status_event],
                "timestamp": status_at[status_event].to_numpy(),
            }
        )
    )
    long = pd.concat(parts, ignore_index=True).sort_values(["_i", "timestamp"], kind="stable")
    idx = long["_i"].to_numpy(dtype=np.int64)

    lead_column = _column(names, fmt.lead)
    if lead_column is not None:
        ids = get(lead_column)
        lead = np.array(
            [
                f"{fmt.name}:{v}" if isinstance(v, str) else f"{fmt.name}:row{r}"
                for v, r in zip(ids, rows, strict=True)
            ],
            dtype=object,
        )
    else:
        stem = PurePath(item.label.split("::")[-1]).stem or fmt.name
        lead = np.array([f"{stem}:{r}" for r in rows], dtype=object)
    source_column = _column(names, fmt.source) or next(
        (names[k] for k in _SOURCE_NAMES if k in names), None
    )
    channel = get(source_column).fillna("job board") if source_column else None
    if channel is not None:
        options, note = _postings_not_networking(channel, options, source_column)
        if note:
            notes.append(note)
    out = pd.DataFrame(
        {
            "lead": lead[idx],
            "stage": long["stage"].to_numpy(),
            "timestamp": pd.to_datetime(long["timestamp"], utc=True).to_numpy(),
            "company": get(_column(names, fmt.company)).to_numpy(object)[idx],
            "channel": (
                channel.to_numpy(object)
                if channel is not None
                else np.full(n, "job board", dtype=object)
            )[idx],
            "tracker_status": raw_status.to_numpy(object)[idx],
            "lead_kind": "application",
        }
    )
    extras = ["tracker_status", "lead_kind"]
    for column, target in {
        fmt.job_title: "job_title",
        fmt.job_url: "job_url",
        **fmt.extras,
    }.items():
        found = _column(names, column)
        if found is not None:
            out[target] = get(found).to_numpy(object)[idx]
            extras.append(target)
    for i in np.flatnonzero(~good):
        rejections.add(
            int(rows[i]),
            str(reason[i]),
            raw=frame.iloc[i].to_dict(),
            column=bad_column[i],
            value=frame.iloc[i].get(bad_column[i]) if bad_column[i] in frame else None,
        )
    undated = int(out["timestamp"].isna().sum())
    notes.append(
        f"{fmt.title} exports the current status only, not its history: earlier stages are "
        "implied and undated"
        + (
            f"; {undated} status(es) have no date (counted in funnels, left out of time-to-event)"
            if undated
            else ""
        )
    )
    result = to_events(
        out,
        source=item.label,
        loader=fmt.name,
        format=table.format,
        options=options,
        source_rows=rows[idx],
        rows_read=table.rows_read,
        rejections=rejections,
        notes=notes,
        allow_missing_time=True,
        default_channel="job_board",
        extra_columns=extras,
    )
    return [protect_source(result, salt)]


def read_huntr(item: Item, options: LoadOptions) -> list[SourceResult]:
    """Read a Huntr jobs CSV."""
    return read_tracker(item, options, HUNTR)


def read_simplify(item: Item, options: LoadOptions) -> list[SourceResult]:
    """Read a Simplify tracker CSV."""
    return read_tracker(item, options, SIMPLIFY)


def read_jobsync(item: Item, options: LoadOptions) -> list[SourceResult]:
    """Read a JobSync jobs CSV."""
    return read_tracker(item, options, JOBSYNC)


_OPTIONS = ("pseudonymize", "salt")

HUNTR_LOADER = Loader(
    name="huntr",
    read=read_huntr,
    claims_file=_claims(HUNTR),
    options=_OPTIONS,
    description="Huntr jobs export (CSV)",
)
SIMPLIFY_LOADER = Loader(
    name="simplify",
    read=read_simplify,
    claims_file=_claims(SIMPLIFY),
    options=_OPTIONS,
    description="Simplify job tracker export (CSV)",
)
JOBSYNC_LOADER = Loader(
    name="jobsync",
    read=read_jobsync,
    claims_file=_claims(JOBSYNC),
    options=_OPTIONS,
    description="JobSync jobs export (CSV)",
)
