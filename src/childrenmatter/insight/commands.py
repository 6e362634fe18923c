"""``childrenmatter indicators``: figures from a dataset folder.

``--at DATE`` gives every indicator at a date (the four stock figures of the first version,
``looked_after``, ``cp_plans``, ``cin_local`` and ``cin_dfe``, keep their keys and shapes;
the others are added beside them). ``--from YYYY-MM --to YYYY-MM`` gives monthly series.
``indicators docs`` writes docs/indicators.md from the registry.

With ``--compare`` (and ``--authority``), each monthly figure also has ``england``,
``neighbours``, ``target`` and ``rag`` (insight.compare): ``--neighbours`` names the
statistical neighbours (default: the authorities table's), ``--published`` a CSV of
published figures, ``--targets`` a YAML file of targets. ``indicators children`` lists the
children behind one authority's figure (insight.drilldown).
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
COMPARE_COLUMNS = ("england", "neighbours", "target", "rag")


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
    parser.add_argument(
        "--compare", action="store_true",
        help="with --from/--to and --authority: add England's and the statistical "
        "neighbours' figures, the target and the RAG rating to each figure")
    parser.add_argument("--neighbours", metavar="CODE,CODE,...",
                        help="LA codes of the neighbours to compare with (default: the "
                        "authority's statistical_neighbours in the dataset)")
    parser.add_argument("--published", metavar="FILE.csv",
                        help="published figures (period,indicator,area,value; area is "
                        "'england' or an LA code) for England and neighbours")
    parser.add_argument("--targets", metavar="FILE.yml",
                        help="targets and RAG margins overriding the defaults (default: "
                        "$CHILDRENMATTER_TARGETS if set)")
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

    children = commands.add_parser(
        "children",
        help="list the children behind one authority's figure",
        description="The records an indicator counted for one authority: one row per "
        "child (or record) in a count; for a percentage, every child in the denominator "
        "with in_numerator true or false. Contains personal data: handle accordingly.",
    )
    children.add_argument("--dataset", metavar="DIR", required=True, help="dataset folder")
    children.add_argument("--indicator", metavar="NAME", required=True,
                          help="indicator name (docs/indicators.md)")
    children.add_argument("--authority", metavar="CODE", required=True, help="LA code")
    when = children.add_mutually_exclusive_group(required=True)
    when.add_argument("--at", metavar="YYYY-MM-DD",
                      help="as `indicators --at`: on the date, or the 12 months to it")
    when.add_argument("--month", metavar="YYYY-MM", help="as a month of a monthly series")
    children.add_argument("--format", choices=("csv", "json"), default="csv")
    children.set_defaults(handler=run_children)


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

    comparing = args.compare or any(
        value is not None for value in (args.neighbours, args.published, args.targets))
    if comparing and not args.compare:
        raise UserError("--neighbours, --published and --targets go with --compare")
    if args.compare and not series:
        raise UserError("--compare works on a monthly series: give --from and --to")
    if args.compare and args.authority is None:
        raise UserError("--compare needs --authority CODE: the authority to compare")

    if series:
        first, last = parse_month("--from", args.first), parse_month("--to", args.last)
        # Read the options' files first, so a mistake in them is reported before the work.
        published = targets = None
        if args.compare:
            from childrenmatter.insight.compare import read_published
            from childrenmatter.insight.targets import load_targets

            targets = load_targets(args.targets)
            published = None if args.published is None else read_published(args.published)
        # England's figure needs every authority; without it, one authority is read alone.
        one = None if args.authority is None or args.compare else [args.authority]
        tables = read_dataset(args.dataset, tables=INDICATOR_TABLES, authorities=one)
        by_month = indicators_by_month(tables, first, last, authority=args.authority)
        if args.compare:
            _add_comparisons(by_month, tables, args, published, targets)
        _print(by_month, args.format, compared=args.compare)
    else:
        at = parse_date("--at", args.at)
        one = None if args.authority is None else [args.authority]
        tables = read_dataset(args.dataset, tables=INDICATOR_TABLES, authorities=one)
        figures = indicators_at(tables, at, authority=args.authority)
        _print({at.isoformat(): figures}, args.format, single=True)
    return 0


def _neighbour_codes(text: str) -> list[str]:
    codes = [code.strip() for code in text.split(",") if code.strip()]
    bad = [code for code in codes if not (code.isdigit() and len(code) == 3)]
    if not codes or bad:
        raise UserError(f"--neighbours: {text!r} is not a comma-separated list of 3-digit "
                        "LA codes")
    return codes


def _add_comparisons(by_month: dict[str, dict[str, dict[str, Any]]], tables, args,
                     published, targets) -> None:
    """Each figure gains england, neighbours, target and rag."""
    from childrenmatter.insight.compare import comparison

    neighbours = None if args.neighbours is None else _neighbour_codes(args.neighbours)
    rows = comparison(tables, authority=args.authority, months=list(by_month),
                      neighbours=neighbours, published=published, targets=targets)
    for row in rows.iter_rows(named=True):
        figure = by_month[row["period"]][row["indicator"]]
        figure.update({c: row[c] for c in COMPARE_COLUMNS})


def _print(by_period: dict[str, dict[str, dict[str, Any]]], fmt: str,
           single: bool = False, compared: bool = False) -> None:
    from childrenmatter.insight.indicators import REGISTRY

    extra = COMPARE_COLUMNS if compared else ()
    if fmt == "json":
        shown: Any = next(iter(by_period.values())) if single else by_period
        print(json.dumps(shown, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("period", "indicator", "unit", *CSV_COLUMNS, *extra))
        for period, figures in by_period.items():
            for name, figure in figures.items():
                values = ["" if figure.get(c) is None else figure[c]
                          for c in (*CSV_COLUMNS, *extra)]
                writer.writerow((period, name, REGISTRY[name].unit.value, *values))
    else:
        for period, figures in by_period.items():
            if not single:
                print(period)
            heading = f"{'indicator':<46}{'count':>8}{'value':>10}  unit"
            if compared:
                heading = (f"{heading:<80}{'England':>9}{'neighbours':>11}{'target':>8}"
                           "  RAG")
            print(heading)
            for name, figure in figures.items():
                line = _table_row(name, figure)
                if compared:
                    line = f"{line:<80}" + "".join(
                        f"{_shown(figure.get(c)):>{w}}" for c, w in (
                            ("england", 9), ("neighbours", 11), ("target", 8))
                    ) + f"  {figure.get('rag') or ''}"
                print(line.rstrip())


def _shown(value: Any) -> str:
    return "" if value is None else f"{value:.1f}"


def run_children(args: argparse.Namespace) -> int:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.insight.drilldown import children_behind
    from childrenmatter.insight.figures import parse_month
    from childrenmatter.insight.indicators import REGISTRY
    from childrenmatter.insight.registry import tables_needed

    if args.indicator not in REGISTRY:
        raise UserError(f"--indicator {args.indicator}: not an indicator (see "
                        "docs/indicators.md for their names)")
    at = None if args.at is None else parse_date("--at", args.at)
    month = None if args.month is None else f"{parse_month('--month', args.month):%Y-%m}"
    tables = read_dataset(args.dataset, tables=tables_needed([REGISTRY[args.indicator]]),
                          authorities=[args.authority])
    rows = children_behind(tables, indicator=args.indicator, authority=args.authority,
                           period=month, at=at)
    if args.format == "json":
        print(json.dumps(rows.to_dicts(), indent=2, default=str))
    else:
        sys.stdout.write(rows.write_csv())
    return 0


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
