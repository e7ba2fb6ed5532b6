"""``na.report``: one self-contained, reproducible HTML report from logs or events.

Examples:
    >>> import netanalysis as na
    >>> html = na.report(na.simulate(n_leads=120, seed=3).events, timestamp=False, draws=2_000)
    >>> html.startswith("<!DOCTYPE html>"), html.count("<script>") == 2
    (True, True)
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import narwhals as nw
import pandas as pd

from netanalysis import plots
from netanalysis.errors import ParameterError, check_choice, check_range
from netanalysis.funnel import resolve_stages
from netanalysis.io.load import load as load_sources
from netanalysis.io.result import LoadResult
from netanalysis.reporting.analysis import Analysis, Outcome, Settings, analyse
from netanalysis.reporting.figures import RENDER_SCRIPT, make_figure
from netanalysis.reporting.methods import methods_section, stamp_section
from netanalysis.reporting.privacy import Redactor, display_name, home_to_tilde
from netanalysis.reporting.sections import (
    DataInfo,
    Figures,
    comparisons_section,
    count_leads,
    data_section,
    funnel_section,
    headline,
    next_hour_section,
    power_section,
    rates_section,
    timing_section,
)
from netanalysis.reporting.stamp import (
    Stamp,
    dependency_versions,
    frame_sha256,
    input_files,
    show_value,
)
from netanalysis.reporting.template import esc, page
from netanalysis.stats import findings as fw

__all__ = ["report"]

Test = Literal["auto", "fisher", "chi2", "boschloo", "z"]
Adjust = Literal["holm", "bh", "bonferroni", "none"]
CI = Literal["wilson", "jeffreys", "exact", "agresti_coull"]

_WHERE = "report"


def report(
    data: Any,
    path: str | os.PathLike[str] | None = None,
    *,
    by: str = "channel",
    stages: Sequence[str] | None = None,
    to_stage: str = "interview",
    baseline: str | None = None,
    test: Test = "auto",
    adjust: Adjust = "holm",
    level: float = 0.95,
    ci: CI = "wilson",
    attribution: Literal["first", "last"] = "first",
    as_of: str | dt.datetime | pd.Timestamp | None = None,
    seed: int = 0,
    draws: int = 100_000,
    prior: tuple[float, float] = (1, 1),
    power: float = 0.8,
    show_names: bool = False,
    salt: str | None = None,
    timestamp: bool = True,
    title: str | None = None,
    command: str | None = None,
    progress: Callable[[str], None] | None = None,
    **load_options: Any,
) -> Path | str:
    """Write the HTML report: findings in plain words, charts, methods and a reproducibility stamp.

    The file is self-contained (plotly.js embedded once; no request leaves the page, so it
    works offline), readable on a phone and printable. Same inputs and parameters give
    the same bytes; only the generation time differs, and ``timestamp=False`` removes it.
    Sections whose statistic cannot be computed (one channel, no interviews, no dates)
    say why instead of failing; warnings raised while computing are shown in the report.
    The reproducibility stamp (versions, SHA-256 of the inputs, parameters, command) ends
    the report and is embedded as JSON too: :func:`netanalysis.reporting.read_stamp`
    reads it back from the file.

    Args:
        data: a :class:`~netanalysis.io.LoadResult`, an events frame (pandas or any
            narwhals-supported eager frame), or file/folder paths (one or a list), loaded
            with :func:`netanalysis.load` and ``**load_options``.
        path: where to write the report; None returns the HTML as a string.
        by: column to group leads by (``"channel"``, ``"mode"``, ``"seeker"``, ...).
        stages: the funnel (default ``contacted, responded, interview, offer``).
        to_stage: the stage the comparisons, the Bayesian ranking and the planning use.
        baseline: compare each group with this one (default: every pair; with more than
            12 groups, the largest group).
        test: pairwise test (``"auto"``, ``"fisher"``, ``"chi2"``, ``"boschloo"``, ``"z"``).
        adjust: multiple-comparison adjustment (``"holm"``, ``"bh"``, ``"bonferroni"``,
            ``"none"``).
        level: confidence level of intervals (and 1 - level is the test level).
        ci: interval for rates (``"wilson"``, ``"jeffreys"``, ``"exact"``,
            ``"agresti_coull"``).
        attribution: ``"first"`` or ``"last"``: which event's group a lead belongs to.
        as_of: when the log was exported: later events are left out and leads still open
            then are censored. Default: the latest event.
        seed: seed of every random step (Bayesian draws, Monte Carlo p-values).
        draws: posterior draws for P(best) and expected loss.
        prior: Beta prior ``(a, b)`` of the Bayesian section.
        power: power of the planning section ("how many more leads").
        show_names: show contact names, emails and profile URLs as they are in the data
            (default: pseudonyms; see :mod:`netanalysis.reporting.privacy`).
        salt: secret for the pseudonyms (keep it to get the same pseudonyms next time);
            default: derived from the data. Never written to the report.
        timestamp: write the generation time (False: byte-identical reruns).
        title: the report's title.
        command: the command line that made the report (the CLI passes it; shown in the
            stamp with the home folder written ``~``).
        progress: called with the name of each step as it starts (the CLI's progress bar).
        **load_options: options of :func:`netanalysis.load` (``tz``, ``channel_map``, ...)
            when ``data`` are paths.

    Returns:
        The path written (a :class:`~pathlib.Path`), or the HTML when ``path`` is None.

    Raises:
        ParameterError: an option has a value the report cannot use.
        InputError: the files cannot be loaded (see :func:`netanalysis.load`).

    Examples:
        >>> import netanalysis as na, tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.html"
        >>> na.report(na.datasets.path("sample_seeker"), out, draws=2_000).name
        'report.html'
        >>> import shutil; shutil.rmtree(out.parent)
    """
    step = progress or (lambda name: None)
    check_choice("test", test, ("auto", "fisher", "chi2", "boschloo", "z"), where=_WHERE)
    check_choice("adjust", adjust, ("holm", "bh", "bonferroni", "none"), where=_WHERE)
    check_choice("ci", ci, ("wilson", "jeffreys", "exact", "agresti_coull"), where=_WHERE)
    check_choice("attribution", attribution, ("first", "last"), where=_WHERE)
    check_range("level", level, where=_WHERE, low=0, high=1)
    check_range("power", power, where=_WHERE, low=0, high=1)
    if not isinstance(by, str) or not by:
        raise ParameterError(f"The 'by' parameter of report must be one column name. Got {by!r}.")
    funnel_stages = tuple(resolve_stages(stages, where=_WHERE))
    check_choice("to_stage", to_stage, funnel_stages[1:], where=_WHERE)
    as_of_ts = _timestamp(as_of)

    step("load")
    load, events, roots, load_warnings = _resolve(data, load_options)
    if by not in events.columns:
        raise ParameterError(
            f"The 'by' parameter of report must name a column of the events. Got {by!r}; "
            f"columns are {sorted(map(str, events.columns))}."
        )
    dropped = 0
    if as_of_ts is not None and "timestamp" in events.columns and len(events):
        later = (events["timestamp"] > as_of_ts).fillna(False).to_numpy(dtype=bool)
        dropped = int(later.sum())
        if dropped:
            events = events[~later].reset_index(drop=True)

    sources = {}
    for root in roots:  # the inputs themselves, as typed and absolute
        for spelling in (str(root), os.path.abspath(root)):
            sources[spelling] = root.name or str(root)
    if load is not None:
        sources.update({str(s): display_name(str(s), roots) for s in load.summary["source"]})
    redactor = Redactor.build(
        events,
        load.rejected if load is not None else None,
        _all_notes(load),
        show_names=show_names,
        salt=salt,
        by=by,
        sources=sources,
        personal=_personal_options(load_options),
    )
    analysed = redactor.frame(events, by)
    resolved_as_of = as_of_ts
    if resolved_as_of is None and "timestamp" in analysed and analysed["timestamp"].notna().any():
        resolved_as_of = pd.Timestamp(analysed["timestamp"].max())
    time_stage = (
        "responded"
        if "responded" in funnel_stages[1:]
        else (funnel_stages[1] if len(funnel_stages) > 1 else None)
    )
    settings = Settings(
        by=by,
        stages=funnel_stages,
        to_stage=to_stage,
        time_stage=time_stage,
        baseline=baseline,
        test=test,
        adjust=adjust,
        level=level,
        ci=ci,
        attribution=attribution,
        as_of=resolved_as_of,
        seed=seed,
        draws=draws,
        prior=(float(prior[0]), float(prior[1])),
        power=power,
    )
    step("statistics")
    analysis = analyse(analysed, settings)
    step("charts")
    figs = _figures(analysis, analysed)
    step("write")
    n_leads, n_seekers = count_leads(analysed)
    info = DataInfo(
        load=load,
        events=analysed,
        n_leads=n_leads,
        n_seekers=n_seekers,
        load_finding=load.finding() if load is not None else "",
        redactor=redactor,
        warnings=load_warnings,
        dropped_after_as_of=dropped,
        as_of=resolved_as_of,
        as_of_given=as_of_ts is not None,
    )
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat() if timestamp else None
    stamp = Stamp(
        versions=dependency_versions(),
        inputs=input_files(roots),
        events_sha256=frame_sha256(analysed),
        parameters=_parameters(
            settings, analysis, as_of_ts, show_names, salt, load_options, title, redactor.text
        ),
        command=redactor.text(home_to_tilde(command)) if command else None,
        generated=generated,
    )
    html = _render(analysis, info, figs, stamp, title)
    if path is None:
        return html
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(html.encode("utf-8"))
    return out


def _timestamp(value: Any) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError(
            f"The 'as_of' parameter of report must be a date or time, e.g. '2024-07-01'. "
            f"Got {value!r} instead ({exc})."
        ) from None
    if ts is pd.NaT:
        raise ParameterError("The 'as_of' parameter of report must be a date or time. Got NaT.")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, os.PathLike))


def _resolve(
    data: Any, load_options: Mapping[str, Any]
) -> tuple[LoadResult | None, pd.DataFrame, list[Path], list[str]]:
    """(load result, events, input paths, warnings while loading) for any kind of ``data``."""
    if isinstance(data, LoadResult):
        _no_options(load_options, "a LoadResult")
        return data, data.events, [], []
    if isinstance(data, pd.DataFrame):
        _no_options(load_options, "an events frame")
        return None, data, [], []
    if _is_path(data) or (
        isinstance(data, Sequence)
        and not isinstance(data, (str, bytes))
        and data
        and all(_is_path(d) for d in data)
    ):
        paths = [Path(data)] if _is_path(data) else [Path(d) for d in data]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load = load_sources([str(p) for p in paths], **load_options)
        messages = list(dict.fromkeys(str(w.message) for w in caught))
        return load, load.events, paths, messages
    try:
        frame = nw.from_native(data, eager_only=True).to_pandas()
    except TypeError:
        raise ParameterError(
            "The 'data' parameter of report must be a LoadResult, an events frame, or file "
            f"and folder paths. Got {type(data).__name__}."
        ) from None
    _no_options(load_options, "an events frame")
    return None, frame, [], []


def _no_options(options: Mapping[str, Any], what: str) -> None:
    if options:
        raise ParameterError(
            f"report() got load options {sorted(options)} with {what}: they apply only when "
            "data are file paths. Pass them to na.load instead."
        )


def _all_notes(load: LoadResult | None) -> list[str]:
    if load is None:
        return []
    notes = [str(n) for n in load.summary["notes"].fillna("")]
    return notes + list(load.notes)


#: Charts draw at most this many groups; beyond, the tables carry the numbers.
MAX_CHART_GROUPS = 24


def _figures(a: Analysis, events: pd.DataFrame) -> Figures:
    s = a.settings
    figs = Figures()
    groups = len(a.counts.value) if a.counts.ok and a.counts.value is not None else 0
    if groups > MAX_CHART_GROUPS:
        reason = (
            f"{groups:,} {fw.by_plural(s.by)} are too many to draw legibly (at most "
            f"{MAX_CHART_GROUPS}); the tables hold every number"
        )
        for name in ("funnel", "sankey", "activity", "forest", "matrix", "survival", "posterior"):
            setattr(figs, name, Outcome(error=reason))
        return figs
    if a.counts.ok:
        figs.funnel = make_figure(
            lambda: plots.funnel(a.counts.value, by=s.by, stages=list(s.stages))
        )
        figs.sankey = make_figure(
            lambda: plots.sankey(a.counts.value, by=s.by, stages=list(s.stages))
        )
        figs.activity = make_figure(lambda: plots.activity(events, by=s.by, freq="W"))
    if a.main_rate.ok:
        figs.forest = make_figure(lambda: plots.forest(a.main_rate.value))
    if a.comparison.ok and a.comparison.value is not None and not a.comparison.value.pairs.empty:
        figs.matrix = make_figure(lambda: plots.comparison_matrix(a.comparison.value))
    if a.timing.ok and a.timing.value is not None and not a.timing.value.summary.empty:
        figs.survival = make_figure(lambda: plots.survival(a.timing.value))
    if a.bayes.ok:
        figs.posterior = make_figure(lambda: plots.posterior(a.bayes.value))
    return figs


def _parameters(
    s: Settings,
    a: Analysis,
    as_of: pd.Timestamp | None,
    show_names: bool,
    salt: str | None,
    load_options: Mapping[str, Any],
    title: str | None,
    clean: Callable[[str], str],
) -> tuple[tuple[str, str], ...]:
    """The parameters as the stamp shows them; load options pass through ``clean`` (the
    redactor), since ``me=`` names you and other options may hold addresses."""
    rows: list[tuple[str, Any]] = [
        ("by", s.by),
        ("stages", s.stages),
        ("to_stage", s.to_stage),
        ("time to (stage)", s.time_stage),
        ("baseline", s.baseline),
        ("baseline used", a.baseline if a.baseline != s.baseline else "as given"),
        ("test", s.test),
        ("adjust", s.adjust),
        ("level", s.level),
        ("ci", s.ci),
        ("attribution", s.attribution),
        ("as_of", as_of if as_of is not None else "None (latest event)"),
        ("as_of used", s.as_of),
        ("seed (Bayesian draws, Monte Carlo p-values)", s.seed),
        ("draws", s.draws),
        ("prior", s.prior),
        ("power", s.power),
        ("show_names", show_names),
        ("salt", "given (not shown)" if salt is not None else "derived from the data"),
        ("title", title),
    ]
    shown = [(name, show_value(value)) for name, value in rows]
    for name in sorted(load_options):
        shown.append((f"load: {name}", clean(show_value(load_options[name]))))
    return tuple(shown)


def _personal_options(load_options: Mapping[str, Any]) -> list[str]:
    """The values of load options that name people: ``me=`` (a string or a list)."""
    me = load_options.get("me")
    if me is None:
        return []
    return [str(v) for v in ([me] if isinstance(me, str) else list(me))]


def _render(a: Analysis, info: DataInfo, figs: Figures, stamp: Stamp, title: str | None) -> str:
    s = a.settings
    ev = info.events
    leads, seekers = info.n_leads, info.n_seekers
    if title is None:
        title = "Job-search report" if seekers <= 1 else f"Job-search report: {seekers:,} seekers"
    subtitle = [f"{fw.fmt_count(leads)} leads", f"by {s.by}"]
    if "timestamp" in ev and ev["timestamp"].notna().any():
        subtitle.insert(1, f"{ev['timestamp'].min():%d %b %Y} to {ev['timestamp'].max():%d %b %Y}")
    if stamp.generated:
        subtitle.append(f"generated {stamp.generated}")
    sections = [
        data_section(a, info),
        funnel_section(a, info, figs),
        rates_section(a, info, figs),
        comparisons_section(a, info, figs),
        timing_section(a, info, figs),
        next_hour_section(a, info, figs),
        power_section(a, info),
        methods_section(a, info),
        stamp_section(stamp),
    ]
    version = dict(stamp.versions).get("netanalysis", "")
    footer = (
        f"Made with netanalysis {esc(version)}. Every number is an estimate with its "
        'uncertainty: read <a href="#methods">Methods and caveats</a> before acting on it.'
    )
    return page(
        title=title,
        subtitle=" · ".join(subtitle),
        headline=headline(a, info),
        sections=sections,
        footer=footer,
        generator=f"netanalysis {version}",
        render_script=RENDER_SCRIPT,
    )
