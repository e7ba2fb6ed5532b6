"""The ``netanalysis`` command: report, validate, demo, simulate.

Errors are one line on stderr (``netanalysis: error: ...``) with exit code 2 for problems
with the data or the options (:class:`~netanalysis.errors.NetAnalysisError`), 1 for
anything else; click's usage errors keep click's message and exit code (2). ``--debug``
shows the full traceback instead. Warnings print as ``netanalysis: warning: ...``.

Examples:
    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(main, ["--help"])
    >>> result.exit_code
    0
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
import pandas as pd

import netanalysis as na
from netanalysis.errors import NetAnalysisError

__all__ = ["main"]

#: Where ``netanalysis demo`` writes by default (git-ignored in the repository).
DEMO_OUTPUT = "netanalysis-report.html"

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Failure(click.ClickException):
    """One clear line on stderr and an exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"netanalysis: error: {self.format_message()}", err=True)


def _show_warning(message: Any, category: Any, filename: str, lineno: int, *args: Any) -> None:
    click.echo(f"netanalysis: warning: {message}", err=True)


class _Main(click.Group):
    """The command group: keeps the command line, turns exceptions into one line."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        argv = list(args)
        ctx = super().make_context(info_name, args, parent=parent, **extra)
        ctx.meta["netanalysis.argv"] = argv
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug")) or os.environ.get("NETANALYSIS_DEBUG") == "1"
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except (click.ClickException, click.exceptions.Exit, click.Abort):
                raise
            except NetAnalysisError as exc:
                if debug:
                    raise
                raise _Failure(str(exc), 2) from None
            except OSError as exc:
                if debug:
                    raise
                where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
                raise _Failure(f"{exc.strerror or exc}{where}", 1) from None
            except Exception as exc:
                if debug:
                    raise
                raise _Failure(
                    f"unexpected {type(exc).__name__}: {exc} (run `netanalysis --debug ...` "
                    "for the traceback, and please report it)",
                    1,
                ) from None


def _name_of(path: str) -> str:
    return Path(os.path.normpath(path)).name or path


def _command_line(ctx: click.Context, inputs: Sequence[str] = ()) -> str:
    """The command as typed, with input and output paths written as their file or folder
    names: where the files live is not part of the report (and would change its bytes).

    Examples:
        >>> ctx = click.Context(main)
        >>> ctx.meta["netanalysis.argv"] = ["report", "/home/u/log.csv", "-o", "/tmp/x/r.html"]
        >>> _command_line(ctx, ["/home/u/log.csv"])
        'netanalysis report log.csv -o r.html'
    """
    argv = list(ctx.meta.get("netanalysis.argv", []))
    named = {str(i): _name_of(str(i)) for i in inputs}
    out: list[str] = []
    output_next = False
    for arg in argv:
        if output_next:
            out.append(_name_of(arg))
            output_next = False
        elif arg in ("-o", "--output"):
            out.append(arg)
            output_next = True
        elif arg.startswith("--output="):
            out.append("--output=" + _name_of(arg.removeprefix("--output=")))
        elif arg.startswith("-o") and len(arg) > 2:
            out.append("-o" + _name_of(arg[2:]))
        else:
            out.append(named.get(arg, arg))
    return shlex.join(["netanalysis", *out])


# ---------------------------------------------------------------------------------------
# Option groups
# ---------------------------------------------------------------------------------------


def _parse_map(values: Sequence[str], option: str) -> dict[str, str] | None:
    """``label=target`` items and/or files (JSON object, or CSV/TSV/text with two columns)."""
    mapping: dict[str, str] = {}
    for value in values:
        path = Path(value)
        if path.is_file():
            mapping.update(_read_map_file(path, option))
            continue
        if "=" not in value:
            raise click.BadParameter(
                f"{value!r} is neither a file nor label=target (e.g. 'Vets Slack=industry_group').",
                param_hint=option,
            )
        label, target = value.split("=", 1)
        if not label.strip() or not target.strip():
            raise click.BadParameter(f"{value!r}: both sides of '=' are needed.", param_hint=option)
        mapping[label.strip()] = target.strip()
    return mapping or None


def _read_map_file(path: Path, option: str) -> dict[str, str]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(
                f"{path}: not valid JSON ({exc.msg}).", param_hint=option
            ) from None
        if not isinstance(data, dict):
            raise click.BadParameter(f"{path}: expected a JSON object.", param_hint=option)
        return {str(k): str(v) for k, v in data.items()}
    mapping = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for sep in ("=", "\t", ","):
            if sep in line:
                label, target = (part.strip().strip('"') for part in line.split(sep, 1))
                break
        else:
            raise click.BadParameter(
                f"{path}, line {number}: expected 'label,target' or 'label=target'.",
                param_hint=option,
            )
        if number == 1 and label.lower() in ("label", "channel_raw", "from", "raw"):
            continue  # a header
        mapping[label] = target
    return mapping


def _load_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--tz",
            default="UTC",
            show_default=True,
            help="IANA time zone of timestamps written without one (e.g. Europe/Berlin).",
        ),
        click.option(
            "--channel-map",
            "channel_map",
            multiple=True,
            metavar="LABEL=CHANNEL|FILE",
            help="Map your channel labels to the taxonomy; repeat, or give a JSON/CSV file.",
        ),
        click.option(
            "--stage-map",
            "stage_map",
            multiple=True,
            metavar="LABEL=STAGE|FILE",
            help="Map your status words to stages (e.g. 'Ghosted=rejected'); repeat, or a file.",
        ),
        click.option(
            "--kind",
            default="auto",
            show_default=True,
            help="Reader to use: auto (recognise each file), long, wide, or a format loader.",
        ),
        click.option("--seeker", default=None, help="Seeker id for sources that name none [me]."),
        click.option(
            "--dayfirst/--monthfirst",
            default=None,
            help="Order of numeric dates like 03/04/2024 (default: decided per file).",
        ),
        click.option(
            "--me", default=None, help="You, in exports (your name, email or profile URL)."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load_kwargs(
    tz: str,
    channel_map: Sequence[str],
    stage_map: Sequence[str],
    kind: str,
    seeker: str | None,
    dayfirst: bool | None,
    me: str | None,
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"tz": tz}
    if kind != "auto":
        kwargs["kind"] = kind
    if (cmap := _parse_map(channel_map, "--channel-map")) is not None:
        kwargs["channel_map"] = cmap
    if (smap := _parse_map(stage_map, "--stage-map")) is not None:
        kwargs["stage_map"] = smap
    if seeker is not None:
        kwargs["seeker"] = seeker
    if dayfirst is not None:
        kwargs["dayfirst"] = dayfirst
    if me is not None:
        kwargs["me"] = me
    return kwargs


def _report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--by", default="channel", show_default=True, help="Column to group leads by (channel, mode, seeker, ...)."),
        click.option("--stages", default=None, metavar="A,B,...", help="The funnel, comma-separated [contacted,responded,interview,offer]."),
        click.option("--to-stage", default="interview", show_default=True, help="Stage compared, ranked and planned for."),
        click.option("--baseline", default=None, help="Compare each group with this one (default: every pair)."),
        click.option("--test", type=click.Choice(["auto", "fisher", "chi2", "boschloo", "z"]), default="auto", show_default=True, help="Pairwise test."),
        click.option("--adjust", type=click.Choice(["holm", "bh", "bonferroni", "none"]), default="holm", show_default=True, help="Multiple-comparison adjustment."),
        click.option("--level", type=float, default=0.95, show_default=True, help="Confidence level."),
        click.option("--ci", type=click.Choice(["wilson", "jeffreys", "exact", "agresti_coull"]), default="wilson", show_default=True, help="Interval for rates."),
        click.option("--attribution", type=click.Choice(["first", "last"]), default="first", show_default=True, help="A lead's group: that of its first or last event."),
        click.option("--as-of", "as_of", default=None, metavar="DATE", help="Export date: later events left out, open leads censored [latest event]."),
        click.option("--seed", type=int, default=0, show_default=True, help="Seed of every random step."),
        click.option("--draws", type=int, default=100_000, show_default=True, help="Posterior draws of the Bayesian section."),
        click.option("--show-names", is_flag=True, help="Show contact names, emails and profile URLs (default: pseudonyms)."),
        click.option("--salt", envvar="NETANALYSIS_SALT", default=None, help="Secret for stable pseudonyms [env NETANALYSIS_SALT; default: from the data]."),
        click.option("--no-timestamp", is_flag=True, help="Leave out the generation time: reruns give identical bytes."),
        click.option("--title", default=None, help="Title of the report."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def _stages(value: str | None) -> list[str] | None:
    if value is None:
        return None
    stages = [s.strip() for s in value.split(",") if s.strip()]
    if not stages:
        raise click.BadParameter("give stages separated by commas.", param_hint="--stages")
    return stages


def _write_report(
    ctx: click.Context, data: Any, output: str, options: dict[str, Any], load: dict[str, Any]
) -> Path:
    """Run the report with a progress bar over its steps; return the path written."""
    steps = ["load", "statistics", "charts", "write"]
    names = {
        "load": "Loading",
        "statistics": "Statistics",
        "charts": "Charts",
        "write": "Writing",
    }
    seen: list[str] = []
    shown: list[Any] = []  # the progress bar, once open

    def progress(step: str) -> None:
        if shown:
            shown[0].update(1 if seen else 0, names.get(step, step))
        seen.append(step)

    show = sys.stderr.isatty()  # a bar only for people watching, not in logs
    with (
        click.progressbar(
            length=len(steps),
            label="netanalysis report",
            file=sys.stderr,
            show_eta=False,
            show_percent=False,
            item_show_func=lambda s: s,
        )
        if show
        else contextlib.nullcontext()
    ) as bar:
        if bar is not None:
            shown.append(bar)
        path = na.report(
            data,
            output,
            by=options["by"],
            stages=_stages(options["stages"]),
            to_stage=options["to_stage"],
            baseline=options["baseline"],
            test=options["test"],
            adjust=options["adjust"],
            level=options["level"],
            ci=options["ci"],
            attribution=options["attribution"],
            as_of=options["as_of"],
            seed=options["seed"],
            draws=options["draws"],
            show_names=options["show_names"],
            salt=options["salt"],
            timestamp=not options["no_timestamp"],
            title=options["title"],
            command=_command_line(ctx, data if isinstance(data, list) else ()),
            progress=progress,
            **load,
        )
        if bar is not None:
            bar.update(1, "done")
    assert isinstance(path, Path)
    return path


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


@click.group(
    cls=_Main,
    context_settings=_CONTEXT,
    epilog="""\b
