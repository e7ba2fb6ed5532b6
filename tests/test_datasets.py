"""Bundled datasets: they load cleanly, match the generator's truth, and regenerate exactly."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import StratifiedTable, Table2x2

import netanalysis as na
from netanalysis import datasets
from netanalysis.errors import NetAnalysisError, ParameterError
from netanalysis.funnel import is_counts
from netanalysis.simulate import DEFAULT_RATES

DATA = Path(__file__).resolve().parent.parent / "data"


def _make_data():
    """Import data/make_data.py (a script, not a package module)."""
    if "na_make_data" in sys.modules:
        return sys.modules["na_make_data"]
    spec = importlib.util.spec_from_file_location("na_make_data", DATA / "make_data.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["na_make_data"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seeker() -> na.LoadResult:
    return datasets.sample_seeker()


@pytest.fixture(scope="module")
def cohort() -> na.LoadResult:
    return datasets.sample_cohort()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole data folder generated afresh by the script, with its README."""
    out = tmp_path_factory.mktemp("regenerated")
    shutil.copy(DATA / "README.md", out / "README.md")
    assert _make_data().main(["--out", str(out)]) == 0
    return out


# --- sample_seeker ----------------------------------------------------------------------


def test_sample_seeker_rows_read_kept_rejected_as_documented(seeker):
    manifest = datasets.truth("sample_seeker", "manifest")
    summary = seeker.summary.assign(file=seeker.summary["source"].map(lambda s: Path(s).name))
    summary = summary.set_index("file")
    assert sorted(summary.index) == sorted(manifest["files"])
    for name, expected in manifest["files"].items():
        row = summary.loc[name]
        assert row["rows_read"] == expected["rows_read"]
        assert row["rows_kept"] == expected["rows_kept"]
        assert row["rows_rejected"] == expected["rows_rejected"]
        assert row["rows_read"] == row["rows_kept"] + row["rows_rejected"]
    assert summary.loc["networking_log.csv", "duplicates"] == 1
    assert summary.loc["tracker.xlsx", "loader"] == "wide"
    assert summary.loc["networking_log.csv", "loader"] == "long"


def test_sample_seeker_rejections_are_exactly_the_deliberate_ones(seeker):
    manifest = datasets.truth("sample_seeker", "manifest")
    got = {
        (Path(s).name, int(r)): reason
        for s, r, reason in seeker.rejected[["source", "source_row", "reason"]].itertuples(
            index=False
        )
    }
    expected = {(d["file"], d["row"]): d["why"] for d in manifest["deliberate_rejections"]}
    assert set(got) == set(expected)
    for key, why in expected.items():
        if why.startswith("a saved posting"):
            assert got[key].startswith("not a lead yet")
        elif why.startswith("exact duplicate"):
            assert got[key].startswith("exact duplicate of an event already loaded")
        else:
            assert got[key].startswith("unknown stage 'Thank-you note'")


def test_sample_seeker_funnel_equals_the_simulated_truth(seeker):
    """The files lose nothing: their funnel is the simulated log's funnel, lead for lead."""
    manifest = datasets.truth("sample_seeker", "manifest")
    drawn = datasets.truth("sample_seeker", "funnel")
    counts = na.funnel(seeker.events, by="channel")
    pd.testing.assert_frame_equal(counts, drawn, check_names=False, check_dtype=False)
    # Independently of the truth files: re-run the generator's simulate() call.
    sim = na.simulate(
        n_leads=manifest["leads"], seed=manifest["seed"], start="2024-01-08", days=175
    )
    assert manifest["generator"].startswith(f"simulate(n_leads={manifest['leads']}")
    expected = na.funnel(sim.events, by="channel")
    expected = expected[expected["contacted"] > 0]
    pd.testing.assert_frame_equal(counts, expected)
    assert seeker.events.groupby(["seeker", "lead"]).ngroups == manifest["leads"]


