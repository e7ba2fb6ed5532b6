"""The self-contained HTML report (``na.report``) and what it is made of.

Modules:
    build       ``report()``: load, analyse, draw, write; parameters and their checks
    analysis    the statistics of the report, each kept going when it cannot be computed
    sections    headline findings and one section per question, from the results' findings
    methods     methods and caveats, and the reproducibility section
    figures     plotly figures embedded as JSON and drawn by one script
    template    the page: styles for phone and print, plotly.js embedded once, no network
    stamp       versions, SHA-256 of inputs, parameters, command; read_stamp()
    privacy     pseudonyms instead of names, file names instead of paths

The reproducibility stamp at the end of a report is also embedded as JSON;
:func:`read_stamp` reads it back from the file (or its HTML), e.g. to check which data
and settings made a report someone sent you.

Examples:
    >>> import netanalysis as na
    >>> html = na.report(na.simulate(n_leads=80, seed=1).events, timestamp=False, draws=1_000)
    >>> "Reproducibility" in html
    True
    >>> stamp = read_stamp(html)
    >>> stamp["parameters"]["seed (Bayesian draws, Monte Carlo p-values)"], stamp["inputs"]
    ('0', [])
"""

from __future__ import annotations

from netanalysis.reporting.build import report
from netanalysis.reporting.stamp import read_stamp

__all__ = ["read_stamp", "report"]
