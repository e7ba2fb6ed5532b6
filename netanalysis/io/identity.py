"""Who is who: normalised keys for people and companies, shared by the email, calendar
and linking code.

A person met in several sources is recognised by an email address, a LinkedIn profile
URL, or a full name together with a company. A company is recognised by its name without
legal suffixes (``Acme Corp.`` = ``ACME, Inc.`` = ``acme``) or by the registrable label of
a work email domain (``dana@mail.acme.com`` -> ``acme``); free-mail domains (gmail.com,
outlook.com, ...) say nothing about an employer.

Examples:
    >>> company_key("ACME, Inc."), domain_company_key("mail.acme.co.uk")
    ('acme', 'acme')
    >>> normalize_linkedin_url("https://uk.linkedin.com/in/Dana-W/?trk=x")
    'https://www.linkedin.com/in/dana-w'
    >>> name_key("  José  O'Neil "), name_key("Sam")
    ('jose oneil', None)
    >>> sorted(owner_addresses(["Jane <JANE@example.com>", "Jane Doe"]))
    ['jane@example.com']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from email.utils import parseaddr
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = [
    "FREEMAIL_DOMAINS",
    "company_key",
    "domain_company_key",
    "email_domain",
    "mask_email",
    "name_key",
    "normalize_email",
    "normalize_linkedin_url",
    "owner_addresses",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Domains of free mail providers: an address there says nothing about an employer.
FREEMAIL_DOMAINS: frozenset[str] = _words(
    """
    gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de ymail.com rocketmail.com
    hotmail.com hotmail.co.uk hotmail.fr hotmail.de outlook.com outlook.fr outlook.de live.com
    live.co.uk msn.com icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me
    gmx.com gmx.de gmx.net web.de mail.com email.com yandex.com yandex.ru zoho.com
    fastmail.com fastmail.fm hey.com qq.com 163.com 126.com comcast.net verizon.net att.net
    sbcglobal.net btinternet.com orange.fr free.fr laposte.net t-online.de libero.it mail.ru
    tutanota.com tuta.io
    """
)

#: Second-level labels under a country code that are not the organisation (co.uk, com.au).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "ne", "or"})

#: Legal-form words dropped from company names.
_LEGAL = _words(
    """
    inc incorporated llc l.l.c ltd limited corp corporation co company gmbh ag sa sas sarl
    plc bv nv pty llp lp srl spa oy ab as asa kk pte se kg ug
    """
)

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_NON_WORD = re.compile(r"[^\w\s]+")


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_email(value: Any) -> str | None:
    """An email address lower-cased without ``mailto:`` or display name, or None.

    Examples:
        >>> normalize_email("MAILTO:Dana.W@Acme.com"), normalize_email("not an address")
        ('dana.w@acme.com', None)
    """
    if value is None or not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if "<" in text:
        text = parseaddr(text)[1]
    text = text.strip().strip(".").lower()
    return text if _EMAIL.match(text) else None


def email_domain(address: str | None) -> str | None:
    """The domain of an address (lower case), or None.

    Examples:
        >>> email_domain("dana@Mail.Acme.com")
        'mail.acme.com'
    """
    if not isinstance(address, str) or "@" not in address:
        return None
    domain = address.rsplit("@", 1)[1].strip().strip(".").lower()
    return domain or None


def domain_company_key(domain: str | None) -> str | None:
    """The organisation label of a work email domain; None for free mail.

    ``mail.acme.com`` -> ``acme``; ``acme.co.uk`` -> ``acme`` (a country code with a
    generic second level such as ``co``/``com``/``ac`` is skipped).

    Examples:
        >>> domain_company_key("blueharbor.io"), domain_company_key("gmail.com")
        ('blueharbor', None)
    """
    if not isinstance(domain, str) or not domain:
        return None
    domain = domain.lower().strip(".")
    if domain in FREEMAIL_DOMAINS:
        return None
    labels = [x for x in domain.split(".") if x]
    if len(labels) < 2:
        return None
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        label = labels[-3]
    else:
        label = labels[-2]
    key = re.sub(r"[^a-z0-9]", "", label)
    return key or None


def company_key(name: Any) -> str | None:
    """A company name folded for matching: accents, case, punctuation, legal forms and
    spaces removed; None when nothing is left.

    Examples:
        >>> company_key("Blue Harbor Logistics, LLC"), company_key("The Acme Corp.")
        ('blueharborlogistics', 'acme')
    """
    if name is None or not isinstance(name, str):
        return None
    text = _ascii_fold(name).lower().replace("&", " and ")
    words = _NON_WORD.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL:
        words = words[:-1]
    key = "".join(words)
    return key or None


def name_key(name: Any) -> str | None:
    """A person's name folded for matching (accents, case, punctuation); None unless it
    has at least two words (a first name alone identifies nobody).

    Examples:
        >>> name_key("Dana  Whitfield"), name_key("dana.whitfield@acme.com")
        ('dana whitfield', None)
    """
    if name is None or not isinstance(name, str) or "@" in name:
        return None
    text = _ascii_fold(name).lower()
    words = re.sub(r"[^\w\s-]+", "", text).replace("-", " ").split()
    return " ".join(words) if len(words) >= 2 else None


def normalize_linkedin_url(url: Any) -> str | None:
    """A LinkedIn profile URL in one spelling: https, ``www`` host, lower case, no query
    string, fragment or trailing slash; None if it is not a LinkedIn profile URL.

    Examples:
        >>> normalize_linkedin_url("linkedin.com/in/dana-w/")
        'https://www.linkedin.com/in/dana-w'
    """
    if url is None or not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    path = unquote(parts.path).lower().rstrip("/")
    if not path or path == "/in":
        return None
    return f"https://www.linkedin.com{path}"


def owner_addresses(me: Any) -> set[str]:
    """The email addresses in a ``me=`` option (a string or a list); names and profile
    URLs in it are for other loaders and are ignored here.

    Examples:
        >>> sorted(owner_addresses("jane@example.com")), owner_addresses(None)
        (['jane@example.com'], set())
    """
    if me is None:
        return set()
    values: Iterable[Any] = [me] if isinstance(me, str) else me
    out = set()
    for value in values:
        address = normalize_email(value) if isinstance(value, str) else None
        if address:
            out.add(address)
    return out


def mask_email(address: str) -> str:
    """An address shown without its local part, for summaries.

    Examples:
        >>> mask_email("jane.doe@example.com")
        'j***@example.com'
    """
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"