def test_sample_seeker_covers_every_channel_with_known_labels(seeker):
    events = seeker.events
    channels = set(events["channel"].astype(str))
    assert channels == set(DEFAULT_RATES)  # all eight, none in 'other'
    assert not seeker.notes  # no "labels not in the taxonomy" note
    assert set(events["seeker"]) == {"me"}
    span = events["timestamp"].max() - events["timestamp"].min()
    assert pd.Timedelta(days=150) < span <= pd.Timedelta(days=180)
    # Industry groups include a veterans' network.
    raw = set(events.loc[events["channel"] == "industry_group", "channel_raw"])
    assert "Veterans network" in raw


def test_sample_seeker_kept_quirks(seeker):
    manifest = datasets.truth("sample_seeker", "manifest")
    quirks = {q["what"].split(" ")[0]: q["row"] for q in manifest["kept_quirks"]}
    tracker = seeker.events[seeker.events["source"].str.endswith("tracker.xlsx")]
    # The status-only row: one lead, one undated event.
    status_only = tracker[tracker["source_row"] == quirks["status"]]
    assert len(status_only) == 1
    assert status_only["timestamp"].isna().all()
    assert int(seeker.events["timestamp"].isna().sum()) == 1
    # The date typed as text parses to the date it spells.
    raw = pd.read_excel(datasets.path("sample_seeker") / "tracker.xlsx", dtype=object)
    text = raw.loc[quirks["Applied"] - 1, "Applied Date"]
    assert isinstance(text, str)
    typed = tracker[
        (tracker["source_row"] == quirks["Applied"]) & (tracker["stage"] == "contacted")
    ]
    expected = pd.Timestamp(datetime.strptime(text, "%d %b %Y"), tz="UTC")
    assert typed["timestamp"].tolist() == [expected]


def test_sample_seeker_privacy_invented_links_only():
    raw = pd.read_excel(datasets.path("sample_seeker") / "tracker.xlsx", dtype=object)
    links = raw["Link"].dropna()
    assert len(links) > 50
    assert links.str.match(r"^https://careers\.[a-z]+\.example/jobs/\d+$").all()


def test_sample_seeker_function_equals_load_of_path(seeker):
    again = na.load(datasets.path("sample_seeker"))
    pd.testing.assert_frame_equal(again.events, seeker.events)


# --- sample_cohort ----------------------------------------------------------------------


def test_sample_cohort_loads_everything(cohort):
    manifest = datasets.truth("sample_cohort", "manifest")
    assert int(cohort.summary["rows_rejected"].sum()) == 0
    assert int(cohort.summary["rows_read"].sum()) == manifest["events"] == len(cohort.events)
    assert cohort.events["seeker"].nunique() == manifest["seekers"] == 150
    assert cohort.events.groupby(["seeker", "lead"]).ngroups == manifest["leads"]
    assert {"seniority", "branch", "wave"} <= set(cohort.events.columns)


def test_sample_cohort_covariates_match_the_seekers_truth(cohort):
    seekers = datasets.truth("sample_cohort", "seekers")
    per_seeker = cohort.events.groupby("seeker")[["seniority", "branch", "wave"]].nunique()
    assert (per_seeker == 1).all().all()  # constant within each seeker
    first = cohort.events.groupby("seeker")[["seniority", "branch", "wave"]].first()
    pd.testing.assert_frame_equal(
        first.sort_index(), seekers[["seniority", "branch", "wave"]].sort_index(), check_names=False
    )
    leads = cohort.events.groupby("seeker")["lead"].nunique()
    assert (leads.sort_index() == seekers["leads_in_log"].sort_index()).all()
    assert (seekers["leads_in_log"] <= seekers["leads_drawn"]).all()
    # The heterogeneity the README promises: seeker effects with sd near 0.6.
    assert 0.45 < float(seekers["effect"].std()) < 0.75


def test_sample_cohort_funnel_equals_truth(cohort):
    counts = na.funnel(cohort.events, by=["seniority", "channel"])
    drawn = datasets.truth("sample_cohort", "funnel")
    pd.testing.assert_frame_equal(counts, drawn, check_dtype=False)


