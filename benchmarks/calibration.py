"""Calibration of netanalysis' statistics by simulation (issue 4).

Do the methods do what they claim on the sample sizes job seekers have?

1. **Interval coverage** of ``na.conversion`` for every ``ci`` method over the grid
   n in {10, 30, 100} x p in {0.05, 0.2, 0.5}: simulated through ``na.conversion`` on counts
   tables, and exact (binomial enumeration of every possible k). Goal: the grid average
   within ±1.5 points of nominal.
2. **Type-I error of ``na.compare(test="auto")`` pairs** under the null (four groups of n
   leads with one common rate p, every pair a true null): share of pairs with p <= alpha,
   per grid cell; plus the exact size of the auto rule for two groups by enumerating every
   table. Goal: at most alpha + Monte Carlo error.
3. **Family-wise error** under the complete null (the same four-group replicates):
   unadjusted, Holm, Benjamini–Hochberg. Goal (Holm): at most alpha + Monte Carlo error.
   Under the complete null Holm rejects at least one hypothesis exactly when the smallest
   p-value is <= alpha / m (its first step), so Holm's family-wise error is counted that way
   on the raw p-values of ``compare(adjust="none")``; a subsample is re-run through
   ``compare(adjust="holm")`` to confirm the identity on netanalysis' own output (statsmodels'
   Holm path calls ``gc.collect()`` on every call, which makes a large direct run slow).
   The omnibus test's type-I error is reported too.

Run::

    .venv/bin/python benchmarks/calibration.py              # the table in benchmarks/README.md
    .venv/bin/python benchmarks/calibration.py --reps 200   # quicker

``tests/stats/test_calibration.py`` runs the same functions with small sizes in CI.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from netanalysis.stats.compare import _pair_test, compare
from netanalysis.stats.rates import CI_METHODS, conversion, proportion_interval

NS: tuple[int, ...] = (10, 30, 100)
PS: tuple[float, ...] = (0.05, 0.2, 0.5)
GROUPS = 4


# ---------------------------------------------------------------------------------------
# 1. Coverage
# ---------------------------------------------------------------------------------------


def coverage_exact(
    methods: Sequence[str] = tuple(CI_METHODS),
    ns: Sequence[int] = NS,
    ps: Sequence[float] = PS,
    level: float = 0.95,
) -> pd.DataFrame:
    """Exact coverage: sum of Binomial(n, p) probabilities of the k whose interval holds p."""
    rows = []
    for method in methods:
        for n in ns:
            k = np.arange(n + 1)
            lo, hi = proportion_interval(k, np.full(n + 1, n), ci=method, level=level)  # type: ignore[arg-type]
            for p in ps:
                covered = (lo <= p) & (p <= hi)
                rows.append(
                    {
                        "method": method,
                        "n": n,
                        "p": p,
                        "coverage": stats.binom.pmf(k, n, p)[covered].sum(),
                    }
                )
    return pd.DataFrame(rows)


def coverage_simulated(
    reps: int,
    *,
    methods: Sequence[str] = tuple(CI_METHODS),
    ns: Sequence[int] = NS,
    ps: Sequence[float] = PS,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Coverage through ``na.conversion``: one counts table with ``reps`` groups per cell."""
    rng = np.random.default_rng(seed)
    cells = [(n, p) for n in ns for p in ps]
    n_col = np.repeat([n for n, _ in cells], reps)
    p_col = np.repeat([p for _, p in cells], reps)
    k_col = rng.binomial(n_col, p_col)
    counts = pd.DataFrame(
        {"contacted": n_col, "interview": k_col},
        index=pd.Index([f"g{i}" for i in range(n_col.size)], name="channel"),
    )
    rows = []
    for method in methods:
        t = conversion(counts, ci=method, level=level).to_pandas()  # type: ignore[arg-type]
        hit = (t["ci_low"].to_numpy() <= p_col) & (p_col <= t["ci_high"].to_numpy())
        frame = pd.DataFrame({"n": n_col, "p": p_col, "hit": hit})
        for (n, p), g in frame.groupby(["n", "p"], sort=False):
            rows.append(
                {"method": method, "n": n, "p": p, "coverage": g["hit"].mean(), "reps": len(g)}
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# 2 and 3. Type-I error of pairs, family-wise error, omnibus
# ---------------------------------------------------------------------------------------


def null_runs(
    reps: int,
    *,
    ns: Sequence[int] = NS,
    ps: Sequence[float] = PS,
    groups: int = GROUPS,
    alpha: float = 0.05,
    seed: int = 0,
    holm_checks: int = 0,
) -> pd.DataFrame:
    """Replicates of ``groups`` groups of n leads with one common rate p, through ``compare``.

    One row per (n, p): ``pairs`` tested, ``type1`` (share of tested pairs with p <= alpha),
    ``fisher_share`` (share of those that the auto rule sent to Fisher's test),
    ``fwer_none``, ``fwer_holm``, ``fwer_bh`` (share of replicates with any rejection) and
    ``omnibus`` (share of replicates whose omnibus p <= alpha). ``holm_checks`` replicates per
    cell are also run with ``adjust="holm"``; a mismatch with the identity raises.
    """
    rng = np.random.default_rng(seed)
    labels = pd.Index([f"g{i}" for i in range(groups)], name="channel")
    rows = []
    for n in ns:
        for p in ps:
            rejected = tested = fisher = 0
            any_none = any_holm = any_bh = omni = omni_tested = 0
            for r in range(reps):
                k = rng.binomial(n, p, size=groups)
                counts = pd.DataFrame(
                    {"contacted": np.full(groups, n), "interview": k}, index=labels
                )
                res = compare(counts, test="auto", adjust="none", draws=199, seed=r)
                pv = res.pairs["p_value"].to_numpy(dtype=float)
                ok = ~np.isnan(pv)
                pv = pv[ok]
                m = pv.size
                tested += m
                rejected += int((pv <= alpha).sum())
                fisher += int((res.pairs["test"][ok] == "fisher").sum())
                any_none += bool((pv <= alpha).any())
                holm_any = bool(m and pv.min() <= alpha / m)
                any_holm += holm_any
                any_bh += bool(m and multipletests(pv, alpha=alpha, method="fdr_bh")[0].any())
                if np.isfinite(res.omnibus.p_value):
                    omni_tested += 1
                    omni += bool(res.omnibus.p_value <= alpha)
                if r < holm_checks:
                    direct = compare(counts, test="auto", adjust="holm", draws=199, seed=r)
                    if bool((direct.pairs["p_adjusted"] <= alpha).any()) != holm_any:
                        raise AssertionError(f"Holm identity failed for n={n}, p={p}, k={k}")
            rows.append(
                {
                    "n": n,
                    "p": p,
                    "reps": reps,
                    "pairs": tested,
                    "type1": rejected / tested if tested else np.nan,
                    "fisher_share": fisher / tested if tested else np.nan,
                    "fwer_none": any_none / reps,
                    "fwer_holm": any_holm / reps,
                    "fwer_bh": any_bh / reps,
                    "omnibus": omni / omni_tested if omni_tested else np.nan,
                }
            )
    return pd.DataFrame(rows)


def auto_size_exact(
    ns: Sequence[int] = NS, ps: Sequence[float] = PS, alpha: float = 0.05
) -> pd.DataFrame:
    """Exact type-I error of the auto rule for two groups of n leads: every table enumerated,
    each weighted by its Binomial x Binomial probability under the common rate p. Uses the
    same per-pair function as ``compare`` (the p-value of a table does not depend on p)."""
    rows = []
    for n in ns:
        ks = np.arange(n + 1)
        reject = np.zeros((n + 1, n + 1), dtype=bool)
        for a in ks:
            for b in ks:
                reject[a, b] = _pair_test(int(a), n, int(b), n, "auto")[1] <= alpha
        for p in ps:
            w = stats.binom.pmf(ks, n, p)
            rows.append({"n": n, "p": p, "size": float((np.outer(w, w) * reject).sum())})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{100 * x:.1f}"


def coverage_table(exact: pd.DataFrame, simulated: pd.DataFrame, level: float = 0.95) -> str:
    lines = [
        f"Coverage of {level:.0%} intervals, % (simulated through na.conversion / exact)",
        "",
        "| method | "
        + " | ".join(f"n={n}, p={p}" for n in NS for p in PS)
        + " | grid average | goal ±1.5 |",
        "|---|" + "---|" * (len(NS) * len(PS)) + "---|---|",
    ]
    for method in CI_METHODS:
        e = exact[exact["method"] == method].set_index(["n", "p"])["coverage"]
        s = simulated[simulated["method"] == method].set_index(["n", "p"])["coverage"]
        cells = [f"{_pct(s[(n, p)])} / {_pct(e[(n, p)])}" for n in NS for p in PS]
        avg_s, avg_e = s.mean(), e.mean()
        ok = abs(avg_e - level) <= 0.015
        verdict = "yes" if ok else ("conservative" if avg_e > level else "NO")
        lines.append(
            f"| {method} | " + " | ".join(cells) + f" | {_pct(avg_s)} / {_pct(avg_e)} | {verdict} |"
        )
    return "\n".join(lines)


def null_table(runs: pd.DataFrame, exact: pd.DataFrame, alpha: float = 0.05) -> str:
    lines = [
        f"Under the null, {GROUPS} groups of n leads with a common rate p (alpha = {alpha}), %",
        "",
        "| n | p | replicates | pairs: type-I (auto) | exact size, 2 groups | Fisher share | FWER none | FWER Holm | FWER BH | omnibus |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    ex = exact.set_index(["n", "p"])["size"]
    for _, r in runs.iterrows():
        lines.append(
            f"| {r['n']:.0f} | {r['p']:g} | {r['reps']:.0f} | {_pct(r['type1'])} | {_pct(ex[(r['n'], r['p'])])} | "
            f"{_pct(r['fisher_share'])} | {_pct(r['fwer_none'])} | {_pct(r['fwer_holm'])} | "
            f"{_pct(r['fwer_bh'])} | {_pct(r['omnibus'])} |"
        )
    pair_se = np.sqrt(alpha * (1 - alpha) / runs["pairs"].sum())
    rep_se = np.sqrt(alpha * (1 - alpha) / runs["reps"].sum())
    lines += [
        "",
        f"Grid average: pairs type-I {_pct(runs['type1'].mean())} (exact size, 2 groups: "
        f"{_pct(exact['size'].mean())}; worst cell {_pct(exact['size'].max())}); "
        f"FWER Holm {_pct(runs['fwer_holm'].mean())}, BH {_pct(runs['fwer_bh'].mean())}, "
        f"unadjusted {_pct(runs['fwer_none'].mean())}; omnibus {_pct(runs['omnibus'].mean())}.",
        f"Monte Carlo standard error of a grid average at {alpha:.0%}: pairs ≈ "
        f"{_pct(pair_se)} points (pairs of one replicate are correlated, so somewhat more), "
        f"replicates ≈ {_pct(rep_se)} points.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000, help="null replicates per grid cell")
    parser.add_argument("--coverage-reps", type=int, default=20_000, help="intervals per cell")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    exact = coverage_exact()
    simulated = coverage_simulated(args.coverage_reps, seed=args.seed)
    print(coverage_table(exact, simulated))
    t1 = time.perf_counter()
    runs = null_runs(args.reps, seed=args.seed, holm_checks=20)
    size = auto_size_exact()
    print()
    print(null_table(runs, size))
    t2 = time.perf_counter()
    print()
    print(
        f"seed {args.seed}; {args.coverage_reps:,} intervals per cell and method; "
        f"{args.reps:,} null replicates per cell; coverage {t1 - t0:.0f} s, null runs {t2 - t1:.0f} s."
    )


if __name__ == "__main__":
    main()
