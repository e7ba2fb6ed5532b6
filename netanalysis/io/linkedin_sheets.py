"""Reading the files of a LinkedIn data export: which file a header is, and its rows.

Each CSV is recognised by its header (:data:`SIGNATURES`; names drift across years),
read record by record (:func:`netanalysis.io.csvrecords.read_records`: a broken quote
rejects one row, with its line), and cleaned into the tables
:func:`netanalysis.io.linkedin_leads.build_leads` takes. Rows that cannot be used are set
aside in the file's :class:`~netanalysis.io.rejects.Rejections` with the reason.

Examples:
    >>> classify_header(["First Name", "Last Name", "URL", "Email Address", "Company",
    ...                  "Position", "Connected On"])
    'connections'
    >>> detect_kind(b"From,To,Date,Subject,Content,Direction,Folder\\n")
    'messages_old'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netanalysis.io.csvrecords import read_records
from netanalysis.io.dates import parse_timestamps
from netanalysis.io.linkedin_leads import name_key, normalize_profile_url
from netanalysis.io.options import LoadOptions
from netanalysis.io.rejects import Rejections
from netanalysis.io.textfile import decode
from netanalysis.schema import DIRECTION_ALIASES, normalize_label

__all__ = [
    "CORE_KINDS",
    "SIGNATURES",
    "ExportFile",
    "Sheet",
    "classify_header",
    "clean_applications",
    "clean_connections",
    "clean_invitations",
    "clean_messages",
    "detect_kind",
    "read_sheet",
]

#: File kind -> header names (normalised) that identify it. Tried in this order.
SIGNATURES: dict[str, frozenset[str]] = {
    "messages": frozenset({"conversation id", "from", "to", "date", "content"}),
    "messages_old": frozenset({"from", "to", "date", "content", "direction"}),
    "invitations": frozenset({"from", "to", "sent at", "direction"}),
    "connections": frozenset({"first name", "last name", "connected on"}),
    "job_applications": frozenset({"application date", "company name", "job title"}),
    "saved_jobs": frozenset({"saved date", "company name", "job title"}),
    "events": frozenset({"event name", "event time"}),
    "saved_answers": frozenset({"question", "answer"}),
}
#: Kinds that make a folder or zip a LinkedIn export.
CORE_KINDS = ("messages", "messages_old", "invitations", "connections", "job_applications")
#: The date column of each kind (checked when resuming after a broken row).
_DATE_COLUMN = {
    "messages": "date",
    "messages_old": "date",
    "invitations": "sent at",
    "connections": "connected on",
    "job_applications": "application date",
    "saved_jobs": "saved date",
    "events": "event time",
}
_LOOKS_LIKE_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2} [A-Za-z]{3}")
_YES = {"yes", "true", "1", "y"}
_NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-]\d{1,2}[/.\-]\d{2,4}"


def _norm(name: str) -> str:
    return " ".join(str(name).replace("\ufeff", "").strip().lower().split())


def classify_header(cells: Sequence[str]) -> str | None:
    """Which LinkedIn file a header belongs to, or None.

    Examples:
        >>> classify_header(["First Name", "Last Name", "URL", "Email Address", "Company",
        ...                  "Position", "Connected On"])
        'connections'
        >>> classify_header("From,To,Date,Subject,Content,Direction,Folder".split(","))
        'messages_old'
        >>> classify_header(["Job Title", "Company Name", "Applied Date", "Status"]) is None
        True
    """
    names = {_norm(c) for c in cells}
    for kind, needed in SIGNATURES.items():
        if needed <= names:
            if kind == "messages_old" and "conversation id" in names:
                continue
            return kind
    return None


def detect_kind(head: bytes) -> str | None:
    """The kind of a LinkedIn CSV from its first bytes (any delimiter), or None."""
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        text, _ = decode(head)
    except (UnicodeDecodeError, LookupError):
        return None
    lines = text.splitlines()[:12]
    for delimiter in (",", ";", "\t", "|"):
        for line in lines:
            cells = line.split(delimiter)
            if len(cells) >= 2:
                kind = classify_header([c.strip().strip('"') for c in cells])
                if kind is not None:
                    return kind
    return None


@dataclass
class ExportFile:
    kind: str
    label: str
    data: bytes


# --------------------------------------------------------------------------------------
# Reading one file into a sheet of text cells
# --------------------------------------------------------------------------------------


@dataclass
class Sheet:
    kind: str
    label: str
    columns: dict[str, str]  # normalised -> the file's own name
    frame: pd.DataFrame  # normalised column names, text or None; "_row" column
    rows_read: int
    rejections: Rejections
    notes: list[str]

    def raw(self, i: int) -> dict[str, Any]:
        record = self.frame.iloc[i]
        return {self.columns.get(c, c): record[c] for c in self.frame.columns if c != "_row"}

    def reject(
        self, mask: np.ndarray, reason: str | Sequence[str], column: str | None = None
    ) -> None:
        """Set rows aside (first reason wins) and drop them from the frame."""
        mask = np.asarray(mask, dtype=bool)
        for i in np.flatnonzero(mask):
            value = self.frame.iloc[i][column] if column else None
            self.rejections.add(
                int(self.frame["_row"].iloc[i]),
                reason if isinstance(reason, str) else reason[i],
                raw=self.raw(i),
                column=self.columns.get(column, column) if column else None,
                value=value,
            )
        self.frame = self.frame[~mask].reset_index(drop=True)

    def text(self, column: str) -> pd.Series:
        if column not in self.frame:
            return pd.Series([None] * len(self.frame), index=self.frame.index, dtype=object)
        return self.frame[column]

    def times(self, column: str, options: LoadOptions) -> pd.Series:
        """Parse a date column; rows with a missing or unparseable date are rejected."""
        values = self.text(column)
        dayfirst = options.dayfirst
        if dayfirst is None:
            # LinkedIn writes numeric dates month-first (3/12/24); a spreadsheet re-save may
            # have turned them day-first, which a day above 12 shows: then the values decide.
            first = values.astype("str").str.extract(_NUMERIC_DATE)[0].astype("float")
            dayfirst = None if bool((first > 12).any()) else False
        parsed = parse_timestamps(
            values,
            tz=options.tz,
            dayfirst=dayfirst,
            source=self.label,
            column=self.columns.get(column, column),
        )
        self.notes.extend(n for n in parsed.notes if "as asked" not in n and n not in self.notes)
        bad = parsed.bad
        missing = values.isna().to_numpy() & ~bad
        self.frame["_time"] = parsed.values.to_numpy()
        reasons = np.where(bad, "unparseable date", "missing date")
        self.reject(bad | missing, list(reasons), column)
        return self.frame.pop("_time")


def read_sheet(file: ExportFile, sensitive: bool) -> Sheet:
    date_column = _DATE_COLUMN.get(file.kind)
    index: dict[str, int] = {}

    def is_header(cells: list[str]) -> bool:
        if classify_header(cells) != file.kind:
            return False
        index.update({_norm(c): i for i, c in enumerate(cells)})
        return True

    def plausible(cells: list[str]) -> bool:
        if date_column is None or date_column not in index:
            return True
        return bool(_LOOKS_LIKE_DATE.search(cells[index[date_column]]))

    table = read_records(file.data, source=file.label, is_header=is_header, is_plausible=plausible)
    names = [_norm(h) for h in table.header]
    columns = dict(zip(names, table.header, strict=True))
    keep = [
        i
        for i, n in enumerate(names)
        if n and (sensitive or n != "question and answers") and names.index(n) == i
    ]
    frame = pd.DataFrame(
        [[_cell(r.cells[i]) for i in keep] for r in table.records],
        columns=[names[i] for i in keep],
        dtype=object,
    )
    frame["_row"] = np.array([r.number for r in table.records], dtype=np.int64)
    rejections = Rejections(file.label)
    for bad in table.bad:
        raw = {table.header[i]: c for i, c in enumerate(bad.cells[: len(table.header)])}
        rejections.add(
            bad.number,
            f"{bad.reason} (the row starts on line {bad.line}); the rest of the file was read",
            raw=raw,
        )
    notes = list(table.notes)
    if not sensitive and "question and answers" in names:
        notes.append(
            "column 'Question And Answers' not loaded: it can hold answers about veteran "
            "status, disability and ethnicity (pass include_sensitive=True to load it)"
        )
    return Sheet(file.kind, file.label, columns, frame, table.rows_read, rejections, notes)


def _cell(value: str) -> str | None:
    value = value.strip()
    return value or None


# --------------------------------------------------------------------------------------
# Cleaning each kind into the tables the lead builder takes
# --------------------------------------------------------------------------------------


def clean_connections(sheet: Sheet, options: LoadOptions) -> pd.DataFrame:
    first, last = sheet.text("first name"), sheet.text("last name")
    name = (first.fillna("") + " " + last.fillna("")).str.strip()
    sheet.frame["_name"] = name.where(name != "").to_numpy()
    sheet.frame["_url"] = [normalize_profile_url(u) for u in sheet.text("url")]
    nobody = sheet.frame["_name"].isna() & sheet.frame["_url"].isna()
    sheet.reject(
        nobody.to_numpy(), "a connection with neither name nor profile URL cannot be matched"
    )
    time = sheet.times("connected on", options)
    return pd.DataFrame(
        {
            "name": sheet.frame["_name"],
            "url": sheet.frame["_url"],
            "email": sheet.text("email address"),
            "company": sheet.text("company"),
            "position": sheet.text("position"),
            "time": time,
            "src": sheet.label,
            "src_row": sheet.frame["_row"],
        }
    )


def _direction(values: pd.Series) -> pd.Series:
    return values.map(
        lambda v: DIRECTION_ALIASES.get(normalize_label(v)) if isinstance(v, str) else None
    )


def clean_invitations(sheet: Sheet, options: LoadOptions) -> pd.DataFrame:
    direction = _direction(sheet.text("direction"))
    sheet.reject(
        direction.isna().to_numpy(),
        "unknown invitation direction (expected INCOMING or OUTGOING)",
        "direction",
    )
    direction = _direction(sheet.text("direction"))
    time = sheet.times("sent at", options)
    direction = _direction(sheet.text("direction"))
    out = direction == "outbound"
    other_name = sheet.text("to").where(out, sheet.text("from"))
    url_in = sheet.text("inviteeprofileurl").where(out, sheet.text("inviterprofileurl"))
    other_url = pd.Series([normalize_profile_url(u) for u in url_in], dtype=object)
    frame = pd.DataFrame(
        {
            "other_name": other_name.to_numpy(),
            "other_url": other_url.to_numpy(),
            "direction": direction.to_numpy(),
            "note": sheet.text("message").notna().to_numpy(),
            "time": time.to_numpy(),
            "src": sheet.label,
            "src_row": sheet.frame["_row"].to_numpy(),
        }
    )
    nobody = frame["other_name"].isna() & frame["other_url"].isna()
    if nobody.any():
        sheet.reject(nobody.to_numpy(), "the invitation names no other person")
        frame = frame[~nobody].reset_index(drop=True)
    with_note = int(frame["note"].sum())
    sheet.notes.append(
        f"{with_note} invitation(s) with a note, {len(frame) - with_note} without "
        "(column invitation_note); LinkedIn lists only about the last six months of invitations"
    )
    return frame


def _split(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [p.strip() for p in value.split(",") if p.strip()]


def clean_messages(sheet: Sheet, options: LoadOptions) -> pd.DataFrame:
    draft = np.zeros(len(sheet.frame), dtype=bool)
    for column in ("is message draft", "is conversation draft"):
        draft |= sheet.text(column).map(lambda v: str(v).strip().lower() in _YES).to_numpy(bool)
    if draft.any():
        sheet.notes.append(f"{int(draft.sum())} draft message(s) set aside: never sent")
    sheet.reject(draft, "draft (never sent): not an interaction")
    old = sheet.kind == "messages_old"
    if old:
        direction = _direction(sheet.text("direction"))
        sheet.reject(
            direction.isna().to_numpy(),
            "unknown message direction (expected INCOMING or OUTGOING)",
            "direction",
        )
    else:
        sheet.reject(
            sheet.text("conversation id").isna().to_numpy(),
            "missing conversation id",
            "conversation id",
        )
        nobody = sheet.text("from").isna() & sheet.text("sender profile url").isna()
        sheet.reject(nobody.to_numpy(), "the message names no sender", "from")
    time = sheet.times("date", options)
    frame = pd.DataFrame(
        {
            "sender_name": sheet.text("from").to_numpy(),
            "sender_url": [normalize_profile_url(u) for u in sheet.text("sender profile url")],
            "recipient_names": [_split(v) for v in sheet.text("to")],
            "recipient_urls": [
                [u for u in map(normalize_profile_url, _split(v)) if u]
                for v in sheet.text("recipient profile urls")
            ],
            "time": time.to_numpy(),
            "title": sheet.text("conversation title").to_numpy(),
            "src": sheet.label,
            "src_row": sheet.frame["_row"].to_numpy(),
        },
        index=range(len(sheet.frame)),
    )
    if old:
        from_me = (_direction(sheet.text("direction")) == "outbound").to_numpy()
        frame["from_me"] = from_me
        other = np.where(from_me, sheet.text("to").to_numpy(), sheet.text("from").to_numpy())
        frame["conv"] = [
            "old:" + "|".join(sorted(k for k in map(name_key, _split(o)) if k)) for o in other
        ]
        sheet.notes.append("old export: direction read from the Direction column")
    else:
        frame["conv"] = sheet.text("conversation id").to_numpy()
    return frame


def clean_applications(sheet: Sheet, options: LoadOptions) -> pd.DataFrame:
    time = sheet.times("application date", options)
    company = sheet.text("company name")
    title = sheet.text("job title")
    url = sheet.text("job url")
    lead = [
        "linkedin:job:" + " | ".join(str(x) for x in (c, t, u or "") if x) + f" | {ts.isoformat()}"
        for c, t, u, ts in zip(company, title, url, time, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "lead": lead,
            "stage": "contacted",
            "timestamp": time.to_numpy(),
            "company": company.to_numpy(),
            "direction": "outbound",
            "channel": "LinkedIn Jobs",
            "touch": "job application",
            "lead_kind": "application",
            "job_title": title.to_numpy(),
            "job_url": url.to_numpy(),
            "src": sheet.label,
            "src_row": sheet.frame["_row"].to_numpy(),
        },
        index=range(len(sheet.frame)),
    )
    if "question and answers" in sheet.frame:
        frame["question_and_answers"] = sheet.text("question and answers").to_numpy()
    return frame