def test_sample_cohort_truth_rates_follow_the_generator():
    """Typical-seeker rates are expit(logit(p) + shift); population averages are larger for
    small p (Jensen) and are checked against a Monte Carlo average over seeker effects."""
    md = _make_data()
    rates = datasets.truth("sample_cohort")
    for level, (_, shift) in md.SENIORITY.items():
        for channel, p in md.COHORT_RATES.items():
            row = rates.loc[(level, channel)]
            steps = 1 / (1 + np.exp(-(np.log(np.array(p) / (1 - np.array(p))) + shift)))
            assert row["p_responded_given_contacted"] == pytest.approx(steps[0], abs=1e-6)
            assert row["typical_interview"] == pytest.approx(steps[0] * steps[1], abs=1e-6)
            assert row["share"] == md.COHORT_SHARES[level][channel]
    rng = np.random.default_rng(0)
    u = rng.normal(0, md.COHORT_SEEKER_SD, 400_000)
    p = np.array(md.COHORT_RATES["linkedin"])
    steps = 1 / (1 + np.exp(-(np.log(p / (1 - p))[None, :] + u[:, None])))
    monte_carlo = float((steps[:, 0] * steps[:, 1]).mean())
    assert rates.loc[("mid", "linkedin"), "average_interview"] == pytest.approx(
        monte_carlo, abs=2e-3
    )


def test_sample_cohort_simpsons_paradox(cohort):
    """Pooled, the veterans' network looks better than LinkedIn; within every seniority
    level (and by the Mantel-Haenszel common odds ratio) LinkedIn is better."""
    a, b = datasets.truth("sample_cohort", "manifest")["simpson"]["pair"]
    counts = na.funnel(cohort.events, by=["seniority", "channel"])
    pooled = na.funnel(cohort.events, by="channel")

    def table(frame: pd.DataFrame, key_a: object, key_b: object) -> np.ndarray:
        rows = [frame.loc[key_a], frame.loc[key_b]]
        return np.array([[r["interview"], r["contacted"] - r["interview"]] for r in rows])

    crude = Table2x2(table(pooled, a, b))
    assert crude.oddsratio < 1  # pooled: a (LinkedIn) looks worse
    strata = [table(counts, (s, a), (s, b)) for s in ("junior", "mid", "senior")]
    for t in strata:
        assert t[0, 0] / t[0].sum() > t[1, 0] / t[1].sum()  # within: a is better
    assert StratifiedTable(strata).oddsratio_pooled > 1
    # The truth shows the same reversal (population averages weighted by expected use).
    expected = datasets.truth("sample_cohort", "manifest")["simpson"]
    assert (
        expected["true_pooled_average_interview"][a] < expected["true_pooled_average_interview"][b]
    )


# --- reproducibility ----------------------------------------------------------------------


def test_regenerating_gives_identical_files(regenerated):
    texts = [
        "sample_seeker/networking_log.csv",
        "truth/sample_seeker.json",
        "truth/sample_seeker_rates.csv",
        "truth/sample_seeker_funnel.csv",
        "truth/sample_cohort.json",
        "truth/sample_cohort_rates.csv",
        "truth/sample_cohort_funnel.csv",
        "truth/sample_cohort_seekers.csv",
    ]
    for name in texts:
        assert (regenerated / name).read_bytes() == (DATA / name).read_bytes(), name
    # Binary formats: identical contents (bytes depend on the openpyxl/pyarrow version).
    for name in ("sample_seeker/tracker.xlsx",):
        pd.testing.assert_frame_equal(
            pd.read_excel(regenerated / name, dtype=object),
            pd.read_excel(DATA / name, dtype=object),
        )
    pd.testing.assert_frame_equal(
        pd.read_parquet(regenerated / "sample_cohort/events.parquet"),
        pd.read_parquet(DATA / "sample_cohort/events.parquet"),
    )


def test_regenerating_twice_gives_the_same_bytes(regenerated, tmp_path):
    """Within one environment even the XLSX and Parquet bytes are reproducible."""
    _make_data().main(["--out", str(tmp_path)])
    for name in ("sample_seeker/tracker.xlsx", "sample_cohort/events.parquet"):
        assert (tmp_path / name).read_bytes() == (regenerated / name).read_bytes(), name


