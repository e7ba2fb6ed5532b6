"""The report's parts: redaction, notes, stamp, outcomes, figure blocks."""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from netanalysis.errors import NetAnalysisWarning, ParameterError
from netanalysis.io.privacy import pseudonym
from netanalysis.reporting.analysis import attempt
from netanalysis.reporting.figures import figure_block, figure_json
from netanalysis.reporting.privacy import Redactor, display_name, home_to_tilde
from netanalysis.reporting.sections import first_sentences, split_notes
from netanalysis.reporting.stamp import file_sha256, frame_sha256, input_files, show_value
from netanalysis.reporting.template import table

SALT = "keep-this-secret"


def _redactor(**kwargs: object) -> Redactor:
    events = pd.DataFrame(
        {
            "seeker": ["me", "me"],
            "lead": ["linkedin:name:jane doe", "b"],
            "contact": ["Jane Doe", "Bo Li"],
            "contact_url": ["https://www.linkedin.com/in/jane-doe-1", None],
        }
    )
    rejected = pd.DataFrame(
        {
            "source": ["/home/u/x/messages.csv"],
            "source_row": [3],
            "reason": ["draft"],
            "raw": [json.dumps({"FROM": "Kim Park", "CONTENT": "see you at 5", "DATE": "2024"})],
            "column": [None],
            "value": [None],
        }
    )
    notes = ["account owner: 'Alex Rivera', found as the most frequent sender"]
    return Redactor.build(events, rejected, notes, salt=SALT, **kwargs)  # type: ignore[arg-type]


def test_redactor_replaces_every_kind_of_personal_value() -> None:
    r = _redactor(show_names=False, sources={"/home/u/x/messages.csv": "x/messages.csv"})
    text = (
        "/home/u/x/messages.csv: Jane Doe and Bo Li wrote; Kim Park said 'see you at 5'; "
        "account owner: 'Alex Rivera'; mail jo@example.org, see linkedin.com/in/jo-9 or "
        "https://example.org/p?q=1"
    )
    out = r.text(text)
    for value in ("Jane Doe", "Bo Li", "Kim Park", "see you at 5", "Alex Rivera",
                  "jo@example.org", "linkedin.com/in/jo-9", "https://example.org", "/home/u"):  # fmt: skip
        assert value not in out
    assert out.startswith("x/messages.csv: ")
    assert pseudonym("Jane Doe", salt=SALT) in out
    assert pseudonym("jo@example.org", salt=SALT, prefix="email") in out


def test_redactor_with_show_names_only_rewrites_paths() -> None:
    r = _redactor(show_names=True, sources={"/home/u/x/messages.csv": "x/messages.csv"})
    assert r.values == {}
    assert r.text("/home/u/x/messages.csv: Jane Doe") == "x/messages.csv: Jane Doe"


def test_grouping_by_a_person_pseudonymises_the_column_only() -> None:
    r = _redactor(show_names=False, by="contact")
    events = pd.DataFrame({"seeker": ["me"], "lead": ["a"], "contact": ["Jane Doe"],
                           "company": ["Acme"], "Notes": ["call Jane"]})  # fmt: skip
    frame = r.frame(events, "contact")
    assert list(frame.columns) == ["seeker", "lead", "contact"]  # notes and company dropped
    assert frame["contact"].tolist() == [pseudonym("Jane Doe", salt=SALT)]
    assert not _redactor(show_names=False, by="channel").personal_by


def test_seekers_named_by_address_are_personal() -> None:
    events = pd.DataFrame({"seeker": ["ana@example.org", "S02"], "lead": ["a", "b"]})
    r = Redactor.build(events, None, (), show_names=False, salt=SALT, by="seeker")
    assert r.personal_by
    assert r.frame(events, "seeker")["seeker"].str.startswith("seeker-").all()
    plain = pd.DataFrame({"seeker": ["S01", "S02"], "lead": ["a", "b"]})
    assert not Redactor.build(plain, None, (), show_names=False, by="seeker").personal_by


