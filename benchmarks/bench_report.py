"""Benchmark: `netanalysis report` on a large synthetic log (default 1,000,000 leads).

Writes the log once (``na.simulate`` -> Parquet under ``benchmarks/_data/``, reused by later
runs), then runs the command line exactly as a user would, in a child process, and prints
its wall time, its peak memory (max resident set size of the child) and the size of the
report. Goal on the 2-core reference machine: under 60 s, report under 10 MB.

Usage::

    .venv/bin/python benchmarks/bench_report.py                  # 1,000,000 leads, 200 seekers
    .venv/bin/python benchmarks/bench_report.py --n-leads 100000 --seekers 50
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"


def _log(n_leads: int, seekers: int, seed: int) -> Path:
    path = DATA / f"report_{n_leads}_{seekers}_{seed}.parquet"
    if path.exists():
        print(f"log: {path.relative_to(HERE.parent)} (reused)")
        return path
    import netanalysis as na

    start = time.perf_counter()
    sim = na.simulate(n_leads=n_leads, seekers=seekers, seed=seed)
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    sim.events.to_parquet(tmp, index=False)
    tmp.rename(path)
    print(
        f"log: {path.relative_to(HERE.parent)}: {len(sim.events):,} events on {n_leads:,} "
        f"leads of {seekers} seekers, written in {time.perf_counter() - start:.1f} s"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-leads", type=int, default=1_000_000)
    parser.add_argument("--seekers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    log = _log(args.n_leads, args.seekers, args.seed)
    out = DATA / f"report_{args.n_leads}.html"
    exe = Path(sys.executable).with_name("netanalysis")
    command = [str(exe), "report", str(log), "-o", str(out), "--no-timestamp"]
    print("command:", shlex.join(["netanalysis", *command[1:]]))
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return done.returncode
    size = os.path.getsize(out)
    print(f"leads: {args.n_leads:,}  seekers: {args.seekers}  cores: {os.cpu_count()}")
    print(f"time: {seconds:.1f} s wall (goal < 60 s), {cpu:.1f} s CPU")
    print(f"load average while running: {os.getloadavg()[0]:.1f} (other work slows the wall time)")
    print(f"peak memory: {peak_kb / 1024:,.0f} MB (max RSS of the command)")
    print(f"report: {size / 1e6:.2f} MB (goal < 10 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
