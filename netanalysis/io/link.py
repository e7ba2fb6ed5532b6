"""Link sources into one story per lead: the same person across sources, and the
networking that came before an application.

``na.load`` never links: it returns each source's leads as the source defines them.
Linking is a separate, explicit step, ``na.link(events)``; not calling it is how linking
is turned off, and its two parts can be turned off one by one (``merge_contacts=``,
``touches=``). What it does, in order, within each seeker:

1. **Contacts.** A person seen in several events (and sources) becomes one contact,
   ``contact_id``, when they share an email address (``contact_email``), a LinkedIn
   profile URL (``contact_url``, normalised: lower case, no query string, no trailing
   slash, ``www`` host), or a full name together with a company. A company is known from
   the ``company`` column or from a work email domain (``dana@northwind-analytics.com``
   is at *Northwind Analytics*: the domain's label equals the company name without
   spaces, punctuation and legal form; ``company_domains=`` adds pairs the rule misses).
   Each join between two leads is listed (kind ``same_contact``). Events of a contact
   without a company get the company another source gives for them
   (``company_from_contact``).
2. **Lead kinds.** A lead is an ``application`` when its first event is ``job_board``;
   else ``networking`` when it names a person's email or profile URL (email threads,
   LinkedIn conversations, calendar meetings) or a contact on a person-to-person channel
   (``linkedin``, ``social_media``, ``industry_group``, ``in_person``, ``cold_email``);
   else ``application`` when it names a company (tracker rows, whatever their source);
   else ``other``. A ``lead_kind`` column, when a loader gives one, wins: the LinkedIn
   loader marks invitations and messages ``networking`` and job applications
   ``application``, the tracker loaders (Huntr, Simplify, JobSync) every row
   ``application``.
3. **One lead per contact** (``merge_contacts=True``). Networking leads whose first
   person is the same contact become one lead, the earliest one's id
   (``merged_lead``): a LinkedIn invitation, an email thread and a coffee with Dana are
   one story. A calendar meeting joins the lead of any of its attendees. In a merged
   lead, a video, phone or unlocated meeting takes the channel of the lead's first
   event that is not a meeting (``meeting_channel``), when the calendar loader gave it
   its default ``in_person``; an in-person meeting stays ``in_person``.
4. **Networking before an application** (``touches=True``). An application at a company
   preceded, within ``window_days`` before its first event, by networking with someone at
   that company gains that touch: a copy of the earliest such networking event (over all
   the company's contacts), as a ``contacted`` event of the application with the
   networking channel (``application_touch``; one per application). So ``funnel(attribution="first")`` credits the network and
   ``attribution="last"`` the application. The networking lead itself is unchanged.

**Contact ids** are numbers, ``contact-1``, ``contact-2``, ... (by seeker, then by when
the contact was first seen): they are not made from names or addresses, so nothing
personal can be recomputed from them. They still tie a person's events together, so
:func:`~netanalysis.io.privacy.personal_fields` lists ``contact_id`` among the personal
fields.

**Privacy.** Link first, then pseudonymise: ``pseudonymize(linked.events, salt=...)``
(or :meth:`LinkResult.pseudonymize` for the events, links and contacts together)
replaces every personal column, including the ones linking adds (``contact_id``,
``lead_before_link``, ``linked_from``: see
:data:`~netanalysis.io.privacy.PERSONAL_COLUMNS`), with pseudonyms that keep the story
linked. Linking **pseudonymised data** (``na.load(..., pseudonymize=True, salt=...)``)
works in part: emails and profile URLs still match (one salt gives one pseudonym per
address), calendar attendees too; names and email domains are hidden, so name + company
and domain -> company matching do not apply.

Every change is a row of :attr:`LinkResult.links` with its reason. The events keep their
provenance: ``lead_before_link``, ``channel_before_link`` and ``company_before_link`` (the
values before linking),
``linked_from`` (the networking lead a touch was copied from). Linking linked events
again starts from those values, so it gives the same result.

Examples:
    >>> import pandas as pd, netanalysis as na
    >>> ev = na.load(pd.DataFrame({
    ...     "lead": ["li:dana", "li:dana", "app:1", "app:1"],
    ...     "channel": ["linkedin", "linkedin", "Indeed", "Indeed"],
    ...     "stage": ["contacted", "responded", "applied", "interview"],
    ...     "date": ["2024-03-01", "2024-03-02", "2024-03-12", "2024-03-20"],
    ...     "contact": ["Dana Whitfield", "Dana Whitfield", None, None],
    ...     "company": ["Northwind Analytics", "Northwind Analytics", "Northwind Analytics",
    ...                 "Northwind Analytics"]})).events
    >>> res = na.link(ev, window_days=30)
    >>> res.links[["kind", "lead", "other_lead", "days_before"]].to_dict("records")
    [{'kind': 'application_touch', 'lead': 'app:1', 'other_lead': 'li:dana', 'days_before': 11.0}]
    >>> na.funnel(res.events, attribution="first")["interview"].to_dict()
    {'linkedin': 1}
    >>> na.funnel(res.events, attribution="last")["interview"].to_dict()
    {'job_board': 1, 'linkedin': 0}
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import DisjointSet

from netanalysis.errors import ParameterError, check_range
from netanalysis.io.identity import (
    company_key,
    domain_company_key,
    email_domain,
    name_key,
    normalize_email,
    normalize_linkedin_url,
)
from netanalysis.io.link_result import (
    CONTACT_COLUMNS,
    LINK_COLUMNS,
    LINK_KINDS,
    URL_COLUMNS,
    LinkResult,
    contacts_table,
    text_column,
)
from netanalysis.io.normalize import finalize_events
from netanalysis.io.privacy import PERSONAL_COLUMNS
from netanalysis.schema import validate_events

__all__ = [
    "CONTACT_COLUMNS",
    "LINK_COLUMNS",
    "LINK_KINDS",
    "PERSONAL_ADDED_COLUMNS",
    "LinkResult",
    "link",
]

#: Columns ``link`` adds to the events.
ADDED_COLUMNS: tuple[str, ...] = (
    "contact_id",
    "lead_kind",
    "lead_before_link",
    "channel_before_link",
    "company_before_link",
    "linked_from",
)

#: The columns ``link`` adds that identify people: registered in the privacy registry
#: (:data:`netanalysis.io.privacy.PERSONAL_COLUMNS`), so ``pseudonymize`` replaces them and
#: ``personal_fields`` reports them. The others (``lead_kind``, ``channel_before_link``,
#: ``company_before_link``) are not personal.
PERSONAL_ADDED_COLUMNS: tuple[str, ...] = tuple(c for c in ADDED_COLUMNS if c in PERSONAL_COLUMNS)

_KEY_REASON = {
    "email": "same email address",
    "linkedin": "same LinkedIn profile",
    "name_company": "same name and company",
}
_DEFAULT_MEETING_LABELS = ("video call", "phone call", "meeting")
_LEAD_KINDS = ("application", "networking", "other")
#: Channels where a named contact makes a lead a networking lead (not an application).
_PERSON_CHANNELS = ("linkedin", "social_media", "industry_group", "in_person", "cold_email")


def link(
    events: Any,
    *,
    window_days: float = 30,
    merge_contacts: bool = True,
    touches: bool = True,
    company_domains: Mapping[str, str | Sequence[str]] | None = None,
) -> LinkResult:
    """Join the same person across sources and credit networking before applications.

    ``na.load`` does not link; call this on its events (see the module documentation
    for the rules, which are applied within each seeker).

    Args:
        events: an events frame from :func:`netanalysis.load` (or the ``LoadResult``).
        window_days: how long before an application networking at the same company
            still counts as its touch (days, >= 0).
        merge_contacts: merge networking leads of the same contact into one lead (and
            calendar meetings into the lead of their attendee).
        touches: add the earliest networking touch within the window to applications.
        company_domains: company name -> its email domain(s), for companies whose domain
            does not spell their name, e.g. ``{"Blue Harbor Logistics": "bhl.com"}``.

    Returns:
        LinkResult with ``.events`` (linked), ``.links`` (every link and its reason)
        and ``.contacts``.
    """
    frame = _as_frame(events)
    check_range("window_days", float(window_days), where="link", low=0, inclusive=True)
    validate_events(frame, required=["lead", "channel", "stage", "timestamp"])
    frame = _unlinked(finalize_events(frame))
    links: list[dict[str, Any]] = []
    people = _people(frame)
    frame["contact_id"] = _resolve_contacts(frame, people, links)
    _fill_companies(frame, people, links)
    frame["lead_kind"] = _lead_kinds(frame, people)
    if merge_contacts:
        _merge_leads(frame, people, links)
    extra_domains = _domain_aliases(company_domains)
    if touches:
        frame = _add_touches(frame, people, float(window_days), extra_domains, links)
    frame["_stage"] = frame["stage"].astype(str)
    frame = frame.sort_values(
        ["seeker", "lead", "timestamp", "source", "source_row", "_stage"],
        kind="stable",
        na_position="last",
    ).drop(columns="_stage")
    out = finalize_events(frame.reset_index(drop=True))
    for column in (
        "lead_kind",
        "linked_from",
        "contact_id",
        "lead_before_link",
        "company_before_link",
    ):
        out[column] = out[column].astype("str").where(out[column].notna())
    out["channel_before_link"] = out["channel_before_link"].astype(out["channel"].dtype)
    out = out[[c for c in out.columns if c not in ADDED_COLUMNS] + list(ADDED_COLUMNS)]
    link_frame = pd.DataFrame.from_records(links, columns=list(LINK_COLUMNS))
    for column in LINK_COLUMNS:
        if column != "days_before":
            link_frame[column] = link_frame[column].astype("str").where(link_frame[column].notna())
    link_frame["days_before"] = link_frame["days_before"].astype("float64")
    rank = link_frame["kind"].map({k: i for i, k in enumerate(LINK_KINDS)})
    link_frame = (
        link_frame.assign(_rank=rank)
        .sort_values(["seeker", "_rank", "lead", "other_lead", "key"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    return LinkResult(out, link_frame, contacts_table(out))


def _as_frame(events: Any) -> pd.DataFrame:
    if hasattr(events, "events") and isinstance(events.events, pd.DataFrame):
        return events.events.copy()
    if isinstance(events, pd.DataFrame):
        return events.copy()
    try:
        import narwhals as nw

        return nw.from_native(events, eager_only=True).to_pandas()
    except TypeError as exc:
        raise ParameterError(
            f"link() takes an events frame or a LoadResult. Got {type(events).__name__}."
        ) from exc


def _unlinked(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo an earlier link: drop copied touches, restore leads and channels."""
    if "linked_from" in frame:
        frame = frame[frame["linked_from"].isna()].copy()
    if "lead_before_link" in frame:
        frame["lead"] = frame["lead_before_link"].where(
            frame["lead_before_link"].notna(), frame["lead"]
        )
    if "channel_before_link" in frame:
        restored = frame["channel_before_link"].astype(object)
        frame["channel"] = restored.where(restored.notna(), frame["channel"].astype(object))
    if "company_before_link" in frame and "company" in frame:
        frame["company"] = frame["company_before_link"]
    frame = frame.drop(columns=[c for c in ADDED_COLUMNS if c in frame and c != "lead_kind"])
    frame = frame.reset_index(drop=True)
    frame["lead_before_link"] = frame["lead"].astype(object)
    frame["channel_before_link"] = frame["channel"].astype(object)
    company = frame["company"] if "company" in frame else pd.Series(None, index=frame.index)
    frame["company_before_link"] = company.astype(object)
    frame["linked_from"] = pd.Series([None] * len(frame), dtype=object)
    return frame


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    """Per event: the identity keys of the person it names (email, url, name, company)."""
    contact = text_column(frame, ["contact"])
    raw_email = text_column(frame, ["contact_email"])
    email_from_contact = contact.map(lambda v: normalize_email(v) if v and "@" in v else None)
    email = raw_email.map(_opaque(normalize_email)).where(raw_email.notna(), email_from_contact)
    url = text_column(frame, URL_COLUMNS).map(_opaque(normalize_linkedin_url))
    company = text_column(frame, ["company"])
    company_k = company.map(company_key)
    domain_k = email.map(lambda e: domain_company_key(email_domain(e)))
    name = contact.map(name_key)
    out = pd.DataFrame(
        {
            "seeker": frame["seeker"].astype(object).to_numpy(),
            "lead": frame["lead"].astype(object).to_numpy(),
            "contact": contact.to_numpy(),
            "email": email.to_numpy(),
            "url": url.to_numpy(),
            "name": name.to_numpy(),
            "company": company.to_numpy(),
            "company_key": company_k.to_numpy(),
            "domain_key": domain_k.to_numpy(),
        },
        index=frame.index,
    )
    out["org_key"] = out["company_key"].where(out["company_key"].notna(), out["domain_key"])
    out = out.astype(object)
    return out.where(out.notna(), None)


