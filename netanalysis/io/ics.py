"""Calendar (.ics, e.g. Google Takeout ``Calendar/*.ics``) -> ``meeting`` events.

How a calendar becomes events:

* **Parsing** is :mod:`icalendar`'s (folded lines, ``VTIMEZONE``, parameters, encodings);
  recurrence (``RRULE``, ``RDATE``, ``EXDATE``, ``RECURRENCE-ID`` overrides) is expanded
  by :mod:`recurring_ical_events`, an RFC 5545 implementation, never by hand.
* **Each VEVENT is one source row**, kept or rejected with a reason: no readable
  ``DTSTART``; ``STATUS:CANCELLED`` (a cancelled occurrence override rejects just that
  occurrence); declined by the owner; no attendee other than the owner; every other
  attendee declined; an unreadable recurrence rule, or one repeating more often than
  daily (HOURLY and finer: not meetings with a person, and costly to expand); every
  occurrence after ``as_of`` (scheduled, not yet held).
* **A meeting with a contact** is an event with at least one ``ATTENDEE`` or
  ``ORGANIZER`` who is not the owner, not a room or resource (``CUTYPE=ROOM/RESOURCE``,
  ``resource.calendar.google.com``, ``group.calendar.google.com``) and did not decline.
  Entries without such a person (a gym slot, "Coffee with Sam" typed without inviting
  Sam) are personal entries: rejected with that reason, since no contact can be named.
* **Owner**: ``me=`` (addresses; names and URLs in it are ignored here), else the
  calendar name when it is an address (Google names the main calendar after its owner),
  else the address present in most events.
* **Range**: recurring events are expanded from the first start in the file up to
  ``as_of`` (option; default the file's export time: the latest ``DTSTAMP``,
  ``LAST-MODIFIED`` or ``CREATED``, else the latest start in the file). Occurrences after
  it are scheduled, not held. At most 2,000 occurrences per event are expanded.
* **Times**: zones from ``TZID``/``VTIMEZONE`` are honoured. A ``TZID`` that neither the
  zone database nor a ``VTIMEZONE`` defines (it must not crash the load), floating times
  and all-day dates are read in the calendar's own zone (``X-WR-TIMEZONE``, as
  :mod:`recurring_ical_events` does) when it names a known zone, else in ``tz``; the
  summary says which. All-day events are dated at midnight.
* **Events**: one ``meeting`` event per held occurrence, lead ``meeting:<event uid>``,
  ``contact`` = the organizer if a contact, else the first contact attendee,
  ``contact_email`` their address, ``attendees`` every contact's address (``;``-joined),
  ``direction`` ``inbound`` when a contact organised it, else ``outbound``.
* **Channel**: ``in_person`` by default; ``meeting_mode`` says ``in_person`` (a place in
  ``LOCATION``), ``video`` (a conference link: Meet, Zoom, Teams, ...), ``phone`` or
  ``unknown`` (no location), and ``channel_raw`` holds ``in person``/``video call``/
  ``phone call``/``meeting``, which ``channel_map`` may map. :func:`netanalysis.link` gives a
  video, phone or unlocated meeting that joins a lead the channel of that lead.
  Titles and descriptions are never kept.
* **Privacy**: the summary names the personal fields present; ``pseudonymize=True,
  salt=...`` replaces them (each address in ``attendees`` gets the pseudonym it gets in
  ``contact_email``, so linking still joins them).

Examples:
    >>> from netanalysis.io.options import LoadOptions
    >>> from netanalysis.io.registry import Item
    >>> ics = (b"BEGIN:VCALENDAR\\r\\nVERSION:2.0\\r\\nX-WR-CALNAME:jane@example.com\\r\\n"
    ...        b"BEGIN:VEVENT\\r\\nUID:c1\\r\\nDTSTART:20240305T150000Z\\r\\n"
    ...        b"DTSTAMP:20240401T000000Z\\r\\nLOCATION:Blue Bottle\\\\, Main St\\r\\n"
    ...        b"ORGANIZER:mailto:jane@example.com\\r\\n"
    ...        b"ATTENDEE;CN=Dana Whitfield;PARTSTAT=ACCEPTED:mailto:dana@acme.com\\r\\n"
    ...        b"END:VEVENT\\r\\nEND:VCALENDAR\\r\\n")
    >>> [res] = read_ics(Item("cal.ics", data=ics), LoadOptions())
    >>> res.events[["channel", "stage", "contact", "meeting_mode"]].to_dict("records")
    [{'channel': 'in_person', 'stage': 'meeting', 'contact': 'Dana Whitfield', 'meeting_mode': 'in_person'}]
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import numpy as np
import pandas as pd
import recurring_ical_events

from netanalysis.errors import InputError, ParameterError
from netanalysis.io.identity import mask_email, normalize_email, owner_addresses
from netanalysis.io.normalize import to_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.privacy import check_privacy_options, protect_source
from netanalysis.io.registry import Item, Loader
from netanalysis.io.rejects import Rejections
from netanalysis.io.result import SourceResult
from netanalysis.schema import channel_of, normalize_label

__all__ = ["LOADER", "MAX_OCCURRENCES", "read_ics"]

#: Occurrences expanded per event at most (a guard against FREQ=SECONDLY for years).
MAX_OCCURRENCES = 2000

_SYSTEM_DOMAINS = (
    "resource.calendar.google.com",
    "group.calendar.google.com",
    "group.v.calendar.google.com",
    "import.calendar.google.com",
)
_VIDEO = re.compile(
    r"meet\.google\.com|zoom\.us|teams\.microsoft\.com|teams\.live\.com|webex\.com|"
    r"whereby\.com|gotomeeting|gotomeet\.me|chime\.aws|meet\.jit\.si|bluejeans\.com|"
    r"skype|facetime|discord\.gg|\bzoom\b|\bteams\b|google meet|video call",
    re.I,
)
_PHONE = re.compile(r"^\s*(tel:|phone\b|call\b|\+?[\d\s().\-]{7,}$)", re.I)
_VIDEO_PROPERTIES = ("CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL")
_MODE_LABEL = {
    "in_person": "in person",
    "video": "video call",
    "phone": "phone call",
    "unknown": "meeting",
}


@dataclass
class _Row:
    """One VEVENT and what was decided about it."""

    row: int
    component: Any
    uid: str
    calendar: int = 0
    recurrence_id: pd.Timestamp | None = None
    start: Any = None
    tzid: str | None = None
    people: list[tuple[str, str, str, str]] = field(default_factory=list)
    organizer: str | None = None
    reject: str | None = None
    column: str | None = None
    value: Any = None
    held: int = 0


def _prop(component: Any, name: str) -> Any:
    try:
        return component.get(name)
    except Exception:  # icalendar raises on some broken values: treat as absent
        return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _dt(prop: Any) -> Any:
    """The date/datetime of a property, or None when missing or unreadable."""
    if prop is None:
        return None
    try:
        value = prop.dt
    except Exception:  # icalendar's BrokenCalendarProperty and friends
        return None
    return value if isinstance(value, (date, datetime)) else None


def _stamp(value: Any, tz: str) -> pd.Timestamp | None:
    """A date or datetime as a UTC timestamp (naive and all-day values read in ``tz``)."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize(tz, nonexistent="shift_forward", ambiguous=True)
        return stamp.tz_convert("UTC")
    except (ValueError, OverflowError, TypeError):
        return None


