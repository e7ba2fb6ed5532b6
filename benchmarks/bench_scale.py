"""Scale benchmark: netanalysis on millions of events vs hand-written DuckDB SQL and polars.

One command prints every figure (medians of several runs, wall and CPU time):

    .venv/bin/python benchmarks/bench_scale.py            # about 10 minutes on 2 cores
    .venv/bin/python benchmarks/bench_scale.py --quick    # smaller growth series

1. ``na.funnel(na.scan(glob))`` vs a hand-written DuckDB query for the same counts, on a
   seeded Parquet log of 4,000,000 leads / ~6.8 million events (8 files).
2. ``na.funnel(df)`` on the in-memory pandas frame vs a hand-written polars group-by on the
   same data; peak memory of ``na.funnel(df)`` over the frame's own size.
3. ``na.time_to`` on the same log (pandas frame and scan).
4. Cost growth: ``na.funnel`` at 10^5, 10^6 and 10^7 events (time per million events).

The logs are generated with :func:`netanalysis.simulate` in chunks of 500,000 leads and
cached under ``benchmarks/_data/`` (git-ignored). Runs of the compared commands are
interleaved, so that load from other processes falls on both alike; CPU time (all threads
of this process) is printed beside wall time because it is steadier on a shared machine.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

import netanalysis as na  # noqa: E402
from netanalysis.io import scan as scan_module  # noqa: E402
from netanalysis.schema import DEFAULT_FUNNEL, EVENT_COLUMNS, STAGES, funnel_level  # noqa: E402

DATA = ROOT / "_data"
CHUNK = 500_000  # leads per file
EVENTS_PER_LEAD = 1.697  # simulate(reject_after_silence=0.18) gives about this many
LEVELS = {s: funnel_level(s) for s in STAGES}


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


def generate(folder: Path, n_leads: int, seed: int) -> Path:
    """A seeded log of ``n_leads`` leads in Parquet files of at most 500,000 leads each."""
    done = folder / "_complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    start, part = 0, 0
    while start < n_leads:
        size = min(CHUNK, n_leads - start)
        sim = na.simulate(
            n_leads=size, seekers=max(1, size // 2000), reject_after_silence=0.18, seed=seed + part
        )
        events = sim.events[list(EVENT_COLUMNS)]
        events["lead"] = f"P{part}-" + events["lead"]
        events["seeker"] = f"P{part}-" + events["seeker"]
        events.to_parquet(folder / f"part-{part:03d}.parquet", index=False)
        start += size
        part += 1
    done.touch()
    return folder


def read_frame(folder: Path) -> pd.DataFrame:
    files = sorted(folder.glob("*.parquet"))
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


# ---------------------------------------------------------------------------------------
# Hand-written references
# ---------------------------------------------------------------------------------------


def hand_sql(pattern: str, pick: str) -> str:
    """The counts in one DuckDB query: per lead its furthest level and first channel."""
    case = " ".join(f"WHEN '{s}' THEN {lv}" for s, lv in LEVELS.items())
    counts = ", ".join(
        f"count(*) FILTER (WHERE lvl >= {i}) AS {s}" for i, s in enumerate(DEFAULT_FUNNEL)
    )
    return (
        f"WITH per_lead AS (SELECT seeker, lead, max(CASE stage {case} ELSE -1 END) AS lvl, "
        f"{pick} AS channel FROM read_parquet('{pattern}') GROUP BY seeker, lead) "
        f"SELECT channel, {counts} FROM per_lead WHERE lvl >= 0 GROUP BY channel"
    )


#: The idiomatic query: the channel at the minimum timestamp (ties: any of them).
PICK_SIMPLE = "arg_min(channel, timestamp)"
#: The same tie rule as netanalysis (earliest event; ties: smallest channel label).
PICK_EXACT = "first(channel ORDER BY timestamp, channel)"


def polars_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """The counts with a hand-written polars group-by (first channel by time)."""
    return (
        frame.lazy()
        .with_columns(
            pl.col("stage")
            .cast(pl.String)
            .replace_strict(LEVELS, default=-1, return_dtype=pl.Int8)
            .alias("level")
        )
        .group_by("seeker", "lead")
        .agg(pl.col("level").max(), pl.col("channel").cast(pl.String).sort_by("timestamp").first())
        .filter(pl.col("level") >= 0)
        .group_by("channel")
        .agg(*[(pl.col("level") >= i).sum().alias(s) for i, s in enumerate(DEFAULT_FUNNEL)])
        .collect()
    )


# ---------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------


def measure(runs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command, runs interleaved."""
    walls: dict[str, list[float]] = {k: [] for k in runs}
    cpus: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    return {k: (statistics.median(walls[k]), statistics.median(cpus[k])) for k in runs}