def _opaque(normalize: Any) -> Any:
    """Normalise a value, or keep it as an opaque key (pseudonymised data)."""

    def apply(value: Any) -> str | None:
        if value is None or not isinstance(value, str) or not value.strip():
            return None
        return normalize(value) or value.strip().lower()

    return apply


def _resolve_contacts(
    frame: pd.DataFrame, people: pd.DataFrame, links: list[dict[str, Any]]
) -> pd.Series:
    """Give every event naming a person a contact id; list joins between leads."""
    has_person = people[["contact", "email", "url"]].notna().any(axis=1)
    columns = ["seeker", "timestamp", "source", "source_row", "lead_before_link"]
    records = people.loc[_chronological(frame.loc[has_person, columns]).index]
    columns = ["seeker", "lead", "contact", "email", "url", "org_key"]
    nodes = list(zip(*(records[c] for c in columns), strict=True))
    unique = list(dict.fromkeys(nodes))
    sets = DisjointSet(unique)
    first_with: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    joins: list[tuple[dict[str, Any], tuple[Any, ...]]] = []
    for node in unique:
        seeker, lead, _, email, url, org = node
        name = name_key(node[2])
        keys = [("email", email), ("linkedin", url)]
        keys.append(("name_company", f"{name}|{org}" if name and org else None))
        for kind, value in keys:
            if value is None:
                continue
            other = first_with.setdefault((seeker, kind, value), node)
            if other is node or not sets.merge(other, node):
                continue
            if other[1] != lead:
                item = _link(seeker, "same_contact", lead, other[1], None, _KEY_REASON[kind], value)
                links.append(item)
                joins.append((item, node))
    ids = _contact_ids(sets.subsets(), nodes, frame.loc[records.index, "timestamp"].tolist())
    for item, node in joins:
        item["contact_id"] = ids[node]
    out = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    out[records.index] = [ids[node] for node in nodes]
    return out


