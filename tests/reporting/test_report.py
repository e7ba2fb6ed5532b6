"""na.report: sections, self-containment, reproducibility, inputs, parameters."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from plotly.offline import get_plotlyjs, get_plotlyjs_version
from report_helpers import DRAWS, content, visible_text

import netanalysis as na
from netanalysis.errors import ParameterError
from netanalysis.reporting.analysis import MAX_ALL_PAIRS

SECTIONS = ["data", "funnel", "rates", "comparisons", "time", "next-hour", "more-leads", "methods", "stamp"]  # fmt: skip
FIGURES = ["funnel", "sankey", "activity", "forest", "matrix", "survival", "posterior"]


def test_every_section_and_chart_is_there(sample_html: str) -> None:
    for ident in SECTIONS:
        assert f'<section id="{ident}">' in sample_html
        assert f'href="#{ident}"' in sample_html  # in the contents
    ids = re.findall(r'<div class="na-plot" id="(na-fig-[a-z-]+)"', sample_html)
    assert ids == [f"na-fig-{name}" for name in FIGURES]
    for ident in ids:  # each chart's data sits beside it, as JSON
        assert f'<script type="application/json" id="{ident}-json">' in sample_html
    assert "could not be computed" not in content(sample_html)
    assert "cannot be" not in visible_text(sample_html)


def test_plotly_js_is_embedded_once_and_nothing_is_fetched(sample_html: str) -> None:
    banner = f"plotly.js v{get_plotlyjs_version()}"
    assert sample_html.count(banner) == 1
    assert get_plotlyjs()[:2000] in sample_html
    own = content(sample_html)
    assert "src=" not in own  # no script, image or frame from anywhere
    assert not re.search(r"""(href|url)\s*[=(]\s*["']?\s*(https?:)?//""", own)
    assert "@import" not in own
    assert "@font-face" not in own
    assert "Content-Security-Policy" in own
    assert "default-src 'none'" in own
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in own
    assert "@media print" in own
    assert "@media (max-width: 40rem)" in own


def test_headline_repeats_the_findings(sample_html: str) -> None:
    res = na.load(na.datasets.path("sample_seeker"))
    main = na.conversion(res.events, from_stage="contacted", to_stage="interview")
    first = main.finding().split(". ")[0]
    headline = sample_html.split('<section id="headline"', 1)[1].split("</section>", 1)[0]
    assert first in visible_text(headline)
    cmp = na.compare(res.events, to_stage="interview")
    top = cmp.headline()
    assert top is not None
    assert f"{top['n_a']} vs {top['n_b']} leads" in visible_text(headline)


def test_data_section_counts_rejections_by_reason(sample_html: str) -> None:
    data = visible_text(sample_html.split('<section id="data">', 1)[1].split("</section>", 1)[0])
    assert "Read 487 rows from 2 source(s): 483 kept, 4 rejected" in data
    assert "not a lead yet: status 'Wishlist' means no contact was made" in data
    assert "unknown stage 'Thank-you note'" in data
    assert "column 'Lead ID' read as 'lead' (guessed; name it with mapping= if wrong)" in data
    assert "Dates: 2024-01-08 to 2024-06-30" in data
    assert "1 event without a date" in data


def test_same_inputs_give_identical_bytes(tmp_path: Path, sample_html: str) -> None:
    source = na.datasets.path("sample_seeker")
    written = na.report(source, tmp_path / "a.html", timestamp=False, draws=DRAWS)
    assert isinstance(written, Path)
    assert written.read_bytes() == sample_html.encode("utf-8")
    stamped = na.report(source, draws=DRAWS)
    assert isinstance(stamped, str)
    assert re.search(r"generated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stamped)
    without = re.sub(r" · generated [^<]*|\n<p>Generated [^<]*</p>| \(apart from the generation time\)", "", stamped)  # fmt: skip
    without = re.sub(r'"generated": "[^"]*"', '"generated": null', without)  # the JSON stamp
    assert without == sample_html
    assert na.reporting.read_stamp(stamped)["generated"] is not None
    assert na.reporting.read_stamp(sample_html)["generated"] is None


def test_a_different_seed_or_parameter_changes_the_report(sample_html: str) -> None:
    source = na.datasets.path("sample_seeker")
    other = na.report(source, timestamp=False, draws=DRAWS, seed=1)
    assert other != sample_html
    assert (
        '<tr><th scope="row">seed (Bayesian draws, Monte Carlo p-values)</th><td>1</td></tr>'
        in other
    )


def test_stamp_fingerprints_inputs_and_lists_parameters(sample_html: str) -> None:
    stamp = sample_html.split('<section id="stamp">', 1)[1]
    for name in ("tracker.xlsx", "networking_log.csv"):
        path = na.datasets.path("sample_seeker") / name
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"sample_seeker/{name}" in stamp
        assert digest in stamp
    for name, value in [("by", "channel"), ("to_stage", "interview"), ("test", "auto"),
                        ("adjust", "holm"), ("level", "0.95"), ("draws", str(DRAWS)),
                        ("as_of used", "2024-06-30T00:00:00+00:00")]:  # fmt: skip
        assert f'<th scope="row">{name}</th><td>{value}</td>' in stamp
    for package in (
        "netanalysis",
        "pandas",
        "scipy",
        "statsmodels",
        "plotly",
        "plotly.js (embedded)",
    ):
        assert f'<th scope="row">{package}</th>' in stamp
    assert "SHA-256 of the events analysed" in stamp


def test_files_are_named_without_their_folder(tmp_path: Path) -> None:
    folder = tmp_path / "private home" / "search"
    shutil.copytree(na.datasets.path("sample_seeker"), folder)
    home = Path("~").expanduser()
    command = f"netanalysis report '{folder}' -o {home}/x.html"
    html = na.report(folder, timestamp=False, draws=DRAWS, command=command)
    assert str(tmp_path) not in html
    assert "search/tracker.xlsx" in html
    assert f"{home}/" not in content(html)
    assert "netanalysis report &#x27;search&#x27; -o ~/x.html" in html


def _fingerprint(html: str) -> str:
    found = re.search(r"events analysed</th><td[^>]*>([0-9a-f]{64})", html)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("kind", ["load_result", "frame", "list"])
def test_every_kind_of_input_gives_the_same_analysis(kind: str, sample_html: str) -> None:
    source = na.datasets.path("sample_seeker")
    res = na.load(source)
    data = {
        "load_result": res,
        "frame": res.events,
        "list": [str(source / "tracker.xlsx"), str(source / "networking_log.csv")],
    }[kind]
    html = na.report(data, timestamp=False, draws=DRAWS)
    if kind != "list":  # the list reads the files in another order (same events, other rows)
        assert _fingerprint(html) == _fingerprint(sample_html)
    assert "Of 300 leads, 11% led to an interview" in html


def test_polars_frame_is_accepted() -> None:
    pl = pytest.importorskip("polars")
    events = na.simulate(n_leads=80, seed=2).events
    html = na.report(pl.from_pandas(events), timestamp=False, draws=DRAWS)
    assert "Of 80 leads" in html


def test_as_of_leaves_out_later_events() -> None:
    events = na.simulate(n_leads=200, seed=5).events
    cut = pd.Timestamp("2024-04-01", tz="UTC")
    later = int((events["timestamp"] > cut).sum())
    html = na.report(events, timestamp=False, draws=DRAWS, as_of="2024-04-01")
    text = visible_text(html)
    assert f"{later:,} events dated after as_of left out." in text
    assert "As of 2024-04-01 00:00 UTC (given)" in text
    assert "Dates: 2024-01-01 to 2024-03-31" in text


def test_many_groups_are_compared_with_the_largest() -> None:
    events = na.simulate(n_leads=600, seekers=MAX_ALL_PAIRS + 3, seed=3).events
    html = na.report(events, by="seeker", timestamp=False, draws=DRAWS)
    text = visible_text(html)
    assert f"With {MAX_ALL_PAIRS + 3} groups, each is compared with the largest" in text
    largest = events.groupby("seeker")["lead"].nunique().idxmax()
    assert f'<th scope="row">baseline used</th><td>{largest}</td>' in html


def test_warnings_are_shown_in_the_report_not_raised(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "lead,channel,stage,date\n"
        "a,Referral,applied,03/04/2024\nb,Indeed,applied,04/05/2024\n"
        "a,Referral,interview,05/06/2024\n",
        encoding="utf-8",
    )
    with pytest.warns(na.errors.NetAnalysisWarning):  # what na.load says on its own
        na.load(log)
    html = na.report(log, timestamp=False, draws=DRAWS)  # raises nothing (filterwarnings=error)
    assert 'class="na-warn"' in html
    assert "Warnings while loading" in html


def test_load_options_are_passed_to_load(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "lead,channel,stage,date\na,Vets Slack,applied,2024-03-01\nb,Indeed,applied,2024-03-02\n",
        encoding="utf-8",
    )
    html = na.report(
        log, timestamp=False, draws=DRAWS, channel_map={"Vets Slack": "industry_group"}
    )
    assert "industry group" in visible_text(html)
    assert '<th scope="row">load: channel_map</th><td>Vets Slack=industry_group</td>' in html


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"test": "fischer"}, "The 'test' parameter of report must be one of"),
        ({"adjust": "holms"}, "Did you mean 'holm'?"),
        ({"level": 1.5}, "The 'level' parameter of report must be in (0, 1)"),
        ({"to_stage": "contacted"}, "The 'to_stage' parameter of report"),
        ({"stages": ["contacted", "offer"], "to_stage": "interview"}, "'to_stage'"),
        ({"by": "colour"}, "must name a column of the events. Got 'colour'"),
        ({"as_of": "someday"}, "The 'as_of' parameter of report must be a date"),
        ({"tz": "Europe/Berlin"}, "they apply only when data are file paths"),
    ],
)
def test_parameter_errors(kwargs: dict, message: str) -> None:
    events = na.simulate(n_leads=30, seed=1).events
    with pytest.raises(ParameterError, match=re.escape(message)):
        na.report(events, **kwargs)


def test_data_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(ParameterError, match="must be a LoadResult, an events frame"):
        na.report(42)


def test_written_file_is_returned(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "r.html"
    path = na.report(na.simulate(n_leads=40, seed=1).events, out, draws=DRAWS)
    assert path == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