def _text(value: Any) -> str:
    try:
        return str(value) if value is not None else ""
    except Exception:  # pragma: no cover - vText always renders
        return ""


def _people(component: Any) -> tuple[list[tuple[str, str, str, str]], str | None]:
    """(address, name, partstat, cutype) of organizer and attendees; the organizer."""
    out: list[tuple[str, str, str, str]] = []
    organizer = None
    for name in ("ORGANIZER", "ATTENDEE"):
        for person in _as_list(_prop(component, name)):
            params = getattr(person, "params", {}) or {}
            address = normalize_email(_text(person))
            if address is None:
                continue
            display = " ".join(_text(params.get("CN", "")).split()).strip("'\" ")
            partstat = _text(params.get("PARTSTAT", "")).upper()
            cutype = _text(params.get("CUTYPE", "")).upper()
            if name == "ORGANIZER":
                organizer = address
            out.append((address, display, partstat, cutype))
    return out, organizer


def _find_owner(calendars: list[Any], rows: list[_Row], me: Any) -> tuple[set[str], str]:
    given = owner_addresses(me)
    if given:
        return given, f"owner's address(es) given with me= ({len(given)})"
    for calendar in calendars:
        address = normalize_email(_text(_prop(calendar, "X-WR-CALNAME")))
        if address:
            return {address}, (
                f"owner found as the calendar's name ({mask_email(address)}); pass me= to set it"
            )
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update({p[0] for p in row.people})
    if not counts:
        return set(), "no owner found (no attendees); pass me="
    top = counts.most_common(1)[0][0]
    return {top}, (
        f"owner guessed as the address present in most events ({mask_email(top)}); "
        "pass me= to set it"
    )


