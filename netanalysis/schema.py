"""The canonical events schema, channel taxonomy, stages and their aliases: one table each.

Everything netanalysis reads becomes a frame with :data:`EVENT_COLUMNS`. The tables here
are plain Python mappings so that users can read them and pass extensions
(``channel_map=`` to :func:`netanalysis.load`, ``stages=`` to :func:`netanalysis.funnel`).

Examples:
    >>> from netanalysis import schema
    >>> schema.DEFAULT_FUNNEL
    ('contacted', 'responded', 'interview', 'offer')
    >>> schema.channel_of("Career fair")
    'in_person'
    >>> schema.stage_of("Phone screen")
    'interview'
    >>> schema.MODE_OF["linkedin"]
    'online_social'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from netanalysis.errors import MissingColumnsError, ParameterError

__all__ = [
    "CHANNELS",
    "CHANNEL_ALIASES",
    "COLUMN_SYNONYMS",
    "DEFAULT_FUNNEL",
    "DIRECTIONS",
    "EVENT_COLUMNS",
    "EVENT_DTYPES",
    "MODES",
    "MODE_OF",
    "PRE_CONTACT_STATUSES",
    "STAGES",
    "STAGE_ALIASES",
    "STAGE_IMPLIES",
    "TERMINAL_STAGES",
    "channel_of",
    "channels_table",
    "empty_events",
    "funnel_level",
    "normalize_label",
    "stage_of",
    "stages_table",
    "validate_events",
]


_SPACES = re.compile(r"[\s_\-/.:]+")
_DROP = re.compile(r"[\"'()\[\]]")


def normalize_label(label: object) -> str:
    """Lower-case a raw label and fold punctuation and spacing, for alias lookup.

    Examples:
        >>> normalize_label("  Phone_Screen ")
        'phone screen'
    """
    text = _DROP.sub("", str(label)).strip().lower()
    return _SPACES.sub(" ", text).strip()


def _aliases(**groups: str) -> dict[str, str]:
    """Build an alias table from comma-separated lists: ``_aliases(offer="offered, got offer")``."""
    table: dict[str, str] = {}
    for target, text in groups.items():
        for alias in text.split(","):
            if alias.strip():
                table[normalize_label(alias)] = target
    return table


# ---------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------

#: The canonical columns, in order. Extra source columns may follow them.
EVENT_COLUMNS: tuple[str, ...] = (
    "seeker",
    "lead",
    "channel",
    "stage",
    "timestamp",
    "contact",
    "company",
    "direction",
    "source",
    "source_row",
)

# ---------------------------------------------------------------------------------------
# Channels and modes
# ---------------------------------------------------------------------------------------

#: Broad ways of searching; every channel belongs to one.
MODES: dict[str, str] = {
    "online_passive": "applying online without a person in between",
    "online_social": "online social networks, professional or recreational",
    "affinity": "industry or affinity groups: associations, veterans' networks, alumni",
    "in_person": "meeting people face to face",
    "direct": "a person-to-person route: referral, recruiter, direct email",
    "other": "anything the taxonomy does not name",
}

#: channel -> (mode, what it covers). The order is the display order.
CHANNELS: dict[str, tuple[str, str]] = {
    "job_board": (
        "online_passive",
        "passive online applications: job sites, company career pages, one-click apply",
    ),
    "linkedin": ("online_social", "professional social network: messages, InMail, invitations"),
    "social_media": ("online_social", "recreational networks: Facebook, X, Instagram, Myspace"),
    "industry_group": (
        "affinity",
        "industry or affinity organisations: associations, veterans' networks, alumni groups",
    ),
    "in_person": ("in_person", "events, meetups, career fairs, coffee chats, conferences"),
    "referral": ("direct", "warm introduction or employee referral"),
    "recruiter": ("direct", "agency recruiter or headhunter"),
    "cold_email": ("direct", "direct email outreach"),
    "other": ("other", "a label the taxonomy does not know (raw label kept in channel_raw)"),
}

#: channel -> mode.
MODE_OF: dict[str, str] = {channel: mode for channel, (mode, _) in CHANNELS.items()}

#: Raw channel labels (normalised with :func:`normalize_label`) -> channel.
CHANNEL_ALIASES: dict[str, str] = _aliases(
    job_board="""
        job board, job boards, job site, jobsite, online, online application, applied
        online, online job board, indeed, glassdoor, monster, ziprecruiter, zip recruiter,
        dice, usajobs, simplyhired, careerbuilder, wellfound, angellist, handshake, company
        website, company site, careers page, career page, company career page, website, easy
        apply, linkedin easy apply, linkedin jobs, job posting, posting, job ad, advert, job
        portal, workday, greenhouse, lever, seek, reed, totaljobs, stepstone, xing jobs,
        google jobs, hiring cafe
    """,
    linkedin="""
        linkedin, linked in, linkedin message, linkedin messages, inmail, linkedin inmail,
        linkedin invitation, linkedin connection, li, linkedin dm, linkedin outreach
    """,
    social_media="""
        social media, social, facebook, fb, twitter, x, x twitter, instagram, ig, myspace,
        tiktok, reddit, mastodon, bluesky, threads, whatsapp, facebook group
    """,
    industry_group="""
        industry group, industry groups, affinity group, professional association,
        association, professional network, professional organisation, professional
        organization, veterans network, veteran network, veterans group, veterans' network,
        veteran organisation, veteran organization, vets network, vets slack,
        vets network slack, veterans slack, hire heroes, alumni, alumni network,
        alumni group, alumni association, online community, community, slack community,
        discord community, meetup group, trade association, union, women in tech, industry
        association
    """,
    in_person="""
        in person, in-person, face to face, event, events, networking event, meetup, meet
        up, career fair, job fair, careers fair, conference, coffee, coffee chat,
        informational interview, info interview, workshop, hiring event, open house
    """,
    referral="""
        referral, referred, employee referral, warm intro, warm introduction, introduction,
        intro, friend, family, personal contact, network referral, word of mouth
    """,
    recruiter="""
        recruiter, recruiters, agency, recruitment agency, staffing agency, staffing,
        headhunter, head hunter, talent agency, external recruiter, inbound recruiter,
        sourced
    """,
    cold_email="""
        cold email, cold emails, email, e mail, direct email, cold outreach, cold mail,
        gmail, outreach email
    """,
    other="""
        other
    """,
)

# ---------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------

#: Every recognised milestone, in the order a lead usually meets them, with its meaning.
STAGES: dict[str, str] = {
    "contacted": "first touch in either direction (application sent, message, invitation)",
    "responded": "a two-way exchange exists (reply, accepted invitation, recruiter answered)",
    "meeting": "a conversation held with a contact (call, coffee, event chat)",
    "referral": "a contact referred or introduced the seeker",
    "interview": "any interview: phone screen, technical, onsite, final",
    "offer": "an offer was made",
    "accepted": "the seeker accepted the offer",
    "rejected": "the other side closed the lead",
    "withdrawn": "the seeker closed the lead",
}

#: The default funnel, in order.
DEFAULT_FUNNEL: tuple[str, ...] = ("contacted", "responded", "interview", "offer")

#: Outcomes that close a lead: after them it is no longer censored.
TERMINAL_STAGES: tuple[str, ...] = ("rejected", "withdrawn", "accepted")

#: Reaching a stage implies reaching these (the stage itself included). A funnel counts a
#: lead at every funnel stage implied by any of its events, and every earlier funnel stage.
STAGE_IMPLIES: dict[str, tuple[str, ...]] = {
    "contacted": ("contacted",),
    "responded": ("contacted", "responded"),
    "meeting": ("contacted", "responded", "meeting"),
    "referral": ("contacted", "responded", "referral"),
    "interview": ("contacted", "responded", "interview"),
    "offer": ("contacted", "responded", "interview", "offer"),
    "accepted": ("contacted", "responded", "interview", "offer", "accepted"),
    "rejected": ("contacted", "rejected"),
    "withdrawn": ("contacted", "withdrawn"),
}

#: Raw stage labels (normalised with :func:`normalize_label`) -> stage.
STAGE_ALIASES: dict[str, str] = _aliases(
    contacted="""
        contacted, applied, application, application sent, apply, submitted, sent, reached
        out, outreach, messaged, message sent, emailed, email sent, connection request,
        invitation sent, invited, contact, contact made, first contact, initial contact,
        wishlist applied, to do, approached, inbound, recruiter reached out, in touch
    """,
    responded="""
        responded, response, reply, replied, callback, call back, heard back, answered,
        accepted invitation, invitation accepted, connection accepted, in contact, in
        progress, conversation, response received
    """,
    meeting="""
        meeting, met, call, coffee, coffee chat, informational, chat, informational
        interview, info interview, video call, networking call
    """,
    referral="""
        referral, referred, introduced, intro made, introduction
    """,
    interview="""
        interview, interviews, interviewing, interviewed, phone screen, phone interview,
        screen, recruiter screen, hr screen, technical, technical interview, onsite, on
        site, final round, final interview, second interview, first interview, screening,
        assessment, case study, panel, interview scheduled, video interview
    """,
    offer="""
        offer, offered, offer received, job offer, got offer
    """,
    accepted="""
        accepted, accepted offer, offer accepted, hired, signed, started
    """,
    rejected="""
        rejected, rejection, declined by employer, not selected, position filled, filled,
        turned down, unsuccessful, no offer, ghosted by employer, archived by employer
    """,
    withdrawn="""
        withdrawn, withdrew, withdraw, declined, declined offer, offer declined, not
        interested, abandoned, dropped
    """,
)

#: Tracker statuses that mean no contact was made yet (a saved posting is not a lead).
PRE_CONTACT_STATUSES: tuple[str, ...] = (
    "wishlist",
    "saved",
    "bookmarked",
    "interested",
    "to apply",
    "not applied",
    "planned",
    "researching",
    "draft",
    "considering",
    "want to apply",
    "not started",
)

#: Directions of a lead: who started it.
DIRECTIONS: tuple[str, ...] = ("outbound", "inbound")

#: Raw direction labels -> direction.
DIRECTION_ALIASES: dict[str, str] = _aliases(
    outbound="""
        outbound, out, outgoing, sent, me, self, mine
    """,
    inbound="""
        inbound, in, incoming, received, them, recruiter reached out
    """,
)

#: Column names in the wild (normalised) -> canonical column. Used to guess a mapping.
COLUMN_SYNONYMS: dict[str, str] = _aliases(
    seeker="""
        seeker, seeker id, person, participant, participant id, user, user id, candidate,
        candidate id, job seeker, member, member id
    """,
    lead="""
        lead, lead id, job id, application id, application, thread id, thread, conversation
        id, opportunity, opportunity id, case id, id
    """,
    channel="""
        channel, source, via, how, method, medium, origin, lead source, found via, how
        found, job source, application source
    """,
    stage="""
        stage, status, step, event, milestone, outcome, state, action, event type
    """,
    timestamp="""
        timestamp, date, when, time, datetime, date time, event date, event time, created
        at, occurred at, day
    """,
    contact="""
        contact, contact name, person contacted, name, recruiter name, who, with, referrer,
        contact person
    """,
    company="""
        company, company name, employer, organisation, organization, org, firm, business
    """,
    direction="""
        direction, initiated by, started by, inbound outbound
    """,
)

# ---------------------------------------------------------------------------------------
# dtypes
# ---------------------------------------------------------------------------------------

#: pandas dtype of each canonical column.
EVENT_DTYPES: dict[str, object] = {
    "seeker": "str",
    "lead": "str",
    "channel": pd.CategoricalDtype(list(CHANNELS)),
    "stage": pd.CategoricalDtype(list(STAGES)),
    "timestamp": "datetime64[us, UTC]",
    "contact": "str",
    "company": "str",
    "direction": pd.CategoricalDtype(list(DIRECTIONS)),
    "source": "str",
    "source_row": "Int64",
}


def channel_of(label: object, channel_map: Mapping[str, str] | None = None) -> str:
    """Map a raw channel label to the taxonomy; unknown labels give ``'other'``.

    ``channel_map`` (raw label -> channel) is consulted first, by exact label and by
    normalised label.

    Examples:
        >>> channel_of("Vets2Tech Slack", {"Vets2Tech Slack": "industry_group"})
        'industry_group'
        >>> channel_of("carrier pigeon")
        'other'
    """
    if channel_map:
        if label in channel_map:
            return _checked_channel(channel_map[label])  # type: ignore[index]
        normalized_map = {normalize_label(k): v for k, v in channel_map.items()}
        key = normalize_label(label)
        if key in normalized_map:
            return _checked_channel(normalized_map[key])
    return CHANNEL_ALIASES.get(normalize_label(label), "other")


def _checked_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise ParameterError(
            f"channel_map maps to {channel!r}, which is not a channel. Use one of {list(CHANNELS)}."
        )
    return channel


def stage_of(label: object, stage_map: Mapping[str, str] | None = None) -> str | None:
    """Map a raw stage label to a stage name, or None when it is unknown.

    Examples:
        >>> stage_of("Applied"), stage_of("ghosted")
        ('contacted', None)
    """
    if stage_map:
        if label in stage_map:
            return stage_map[label]  # type: ignore[index]
        normalized = {normalize_label(k): v for k, v in stage_map.items()}
        if normalize_label(label) in normalized:
            return normalized[normalize_label(label)]
    return STAGE_ALIASES.get(normalize_label(label))


def funnel_level(stage: str, stages: Sequence[str] = DEFAULT_FUNNEL) -> int:
    """The index of the furthest funnel stage that ``stage`` implies, or -1 for none.

    Examples:
        >>> funnel_level("meeting")  # a meeting implies a two-way exchange
        1
        >>> funnel_level("accepted")
        3
        >>> funnel_level("rejected")
        0
    """
    implied = STAGE_IMPLIES.get(stage, (stage,))
    levels = [i for i, s in enumerate(stages) if s in implied or s == stage]
    return max(levels) if levels else -1


def channels_table() -> pd.DataFrame:
    """The channel taxonomy as a table: channel, mode, what it covers.

    Examples:
        >>> channels_table().loc["referral", "mode"]
        'direct'
    """
    return pd.DataFrame(
        [(c, m, d) for c, (m, d) in CHANNELS.items()], columns=["channel", "mode", "covers"]
    ).set_index("channel")


def stages_table() -> pd.DataFrame:
    """The stages as a table: meaning, implied stages, whether terminal, known aliases.

    Examples:
        >>> stages_table().loc["interview", "terminal"]
        np.False_
    """
    rows = []
    for stage, meaning in STAGES.items():
        aliases = sorted(k for k, v in STAGE_ALIASES.items() if v == stage and k != stage)
        rows.append(
            (
                stage,
                meaning,
                ", ".join(STAGE_IMPLIES[stage]),
                stage in TERMINAL_STAGES,
                ", ".join(aliases),
            )
        )
    return pd.DataFrame(
        rows, columns=["stage", "meaning", "implies", "terminal", "aliases"]
    ).set_index("stage")


def empty_events() -> pd.DataFrame:
    """An events frame with no rows and the canonical dtypes.

    Examples:
        >>> list(empty_events().columns) == list(EVENT_COLUMNS) + ["mode", "channel_raw"]
        True
    """
    frame = pd.DataFrame({c: pd.Series([], dtype=EVENT_DTYPES[c]) for c in EVENT_COLUMNS})
    frame["mode"] = pd.Series([], dtype=pd.CategoricalDtype(list(MODES)))
    frame["channel_raw"] = pd.Series([], dtype="str")
    return frame


def validate_events(events: pd.DataFrame, *, required: Sequence[str] | None = None) -> None:
    """Raise :class:`MissingColumnsError` if canonical columns are absent.

    Examples:
        >>> validate_events(pd.DataFrame({"lead_id": [1]}), required=["lead"])
        Traceback (most recent call last):
        ...
        netanalysis.errors.MissingColumnsError: the following required columns were not found: ['lead']; the file has: ['lead_id']. Hint: did you mean 'lead_id' for 'lead'?; ...
    """
    needed = list(required) if required is not None else ["seeker", "lead", "channel", "stage"]
    columns = [str(c) for c in events.columns]
    missing = [c for c in needed if c not in columns]
    if missing:
        raise MissingColumnsError(
            missing,
            columns,
            hint="load the data with na.load(...) or rename the columns to the canonical names",
        )
