"""Benchmark: our 903 and CIN validation against Data to Insight's, on the same files.

Authorities validate their own files, so each run is one authority's return:
  1. for at least 10 england-2025 authorities spanning the sizes (the largest included),
     write the SSDA903 for this year and last and the CIN census for this year; then
     validate each with ours (`childrenmatter returns validate ...`) and with theirs
     (tests/returns/external/d2i_*.py in their own virtualenvs), alternating A B A B
     (ours, theirs, ours, theirs) so a busy moment on the machine hits both;
     each pair's wall time and peak memory of the process tree (bench/measure.py) and the
     ratio theirs / ours;
  2. ours alone on every authority's 903 and CIN census;
  3. the time to write every authority's returns (903 both years and the census), each
     authority's rows read on their own.

Their validator is given this year's 903 files only: ours does not yet compare with last
year (see docs/returns.md), so that is the like-for-like comparison; last year's 903 is
validated as a pair of its own.

Needs the england-2025 dataset (`childrenmatter simulate --preset england-2025 --out DIR`)
and the validators (`make validators`).

Run:  .venv/bin/python bench/validate_vs_d2i.py --dataset /tmp/d2i-england [--year 2025]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from measure import run  # bench/measure.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT / "tests" / "returns" / "external"
VALIDATORS = ROOT / ".venv-validators"


def sizes(dataset: Path) -> pl.DataFrame:
    """Children per authority, the size an authority's returns grow with."""
    return (pl.scan_parquet(dataset / "children.parquet").group_by("la_code").len("children")
            .sort("children").collect())


def sample(by_size: pl.DataFrame, count: int) -> list[str]:
    """``count`` authorities evenly spaced through the sizes, smallest and largest included."""
    codes = by_size["la_code"].to_list()
    picks = sorted({round(i * (len(codes) - 1) / (count - 1)) for i in range(count)})
    return [codes[i] for i in picks]


