"""``childrenmatter pack``: the councillors' monthly briefing pack (docs/pack.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from childrenmatter.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pack",
        help="the monthly briefing pack (PDF, XLSX or HTML)",
        description="The monthly briefing pack for councillors and the improvement board: "
        "headline figures with RAG, then a page per service area with 24-month trends, "
        "England and neighbours, and commentary. The format is the --out file's ending.",
    )
    parser.add_argument("--dataset", metavar="DIR", required=True, action="append",
                        help="dataset folder; give it again to put folders of the same "
                        "authority together (one read from the 903, one from the CIN census)")
    parser.add_argument("--month", metavar="YYYY-MM", required=True,
                        help="the month the pack reports")
    parser.add_argument("--out", metavar="FILE", required=True,
                        help="FILE.pdf, FILE.xlsx or FILE.html")
    parser.add_argument("--authority", metavar="CODE",
                        help="LA code (needed when the dataset holds several authorities)")
    parser.add_argument("--commentary", metavar="FILE",
                        help="commentary by area: FILE.yml (area_key: text) or FILE.md "
                        "(## area_key before each area's text)")
    parser.add_argument("--published", metavar="FILE.csv",
                        help="published figures: period,indicator,area,value")
    parser.add_argument("--targets", metavar="FILE.yml", help="targets and RAG thresholds")
    parser.add_argument("--neighbours", metavar="CODES",
                        help="statistical neighbours, LA codes separated by commas (default: "
                        "the authority's own list in the dataset)")
    parser.set_defaults(handler=run_pack)


def run_pack(args: argparse.Namespace) -> int:
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.insight.compare import read_published
    from childrenmatter.insight.pack import (
        FORMATS,
        PACK_TABLES,
        build_pack,
        combine_datasets,
        read_commentary,
        write_pack,
    )
    from childrenmatter.insight.targets import load_targets

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UserError(f"--out {out}: the file must end .pdf, .xlsx or .html")
    # Every input is checked before the data is read, so a mistake is found in a moment.
    commentary = read_commentary(args.commentary) if args.commentary else {}
    published = read_published(args.published) if args.published else None
    targets = load_targets(args.targets) if args.targets else None
    neighbours = None
    if args.neighbours is not None:
        neighbours = [code.strip() for code in args.neighbours.split(",") if code.strip()]
    for folder in args.dataset:
        if not Path(folder).is_dir():
            raise UserError(f"--dataset {folder}: no such folder")
    tables = combine_datasets([read_dataset(folder, tables=PACK_TABLES)
                               for folder in args.dataset])
    data = build_pack(tables, authority=args.authority, month=args.month,
                      commentary=commentary, fmt=fmt, published=published, targets=targets,
                      neighbours=neighbours)
    write_pack(out, data)
    print(f"wrote the {args.month} pack to {out} ({len(data):,} bytes)")
    return 0
