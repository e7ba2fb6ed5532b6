"""Logistic regression of reaching a stage on channel plus covariates, clustered by seeker.

:func:`model` fits statsmodels' GLM (binomial, logit link) with one observation per lead
and reports odds ratios with intervals per term. Standard errors are clustered by seeker
(``cov_type="cluster"``, t with clusters − 1 degrees of freedom) because one seeker's
leads are not independent; too few clusters, and groups where every lead or none reached
the stage, are warned about with a remedy. :func:`netanalysis.stratified` is the
table-based companion (Mantel–Haenszel); both are exported from
:mod:`netanalysis.stats.cohort`.

Examples:
    >>> import netanalysis as na
    >>> sim = na.simulate(n_leads=600, seekers=8, seeker_sd=0.8, seed=5)
    >>> m = na.model(sim.events, to_stage="interview", cluster=None)
    >>> m.baseline, m.n_leads
    ('job_board', 600)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import narwhals as nw
import numpy as np
import pandas as pd
import statsmodels.api as sm

from netanalysis.errors import ParameterError, SmallSampleWarning, check_choice, check_range
from netanalysis.funnel import MISSING_GROUP
from netanalysis.results import Result
from netanalysis.stats import findings as f
from netanalysis.stats._outcomes import display_order, largest, open_caveat, outcomes, still_open

__all__ = ["MIN_CLUSTERS", "FewClustersWarning", "ModelResult", "SeparationWarning", "model"]


#: Below this many clusters, cluster-robust standard errors are unreliable (Cameron &
#: Miller 2015, "A practitioner's guide to cluster-robust inference", J. Human Resources).
MIN_CLUSTERS = 30


class FewClustersWarning(SmallSampleWarning):
    """Too few clusters (seekers) for cluster-robust standard errors to be trusted."""


class SeparationWarning(SmallSampleWarning):
    """A group where every lead, or none, reached the stage: its odds ratio is 0 or ∞."""


# ---------------------------------------------------------------------------------------
# model: logistic regression with cluster-robust standard errors
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class ModelResult(Result):
    """Odds ratios from a logistic regression of reaching a stage on group and covariates.

    Attributes:
        terms: one row per term: ``term, variable, value, reference, odds_ratio, or_low,
            or_high, p_value, coef, se, note``. For a group or a categorical covariate,
            the odds ratio compares ``value`` with ``reference``; for a numeric
            covariate it is per unit increase.
        by, baseline: the grouping column and its reference group.
        covariates: the lead-level covariates adjusted for.
        cluster: the column standard errors are clustered by, or None.
        cov_type: ``"cluster"`` (cluster-robust, t with clusters − 1 df) or
            ``"nonrobust"`` (model-based: leads treated as independent).
        from_stage, to_stage: the step modelled.
        level: the confidence level.
        n_leads, n_events, n_clusters, n_seekers: leads used, leads that reached the
            stage, clusters, seekers.
        n_open: leads still open (no outcome, recent activity) that may still reach
            ``to_stage``; counted as not reaching it.
        dropped: leads left out, by reason.
        notes: sentences about the fit (few clusters, separation, leads left out).
        fitted: the statsmodels results object, for further work.
    """

    terms: pd.DataFrame
    by: str
    baseline: str
    covariates: tuple[str, ...]
    cluster: str | None
    cov_type: str
    from_stage: str
    to_stage: str
    level: float
    n_leads: int
    n_events: int
    n_clusters: int
    n_seekers: int
    n_open: int
    dropped: dict[str, int]
    notes: tuple[str, ...]
    fitted: Any = field(default=None, compare=False)

    def to_pandas(self) -> pd.DataFrame:
        """The odds-ratio table."""
        return self.terms.copy()

    def _tables(self) -> dict[str, pd.DataFrame]:
        return {"terms": self.terms}

    def finding(self) -> str:
        """The group odds ratios, adjusted for the covariates, in plain words.

        Examples:
            >>> import netanalysis as na
            >>> m = na.model(na.simulate(n_leads=300, seed=2).events, by="mode", cluster=None)
            >>> m.finding().startswith("Compared with passive online applications")
            True
        """
        t = self.terms
        group_terms = t[t["variable"] == self.by]
        held = f", with {', '.join(self.covariates)} held fixed" if self.covariates else ""
        stage = f.stage_phrase(self.to_stage, noun=True)
        head = (
            f"Compared with {f.group_phrase(self.by, self.baseline)} (the baseline){held}, "
            f"the odds of reaching {stage} were"
        )
        shown = group_terms.assign(_p=group_terms["p_value"].fillna(2.0)).sort_values(
            "_p", kind="stable"
        )
        items = []
        for _, row in shown.head(4).iterrows():
            name = f.group_phrase(self.by, row["value"])
            if row["note"]:
                items.append(f"{name} {f.fmt_ratio(row['odds_ratio'])} (not estimable)")
                continue
            ci = f.fmt_ci(row["or_low"], row["or_high"], level=self.level, ratio=True)
            items.append(
                f"{name} {f.fmt_ratio(row['odds_ratio'])} ({ci}, {f.fmt_p(row['p_value'])})"
            )
        more = len(shown) - len(items)
        listing = "; ".join(items) + (f"; {more} more in .terms" if more > 0 else "")
        if self.cov_type == "cluster":
            errors = (
                f"standard errors clustered by {self.cluster} over "
                f"{f.fmt_count(self.n_clusters)} {self.cluster}s"
            )
        else:
            errors = "model-based standard errors"
        parts = [
            f"{head}: {listing} (logistic regression on {f.fmt_count(self.n_leads)} leads, "
            f"{f.fmt_count(self.n_events)} of which reached it; {errors})."
        ]
        parts.append(open_caveat(self.n_open, self.n_leads, self.to_stage))
        parts.extend(self.notes)
        if self.cov_type != "cluster":
            parts.append(f.dependence_caveat(self.n_seekers, self.n_leads))
        parts.append(f.many_comparisons_caveat(len(group_terms), "none", level=self.level))
        parts.append(f.association_caveat(self.by, n_seekers=self.n_seekers))
        return f.sentences(*parts)


def _numeric_columns(events: Any, columns: Sequence[str]) -> set[str]:
    """Which of ``columns`` hold numbers in the events frame (backend-neutral)."""
    try:
        schema = nw.from_native(events).collect_schema()
    except TypeError:
        return set()
    return {c for c in columns if c in schema and schema[c].is_numeric()}


def model(
    events: Any,
    *,
    to_stage: str = "interview",
    from_stage: str | None = None,
    by: str = "channel",
    covariates: Sequence[str] = (),
    cluster: str | None = "seeker",
    baseline: str | None = None,
    level: float = 0.95,
    attribution: Literal["first", "last"] = "first",
) -> ModelResult:
    """Logistic regression of reaching a stage on group plus covariates, clustered by seeker.

    Each lead is one observation: did it reach ``to_stage`` (among leads that reached
    ``from_stage``)? Groups and categorical covariates enter as indicators against a
    reference; numeric covariates (numeric columns of the events) enter as they are.
    A lead's covariate value is that of its first event (or last, with
    ``attribution="last"``); leads missing a covariate are left out and counted.

    Standard errors are clustered by ``cluster`` (statsmodels GLM,
    ``cov_type="cluster"``, t distribution with clusters − 1 degrees of freedom). With
    fewer than :data:`MIN_CLUSTERS` clusters a :class:`FewClustersWarning` says they are
    unreliable. With a single cluster (one seeker) there is nothing to cluster: every
    lead shares the seeker, whose effect the intercept absorbs, and model-based standard
    errors are used. ``cluster=None`` uses model-based standard errors.

    Args:
        events: an events frame (pandas or any narwhals-supported frame).
        to_stage: success is reaching this stage.
        from_stage: leads counted are those that reached this stage (default: the first).
        by: the grouping column (``"channel"``, ``"mode"``, ...).
        covariates: lead-level columns to adjust for (e.g. ``["direction"]`` or an extra
            column such as seniority).
        cluster: column to cluster standard errors by, or None.
        baseline: the reference group (default: the group with the most leads).
        level: confidence level of the intervals.
        attribution: ``"first"`` or ``"last"``.

    Returns:
        A :class:`ModelResult`; ``.terms`` has one odds ratio per term.

    Raises:
        ParameterError: unknown baseline, collinear covariates, an outcome that never
            (or always) happens, bad options.

    Examples:
        >>> import netanalysis as na
        >>> sim = na.simulate(n_leads=500, seed=9)
        >>> m = na.model(sim.events, by="mode", covariates=["direction"], cluster=None)
        >>> m.terms[["variable", "value", "reference"]].iloc[-1].tolist()
        ['direction', 'inbound', 'outbound']
        >>> round(float(m.terms.set_index("value").loc["direct", "odds_ratio"]), 2)
        4.12
    """
    where = "model"
    check_range("level", level, where=where, low=0, high=1)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    for name in [by, *covariates]:
        if not isinstance(name, str):
            raise ParameterError(f"Column names given to {where} must be strings. Got {name!r}.")
    if by in covariates:
        raise ParameterError(f"The 'covariates' of {where} must not repeat by={by!r}.")
    extra = [cluster] if cluster is not None and cluster not in ("seeker", "lead") else []
    leads, start = outcomes(
        events, [by, *covariates, *extra], from_stage, to_stage, attribution, where
    )
    numeric = _numeric_columns(events, covariates)

    # Complete cases only: numeric covariates parsed back from text, missing dropped.
    keep = pd.Series(True, index=leads.index)
    for c in covariates:
        missing = leads[c].isna() | (leads[c].astype(str) == MISSING_GROUP)
        if c in numeric:
            leads[c] = pd.to_numeric(leads[c].where(~missing), errors="coerce")
            missing |= leads[c].isna()
        keep &= ~missing
    dropped = {"missing_covariate": int((~keep).sum())}
    leads = leads[keep].reset_index(drop=True)
    if leads.empty:
        raise ParameterError(f"No lead is left to model: {dropped}. Check the covariates.")
    y = leads["reached"].to_numpy(dtype=float)
    if y.min() == y.max():
        what = "every" if y[0] == 1 else "no"
        raise ParameterError(
            f"In {where}, {what} lead reached {to_stage!r}: there is nothing to model. "
            "Choose another to_stage, or add leads."
        )

    sizes = leads[by].astype(str).value_counts()
    present = display_order(sizes.index.tolist(), by)
    if len(present) < 2:
        raise ParameterError(
            f"In {where}, every lead has the same {by} ({present}): there is nothing to "
            "compare. Choose another by= or add leads."
        )
    if baseline is None:
        baseline = largest(sizes.reindex(present))
    else:
        check_choice("baseline", baseline, present, where=where)
    design, terms = _design(leads, by, baseline, present, covariates, numeric)
    if np.linalg.matrix_rank(design.to_numpy()) < design.shape[1]:
        raise ParameterError(
            f"The covariates {covariates} of {where} are collinear with {by!r} or with each "
            "other (e.g. 'mode' is fixed by 'channel'): drop one of them."
        )

    separated, sep_notes = _separation(leads, terms, f.stage_phrase(to_stage, noun=True))
    groups_for_se = leads[cluster].astype(str) if cluster is not None else None
    n_clusters = int(groups_for_se.nunique()) if groups_for_se is not None else 0
    notes = list(sep_notes)
    fitted, cov_type = _fit(y, design, groups_for_se, n_clusters, cluster, notes)
    table = _terms_table(fitted, terms, separated, level)
    if dropped["missing_covariate"]:
        notes.append(
            f"{f.fmt_count(dropped['missing_covariate'])} "
            f"{'lead was' if dropped['missing_covariate'] == 1 else 'leads were'} left out "
            "because a covariate was missing."
        )
    return ModelResult(
        terms=table,
        by=by,
        baseline=baseline,
        covariates=tuple(covariates),
        cluster=cluster,
        cov_type=cov_type,
        from_stage=start,
        to_stage=to_stage,
        level=level,
        n_leads=len(leads),
        n_events=int(y.sum()),
        n_clusters=n_clusters,
        n_seekers=int(leads["seeker"].nunique()),
        n_open=still_open(events, leads, to_stage),
        dropped=dropped,
        notes=tuple(notes),
        fitted=fitted,
    )


def _design(
    leads: pd.DataFrame,
    by: str,
    baseline: str,
    present: list[str],
    covariates: list[str],
    numeric: set[str],
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Intercept, group indicators, covariates; plus a description of each column."""
    columns: dict[str, np.ndarray] = {"(intercept)": np.ones(len(leads))}
    terms: list[dict[str, Any]] = []
    values = leads[by].astype(str)
    for level_ in present:
        if level_ == baseline:
            continue
        name = f"{by}: {level_}"
        columns[name] = (values == level_).to_numpy(dtype=float)
        terms.append({"term": name, "variable": by, "value": level_, "reference": baseline})
    for c in covariates:
        if c in numeric:
            columns[c] = leads[c].to_numpy(dtype=float)
            terms.append({"term": c, "variable": c, "value": "per unit", "reference": ""})
            continue
        cvalues = leads[c].astype(str)
        counts = cvalues.value_counts()
        levels = sorted(counts.index.tolist())
        reference = largest(counts.reindex(levels))
        for level_ in levels:
            if level_ == reference:
                continue
            name = f"{c}: {level_}"
            columns[name] = (cvalues == level_).to_numpy(dtype=float)
            terms.append({"term": name, "variable": c, "value": level_, "reference": reference})
    return pd.DataFrame(columns), terms