Examples:
  netanalysis demo                                  # the report on the bundled sample
  netanalysis validate tracker.xlsx linkedin.zip    # what loads, what is rejected and why
  netanalysis report tracker.xlsx linkedin.zip -o report.html
  netanalysis report log.csv --by mode --as-of 2024-07-01 --no-timestamp
  netanalysis simulate --n-leads 5000 --seekers 40 -o cohort.parquet

Run `netanalysis COMMAND --help` for the options of a command.""",
)
@click.version_option(na.__version__, prog_name="netanalysis")
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Which job-search channels really work: funnels and honest statistics from your logs.

    Load tracker spreadsheets, LinkedIn exports, mailboxes and calendars; count how far
    each lead got per channel; compare the channels with tests that hold on small
    samples; and write everything to one HTML report that works offline.
    """
    ctx.obj = {"debug": debug}


@main.command(
    context_settings=_CONTEXT,
    short_help="Write the HTML report for your logs.",
    epilog="""\b
Examples:
  netanalysis report tracker.xlsx -o report.html
  netanalysis report ~/Downloads/Basic_LinkedInDataExport.zip tracker.xlsx
  netanalysis report log.csv --by mode --to-stage offer --baseline online_passive
  netanalysis report log.csv --channel-map "Vets Slack=industry_group" --tz Europe/Berlin
  netanalysis report log.csv --as-of 2024-07-01 --seed 1 --no-timestamp -o report.html""",
)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the report.",
)
@_report_options
@_load_options
@click.pass_context
def report(ctx: click.Context, inputs: tuple[str, ...], output: str, **options: Any) -> None:  # fmt: skip
    """Write the HTML report for INPUT files or folders.

    The report is one self-contained file (works offline, on a phone, and printed):
    headline findings in plain words, the data (rows kept and rejected and why), the
    funnel, rates with intervals, comparisons, time to response, where to put your next
    hour, how many more leads until a difference is clear, methods and caveats, and a
    reproducibility stamp. Contact names, emails, profile URLs and message text are
    replaced by pseudonyms unless --show-names is given. Prints the path written.
    """
    load = _load_kwargs(*(options.pop(k) for k in ("tz", "channel_map", "stage_map", "kind", "seeker", "dayfirst", "me")))  # fmt: skip
    path = _write_report(ctx, list(inputs), output, options, load)
    click.echo(str(path))


