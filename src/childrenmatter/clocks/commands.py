"""``childrenmatter clocks``: statutory timescales from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from childrenmatter.clocks.rules import (
    OVERRIDES_VARIABLE,
    RULES,
    due_date,
    get_rule,
    overrides_from_environment,
    rules_with_overrides,
)
from childrenmatter.errors import UserError

_LOCAL_SETTINGS = (
    f"An authority's own amounts come from the environment variable {OVERRIDES_VARIABLE}, "
    "e.g. cin_visit=15,cp_visit=10 (each amount in the rule's own unit)."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "clocks",
        help="statutory timescales: due dates and the rules behind them",
        description="Statutory and local timescales, counted in working days of England and "
        "Wales where the guidance says so. " + _LOCAL_SETTINGS,
    )
    clock_commands = parser.add_subparsers(dest="clocks_command", metavar="CLOCKS_COMMAND")
    clock_commands.required = True

    due = clock_commands.add_parser(
        "due",
        help="the due date for a rule from a start date",
        description="Print the date a timescale runs out, as YYYY-MM-DD. Working days start "
        "counting the day after the start date: a referral decision from 2020-12-24 is due on "
        "2020-12-29. " + _LOCAL_SETTINGS,
    )
    due.add_argument(
        "--rule",
        required=True,
        metavar="RULE",
        help=f"one of: {', '.join(RULES)} (see 'childrenmatter clocks rules')",
    )
    due.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar="YYYY-MM-DD",
        help="the start date: the referral, strategy discussion, placement start, last visit, etc.",
    )
    due.set_defaults(handler=run_due)

    rules = clock_commands.add_parser(
        "rules",
        help="list the rules and their amounts",
        description="List every timescale rule with its amount, including local settings. "
        + _LOCAL_SETTINGS,
    )
    rules.set_defaults(handler=run_rules)


def parse_date(option: str, text: str) -> dt.date:
    # fromisoformat alone also takes 20201224 and 2020-W52-4; the contract is YYYY-MM-DD.
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: {text!r} is not a date in the form YYYY-MM-DD") from None


def run_due(args: argparse.Namespace) -> int:
    rule = get_rule(args.rule)
    start = parse_date("--from", args.start)
    print(due_date(rule, start, overrides=overrides_from_environment()).isoformat())
    return 0


def run_rules(args: argparse.Namespace) -> int:
    overrides = overrides_from_environment()
    rules = rules_with_overrides(overrides)
    name_width = max(len(name) for name in rules)
    for name, rule in rules.items():
        timescale = rule.unit.describe(rule.amount)
        local = " (local setting)" if name in overrides else ""
        print(f"{name:<{name_width}}  {timescale + local:<34}  {rule.description}")
    return 0