def _contact_ids(
    subsets: list[set[tuple[Any, ...]]], nodes: list[tuple[Any, ...]], times: Any
) -> dict[tuple[Any, ...], str]:
    """Number the contacts ``contact-1``, ``contact-2``, ... by seeker, then by when each
    was first seen (ties: their keys), so the ids depend on neither the input order nor
    the people's names and addresses: nothing personal can be recomputed from an id.
    ``pseudonymize`` gives them salted pseudonyms like every other personal column."""
    first: dict[tuple[Any, ...], pd.Timestamp] = {}
    for node, time in zip(nodes, times, strict=True):
        if node not in first or (pd.notna(time) and (pd.isna(first[node]) or time < first[node])):
            first[node] = time

    def order(subset: set[tuple[Any, ...]]) -> tuple[Any, ...]:
        seen = [first[n] for n in subset if pd.notna(first[n])]
        when = min(seen).value if seen else np.iinfo(np.int64).max
        return (str(next(iter(subset))[0]), when, min(repr(n[2:]) for n in subset))

    ordered = sorted(subsets, key=order)
    width = len(str(len(ordered)))
    ids: dict[tuple[Any, ...], str] = {}
    for number, subset in enumerate(ordered, start=1):
        for node in subset:
            ids[node] = f"contact-{number:0{width}d}"
    return ids


