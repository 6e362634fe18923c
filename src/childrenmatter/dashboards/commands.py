"""``childrenmatter refresh``: take the dashboards' snapshot, once or every few minutes.

With ``--every`` it runs until stopped, as healthchecks does its background work: a
long-running command beside the web service, no broker. A refresh that fails is reported
and the next one tried on time; the pages keep showing the last snapshot that worked.
Django is set up inside the handler, so ``childrenmatter --help`` never pays for it.
"""

from __future__ import annotations

import argparse
import sys
import time


def _minutes(value: str) -> float:
    try:
        minutes = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of minutes") from None
    if not minutes > 0:
        raise argparse.ArgumentTypeError(f"{value!r}: the interval must be more than 0 minutes")
    return minutes


def register(subparsers: argparse._SubParsersAction) -> None:
    refresh = subparsers.add_parser(
        "refresh",
        help="take the dashboards' figures (once, or every few minutes)",
        description="Compute every authority's 24-month comparison for the dashboards from "
        "the configured source (CHILDRENMATTER_DASHBOARD_SOURCE: dataset, the default, or "
        "store) and swap it in whole, with the time it was taken.",
    )
    refresh.add_argument("--every", type=_minutes, metavar="MINUTES",
                         help="keep running, refreshing every MINUTES minutes")
    refresh.add_argument("--source", choices=("dataset", "store"),
                         help="where the figures come from (default: "
                         "CHILDRENMATTER_DASHBOARD_SOURCE, else dataset)")
    refresh.add_argument("--dataset", metavar="DIR",
                         help="with --source dataset: the dataset folder "
                         "(default: CHILDRENMATTER_DATASET)")
    refresh.add_argument("--out", metavar="DIR",
                         help="the snapshot folder (default: CHILDRENMATTER_DASHBOARD_SNAPSHOT, "
                         "else beside the dataset folder)")
    refresh.add_argument("--published", metavar="FILE.csv",
                         help="published figures (period,indicator,area,value) for England "
                         "and neighbours the dataset does not hold (default: "
                         "CHILDRENMATTER_PUBLISHED_FIGURES)")
    refresh.add_argument("--no-charts", action="store_true",
                         help="do not draw the charts ahead (pages draw them when first "
                         "opened)")
    refresh.set_defaults(handler=run_refresh)


def run_refresh(args: argparse.Namespace) -> int:
    from childrenmatter.config.webcommands import _setup_django

    _setup_django()
    from pathlib import Path

    from django.conf import settings

    if args.dataset:
        settings.CHILDRENMATTER_DATASET = Path(args.dataset)
    if args.out:
        settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = Path(args.out)
    if args.published:
        settings.CHILDRENMATTER_PUBLISHED_FIGURES = args.published
    if args.source:
        settings.CHILDRENMATTER_DASHBOARD_SOURCE = args.source

    from childrenmatter.dashboards.views import refresh_snapshot
    from childrenmatter.errors import UserError

    while True:
        started = time.monotonic()
        try:
            snapshot = refresh_snapshot(draw_ahead=not args.no_charts)
        except UserError:
            if args.every is None:
                raise
            print(f"childrenmatter: refresh failed: {sys.exc_info()[1]}", file=sys.stderr)
        else:
            print(f"Figures taken at {snapshot.taken_at:%Y-%m-%d %H:%M:%S} UTC for "
                  f"{len(snapshot.authorities)} authorities in "
                  f"{time.monotonic() - started:.1f} s: {snapshot.folder}", flush=True)
        if args.every is None:
            return 0
        time.sleep(max(0.0, args.every * 60 - (time.monotonic() - started)))
