"""The LinkedIn data export: the zip, the unzipped folder, or single files.

``na.load("Basic_LinkedInDataExport_03-12-2026.zip")`` reads the archive in memory
(:mod:`~netanalysis.io.zipsafe`), recognises each CSV by its header (names drift across
years; old and new eras both read) and turns them into leads:

- ``Invitations.csv``, ``messages.csv`` and ``Connections.csv`` -> ``linkedin`` leads, one
  per contact or group conversation (rules in :mod:`~netanalysis.io.linkedin_leads`);
- ``Job Applications.csv`` -> ``job_board`` leads (raw channel ``LinkedIn Jobs``),
  ``contacted`` at the application date, ``company``, ``job_title`` and ``job_url`` kept.
  Its ``Question And Answers`` column (veteran status, disability, ethnicity...) is never
  loaded unless ``include_sensitive=True``;
- ``Saved Jobs.csv`` and ``Events.csv`` rows are set aside (in ``.rejected``, with the
  reason "saved job, not an application" / "event registration, no contact"): a saved
  posting or an event sign-up is not a lead. Other files of the export are not read.

Message text is never stored: not in events, not in rejected rows. Drafts are set aside
as "draft (never sent)". Events carry ``touch`` (invitation / message / accepted
invitation / job application), ``invitation_note`` and ``invitation_accepted`` (to compare
acceptance with and without a note), ``position``, ``contact_url``, ``contact_email``,
``participants`` (group conversations), ``job_title``, ``job_url`` and ``lead_kind``
(``networking`` for invitations and messages, ``application`` for job applications, so
that :func:`netanalysis.link` need not guess which is which).

Options (``na.load(..., option=)``): ``me=`` (your name or profile URL, or a list),
``include_sensitive=``, ``max_unzipped_bytes=``, ``pseudonymize=``, ``salt=``.

Examples:
    >>> import pathlib, tempfile, netanalysis as na
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "Invitations.csv").write_text(
    ...     "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\\n"
    ...     'Me,Jane Doe,"3/2/26, 9:14 AM",Hi!,OUTGOING,,https://www.linkedin.com/in/jane\\n')
    >>> _ = (folder / "Connections.csv").write_text(
    ...     "First Name,Last Name,URL,Email Address,Company,Position,Connected On\\n"
    ...     "Jane,Doe,https://uk.linkedin.com/in/jane/,,Acme,CTO,05 Mar 2026\\n")
    >>> res = na.load(folder)
    >>> ev = res.events.sort_values("timestamp")
    >>> ev[["stage", "touch", "company", "invitation_note"]].astype(str).values.tolist()
    [['contacted', 'invitation', 'Acme', 'True'], ['responded', 'accepted invitation', 'Acme', 'True']]
    >>> import shutil; shutil.rmtree(folder)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netanalysis.errors import EmptySourceError, InputError, ParameterError, UnknownFormatError
from netanalysis.io.linkedin_leads import (
    EXTRA_DTYPES,
    Owner,
    build_leads,
    find_owner,
    normalize_profile_url,
)
from netanalysis.io.linkedin_sheets import (
    CORE_KINDS,
    SIGNATURES,
    ExportFile,
    Sheet,
    classify_header,
    clean_applications,
    clean_connections,
    clean_invitations,
    clean_messages,
    detect_kind,
    read_sheet,
)
from netanalysis.io.normalize import to_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.privacy import check_privacy_options, describe_personal_fields, protect_source
from netanalysis.io.registry import Item, Loader, Probe
from netanalysis.io.rejects import Rejections
from netanalysis.io.result import SourceResult
from netanalysis.io.zipsafe import DEFAULT_MAX_UNZIPPED_BYTES, read_zip
from netanalysis.schema import empty_events

__all__ = [
    "LINKEDIN_LOADER",
    "OPTIONS",
    "classify_header",
    "invitation_acceptance",
    "normalize_profile_url",
    "read_linkedin",
]

_HEAD = 65536

#: Options the LinkedIn loader accepts through ``na.load(**options)``.
OPTIONS: tuple[str, ...] = ("me", "include_sensitive", "max_unzipped_bytes", "pseudonymize", "salt")

# --------------------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Opts:
    me: tuple[str, ...] | None
    include_sensitive: bool
    max_unzipped_bytes: int
    salt: bytes | None

    @classmethod
    def of(cls, options: LoadOptions) -> _Opts:
        extra = options.extra
        me = extra.get("me")
        if me is not None:
            if isinstance(me, str):
                me = (me,)
            elif isinstance(me, Sequence) and all(isinstance(m, str) for m in me):
                me = tuple(me)
            else:
                raise ParameterError(
                    "The 'me' parameter of load must be your name or profile URL, or a list "
                    f"of them. Got {me!r} instead."
                )
            me = tuple(m.strip() for m in me if m.strip()) or None
        sensitive = extra.get("include_sensitive", False)
        if not isinstance(sensitive, bool):
            raise ParameterError(
                f"The 'include_sensitive' parameter of load must be True or False. "
                f"Got {sensitive!r} instead."
            )
        cap = extra.get("max_unzipped_bytes", DEFAULT_MAX_UNZIPPED_BYTES)
        if not isinstance(cap, (int, np.integer)) or isinstance(cap, bool) or cap <= 0:
            raise ParameterError(
                "The 'max_unzipped_bytes' parameter of load must be a positive integer. "
                f"Got {cap!r} instead."
            )
        return cls(me, sensitive, int(cap), check_privacy_options(extra))


# --------------------------------------------------------------------------------------
# Finding the files
# --------------------------------------------------------------------------------------


@dataclass
class _Export:
    files: list[ExportFile]
    label: str | None  # the zip or folder; None for a single file
    format: str
    notes: list[str] = field(default_factory=list)


def _folder_csvs(path: Path) -> list[Path]:
    out = []
    for file in sorted(path.rglob("*")):
        if not file.is_file() or file.suffix.lower() != ".csv":
            continue
        parts = file.relative_to(path).parts
        if len(parts) > 3 or any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        out.append(file)
    return out


def _head(file: Path, size: int = _HEAD) -> bytes:
    with file.open("rb") as handle:
        return handle.read(size)


def claims_dir(path: Path) -> bool:
    """True for an unzipped export: a LinkedIn CSV at its root (or in ``Jobs/``) and no
    file that another format loader reads (a tracker export, an mbox, ...)."""
    try:
        root = [
            p
            for p in _folder_csvs(path)
            if len(p.relative_to(path).parts) == 1 or p.parent.name.lower() == "jobs"
        ]
        if not any(detect_kind(_head(p, 8192)) in CORE_KINDS for p in root):
            return False
        return not _other_formats(path)
    except OSError:
        return False


def _other_formats(path: Path) -> list[str]:
    """Files under ``path`` that another specific loader claims (at most 500 looked at)."""
    from netanalysis.io.registry import loaders

    others = [x for x in loaders() if x.name not in ("linkedin", "long", "wide")]
    found = []
    files = [p for p in sorted(path.rglob("*")) if p.is_file()]
    for file in files[:500]:
        parts = file.relative_to(path).parts
        if any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        head = _head(file)
        if file.suffix.lower() == ".csv" and detect_kind(head) is not None:
            continue
        probe = Probe.of(Item(label=str(file), data=head, path=file))
        if any(x.claims_file(probe) for x in others):
            found.append(str(file))
    return found


def _from_folder(path: Path, label: str) -> _Export:
    files, ignored = [], []
    for file in _folder_csvs(path):
        head = _head(file)
        kind = detect_kind(head)
        name = str(file.relative_to(path))
        if kind is None:
            ignored.append(name)
        else:
            files.append(ExportFile(kind, str(file), file.read_bytes()))
    notes = _ignored_note(ignored)
    return _Export(files, label, "folder", notes)


def _from_zip(data: bytes, label: str, opts: _Opts) -> _Export:
    contents = read_zip(data, source=label, max_unzipped_bytes=opts.max_unzipped_bytes)
    files, ignored = [], []
    for member in contents.members:
        kind = detect_kind(member.data[:_HEAD])
        if kind is None:
            ignored.append(member.name)
        else:
            files.append(ExportFile(kind, f"{label}::{member.name}", member.data))
    return _Export(files, label, "zip", [*contents.notes, *_ignored_note(ignored)])


def _ignored_note(names: list[str]) -> list[str]:
    if not names:
        return []
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    return [f"files not read (no interactions, or not LinkedIn's): {shown}"]


def _claims_file(probe: Probe) -> bool:
    if probe.format == "text":
        return detect_kind(probe.head) is not None
    if probe.format == "zip" and probe.item.data is not None:
        try:
            contents = read_zip(probe.item.data, source=probe.item.label, head_bytes=8192)
        except InputError:
            return True  # damaged: reading it gives the clear error
        return any(detect_kind(m.data) in CORE_KINDS for m in contents.members)
    return False


# --------------------------------------------------------------------------------------
# The loader
# --------------------------------------------------------------------------------------


def read_linkedin(item: Item, options: LoadOptions) -> list[SourceResult]:
    """Read a LinkedIn export (zip, folder or single file) into one result per file."""
    opts = _Opts.of(options)
    if item.is_dir:
        export = _from_folder(item.path, item.label)  # type: ignore[arg-type]
    elif item.data is not None and item.data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        export = _from_zip(item.data, item.label, opts)
    else:
        data = item.data or b""
        if not data.strip():
            raise EmptySourceError("the file is empty", file=item.label)
        kind = detect_kind(data[:_HEAD])
        if kind is None:
            raise UnknownFormatError(
                "this is not a file of the LinkedIn data export (no known header)",
                file=item.label,
                hint="LinkedIn files are recognised by their header: Connections.csv, "
                "messages.csv, Invitations.csv, Job Applications.csv; or use kind='auto'",
            )
        export = _Export([ExportFile(kind, item.label, data)], None, "csv")
    if not any(f.kind in CORE_KINDS for f in export.files) and export.label is not None:
        raise UnknownFormatError(
            "no file of the LinkedIn data export found (Connections.csv, messages.csv, "
            "Invitations.csv, Job Applications.csv)",
            file=export.label,
            hint="check that this is the LinkedIn export, or load its files one by one",
        )
    return _read_export(export, options, opts)


def _read_export(export: _Export, options: LoadOptions, opts: _Opts) -> list[SourceResult]:
    sheets: list[Sheet] = []
    notes = list(export.notes)
    for file in export.files:
        if file.kind == "saved_answers":
            notes.append(
                f"{file.label} not read: it holds your saved answers to screening questions "
                "(sensitive)"
            )
            continue
        sheets.append(read_sheet(file, opts.include_sensitive))

    tables: dict[str, list[pd.DataFrame]] = {k: [] for k in SIGNATURES}
    cleaners: dict[str, Callable[[Sheet, LoadOptions], pd.DataFrame]] = {
        "connections": clean_connections,
        "invitations": clean_invitations,
        "messages": clean_messages,
        "messages_old": clean_messages,
        "job_applications": clean_applications,
    }
    for sheet in sheets:
        if sheet.kind in cleaners:
            tables[sheet.kind].append(cleaners[sheet.kind](sheet, options))
        elif sheet.kind == "saved_jobs":
            sheet.reject(
                np.ones(len(sheet.frame), bool),
                "saved job, not an application: a saved posting is not a lead",
            )
        elif sheet.kind == "events":
            sheet.reject(
                np.ones(len(sheet.frame), bool),
                "event registration, no contact named: not a lead",
            )

    def joined(*kinds: str) -> pd.DataFrame | None:
        frames = [f for k in kinds for f in tables[k]]
        nonempty = [f for f in frames if len(f)] or frames[:1]
        return pd.concat(nonempty, ignore_index=True) if nonempty else None

    messages = joined("messages", "messages_old")
    owner: Owner | None = None
    if messages is not None:
        new = messages[messages["conv"].map(lambda c: not str(c).startswith("old:"))]
        owner = find_owner(new, opts.me) if len(new) else None
        if owner is not None:
            shown = "hidden (pseudonymize=True)" if opts.salt else repr(owner.display)
            notes.append(f"account owner: {shown}, {owner.how}; pass me= to set it")
    build = build_leads(
        invitations=joined("invitations"),
        messages=messages,
        connections=joined("connections"),
        owner=owner,
    )
    parts = [build.events]
    applications = joined("job_applications")
    if applications is not None:
        parts.append(applications)
    events = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else build.events
    )
    _lead_notes(build, sheets, export)

    if build.unmatched_messages:
        _reject_unmatched(build.unmatched_messages, sheets)
    results = [_to_result(sheet, events, options, opts, export) for sheet in sheets]
    if export.label is not None:
        if opts.salt is None:
            note = describe_personal_fields(events.drop(columns=["src", "src_row"]))
            if note:
                notes.append(note)
        else:
            notes.append("personal fields replaced by pseudonyms (pseudonymize=True)")
        results.insert(
            0,
            SourceResult(
                export.label,
                "linkedin",
                export.format,
                0,
                empty_events(),
                Rejections(export.label),
                notes,
            ),
        )
    elif results:
        results[0].notes.extend(notes)
    else:  # a single sensitive file: not read
        label = export.files[0].label
        results = [
            SourceResult(label, "linkedin", "csv", 0, empty_events(), Rejections(label), notes)
        ]
    return results


def _lead_notes(build, sheets: list[Sheet], export: _Export) -> None:
    by_kind = {s.kind: s for s in sheets}
    alone = export.label is None
    if "connections" in by_kind:
        by_kind["connections"].notes.append(
            f"{build.network} connection(s) are your existing network (no invitation or "
            f"message in the export): not leads; {build.enriched} give their lead a "
            "company/position"
        )
        if build.accepted_clamped:
            by_kind["connections"].notes.append(
                f"{build.accepted_clamped} connection date(s) earlier than the invitation: "
                "acceptance dated at the invitation"
            )
    if alone and "invitations" in by_kind:
        by_kind["invitations"].notes.append(
            "read alone: acceptances need Connections.csv of the same export; load the "
            "folder or zip to count them"
        )
    for kind in ("messages", "messages_old"):
        if kind in by_kind and build.group_conversations:
            by_kind[kind].notes.append(
                f"{build.group_conversations} group conversation(s): one lead each"
            )


def _reject_unmatched(rows: list[tuple[str, int]], sheets: list[Sheet]) -> None:
    for sheet in sheets:
        mine = [r for label, r in rows if label == sheet.label]
        for row in mine:
            sheet.rejections.add(row, "the conversation has no participant other than you")


def _to_result(
    sheet: Sheet, events: pd.DataFrame, options: LoadOptions, opts: _Opts, export: _Export
) -> SourceResult:
    mine = events[events["src"] == sheet.label] if len(events) else events
    rows = mine["src_row"].to_numpy(dtype=np.int64) if len(mine) else np.array([], dtype=np.int64)
    frame = mine.drop(columns=["src", "src_row"]).reset_index(drop=True)
    extras = [c for c in frame.columns if c in EXTRA_DTYPES or c == "question_and_answers"]
    result = to_events(
        frame,
        source=sheet.label,
        loader="linkedin",
        format="csv",
        options=options,
        source_rows=rows,
        rows_read=sheet.rows_read,
        rejections=sheet.rejections,
        notes=sheet.notes,
        default_channel="linkedin",
        extra_columns=extras,
    )
    for column, dtype in EXTRA_DTYPES.items():
        if column in result.events:
            values = result.events[column]
            if dtype == "str":
                result.events[column] = values.astype("str").where(values.notna())
            else:
                result.events[column] = pd.array(
                    [None if v is None or v is pd.NA or v != v else v for v in values],
                    dtype=dtype,
                )
    return protect_source(result, opts.salt, note=export.label is None)


def invitation_acceptance(events: pd.DataFrame) -> pd.DataFrame:
    """Invitations you sent, with a note vs without, and how many were accepted.

    A counts table (index ``invitation_note``: ``"with note"``/``"without note"``; columns
    ``contacted`` = invitations sent, ``responded`` = accepted, i.e. the invitee is in
    ``Connections.csv``) that :func:`netanalysis.conversion` and
    :func:`netanalysis.compare` take as it is.

    Raises:
        InputError: the events hold no outgoing invitation with an acceptance status
            (load the LinkedIn export folder or zip, not ``Invitations.csv`` alone).

    Examples:
        >>> ev = pd.DataFrame({"lead": ["a", "b", "c"], "direction": "outbound",
        ...     "touch": "invitation", "invitation_note": [True, True, False],
        ...     "invitation_accepted": [True, False, True]})
        >>> invitation_acceptance(ev)  # doctest: +NORMALIZE_WHITESPACE
                         contacted  responded
        invitation_note
        with note                2          1
        without note             1          1
    """
    needed = ("lead", "direction", "touch", "invitation_note", "invitation_accepted")
    missing = [c for c in needed if c not in events]
    if missing:
        raise InputError(
            f"the events have no {missing} column(s)",
            hint="load a LinkedIn export (folder or zip) with na.load",
        )
    sent = events[
        (events["touch"] == "invitation")
        & (events["direction"] == "outbound")
        & events["invitation_accepted"].notna()
    ]
    if sent.empty:
        raise InputError(
            "no invitation you sent with a known outcome",
            hint="acceptance needs Invitations.csv and Connections.csv of the same export: "
            "load the folder or zip",
        )
    per_lead = sent.drop_duplicates("lead")
    label = per_lead["invitation_note"].astype(bool).map({True: "with note", False: "without note"})
    accepted = per_lead["invitation_accepted"].astype(bool)
    counts = pd.DataFrame(
        {
            "contacted": label.value_counts(),
            "responded": label[accepted.to_numpy()].value_counts(),
        }
    ).fillna(0)
    counts = counts.reindex([x for x in ("with note", "without note") if x in counts.index])
    counts.index.name = "invitation_note"
    return counts.astype("int64")


LINKEDIN_LOADER = Loader(
    name="linkedin",
    read=read_linkedin,
    claims_file=_claims_file,
    claims_dir=claims_dir,
    options=OPTIONS,
    description="LinkedIn data export: the zip, the unzipped folder, or its CSV files",
)
