"""What :func:`netanalysis.link` returns: :class:`LinkResult` (linked events, every link
and its reason, the contacts) and the tables' columns.

Examples:
    >>> LINK_COLUMNS[:3]
    ('seeker', 'kind', 'lead')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from netanalysis.io.privacy import pseudonym
from netanalysis.io.privacy import pseudonymize as pseudonymize_frame
from netanalysis.results import Result, frame_to_html

__all__ = [
    "CONTACT_COLUMNS",
    "LINK_COLUMNS",
    "LINK_KINDS",
    "URL_COLUMNS",
    "LinkResult",
    "contacts_table",
    "text_column",
]

#: Columns of :attr:`LinkResult.links`.
LINK_COLUMNS: tuple[str, ...] = (
    "seeker",
    "kind",
    "lead",
    "other_lead",
    "contact_id",
    "reason",
    "key",
    "days_before",
)

#: Kinds of link, in the order they are made.
LINK_KINDS: tuple[str, ...] = (
    "same_contact",
    "company_from_contact",
    "merged_lead",
    "meeting_channel",
    "application_touch",
)

#: Columns of :attr:`LinkResult.contacts`.
CONTACT_COLUMNS: tuple[str, ...] = (
    "seeker",
    "contact_id",
    "name",
    "emails",
    "linkedin",
    "company",
    "leads",
    "sources",
    "first_seen",
)

#: Event columns that may hold a LinkedIn profile URL.
URL_COLUMNS = ("contact_url", "profile_url", "linkedin_url")

#: Columns of :attr:`LinkResult.links` that hold lead or contact ids (pseudonymised as
#: in the events).
_LINK_ID_COLUMNS = ("lead", "other_lead", "contact_id")
#: Kinds of link whose ``key`` names a person (an address, a profile, a name|company).
_PERSONAL_KEY_KINDS = ("same_contact", "merged_lead")


def _key_prefix(key: str) -> str:
    if "@" in key:
        return "email"
    if "linkedin.com/" in key:
        return "url"
    return "key"


@dataclass(frozen=True, repr=False)
class LinkResult(Result):
    """Events linked into one story per lead, and every link made.

    Attributes:
        events: the events, relinked: leads merged, touches added, plus the columns
            ``contact_id, lead_kind, lead_before_link, channel_before_link,
            company_before_link, linked_from``.
        links: one row per link: ``seeker, kind, lead, other_lead, contact_id, reason,
            key, days_before``. ``kind`` is ``same_contact`` (two leads' people are one
            contact; ``key`` the shared email, URL or name|company), ``company_from_contact``,
            ``merged_lead`` (``lead`` merged into ``other_lead``), ``meeting_channel``
            or ``application_touch`` (``lead`` is the application, ``other_lead`` the
            networking lead, ``days_before`` how long before the application).
        contacts: one row per contact: ``seeker, contact_id, name, emails, linkedin,
            company, leads, sources, first_seen``. Holds personal data: keep it out of
            shared reports.
    """

    events: pd.DataFrame
    links: pd.DataFrame
    contacts: pd.DataFrame

    def to_pandas(self) -> pd.DataFrame:
        """The linked events (a copy)."""
        return self.events.copy()

    def pseudonymize(self, *, salt: str | bytes) -> LinkResult:
        """The same result with every personal value replaced by its salted pseudonym.

        Events as :func:`netanalysis.io.privacy.pseudonymize` gives them (contacts,
        addresses, profile URLs, lead ids, ``lead_before_link``, ``linked_from``,
        ``contact_id``); in ``links`` the lead ids and contact ids get the same
        pseudonyms as in the events, and the keys that name a person (an email address,
        a profile URL, a name with a company) their own; ``contacts`` is rebuilt from
        the pseudonymised events. Funnels, link kinds and counts are unchanged.

        Args:
            salt: your secret (at least 8 characters).

        Examples:
            >>> import pandas as pd, netanalysis as na
            >>> ev = pd.DataFrame({"lead": ["m1", "a1"], "channel": ["cold_email", "job_board"],
            ...     "stage": ["contacted", "contacted"],
            ...     "timestamp": pd.to_datetime(["2024-03-01", "2024-03-05"], utc=True),
            ...     "contact": ["Dana Whitfield", None], "company": [None, "Acme"],
            ...     "contact_email": ["dana@acme.example", None]})
            >>> shared = na.link(ev).pseudonymize(salt="keep-this-secret")
            >>> shared.links[["kind", "lead", "other_lead"]].values.tolist()
            [['application_touch', 'lead-f56a1c090b27', 'lead-5dfdfa01a3c2']]
            >>> pseudonym("m1", salt="keep-this-secret", prefix="lead", exact=True)
            'lead-5dfdfa01a3c2'
            >>> shared.contacts[["name", "emails"]].values.tolist()[0][1] == pseudonym(
            ...     "dana@acme.example", salt="keep-this-secret", prefix="email")
            True
        """
        events = pseudonymize_frame(self.events, salt=salt)
        links = pseudonymize_frame(self.links, salt=salt, columns=_LINK_ID_COLUMNS)
        personal = links["kind"].isin(_PERSONAL_KEY_KINDS) & links["key"].notna()
        links.loc[personal, "key"] = [
            pseudonym(str(key), salt=salt, prefix=_key_prefix(str(key)))
            for key in links.loc[personal, "key"]
        ]
        return LinkResult(events, links, contacts_table(events))

    def finding(self) -> str:
        """What linking did, in one sentence."""
        kinds = self.links["kind"].value_counts()
        people = self.contacts[self.contacts["leads"] > 1]
        return (
            f"{len(self.contacts):,} contact(s), {len(people):,} met in more than one lead; "
            f"{int(kinds.get('merged_lead', 0)):,} lead(s) merged into another; "
            f"{int(kinds.get('application_touch', 0)):,} application(s) gained an earlier "
            "networking touch."
        )

    def _tables(self) -> dict[str, pd.DataFrame]:
        # Names and addresses stay out of the display; they are in .links and .contacts.
        summary = (
            self.links.groupby(["kind", "reason"], sort=True).size().rename("links").reset_index()
            if len(self.links)
            else pd.DataFrame({"kind": [], "reason": [], "links": []})
        )
        return {"links by kind": summary}

    def to_html(self) -> str:
        """Finding and the number of links of each kind (no names or addresses)."""
        parts = [f"<div class='na-result'><strong>LinkResult</strong><p>{self.finding()}</p>"]
        parts.append(frame_to_html(self._tables()["links by kind"], index=False))
        parts.append("<p>Details in <code>.links</code> and <code>.contacts</code>.</p></div>")
        return "\n".join(parts)


def text_column(frame: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    for name in names:
        if name in frame:
            values = frame[name].astype(object)
            return values.where(values.notna(), None)
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def contacts_table(events: pd.DataFrame) -> pd.DataFrame:
    named = events[events["contact_id"].notna()]
    if named.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in CONTACT_COLUMNS})
    key = ["seeker", "contact_id"]
    table = pd.DataFrame(
        {
            "seeker": named["seeker"].astype(object),
            "contact_id": named["contact_id"].astype(object),
            "name": named["contact"].astype(object),
            "email": text_column(named, ["contact_email"]),
            "url": text_column(named, URL_COLUMNS),
            "company": named["company"].astype(object),
        }
    )
    grouped = named.groupby(key, sort=True)
    out = pd.DataFrame(
        {
            "leads": grouped["lead_before_link"].nunique(),
            "sources": grouped["source"].nunique(),
            "first_seen": grouped["timestamp"].min(),
        }
    )
    people = table[table["name"].notna() & ~table["name"].astype(str).str.contains("@")]
    counts = people.groupby([*key, "name"], sort=True).size().rename("n").reset_index()
    counts = counts.sort_values([*key, "n"], ascending=[True, True, False], kind="stable")
    out["name"] = counts.drop_duplicates(key).set_index(key)["name"]
    for column, target in (("email", "emails"), ("url", "linkedin")):
        values = table[[*key, column]].dropna().drop_duplicates().sort_values([*key, column])
        out[target] = values.groupby(key)[column].agg(";".join)
    out["company"] = table.groupby(key, sort=True)["company"].first()
    out = out.reset_index().astype({"leads": "int64", "sources": "int64"})
    out = out.astype(object).where(out.notna(), None)
    out["leads"] = out["leads"].astype("int64")
    out["sources"] = out["sources"].astype("int64")
    out["first_seen"] = pd.to_datetime(out["first_seen"], utc=True)
    return out[list(CONTACT_COLUMNS)]