def _fill_companies(frame: pd.DataFrame, people: pd.DataFrame, links: list[dict[str, Any]]) -> None:
    """Events of a contact without a company take the contact's known company."""
    named = frame["contact_id"].notna() & people["company"].notna()
    missing = frame["contact_id"].notna() & people["company"].isna()
    if not named.any() or not missing.any():
        return
    known = (
        pd.DataFrame(
            {"seeker": frame["seeker"], "cid": frame["contact_id"], "company": people["company"]}
        )[named]
        .groupby(["seeker", "cid"])["company"]
        .agg(lambda s: Counter(s).most_common(1)[0][0])
        .to_dict()
    )
    index = frame.index[missing]
    keys = list(zip(frame.loc[index, "seeker"], frame.loc[index, "contact_id"], strict=True))
    found = pd.Series([known.get(k) for k in keys], index=index, dtype=object)
    found = found[found.notna()]
    if found.empty:
        return
    frame.loc[found.index, "company"] = found
    people.loc[found.index, "company"] = found
    people.loc[found.index, "company_key"] = found.map(company_key)
    filled = frame.loc[found.index, ["seeker", "lead", "contact_id", "company"]].drop_duplicates(
        ["seeker", "lead", "contact_id"]
    )
    for seeker, lead, cid, company in filled.itertuples(index=False):
        links.append(
            _link(
                seeker,
                "company_from_contact",
                lead,
                None,
                cid,
                "company known for this contact from another source",
                company,
            )
        )


