"""Plain-word findings: numbers, intervals, p-values and caveats, formatted one way.

Every result's ``finding()`` is built from these helpers so that the notebook, the
terminal and the HTML report say things the same way. They are small and stable: other
modules (timing, cohort, the report) import them.

Formatting (each returns a short string; NaN gives ``"–"``):

- :func:`fmt_num` numbers with 2 significant digits (``4.1``, ``0.23``, ``1,234``),
- :func:`fmt_count` whole numbers with thousands separators,
- :func:`fmt_pct` proportions as percentages (``23%``, ``4.6%``),
- :func:`fmt_ratio` ratios (``4.1×``),
- :func:`fmt_interval` / :func:`fmt_ci` intervals (``95% CI 1.9–8.7``),
- :func:`fmt_p` p-values (``Holm-adjusted p = 0.002``, ``p < 0.001``),
- :func:`fmt_level` confidence levels (``95%``),
- :func:`group_phrase` / :func:`by_singular` / :func:`by_plural` / :func:`stage_phrase`
  words for groups and stages (``referrals``, ``leads where invitation_note is True``,
  ``led to an interview``), :func:`article` ``a``/``an``,
- :func:`method_name` / :func:`adjust_name` names of tests and adjustments.

Caveats (each returns ``""`` when the data do not trigger it, so they can be passed
to :func:`sentences` unconditionally): :func:`small_sample_caveat`,
:func:`many_comparisons_caveat`, :func:`dependence_caveat`, :func:`censoring_caveat`,
:func:`simpson_caveat`, :func:`association_caveat`, :func:`units_caveat`.

Examples:
    >>> from netanalysis.stats import findings as f
    >>> f"{f.group_phrase('channel', 'referral', capital=True)} {f.stage_phrase('interview')}"
    'Referrals led to an interview'
    >>> f.fmt_ci(1.93, 8.71, ratio=True)
    '95% CI 1.9–8.7'
    >>> f.fmt_p(0.0021, adjust="holm")
    'Holm-adjusted p = 0.002'
    >>> f.sentences("One.", "", "Two.")
    'One. Two.'
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = [
    "ADJUST_NAMES",
    "DASH",
    "SMALL_N",
    "TEST_NAMES",
    "adjust_name",
    "article",
    "association_caveat",
    "by_plural",
    "by_singular",
    "capitalize",
    "censoring_caveat",
    "dependence_caveat",
    "fmt_ci",
    "fmt_count",
    "fmt_interval",
    "fmt_level",
    "fmt_num",
    "fmt_p",
    "fmt_pct",
    "fmt_ratio",
    "group_phrase",
    "is_missing",
    "many_comparisons_caveat",
    "method_name",
    "sentences",
    "simpson_caveat",
    "small_sample_caveat",
    "stage_phrase",
    "unit_words",
    "units_caveat",
]

#: What a missing or undefined number prints as.
DASH = "–"

#: Below this many leads in a group, estimates are called rough (:func:`small_sample_caveat`).
SMALL_N = 30

#: Test keys (as written in result tables) -> names used in sentences.
TEST_NAMES: dict[str, str] = {
    "fisher": "Fisher's exact test",
    "chi2": "Pearson's chi-square test",
    "boschloo": "Boschloo's exact test",
    "z": "z-test (Agresti–Caffo)",
    "monte_carlo": "Monte Carlo exact test",
    "none": "no test",
}

#: Multiple-comparison adjustment keys -> names used before "-adjusted".
ADJUST_NAMES: dict[str, str] = {
    "holm": "Holm",
    "bh": "Benjamini–Hochberg",
    "bonferroni": "Bonferroni",
    "none": "",
}

_CHANNEL_WORDS: dict[str, str] = {
    "job_board": "job-board applications",
    "linkedin": "LinkedIn contacts",
    "social_media": "social-media contacts",
    "industry_group": "industry-group contacts",
    "in_person": "in-person contacts",
    "referral": "referrals",
    "recruiter": "recruiter leads",
    "cold_email": "cold emails",
    "other": "other leads",
}
_MODE_WORDS: dict[str, str] = {
    "online_passive": "passive online applications",
    "online_social": "social-network contacts",
    "affinity": "affinity-group contacts",
    "in_person": "in-person contacts",
    "direct": "direct contacts",
    "other": "other leads",
}
_DIRECTION_WORDS: dict[str, str] = {"inbound": "inbound leads", "outbound": "outbound leads"}

_STAGE_WORDS: dict[str, str] = {
    "contacted": "were contacted",
    "responded": "got a response",
    "meeting": "led to a meeting",
    "referral": "led to a referral",
    "interview": "led to an interview",
    "offer": "led to an offer",
    "accepted": "ended in an accepted offer",
    "rejected": "ended in a rejection",
    "withdrawn": "were withdrawn",
}
_STAGE_NOUNS: dict[str, str] = {
    "contacted": "a contact",
    "responded": "a response",
    "meeting": "a meeting",
    "referral": "a referral",
    "interview": "an interview",
    "offer": "an offer",
    "accepted": "an accepted offer",
    "rejected": "a rejection",
    "withdrawn": "a withdrawal",
}
_STAGE_PLURALS: dict[str, str] = {
    "contacted": "contacts",
    "responded": "responses",
    "meeting": "meetings",
    "referral": "referrals",
    "interview": "interviews",
    "offer": "offers",
    "accepted": "accepted offers",
    "rejected": "rejections",
    "withdrawn": "withdrawals",
}


def is_missing(x: object) -> bool:
    """True for None and NaN (the values printed as a dash).

    Examples:
        >>> is_missing(float("nan")), is_missing(0.0)
        (True, False)
    """
    if x is None:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_num(x: float, *, digits: int = 2) -> str:
    """A number with ``digits`` significant digits; 10 and above as whole numbers.

    Examples:
        >>> fmt_num(4.137), fmt_num(0.2345), fmt_num(1234.6), fmt_num(-0.046), fmt_num(0.0996)
        ('4.1', '0.23', '1,235', '−0.046', '0.10')
    """
    if is_missing(x):
        return DASH
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    sign = "−" if x < 0 else ""
    a = abs(x)
    if a == 0:
        return "0"
    rounded = float(f"{a:.{digits}g}")  # 9.96 -> 10, 0.0996 -> 0.1
    if rounded >= 10:
        return f"{sign}{round(a):,}"
    decimals = max(0, digits - 1 - math.floor(math.log10(rounded)))
    return f"{sign}{rounded:.{decimals}f}"


def fmt_count(n: float) -> str:
    """A whole number with thousands separators.

    Examples:
        >>> fmt_count(1234), fmt_count(7.0)
        ('1,234', '7')
    """
    if is_missing(n):
        return DASH
    return f"{round(float(n)):,}"


def fmt_pct(p: float, *, sign: bool = False) -> str:
    """A proportion as a percentage: 0 decimals from 10%, 1 from 1%, else 2 significant.

    With ``sign=True`` a plus sign is written for positive values (for differences).

    Examples:
        >>> fmt_pct(0.2345), fmt_pct(0.046), fmt_pct(0.0012), fmt_pct(0.0), fmt_pct(0.9971)
        ('23%', '4.6%', '0.12%', '0%', '99.7%')
        >>> fmt_pct(-0.125, sign=True), fmt_pct(0.05, sign=True)
        ('−12%', '+5.0%')
    """
    if is_missing(p):
        return DASH
    pct = float(p) * 100
    a = abs(pct)
    if a == 0:
        body = "0"
    elif a >= 99.5 and a < 100:
        body = f"{a:.1f}"
    elif round(a) >= 10:
        body = f"{a:.0f}"
    elif a >= 1:
        body = f"{a:.1f}"
    else:
        body = fmt_num(a, digits=2)
    prefix = "−" if pct < 0 and body.strip("0.") else ("+" if sign and pct > 0 else "")
    return f"{prefix}{body}%"


def fmt_ratio(x: float) -> str:
    """A ratio as ``4.1×`` (2 significant digits).

    Examples:
        >>> fmt_ratio(4.137), fmt_ratio(0.5)
        ('4.1×', '0.50×')
    """
    if is_missing(x):
        return DASH
    return f"{fmt_num(x)}×"


def fmt_level(level: float) -> str:
    """A confidence level as a percentage: ``95%``, ``99.5%``.

    Examples:
        >>> fmt_level(0.95), fmt_level(0.995)
        ('95%', '99.5%')
    """
    return f"{float(level) * 100:g}%"


def fmt_interval(low: float, high: float, fmt: Callable[[float], str] = fmt_num) -> str:
    """``low–high`` with ``fmt`` for each end; ``low to high`` when an end is negative.

    Examples:
        >>> fmt_interval(1.93, 8.71)
        '1.9–8.7'
        >>> fmt_interval(-0.12, 0.05, lambda v: fmt_pct(v, sign=True))
        '−12% to +5.0%'
    """
    if is_missing(low) or is_missing(high):
        return DASH
    lo, hi = fmt(low), fmt(high)
    if float(low) < 0 or float(high) < 0:
        return f"{lo} to {hi}"
    if lo.endswith("%") and hi.endswith("%"):
        lo = lo[:-1]
    return f"{lo}–{hi}"


def fmt_ci(
    low: float,
    high: float,
    *,
    level: float = 0.95,
    pct: bool = False,
    ratio: bool = False,
    diff: bool = False,
    credible: bool = False,
) -> str:
    """An interval with its level: ``95% CI 1.9–8.7``.

    Args:
        low, high: the ends.
        level: the confidence (or credibility) level.
        pct: the ends are proportions, shown as percentages.
        ratio: the ends are ratios (plain numbers, 2 significant digits).
        diff: the ends are differences of proportions (signed percentage points).
        credible: a Bayesian credible interval ("95% credible interval ...").

    Examples:
        >>> fmt_ci(0.12, 0.35, pct=True)
        '95% CI 12–35%'
        >>> fmt_ci(-0.12, 0.05, diff=True, level=0.9)
        '90% CI −12 to +5.0 points'
        >>> fmt_ci(0.054, 0.42, diff=True)
        '95% CI +5.4 to +42 points'
        >>> fmt_ci(0.14, 0.5, pct=True, credible=True)
        '95% credible interval 14–50%'
    """
    label = "credible interval" if credible else "CI"
    if diff:
        if is_missing(low) or is_missing(high):
            body = DASH
        else:
            lo = fmt_pct(low, sign=True).rstrip("%")
            hi = fmt_pct(high, sign=True).rstrip("%")
            body = f"{lo} to {hi} points"
    elif pct:
        body = fmt_interval(low, high, fmt_pct)
    else:
        body = fmt_interval(low, high, fmt_num)
    return f"{fmt_level(level)} {label} {body}"


def fmt_p(p: float, *, adjust: str | None = None) -> str:
    """A p-value: ``p = 0.23``, ``p = 0.002``, ``p < 0.001``, with its adjustment named.

    Two decimals from 0.1 up, three below (so 0.049 is not shown as 0.05).

    Examples:
        >>> fmt_p(0.2345), fmt_p(0.0491), fmt_p(0.0004), fmt_p(1.0)
        ('p = 0.23', 'p = 0.049', 'p < 0.001', 'p > 0.99')
        >>> fmt_p(0.03, adjust="bh")
        'Benjamini–Hochberg-adjusted p = 0.030'
    """
    name = adjust_name(adjust) if adjust else ""
    prefix = f"{name}-adjusted p" if name else "p"
    if is_missing(p):
        return f"{prefix} {DASH}"
    p = float(p)
    if p < 0.001:
        return f"{prefix} < 0.001"
    if p >= 0.995:
        return f"{prefix} > 0.99"
    if p < 0.1:
        return f"{prefix} = {p:.3f}"
    return f"{prefix} = {p:.2f}"


def method_name(key: str) -> str:
    """The name of a test key used in result tables.

    Examples:
        >>> method_name("fisher")
        "Fisher's exact test"
    """
    return TEST_NAMES.get(key, key)


def adjust_name(key: str | None) -> str:
    """The name of a multiple-comparison adjustment ('' for none).

    Examples:
        >>> adjust_name("holm")
        'Holm'
    """
    if not key:
        return ""
    return ADJUST_NAMES.get(key, key)


def capitalize(text: str) -> str:
    """Upper-case the first character only (keeps ``LinkedIn``).

    Examples:
        >>> capitalize("job-board applications")
        'Job-board applications'
    """
    return text[:1].upper() + text[1:]


#: Values read as true/false (a flag column such as ``invitation_note``).
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no"})

#: Group labels that already read as a phrase after "leads" (``with note``).
_PREPOSITIONS = ("with ", "without ", "from ", "via ", "through ", "by ", "after ", "before ")


def article(word: str) -> str:
    """``a`` or ``an`` for ``word`` (by its first letter, with the usual exceptions).

    Examples:
        >>> article("invitation_note"), article("company"), article("unit"), article("hour")
        ('an', 'a', 'a', 'an')
    """
    w = str(word).lower()
    if w.startswith(("hour", "honest", "honour", "honor", "heir", "8", "11", "18")):
        return "an"
    if w.startswith(("uni", "use", "usu", "uti", "one", "once", "eu", "ewe")):
        return "a"
    return "an" if w[:1] in ("a", "e", "i", "o", "u") else "a"


def group_phrase(by: str, value: object, *, capital: bool = False) -> str:
    """Words for the leads of one group, as the subject of a sentence.

    Channels, modes and directions have their own words (``referrals``, ``job-board
    applications``); seekers read ``S01's leads``; the rows of a table whose groups are
    called ``group`` read ``the referral group``; a label that is already a phrase after
    "leads" reads as one (``leads with note``); anything else, booleans included, reads
    ``leads where <by> is <value>``. Group names keep their case; ``capital=True``
    upper-cases only the first letter of the phrase.

    Examples:
        >>> group_phrase("channel", "job_board")
        'job-board applications'
        >>> group_phrase("mode", "in_person", capital=True)
        'In-person contacts'
        >>> group_phrase("seeker", "S01")
        "S01's leads"
        >>> group_phrase("company", "Acme")
        'leads where company is Acme'
        >>> group_phrase("invitation_note", True, capital=True)
        'Leads where invitation_note is True'
        >>> group_phrase("invitation_note", "without note")
        'leads without note'
        >>> group_phrase("group", "nonreferral", capital=True)
        'The nonreferral group'
    """
    value = str(value)
    if value == "(missing)":
        text = f"leads with no {by}"
    elif by == "channel" and value in _CHANNEL_WORDS:
        text = _CHANNEL_WORDS[value]
    elif by == "mode" and value in _MODE_WORDS:
        text = _MODE_WORDS[value]
    elif by == "direction" and value in _DIRECTION_WORDS:
        text = _DIRECTION_WORDS[value]
    elif by == "seeker":
        text = f"{value}'s leads"
    elif by == "group":
        text = f"the {value} group"
    elif value.lower() not in _BOOLEAN_WORDS and value.lower().startswith(_PREPOSITIONS):
        text = f"leads {value}"
    else:
        text = f"leads where {by} is {value}"
    return capitalize(text) if capital else text


_BY_WORDS: dict[str, tuple[str, str]] = {
    "channel": ("channel", "channels"),
    "mode": ("mode of searching", "modes of searching"),
    "seeker": ("seeker", "seekers"),
    "direction": ("direction", "directions"),
    "group": ("group", "groups"),
}


def by_singular(by: str) -> str:
    """One group of a ``by`` column: ``channel``, ``seeker``, ``invitation_note group``.

    Examples:
        >>> by_singular("channel"), by_singular("mode"), by_singular("invitation_note")
        ('channel', 'mode of searching', 'invitation_note group')
    """
    return _BY_WORDS.get(by, (f"{by} group", ""))[0]


def by_plural(by: str) -> str:
    """The groups of a ``by`` column in the plural: ``channels``, ``seekers``, ``company groups``.

    Examples:
        >>> by_plural("channel"), by_plural("mode"), by_plural("company"), by_plural("group")
        ('channels', 'modes of searching', 'company groups', 'groups')
    """
    return _BY_WORDS.get(by, ("", f"{by} groups"))[1]


#: Units of published tables (``attrs["unit"]``) -> words.
_UNIT_WORDS: dict[str, str] = {
    "per_100": "per 100 applicants",
    "per_1000": "per 1,000 applicants",
    "per_hire": "per hire",
}


def unit_words(unit: str) -> str:
    """Words for a table's unit: ``per_100`` -> ``per 100 applicants``.

    Examples:
        >>> unit_words("per_100"), unit_words("per_hire"), unit_words("per_month")
        ('per 100 applicants', 'per hire', 'per month')
    """
    return _UNIT_WORDS.get(str(unit), str(unit).replace("_", " "))


def units_caveat(
    unit: str | None,
    invalid: str = "intervals and p-values",
    *,
    remedy: str = "read the rates only",
) -> str:
    """Say that a table's numbers are not counts of leads, so ``invalid`` do not hold.

    Examples:
        >>> units_caveat("per_100")
        'The numbers of this table are per 100 applicants, not counts of leads: intervals and p-values assume counts of independent leads and are not valid here; read the rates only.'
        >>> units_caveat(None)
        ''
    """
    if unit is None:
        return ""
    return (
        f"The numbers of this table are {unit_words(unit)}, not counts of leads: {invalid} "
        f"assume counts of independent leads and are not valid here; {remedy}."
    )


def stage_phrase(stage: str, *, noun: bool = False, plural: bool = False) -> str:
    """Words for reaching a stage: ``led to an interview``, the noun ``an interview``, or
    the plural noun ``interviews`` (for "per 100 leads").

    Examples:
        >>> stage_phrase("responded"), stage_phrase("offer", noun=True)
        ('got a response', 'an offer')
        >>> stage_phrase("interview", plural=True)
        'interviews'
    """
    if plural:
        return _STAGE_PLURALS.get(stage, f"leads reaching {stage!r}")
    if noun:
        return _STAGE_NOUNS.get(stage, f"stage {stage!r}")
    return _STAGE_WORDS.get(stage, f"reached {stage!r}")


def sentences(*parts: str) -> str:
    """Join sentences with single spaces, skipping empty ones.

    Examples:
        >>> sentences("A.", "", " B. ")
        'A. B.'
    """
    return " ".join(p.strip() for p in parts if p and p.strip())


# ---------------------------------------------------------------------------------------
# Caveats: each returns "" when the data do not call for it.
# ---------------------------------------------------------------------------------------


def small_sample_caveat(n_min: float, *, threshold: int = SMALL_N, what: str = "leads") -> str:
    """Warn that estimates are rough when the smallest group has fewer than ``threshold``.

    Examples:
        >>> small_sample_caveat(8)
        'With as few as 8 leads in a group, estimates are rough: intervals are wide and a few more leads can move them a lot.'
        >>> small_sample_caveat(120)
        ''
    """
    if is_missing(n_min) or n_min >= threshold:
        return ""
    return (
        f"With as few as {fmt_count(n_min)} {what} in a group, estimates are rough: "
        "intervals are wide and a few more leads can move them a lot."
    )


def many_comparisons_caveat(m: int, adjust: str | None, *, level: float = 0.95) -> str:
    """Say how ``m`` comparisons were guarded against chance findings (``m`` > 1).

    Examples:
        >>> many_comparisons_caveat(28, "none")
        '28 comparisons were made without adjustment: about 1.4 of them would look clear at the 5% level by chance alone.'
        >>> many_comparisons_caveat(6, "holm")
        '6 comparisons were made; Holm-adjusted p-values keep the chance of any false alarm at 5%.'
        >>> many_comparisons_caveat(1, "holm")
        ''
    """
    if m <= 1:
        return ""
    alpha = 1 - level
    a = fmt_level(alpha)
    if not adjust or adjust == "none":
        return (
            f"{m} comparisons were made without adjustment: about {fmt_num(m * alpha)} of them "
            f"would look clear at the {a} level by chance alone."
        )
    if adjust == "bh":
        return (
            f"{m} comparisons were made; Benjamini–Hochberg-adjusted p-values keep the expected "
            f"share of false alarms among the clear ones at {a}."
        )
    return (
        f"{m} comparisons were made; {adjust_name(adjust)}-adjusted p-values keep the chance "
        f"of any false alarm at {a}."
    )


def dependence_caveat(n_seekers: int | None, n_leads: float | None = None) -> str:
    """Warn that leads of one seeker are not independent (only when there are several).

    Examples:
        >>> dependence_caveat(12, 480)
        "These 480 leads come from 12 seekers, and one seeker's leads are not independent (same person, same market): intervals and p-values here treat them as if they were, so they are too optimistic; na.stratified or na.model(cluster='seeker') account for it."
        >>> dependence_caveat(1, 200)
        ''
    """
    if n_seekers is None or n_seekers <= 1:
        return ""
    leads = f"These {fmt_count(n_leads)} leads" if n_leads is not None else "These leads"
    return (
        f"{leads} come from {fmt_count(n_seekers)} seekers, and one seeker's leads are not "
        "independent (same person, same market): intervals and p-values here treat them as "
        "if they were, so they are too optimistic; na.stratified or "
        "na.model(cluster='seeker') account for it."
    )


def censoring_caveat(n_open: float | None, n_total: float, stage: str) -> str:
    """Warn that open leads may still reach ``stage``, so rates are a lower bound.

    Examples:
        >>> censoring_caveat(41, 300, "interview")
        '41 of the 300 leads are still open (recent activity, no outcome yet) and may still lead to an interview: these rates are a lower bound; na.time_to accounts for leads still open.'
        >>> censoring_caveat(0, 300, "interview")
        ''
    """
    if n_open is None or is_missing(n_open) or n_open <= 0:
        return ""
    verb = stage_phrase(stage)
    verb = verb.replace("were ", "be ").replace("got ", "get ").replace("led ", "lead ")
    verb = verb.replace("ended ", "end ")
    return (
        f"{fmt_count(n_open)} of the {fmt_count(n_total)} leads are still open (recent "
        f"activity, no outcome yet) and may still {verb}: these rates are a lower bound; "
        "na.time_to accounts for leads still open."
    )


def simpson_caveat(pooled: str, within: str, *, strata: str = "seeker") -> str:
    """Say that the pooled and the within-stratum answers point in opposite directions.

    Args:
        pooled: what the pooled data say (a clause).
        within: what the data say within strata (a clause).
        strata: the stratifying column.

    Examples:
        >>> simpson_caveat("referrals did better", "they did worse")
        "Pooled over seekers, referrals did better, but within seekers they did worse (Simpson's paradox): seekers differ in how they use channels, so compare within seekers with na.stratified(strata='seeker')."
    """
    return (
        f"Pooled over {strata}s, {pooled}, but within {strata}s {within} (Simpson's paradox): "
        f"{strata}s differ in how they use channels, so compare within {strata}s with "
        f"na.stratified(strata={strata!r})."
    )


def association_caveat(by: str, *, n_seekers: int | None = 1) -> str:
    """Remind that groups were chosen, not randomised: association, not proof.

    Args:
        by: the grouping column.
        n_seekers: 1 (default) for one person's log ("chosen by you"), more for a cohort
            ("chosen by the seekers"), None when unknown (a typed-in counts table).

    Examples:
        >>> association_caveat("channel")
        'Channels were chosen by you, not assigned at random: this is association, not proof.'
        >>> association_caveat("channel", n_seekers=40)
        'Channels were chosen by the seekers, not assigned at random: this is association, not proof.'
        >>> association_caveat("channel", n_seekers=None)
        'Channels were chosen, not assigned at random: this is association, not proof.'
        >>> association_caveat("company")
        'Leads were not assigned to a company group at random: this is association, not proof.'
        >>> association_caveat("invitation_note")
        'Leads were not assigned to an invitation_note group at random: this is association, not proof.'
    """
    who = {None: ""}.get(n_seekers, " by the seekers" if (n_seekers or 0) > 1 else " by you")
    if by in ("channel", "mode"):
        noun = "Channels" if by == "channel" else "Modes of searching"
        return f"{noun} were chosen{who}, not assigned at random: this is association, not proof."
    if by == "direction":
        return "Who started a lead was not assigned at random: this is association, not proof."
    if by == "seeker":
        return "Seekers differ in many ways at once: this describes them, it does not explain why."
    group = by_singular(by)
    return (
        f"Leads were not assigned to {article(group)} {group} at random: this is association, "
        "not proof."
    )
