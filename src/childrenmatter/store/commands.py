"""``childrenmatter load``, ``extract`` and ``demo-front-door``: the dataset in and out of the
operational store, and the demo's live front door.

Django is set up inside each handler, so ``childrenmatter --help`` never pays for it.
"""

from __future__ import annotations

import argparse
import re
import time

from childrenmatter.errors import UserError


def _authority_code(value: str) -> str:
    if not re.fullmatch(r"\d{3}", value):
        raise argparse.ArgumentTypeError(f"{value!r}: an LA code is three digits, as in 806")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    load = subparsers.add_parser(
        "load",
        help="load a child-level dataset into the operational store",
        description="Load the authorities, population, children (with synthetic names, "
        "households and NHS numbers in the testing range), contacts, referrals and early help "
        "episodes of a dataset folder into the store, one transaction per authority. The "
        "dataset is checked first: one with any problem loads nothing.",
    )
    load.add_argument("--dataset", required=True, metavar="DIR", help="dataset folder")
    load.add_argument("--authority", action="extend", nargs="+", type=_authority_code,
                      metavar="CODE", help="load only these authorities (default: all)")
    load.add_argument("--replace", action="store_true",
                      help="replace the records of an authority the store already holds")
    load.add_argument("--skip-unchanged", action="store_true",
                      help="with --replace: leave an authority loaded from identical files")
    load.set_defaults(handler=run_load)

    extract = subparsers.add_parser(
        "extract",
        help="write the child-level dataset from the operational store",
        description="Write every table of the dataset from the store (the tables the store "
        "does not hold yet are written empty), whole or not at all.",
    )
    extract.add_argument("--out", required=True, metavar="DIR", help="dataset folder to write")
    extract.add_argument("--authority", action="extend", nargs="+", type=_authority_code,
                         metavar="CODE", help="extract only these authorities (default: all)")
    extract.set_defaults(handler=run_extract)

    demo = subparsers.add_parser(
        "demo-front-door",
        help="set up the demo's users and fresh undecided contacts dated today",
        description="Create (or reset) one demo account per role and print their passwords, "
        "and record fresh contacts received today so the front door queue shows live clocks.",
    )
    demo.add_argument("--authority", default="806", type=_authority_code, metavar="CODE",
                      help="LA code (default: 806, Middlesbrough)")
    demo.add_argument("--contacts", type=int, default=12, metavar="N",
                      help="fresh contacts to record (default 12; none when today has enough)")
    demo.add_argument("--url", default="http://127.0.0.1:8000/", help="where it is served")
    demo.set_defaults(handler=run_demo_front_door)


def _setup_django() -> None:
    from childrenmatter.config.webcommands import _setup_django as setup

    setup()


def run_load(args: argparse.Namespace) -> int:
    if args.skip_unchanged and not args.replace:
        raise UserError("--skip-unchanged goes with --replace")
    _setup_django()
    from childrenmatter.store.load import load_dataset

    started = time.perf_counter()
    reports = load_dataset(args.dataset, authorities=args.authority, replace=args.replace,
                           skip_unchanged=args.skip_unchanged, say=lambda m: print(m, flush=True))
    loaded = [r for r in reports if not r.skipped]
    if loaded:
        total = sum(r.total for r in loaded)
        seconds = time.perf_counter() - started
        print(f"loaded {total:,} rows from {args.dataset} in {seconds:.1f} s "
              f"({total / seconds:,.0f} rows/s)")
    return 0


def run_extract(args: argparse.Namespace) -> int:
    _setup_django()
    from childrenmatter.store.extract import extract_dataset

    started = time.perf_counter()
    tables = extract_dataset(args.out, authorities=args.authority)
    counts = ", ".join(f"{name} {frame.height:,}" for name, frame in tables.items()
                       if frame.height)
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f} s: {counts}")
    return 0


def run_demo_front_door(args: argparse.Namespace) -> int:
    if args.contacts < 0:
        raise UserError(f"--contacts {args.contacts}: must be 0 or more")
    _setup_django()
    from django.core.exceptions import ValidationError

    from childrenmatter.store.demo import open_front_door, set_up_demo_users

    users = set_up_demo_users(la_code=args.authority)
    try:
        contacts = open_front_door(la_code=args.authority, count=args.contacts)
    except ValidationError as error:  # pragma: no cover - the demo's own data is valid
        raise UserError(f"could not record the demo's contacts: {error}") from error
    if contacts:
        print(f"Recorded {len(contacts)} fresh contacts for {args.authority}, received today")
    else:
        print(f"The front door of {args.authority} already has today's contacts")
    print(f"Sign in at {args.url} as:")
    for user in users:
        print(f"  {user.username:16} ({user.role}) with the password {user.password}")
    return 0
