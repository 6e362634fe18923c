"""Benchmark: the monthly briefing pack for one authority (target: the PDF in 10 s or less).

Runs ``childrenmatter pack`` as a process for each format (wall time and peak memory of
the process tree, bench/measure.py: reading the dataset, the comparison, the charts and the
layout, everything a user waits for), then times the stages in this process to show where
the time goes. Makes the simulated Middlesbrough dataset first if it is not given.

Run:  .venv/bin/python bench/pack.py [--dataset DIR] [--month 2025-03] [--authority CODE]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import run  # bench/measure.py, beside this script


def _stages(folder: Path, month: str, authority: str | None) -> list[tuple[str, float]]:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.insight import pack_render
    from childrenmatter.insight.pack import PACK_TABLES, pack_content

    stages = []
    began = time.perf_counter()
    tables = read_dataset(folder, tables=PACK_TABLES)
    stages.append(("read the dataset (checked)", time.perf_counter() - began))
    began = time.perf_counter()
    pack = pack_content(tables, authority=authority, month=month)
    stages.append(("figures and comparison, 24 months", time.perf_counter() - began))
    began = time.perf_counter()
    charts = pack_render.charts(pack)
    count = sum(len(c) for c in charts.values())
    stages.append((f"{count} trend charts (SVG)", time.perf_counter() - began))
    began = time.perf_counter()
    pack_render.pdf(pack)
    stages.append(("PDF: charts again + HTML + WeasyPrint", time.perf_counter() - began))
    began = time.perf_counter()
    pack_render.xlsx(pack)
    stages.append(("XLSX", time.perf_counter() - began))
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="var/bench/middlesbrough-2018")
    parser.add_argument("--month", default="2025-03")
    parser.add_argument("--authority")
    parser.add_argument("--no-stages", action="store_true",
                        help="only the end-to-end command timings")
    args = parser.parse_args()
    folder = Path(args.dataset)
    exe = str(Path(sys.executable).with_name("childrenmatter"))
    if not (folder / "authorities.parquet").exists():
        subprocess.run([exe, "simulate", "--preset", "middlesbrough-2018", "--out",
                        str(folder)], check=True)
    with tempfile.TemporaryDirectory() as out:
        for fmt in ("pdf", "xlsx", "html"):
            argv = [exe, "pack", "--dataset", str(folder), "--month", args.month,
                    "--out", f"{out}/pack.{fmt}"]
            if args.authority:
                argv += ["--authority", args.authority]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            measured = run(argv)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU time is what the pack would take on an idle machine (it runs on one
            # core); wall time also counts waiting for a busy machine's cores.
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            size = Path(f"{out}/pack.{fmt}").stat().st_size if measured.returncode == 0 else 0
            print(f"pack {fmt:>4}: {measured.seconds:5.1f} s wall, {cpu:5.1f} s CPU, "
                  f"peak {measured.peak_mb:4.0f} MB, "
                  f"{size:,} bytes (exit {measured.returncode})")
    if not args.no_stages:
        for name, seconds in _stages(folder, args.month, args.authority):
            print(f"  {name}: {seconds:.2f} s")
    print("reproduce: .venv/bin/python bench/pack.py --dataset "
          f"{folder} --month {args.month}" + (f" --authority {args.authority}"
                                              if args.authority else ""))


if __name__ == "__main__":
    main()