def test_derived_salt_depends_on_the_data_only() -> None:
    a = Redactor.build(pd.DataFrame({"contact": ["Jane Doe"]}), None, (), show_names=False)
    b = Redactor.build(pd.DataFrame({"contact": ["Jane Doe"]}), None, (), show_names=False)
    c = Redactor.build(pd.DataFrame({"contact": ["Jane Doe", "Bo Li"]}), None, (), show_names=False)
    assert a.values == b.values
    assert a.values["Jane Doe"] != c.values["Jane Doe"]


def test_display_names_and_home() -> None:
    root = Path("/data/search")
    assert display_name("/data/search/a/b.csv", [root]) == "search/a/b.csv"
    assert display_name("/elsewhere/c.csv", [root]) == "c.csv"
    assert display_name("/data/search", [root]) == "search"
    home = os.path.expanduser("~")
    assert home_to_tilde(f"cat {home}/notes.csv") == "cat ~/notes.csv"


def test_split_notes_keeps_brackets_and_quotes_whole() -> None:
    notes = "a (b; c); d 'e; f'; g; pass x=1"
    assert split_notes(notes) == ["a (b; c)", "d 'e; f'", "g; pass x=1"]
    assert split_notes("") == []


def test_first_sentences() -> None:
    text = "A is 3.5× B (95% CI 1.2–9; p = 0.02). 4 others differ. Done."
    assert first_sentences(text, 1) == "A is 3.5× B (95% CI 1.2–9; p = 0.02)."
    assert first_sentences(text, 2) == "A is 3.5× B (95% CI 1.2–9; p = 0.02). 4 others differ."


def test_input_files_hash_every_file_but_hidden_ones(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_bytes(b"x,y\n1,2\n")
    (tmp_path / "in" / ".hidden").write_bytes(b"secret")
    (tmp_path / "in" / "sub").mkdir()
    (tmp_path / "in" / "sub" / "b.csv").write_bytes(b"z\n")
    files = input_files([tmp_path / "in"])
    assert [f.name for f in files] == ["in/a.csv", "in/sub/b.csv"]
    assert files[0].sha256 == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert file_sha256(tmp_path / "in" / "sub" / "b.csv") == hashlib.sha256(b"z\n").hexdigest()
    assert files[0].size == 8


def test_frame_fingerprint_sees_values_and_order() -> None:
    a = pd.DataFrame({"x": [1, 2], "t": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
    assert frame_sha256(a) == frame_sha256(a.copy())
    assert frame_sha256(a) != frame_sha256(a.iloc[::-1].reset_index(drop=True))
    assert frame_sha256(a) != frame_sha256(a.assign(x=[1, 3]))


def test_show_value() -> None:
    assert show_value(pd.Timestamp("2024-01-01", tz="UTC")) == "2024-01-01T00:00:00+00:00"
    assert show_value(0.95) == "0.95"
    assert show_value((1.0, 1.0)) == "1, 1"


def test_attempt_records_warnings_and_errors() -> None:
    def warns() -> int:
        warnings.warn("few leads; collect more", NetAnalysisWarning, stacklevel=1)
        return 1

    out = attempt(warns)
    assert out.ok
    assert out.warnings == ["few leads; collect more"]

    def fails() -> int:
        raise ParameterError("the 'x' parameter must be 1")

    failed = attempt(fails)
    assert not failed.ok
    assert failed.error == "the 'x' parameter must be 1"


def test_figure_json_cannot_close_its_script() -> None:
    fig = go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1]))
    fig.update_layout(width=500)
    block = figure_block(fig, "x", "A <b>caption</b>.")
    assert block.count("</script>") == 1
    assert "alert(1)" in block
    assert "<script>alert" not in block
    assert "A &lt;b&gt;caption&lt;/b&gt;." in block
    assert json.loads(figure_json(fig))["layout"].get("width") is None


def test_tables_escape_values() -> None:
    html = table(pd.DataFrame({"group": ["<img src=x>"], "n": [1200]}))
    assert "<img" not in html
    assert "&lt;img src=x&gt;" in html
    assert '<td class="num">1,200</td>' in html


def test_redactor_ignores_missing_and_short_values() -> None:
    events = pd.DataFrame({"contact": [None, "Al"]})  # "Al" is too short to search for
    assert Redactor.build(events, None, (), show_names=False).values == {}