def _lead_kinds(frame: pd.DataFrame, people: pd.DataFrame) -> pd.Series:
    """application / networking / other per lead (see the module documentation)."""
    columns = ["seeker", "lead", "timestamp", "source", "source_row", "lead_before_link"]
    first = _chronological(frame[[*columns, "channel"]])
    first_channel = first.groupby(["seeker", "lead"], sort=False)["channel"].first().astype(str)
    social = frame["channel"].astype(str).isin(_PERSON_CHANNELS).to_numpy()
    flags = pd.DataFrame(
        {
            "seeker": frame["seeker"],
            "lead": frame["lead"],
            "key": (people["email"].notna() | people["url"].notna()).to_numpy(),
            "named": (people["contact"].notna().to_numpy() & social),
            "company": people["company"].notna().to_numpy(),
        }
    )
    per_lead = flags.groupby(["seeker", "lead"], sort=False)[["key", "named", "company"]].any()
    per_lead = per_lead.join(first_channel.rename("channel"))
    kind = np.select(
        [
            per_lead["channel"] == "job_board",
            per_lead["key"] | per_lead["named"],
            per_lead["company"],
        ],
        ["application", "networking", "application"],
        default="other",
    )
    kinds = dict(zip(per_lead.index, kind, strict=True))
    keys = list(zip(frame["seeker"], frame["lead"], strict=True))
    out = pd.Series([kinds[k] for k in keys], index=frame.index, dtype=object)
    if "lead_kind" in frame:
        given = frame["lead_kind"].astype(object)
        given = given.where(given.isin(_LEAD_KINDS), None)
        out = given.where(given.notna(), out)
    return out


def _chronological(frame: pd.DataFrame) -> pd.DataFrame:
    """Events in time order; ties broken by source position, so results never depend on
    the order of the input rows."""
    keys = ["timestamp", "source", "source_row", "lead_before_link", "seeker"]
    return frame.sort_values(keys, kind="stable", na_position="last")


def _lead_facts(frame: pd.DataFrame) -> pd.DataFrame:
    """Per lead: first time, primary contact (first event naming one), meeting-only."""
    columns = ["seeker", "lead", "timestamp", "source", "source_row", "lead_before_link"]
    ordered = _chronological(frame[[*columns, "stage", "contact_id", "lead_kind"]]).assign(
        _meeting=lambda f: (f["stage"].astype(str) == "meeting").to_numpy()
    )
    grouped = ordered.groupby(["seeker", "lead"], sort=False)
    return pd.DataFrame(
        {
            "first": grouped["timestamp"].min(),
            "contact_id": grouped["contact_id"].first(),
            "kind": grouped["lead_kind"].first(),
            "meeting_only": grouped["_meeting"].all(),
        }
    )


