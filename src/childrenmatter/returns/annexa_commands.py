"""``childrenmatter returns write|read|validate annex-a``: Ofsted's Annex A workbook."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def register_annex_a(write_kinds: argparse._SubParsersAction,
                     read_kinds: argparse._SubParsersAction,
                     validate_kinds: argparse._SubParsersAction) -> None:
    write = write_kinds.add_parser(
        "annex-a", help="Ofsted's Annex A workbook (.xlsx)",
        description="The Annex A lists 1 to 11 as they stood on the date given, for the six "
        "months before it (twelve for care leavers and adoption), one sheet per list, "
        "written whole or not at all.")
    write.add_argument("--dataset", required=True, metavar="DIR", help="dataset folder")
    write.add_argument("--at", required=True, type=_day, metavar="YYYY-MM-DD",
                       help="the day the lists are drawn up (the start of the inspection)")
    write.add_argument("--authority", metavar="CODE",
                       help="LA code (needed when the dataset holds several authorities)")
    write.add_argument("--out", required=True, metavar="FILE.xlsx", help="file to write")
    write.set_defaults(handler=run_write_annex_a)

    read = read_kinds.add_parser(
        "annex-a", help="an Annex A workbook",
        description="A child-level dataset from an Annex A workbook. A workbook with any "
        "problem `returns validate annex-a` would report is refused, and nothing is written.")
    read.add_argument("path", metavar="FILE.xlsx", help="the workbook")
    read.add_argument("--la-code", required=True, metavar="CODE",
                      help="DfE three-digit code of the authority (the workbook does not say)")
    read.add_argument("--la-name", metavar="NAME", help="the authority's name")
    read.add_argument("--out", required=True, metavar="DIR", help="dataset folder to write")
    read.set_defaults(handler=run_read_annex_a)

    validate = validate_kinds.add_parser(
        "annex-a", help="an Annex A workbook",
        description="Every problem with the workbook: missing sheets, wrong or missing "
        "headers, dates that are not dates, labels the template does not have, blanks, dates "
        "out of order, a child listed twice. Exit status 1 if any, 2 if it cannot be read.")
    validate.add_argument("path", metavar="FILE.xlsx", help="the workbook")
    validate.add_argument("--format", choices=("table", "csv", "json"), default="table")
    validate.set_defaults(handler=run_validate_annex_a)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def run_write_annex_a(args: argparse.Namespace) -> int:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.returns.annexa import ANNEX_A_TABLES, annex_a_lists, workbook_bytes
    from childrenmatter.returns.files import replace_file

    tables = read_dataset(args.dataset, tables=ANNEX_A_TABLES,
                          authorities=None if args.authority is None else [args.authority])
    lists = annex_a_lists(tables, args.at, authority=args.authority)
    data = workbook_bytes(lists)
    target = replace_file(args.out, data)
    counts = ", ".join(f"{name} {frame.height:,}" for name, frame in lists.items())
    print(f"wrote Annex A at {args.at:%d/%m/%Y} to {target}: {counts}")
    return 0


def run_read_annex_a(args: argparse.Namespace) -> int:
    from childrenmatter.returns.annexa_read import read_annex_a
    from childrenmatter.returns.store import save_dataset

    tables = read_annex_a(args.path, la_code=args.la_code, la_name=args.la_name)
    target = save_dataset(tables, Path(args.out))
    counts = ", ".join(f"{name} {frame.height:,}" for name, frame in tables.items())
    print(f"read Annex A into {target}: {counts}")
    return 0


def run_validate_annex_a(args: argparse.Namespace) -> int:
    from childrenmatter.returns.annexa_read import validate_annex_a
    from childrenmatter.returns.findings import render

    findings = validate_annex_a(args.path)
    print(render(findings, args.format))
    return 1 if findings else 0