def _separation(
    leads: pd.DataFrame, terms: list[dict[str, Any]], stage_noun: str
) -> tuple[set[str], list[str]]:
    """Indicator terms whose level has all or none of its leads reaching the stage."""
    separated: set[str] = set()
    notes: list[str] = []
    for term in terms:
        if term["reference"] == "":
            continue
        mask = leads[term["variable"]].astype(str) == term["value"]
        k, n = int(leads.loc[mask, "reached"].sum()), int(mask.sum())
        if k in (0, n):
            separated.add(term["term"])
            how = "none" if k == 0 else "all"
            message = (
                f"{term['variable']} {term['value']!r}: {how} of its {n} leads reached "
                f"{stage_noun}, so its odds ratio is {'0' if k == 0 else '∞'} and has no "
                "usable interval. Remedy: merge small groups (channel_map=) or use "
                "na.compare, whose exact tests handle zero counts."
            )
            warnings.warn(message, SeparationWarning, stacklevel=4)
            notes.append(message.split(" Remedy:")[0])
    return separated, notes


def _fit(
    y: np.ndarray,
    design: pd.DataFrame,
    groups: pd.Series | None,
    n_clusters: int,
    cluster: str | None,
    notes: list[str],
) -> tuple[Any, str]:
    glm = sm.GLM(y, design, family=sm.families.Binomial())
    with warnings.catch_warnings():
        # Separation and non-convergence are reported by _separation, in our words.
        warnings.simplefilter("ignore")
        if cluster is None or n_clusters < 2:
            fitted = glm.fit()
            cov_type = "nonrobust"
        else:
            codes = pd.factorize(groups)[0]
            fitted = glm.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
            cov_type = "cluster"
    if cluster is not None and n_clusters == 1:
        notes.append(
            f"All leads share one {cluster}, so standard errors are not clustered "
            f"(the {cluster}'s own effect is the same for every lead)."
        )
    elif cov_type == "cluster" and n_clusters < MIN_CLUSTERS:
        message = (
            f"Only {n_clusters} {cluster}s: cluster-robust standard errors need many "
            f"clusters (at least {MIN_CLUSTERS} as a rule of thumb) and are too narrow "
            f"with few, even with the t distribution on {n_clusters - 1} degrees of freedom "
            "used here."
        )
        warnings.warn(
            message + f" Remedy: compare within {cluster}s with "
            f"na.stratified(strata={cluster!r}), or gather more {cluster}s.",
            FewClustersWarning,
            stacklevel=4,
        )
        notes.append(message)
    return fitted, cov_type


