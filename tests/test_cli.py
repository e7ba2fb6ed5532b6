"""The `netanalysis` command: help, report, validate, demo, simulate, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import netanalysis as na
from netanalysis.cli import DEMO_OUTPUT, _parse_map, main
from netanalysis.errors import InputError

SAMPLE = na.datasets.path("sample_seeker")
FAST = ["--draws", "2000", "--no-timestamp"]


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), prog_name="netanalysis", catch_exceptions=True)


@pytest.mark.parametrize("command", [[], ["report"], ["validate"], ["demo"], ["simulate"]])
def test_help_has_examples(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: netanalysis" in result.stdout
    assert "Examples:" in result.stdout
    assert "  netanalysis " in result.stdout.split("Examples:", 1)[1]


def test_group_help_lists_the_commands() -> None:
    out = run("--help").stdout
    for name in ("report", "validate", "demo", "simulate"):
        assert f"  {name} " in out
    assert run("--version").stdout.strip() == f"netanalysis, version {na.__version__}"


def test_report_writes_identical_bytes_twice(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.html", "b.html"):
        out = tmp_path / name
        result = run("report", str(SAMPLE), "-o", str(out), *FAST)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip() == str(out)  # only the path on stdout
        outputs.append(out.read_bytes())
    a, b = (o.decode() for o in outputs)
    # The stamp records the command; only the output name differs between the two runs.
    assert a.replace("a.html", "b.html") == b
    assert "netanalysis report sample_seeker -o " in a
    assert str(SAMPLE.parent) not in a


def test_where_the_report_is_written_does_not_change_its_bytes(tmp_path: Path) -> None:
    """The stamp records the output's file name only, not the folder it was written to."""
    written = []
    for folder in ("first place", "second/place"):
        out = tmp_path / folder / "report.html"
        result = run("report", str(SAMPLE), "-o", str(out), *FAST)
        assert result.exit_code == 0, result.stderr
        written.append(out.read_bytes())
    assert written[0] == written[1]
    html = written[0].decode("utf-8")
    assert str(tmp_path) not in html
    command = na.reporting.read_stamp(html)["command"]
    assert command == "netanalysis report sample_seeker -o report.html --draws 2000 --no-timestamp"
    for spelling in (["--output", str(tmp_path / "x" / "r.html")], [f"-o{tmp_path}/y/r.html"],
                     [f"--output={tmp_path}/z/r.html"]):  # fmt: skip
        result = run("report", str(SAMPLE), *spelling, *FAST)
        assert result.exit_code == 0, result.stderr
        path = Path(result.stdout.strip())
        stamp = na.reporting.read_stamp(path)
        assert str(tmp_path) not in stamp["command"]
        assert re.search(r" (-o ?|--output[= ])r\.html ", stamp["command"]), stamp["command"]


