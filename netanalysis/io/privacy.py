"""Pseudonyms for personal fields, and what personal fields a frame holds.

A pseudonym is a salted HMAC-SHA256 of the value with a readable prefix
(``contact-1a2b3c4d5e6f``): the same value and salt always give the same pseudonym, so
leads, contacts and links survive; without the salt nobody can recompute them from a list
of names. The salt is yours: keep it (outside the notebook) to get the same pseudonyms on
the next export. ``na.load(..., pseudonymize=True, salt="...")`` applies it while
loading; ``pseudonymize=True`` without a salt is an error, because a salt made up on
the spot would give different pseudonyms every run.

Which columns are personal is said in one place, :data:`PERSONAL_COLUMNS`: the people
columns the loaders write (``contact``, ``contact_email``, ``contact_url``,
``attendees``, ...), lead ids, and the columns :func:`netanalysis.link` adds
(``contact_id``, ``lead_before_link``, ``linked_from``). :func:`pseudonymize` replaces
all of them by default, :func:`personal_fields` reports them, and the HTML report keeps
them out (:mod:`netanalysis.reporting.privacy`). Link first, then pseudonymise the
linked events: the pseudonyms keep the story linked.

Message text is never stored by netanalysis loaders; this module also scrubs the raw
values of rejected rows (names hashed, message text removed).

Examples:
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"lead": ["a", "b"], "contact": ["Jane Doe", "jane  doe"]})
    >>> out = pseudonymize(ev, salt="keep-this-secret")
    >>> out["contact"].tolist()
    ['contact-8aae4c1ecf53', 'contact-8aae4c1ecf53']
    >>> out["lead"].str.startswith("lead-").all()
    np.True_
    >>> [f.column for f in personal_fields(ev)], personal_fields(out)
    (['contact'], [])
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from netanalysis.errors import ParameterError
from netanalysis.io.result import SourceResult

__all__ = [
    "DEFAULT_COLUMNS",
    "PERSONAL_COLUMNS",
    "PersonalColumn",
    "PersonalField",
    "check_privacy_options",
    "describe_personal_fields",
    "personal_fields",
    "protect_source",
    "pseudonym",
    "pseudonymize",
    "scrub_raw",
]


@dataclass(frozen=True)
class PersonalColumn:
    """A column that loaders or :func:`netanalysis.link` write and whose values identify
    people: what it holds and how its pseudonyms are made.

    Attributes:
        name: the column name.
        holds: what it holds, in words (for the load summary and ``personal_fields``).
        prefix: the readable prefix of its pseudonyms (``email`` -> ``email-1a2b...``);
            columns that hold the same values share a prefix, so their pseudonyms match
            (``lead``, ``lead_before_link`` and ``linked_from`` all hold lead ids).
        role: ``"person"`` (the values are people: names, addresses, profile URLs),
            ``"id"`` (identifiers made from them: lead ids, contact ids) or
            ``"sensitive"`` (answers about the seeker that are never shown).
        exact: keep case when hashing (identifiers); else case and spaces are folded.
        separator: the values are lists joined by this (each item gets its pseudonym).
        by_content: flagged by :func:`personal_fields` only when its values look
            personal (lead ids are often plain numbers); else flagged by name.
        written_by: which loaders or functions write it.
    """

    name: str
    holds: str
    prefix: str
    role: Literal["person", "id", "sensitive"] = "person"
    exact: bool = False
    separator: str | None = None
    by_content: bool = False
    written_by: str = ""


def _lead_ids(name: str, *, written_by: str) -> PersonalColumn:
    """A column of lead ids: hashed as ``lead`` is, flagged when the ids name people."""
    return PersonalColumn(
        name,
        "lead ids, which may hold names or profile URLs",
        "lead",
        role="id",
        exact=True,
        by_content=True,
        written_by=written_by,
    )


#: The one registry of personal columns: every column that loaders or ``na.link`` write
#: and whose values identify people. :func:`pseudonymize` replaces all of them by default,
#: :func:`personal_fields` reports them, and the report never shows them
#: (:mod:`netanalysis.reporting.privacy`). A loader or function that adds such a column
#: registers it here.
PERSONAL_COLUMNS: Mapping[str, PersonalColumn] = MappingProxyType(
    {
        column.name: column
        for column in (
            PersonalColumn(
                "contact",
                "names of people or organisations",
                "contact",
                written_by="every loader with a contact",
            ),
            PersonalColumn(
                "contact_email", "email addresses", "email", written_by="mbox, ics, linkedin"
            ),
            PersonalColumn("contact_url", "profile URLs", "url", written_by="linkedin"),
            PersonalColumn("contact_phone", "phone numbers", "phone"),
            PersonalColumn("contacts", "names of people", "contact"),
            PersonalColumn("participants", "names of people", "contact"),
            PersonalColumn(
                "attendees",
                "email addresses of meeting attendees",
                "email",
                separator=";",
                written_by="ics",
            ),
            PersonalColumn(
                "question_and_answers",
                "answers to screening questions (sensitive)",
                "answers",
                role="sensitive",
                written_by="linkedin (include_sensitive=True)",
            ),
            _lead_ids("lead", written_by="every loader"),
            _lead_ids("lead_before_link", written_by="link"),
            _lead_ids("linked_from", written_by="link"),
            _lead_ids("other_lead", written_by="link (LinkResult.links)"),
            PersonalColumn(
                "contact_id",
                "one id per person, joined across sources by na.link",
                "contact",
                role="id",
                exact=True,
                written_by="link",
            ),
        )
    }
)

#: Columns pseudonymised by default (those present in the frame): every registered one.
DEFAULT_COLUMNS: tuple[str, ...] = tuple(PERSONAL_COLUMNS)

_HASH_LENGTH = 12
_MIN_SALT = 8
_PSEUDONYM = re.compile(r"^[a-z_]+-[0-9a-f]{12}$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PROFILE = re.compile(r"linkedin\.com/(?:in|pub)/", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_NAMED_LEAD = re.compile(r"^linkedin:(?:name:|https?://)")

#: Keys of raw records whose values are personal (hashed when scrubbing), normalised.
_PERSONAL_KEYS = re.compile(
    r"^(first name|last name|name|from|to|cc|bcc|sender|recipient|recipients|"
    r"inviter|invitee|email|e mail|email address|contact|contact email|contact name|"
    r"contact phone number|phone|phone number|url|profile url|sender profile url|"
    r"recipient profile urls|inviterprofileurl|inviteeprofileurl|conversation title|"
    r"attendee|attendees|organizer|reply to|with|who)$"
)
#: Keys whose values are text that is never kept (removed when scrubbing), normalised.
_TEXT_KEYS = re.compile(r"^(content|message|body|subject|question and answers|notes?)$")


@dataclass(frozen=True)
class PersonalField:
    """A column holding personal data: which, what it holds, how many values."""

    column: str
    holds: str
    values: int


def _key(name: object) -> str:
    return _SPACES.sub(" ", re.sub(r"[_\-]+", " ", str(name))).strip().lower()


def _salt_bytes(salt: str | bytes) -> bytes:
    return salt if isinstance(salt, bytes) else salt.encode("utf-8")


def check_privacy_options(options: Mapping[str, Any]) -> bytes | None:
    """The salt to use when ``pseudonymize=True`` was asked, else None.

    Raises:
        ParameterError: ``pseudonymize`` is not a bool, or it is True without a salt
            of at least 8 characters.

    Examples:
        >>> check_privacy_options({}) is None
        True
        >>> check_privacy_options({"pseudonymize": True})
        Traceback (most recent call last):
        ...
        netanalysis.errors.ParameterError: load(pseudonymize=True) needs salt=: a secret ...
    """
    asked = options.get("pseudonymize", False)
    if not isinstance(asked, (bool, np.bool_)):
        raise ParameterError(
            f"The 'pseudonymize' parameter of load must be True or False. Got {asked!r} instead."
        )
    salt = options.get("salt")
    if not asked:
        return None
    if salt is None:
        raise ParameterError(
            "load(pseudonymize=True) needs salt=: a secret of at least 8 characters that "
            "you keep (outside the notebook) so the same people get the same pseudonyms "
            "next time. Make one with `import secrets; secrets.token_hex(16)`."
        )
    if not isinstance(salt, (str, bytes)) or len(salt) < _MIN_SALT:
        raise ParameterError(
            f"The 'salt' parameter of load must be a str of at least {_MIN_SALT} characters. "
            f"Got a {type(salt).__name__} of length "
            f"{len(salt) if isinstance(salt, (str, bytes)) else 'n/a'} instead."
        )
    return _salt_bytes(salt)


def _canonical(value: str, exact: bool) -> str:
    text = _SPACES.sub(" ", value).strip()
    return text if exact else text.casefold()


def pseudonym(
    value: str, *, salt: str | bytes, prefix: str = "contact", exact: bool = False
) -> str:
    """The pseudonym of one value: ``prefix-`` + 12 hex digits of HMAC-SHA256(salt, value).

    Values are compared after folding case and spaces (``exact=True`` keeps case).

    Examples:
        >>> pseudonym("Jane Doe", salt="keep-this-secret")
        'contact-8aae4c1ecf53'
    """
    digest = hmac.new(
        _salt_bytes(salt), _canonical(value, exact).encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return f"{prefix}-{digest[:_HASH_LENGTH]}"


def _is_text(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values.dtype)


def _spec(column: str) -> PersonalColumn:
    """The registered column, or how an unregistered column asked for is hashed."""
    known = PERSONAL_COLUMNS.get(column)
    if known is not None:
        return known
    prefix = re.sub(r"[^a-z_]", "", column.lower()) or "value"
    return PersonalColumn(column, "asked for", prefix)


def pseudonymize(
    events: pd.DataFrame,
    *,
    salt: str | bytes,
    columns: Sequence[str] = DEFAULT_COLUMNS,
) -> pd.DataFrame:
    """Replace personal values by stable salted-hash pseudonyms (a copy is returned).

    By default every column of the registry (:data:`PERSONAL_COLUMNS`) that the frame
    has: the people columns of the loaders (``contact``, ``contact_email``,
    ``contact_url``, ``attendees``, ...), the lead ids, and what :func:`netanalysis.link`
    adds (``lead_before_link``, ``linked_from``, ``contact_id``). Columns that hold the
    same values get the same pseudonyms (a ``linked_from`` lead id is pseudonymised as
    in ``lead``; each address of ``attendees`` as in ``contact_email``), so linked
    events stay linked and give the same funnel.

    Args:
        events: an events frame (or any pandas frame).
        salt: your secret (at least 8 characters); keep it to get the same pseudonyms
            next time.
        columns: columns to replace; those absent, or not text (a count of
            participants), are skipped. Ids (``lead``, ``contact_id``, ...) keep case,
            other columns fold case and spaces before hashing (``"Jane  DOE"`` and
            ``"jane doe"`` get one pseudonym). Missing values stay missing.

    Examples:
        >>> ev = pd.DataFrame({"contact": ["Ada", None], "attendees": ["a@x.org;B@x.org", None]})
        >>> out = pseudonymize(ev, salt="keep-this-secret")
        >>> out["contact"].tolist()
        ['contact-4389e3f12f73', nan]
        >>> out["attendees"].iloc[0] == ";".join(
        ...     pseudonym(a, salt="keep-this-secret", prefix="email") for a in ("a@x.org", "b@x.org"))
        True
    """
    check_privacy_options({"pseudonymize": True, "salt": salt})
    out = events.copy()
    for column in dict.fromkeys(columns):
        if column not in out or not _is_text(out[column]):
            continue
        spec = _spec(column)
        out[column] = _pseudonymise_values(out[column], spec, salt)
    return out


def _pseudonymise_values(values: pd.Series, spec: PersonalColumn, salt: str | bytes) -> pd.Series:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)

    def one(value: str) -> str:
        return pseudonym(value, salt=salt, prefix=spec.prefix, exact=spec.exact)

    if spec.separator is None:
        mapped = [one(str(u)) for u in uniques]
    else:
        sep = spec.separator
        mapped = [
            sep.join(one(item) for item in str(u).split(sep) if item.strip()) for u in uniques
        ]
    table = np.array([*mapped, None], dtype=object)
    replaced = pd.Series(table[codes], index=values.index, dtype=object)
    return replaced.astype("str").where(replaced.notna())


def _all_pseudonyms(present: pd.Series, spec: PersonalColumn | None) -> bool:
    if spec is not None and spec.separator is not None:
        present = present.str.split(spec.separator).explode()
        present = present[present.str.strip() != ""]
    return bool(present.str.match(_PSEUDONYM).all())


def _looks_personal(sample: pd.Series) -> str | None:
    if sample.str.contains(_EMAIL).any():
        return "email addresses"
    if sample.str.contains(_PROFILE).any():
        return "profile URLs"
    return None


def personal_fields(frame: pd.DataFrame) -> list[PersonalField]:
    """Columns that hold personal data not yet pseudonymised.

    A column counts when the registry (:data:`PERSONAL_COLUMNS`) names it (``contact``,
    ``contact_email``, ``attendees``, ``contact_id``, ...; lead-id columns only when their
    ids hold names, email addresses or profile URLs) or when its text values include
    email addresses or LinkedIn profile URLs. Columns whose values are all pseudonyms do
    not count.

    Examples:
        >>> personal_fields(pd.DataFrame({"note": ["mail ada@example.org"], "n": [1]}))
        [PersonalField(column='note', holds='email addresses', values=1)]
        >>> [f.column for f in personal_fields(pd.DataFrame({"contact_id": ["contact-1"]}))]
        ['contact_id']
    """
    found = []
    for column in frame.columns:
        values = frame[column]
        if not _is_text(values):
            continue
        present = values.dropna().astype(str)
        present = present[present.str.strip() != ""]
        if present.empty:
            continue
        spec = PERSONAL_COLUMNS.get(str(column))
        if _all_pseudonyms(present, spec):
            continue
        sample = present.head(5000)
        holds: str | None
        if spec is not None and spec.by_content:
            named = sample.str.contains(_NAMED_LEAD).any()
            holds = spec.holds if named or _looks_personal(sample) else None
        elif spec is not None:
            holds = spec.holds
        else:
            holds = _looks_personal(sample)
        if holds is not None:
            found.append(PersonalField(str(column), holds, len(present)))
    return found


def describe_personal_fields(frame: pd.DataFrame) -> str | None:
    """A sentence for the load summary naming the personal fields present, or None.

    Examples:
        >>> describe_personal_fields(pd.DataFrame({"contact": ["Ada"]}))
        "personal fields present: 'contact' (names of people or organisations, 1 value(s)); pass pseudonymize=True, salt='<your secret>' to replace them"
    """
    fields = personal_fields(frame)
    if not fields:
        return None
    listed = "; ".join(f"{f.column!r} ({f.holds}, {f.values} value(s))" for f in fields)
    return (
        f"personal fields present: {listed}; pass pseudonymize=True, salt='<your secret>' "
        "to replace them"
    )


def scrub_raw(raw: str | Mapping[str, Any] | None, *, salt: str | bytes | None) -> str | None:
    """Make a rejected row's raw values safe to keep: text removed, personal values hashed.

    Message text (``content``, ``message``, ``body``, ...) is always removed; values of
    personal keys (names, emails, profile URLs, ...) are pseudonymised when a salt is given.

    Examples:
        >>> scrub_raw({"FROM": "Ada", "CONTENT": "hi", "DATE": "2024-01-01"}, salt="keep-this-secret")
        '{"FROM": "contact-4389e3f12f73", "CONTENT": "<removed>", "DATE": "2024-01-01"}'
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            return raw if salt is None else "<removed: not structured>"
        if not isinstance(record, dict):
            return raw if salt is None else "<removed: not structured>"
    else:
        record = dict(raw)
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = _key(key)
        if value is None or (isinstance(value, float) and np.isnan(value)):
            out[str(key)] = None
        elif _TEXT_KEYS.match(name):
            out[str(key)] = "<removed>"
        elif salt is not None and (
            _PERSONAL_KEYS.search(name) or _EMAIL.search(str(value)) or _PROFILE.search(str(value))
        ):
            out[str(key)] = pseudonym(str(value), salt=salt)
        else:
            out[str(key)] = value
    return json.dumps(out, ensure_ascii=False, default=str)


def protect_source(result: SourceResult, salt: bytes | None, *, note: bool = True) -> SourceResult:
    """Apply the privacy rules to one source's result, in place, and return it.

    Rejected rows never keep message text; with a salt (``pseudonymize=True``), events
    get pseudonyms (:func:`pseudonymize`) and rejected rows' personal values are hashed.
    Without a salt, a note names the personal fields present (unless ``note=False``).
    """
    for record in result.rejections.records:
        record["raw"] = scrub_raw(record.get("raw"), salt=salt)
        personal_value = (
            salt is not None
            and record.get("value") is not None
            and record.get("column")
            and _PERSONAL_KEYS.search(_key(record["column"]))
        )
        if personal_value:
            record["value"] = pseudonym(str(record["value"]), salt=salt)  # type: ignore[arg-type]
    if salt is not None:
        if len(result.events):
            result.events = pseudonymize(result.events, salt=salt)
        if note:
            result.notes.append("personal fields replaced by pseudonyms (pseudonymize=True)")
    elif note:
        note = describe_personal_fields(result.events)
        if note:
            result.notes.append(note)
    return result