def _contacts(row: _Row, owner: set[str]) -> list[tuple[str, str, str, str]]:
    seen: dict[str, tuple[str, str, str, str]] = {}
    for person in row.people:
        address, _, _, cutype = person
        if address in owner or cutype in ("ROOM", "RESOURCE"):
            continue
        if address.endswith(_SYSTEM_DOMAINS):
            continue
        if address not in seen or (not seen[address][1] and person[1]):
            seen[address] = person
    return list(seen.values())


def _mode(component: Any) -> str:
    if any(_prop(component, name) is not None for name in _VIDEO_PROPERTIES):
        return "video"
    location = _text(_prop(component, "LOCATION")).strip()
    searchable = " ".join(
        [location, _text(_prop(component, "URL")), _text(_prop(component, "DESCRIPTION"))]
    )
    if _VIDEO.search(searchable):
        return "video"
    if location and _PHONE.match(location):
        return "phone"
    return "in_person" if location else "unknown"


def _as_of(option: Any, rows: list[_Row], tz: str) -> tuple[pd.Timestamp | None, str]:
    if option is not None:
        try:
            stamp = _stamp(pd.Timestamp(option).to_pydatetime(), tz)
        except (ValueError, TypeError) as exc:
            raise ParameterError(
                f"The 'as_of' parameter of load must be a date or a datetime. Got {option!r}."
            ) from exc
        return stamp, "meetings counted up to as_of="
    stamps = [
        _stamp(_dt(_prop(r.component, name)), tz)
        for r in rows
        for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED")
    ]
    stamps = [s for s in stamps if s is not None]
    if stamps:
        latest = max(stamps)
        return latest, (
            f"meetings counted up to the calendar's export time {latest:%Y-%m-%d %H:%M} UTC "
            "(latest DTSTAMP/LAST-MODIFIED); later ones are scheduled, not held; pass as_of= "
            "to change"
        )
    starts = [_stamp(r.start, tz) for r in rows if r.start is not None]
    starts = [s for s in starts if s is not None]
    if not starts:
        return None, ""
    return max(
        starts
    ), "no export time in the file: recurring meetings expanded up to the latest start"


def read_ics(item: Item, options: LoadOptions) -> list[SourceResult]:
    """Read an iCalendar file into ``meeting`` events (see the module docs)."""
    source = item.label
    salt = check_privacy_options(options.extra)
    try:
        calendars = icalendar.Calendar.from_ical(item.data or b"", multiple=True)
    except Exception as exc:  # icalendar raises ValueError and others on unreadable text
        raise InputError(
            f"not a readable iCalendar file ({str(exc)[:120]})",
            file=source,
            hint="export the calendar again as .ics (Google Takeout: Calendar)",
        ) from exc
    tz = options.tz
    rows: list[_Row] = []
    for number, calendar in enumerate(calendars):
        for component in calendar.walk("VEVENT"):
            rows.append(_read_row(len(rows) + 1, component, number))
    owner, owner_note = _find_owner(calendars, rows, options.extra.get("me"))
    notes = [owner_note, "titles and descriptions are not read"]
    for row in rows:
        _decide(row, owner)
    as_of, range_note = _as_of(options.extra.get("as_of"), rows, tz)
    if range_note:
        notes.append(range_note)
    records: list[dict[str, Any]] = []
    capped = 0
    zones = [_calendar_zone(calendar) for calendar in calendars]
    for number, calendar in enumerate(calendars):
        own = [r for r in rows if r.calendar == number]
        zone = zones[number][0]
        capped += _expand(calendar, zone, own, owner, as_of, tz, options.channel_map, records)
    rejections = Rejections(source)
    for row in rows:
        if row.reject is None and row.held == 0:
            start = _stamp(row.start, tz)
            if as_of is not None and start is not None and start > as_of:
                row.reject = "scheduled after as_of (the export time): not yet held"
            else:
                row.reject = "no occurrence left (every date excluded, moved or cancelled)"
        if row.reject is not None:
            raw = {"UID": row.uid, "DTSTART": _text(row.start) if row.start else None}
            rejections.add(row.row, row.reject, raw=raw, column=row.column, value=row.value)
    notes.extend(_notes(rows, zones, capped, tz))
    frame = pd.DataFrame.from_records(
        records,
        columns=["lead", "stage", "timestamp", "channel", "channel_label", "contact",
                 "contact_email", "attendees", "meeting_mode", "direction", "row"],
    )  # fmt: skip
    frame["timestamp"] = pd.Series(
        pd.DatetimeIndex(frame["timestamp"].tolist(), dtype="datetime64[us, UTC]")
        if len(frame)
        else [],
        dtype="datetime64[us, UTC]",
        index=frame.index,
    )
    frame = frame.sort_values(["row", "timestamp"], kind="stable").reset_index(drop=True)
    result = to_events(
        frame,
        source=source,
        loader="ics",
        format="ics",
        options=options,
        source_rows=frame["row"].to_numpy(dtype=np.int64),
        rows_read=len(rows),
        rejections=rejections,
        notes=notes,
        extra_columns=["contact_email", "attendees", "meeting_mode", "channel_label"],
    )
    events = result.events
    events["channel_raw"] = events.pop("channel_label").astype("str")
    # With a salt, each address of `attendees` gets the pseudonym it gets in
    # contact_email (the privacy registry says so), so linking by attendee still works.
    return [protect_source(result, salt)]


