"""Benchmark: the stock indicators for every authority of a dataset at one date.

Times reading the dataset (with validation of the tables read) and computing looked after,
CP plans and CIN (both definitions) with rates, for every authority at once and for each
authority one by one. Makes the england-2025 dataset first if it is not given.

Run:  .venv/bin/python bench/stock_indicators.py [--dataset DIR] [--at 2025-03-31]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
from datetime import date
from pathlib import Path

from measure import timed  # bench/measure.py, beside this script

from childrenmatter.dataset.io import read_dataset
from childrenmatter.insight.stock import (
    STOCK_TABLES,
    stock_indicators,
    stock_indicators_by_authority,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="var/bench/england-2025")
    parser.add_argument("--at", default="2025-03-31")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(args.dataset)
    if not (folder / "authorities.parquet").exists():
        exe = str(Path(sys.executable).with_name("childrenmatter"))
        subprocess.run([exe, "simulate", "--preset", "england-2025", "--out", str(folder)],
                       check=True)
    at = date.fromisoformat(args.at)
    read_s, tables = timed(lambda: read_dataset(folder, tables=STOCK_TABLES), args.repeat)
    rows = sum(frame.height for frame in tables.values())
    every_s, every = timed(lambda: stock_indicators_by_authority(tables, at), args.repeat)
    codes = sorted(every)
    one_s, _ = timed(lambda: [stock_indicators(tables, at, code) for code in codes], 1)
    england_s, england = timed(lambda: stock_indicators(tables, at), args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"read {len(tables)} tables ({rows:,} rows) with validation: {read_s:.2f} s (median)")
    print(f"stock indicators for all {len(codes)} authorities at once: {every_s * 1000:.0f} ms")
    print(f"the same one authority at a time: {one_s:.2f} s ({one_s / len(codes) * 1000:.0f} "
          f"ms each)")
    print(f"England together: {england_s * 1000:.0f} ms -> "
          + ", ".join(f"{k} {v['count']:,} ({v['rate_per_10k']})" for k, v in england.items()))
    print(f"peak memory: {peak:.0f} MB")
    print(f"reproduce: .venv/bin/python bench/stock_indicators.py --dataset {folder} "
          f"--at {args.at} --repeat {args.repeat}")


if __name__ == "__main__":
    main()
