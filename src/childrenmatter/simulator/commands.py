"""``childrenmatter simulate``: synthetic authorities for the demo, tests and benchmarks."""

from __future__ import annotations

import argparse
import sys
import time

from childrenmatter.errors import UserError
from childrenmatter.simulator.presets import PRESETS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="make a synthetic authority's child-level dataset",
        description="Simulate an authority's children's social care over time and write it "
        "as a child-level dataset folder (one Parquet file per table). The same preset and "
        "seed always give the same dataset.",
        epilog="presets: " + "; ".join(f"{k}: {v}" for k, v in PRESETS.items()),
    )
    parser.add_argument("--preset", required=True, metavar="NAME",
                        help=f"one of: {', '.join(PRESETS)}")
    parser.add_argument("--out", required=True, metavar="DIR", help="dataset folder to write")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="random seed (default 0)")
    parser.set_defaults(handler=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    if args.preset not in PRESETS:
        raise UserError(f"--preset {args.preset!r}: unknown preset; choose one of "
                        f"{', '.join(PRESETS)}")
    if args.seed < 0:
        raise UserError(f"--seed {args.seed}: must be zero or more")
    from childrenmatter.simulator.engine import simulate_to

    began = time.perf_counter()
    counts = simulate_to(args.preset, args.out, seed=args.seed)
    took = time.perf_counter() - began
    rows = ", ".join(f"{name} {count:,}" for name, count in counts.items() if count)
    print(f"wrote {args.preset} (seed {args.seed}) to {args.out} in {took:.1f} s: {rows}",
          file=sys.stderr)
    return 0