@main.command(
    context_settings=_CONTEXT,
    short_help="Show what loads and what is rejected, and why.",
    epilog="""\b
Examples:
  netanalysis validate tracker.xlsx
  netanalysis validate exports/ --strict           # exit code 1 if any row is rejected
  netanalysis validate log.csv --stage-map "Ghosted=rejected" --rows 0""",
)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--strict", is_flag=True, help="Exit with code 1 if any row was rejected.")
@click.option(
    "--rows",
    "max_rows",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Rejected rows to list (0: all).",
)
@_load_options
def validate(inputs: tuple[str, ...], strict: bool, max_rows: int, **options: Any) -> None:  # fmt: skip
    """Show what loads from INPUT files or folders, and which rows are rejected and why.

    Prints the load summary (rows read, kept and rejected per source, notes on what was
    guessed), the rejected rows by reason, then the first rejected rows themselves.
    Nothing is written.
    """
    res = na.load(list(inputs), **_load_kwargs(**options))
    click.echo(repr(res))
    rejected = res.rejected
    if rejected.empty:
        click.echo("\nNo row was rejected.")
        return
    click.echo("\nRejected rows by reason:")
    reasons = rejected.groupby(["source", "reason"], sort=False, dropna=False).size()
    for (source, reason), count in reasons.sort_values(ascending=False, kind="stable").items():
        click.echo(f"  {count:>6,}  {source}: {reason}")
    shown = rejected if max_rows == 0 else rejected.head(max_rows)
    click.echo(f"\nRejected rows ({len(shown):,} of {len(rejected):,}):")
    columns = ["source", "source_row", "column", "value", "reason"]
    with pd.option_context(
        "display.width", 160, "display.max_colwidth", 60, "display.max_rows", None
    ):
        click.echo(shown[columns].to_string(index=False))
    if strict:
        click.echo(f"netanalysis: {len(rejected):,} row(s) rejected (--strict).", err=True)
        ctx = click.get_current_context()
        ctx.exit(1)