def test_readme_tables_are_the_generated_ones(regenerated):
    md = _make_data()
    committed = md.readme_block_texts((DATA / "README.md").read_text())
    fresh = md.readme_block_texts((regenerated / "README.md").read_text())
    assert set(committed) == {
        "seeker-rates",
        "seeker-funnel",
        "seeker-files",
        "cohort-summary",
        "cohort-rates",
        "cohort-simpson",
    }
    assert committed == fresh


def test_bundled_data_is_small():
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total < 1_000_000


# --- example exports ---------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE_SOURCES = {"story": FIXTURES / "story", "linkedin_example": FIXTURES / "linkedin" / "export_2026"}  # fmt: skip


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", sorted(EXAMPLE_SOURCES))
def test_example_exports_are_the_fixtures_byte_for_byte(name, regenerated):
    """The bundled copies cannot drift from the hand-written fixtures the tests check."""
    fixture = _files(EXAMPLE_SOURCES[name])
    assert len(fixture) >= 4
    assert _files(datasets.path(name)) == fixture
    assert _files(regenerated / name) == fixture  # make_data.py copies them


def test_make_data_replaces_stale_example_files(tmp_path):
    stale = tmp_path / "story" / "old_name.csv"
    stale.parent.mkdir()
    stale.write_text("x")
    _make_data().copy_examples(tmp_path, {"story": EXAMPLE_SOURCES["story"]})
    assert _files(tmp_path / "story") == _files(EXAMPLE_SOURCES["story"])


def test_story_loads_and_links_from_the_bundled_copy():
    """What notebook 4 does, from the installed data (no tests/ folder needed)."""
    folder = datasets.path("story")
    _, me = datasets.EXAMPLES["story"]
    sources = [folder / "linkedin", folder / "tracker.csv", folder / "mail.mbox", folder / "calendar.ics"]  # fmt: skip
    res = na.load(sources, me=list(me))
    s = res.summary
    assert (s["rows_read"] == s["rows_kept"] + s["rows_rejected"]).all()
    assert res.events.groupby(["seeker", "lead"]).ngroups == 13  # as tests/io/test_story.py
    linked = na.link(res)
    assert na.funnel(linked.events).loc["linkedin", "offer"] == 1  # the Northwind offer
    info = datasets.describe("story")
    assert info.kind == "example export"
    assert "me=['Jordan Reyes', 'jordan.reyes@example.com']" in info.notes
    example = na.load(datasets.path("linkedin_example"))
    assert set(example.events["channel"].astype(str)) == {"linkedin", "job_board"}
    assert "invented" in datasets.describe("linkedin_example").description


# --- published tables -----------------------------------------------------------------


def test_published_catalog_is_complete():
    catalog = datasets.published()
    assert list(catalog.index) == ["fernandez_weinberg_1997", "lever_2016", "heath_1999"]
    for name, entry in catalog.iterrows():
        assert datasets.path(name).is_file()
        for field in ("kind", "unit", "title", "citation", "url", "verified", "notes"):
            assert entry[field].strip(), (name, field)
        assert entry["kind"] in ("funnel", "distribution")
        assert entry["unit"] in ("count", "per_100", "per_hire")
        if entry["unit"] != "count":
            assert "not published" in entry["notes"]  # says so where group sizes are missing


@pytest.mark.parametrize("name", ["fernandez_weinberg_1997", "lever_2016"])
def test_published_funnel_tables_are_valid_counts(name):
    table = datasets.published(name)
    assert is_counts(table)
    assert all(dtype == "int64" for dtype in table.dtypes)
    assert (table.diff(axis=1).iloc[:, 1:] <= 0).all().all()  # non-increasing
    pd.testing.assert_frame_equal(na.funnel(table), table)  # accepted as a counts table
    assert table.attrs["citation"] == datasets.describe(name).citation


