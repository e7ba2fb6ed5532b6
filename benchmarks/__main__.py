"""Run every benchmark in turn and print its figures: ``python -m benchmarks`` (``make bench``).

Each benchmark is also a script of its own (see benchmarks/README.md); this runs them in
separate processes so that one's memory does not count against the next.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_load.py",
    "bench_scale.py",
    "bench_report.py",
    "calibration.py",
    "linkedin_export.py",
    "email_calendar_link.py",
]


def main() -> int:
    failed = []
    for name in SCRIPTS:
        script = HERE / name
        if not script.exists():
            print(f"== {name}: missing, skipped")
            continue
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
