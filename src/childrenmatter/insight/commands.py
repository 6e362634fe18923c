"""``childrenmatter indicators``: figures from a dataset folder.

``--at DATE`` gives every indicator at a date (the four stock figures of the first version,
``looked_after``, ``cp_plans``, ``cin_local`` and ``cin_dfe``, keep their keys and shapes;
the others are added beside them). ``--from YYYY-MM --to YYYY-MM`` gives monthly series.
``indicators docs`` writes docs/indicators.md from the registry.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from childrenmatter.errors import UserError

FORMATS = ("json", "csv", "table")
CSV_COLUMNS = ("count", "rate_per_10k", "percent", "numerator", "denominator", "days",
               "average", "hours")


def parse_date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: {text!r} is not a date in the form YYYY-MM-DD") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "indicators",
        help="figures from a child-level dataset",
        description="Every indicator of the monthly pack (docs/indicators.md). With --at, "
        "stock figures on the date and flow figures over the 12 months ending on it; with "
        "--from and --to, one set of figures per month. Rates are per 10,000 children aged "
        "0-17.",
    )
    # Not required by argparse, so that `indicators docs` needs no dataset; run_indicators
    # asks for it instead.
    parser.add_argument("--dataset", metavar="DIR", help="dataset folder (required)")
    parser.add_argument("--at", metavar="YYYY-MM-DD", help="the date of the figures")
    parser.add_argument("--from", dest="first", metavar="YYYY-MM",
                        help="first month of a monthly series")
    parser.add_argument("--to", dest="last", metavar="YYYY-MM",
                        help="last month of a monthly series (included)")
    parser.add_argument(
        "--authority", metavar="CODE",
        help="LA code of one authority (default: all authorities in the dataset together)",
    )
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.set_defaults(handler=run_indicators)

    commands = parser.add_subparsers(dest="indicators_command", metavar="COMMAND",
                                     parser_class=type(parser))
    docs = commands.add_parser(
        "docs",
        help="write the Markdown definition of every indicator",
        description="Generate docs/indicators.md from the indicator registry.",
    )
    docs.add_argument("--out", default="docs/indicators.md", metavar="FILE",
                      help="where to write it (default docs/indicators.md; - for stdout)")
    docs.set_defaults(handler=run_docs)


def run_docs(args: argparse.Namespace) -> int:
    from childrenmatter.insight.docs import indicators_markdown

    text = indicators_markdown()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    return 0


def run_indicators(args: argparse.Namespace) -> int:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.insight.figures import (
        INDICATOR_TABLES,
        indicators_at,
        indicators_by_month,
        parse_month,
    )

    if not args.dataset:
        raise UserError("--dataset DIR is required")
    series = args.first is not None or args.last is not None
    if args.at is not None and series:
        raise UserError("--at cannot be given with --from/--to: ask for a date or for months")
    if series and (args.first is None or args.last is None):
        raise UserError("--from and --to go together: give both months of the series")
    if args.at is None and not series:
        raise UserError("give --at YYYY-MM-DD, or --from YYYY-MM and --to YYYY-MM")

    if series:
        first, last = parse_month("--from", args.first), parse_month("--to", args.last)
        tables = read_dataset(args.dataset, tables=INDICATOR_TABLES)
        by_month = indicators_by_month(tables, first, last, authority=args.authority)
        _print(by_month, args.format)
    else:
        at = parse_date("--at", args.at)
        tables = read_dataset(args.dataset, tables=INDICATOR_TABLES)
        figures = indicators_at(tables, at, authority=args.authority)
        _print({at.isoformat(): figures}, args.format, single=True)
    return 0


def _print(by_period: dict[str, dict[str, dict[str, Any]]], fmt: str,
           single: bool = False) -> None:
    from childrenmatter.insight.indicators import REGISTRY

    if fmt == "json":
        shown: Any = next(iter(by_period.values())) if single else by_period
        print(json.dumps(shown, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("period", "indicator", "unit", *CSV_COLUMNS))
        for period, figures in by_period.items():
            for name, figure in figures.items():
                values = ["" if figure.get(c) is None else figure[c] for c in CSV_COLUMNS]
                writer.writerow((period, name, REGISTRY[name].unit.value, *values))
    else:
        for period, figures in by_period.items():
            if not single:
                print(period)
            print(f"{'indicator':<46}{'count':>8}{'value':>10}  unit")
            for name, figure in figures.items():
                print(_table_row(name, figure))


def _table_row(name: str, figure: dict[str, Any]) -> str:
    if "rate_per_10k" in figure:
        value, unit, count = figure["rate_per_10k"], "per 10k", figure["count"]
    elif "percent" in figure:
        value, unit, count = figure["percent"], "%", figure["denominator"]
    elif "days" in figure:
        value, unit, count = figure["days"], "days (median)", figure["count"]
    elif "hours" in figure:
        value, unit, count = figure["hours"], "hours (median)", figure["count"]
    elif "average" in figure:
        value, unit, count = figure["average"], "average", figure["denominator"]
    else:
        value, unit, count = None, "", figure["count"]
    shown = "" if value is None else f"{value:.1f}"
    return f"{name:<46}{count:>8}{shown:>10}  {unit}"