def peak_memory(run: Callable[[], Any]) -> float | None:
    """Peak resident memory added while ``run`` runs, in bytes (Linux: VmHWM reset)."""
    status = Path("/proc/self/status")
    clear = Path("/proc/self/clear_refs")
    if not status.exists() or not clear.exists():
        return None

    def field(name: str) -> int:
        for line in status.read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(name)

    gc.collect()
    before = field("VmRSS")
    clear.write_text("5")  # reset the high-water mark to the current size
    run()
    return field("VmHWM") - before


def show(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n{title}")
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")


def fmt(result: tuple[float, float]) -> str:
    return f"wall {result[0]:7.3f} s   cpu {result[1]:7.3f} s"


def ratio(a: tuple[float, float], b: tuple[float, float]) -> str:
    return f"wall {a[0] / b[0]:5.2f}x   cpu {a[1] / b[1]:5.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--quick", action="store_true", help="growth series up to 10^6 only")
    args = parser.parse_args()
    repeats = args.repeats

    print(
        "netanalysis scale benchmark",
        na.__version__,
        "| duckdb",
        duckdb.__version__,
        "| polars",
        pl.__version__,
        "| pandas",
        pd.__version__,
    )
    t = time.perf_counter()
    main_dir = generate(DATA / "scale_4m", 4_000_000, seed=1000)
    pattern = str(main_dir / "*.parquet")
    print(f"data: {pattern} ({time.perf_counter() - t:.0f} s to make or find)")

    # 1. DuckDB ------------------------------------------------------------------------
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    prepared = na.scan(pattern)
    n_events = int(prepared.summary()["rows_kept"].sum())
    n_leads = int(
        con.sql(f"SELECT count(DISTINCT lead) FROM read_parquet('{pattern}')").fetchall()[0][0]
    )
    print(f"log: {n_leads:,} leads, {n_events:,} events, {len(prepared.files)} Parquet files")
    expected = con.sql(hand_sql(pattern, PICK_SIMPLE)).df().set_index("channel").sort_index()
    got = na.funnel(na.scan(pattern))
    assert (got.sort_index().to_numpy() == expected.loc[got.sort_index().index].to_numpy()).all()

    def cold() -> Any:
        scan_module._PROFILES.clear()
        return na.funnel(na.scan(pattern))

    duck = measure(
        {
            "hand SQL (arg_min)": lambda: con.sql(hand_sql(pattern, PICK_SIMPLE)).fetchall(),
            "hand SQL (same tie rule)": lambda: con.sql(hand_sql(pattern, PICK_EXACT)).fetchall(),
            "na.funnel(na.scan(path)), cold": cold,
            "na.funnel(na.scan(path)), warm": lambda: na.funnel(na.scan(pattern)),
            "na.funnel(scanned)": lambda: na.funnel(prepared),
            "na.scan(path), cold": lambda: (scan_module._PROFILES.clear(), na.scan(pattern)),
        },
        repeats,
    )
    base = duck["hand SQL (arg_min)"]
    show(
        "1. DuckDB: counts per channel from the Parquet files",
        [(k, fmt(v)) for k, v in duck.items()]
        + [
            (
                "ratio: funnel(scan(path)) cold / hand SQL",
                ratio(duck["na.funnel(na.scan(path)), cold"], base),
            ),
            (
                "ratio: funnel(scan(path)) warm / hand SQL",
                ratio(duck["na.funnel(na.scan(path)), warm"], base),
            ),
            ("ratio: funnel(scanned) / hand SQL", ratio(duck["na.funnel(scanned)"], base)),
            (
                "ratio: funnel(scan(path)) cold / same-tie SQL",
                ratio(duck["na.funnel(na.scan(path)), cold"], duck["hand SQL (same tie rule)"]),
            ),
        ],
    )

    in_memory(main_dir, pattern, repeats)
    growth(args.quick, repeats)