def test_report_options_reach_the_report(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "lead,channel,stage,date\n"
        "a,Vets Slack,applied,2024-03-01\na,Vets Slack,interview,2024-03-09\n"
        "b,Indeed,applied,2024-03-02\nc,Indeed,applied,2024-03-20\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "channels.csv"
    mapping.write_text("label,channel\nVets Slack,industry_group\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = run(
        "report", str(log), "-o", str(out), *FAST, "--channel-map", str(mapping),
        "--by", "mode", "--stages", "contacted,interview", "--to-stage", "interview",
        "--as-of", "2024-03-10", "--test", "fisher", "--adjust", "bh", "--level", "0.9",
        "--seed", "7", "--tz", "Europe/Berlin", "--title", "My search",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    for name, value in [("by", "mode"), ("stages", "contacted, interview"), ("test", "fisher"),
                        ("adjust", "bh"), ("level", "0.9"), ("as_of", "2024-03-10T00:00:00+00:00"),
                        ("load: tz", "Europe/Berlin"),
                        ("load: channel_map", "Vets Slack=industry_group")]:  # fmt: skip
        assert f'<th scope="row">{name}</th><td>{value}</td>' in html
    assert "<title>My search</title>" in html
    assert "1 event dated after as_of left out." in html


def test_validate_prints_summary_and_rejections() -> None:
    result = run("validate", str(SAMPLE))
    assert result.exit_code == 0
    out = result.stdout
    assert "Read 487 rows from 2 source(s): 483 kept, 4 rejected" in out
    assert "Rejected rows by reason:" in out
    assert "not a lead yet: status 'Wishlist' means no contact was made" in out
    assert "Rejected rows (4 of 4):" in out


def test_validate_strict_fails_when_rows_are_rejected(tmp_path: Path) -> None:
    result = run("validate", str(SAMPLE), "--strict")
    assert result.exit_code == 1
    assert "4 row(s) rejected (--strict)" in result.stderr
    clean = tmp_path / "clean.csv"
    clean.write_text("lead,channel,stage,date\na,Referral,applied,2024-03-01\n", encoding="utf-8")
    result = run("validate", str(clean), "--strict")
    assert result.exit_code == 0, result.stderr
    assert "No row was rejected." in result.stdout


def test_warnings_print_as_one_line(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "lead,channel,stage,date\na,Referral,applied,03/04/2024\nb,Indeed,applied,04/05/2024\n",
        encoding="utf-8",
    )
    result = run("validate", str(log))
    assert result.exit_code == 0
    assert "netanalysis: warning: " in result.stderr
    assert "Traceback" not in result.stderr


def test_errors_are_one_line_with_exit_code_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = run("validate", str(missing))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("netanalysis: error: ")
    assert "no such file or folder" in lines[0]
    result = run("report", str(SAMPLE), "-o", str(tmp_path / "r.html"), "--level", "2")
    assert result.exit_code == 2
    assert result.stderr.startswith("netanalysis: error: The 'level' parameter of report")


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "validate", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert isinstance(result.exception, InputError)


def test_usage_errors_are_clicks() -> None:
    result = run("report")
    assert result.exit_code == 2
    assert "Missing argument 'INPUT...'" in result.stderr
    result = run("report", str(SAMPLE), "--test", "t-test")
    assert result.exit_code == 2
    assert "Invalid value for '--test'" in result.stderr
    result = run("report", str(SAMPLE), "--channel-map", "nothing")
    assert result.exit_code == 2
    assert "neither a file nor label=target" in result.stderr


def test_demo_writes_the_sample_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("demo", *FAST)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == DEMO_OUTPUT
    html = (tmp_path / DEMO_OUTPUT).read_text(encoding="utf-8")
    assert "Of 300 leads, 11% led to an interview" in html
    assert "netanalysis demo --draws 2000 --no-timestamp" in html


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_simulate_writes_a_log_that_loads_back(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"log{suffix}"
    result = run("simulate", "-o", str(out), "--n-leads", "50", "--seekers", "2", "--seed", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    res = na.load(out)
    expected = na.simulate(n_leads=50, seekers=2, seed=3).events
    assert res.rejected.empty
    assert res.events.groupby(["seeker", "lead"]).ngroups == 50
    pd.testing.assert_frame_equal(
        na.funnel(res.events, by="channel"), na.funnel(expected, by="channel")
    )


def test_simulate_refuses_other_formats(tmp_path: Path) -> None:
    result = run("simulate", "-o", str(tmp_path / "log.xlsx"))
    assert result.exit_code == 2
    assert "must end in .csv or .parquet" in result.stderr


def test_maps_from_items_and_files(tmp_path: Path) -> None:
    as_json = tmp_path / "m.json"
    as_json.write_text(json.dumps({"Vets Slack": "industry_group"}), encoding="utf-8")
    as_text = tmp_path / "m.txt"
    as_text.write_text("# mine\nCoffee chat = in_person\nMeetup\tin_person\n", encoding="utf-8")
    got = _parse_map(["Hire Heroes=industry_group", str(as_json), str(as_text)], "--channel-map")
    assert got == {
        "Hire Heroes": "industry_group",
        "Vets Slack": "industry_group",
        "Coffee chat": "in_person",
        "Meetup": "in_person",
    }
    assert _parse_map([], "--channel-map") is None