def _read_row(number: int, component: Any, calendar: int) -> _Row:
    uid = _text(_prop(component, "UID")).strip() or f"row-{number}"
    row = _Row(number, component, uid, calendar)
    start_prop = _prop(component, "DTSTART")
    row.start = _dt(start_prop)
    params = getattr(start_prop, "params", {}) or {}
    row.tzid = _text(params.get("TZID")) or None
    row.people, row.organizer = _people(component)
    recurrence = _dt(_prop(component, "RECURRENCE-ID"))
    row.recurrence_id = _stamp(recurrence, "UTC") if recurrence is not None else None
    if row.start is None:
        value = _text(start_prop) if start_prop is not None else None
        row.reject, row.column, row.value = "missing or unreadable DTSTART", "DTSTART", value
    return row


def _decide(row: _Row, owner: set[str]) -> None:
    if row.reject is not None:
        return
    status = _text(_prop(row.component, "STATUS")).strip().upper()
    if status == "CANCELLED":
        row.reject, row.column, row.value = "cancelled (STATUS:CANCELLED)", "STATUS", status
        return
    if any(p[0] in owner and p[2] == "DECLINED" for p in row.people):
        row.reject, row.column, row.value = "declined by the owner", "PARTSTAT", "DECLINED"
        return
    frequent = _too_frequent(row.component)
    if frequent:
        row.reject = f"recurs more often than daily (FREQ={frequent}): not a meeting with a contact"
        row.column, row.value = "RRULE", frequent
        return
    contacts = _contacts(row, owner)
    if not contacts:
        row.reject = (
            "no attendee other than the owner: a personal entry, not a meeting with a contact"
        )
        row.column = "ATTENDEE"
    elif all(p[2] == "DECLINED" for p in contacts):
        row.reject, row.column, row.value = "every other attendee declined", "PARTSTAT", "DECLINED"


def _too_frequent(component: Any) -> str | None:
    """The FREQ of a recurrence rule that repeats within a day (HOURLY and finer)."""
    for rule in _as_list(_prop(component, "RRULE")):
        try:
            freq = [str(f).upper() for f in rule.get("FREQ", [])]
        except Exception:  # a broken rule: left to the expansion, which rejects it
            continue
        for value in freq:
            if value in ("SECONDLY", "MINUTELY", "HOURLY"):
                return value
    return None


def _expand(
    calendar: Any,
    zone: str | None,
    rows: list[_Row],
    owner: set[str],
    as_of: pd.Timestamp | None,
    tz: str,
    channel_map: Any,
    records: list[dict[str, Any]],
) -> int:
    """Expand each event series of one calendar; append held meetings; count capped series."""
    timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    starts = [s for s in (_stamp(r.start, tz) for r in rows if r.start is not None) if s]
    if not starts or as_of is None:
        return 0
    first = min(starts).to_pydatetime() - timedelta(days=1)
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        if row.start is not None:
            groups.setdefault(row.uid, []).append(row)
    capped = 0
    for uid, group in groups.items():
        masters = [r for r in group if r.recurrence_id is None]
        local = zone or tz
        overrides = {
            _stamp(_dt(_prop(r.component, "RECURRENCE-ID")), local): r
            for r in group
            if r.recurrence_id is not None
        }
        mini = icalendar.Calendar()
        if zone is not None:
            mini.add("X-WR-TIMEZONE", zone)
        master = masters[0] if masters else None
        series = [r for r in group if r.recurrence_id is not None or r is master]
        if all(r.reject is not None for r in series):
            continue
        for component in [*timezones, *(r.component for r in series)]:
            mini.add_component(component)
        if len(masters) > 1:  # the same UID twice: only the first is read
            for extra in masters[1:]:
                extra.reject = extra.reject or (
                    "another event in the file has the same UID (only the first is read)"
                )
                extra.column, extra.value = "UID", uid
        try:
            occurrences = recurring_ical_events.of(mini).after(first)
            count = 0
            for occurrence in occurrences:
                start = _stamp(_dt(_prop(occurrence, "DTSTART")), local)
                if start is None:
                    continue
                if start > as_of:
                    break
                count += 1
                if count > MAX_OCCURRENCES:
                    capped += 1
                    break
                recurrence = _stamp(_dt(_prop(occurrence, "RECURRENCE-ID")), local)
                row = overrides.get(recurrence) or master
                if row is None or row.reject is not None:
                    continue
                _append(records, row, start, owner, channel_map)
        except Exception as exc:  # a recurrence rule the library cannot expand
            for row in group:
                if row.reject is None:
                    row.reject = f"unreadable recurrence ({str(exc)[:80]})"
                    row.column = "RRULE"
            records[:] = [r for r in records if r["row"] not in {x.row for x in group}]
            for row in group:
                row.held = 0
    return capped


