"""netanalysis: which job-search channels really work, with honest uncertainty.

Load exported interaction logs, turn them into funnels per channel
(contacted -> responded -> interview -> offer), and test the differences with methods
that stay valid on small samples.

Modules:
    schema      canonical columns, channel taxonomy, stages and their aliases
    errors      NetAnalysisError hierarchy and warnings with remedies
    io          ``load`` (files, folders, frames, exports) and ``scan`` (big files, DuckDB)
    funnel      events -> per-lead furthest stage -> counts per group
    stats       rates, compare, bayes, timing, cohort, power
    plots       plotly figures (returned, never shown)
    reporting   the self-contained HTML report
    simulate    seeded synthetic logs with known true rates
    datasets    bundled samples and published tables
    cli         the ``netanalysis`` command

Examples:
    >>> import netanalysis as na
    >>> res = na.load(na.datasets.path("sample_seeker"))
    >>> counts = na.funnel(res.events, by="channel")
    >>> rates = na.conversion(counts, from_stage="contacted", to_stage="interview")
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from netanalysis import datasets, errors, plots, schema, stats
from netanalysis.errors import NetAnalysisError, NetAnalysisWarning
from netanalysis.funnel import funnel
from netanalysis.io import LoadResult, load
from netanalysis.io.link import LinkResult, link
from netanalysis.io.scan import scan
from netanalysis.reporting import report
from netanalysis.simulate import simulate
from netanalysis.stats.bayes import bayes
from netanalysis.stats.cohort import model, stratified
from netanalysis.stats.compare import compare
from netanalysis.stats.power import power, sample_size
from netanalysis.stats.rates import conversion
from netanalysis.stats.timing import time_to

try:
    __version__ = version("netanalysis")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "LinkResult",
    "LoadResult",
    "NetAnalysisError",
    "NetAnalysisWarning",
    "__version__",
    "bayes",
    "compare",
    "conversion",
    "datasets",
    "errors",
    "funnel",
    "link",
    "load",
    "model",
    "plots",
    "power",
    "report",
    "sample_size",
    "scan",
    "schema",
    "simulate",
    "stats",
    "stratified",
    "time_to",
]
