"""Benchmark: simulate a preset (default england-2025), time and peak memory.

Run:  .venv/bin/python bench/simulate.py [--preset england-2025] [--repeat 1]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", default="england-2025")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="keep the last dataset here")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("childrenmatter"))
    for attempt in range(1, args.repeat + 1):
        out = Path(tempfile.mkdtemp(prefix="bench-sim-")) / "dataset"
        measured = run([exe, "simulate", "--preset", args.preset, "--out", str(out)])
        size = sum(f.stat().st_size for f in out.glob("*.parquet")) / 2**20
        print(f"simulate {args.preset} run {attempt}: {measured.seconds:.1f} s, peak memory "
              f"{measured.peak_mb:.0f} MB (process tree), dataset {size:.0f} MB on disk, "
              f"exit {measured.returncode}")
        if args.keep and attempt == args.repeat:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.move(str(out), args.keep)
        shutil.rmtree(out.parent, ignore_errors=True)
    print(f"reproduce: .venv/bin/python bench/simulate.py --preset {args.preset} "
          f"--repeat {args.repeat}")


if __name__ == "__main__":
    main()
