"""``childrenmatter returns``: write, read and validate the statutory returns."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "returns",
        help="statutory returns: SSDA903 and the CIN census",
        description="Write the DfE's returns from a child-level dataset, read another "
        "system's returns into a dataset, and check returns against the DfE's rules.",
    )
    actions = parser.add_subparsers(dest="returns_action", metavar="ACTION",
                                    parser_class=type(parser))
    actions.required = True

    write = actions.add_parser("write", help="write a return from a dataset")
    write_kinds = write.add_subparsers(dest="kind", metavar="RETURN", parser_class=type(parser))
    write_kinds.required = True
    w903 = write_kinds.add_parser(
        "903", help="SSDA903 CSV files (children looked after)",
        description="The SSDA903 CSV files for the collection year ending 31 March YYYY, "
        "written to OUTDIR whole or not at all.")
    _dataset_options(w903)
    w903.add_argument("--out", required=True, metavar="OUTDIR", help="folder to write")
    w903.set_defaults(handler=run_write_903)

    wcin = write_kinds.add_parser(
        "cin", help="CIN census XML",
        description="The CIN census XML for the collection year ending 31 March YYYY, in "
        "that year's schema, written whole or not at all.")
    _dataset_options(wcin)
    wcin.add_argument("--out", required=True, metavar="FILE.xml", help="file to write")
    wcin.set_defaults(handler=run_write_cin)

    wapi = write_kinds.add_parser(
        "dfe-api", help="DfE children's social care data API payloads (JSON)",
        description="One JSON file per batch of at most 100 children, one folder per "
        "authority, as the DfE's children's social care data API schema defines them; "
        "written whole or not at all.")
    wapi.add_argument("--dataset", required=True, metavar="DIR", help="dataset folder")
    wapi.add_argument("--authority", metavar="CODE",
                      help="LA code (default: every authority the dataset holds)")
    wapi.add_argument("--out", required=True, metavar="OUTDIR", help="folder to write")
    wapi.set_defaults(handler=run_write_dfe_api)

    read = actions.add_parser("read", help="read returns into a dataset")
    read_kinds = read.add_subparsers(dest="kind", metavar="RETURN", parser_class=type(parser))
    read_kinds.required = True
    r903 = read_kinds.add_parser(
        "903", help="SSDA903 CSV files (one folder a year)",
        description="A child-level dataset from SSDA903 CSV files: a folder of one year's "
        "files for each PATH; several years may be given.")
    r903.add_argument("paths", nargs="+", metavar="PATH", help="a folder of one year's CSVs")
    r903.add_argument("--out", required=True, metavar="DIR", help="dataset folder to write")
    r903.add_argument("--la-code", required=True, metavar="CODE",
                      help="DfE three-digit code of the authority (the files do not say)")
    r903.add_argument("--la-name", metavar="NAME", help="the authority's name")
    r903.set_defaults(handler=run_read_903)
    rcin = read_kinds.add_parser(
        "cin", help="a CIN census XML file",
        description="A child-level dataset from a CIN census XML file (read safely: DTDs and "
        "entities are refused).")
    rcin.add_argument("path", metavar="FILE.xml", help="the census file")
    rcin.add_argument("--out", required=True, metavar="DIR", help="dataset folder to write")
    rcin.add_argument("--la-name", metavar="NAME", help="the authority's name")
    rcin.set_defaults(handler=run_read_cin)

    validate = actions.add_parser(
        "validate", help="check a return against the DfE's rules",
        description="Every problem found, with rule code, table, row, child, field and the "
        "DfE's message. Exit status 1 if any, 2 if the files cannot be read.")
    validate_kinds = validate.add_subparsers(dest="kind", metavar="RETURN",
                                             parser_class=type(parser))
    validate_kinds.required = True
    v903 = validate_kinds.add_parser("903", help="a folder of one year's SSDA903 CSV files")
    _validate_options(v903, "folder of one year's 903 CSV files")
    v903.add_argument("--previous", metavar="LASTYEAR",
                      help="last year's folder of 903 files: also check the rules comparing "
                           "the two years (202-208, 502-503J, 562, 576)")
    v903.set_defaults(handler=run_validate_903)
    vcin = validate_kinds.add_parser("cin", help="a CIN census XML file")
    _validate_options(vcin, "the census file")
    vcin.set_defaults(handler=run_validate_cin)

    # Ofsted's Annex A (issue 5): its subcommands live beside its code.
    from childrenmatter.returns.annexa_commands import register_annex_a

    register_annex_a(write_kinds, read_kinds, validate_kinds)


def _validate_options(parser: argparse.ArgumentParser, path_help: str) -> None:
    parser.add_argument("path", metavar="PATH", help=path_help)
    parser.add_argument("--year", type=_year, metavar="YYYY",
                        help="the collection year (default: from the folder's name or dates)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _dataset_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", required=True, metavar="DIR", help="dataset folder")
    parser.add_argument("--year", required=True, type=_year, metavar="YYYY",
                        help="the collection year, named by the 31 March it ends on")
    parser.add_argument("--authority", metavar="CODE",
                        help="LA code (needed when the dataset holds several authorities)")


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year YYYY")
    return int(text)


RETURN_903_TABLES = ("authorities", "children", "episodes", "cla_reviews", "missing_episodes",
                     "adoption", "care_leaver_contacts", "allocations")


def run_write_903(args: argparse.Namespace) -> int:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.returns.files import replace_folder
    from childrenmatter.returns.ssda903 import check_year, write_903, write_903_files

    check_year(args.year)
    tables = read_dataset(args.dataset, tables=RETURN_903_TABLES,
                          authorities=None if args.authority is None else [args.authority])
    return_903 = write_903(tables, args.year, authority=args.authority)
    target = replace_folder(args.out, lambda folder: write_903_files(return_903, folder))
    counts = ", ".join(f"{name} {frame.height:,}" for name, frame in return_903.items())
    print(f"wrote SSDA903 {args.year - 1}-{args.year % 100:02d} to {target}: {counts}")
    return 0


def run_read_903(args: argparse.Namespace) -> int:
    from childrenmatter.returns.read903 import read_903
    from childrenmatter.returns.store import save_dataset

    tables = read_903(args.paths, la_code=args.la_code, la_name=args.la_name)
    target = save_dataset(tables, Path(args.out))
    counts = ", ".join(f"{name} {frame.height:,}" for name, frame in tables.items())
    print(f"read SSDA903 into {target}: {counts}")
    return 0


def run_write_cin(args: argparse.Namespace) -> int:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.returns.cin import CIN_TABLES, check_year, write_cin
    from childrenmatter.returns.files import replace_file

    check_year(args.year)
    tables = read_dataset(args.dataset, tables=CIN_TABLES,
                          authorities=None if args.authority is None else [args.authority])
    xml = write_cin(tables, args.year, authority=args.authority)
    target = replace_file(args.out, xml)
    print(f"wrote the CIN census {args.year - 1}-{args.year % 100:02d} to {target} "
          f"({len(xml):,} bytes)")
    return 0


def run_read_cin(args: argparse.Namespace) -> int:
    from childrenmatter.returns.readcin import read_cin
    from childrenmatter.returns.store import save_dataset

    tables = read_cin(args.path, la_name=args.la_name)
    target = save_dataset(tables, Path(args.out))
    counts = ", ".join(f"{name} {frame.height:,}" for name, frame in tables.items())
    print(f"read the CIN census into {target}: {counts}")
    return 0


def run_validate_903(args: argparse.Namespace) -> int:
    from childrenmatter.returns.findings import render
    from childrenmatter.returns.validate903 import validate_903

    _, findings = validate_903(args.path, args.year, previous=args.previous)
    print(render(findings, args.format))
    return 1 if findings else 0


def run_validate_cin(args: argparse.Namespace) -> int:
    from childrenmatter.returns.findings import render
    from childrenmatter.returns.validatecin import validate_cin

    _, findings = validate_cin(args.path, args.year)
    print(render(findings, args.format))
    return 1 if findings else 0


def run_write_dfe_api(args: argparse.Namespace) -> int:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.returns.dfeapi import DFE_API_TABLES, dfe_api_payloads, write_dfe_api_files
    from childrenmatter.returns.files import replace_folder

    tables = read_dataset(args.dataset, tables=DFE_API_TABLES,
                          authorities=None if args.authority is None else [args.authority])
    written: list[str] = []

    def fill(folder: Path) -> None:
        for la_code, batches in dfe_api_payloads(tables, authority=args.authority):
            (folder / la_code).mkdir()
            write_dfe_api_files(batches, folder / la_code)
            children = sum(len(batch) for batch in batches)
            written.append(f"{la_code}: {children:,} children in {len(batches):,} batches")

    target = replace_folder(args.out, fill)
    print(f"wrote DfE API payloads to {target}: " + "; ".join(written))
    return 0
