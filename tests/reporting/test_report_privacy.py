"""Privacy by default: no name, email, profile URL or message text of the input in a report.

The values searched for are read from the fixture files themselves (tests/reporting/
personal.py), not from what netanalysis loaded, so a value a loader kept by mistake is
found too. Each is searched as written, HTML-escaped and JSON-escaped, in the whole file.
"""

from __future__ import annotations

import re

import pytest
from personal import (
    LINKEDIN,
    MBOX,
    SAMPLE,
    STORY_ME,
    STORY_SOURCES,
    found_in,
    linkedin_values,
    mbox_values,
    sample_values,
    story_values,
)
from report_helpers import DRAWS

import netanalysis as na
from netanalysis.io.registry import loaders
from netanalysis.reporting.privacy import Redactor


def _has_loader(name: str) -> bool:
    return any(loader.name == name for loader in loaders())


def test_sample_report_shows_no_contact_or_note(sample_html: str) -> None:
    values = sample_values()
    assert len(values) > 100  # the sample has a contact per networking lead
    assert found_in(sample_html, values) == []


@pytest.mark.skipif(not _has_loader("linkedin"), reason="the LinkedIn export loader is missing")
def test_linkedin_export_report_shows_no_personal_value() -> None:
    values = linkedin_values()
    assert {"Priya Natarajan", "https://www.linkedin.com/in/priya-natarajan-4f2e1a"} <= values
    html = na.report(LINKEDIN, timestamp=False, draws=DRAWS)
    assert found_in(html, values) == []


@pytest.mark.skipif(not _has_loader("mbox"), reason="the mbox loader is missing")
def test_mbox_report_shows_no_personal_value() -> None:
    values = mbox_values()
    assert "dana.whitfield@northwind-analytics.com" in values
    html = na.report(MBOX, timestamp=False, draws=DRAWS)
    assert found_in(html, values) == []


@pytest.mark.skipif(
    not (_has_loader("linkedin") and _has_loader("mbox")), reason="a loader is missing"
)
def test_everything_together_grouped_by_contact_shows_pseudonyms_only() -> None:
    values = sample_values() | linkedin_values() | mbox_values()
    sources = [SAMPLE, LINKEDIN, MBOX]
    html = na.report(sources, by="contact", timestamp=False, draws=DRAWS)
    assert found_in(html, values) == []
    assert "contact-" in html  # the groups are there, under pseudonyms


def test_show_names_shows_them() -> None:
    """The search above can fail: with show_names=True, contacts grouped by are named."""
    html = na.report(SAMPLE, by="contact", show_names=True, timestamp=False, draws=DRAWS)
    shown = found_in(html, sample_values())
    assert len(shown) > 20


def test_pseudonyms_are_stable_with_a_salt_and_the_salt_is_not_shown() -> None:
    events = na.load(SAMPLE).events
    a = na.report(events, by="contact", salt="keep-this-secret", timestamp=False, draws=DRAWS)
    fewer = events[events["lead"] != events["lead"].iloc[0]]
    b = na.report(fewer, by="contact", salt="keep-this-secret", timestamp=False, draws=DRAWS)
    name = events["contact"].dropna().iloc[-1]
    pseudonym = na.io.privacy.pseudonym(name, salt="keep-this-secret")
    assert pseudonym in a
    assert pseudonym in b
    assert "keep-this-secret" not in a
    assert '<th scope="row">salt</th><td>given (not shown)</td>' in a
    derived = Redactor.build(events, None, (), show_names=False, by="contact")  # no salt given
    contacts = derived.frame(events, "contact")["contact"].dropna()
    assert contacts.str.startswith("contact-").all()
    assert pseudonym not in set(contacts)


@pytest.mark.skipif(
    not all(_has_loader(n) for n in ("linkedin", "mbox", "ics")), reason="a loader is missing"
)
def test_story_report_hides_contacts_and_the_me_option() -> None:
    """Four exports of one seeker, loaded with me=: neither the contacts nor the seeker's
    own name and address (given with me=) appear, not even in the stamp's parameters,
    its command or its JSON copy."""
    values = story_values()
    assert {"Dana Whitfield", "Renée Fournier", "jordan.reyes@example.com", "Jordan Reyes",
            "https://www.linkedin.com/in/dana-whitfield-nwa", "+1 555 0142"} <= values  # fmt: skip
    command = "netanalysis report linkedin --me 'Jordan Reyes' --me jordan.reyes@example.com"
    html = na.report(STORY_SOURCES, me=STORY_ME, command=command, timestamp=False, draws=DRAWS)
    assert found_in(html, values) == []
    stamp = na.reporting.read_stamp(html)
    assert re.fullmatch(
        r"(?:(?:contact|email)-[0-9a-f]{12}(?:, )?)+", stamp["parameters"]["load: me"]
    )
    assert "--me 'contact-" in stamp["command"]
    assert "--me email-" in stamp["command"]
    shown = na.report(STORY_SOURCES, me=STORY_ME, show_names=True, timestamp=False, draws=DRAWS)
    assert "Jordan Reyes" in na.reporting.read_stamp(shown)["parameters"]["load: me"]
