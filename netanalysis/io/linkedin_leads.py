"""LinkedIn networking leads from invitations, messages and connections.

A lead is one contact, keyed by the normalised profile URL (the name when the URL is
missing), or one group conversation. Its events:

- ``contacted`` at the first touch: the invitation (sent: outbound; received: inbound),
  else the first message (from the account owner: outbound; from the contact: inbound);
- ``responded`` at the earliest of: the first message from the side that did not start,
  and, for an invitation the owner sent, the invitee's ``Connected On`` date in
  ``Connections.csv`` (an accepted invitation; never before the invitation itself).

Connections without an invitation or message are the existing network, not leads; they
give leads their ``company``, ``position`` and ``contact_email``. The account owner is
the person in the most conversations (in practice, the most frequent sender across
conversations), or ``me=``.

Examples:
    >>> import pandas as pd
    >>> t = pd.Timestamp
    >>> inv = pd.DataFrame({"other_name": ["Jane Doe"], "other_url": ["https://www.linkedin.com/in/jane"],
    ...     "direction": ["outbound"], "note": [True], "time": [t("2024-03-01 10:00", tz="UTC")],
    ...     "src": ["Invitations.csv"], "src_row": [1]})
    >>> con = pd.DataFrame({"name": ["Jane Doe"], "url": ["https://www.linkedin.com/in/jane"],
    ...     "email": [None], "company": ["Acme"], "position": ["CTO"],
    ...     "time": [t("2024-03-02", tz="UTC")], "src": ["Connections.csv"], "src_row": [1]})
    >>> out = build_leads(invitations=inv, connections=con)
    >>> out.events[["stage", "touch", "company", "src"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'stage': 'contacted', 'touch': 'invitation', 'company': 'Acme', 'src': 'Invitations.csv'},
     {'stage': 'responded', 'touch': 'accepted invitation', 'company': 'Acme', 'src': 'Connections.csv'}]
"""

from __future__ import annotations

import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from urllib.parse import unquote

import pandas as pd

from netanalysis.errors import DataQualityWarning

__all__ = ["LeadBuild", "Owner", "build_leads", "find_owner", "name_key", "normalize_profile_url"]

_SPACES = re.compile(r"\s+")

#: Extra event columns LinkedIn leads carry, and their dtypes.
EXTRA_DTYPES: dict[str, str] = {
    "touch": "str",
    "invitation_note": "boolean",
    "invitation_accepted": "boolean",
    "position": "str",
    "job_title": "str",
    "job_url": "str",
    "contact_url": "str",
    "contact_email": "str",
    "participants": "Int64",
    "lead_kind": "str",
}


def normalize_profile_url(url: object) -> str | None:
    """A LinkedIn profile URL in one canonical form, or None when there is none.

    Lower-case, ``https``, no query string or fragment, no trailing slash, percent-escapes
    decoded, and country subdomains (``uk.``, ``de.``) or a bare ``linkedin.com`` as
    ``www.linkedin.com``.

    Examples:
        >>> normalize_profile_url("http://uk.LinkedIn.com/in/Jane-Doe/?trk=abc")
        'https://www.linkedin.com/in/jane-doe'
        >>> normalize_profile_url("linkedin.com/in/jos%C3%A9") == normalize_profile_url(
        ...     "https://www.linkedin.com/in/josé/")
        True
        >>> normalize_profile_url(" "), normalize_profile_url("N/A")
        (None, None)
    """
    if url is None or (isinstance(url, float) and url != url):
        return None
    return _normalize_url(str(url))


@lru_cache(maxsize=1 << 16)
def _normalize_url(url: str) -> str | None:
    text = unquote(url.strip()).lower()
    text = text.split("?", 1)[0].split("#", 1)[0].strip()
    if not text or ("." not in text and "/" not in text) or " " in text:
        return None
    if "://" in text:
        text = text.split("://", 1)[1]
    host, _, path = text.partition("/")
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        host = "www.linkedin.com"
    path = re.sub(r"/+", "/", path).strip("/")
    if "." not in host:
        return None
    return f"https://{host}/{path}" if path else f"https://{host}"


def name_key(name: object) -> str | None:
    """A person's name folded for matching (case and spacing), or None.

    Examples:
        >>> name_key("  Jane   DOE ")
        'jane doe'
    """
    if name is None or (isinstance(name, float) and name != name):
        return None
    text = _SPACES.sub(" ", str(name)).strip().casefold()
    return text or None


