"""Benchmark: every indicator of the registry, monthly for 24 months, for every authority.

Times reading the tables the indicators need, then the 24-month series for every authority
of the dataset at once WITH England's and each authority's statistical neighbours' figures,
targets and RAG (insight.compare.comparisons_by_authority: the target is 30 s), the series
without comparisons, for all of them together (England), and for one authority (target
1 s) as ``indicators --authority`` does it: only that authority's rows read and checked
(``read_dataset(authorities=...)``), then its series. Wall time, CPU time (a check on wall
times taken on a busy machine), peak memory and the load average are printed. Makes the
england-2025 dataset first if it is not there.

Run:  .venv/bin/python bench/indicators_series.py [--dataset DIR] [--to 2025-03]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from measure import timed  # bench/measure.py, beside this script

from childrenmatter.dataset.io import read_dataset
from childrenmatter.insight.compare import comparisons_by_authority
from childrenmatter.insight.figures import (
    INDICATOR_TABLES,
    indicators_by_month,
    indicators_by_month_by_authority,
)
from childrenmatter.insight.indicators import INDICATORS


def cpu_seconds() -> float:
    """CPU time of this process, every thread: a check on wall times taken on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def month_starts(first: date, last: date) -> list[date]:
    out, day = [], first
    while day <= last:
        out.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _one_authority(folder: Path, first: date, last: date, one: str, repeat: int,
                   validate: bool) -> None:
    """One authority as ``indicators --authority`` does it: only its rows read (and
    checked), then its 24 months (the target is 1 s for both)."""
    cpu_before = cpu_seconds()
    read_s, tables = timed(lambda: read_dataset(folder, tables=INDICATOR_TABLES,
                                                validate=validate, authorities=[one]), repeat)
    series_s, _ = timed(lambda: indicators_by_month(tables, first, last, one), repeat)
    cpu = (cpu_seconds() - cpu_before) / repeat
    rows = sum(frame.height for frame in tables.values())
    print(f"one authority ({one}) alone: read its {rows:,} rows "
          f"{'with' if validate else 'without'} validation {read_s:.2f} s, "
          f"{len(INDICATORS)} indicators x 24 months {series_s:.2f} s: "
          f"{read_s + series_s:.2f} s (medians of {repeat}; {cpu:.2f} s of CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="var/bench/england-2025")
    parser.add_argument("--to", default="2025-03", help="last month of the 24 (YYYY-MM)")
    parser.add_argument("--authority", default=None,
                        help="the one authority timed alone (default: the first)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only-compare", action="store_true",
                        help="time only the series with comparisons")
    parser.add_argument("--only-one", action="store_true",
                        help="time only the series of one authority (no comparisons)")
    parser.add_argument("--no-validate", action="store_true",
                        help="read the tables without checking them against the schema")
    args = parser.parse_args()
    folder = Path(args.dataset)
    if not (folder / "authorities.parquet").exists():
        exe = str(Path(sys.executable).with_name("childrenmatter"))
        subprocess.run([exe, "simulate", "--preset", "england-2025", "--out", str(folder)],
                       check=True)
    last = date.fromisoformat(f"{args.to}-01")
    first = date(last.year - 2 + (last.month // 12), last.month % 12 + 1, 1)

    load = os.getloadavg()[0]
    if args.only_one:
        codes = sorted(read_dataset(folder, tables=["authorities"])["authorities"]["la_code"])
        _one_authority(folder, first, last, args.authority or codes[0], args.repeat,
                       not args.no_validate)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {peak:.0f} MB; load average before: {load:.1f}, after: "
              f"{os.getloadavg()[0]:.1f}")
        print(f"reproduce: .venv/bin/python bench/indicators_series.py --dataset {folder} "
              f"--to {args.to} --repeat {args.repeat} --only-one"
              + (" --no-validate" if args.no_validate else ""))
        return
    began = time.perf_counter()
    tables = read_dataset(folder, tables=INDICATOR_TABLES, validate=not args.no_validate)
    read_s = time.perf_counter() - began
    rows = sum(frame.height for frame in tables.values())
    codes = sorted(tables["authorities"]["la_code"].to_list())
    one = args.authority or codes[0]

    months = [f"{d:%Y-%m}" for d in month_starts(first, last)]
    cpu_before = cpu_seconds()
    compare_s, compared = timed(lambda: comparisons_by_authority(tables, months), args.repeat)
    compare_cpu = (cpu_seconds() - cpu_before) / args.repeat
    with_neighbours = compared.filter(compared["neighbours"].is_not_null()).height
    print(f"{len(INDICATORS)} indicators x {len(months)} months x {len(codes)} authorities "
          f"with England, neighbours, targets and RAG ({compared.height:,} rows, "
          f"{with_neighbours:,} with a neighbours' figure): {compare_s:.2f} s "
          f"(median of {args.repeat}; {compare_cpu:.1f} s of CPU each)", flush=True)
    if args.only_compare:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"read {len(tables)} tables ({rows:,} rows), "
              f"{'without' if args.no_validate else 'with'} validation: {read_s:.2f} s")
        print(f"peak memory: {peak:.0f} MB; load average before: {load:.1f}, after: "
              f"{os.getloadavg()[0]:.1f}")
        print(f"reproduce: .venv/bin/python bench/indicators_series.py --dataset {folder} "
              f"--to {args.to} --repeat {args.repeat} --only-compare"
              + (" --no-validate" if args.no_validate else ""))
        return

    cpu_before = cpu_seconds()
    every_s, every = timed(lambda: indicators_by_month_by_authority(tables, first, last),
                           args.repeat)
    every_cpu = (cpu_seconds() - cpu_before) / args.repeat
    england_s, england = timed(lambda: indicators_by_month(tables, first, last), args.repeat)
    one_s, _ = timed(lambda: indicators_by_month(tables, first, last, one), args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    months = len(england)
    figures = len(every) * months * len(INDICATORS)
    areas, names = len(every), len(tables)
    tables = every = compared = None  # freed before one authority is read alone
    print(f"read {names} tables ({rows:,} rows), "
          f"{'without' if args.no_validate else 'with'} validation: {read_s:.2f} s")
    print(f"{len(INDICATORS)} indicators x {months} months ({first:%Y-%m} to {last:%Y-%m}):")
    print(f"  every authority at once ({areas}, {figures:,} figures): "
          f"{every_s:.2f} s (median of {args.repeat}; {every_cpu:.1f} s of CPU each)")
    print(f"  all authorities together: {england_s:.2f} s")
    print(f"  one authority ({one}), from the tables of all: {one_s:.2f} s")
    _one_authority(folder, first, last, one, args.repeat, not args.no_validate)
    year_end = england[f"{last:%Y-%m}"]
    print("  together, last month: " + ", ".join(
        f"{name} {value}" for name, value in list(year_end.items())[:4]))
    print(f"peak memory: {peak:.0f} MB; load average before: {load:.1f}, after: "
          f"{os.getloadavg()[0]:.1f}")
    print(f"reproduce: .venv/bin/python bench/indicators_series.py --dataset {folder} "
          f"--to {args.to} --repeat {args.repeat}"
          + (" --no-validate" if args.no_validate else ""))


if __name__ == "__main__":
    main()