def write_returns(dataset: Path, la: str, year: int, folder: Path) -> None:
    """One authority's returns from its rows of the dataset (read by authority: the whole of
    England at once would not fit beside the validators on a small machine)."""
    from childrenmatter.returns.cin import CIN_TABLES, write_cin
    from childrenmatter.returns.commands import RETURN_903_TABLES
    from childrenmatter.returns.ssda903 import write_903, write_903_files

    tables = {name: pl.scan_parquet(dataset / f"{name}.parquet")
              .filter(pl.col("la_code") == la).collect()
              for name in dict.fromkeys(RETURN_903_TABLES + CIN_TABLES)}

    for y in (year, year - 1):
        out = folder / f"903-{y}"
        out.mkdir(parents=True)
        write_903_files(write_903(tables, y, authority=la), out)
    (folder / f"cin-{year}.xml").write_bytes(write_cin(tables, year, authority=la))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="/tmp/d2i-england")
    parser.add_argument("--repeat", type=int, default=2,
                        help="A B pairs per return (2 gives A B A B)")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--authorities", type=int, default=10,
                        help="how many authorities to compare with theirs (at least 10)")
    parser.add_argument("--d2i-903", default=str(VALIDATORS / "903" / "bin" / "python"))
    parser.add_argument("--d2i-cin", default=str(VALIDATORS / "cin" / "bin" / "python"))
    parser.add_argument("--skip-all", action="store_true",
                        help="only the pairs, not ours on all authorities")
    args = parser.parse_args()
    dataset, year = Path(args.dataset), args.year
    exe = str(Path(sys.executable).with_name("childrenmatter"))
    print("reproduce:", shlex.join([sys.executable, *sys.argv]))

    by_size = sizes(dataset)
    children = dict(zip(by_size["la_code"], by_size["children"], strict=True))
    picked = sample(by_size, args.authorities)

    with tempfile.TemporaryDirectory(prefix="bench-d2i-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        for la in picked:
            write_returns(dataset, la, year, root / la)
        written = time.perf_counter() - began
        print(f"wrote the {len(picked)} authorities' returns: {written:.1f} s", flush=True)
        print("\nours against theirs, same files, A B A B (wall s / peak MB):")
        print(f"{'LA':5} {'children':>8}  {'return':10} {'ours s':>7} {'ours MB':>8} "
              f"{'theirs s':>9} {'theirs MB':>10} {'x time':>7} {'x mem':>6}")
        report = root / "theirs.csv"
        for la in picked:
            folder = root / la
            cases = [
                (f"903 {year}", [exe, "returns", "validate", "903", str(folder / f"903-{year}"),
                                 "--year", str(year), "--format", "csv"],
                 [args.d2i_903, str(EXTERNAL / "d2i_903.py"), str(folder / f"903-{year}"),
                  str(year), str(report)]),
                (f"903 {year - 1}", [exe, "returns", "validate", "903",
                                     str(folder / f"903-{year - 1}"), "--year", str(year - 1),
                                     "--format", "csv"],
                 [args.d2i_903, str(EXTERNAL / "d2i_903.py"), str(folder / f"903-{year - 1}"),
                  str(year - 1), str(report)]),
                (f"CIN {year}", [exe, "returns", "validate", "cin", str(folder / f"cin-{year}.xml"),
                                 "--year", str(year), "--format", "csv"],
                 [args.d2i_cin, str(EXTERNAL / "d2i_cin.py"), str(folder / f"cin-{year}.xml"),
                  str(year), str(report)]),
            ]
            for name, ours_argv, theirs_argv in cases:
                ours, theirs = [], []
                for _ in range(args.repeat):  # A B A B
                    ours.append(run(ours_argv))
                    theirs.append(run(theirs_argv))
                if (any(m.returncode not in (0, 1) for m in ours)
                        or any(m.returncode for m in theirs)):
                    print(f"{la} {name}: a run failed", file=sys.stderr)
                o_s = min(m.seconds for m in ours)
                o_mb = max(m.peak_mb for m in ours)
                t_s = min(m.seconds for m in theirs)
                t_mb = max(m.peak_mb for m in theirs)
                print(f"{la:5} {children[la]:>8,}  {name:10} {o_s:7.2f} {o_mb:8.0f} "
                      f"{t_s:9.2f} {t_mb:10.0f} {t_s / o_s:7.1f} {t_mb / o_mb:6.1f}", flush=True)
                print(f"      runs: ours {', '.join(f'{m.seconds:.2f}' for m in ours)} s; "
                      f"theirs {', '.join(f'{m.seconds:.2f}' for m in theirs)} s", flush=True)

        if not args.skip_all:
            began = time.perf_counter()
            for la in by_size["la_code"]:
                if la not in picked:
                    write_returns(dataset, la, year, root / la)
            written += time.perf_counter() - began
            print(f"\nwrote every authority's returns ({by_size.height}: 903 this year and "
                  f"last, CIN census), one authority at a time: {written:.1f} s", flush=True)
            began = time.perf_counter()
            slowest = (0.0, "")
            peak = 0.0
            for la in by_size["la_code"]:
                folder = root / la
                for argv in ([exe, "returns", "validate", "903", str(folder / f"903-{year}"),
                              "--year", str(year), "--format", "csv"],
                             [exe, "returns", "validate", "cin", str(folder / f"cin-{year}.xml"),
                              "--year", str(year), "--format", "csv"]):
                    measured = run(argv)
                    peak = max(peak, measured.peak_mb)
                    slowest = max(slowest, (measured.seconds, f"{la} {argv[3]}"))
            total = time.perf_counter() - began
            print(f"\nours alone, every authority ({by_size.height}: 903 {year} and CIN {year}, "
                  f"one process each): {total:.1f} s in all; slowest {slowest[0]:.2f} s "
                  f"({slowest[1]}); peak {peak:.0f} MB")
    print(f"machine: {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