@dataclass(frozen=True)
class Owner:
    """The account owner: profile URLs and folded names, and how they were found."""

    urls: frozenset[str]
    names: frozenset[str]
    display: str | None
    how: str

    def is_me(self, name: object, url: object) -> bool:
        """True when a sender (name, normalised URL) is the owner."""
        if url is not None and url in self.urls:
            return True
        key = name_key(name)
        return key is not None and key in self.names


def _sender_key(name: object, url: object) -> str | None:
    if isinstance(url, str) and url:
        return url
    key = name_key(name)
    return f"name:{key}" if key else None


def find_owner(messages: pd.DataFrame, me: Sequence[str] | None = None) -> Owner | None:
    """Who owns the export: ``me=`` (names or profile URLs), else found from the messages.

    The owner is in every conversation of the export: the person who takes part (sends
    or receives) in the most conversations, ties broken by the conversations they sent
    messages in, then by messages sent. When recipients are not listed this is the most
    frequent sender across conversations. ``messages`` has ``conv``, ``sender_name``,
    ``sender_url``, ``recipient_urls`` and ``recipient_names`` (lists). None when there
    are no messages and no ``me=``.
    """
    people: list[tuple[object, str, str | None, bool]] = []  # conv, key, name, sent it
    for conv, name, url, urls, names in zip(
        messages["conv"],
        messages["sender_name"],
        messages["sender_url"],
        messages["recipient_urls"],
        messages["recipient_names"],
        strict=True,
    ):
        key = _sender_key(name, url)
        if key is not None:
            people.append((conv, key, name, True))
        if len(urls) == len(names):
            pairs = list(zip(names, urls, strict=True))
        else:
            pairs = [(None, u) for u in urls] + [(m, None) for m in names]
        for other_name, other_url in pairs:
            other = _sender_key(other_name, other_url)
            if other is not None:
                people.append((conv, other, other_name, False))
    if me:
        urls = frozenset(u for u in (normalize_profile_url(m) for m in me if "/" in m) if u)
        names = frozenset(k for k in (name_key(m) for m in me if "/" not in m) if k)
        owner = Owner(urls, names, ", ".join(me), "given with me=")
        if not people or any(
            owner.is_me(name, key if key.startswith("http") else None) for _, key, name, _ in people
        ):
            return owner
        warnings.warn(
            f"me={list(me)!r} matches nobody in messages.csv, so the account owner is found "
            "from the messages instead. Pass me= with your name as LinkedIn shows it or your "
            "profile URL.",
            DataQualityWarning,
            stacklevel=6,
        )
    if not people:
        return None
    took_part: dict[str, set[object]] = defaultdict(set)
    sent_in: dict[str, set[object]] = defaultdict(set)
    sent: Counter[str] = Counter()
    display: dict[str, Counter[str]] = defaultdict(Counter)
    for conv, key, name, is_sender in people:
        took_part[key].add(conv)
        if is_sender:
            sent_in[key].add(conv)
            sent[key] += 1
        if isinstance(name, str) and name.strip():
            display[key][name.strip()] += 1

    def rank(k: str) -> tuple[int, int, int, str]:
        return (-len(took_part[k]), -len(sent_in[k]), -sent[k], k)

    ranked = sorted(took_part, key=rank)
    top = ranked[0]
    conversations = messages["conv"].nunique()
    names = frozenset(k for k in map(name_key, display[top]) if k)
    shown = display[top].most_common(1)[0][0] if display[top] else top
    how = (
        f"found from the messages: in {len(took_part[top])} of {conversations} "
        f"conversation(s), sender in {len(sent_in[top])}"
    )
    if len(ranked) > 1 and rank(ranked[1])[:2] == rank(top)[:2]:
        second = ranked[1]
        other = display[second].most_common(1)[0][0] if display[second] else second
        warnings.warn(
            f"the account owner of messages.csv is ambiguous: {shown!r} and {other!r} take "
            f"part in and send in as many conversations; {shown!r} was chosen. Pass "
            "me='<your name or profile URL>' to na.load to decide.",
            DataQualityWarning,
            stacklevel=6,
        )
        how += f"; ambiguous with {other!r}"
    urls = frozenset([top]) if not top.startswith("name:") else frozenset()
    if top.startswith("name:"):
        names = names | {top[5:]}
    return Owner(urls, names, shown, how)


@dataclass
class _Touch:
    time: pd.Timestamp
    from_me: bool
    label: str
    row: int
    touch: str


@dataclass
class _Lead:
    lead: str
    contact: str | None = None
    url: str | None = None
    participants: int | None = None
    invitation: tuple[pd.Timestamp, str, bool, str, int] | None = None  # time, dir, note, src
    messages: list[_Touch] = field(default_factory=list)


