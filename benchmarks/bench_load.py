"""Benchmark: ``na.load`` on a 1,000,000-row long-format CSV vs ``pandas.read_csv(engine="pyarrow")``.

Goal (issue 2): in one run, ``na.load`` takes at most 2x the time of plain
``pandas.read_csv(path, engine="pyarrow")`` on the same file, and its peak memory is
at most 3x the size of the frame it returns.

Run::

    .venv/bin/python benchmarks/bench_load.py            # 1,000,000 rows, 5 timed runs each
    .venv/bin/python benchmarks/bench_load.py --rows 200000 --repeat 3

The CSV is generated once (seeded) from :func:`netanalysis.simulate` and written as a
realistic log: ISO timestamps, channel and status labels as people type them
("LinkedIn", "Career fair", "Phone screen"), a notes column with quoted commas, one
seeker per row among 200 (a programme's log). It is cached under ``benchmarks/_data/``.

Time: both readers run in this process, alternately, after one warm-up each (file cache,
thread pools); the figure is the median wall-clock time of the timed runs (the minimum
and the CPU time of the process, both less sensitive to other load on the machine, are
shown beside it). Memory: each reader runs in a
fresh subprocess that reports its resident set size before the call and its peak during
the call (the kernel's high-water mark, reset just before the call); the peak added by
the call is compared with the size of the frame returned
(``DataFrame.memory_usage(deep=True)``). RSS is used rather than tracemalloc because
Arrow allocates outside Python's allocator.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"

_CHANNEL_LABELS = {
    "job_board": ["Indeed", "LinkedIn Easy Apply", "company website", "Glassdoor", "ZipRecruiter"],
    "linkedin": ["LinkedIn", "LinkedIn message", "InMail"],
    "social_media": ["Facebook", "Twitter", "Instagram"],
    "industry_group": ["Veterans network", "Alumni", "Professional association"],
    "in_person": ["Career fair", "Meetup", "Coffee chat"],
    "referral": ["Referral", "Employee referral", "Warm intro"],
    "recruiter": ["Recruiter", "Agency", "Headhunter"],
    "cold_email": ["Cold email", "Email"],
}
_STAGE_LABELS = {
    "contacted": ["Applied", "applied", "Reached out", "Application sent"],
    "responded": ["Reply", "Heard back", "Callback"],
    "interview": ["Phone screen", "Interview", "Onsite", "Final round"],
    "offer": ["Offer", "Offer received"],
    "rejected": ["Rejected", "Rejection"],
    "accepted": ["Accepted", "Hired"],
    "withdrawn": ["Withdrawn"],
}
_NOTES = ["", "", "", "", "Followed up, no reply yet", "Sent thank-you note", "Asked for referral"]


def _pick(values: np.ndarray, table: dict[str, list[str]], rng: np.random.Generator) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    for key, labels in table.items():
        mask = values == key
        out[mask] = np.asarray(labels, dtype=object)[rng.integers(0, len(labels), mask.sum())]
    return out


def make_csv(path: Path, rows: int, seed: int = 2024) -> Path:
    """Write a seeded long-format log of ``rows`` events as a people-style CSV."""
    import netanalysis as na

    sim = na.simulate(n_leads=int(rows * 0.6), seekers=200, seed=seed)
    events = sim.events
    while len(events) < rows:  # top up (rarely needed)
        more = na.simulate(n_leads=rows // 2, seekers=200, seed=seed + len(events)).events
        more["lead"] = more["lead"] + "b"
        events = pd.concat([events, more], ignore_index=True)
    events = events.iloc[:rows]
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "Date": events["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S"),
            "Seeker": events["seeker"],
            "Lead ID": events["lead"],
            "Company": events["company"],
            "Contact": events["contact"],
            "Channel": _pick(events["channel"].astype(str).to_numpy(), _CHANNEL_LABELS, rng),
            "Status": _pick(events["stage"].astype(str).to_numpy(), _STAGE_LABELS, rng),
            "Direction": np.where(events["direction"] == "inbound", "Inbound", "Outbound"),
            "Notes": np.asarray(_NOTES, dtype=object)[rng.integers(0, len(_NOTES), rows)],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def _run_pandas(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, engine="pyarrow")


def _run_load(path: Path) -> pd.DataFrame:
    import netanalysis as na

    return na.load(path).events


_READERS = {"pandas": _run_pandas, "load": _run_load}


def _status_bytes(field: str) -> int:
    """A memory figure of this process from /proc/self/status (``VmRSS``, ``VmHWM``)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _measure_memory(reader: str, path: Path) -> None:
    """Child process: report RSS before, peak RSS during the call, and the frame's size.

    The peak is the kernel's high-water mark of resident memory (``VmHWM``), reset to
    the current RSS just before the call (``/proc/self/clear_refs``), so it covers the
    call only. (``ru_maxrss`` would not do: Linux carries it over from the parent.)
    """
    import netanalysis  # noqa: F401  (imports before measuring, for both readers)

    before = _status_bytes("VmRSS")
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")  # reset the peak RSS to the current RSS
    frame = _READERS[reader](path)
    peak = _status_bytes("VmHWM")
    size = int(frame.memory_usage(deep=True).sum())
    print(json.dumps({"before": before, "peak": peak, "frame": size, "rows": len(frame)}))


