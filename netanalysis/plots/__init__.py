"""Plotly figures of funnels, rates, comparisons, time to response, flows and activity.

Every function returns a :class:`plotly.graph_objects.Figure` and never shows it. All
figures share one look (:func:`template`) and one colour per group (:func:`palette`),
draw aggregates only (no point per lead: a figure's size depends on the number of groups,
stages and periods, not of leads), and are deterministic: the same input gives the same
``fig.to_json()``, byte for byte.

Modules:
    _style    palette, template, labels and number formats
    _flows    funnel, sankey (from the counts table)
    _rates    forest (conversion rates), comparison_matrix (pairwise tests)
    _bayes    posterior (densities and P(best))
    _timing   survival (Kaplan–Meier), activity (leads per week)
    _strata   strata (rates within strata next to the pooled rate, from na.stratified)

Examples:
    >>> import netanalysis as na
    >>> sim = na.simulate(n_leads=300, seed=1)
    >>> counts = na.funnel(sim.events)
    >>> figs = [
    ...     na.plots.funnel(counts),
    ...     na.plots.forest(na.conversion(counts)),
    ...     na.plots.comparison_matrix(na.compare(counts)),
    ...     na.plots.posterior(na.bayes(counts, draws=2_000)),
    ...     na.plots.survival(na.time_to(sim.events, as_of=sim.as_of)),
    ...     na.plots.sankey(counts),
    ...     na.plots.activity(sim.events),
    ... ]
    >>> {type(f).__name__ for f in figs}
    {'Figure'}
"""

from __future__ import annotations

from netanalysis.plots._bayes import posterior
from netanalysis.plots._flows import funnel, sankey
from netanalysis.plots._rates import comparison_matrix, forest
from netanalysis.plots._strata import strata
from netanalysis.plots._style import group_label, palette, template
from netanalysis.plots._timing import activity, survival

__all__ = [
    "activity",
    "comparison_matrix",
    "forest",
    "funnel",
    "group_label",
    "palette",
    "posterior",
    "sankey",
    "strata",
    "survival",
    "template",
]