def test_published_figures_match_the_sources():
    """Reference values as published.

    Fernandez & Weinberg (1997), per the Stanford news release of 12 Nov 1996: referrals
    80% interviewed and 38% offered, non-referrals 26% and 12%, in-house 83% and 66%.
    Lever (2016) press release: hired 1 in 16 referred, 1 in 22 agency, 1 in 72 sourced,
    1 in 152 applicants. Heath (1999, RBA RDP 1999-07) Table 1: totals 6,845 and 3,022.
    """
    fw = datasets.published("fernandez_weinberg_1997")
    rates = (fw[["interview", "offer"]].T / fw["contacted"]).T
    assert rates.loc["referral"].tolist() == [0.80, 0.38]
    assert rates.loc["nonreferral"].tolist() == [0.26, 0.12]
    assert rates.loc["internal"].tolist() == [0.83, 0.66]
    lever = datasets.published("lever_2016")
    assert (lever["contacted"] / lever["accepted"]).to_dict() == {
        "referral": 16,
        "agency": 22,
        "sourced": 72,
        "applied": 152,
    }
    heath = datasets.published("heath_1999")
    assert int(heath["obtained_current_job"].sum()) == 6845
    assert int(heath["used_by_unemployed"].sum()) == 3022
    assert pd.isna(heath.loc["Government program", "used_by_unemployed"])
    assert not is_counts(heath)  # two distributions, not a funnel


# --- API ------------------------------------------------------------------------------------


def test_names_and_paths():
    assert datasets.names() == [
        "sample_seeker",
        "sample_cohort",
        "story",
        "linkedin_example",
        "published",
        "fernandez_weinberg_1997",
        "lever_2016",
        "heath_1999",
    ]
    assert datasets.path("published").is_dir()
    assert (datasets.path("sample_seeker") / "tracker.xlsx").is_file()


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: datasets.path("sample"), "datasets.path"),
        (lambda: datasets.describe("lever"), "datasets.describe"),
        (lambda: datasets.published("sample_seeker"), "datasets.published"),
    ],
)
def test_unknown_names_list_the_known_ones(call, where):
    with pytest.raises(ParameterError, match=where) as info:
        call()
    assert "must be one of" in str(info.value)


def test_truth_argument_errors():
    with pytest.raises(ParameterError, match="sample_cohort"):
        datasets.truth("sample_seeker", "seekers")
    with pytest.raises(ParameterError, match="'table' parameter"):
        datasets.truth("sample_seeker", "nope")  # type: ignore[arg-type]


def test_describe_gives_citations_and_caveats():
    info = datasets.describe("heath_1999")
    assert "Reserve Bank of Australia" in info.citation
    assert info.url.startswith("https://www.rba.gov.au/")
    assert "not a funnel" in info.notes.lower()
    assert "Heath" in str(info)
    assert "<table" in info._repr_html_()
    sample = datasets.describe("sample_cohort")
    assert sample.kind == "synthetic sample"
    assert "20240401" in sample.notes
    assert "published" in datasets.describe("published").description


@pytest.fixture
def fresh_data_dir():
    datasets._data_dir.cache_clear()
    datasets._catalog.cache_clear()
    yield
    datasets._data_dir.cache_clear()
    datasets._catalog.cache_clear()


def test_data_dir_prefers_the_installed_copy(fresh_data_dir, tmp_path, monkeypatch):
    package = tmp_path / "netanalysis"
    (package / "data" / "sample_seeker").mkdir(parents=True)
    monkeypatch.setattr(datasets.importlib.resources, "files", lambda _: package)
    assert datasets.data_dir() == package / "data"


def test_data_dir_falls_back_to_the_source_tree(fresh_data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.importlib.resources, "files", lambda _: tmp_path / "nothing")
    assert datasets.data_dir() == DATA


def test_data_dir_missing_everywhere_is_a_clear_error(fresh_data_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.importlib.resources, "files", lambda _: tmp_path / "nothing")
    monkeypatch.setattr(datasets, "__file__", str(tmp_path / "pkg" / "datasets.py"))
    with pytest.raises(NetAnalysisError, match="bundled data folder was not found"):
        datasets.data_dir()


def test_demo_command_runs_on_the_sample(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from netanalysis.cli import main

    files = datasets.truth("sample_seeker", "manifest")["files"].values()
    read, kept, rejected = (
        sum(f[k] for f in files) for k in ("rows_read", "rows_kept", "rows_rejected")
    )
    monkeypatch.chdir(tmp_path)  # demo writes its report into the working folder
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "netanalysis-report.html").exists()
    assert f"Read {read} rows from 2 source(s): {kept} kept, {rejected} rejected" in result.output
    assert "industry_group" in result.output