def _memory(reader: str, path: Path) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", reader, "--path", str(path)],
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"the {reader} subprocess failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--path", type=Path, default=None)
    parser.add_argument("--measure", choices=sorted(_READERS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = args.path or DATA / f"load_long_{args.rows}.csv"
    if args.measure:
        _measure_memory(args.measure, path)
        return 0
    if not path.exists():
        print(f"generating {path} ({args.rows:,} rows, seeded) ...", flush=True)
        make_csv(path, args.rows)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {path} ({size_mb:.1f} MB)")
    load1, load5, _ = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load1:.1f} (1 min), {load5:.1f} (5 min)")

    import netanalysis as na

    res = na.load(path)
    print(f"na.load: {res.finding()}")
    times: dict[str, list[float]] = {name: [] for name in _READERS}
    cpu: dict[str, list[float]] = {name: [] for name in _READERS}
    for reader in _READERS.values():  # warm-up
        reader(path)
    for _ in range(args.repeat):
        for name, reader in _READERS.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            reader(path)
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    t_pandas = statistics.median(times["pandas"])
    t_load = statistics.median(times["load"])
    print()
    print(f"time, median of {args.repeat} runs after a warm-up (min in brackets; CPU time after):")
    for name, label in (("pandas", "pandas.read_csv(engine='pyarrow')"), ("load", "na.load")):
        print(
            f"  {label + ':':35s} {statistics.median(times[name]):6.3f} s  "
            f"({min(times[name]):.3f})  CPU {statistics.median(cpu[name]):.3f} s"
        )
    ratio = t_load / t_pandas
    best = min(times["load"]) / min(times["pandas"])
    cpu_ratio = statistics.median(cpu["load"]) / statistics.median(cpu["pandas"])
    print(
        f"  ratio of medians: {ratio:.2f}x (of minimums: {best:.2f}x; of CPU times: "
        f"{cpu_ratio:.2f}x)  (goal <= 2x: {'met' if ratio <= 2 else 'NOT met'})"
    )

    print()
    print("peak memory (fresh subprocess each; peak RSS during the call minus RSS before):")
    figures = {}
    for name in _READERS:
        m = _memory(name, path)
        added = m["peak"] - m["before"]
        figures[name] = (added, m["frame"])
        print(
            f"  {name:7s} peak added {added / 1e6:7.1f} MB; frame returned "
            f"{m['frame'] / 1e6:6.1f} MB ({m['rows']:,} rows); peak/frame {added / m['frame']:.2f}x"
        )
    added, frame = figures["load"]
    verdict = "met" if added <= 3 * frame else "NOT met"
    print(f"  na.load peak / its frame: {added / frame:.2f}x  (goal <= 3x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