def _merge_leads(frame: pd.DataFrame, people: pd.DataFrame, links: list[dict[str, Any]]) -> None:
    facts = _lead_facts(frame)
    networking = facts[facts["kind"] == "networking"].dropna(subset=["contact_id"])
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (seeker, lead), row in networking.sort_values("first", na_position="last").iterrows():
        groups[(seeker, row["contact_id"])].append(lead)
    # A meeting with no other lead of its contact joins the lead of another attendee.
    email_contact = {
        (s, e): c
        for s, e, c in zip(frame["seeker"], people["email"], frame["contact_id"], strict=True)
        if e and c
    }
    attendees = pd.DataFrame(
        {
            "seeker": frame["seeker"].astype(object),
            "lead": frame["lead"].astype(object),
            "attendees": text_column(frame, ["attendees"]),
        }
    ).dropna()
    listed = attendees.groupby(["seeker", "lead"], sort=False)["attendees"].agg(";".join)
    reason_of: dict[tuple[str, str], tuple[str, str | None]] = {}
    for (seeker, contact_id), leads in list(groups.items()):
        if not all(facts.at[(seeker, lead), "meeting_only"] for lead in leads):
            continue
        for lead in list(leads):
            emails = [e for e in str(listed.get((seeker, lead), "")).split(";") if e]
            for email in dict.fromkeys(emails):
                other = email_contact.get((seeker, normalize_email(email) or email))
                target = groups.get((seeker, other)) if other and other != contact_id else None
                if target and not all(facts.at[(seeker, x), "meeting_only"] for x in target):
                    target.append(lead)
                    leads.remove(lead)
                    reason_of[(seeker, lead)] = (
                        "meeting attendee is the contact of the lead",
                        email,
                    )
                    break
    lead_of: dict[tuple[str, str], str] = {}
    for (seeker, contact_id), leads in groups.items():
        if len(leads) < 2:
            continue
        ordered = sorted(leads, key=lambda x: (facts.at[(seeker, x), "first"], x))
        target = ordered[0]
        for lead in ordered[1:]:
            lead_of[(seeker, lead)] = target
            reason, key = reason_of.get((seeker, lead), ("same contact", None))
            links.append(_link(seeker, "merged_lead", lead, target, contact_id, reason, key))
    if not lead_of:
        return
    keys = list(zip(frame["seeker"], frame["lead"], strict=True))
    new_lead = [lead_of.get(k, k[1]) for k in keys]
    targets = {(seeker, lead) for (seeker, _), lead in lead_of.items()}
    merged = np.array([(k[0], lead) in targets for k, lead in zip(keys, new_lead, strict=True)])
    frame["lead"] = new_lead
    _meeting_channels(frame, merged, links)


def _meeting_channels(frame: pd.DataFrame, merged: np.ndarray, links: list[dict[str, Any]]) -> None:
    """Video, phone and unlocated meetings of merged leads take the lead's channel: that of
    its first event that is not a meeting."""
    if "channel_raw" not in frame:
        return
    raw = frame["channel_raw"].astype(object).map(lambda v: str(v).lower() if v else None)
    default = (
        merged
        & (frame["stage"].astype(str) == "meeting").to_numpy()
        & raw.isin(_DEFAULT_MEETING_LABELS).to_numpy()
        & (frame["channel"].astype(str) == "in_person").to_numpy()
    )
    if not default.any():
        return
    others = _chronological(frame[frame["stage"].astype(str) != "meeting"])
    lead_channel = others.groupby(["seeker", "lead"], sort=False)["channel"].first()
    channel = frame["channel"].astype(object).copy()
    done = set()
    for index in frame.index[default]:
        key = (frame.at[index, "seeker"], frame.at[index, "lead"])
        if key not in lead_channel.index:
            continue
        channel[index] = str(lead_channel[key])
        original = frame.at[index, "lead_before_link"]
        if (key, original) not in done:
            done.add((key, original))
            links.append(
                _link(
                    key[0],
                    "meeting_channel",
                    original,
                    key[1],
                    frame.at[index, "contact_id"],
                    f"{raw[index]} with the lead's contact: channel of the lead "
                    f"({channel[index]}) instead of in_person",
                    None,
                )
            )
    frame["channel"] = channel


def _domain_aliases(company_domains: Mapping[str, Any] | None) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for name, domains in (company_domains or {}).items():
        key = company_key(name)
        if key is None:
            raise ParameterError(f"company_domains: {name!r} is not a company name.")
        for domain in [domains] if isinstance(domains, str) else list(domains):
            label = domain_company_key(str(domain).split("@")[-1])
            if label:
                out[key].add(label)
    return out


