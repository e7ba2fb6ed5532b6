"""Statistics on funnels: rates, comparisons, Bayesian ranking, timing, cohorts, power.

Modules: rates (conversion), compare, bayes, timing (time_to), cohort (stratified, model),
power (power, sample_size), findings (plain-word sentences and caveats).

:class:`UnitsWarning` (a :class:`~netanalysis.errors.DataQualityWarning`) is emitted by
conversion, compare, bayes, sample_size and power when a counts table's
``attrs["unit"]`` says its numbers are not counts of leads (e.g. a published table per
100 applicants): its rates hold, its intervals and p-values do not. To compute them on
purpose, silence it with ``warnings.catch_warnings()`` and
``warnings.simplefilter("ignore", na.stats.UnitsWarning)``.
"""

from __future__ import annotations

from netanalysis.stats._data import UnitsWarning

__all__ = ["UnitsWarning"]