def in_memory(main_dir: Path, pattern: str, repeats: int) -> None:
    """Sections 2 and 3: the pandas frame vs polars, memory, time_to."""
    frame = read_frame(main_dir)
    frame_bytes = int(frame.memory_usage(deep=True).sum())
    polars_frame = pl.from_pandas(frame)
    ours = na.funnel(frame)
    theirs = polars_counts(polars_frame).to_pandas().set_index("channel").loc[ours.index]
    assert (ours.to_numpy() == theirs[list(ours.columns)].to_numpy()).all()
    memo = measure(
        {
            "polars group-by (hand-written)": lambda: polars_counts(polars_frame),
            "na.funnel(df) (pandas)": lambda: na.funnel(frame),
        },
        repeats,
    )
    peak = peak_memory(lambda: na.funnel(frame))
    rows = [(k, fmt(v)) for k, v in memo.items()]
    rows.append(
        (
            "ratio: na.funnel(df) / polars",
            ratio(memo["na.funnel(df) (pandas)"], memo["polars group-by (hand-written)"]),
        )
    )
    rows.append(("frame in memory", f"{frame_bytes / 1e6:,.0f} MB"))
    if peak is not None:
        rows.append(
            (
                "peak added by na.funnel(df)",
                f"{peak / 1e6:,.0f} MB = {peak / frame_bytes:.2f}x the frame",
            )
        )
    show("2. In memory: pandas frame vs polars", rows)

    timing = measure(
        {
            "na.time_to(df, by='channel')": lambda: na.time_to(frame, by="channel"),
            "na.time_to(na.scan(path), by='channel')": lambda: na.time_to(
                na.scan(pattern), by="channel"
            ),
        },
        max(1, min(3, repeats)),
    )
    show(
        "3. Time to response (Kaplan-Meier, log-rank) on the same log",
        [(k, fmt(v)) for k, v in timing.items()],
    )


def growth(quick: bool, repeats: int) -> None:
    """Section 4: na.funnel at 10^5, 10^6 and 10^7 events."""
    sizes = [10**5, 10**6] if quick else [10**5, 10**6, 10**7]
    rows = []
    for size in sizes:
        folder = generate(
            DATA / f"growth_{size:.0e}".replace("+", ""), round(size / EVENTS_PER_LEAD), seed=7000
        )
        glob = str(folder / "*.parquet")
        events = read_frame(folder)
        runs = measure(
            {
                "scan": lambda glob=glob: na.funnel(na.scan(glob)),
                "pandas": lambda events=events: na.funnel(events),
            },
            max(1, min(3, repeats)) if size >= 10**7 else repeats,
        )
        n = len(events)
        for kind, (wall, cpu) in runs.items():
            per = wall / n * 1e6
            rows.append(
                (
                    f"{n:>12,} events, {kind:<6}",
                    f"wall {wall:7.3f} s   cpu {cpu:7.3f} s   {per:6.3f} s per million",
                )
            )
    show("4. Cost growth of na.funnel (time per million events should stay flat)", rows)


if __name__ == "__main__":
    main()