@main.command(
    context_settings=_CONTEXT,
    short_help="Write the report on a bundled sample.",
    epilog=f"""\b
Examples:
  netanalysis demo                       # writes ./{DEMO_OUTPUT}
  netanalysis demo --sample cohort -o cohort.html --by seeker""",
)
@click.option(
    "-o",
    "--output",
    default=DEMO_OUTPUT,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the report.",
)
@click.option(
    "--sample",
    type=click.Choice(["seeker", "cohort"]),
    default="seeker",
    show_default=True,
    help="One seeker's six months, or a programme of 150 seekers.",
)
@_report_options
@click.pass_context
def demo(ctx: click.Context, output: str, sample: str, **options: Any) -> None:  # fmt: skip
    """Write the report on a bundled (synthetic) sample and print its path.

    The sample 'seeker' is one veteran's six-month search: a tracker sheet and a
    networking log, 300 leads across every channel (see data/README.md). What loaded
    and the leads per channel and stage are shown on the way (on stderr).
    """
    source = na.datasets.path(f"sample_{sample}")
    res = na.load(source)
    click.echo(repr(res), err=True)
    click.echo(f"\nLeads per {options['by']} that reached each stage:", err=True)
    with pd.option_context("display.width", 120):
        click.echo(na.funnel(res.events, by=options["by"]).to_string(), err=True)
    path = _write_report(ctx, source, output, options, {})
    click.echo("\nReport written; open it in a browser:", err=True)
    click.echo(str(path))


@main.command(
    context_settings=_CONTEXT,
    short_help="Write a synthetic log (CSV or Parquet).",
    epilog="""\b
Examples:
  netanalysis simulate -o log.csv
  netanalysis simulate --n-leads 1000000 --seekers 500 --seed 7 -o big.parquet
  netanalysis report big.parquet -o big.html""",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write: .csv or .parquet.",
)
@click.option(
    "--n-leads", type=click.IntRange(min=1), default=300, show_default=True, help="Number of leads."
)
@click.option(
    "--seekers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Number of seekers (a cohort when > 1).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed writes the same log.",
)
@click.option("--start", default="2024-01-01", show_default=True, help="First day leads can start.")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=180,
    show_default=True,
    help="Leads start over this many days.",
)
@click.option(
    "--seeker-sd",
    type=float,
    default=0.0,
    show_default=True,
    help="Spread of seekers' skill (log-odds SD).",
)
def simulate(output: str, n_leads: int, seekers: int, seed: int, start: str, days: int, seeker_sd: float) -> None:  # fmt: skip
    """Write a synthetic interaction log with known true rates (CSV or Parquet).

    The log is in the canonical events schema, ready for `netanalysis report`. The true
    rates are netanalysis.simulate.DEFAULT_RATES.
    """
    suffix = Path(output).suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise click.BadParameter(
            f"{output!r} must end in .csv or .parquet.", param_hint="'-o' / '--output'"
        )
    sim = na.simulate(
        n_leads=n_leads, seekers=seekers, seed=seed, start=start, days=days, seeker_sd=seeker_sd
    )
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        sim.events.to_csv(out, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
    else:
        sim.events.to_parquet(out, index=False)
    click.echo(
        f"{len(sim.events):,} events on {n_leads:,} leads of {seekers:,} seeker(s), as of "
        f"{sim.as_of:%Y-%m-%d}.",
        err=True,
    )
    click.echo(str(out))