def _add_touches(
    frame: pd.DataFrame,
    people: pd.DataFrame,
    window_days: float,
    aliases: dict[str, set[str]],
    links: list[dict[str, Any]],
) -> pd.DataFrame:
    """Give each application the earliest networking event at its company in the window."""
    facts = _lead_facts(frame)
    apps = facts[(facts["kind"] == "application") & facts["first"].notna()]
    company = frame[frame["company"].notna()].groupby(["seeker", "lead"], sort=False)["company"]
    app_company = company.first()
    apps = apps[["first"]].join(app_company.rename("company"), how="inner").reset_index()
    if apps.empty:
        return frame
    apps["key"] = apps["company"].map(company_key)
    apps["org"] = apps["key"].map(lambda k: sorted({k} | aliases.get(k or "", set())))
    apps = apps.explode("org").dropna(subset=["org"])
    # Organisations of each networking event's person: its company or work domain, and
    # those known for the whole contact (a LinkedIn connection's company counts for the
    # contact's emails).
    orgs = pd.concat(
        [
            pd.DataFrame(
                {
                    "seeker": frame["seeker"],
                    "contact_id": frame["contact_id"],
                    "org": people[column],
                }
            )
            for column in ("company_key", "domain_key")
        ]
    ).dropna()
    orgs = orgs.drop_duplicates()
    is_net = (frame["lead_kind"] == "networking") & frame["timestamp"].notna()
    columns = ["seeker", "lead", "contact_id", "timestamp", "source", "source_row"]
    net = frame.loc[is_net, [*columns, "lead_before_link"]].rename_axis("row").reset_index()
    own = pd.concat(
        [
            net[["row", "seeker"]].assign(org=people.loc[net["row"], c].to_numpy())
            for c in ("company_key", "domain_key")
        ]
    )
    via_contact = net[["row", "seeker", "contact_id"]].merge(orgs, on=["seeker", "contact_id"])
    event_orgs = pd.concat([own, via_contact[["row", "seeker", "org"]]]).dropna()
    event_orgs = event_orgs.drop_duplicates().merge(net, on=["row", "seeker"])
    # Per application and organisation, the first networking event at or after the start
    # of the window (ties: source order), kept when it is not after the application.
    order = ["timestamp", "source", "source_row", "lead_before_link", "lead"]
    event_orgs = event_orgs.sort_values(order, kind="stable")
    event_orgs = event_orgs.drop_duplicates(["seeker", "org", "timestamp"])
    event_orgs = event_orgs.astype({"seeker": object, "org": object})
    window = pd.Timedelta(days=window_days)
    apps = apps.rename(columns={"lead": "app"})
    apps = apps.astype({"seeker": object, "org": object})
    apps["start"] = (apps["first"] - window).astype(event_orgs["timestamp"].dtype)
    pairs = pd.merge_asof(
        apps.sort_values("start", kind="stable"),
        event_orgs,
        left_on="start",
        right_on="timestamp",
        by=["seeker", "org"],
        direction="forward",
    )
    pairs = pairs[pairs["timestamp"].notna() & (pairs["timestamp"] <= pairs["first"])]
    if pairs.empty:
        return frame
    keys = ["seeker", "app", *order]
    pairs = pairs.sort_values(keys, kind="stable").drop_duplicates(["seeker", "app"])
    touches = frame.loc[pairs["row"].to_numpy()].copy()
    touches["lead"] = pairs["app"].to_numpy()
    touches["stage"] = "contacted"
    touches["company"] = pairs["company"].to_numpy()
    touches["lead_kind"] = "application"
    touches["linked_from"] = pairs["lead"].to_numpy()
    touches["lead_before_link"] = None
    touches["company_before_link"] = None
    days = (pairs["first"] - pairs["timestamp"]) / pd.Timedelta(days=1)
    for pair, day in zip(pairs.itertuples(index=False), days, strict=True):
        links.append(
            _link(
                pair.seeker,
                "application_touch",
                pair.app,
                pair.lead,
                pair.contact_id,
                f"networking with someone at {pair.company} {day:.1f} day(s) before the "
                f"application (window {window_days:g} days)",
                pair.key,
                round(float(day), 3),
            )
        )
    return pd.concat([frame, touches], ignore_index=True)


def _link(
    seeker: str,
    kind: str,
    lead: str,
    other: str | None,
    contact_id: str | None,
    reason: str,
    key: str | None,
    days: float | None = None,
) -> dict[str, Any]:
    return {
        "seeker": seeker,
        "kind": kind,
        "lead": lead,
        "other_lead": other,
        "contact_id": contact_id,
        "reason": reason,
        "key": key,
        "days_before": np.nan if days is None else days,
    }
