"""Email (mbox, e.g. Google Takeout ``Mail/*.mbox``) -> one lead per thread.

How a mailbox becomes events:

* **Messages.** A line starting with ``From `` at the start of the file or after a blank
  line begins a message (the mbox rule of :mod:`mailbox`, made stricter so an unescaped
  ``From`` in a body does not split a message). Only the headers are parsed, with
  :mod:`email` and ``policy=email.policy.default`` (RFC 2047 encoded names and subjects
  are decoded); bodies are never read, so no message text reaches the events.
* **Each message is one source row**, kept or rejected with a reason: Gmail ``Chat``
  items, ``Drafts`` and ``Spam``; a ``Message-ID`` already seen (the same message
  exported twice); a missing or malformed ``Date`` that the mbox ``From `` line cannot
  replace; automated mail (no-reply/mailer-daemon/postmaster senders, ``Precedence:
  bulk/list/junk``, ``List-Unsubscribe``/``List-Id``, ``Auto-Submitted`` other than
  ``no``, delivery reports, "Out of office"/"Automatic reply" subjects): such messages
  are neither contacts nor replies; notes to self.
* **Edge cases decided.** A malformed ``Date`` falls back to the date of the mbox ``From``
  line (Gmail writes the receipt time there; the summary counts them), else the message
  is rejected. A message without ``Message-ID`` is kept and deduplicated on its Date,
  From, To and Subject. Raw 8-bit header bytes are read as UTF-8, else Windows-1252.
  Dates without a zone are read in ``tz``.
* **Owner.** ``me=`` (an address or a list; names and URLs in it are ignored here), else
  the senders of ``Sent``-labelled messages (the most frequent is reported), else the
  address present in most messages. A message is outgoing if it is labelled ``Sent`` or
  its sender is an owner address.
* **Threads.** ``X-GM-THRID``, else the first ``References`` id, else ``In-Reply-To``
  (and a message's own ``Message-ID``, so a root joins its replies), else the subject
  without ``Re:``/``Fwd:`` plus the participants.
* **Events.** A thread is a lead ``email:<thread>``: ``contacted`` at its first message
  (``outbound`` if the owner sent it, else ``inbound``) and ``responded`` at the first
  later message from the other side (an incoming person for an outbound thread, the owner
  for an inbound one). The channel is ``cold_email`` (raw label ``email``) unless a user
  label of the thread is in ``channel_map`` or names a channel (a ``Referrals`` or
  ``Jobs/Recruiters`` label). ``contact`` is the other person's display name (else the
  address), ``contact_email`` their address. ``labels=`` keeps only threads carrying one
  of the given Gmail labels (the others are rejected with that reason).
* **Privacy**: the summary names the personal fields present; ``pseudonymize=True,
  salt=...`` replaces them by pseudonyms (:mod:`netanalysis.io.privacy`).

Examples:
    >>> from netanalysis.io.options import LoadOptions
    >>> from netanalysis.io.registry import Item
    >>> box = (b"From 1@xxx Mon Mar 04 09:00:00 +0000 2024\\n"
    ...        b"From: Jane Doe <jane@example.com>\\nTo: Dana Whitfield <dana@acme.com>\\n"
    ...        b"Subject: Hello\\nDate: Mon, 4 Mar 2024 09:00:00 +0000\\n"
    ...        b"Message-ID: <a1@example.com>\\nX-Gmail-Labels: Sent\\n\\nHi Dana\\n\\n"
    ...        b"From 2@xxx Tue Mar 05 10:00:00 +0000 2024\\n"
    ...        b"From: Dana Whitfield <dana@acme.com>\\nTo: jane@example.com\\n"
    ...        b"Subject: Re: Hello\\nDate: Tue, 5 Mar 2024 10:00:00 +0000\\n"
    ...        b"Message-ID: <b2@acme.com>\\nIn-Reply-To: <a1@example.com>\\n"
    ...        b"X-Gmail-Labels: Inbox\\n\\nHi Jane\\n")
    >>> [res] = read_mbox(Item("inbox.mbox", data=box), LoadOptions())
    >>> res.events[["channel", "stage", "direction", "contact"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'channel': 'cold_email', 'stage': 'contacted', 'direction': 'outbound',
      'contact': 'Dana Whitfield'},
     {'channel': 'cold_email', 'stage': 'responded', 'direction': 'outbound',
      'contact': 'Dana Whitfield'}]
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from netanalysis.errors import UnknownFormatError
from netanalysis.io.identity import mask_email, normalize_email, owner_addresses
from netanalysis.io.normalize import to_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.privacy import check_privacy_options, protect_source
from netanalysis.io.registry import Item, Loader
from netanalysis.io.rejects import Rejections
from netanalysis.io.result import SourceResult
from netanalysis.schema import CHANNEL_ALIASES, normalize_label

__all__ = ["LOADER", "read_mbox", "split_mbox"]

_FROM_LINE = re.compile(rb"^From [^\n]*", re.MULTILINE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MSG_ID = re.compile(r"<[^<>\s]+>")
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv|wg|tr|rv|antw|vs)\s*(\[\d+\])?\s*:\s*)+", re.I)
_AUTOMATED_LOCAL = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|"
    r"notifications?|noreply[-_.].*|.*[-_.]noreply)(\+.*)?$",
    re.I,
)
_AUTO_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto:|"
    r"undeliverable|delivery status notification|returned mail|abwesenheitsnotiz|"
    r"réponse automatique|respuesta automática)",
    re.I,
)
_FROM_LINE_FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%a %b %d %H:%M:%S %Y")
_SYSTEM_LABELS = frozenset(
    {
        "inbox",
        "sent",
        "important",
        "starred",
        "unread",
        "opened",
        "archived",
        "drafts",
        "draft",
        "spam",
        "trash",
        "chat",
        "chats",
        "muted",
    }
)
_REJECT_LABELS = (("chat", "chat message (Gmail Chat/Hangouts item), not email"),
                  ("chats", "chat message (Gmail Chat/Hangouts item), not email"),
                  ("drafts", "draft (never sent)"), ("draft", "draft (never sent)"),
                  ("spam", "spam"))  # fmt: skip


@dataclass
class _Mail:
    """What netanalysis reads of one message: headers only."""

    row: int
    raw: dict[str, Any]
    message_id: str | None = None
    dedupe_key: str = ""
    thread_id: str | None = None
    first_reference: str | None = None
    in_reply_to: str | None = None
    subject: str = ""
    labels: tuple[str, ...] = ()
    sender: tuple[str, str] | None = None
    recipients: list[tuple[str, str]] = field(default_factory=list)
    date: datetime | None = None
    date_from_line: bool = False
    automated: str | None = None
    eight_bit: bool = False
    reject: tuple[str, str | None, Any] | None = None
    outgoing: bool = False
    others: list[tuple[str, str]] = field(default_factory=list)


def split_mbox(data: bytes) -> list[tuple[bytes, bytes]]:
    """Split mbox bytes into ``(From line, header bytes)`` per message; bodies are cut off.

    A ``From `` line begins a message when it is the first line or follows a blank line.

    Examples:
        >>> split_mbox(b"From a\\nSubject: x\\n\\nbody\\nFrom here\\n\\nFrom b\\nSubject: y\\n\\n")
        [(b'From a', b'Subject: x\\n\\n'), (b'From b', b'Subject: y\\n\\n')]
    """
    first = len(data) - len(data.lstrip())  # a file may start with blank lines
    starts: list[tuple[int, int]] = []
    for match in _FROM_LINE.finditer(data):
        p = match.start()
        previous = data[data.rfind(b"\n", 0, max(p - 1, 0)) + 1 : max(p - 1, 0)]
        if p == first or (p > 0 and not previous.strip()):
            starts.append((p, match.end()))
    out = []
    for i, (p, line_end) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
        body_start = line_end + 1 if data[line_end : line_end + 1] == b"\n" else line_end
        header_end = _HEADER_END.search(data, body_start, end)
        headers = data[body_start : header_end.end() if header_end else end]
        out.append((data[p:line_end].rstrip(b"\r"), headers))
    return out


def _fix_text(text: str) -> tuple[str, bool]:
    """Undo surrogate escapes of raw 8-bit header bytes: UTF-8, else Windows-1252."""
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return text, False
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), True


def _header(message: EmailMessage, name: str) -> Any:
    """A parsed header, or its raw text when the email package cannot parse it."""
    try:
        return message.get(name)
    except Exception:  # the email package raises assorted errors on malformed headers
        for key, value in message.raw_items():
            if key.lower() == name.lower():
                return str(value)
        return None


def _raw_text(raw: dict[str, str], name: str) -> tuple[str | None, bool]:
    """A header's raw value, unfolded (for headers that are never RFC 2047 encoded)."""
    value = raw.get(name.lower())
    if value is None:
        return None, False
    text, eight_bit = _fix_text(str(value))
    text = " ".join(text.split())
    return (text or None), eight_bit