@dataclass
class LeadBuild:
    """Events (canonical columns + extras + ``src``/``src_row``) and counts for notes."""

    events: pd.DataFrame
    network: int = 0
    enriched: int = 0
    group_conversations: int = 0
    accepted_clamped: int = 0
    unmatched_messages: list[tuple[str, int]] = field(default_factory=list)


def _resolver(*frames: tuple[pd.DataFrame, str, str]) -> dict[str, str]:
    """Name -> profile URL, for names that go with exactly one URL across the export."""
    seen: dict[str, set[str]] = defaultdict(set)
    for frame, name_col, url_col in frames:
        if frame is None or not len(frame):
            continue
        for name, url in zip(frame[name_col], frame[url_col], strict=True):
            key = name_key(name)
            if key and isinstance(url, str) and url:
                seen[key].add(url)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def build_leads(
    *,
    invitations: pd.DataFrame | None = None,
    messages: pd.DataFrame | None = None,
    connections: pd.DataFrame | None = None,
    owner: Owner | None = None,
) -> LeadBuild:
    """Turn cleaned LinkedIn tables into events (see the module docstring).

    Args:
        invitations: ``other_name, other_url, direction, note, time, src, src_row``.
        messages: ``conv, title, sender_name, sender_url, recipient_names,
            recipient_urls, time, src, src_row`` and, for old exports, ``from_me``.
        connections: ``name, url, email, company, position, time, src, src_row``.
        owner: the account owner (needed for messages without ``from_me``).
    """
    empty = pd.DataFrame()
    connections_known = connections is not None
    invitations = invitations if invitations is not None else empty
    messages = messages if messages is not None else empty
    connections = connections if connections is not None else empty
    to_url = _resolver(
        (connections, "name", "url"),
        (invitations, "other_name", "other_url"),
        (messages, "sender_name", "sender_url"),
    )

    def key_of(name: object, url: object) -> tuple[str | None, str | None]:
        if isinstance(url, str) and url:
            return url, url
        folded = name_key(name)
        if folded is None:
            return None, None
        resolved = to_url.get(folded)
        return (resolved, resolved) if resolved else (f"name:{folded}", None)

    leads: dict[str, _Lead] = {}

    def lead_for(key: str, name: object, url: str | None) -> _Lead:
        if key not in leads:
            leads[key] = _Lead(lead=f"linkedin:{key}", url=url)
        lead = leads[key]
        if lead.contact is None and isinstance(name, str) and name.strip():
            lead.contact = name.strip()
        return lead

    for row in invitations.itertuples(index=False) if len(invitations) else ():
        key, url = key_of(row.other_name, row.other_url)
        if key is None:
            continue
        lead = lead_for(key, row.other_name, url)
        candidate = (row.time, row.direction, bool(row.note), row.src, int(row.src_row))
        if lead.invitation is None or candidate[0] < lead.invitation[0]:
            lead.invitation = candidate

    build = LeadBuild(pd.DataFrame())
    if len(messages):
        _add_messages(messages, owner, key_of, lead_for, leads, build)

    # Connections: enrich leads; the rest is the existing network.
    by_key: dict[str, tuple] = {}
    for row in connections.itertuples(index=False) if len(connections) else ():
        key, _ = key_of(row.name, row.url)
        if key is not None and key not in by_key:
            by_key[key] = row
    records = []
    for key, lead in leads.items():
        connection = by_key.get(key)
        records.extend(_events_of(lead, connection, build, connections_known))
    used = {k for k in leads if k in by_key}
    build.enriched = len(used)
    build.network = len(connections) - len(used) if len(connections) else 0
    build.events = pd.DataFrame.from_records(records) if records else _empty_events()
    return build


