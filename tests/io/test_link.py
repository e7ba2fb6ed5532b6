"""Linking sources: one contact per person, one lead per networking story, networking
touches credited to applications. Expected links and funnels are worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.io.link import LINK_COLUMNS
from netanalysis.io.normalize import finalize_events

FIXTURES = Path(__file__).parents[1] / "fixtures"
MBOX = FIXTURES / "mbox" / "takeout.mbox"
ICS = FIXTURES / "ics" / "calendar.ics"


def _events(rows: list[dict]) -> pd.DataFrame:
    """Canonical events from short dicts (defaults: seeker me, outbound, source test)."""
    frame = pd.DataFrame(rows)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["source"] = frame.get("source", "test")
    frame["source_row"] = range(1, len(frame) + 1)
    return finalize_events(frame)


def _app(lead: str, company: str, day: str, stage: str = "contacted", **kw) -> dict:
    return {"lead": lead, "channel": "job_board", "stage": stage, "timestamp": day,
            "company": company, **kw}  # fmt: skip


def _mail(lead: str, email: str, day: str, stage: str = "contacted", **kw) -> dict:
    return {"lead": lead, "channel": "cold_email", "stage": stage, "timestamp": day,
            "contact": kw.pop("contact", email), "contact_email": email, **kw}  # fmt: skip


@pytest.fixture(scope="module")
def story() -> tuple[na.LoadResult, na.io.link.LinkResult]:
    loaded = na.load([MBOX, ICS])
    return loaded, na.link(loaded)


def _name_of(events: pd.DataFrame) -> dict[str, str]:
    """Original lead id -> the contact it is about (lead ids are hashes or Gmail ids)."""
    return dict(zip(events["lead_before_link"], events["contact"], strict=True))


def test_email_and_calendar_links_worked_out_by_hand(story):
    _, linked = story
    names = _name_of(linked.events)
    got = sorted((row.kind, names[row.lead], row.reason) for row in linked.links.itertuples())
    assert got == sorted(
        [
            # calendar attendees are the email correspondents
            ("same_contact", "Dana Whitfield", "same email address"),
            ("same_contact", "Marcus Lee", "same email address"),
            ("same_contact", "Renée Fournier", "same email address"),
            ("same_contact", "Sam Okafor", "same email address"),
            # one lead per contact: the later lead joins the earlier one
            ("merged_lead", "Dana Whitfield", "same contact"),
            ("merged_lead", "Marcus Lee", "same contact"),
            ("merged_lead", "Renée Fournier", "same contact"),
            ("merged_lead", "Sam Okafor", "same contact"),
            # video calls take the channel of the lead; in-person meetings stay in_person
            ("meeting_channel", "Marcus Lee",
             "video call with the lead's contact: channel of the lead (industry_group) instead "
             "of in_person"),
            ("meeting_channel", "Renée Fournier",
             "video call with the lead's contact: channel of the lead (cold_email) instead of "
             "in_person"),
        ]
    )  # fmt: skip
    merged = linked.links[linked.links["kind"] == "merged_lead"]
    # Marcus's mentoring calls started before the email: the email joins the meeting lead.
    marcus = merged[merged["lead"].map(names) == "Marcus Lee"].iloc[0]
    assert marcus["lead"].startswith("email:")
    assert marcus["other_lead"].startswith("meeting:")


def test_funnel_before_and_after_linking_by_hand(story):
    loaded, linked = story
    before = na.funnel(loaded.events)
    # Before: 5 email threads, Marcus's thread labelled "Vets Network", Priya's labelled
    # "Jobs/Referral", and 4 calendar series (in person by default).
    assert before.to_dict("index") == {
        "industry_group": {"contacted": 1, "responded": 0, "interview": 0, "offer": 0},
        "in_person": {"contacted": 4, "responded": 4, "interview": 0, "offer": 0},
        "referral": {"contacted": 1, "responded": 0, "interview": 0, "offer": 0},
        "cold_email": {"contacted": 5, "responded": 4, "interview": 0, "offer": 0},
    }
    first = na.funnel(linked.events, attribution="first")
    # After: the meeting series joined the email leads of their contacts. Marcus's lead
    # starts with a video call, which takes the lead's channel (industry_group); his
    # mentoring calls count as a two-way exchange.
    assert first.to_dict("index") == {
        "industry_group": {"contacted": 1, "responded": 1, "interview": 0, "offer": 0},
        "referral": {"contacted": 1, "responded": 0, "interview": 0, "offer": 0},
        "cold_email": {"contacted": 5, "responded": 4, "interview": 0, "offer": 0},
    }
    last = na.funnel(linked.events, attribution="last")
    # The last event of Dana's lead is the in-person coffee (03-08, after her 03-05 reply);
    # Sam's reply (03-14 08:30) comes after the career fair (03-14 04:00).
    assert last["contacted"].to_dict() == {
        "industry_group": 1, "in_person": 1, "referral": 1, "cold_email": 4,
    }  # fmt: skip


def test_pseudonymised_sources_still_link_by_email(story):
    _, linked = story
    loaded = na.load([MBOX, ICS], pseudonymize=True, salt="a-secret-salt")
    res = na.link(loaded)
    assert res.links["kind"].value_counts().to_dict() == (
        linked.links["kind"].value_counts().to_dict()
    )
    assert set(res.links.loc[res.links["kind"] == "same_contact", "key"].str[:6]) == {"email-"}
    pd.testing.assert_frame_equal(na.funnel(res.events), na.funnel(linked.events))


def test_contacts_table(story):
    _, linked = story
    contacts = linked.contacts.set_index("name")
    assert len(contacts) == 7
    assert contacts.loc["Dana Whitfield", "leads"] == 2
    assert contacts.loc["Dana Whitfield", "sources"] == 2
    assert contacts.loc["Priya Natarajan", "leads"] == 1


def test_display_keeps_names_and_addresses_out(story):
    _, linked = story
    html = linked._repr_html_() + repr(linked)
    assert "@" not in html
    assert "Dana" not in html
    assert "4 lead(s) merged" in linked.finding()


def test_touch_within_window_credits_network_first_and_application_last():
    ev = _events(
        [
            _mail("m1", "dana@northwind-analytics.com", "2024-03-01", contact="Dana Whitfield"),
            _mail("m1", "dana@northwind-analytics.com", "2024-03-02", stage="responded",
                  contact="Dana Whitfield"),
            _app("a1", "Northwind Analytics, Inc.", "2024-03-31"),
            _app("a1", "Northwind Analytics, Inc.", "2024-04-10", stage="interview"),
        ]
    )  # fmt: skip
    res = na.link(ev, window_days=30)
    touch = res.links[res.links["kind"] == "application_touch"]
    assert touch[["lead", "other_lead", "key", "days_before"]].values.tolist() == [
        ["a1", "m1", "northwindanalytics", 30.0]
    ]
    copied = res.events[res.events["linked_from"].notna()]
    assert copied[["lead", "channel", "stage", "company"]].values.tolist() == [
        ["a1", "cold_email", "contacted", "Northwind Analytics, Inc."]
    ]
    assert str(copied["timestamp"].iloc[0]) == "2024-03-01 00:00:00+00:00"
    assert na.funnel(res.events, attribution="first").loc["cold_email", "interview"] == 1
    assert na.funnel(res.events, attribution="last").loc["job_board", "interview"] == 1
    # One day less of window: the 03-01 touch is out, the 03-02 reply is in.
    res = na.link(ev, window_days=29)
    assert res.links["days_before"].dropna().tolist() == [29.0]
    # Networking after the application is no touch.
    assert na.link(ev, window_days=0).links.empty


def test_one_touch_per_application_the_earliest_over_all_contacts():
    ev = _events(
        [
            _mail("m1", "bob@acme.example", "2024-03-05"),
            _mail("m2", "dana@acme.example", "2024-03-02"),
            {**_mail("m3", "lee@acme.example", "2024-03-02"), "channel": "linkedin"},
            _app("a1", "Acme", "2024-03-10"),
        ]
    )
    res = na.link(ev)
    touch = res.links[res.links["kind"] == "application_touch"]
    # m2 and m3 tie on time: the one first in its source (row 2) wins.
    assert touch[["lead", "other_lead", "days_before"]].values.tolist() == [["a1", "m2", 8.0]]
    assert res.events["linked_from"].notna().sum() == 1


def test_company_domains_and_free_mail():
    ev = _events(
        [
            _mail("m1", "ops@bhl.example", "2024-03-01"),
            _mail("m2", "sam.lee@gmail.com", "2024-03-01"),
            _app("a1", "Blue Harbor Logistics", "2024-03-10"),
            _app("a2", "Gmail", "2024-03-10"),
        ]
    )
    assert na.link(ev).links.empty
    res = na.link(ev, company_domains={"Blue Harbor Logistics": ["bhl.example"]})
    assert res.links[["kind", "lead", "other_lead"]].values.tolist() == [
        ["application_touch", "a1", "m1"]
    ]
    with pytest.raises(ParameterError, match="company_domains"):
        na.link(ev, company_domains={"...": "x.example"})


def test_linkedin_url_and_name_with_company_join_people():
    ev = _events(
        [
            {"lead": "li:1", "channel": "linkedin", "stage": "contacted", "timestamp": "2024-03-01",
             "contact": "Dana Whitfield", "company": "Northwind Analytics",
             "contact_url": "https://uk.linkedin.com/in/Dana-W/?trk=abc"},
            {"lead": "li:2", "channel": "linkedin", "stage": "responded",
             "timestamp": "2024-03-03", "contact": "D. Whitfield",
             "contact_url": "linkedin.com/in/dana-w/"},
            _mail("m1", "dana@northwind-analytics.com", "2024-03-05", contact="Dana  Whitfield"),
        ]
    )  # fmt: skip
    res = na.link(ev)
    same = res.links[res.links["kind"] == "same_contact"]
    assert sorted(same["reason"]) == ["same LinkedIn profile", "same name and company"]
    assert same.set_index("reason").loc["same name and company", "key"] == (
        "dana whitfield|northwindanalytics"
    )
    assert res.events["contact_id"].nunique() == 1
    assert set(res.events["lead"]) == {"li:1"}  # one story: three leads merged
    filled = res.links[res.links["kind"] == "company_from_contact"]
    assert sorted(filled["lead"]) == ["li:2", "m1"]
    assert set(res.events["company"]) == {"Northwind Analytics"}


def test_meeting_joins_the_lead_of_another_attendee():
    ev = _events(
        [
            _mail("m1", "dana@acme.example", "2024-03-01"),
            {"lead": "cal:1", "channel": "in_person", "channel_raw": "video call",
             "stage": "meeting", "timestamp": "2024-03-04", "contact": "Sam Okafor",
             "contact_email": "sam@acme.example",
             "attendees": "sam@acme.example;dana@acme.example", "meeting_mode": "video"},
        ]
    )  # fmt: skip
    res = na.link(ev)
    merged = res.links[res.links["kind"] == "merged_lead"]
    assert merged[["lead", "other_lead", "reason", "key"]].values.tolist() == [
        ["cal:1", "m1", "meeting attendee is the contact of the lead", "dana@acme.example"]
    ]
    assert res.events["channel"].astype(str).tolist() == ["cold_email", "cold_email"]


def test_switches_turn_parts_of_linking_off():
    ev = _events(
        [
            _mail("m1", "dana@acme.example", "2024-03-01"),
            _mail("m2", "dana@acme.example", "2024-03-05"),
            _app("a1", "Acme", "2024-03-10"),
        ]
    )
    both = na.link(ev)
    assert set(both.links["kind"]) == {"same_contact", "merged_lead", "application_touch"}
    no_merge = na.link(ev, merge_contacts=False)
    assert set(no_merge.events["lead"]) == {"m1", "m2", "a1"}
    assert "merged_lead" not in set(no_merge.links["kind"])
    no_touch = na.link(ev, touches=False)
    assert "application_touch" not in set(no_touch.links["kind"])
    assert len(no_touch.events) == 3


def test_seekers_are_linked_separately():
    ev = _events(
        [
            _mail("m1", "dana@acme.example", "2024-03-01", seeker="ana"),
            _mail("m2", "dana@acme.example", "2024-03-02", seeker="ben"),
            _app("a1", "Acme", "2024-03-10", seeker="ben"),
        ]
    )
    res = na.link(ev)
    assert res.links[["seeker", "kind", "lead", "other_lead"]].values.tolist() == [
        ["ben", "application_touch", "a1", "m2"]
    ]
    assert res.events.groupby("seeker")["contact_id"].nunique().to_dict() == {"ana": 1, "ben": 1}


def test_empty_minimal_and_polars_frames():
    from netanalysis.schema import empty_events

    empty = na.link(empty_events())
    assert (len(empty.events), len(empty.links), len(empty.contacts)) == (0, 0, 0)
    minimal = pd.DataFrame(
        {
            "lead": ["a", "b"],
            "channel": ["linkedin", "job_board"],
            "stage": ["contacted", "contacted"],
            "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05"], utc=True),
            "contact": ["Dana Whitfield", None],
            "company": ["Acme", "Acme"],
        }
    )
    res = na.link(minimal)
    assert res.links[["kind", "lead", "other_lead"]].values.tolist() == [
        ["application_touch", "b", "a"]
    ]
    polars = pytest.importorskip("polars")
    pd.testing.assert_frame_equal(na.link(polars.from_pandas(minimal)).events, res.events)


def test_bad_arguments():
    ev = _events([_app("a1", "Acme", "2024-03-10")])
    with pytest.raises(ParameterError, match="window_days"):
        na.link(ev, window_days=-1)
    with pytest.raises(ParameterError, match="events frame or a LoadResult"):
        na.link([1, 2])
    res = na.link(ev)
    assert list(res.links.columns) == list(LINK_COLUMNS)
    assert res.events["lead_kind"].tolist() == ["application"]


_PEOPLE = [
    ("Dana Whitfield", "dana@northwind-analytics.com", "Northwind Analytics"),
    ("Sam Okafor", "sam@harborview.org", "Harbor View"),
    ("Lee Park", "lee.park@gmail.com", None),
]
_DAYS = [str(d.date()) for d in pd.date_range("2024-03-01", periods=40, freq="D")]


@st.composite
def _story_events(draw) -> pd.DataFrame:
    rows = []
    for n in range(draw(st.integers(1, 8))):
        name, email, company = draw(st.sampled_from(_PEOPLE))
        day = str(draw(st.sampled_from(_DAYS)))
        kind = draw(st.sampled_from(["mail", "linkedin", "meeting", "app"]))
        seeker = draw(st.sampled_from(["me", "you"]))
        if kind == "mail":
            rows.append(_mail(f"m{n}", email, day, contact=name, seeker=seeker))
        elif kind == "linkedin":
            rows.append({"lead": f"l{n}", "channel": "linkedin", "stage": "contacted",
                         "timestamp": day, "contact": name, "company": company,
                         "seeker": seeker})  # fmt: skip
        elif kind == "meeting":
            rows.append({"lead": f"c{n}", "channel": "in_person", "channel_raw": "video call",
                         "stage": "meeting", "timestamp": day, "contact": name,
                         "contact_email": email, "attendees": email, "meeting_mode": "video",
                         "seeker": seeker})  # fmt: skip
        else:
            stage = draw(st.sampled_from(["contacted", "interview", "offer"]))
            rows.append(_app(f"a{n}", company or "Acme", day, stage=stage, seeker=seeker))
    for row in rows:
        row.setdefault("channel_raw", None)
        for column in ("contact", "company", "contact_email", "attendees", "meeting_mode"):
            row.setdefault(column, None)
    return _events(rows)


@settings(max_examples=12)
@given(_story_events(), st.sampled_from([0, 7, 30]))
def test_linking_invariants(events, window):
    res = na.link(events, window_days=window)
    out, links = res.events, res.links
    touches = links[links["kind"] == "application_touch"]
    # Nothing is lost: every original event is there, plus one copy per touch.
    assert len(out) == len(events) + len(touches)
    assert (out["linked_from"].notna()).sum() == len(touches)
    assert set(out.loc[out["linked_from"].notna(), "stage"].astype(str)) <= {"contacted"}
    assert (touches["days_before"].between(0, window)).all()
    # Every lead id that changed is explained by a merged_lead link.
    original = out[out["linked_from"].isna()]
    changed = set(original.loc[original["lead"] != original["lead_before_link"],
                               "lead_before_link"])  # fmt: skip
    assert changed == set(links.loc[links["kind"] == "merged_lead", "lead"])
    # Linking never adds leads, and the result does not depend on the input order.
    assert (
        original.groupby(["seeker", "lead"]).ngroups <= events.groupby(["seeker", "lead"]).ngroups
    )
    again = na.link(events.iloc[::-1], window_days=window)
    pd.testing.assert_frame_equal(again.events, out)
    pd.testing.assert_frame_equal(again.links, links)
    # Linking linked events starts from the original values: same result.
    relinked = na.link(out, window_days=window)
    pd.testing.assert_frame_equal(relinked.events, out)
    pd.testing.assert_frame_equal(relinked.links, links)


def test_tracker_rows_are_applications_whatever_their_channel():
    """Tracker loaders mark every row an application; that wins over the heuristic."""
    res = na.load(FIXTURES / "trackers" / "jobsync_jobs.csv")
    assert set(res.events["lead_kind"]) == {"application"}
    networked = res.events.assign(channel="linkedin", contact="Dana Whitfield")
    linked = na.link(networked)
    assert set(linked.events["lead_kind"]) == {"application"}
    guessed = na.link(networked.drop(columns="lead_kind"))
    assert set(guessed.events["lead_kind"]) == {"networking"}