def _text(
    message: EmailMessage, name: str, raw: dict[str, str] | None = None
) -> tuple[str | None, bool]:
    """A header's text, RFC 2047 decoded by the email package when it has encoded words."""
    if raw is not None and "=?" not in str(raw.get(name.lower(), "")):
        return _raw_text(raw, name)
    value = _header(message, name)
    if value is None:
        return None, False
    try:
        text = str(value)
    except Exception:  # a header object that cannot render itself: fall back to raw
        text = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    text, eight_bit = _fix_text(text)
    text = " ".join(text.split())
    return (text or None), eight_bit


def _addresses(
    message: EmailMessage, name: str, raw: dict[str, str]
) -> tuple[list[tuple[str, str]], bool]:
    """``(address, display name)`` pairs of an address header, addresses lower-cased.

    Plain ASCII headers take :func:`email.utils.getaddresses` (fast); headers with
    encoded words or 8-bit bytes take the ``policy.default`` parser, which decodes them.
    """
    text = raw.get(name.lower())
    if text is None:
        return [], False
    pairs: list[tuple[str, str]] = []
    value: Any = text
    try:
        if "=?" in text or not text.isascii():
            value = _header(message, name)
            pairs = [(a.addr_spec, a.display_name) for a in value.addresses]
        else:
            pairs = [(addr, display) for display, addr in getaddresses([text])]
    except Exception:  # unparseable as an address list: use the lenient parser
        try:
            pairs = [(addr, display) for display, addr in getaddresses([str(value)])]
        except Exception:  # pragma: no cover - getaddresses is total on str in practice
            pairs = []
    out = []
    eight_bit = False
    for addr, display in pairs:
        addr, bad_a = _fix_text(addr or "")
        display, bad_d = _fix_text(display or "")
        eight_bit |= bad_a or bad_d
        address = normalize_email(addr) or addr.strip().lower()
        if address:
            out.append((address, " ".join(display.split()).strip("'\" ")))
    return out, eight_bit