def _terms_table(
    fitted: Any, terms: list[dict[str, Any]], separated: set[str], level: float
) -> pd.DataFrame:
    alpha = 1 - level
    conf = np.asarray(fitted.conf_int(alpha=alpha))
    names = list(fitted.model.exog_names)
    rows = []
    for term in terms:
        i = names.index(term["term"])
        coef, se = float(fitted.params.iloc[i]), float(fitted.bse.iloc[i])
        with np.errstate(over="ignore"):
            odds, low, high = np.exp([coef, conf[i, 0], conf[i, 1]])
        row = {
            **term,
            "odds_ratio": float(odds),
            "or_low": float(low),
            "or_high": float(high),
            "p_value": float(fitted.pvalues.iloc[i]),
            "coef": coef,
            "se": se,
            "note": "",
        }
        if term["term"] in separated:
            infinite = coef > 0
            row.update(
                odds_ratio=math.inf if infinite else 0.0,
                or_low=np.nan,
                or_high=np.nan,
                p_value=np.nan,
                note="all leads reached the stage" if infinite else "no lead reached the stage",
            )
        rows.append(row)
    columns = ["term", "variable", "value", "reference", "odds_ratio", "or_low", "or_high"]
    columns += ["p_value", "coef", "se", "note"]
    return pd.DataFrame(rows, columns=columns)