def _append(
    records: list[dict[str, Any]], row: _Row, start: pd.Timestamp, owner: set[str], channel_map: Any
) -> None:
    """One held occurrence of a kept row (people and place as the row states them)."""
    contacts = [p for p in _contacts(row, owner) if p[2] != "DECLINED"]
    primary = next((p for p in contacts if p[0] == row.organizer), contacts[0])
    mode = _mode(row.component)
    row.held += 1
    records.append(
        {
            "lead": "meeting:" + hashlib.sha1(row.uid.encode()).hexdigest()[:16],
            "stage": "meeting",
            "timestamp": start,
            "channel": _channel(mode, channel_map),
            "channel_label": _MODE_LABEL[mode],
            "contact": primary[1] or primary[0],
            "contact_email": primary[0],
            "attendees": ";".join(p[0] for p in contacts),
            "meeting_mode": mode,
            "direction": "inbound" if row.organizer and row.organizer not in owner else "outbound",
            "row": row.row,
        }
    )


def _channel(mode: str, channel_map: Any) -> str:
    """``in_person`` unless ``channel_map`` maps the mode's raw label."""
    label = _MODE_LABEL[mode]
    mapped = {normalize_label(k): v for k, v in (channel_map or {}).items()}
    if normalize_label(label) in mapped:
        return channel_of(label, channel_map)
    return "in_person"


def _calendar_zone(calendar: Any) -> tuple[str | None, str | None]:
    """The calendar's default zone (``X-WR-TIMEZONE``) if it is a known zone; else the
    unknown name."""
    name = _text(_prop(calendar, "X-WR-TIMEZONE")).strip()
    if not name:
        return None, None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None, name
    return name, None


def _notes(
    rows: list[_Row], zones: list[tuple[str | None, str | None]], capped: int, tz: str
) -> list[str]:
    notes = []
    for name in sorted({bad for _, bad in zones if bad}):
        notes.append(f"unknown calendar time zone X-WR-TIMEZONE {name!r} ignored")
    for number, (zone, _) in enumerate(zones):
        mine = [r for r in rows if r.calendar == number]
        naive = [r for r in mine if isinstance(r.start, datetime) and r.start.tzinfo is None]
        where = f"the calendar's zone {zone}" if zone else tz
        unknown = sorted({r.tzid for r in naive if r.tzid})
        if unknown:
            notes.append(f"unknown time zone(s) {unknown}: those times read in {where}")
        floating = sum(1 for r in naive if not r.tzid)
        if floating:
            notes.append(f"{floating} event(s) with floating times read in {where}")
        all_day = sum(
            1 for r in mine if isinstance(r.start, date) and not isinstance(r.start, datetime)
        )
        if all_day:
            notes.append(f"{all_day} all-day event(s) dated at midnight in {where}")
    recurring = sum(1 for r in rows if r.held > 1)
    if recurring:
        notes.append(f"{recurring} recurring event(s) expanded into their held occurrences")
    if capped:
        notes.append(f"{capped} recurring event(s) cut at {MAX_OCCURRENCES} occurrences")
    return notes


LOADER = Loader(
    name="ics",
    read=read_ics,
    claims_file=lambda probe: probe.format == "ics",
    options=("me", "as_of", "pseudonymize", "salt"),
    description="calendar: an .ics file (Google Takeout Calendar), held meetings with contacts",
)