def _first_id(text: str | None) -> str | None:
    if not text:
        return None
    found = _MSG_ID.search(text)
    return found.group(0) if found else (text.strip() or None)


def _from_line_date(line: bytes) -> datetime | None:
    parts = line.decode("latin-1").split()
    for start in (2, 1):
        candidate = " ".join(parts[start:])
        for fmt in _FROM_LINE_FORMATS:
            try:
                parsed = datetime.strptime(candidate, fmt)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _labels(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    try:
        row = next(csv.reader([text], skipinitialspace=True), [])
    except csv.Error:
        row = text.split(",")
    return tuple(label.strip() for label in row if label.strip())


def _automated(raw: dict[str, str], sender: tuple[str, str] | None, subject: str) -> str | None:
    if sender is not None:
        local = sender[0].split("@", 1)[0]
        if _AUTOMATED_LOCAL.match(local):
            return f"automated sender ({local}@...)"
    precedence = (_raw_text(raw, "Precedence")[0] or "").lower()
    if precedence in ("bulk", "list", "junk"):
        return f"bulk mail (Precedence: {precedence})"
    for name in ("List-Unsubscribe", "List-Id"):
        if _raw_text(raw, name)[0]:
            return f"mailing-list mail ({name})"
    auto = (_raw_text(raw, "Auto-Submitted")[0] or "").lower()
    if auto and auto != "no":
        return f"auto-reply (Auto-Submitted: {auto})"
    for name in ("X-Autoreply", "X-Autorespond"):
        if _raw_text(raw, name)[0]:
            return f"auto-reply ({name})"
    content_type = (_raw_text(raw, "Content-Type")[0] or "").lower()
    if "multipart/report" in content_type:
        return "delivery report (bounce)"
    if _AUTO_SUBJECT.match(subject):
        return "auto-reply (subject says so)"
    return None


def _read_message(row: int, from_line: bytes, header: bytes) -> _Mail:
    message = BytesParser(policy=policy.default).parsebytes(header, headersonly=True)
    mail = _Mail(row=row, raw={})
    if not list(message.keys()):
        mail.reject = (
            "not an email message (no headers; perhaps an unescaped 'From ' line in a body)",
            None,
            None,
        )
        return mail
    raw: dict[str, str] = {}
    for key, value in message.raw_items():
        raw.setdefault(key.lower(), str(value))
    texts = {}
    for name in ("Date", "Message-ID", "X-GM-THRID"):
        texts[name], eight_bit = _raw_text(raw, name)
        mail.eight_bit |= eight_bit
    for name in ("X-Gmail-Labels", "Subject"):
        texts[name], eight_bit = _text(message, name, raw)
        mail.eight_bit |= eight_bit
    mail.raw = {k: texts[k] for k in ("Date", "Message-ID", "X-Gmail-Labels", "X-GM-THRID")}
    senders, bad_from = _addresses(message, "From", raw)
    recipients: list[tuple[str, str]] = []
    bad_to = False
    for name in ("To", "Cc"):
        found, bad = _addresses(message, name, raw)
        recipients.extend(found)
        bad_to |= bad
    mail.eight_bit |= bad_from or bad_to
    mail.sender = senders[0] if senders else None
    mail.recipients = recipients
    mail.labels = _labels(texts["X-Gmail-Labels"])
    mail.thread_id = texts["X-GM-THRID"]
    mail.message_id = _first_id(texts["Message-ID"])
    mail.first_reference = _first_id(_raw_text(raw, "References")[0])
    mail.in_reply_to = _first_id(_raw_text(raw, "In-Reply-To")[0])
    mail.subject = _SUBJECT_PREFIX.sub("", texts["Subject"] or "").strip().lower()
    if mail.message_id:
        mail.dedupe_key = "id:" + mail.message_id
    else:
        parts = [texts["Date"] or "", repr(mail.sender), repr(recipients), texts["Subject"] or ""]
        mail.dedupe_key = "hash:" + hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
    mail.date = _message_date(texts["Date"])
    if mail.date is None:
        mail.date = _from_line_date(from_line)
        mail.date_from_line = mail.date is not None
        if mail.date is None:
            problem = "malformed Date header" if texts["Date"] else "missing Date header"
            mail.reject = (problem, "Date", texts["Date"])
    mail.automated = _automated(raw, mail.sender, mail.subject)
    return mail


def _message_date(text: str | None) -> datetime | None:
    """The Date header as a datetime (naive when it has no zone), None if malformed."""
    if not text:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not isinstance(parsed, datetime) or not 1900 <= parsed.year <= 2200:
        return None
    return parsed


def _thread_components(mails: list[_Mail]) -> np.ndarray:
    """Thread number of each message: messages linked by shared thread keys."""
    keys: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    n = len(mails)

    def connect(i: int, key: str) -> None:
        rows.append(i)
        cols.append(n + keys.setdefault(key, len(keys)))

    for i, mail in enumerate(mails):
        connect(i, "own:" + mail.dedupe_key)
        if mail.message_id:
            connect(i, "id:" + mail.message_id)
        if mail.thread_id:
            connect(i, "gm:" + mail.thread_id)
            continue
        linked = False
        for ref in (mail.first_reference, mail.in_reply_to):
            if ref:
                connect(i, "id:" + ref)
                linked = True
        if not linked:
            people = {a for a, _ in [*([mail.sender] if mail.sender else []), *mail.recipients]}
            connect(i, "subject:" + mail.subject + "|" + ",".join(sorted(people)))
    size = n + len(keys)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    return labels[:n]


def _channel_label(labels: Iterable[str], channel_map: dict[str, str] | None) -> str:
    """The first user label naming a channel (via channel_map or the aliases), else email."""
    mapped = {normalize_label(k) for k in (channel_map or {})}
    for label in labels:
        if normalize_label(label) in _SYSTEM_LABELS or label.lower().startswith("category "):
            continue
        for candidate in (label, label.rsplit("/", 1)[-1]):
            key = normalize_label(candidate)
            if key in mapped:
                return candidate
            alias = CHANNEL_ALIASES.get(key)
            if alias is not None and alias != "other":
                return candidate
    return "email"


def _find_owner(mails: list[_Mail], me: Any) -> tuple[set[str], str]:
    given = owner_addresses(me)
    if given:
        return given, f"owner's address(es) given with me= ({len(given)})"
    note_ignored = " (me= names no email address, so it was not used here)" if me else ""
    sent = Counter(
        m.sender[0] for m in mails if m.sender and any(x.lower() == "sent" for x in m.labels)
    )
    if sent:
        top = sent.most_common(1)[0][0]
        return set(sent), (
            f"owner found as the most frequent sender of Sent-labelled messages "
            f"({mask_email(top)}; {len(sent)} address(es)){note_ignored}; pass me= to set it"
        )
    present: Counter[str] = Counter()
    for m in mails:
        present.update({a for a, _ in [*([m.sender] if m.sender else []), *m.recipients]})
    if not present:
        return set(), "no owner found (no addresses in the messages); pass me="
    top = present.most_common(1)[0][0]
    return {top}, (
        f"no Sent label: owner guessed as the address present in most messages "
        f"({mask_email(top)}){note_ignored}; pass me= to set it"
    )


def _lead_id(thread: list[_Mail]) -> str:
    ids = sorted(m.thread_id for m in thread if m.thread_id)
    if ids:
        return "email:" + ids[0]
    root = min(m.dedupe_key for m in thread)
    return "email:" + hashlib.sha1(root.encode()).hexdigest()[:16]


def _person(pair: tuple[str, str]) -> tuple[str, str]:
    address, name = pair
    return (name or address), address


def read_mbox(item: Item, options: LoadOptions) -> list[SourceResult]:
    """Read an mbox file into events: one lead per thread (see the module docs)."""
    salt = check_privacy_options(options.extra)
    data = item.data or b""
    chunks = split_mbox(data)
    if not chunks:
        raise UnknownFormatError(
            "not an mbox file: no line starts with 'From '",
            file=item.label,
            hint="export the mailbox again (Google Takeout: Mail, format mbox)",
        )
    source = item.label
    mails = [_read_message(i + 1, line, header) for i, (line, header) in enumerate(chunks)]
    rejections = Rejections(source)
    notes: list[str] = ["headers only: message bodies are not read"]
    seen: dict[str, int] = {}
    candidates: list[_Mail] = []
    for mail in mails:
        lowered = {x.lower() for x in mail.labels}
        reason = next((why for label, why in _REJECT_LABELS if label in lowered), None)
        if mail.reject is None and reason is not None:
            mail.reject = (reason, "X-Gmail-Labels", ", ".join(mail.labels))
        if mail.reject is None and mail.dedupe_key in seen:
            what = "Message-ID" if mail.message_id else "Date, From, To and Subject (no Message-ID)"
            mail.reject = (
                f"duplicate message (same {what} as row {seen[mail.dedupe_key]})",
                "Message-ID" if mail.message_id else None,
                mail.message_id,
            )
        if mail.reject is None:
            seen[mail.dedupe_key] = mail.row
            candidates.append(mail)
    owner, owner_note = _find_owner(candidates, options.extra.get("me"))
    notes.append(owner_note)
    kept: list[_Mail] = []
    for mail in candidates:
        mail.outgoing = any(x.lower() == "sent" for x in mail.labels) or (
            mail.sender is not None and mail.sender[0] in owner
        )
        if mail.outgoing:
            mail.others = [p for p in mail.recipients if p[0] not in owner]
        else:
            mail.others = [mail.sender] if mail.sender else []
        if mail.automated:
            mail.reject = (f"automated message: {mail.automated}; not a contact or a reply",
                           None, None)  # fmt: skip
        elif not mail.others:
            mail.reject = (
                "no other person in the message (note to self)"
                if mail.outgoing
                else "no sender (From header missing or empty)",
                "From" if not mail.outgoing else "To",
                None,
            )
        else:
            kept.append(mail)
    kept = _filter_labels(kept, options.extra.get("labels"))
    frame = _events_frame(kept, options)
    for mail in mails:
        if mail.reject is not None:
            reason, column, value = mail.reject
            rejections.add(mail.row, reason, raw=mail.raw, column=column, value=value)
    notes.extend(_notes(mails, kept, frame, options))
    result = to_events(
        frame,
        source=source,
        loader="mbox",
        format="mbox",
        options=options,
        source_rows=frame["row"].to_numpy(dtype=np.int64),
        rows_read=len(mails),
        rejections=rejections,
        notes=notes,
        extra_columns=["contact_email"],
    )
    return [protect_source(result, salt)]


def _filter_labels(kept: list[_Mail], wanted: Any) -> list[_Mail]:
    if not wanted:
        return kept
    asked = [wanted] if isinstance(wanted, str) else [str(x) for x in wanted]
    targets = {normalize_label(x) for x in asked}
    threads = _thread_components(kept) if kept else np.array([], dtype=int)
    labelled: set[int] = set()
    for mail, thread in zip(kept, threads, strict=True):
        for label in mail.labels:
            parts = label.split("/")
            prefixes = {normalize_label("/".join(parts[: i + 1])) for i in range(len(parts))}
            if prefixes & targets:
                labelled.add(int(thread))
    out = []
    for mail, thread in zip(kept, threads, strict=True):
        if int(thread) in labelled:
            out.append(mail)
        else:
            mail.reject = (f"thread not under the labels asked for (labels={asked})", None, None)
    return out


def _events_frame(kept: list[_Mail], options: LoadOptions) -> pd.DataFrame:
    """One row per event: contacted at a thread's first message, responded at the reply."""
    columns = ["lead", "stage", "timestamp", "channel", "contact", "contact_email", "direction"]
    records: list[dict[str, Any]] = []
    if kept:
        threads = _thread_components(kept)
        by_thread: dict[int, list[_Mail]] = {}
        for mail, thread in zip(kept, threads, strict=True):
            by_thread.setdefault(int(thread), []).append(mail)
        for thread in by_thread.values():
            records.extend(_thread_events(thread, options))
    frame = pd.DataFrame.from_records(records, columns=[*columns, "row"])
    zone = options.tz
    stamps = [
        pd.Timestamp(t).tz_convert("UTC") if t.tzinfo else pd.Timestamp(t).tz_localize(zone)
        for t in frame["timestamp"]
    ]
    frame["timestamp"] = pd.Series(
        pd.DatetimeIndex(stamps, dtype="datetime64[us, UTC]") if stamps else [],
        dtype="datetime64[us, UTC]",
        index=frame.index,
    )
    return frame.sort_values(["row", "stage"], kind="stable").reset_index(drop=True)


def _thread_events(thread: list[_Mail], options: LoadOptions) -> list[dict[str, Any]]:
    ordered = sorted(thread, key=lambda m: (_utc(m.date, options.tz), m.row))
    first = ordered[0]
    lead = _lead_id(ordered)
    labels = [label for m in ordered for label in m.labels]
    channel = _channel_label(labels, dict(options.channel_map or {}))
    direction = "outbound" if first.outgoing else "inbound"
    name, address = _person(first.others[0])
    events = [
        {
            "lead": lead,
            "stage": "contacted",
            "timestamp": first.date,
            "channel": channel,
            "contact": name,
            "contact_email": address,
            "direction": direction,
            "row": first.row,
        }
    ]
    reply = next((m for m in ordered[1:] if m.outgoing != first.outgoing), None)
    if reply is not None:
        replier = reply.others[0] if first.outgoing else first.others[0]
        name, address = _person(replier)
        events.append({**events[0], "stage": "responded", "timestamp": reply.date,
                       "contact": name, "contact_email": address, "row": reply.row})  # fmt: skip
    return events


def _utc(moment: datetime | None, zone: str) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize(zone)


def _notes(
    mails: list[_Mail], kept: list[_Mail], frame: pd.DataFrame, options: LoadOptions
) -> list[str]:
    notes = []
    leads = frame.drop_duplicates("lead") if len(frame) else frame
    if len(leads):
        outbound = int((leads["direction"] == "outbound").sum())
        notes.append(
            f"{len(leads)} thread(s): {outbound} started by the owner (outbound), "
            f"{len(leads) - outbound} by others (inbound)"
        )
    from_line = sum(1 for m in kept if m.date_from_line)
    if from_line:
        notes.append(
            f"{from_line} message(s) with a missing or malformed Date header dated from "
            "the mbox 'From ' line"
        )
    no_id = sum(1 for m in kept if not m.message_id)
    if no_id:
        notes.append(
            f"{no_id} message(s) without Message-ID: duplicates found on Date, From, To and Subject"
        )
    eight_bit = sum(1 for m in mails if m.eight_bit)
    if eight_bit:
        notes.append(
            f"{eight_bit} message(s) with raw 8-bit header bytes, read as UTF-8 (else Windows-1252)"
        )
    naive = sum(1 for m in kept if m.date is not None and m.date.tzinfo is None)
    if naive:
        notes.append(f"{naive} message date(s) without a zone read as {options.tz}")
    return notes


LOADER = Loader(
    name="mbox",
    read=read_mbox,
    claims_file=lambda probe: probe.format == "mbox",
    options=("me", "labels", "pseudonymize", "salt"),
    description="email: an mbox file (Google Takeout Mail), one lead per thread",
)
