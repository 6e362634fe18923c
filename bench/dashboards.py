"""Benchmark: taking the dashboards' snapshot (``childrenmatter refresh``).

Runs the command as a process (wall time and peak memory of the process tree,
bench/measure.py): once with ``--no-charts`` (what "Refresh now" does: read the dataset,
every authority's 24-month comparison, the swap) and once drawing ahead the charts of the
authorities someone works for (the scheduled refresh; a demo user at ``--authority`` is
made in a scratch database for it). Makes the simulated Middlesbrough first if no dataset
is given.

Run:  .venv/bin/python bench/dashboards.py [--dataset DIR] [--authority 806]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import run  # bench/measure.py, beside this script

CLI = str(Path(sys.executable).with_name("childrenmatter"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path)
    parser.add_argument("--authority", default="806")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dashboards-") as scratch:
        work = Path(scratch)
        dataset = args.dataset
        if dataset is None:
            dataset = work / "middlesbrough"
            subprocess.run([CLI, "simulate", "--preset", "middlesbrough-2018", "--out",
                            str(dataset)], check=True, stdout=subprocess.DEVNULL)
        env = {"CHILDRENMATTER_DATA_DIR": str(work / "var"),
               "CHILDRENMATTER_DATASET": str(dataset)}
        subprocess.run([CLI, "manage", "migrate", "-v0"], check=True,
                       env={**os.environ, **env})
        subprocess.run([CLI, "demo-user", "--authority", args.authority], check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, **env})
        for label, extra in (("figures only (Refresh now)", ["--no-charts"]),
                             (f"figures and {args.authority}'s charts (scheduled)", [])):
            measured = run([CLI, "refresh", "--out", str(work / "snapshot"), *extra], env=env)
            if measured.returncode:
                raise SystemExit(f"refresh failed ({measured.returncode})")
            print(f"refresh, {label}: {measured.seconds:.1f} s, "
                  f"peak {measured.peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
