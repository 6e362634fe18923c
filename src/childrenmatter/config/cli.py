"""The ``childrenmatter`` command line.

Subcommand names and options are a contract other tools rely on: add, never rename.
Each part of the system registers its own subcommands in a ``commands`` module with a
``register(subparsers)`` function; handlers take the parsed arguments and return an exit
status. A ``UserError`` becomes one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from childrenmatter.errors import UserError

COMMAND_MODULES = (
    "childrenmatter.simulator.commands",
    "childrenmatter.insight.commands",
    "childrenmatter.insight.packcommands",
    "childrenmatter.clocks.commands",
    "childrenmatter.dataset.commands",
    "childrenmatter.returns.commands",
    "childrenmatter.config.webcommands",
    "childrenmatter.store.commands",
    "childrenmatter.api.commands",
    "childrenmatter.accounts.commands",
    "childrenmatter.dashboards.commands",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="childrenmatter",
        description="Children Matter: children's social care records, returns and insight.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as error:
        print(f"childrenmatter: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