def _add_messages(messages, owner, key_of, lead_for, leads, build) -> None:
    """Group messages into conversations; 1:1 ones join the contact's lead."""
    n = len(messages)
    conv = messages["conv"].tolist()
    times = list(pd.DatetimeIndex(messages["time"]))
    ticks = pd.DatetimeIndex(messages["time"]).asi8
    rows = messages["src_row"].astype("int64").tolist()
    srcs = messages["src"].tolist()
    sender_name = messages["sender_name"].tolist()
    sender_url = messages["sender_url"].tolist()
    recipient_names = messages["recipient_names"].tolist()
    recipient_urls = messages["recipient_urls"].tolist()
    titles = messages["title"].tolist()
    from_me_old = messages["from_me"].tolist() if "from_me" in messages else [None] * n
    first_seen: dict[object, int] = {}
    for i, c in enumerate(conv):
        first_seen.setdefault(c, i)
    order = sorted(range(n), key=lambda i: (first_seen[conv[i]], ticks[i], rows[i]))
    for key_conv, members in groupby(order, key=lambda i: conv[i]):
        members = list(members)
        old = str(key_conv).startswith("old:")
        people: dict[str, str | None] = {}  # key -> display name
        touches = []
        for i in members:
            if old:
                from_me = bool(from_me_old[i])
            else:
                from_me = owner is not None and owner.is_me(sender_name[i], sender_url[i])
            touches.append(_Touch(times[i], from_me, srcs[i], rows[i], "message"))
            if not from_me:
                key, _ = key_of(sender_name[i], sender_url[i])
                if key is not None:
                    people.setdefault(key, sender_name[i])
            if old and not from_me:
                continue  # old exports: "To" of an incoming message is the owner
            urls, names = list(recipient_urls[i]), list(recipient_names[i])
            pairs = (
                list(zip(names, urls, strict=True))
                if len(urls) == len(names)
                else [(None, u) for u in urls] or [(m, None) for m in names]
            )
            for name, url in pairs:
                if owner is not None and owner.is_me(name, url):
                    continue
                key, _ = key_of(name, url)
                if key is not None:
                    people.setdefault(key, name)
        if not people:
            build.unmatched_messages.extend((t.label, t.row) for t in touches)
            continue
        if len(people) == 1:
            key = next(iter(people))
            lead = lead_for(key, people[key], key if key.startswith("http") else None)
        else:
            build.group_conversations += 1
            title = next(
                (titles[i] for i in members if isinstance(titles[i], str) and titles[i].strip()),
                None,
            )
            shown = sorted(str(m) for m in people.values() if isinstance(m, str) and m.strip())
            ident = f"conversation:{key_conv}"
            lead = leads.setdefault(ident, _Lead(lead=f"linkedin:{ident}"))
            lead.contact = title.strip() if title else ", ".join(shown) or None
            lead.participants = len(people)
        lead.messages.extend(touches)


def _events_of(lead: _Lead, connection, build: LeadBuild, connections_known: bool) -> list[dict]:
    starts: list[_Touch] = []
    if lead.invitation is not None:
        time, direction, _, label, row = lead.invitation
        starts.append(_Touch(time, direction == "outbound", label, row, "invitation"))
    messages = sorted(lead.messages, key=lambda t: (t.time, t.row))
    if messages:
        starts.append(messages[0])
    if not starts:
        return []
    first = min(starts, key=lambda t: (t.time, t.touch != "invitation"))
    candidates = [t for t in messages if t.from_me != first.from_me and t.time >= first.time]
    replies = candidates[:1]
    accepted = None
    if lead.invitation is not None and connection is not None:
        accepted = True
        sent_at = lead.invitation[0]
        if lead.invitation[1] == "outbound" and first.from_me:
            when = connection.time
            if when < sent_at:
                if when < sent_at.normalize() - pd.Timedelta(days=1):
                    build.accepted_clamped += 1
                when = sent_at
            replies.append(
                _Touch(when, False, connection.src, int(connection.src_row), "accepted invitation")
            )
    elif lead.invitation is not None and connections_known:
        accepted = False
    base = {
        "lead": lead.lead,
        "contact": lead.contact,
        "company": getattr(connection, "company", None),
        "direction": "outbound" if first.from_me else "inbound",
        "channel": "LinkedIn",
        "invitation_note": lead.invitation[2] if lead.invitation is not None else None,
        "invitation_accepted": accepted,
        "position": getattr(connection, "position", None),
        "contact_url": lead.url,
        "contact_email": getattr(connection, "email", None),
        "participants": lead.participants,
        "lead_kind": "networking",
    }
    out = [
        {
            **base,
            "stage": "contacted",
            "timestamp": first.time,
            "touch": first.touch,
            "src": first.label,
            "src_row": first.row,
        }
    ]
    if replies:
        reply = min(replies, key=lambda t: (t.time, t.touch != "accepted invitation"))
        out.append(
            {
                **base,
                "stage": "responded",
                "timestamp": reply.time,
                "touch": reply.touch,
                "src": reply.label,
                "src_row": reply.row,
            }
        )
    return out


def _empty_events() -> pd.DataFrame:
    columns = [
        "lead",
        "contact",
        "company",
        "direction",
        "channel",
        "stage",
        "timestamp",
        "src",
        "src_row",
        *EXTRA_DTYPES,
    ]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
