"""The schema tables are consistent with each other and with DESIGN.md."""

from __future__ import annotations

import pandas as pd
import pytest

from netanalysis import schema
from netanalysis.errors import MissingColumnsError, ParameterError


def test_event_columns_are_the_contract():
    assert schema.EVENT_COLUMNS == (
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


def test_taxonomy_names_and_modes():
    assert list(schema.CHANNELS) == [
        "job_board",
        "linkedin",
        "social_media",
        "industry_group",
        "in_person",
        "referral",
        "recruiter",
        "cold_email",
        "other",
    ]
    assert set(schema.MODE_OF.values()) <= set(schema.MODES)
    assert schema.MODE_OF["job_board"] == "online_passive"
    assert schema.MODE_OF["linkedin"] == schema.MODE_OF["social_media"] == "online_social"
    assert schema.MODE_OF["industry_group"] == "affinity"
    assert schema.MODE_OF["in_person"] == "in_person"


def test_every_alias_points_to_a_known_name():
    assert set(schema.CHANNEL_ALIASES.values()) <= set(schema.CHANNELS)
    assert set(schema.STAGE_ALIASES.values()) <= set(schema.STAGES)
    assert set(schema.COLUMN_SYNONYMS.values()) <= set(schema.EVENT_COLUMNS)
    # aliases are stored normalised, so lookups through normalize_label find them
    for alias in [*schema.STAGE_ALIASES, *schema.CHANNEL_ALIASES, *schema.COLUMN_SYNONYMS]:
        assert schema.normalize_label(alias) == alias


@pytest.mark.parametrize(
    ("label", "stage"),
    [
        ("applied", "contacted"),
        ("Callback", "responded"),
        ("Reply", "responded"),
        ("Phone Screen", "interview"),
        ("onsite", "interview"),
        ("Offer received", "offer"),
        ("withdrew", "withdrawn"),
        ("ghosted", None),
    ],
)
def test_stage_aliases(label, stage):
    assert schema.stage_of(label) == stage


@pytest.mark.parametrize(
    ("label", "channel"),
    [
        ("Indeed", "job_board"),
        ("LinkedIn", "linkedin"),
        ("Facebook", "social_media"),
        ("Veterans network", "industry_group"),
        ("career fair", "in_person"),
        ("Employee referral", "referral"),
        ("Headhunter", "recruiter"),
        ("cold email", "cold_email"),
        ("carrier pigeon", "other"),
    ],
)
def test_channel_aliases(label, channel):
    assert schema.channel_of(label) == channel


def test_channel_map_wins_and_is_checked():
    assert schema.channel_of("Indeed", {"indeed": "referral"}) == "referral"
    with pytest.raises(ParameterError, match="not a channel"):
        schema.channel_of("x", {"x": "carrier"})


def test_implications_are_transitive_and_include_contacted():
    for stage, implied in schema.STAGE_IMPLIES.items():
        assert stage in implied
        assert "contacted" in implied
        for other in implied:
            assert set(schema.STAGE_IMPLIES[other]) <= set(implied)


def test_funnel_level_on_default_and_custom_funnels():
    assert [schema.funnel_level(s) for s in schema.DEFAULT_FUNNEL] == [0, 1, 2, 3]
    assert schema.funnel_level("meeting") == 1
    assert schema.funnel_level("rejected") == 0
    custom = ["contacted", "meeting", "referral", "interview"]
    assert schema.funnel_level("meeting", custom) == 1
    assert schema.funnel_level("interview", custom) == 3
    assert schema.funnel_level("responded", custom) == 0


def test_tables_render():
    assert schema.channels_table().shape == (len(schema.CHANNELS), 2)
    table = schema.stages_table()
    assert bool(table.loc["rejected", "terminal"])
    assert "phone screen" in table.loc["interview", "aliases"]


def test_empty_events_dtypes():
    ev = schema.empty_events()
    assert str(ev["timestamp"].dtype) == "datetime64[us, UTC]"
    assert isinstance(ev["channel"].dtype, pd.CategoricalDtype)
    assert list(ev["channel"].cat.categories) == list(schema.CHANNELS)


def test_validate_events_names_missing_and_closest():
    with pytest.raises(MissingColumnsError) as info:
        schema.validate_events(pd.DataFrame({"lead_id": [1], "stage": ["x"]}))
    message = str(info.value)
    assert "'lead'" in message
    assert "lead_id" in message
    assert "did you mean" in message
