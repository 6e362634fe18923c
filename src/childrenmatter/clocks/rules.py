"""Statutory and local timescales, by name, and the due date each one sets.

The amounts are the defaults from statute, statutory guidance, or common local practice.
An authority sets its own by overriding the amount for a rule name, never by editing
this table: ``due_date(RULES["cin_visit"], start, overrides={"cin_visit": 15})``. The
command line reads the same overrides from ``CHILDRENMATTER_CLOCK_OVERRIDES``.
"""

from __future__ import annotations

import calendar as month_calendar
import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from childrenmatter.clocks.calendar import add_working_days
from childrenmatter.errors import UserError

OVERRIDES_VARIABLE = "CHILDRENMATTER_CLOCK_OVERRIDES"

_WORKING_TOGETHER = "Working Together to Safeguard Children 2023"
_CARE_PLANNING = "Care Planning, Placement and Case Review (England) Regulations 2010"


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"

    def describe(self, amount: int) -> str:
        words = self.value.replace("_", " ")
        return f"{amount} {words.removesuffix('s') if amount == 1 else words}"


@dataclasses.dataclass(frozen=True)
class Rule:
    name: str
    description: str
    unit: Unit
    amount: int
    basis: str

    def __str__(self) -> str:
        return f"{self.name} ({self.unit.describe(self.amount)})"


def _rules(*rules: Rule) -> Mapping[str, Rule]:
    return MappingProxyType({rule.name: rule for rule in rules})


RULES: Mapping[str, Rule] = _rules(
    Rule(
        "contact_decision",
        "Decide what happens to a contact, from the day it is received",
        Unit.WORKING_DAYS,
        1,
        "Local standard",
    ),
    Rule(
        "referral_decision",
        "Decide the response to a referral, from the day it is received",
        Unit.WORKING_DAYS,
        1,
        _WORKING_TOGETHER,
    ),
    Rule(
        "assessment",
        "Authorise the child and family assessment, from the referral",
        Unit.WORKING_DAYS,
        45,
        _WORKING_TOGETHER,
    ),
    Rule(
        "icpc",
        "Hold the initial child protection conference, from the strategy discussion",
        Unit.WORKING_DAYS,
        15,
        _WORKING_TOGETHER,
    ),
    Rule(
        "first_core_group",
        "Hold the first core group, from the initial child protection conference",
        Unit.WORKING_DAYS,
        10,
        f"{_WORKING_TOGETHER}; local standard",
    ),
    Rule(
        "first_rcpc",
        "Hold the first review child protection conference, from the initial conference",
        Unit.MONTHS,
        3,
        _WORKING_TOGETHER,
    ),
    Rule(
        "next_rcpc",
        "Hold the next review child protection conference, from the last review",
        Unit.MONTHS,
        6,
        _WORKING_TOGETHER,
    ),
    Rule(
        "first_cla_review",
        "Hold the first looked-after review, from the day the child came into care",
        Unit.WORKING_DAYS,
        20,
        f"{_CARE_PLANNING}, regulation 33",
    ),
    Rule(
        "second_cla_review",
        "Hold the second looked-after review, from the first",
        Unit.MONTHS,
        3,
        f"{_CARE_PLANNING}, regulation 33",
    ),
    Rule(
        "next_cla_review",
        "Hold the next looked-after review, from the last",
        Unit.MONTHS,
        6,
        f"{_CARE_PLANNING}, regulation 33",
    ),
    Rule(
        "cla_visit_first",
        "Visit a looked-after child, from the start of a placement",
        Unit.CALENDAR_DAYS,
        7,
        f"{_CARE_PLANNING}, regulation 28",
    ),
    Rule(
        "cla_visit_next",
        "Visit a looked-after child again in the first year of a placement, from the last visit",
        Unit.WEEKS,
        6,
        f"{_CARE_PLANNING}, regulation 28",
    ),
    Rule(
        "cp_visit",
        "Visit a child on a child protection plan, from the last visit",
        Unit.WORKING_DAYS,
        10,
        "Local standard",
    ),
    Rule(
        "cin_visit",
        "Visit a child on a child in need plan, from the last visit",
        Unit.WORKING_DAYS,
        20,
        "Local standard",
    ),
    Rule(
        "pathway_plan_review",
        "Review a care leaver's pathway plan, from the last review",
        Unit.MONTHS,
        6,
        "Care Leavers (England) Regulations 2010, regulation 7",
    ),
    Rule(
        "return_interview",
        "Offer a return interview, from the child's return from a missing episode",
        Unit.HOURS,
        72,
        "Statutory guidance on children who run away or go missing from home or care (2014)",
    ),
    Rule(
        "care_proceedings",
        "Finish care proceedings, from the day the application is issued",
        Unit.WEEKS,
        26,
        "Children Act 1989, section 32, as amended by the Children and Families Act 2014",
    ),
)


def _unknown_rule(name: str) -> UserError:
    return UserError(f"unknown clock rule {name!r}; the rules are: {', '.join(RULES)}")


def get_rule(name: str) -> Rule:
    """The rule called ``name``, or a ``UserError`` listing the rules there are."""
    try:
        return RULES[name]
    except KeyError:
        raise _unknown_rule(name) from None


def _check_overrides(overrides: Mapping[str, int]) -> None:
    for name, amount in overrides.items():
        if name not in RULES:
            raise _unknown_rule(name)
        # bool is an int, and True would quietly mean 1.
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
            raise UserError(f"clock rule {name}: the amount must be a whole number of 1 or more")


def rules_with_overrides(overrides: Mapping[str, int] | None = None) -> Mapping[str, Rule]:
    """Every rule, with the local amounts in ``overrides`` in place of the defaults."""
    if not overrides:
        return RULES
    _check_overrides(overrides)
    return _rules(
        *(
            dataclasses.replace(rule, amount=overrides[name]) if name in overrides else rule
            for name, rule in RULES.items()
        )
    )


def overrides_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """Local amounts from ``CHILDRENMATTER_CLOCK_OVERRIDES``, e.g. ``cin_visit=15,cp_visit=10``."""
    text = (os.environ if environ is None else environ).get(OVERRIDES_VARIABLE, "")
    overrides: dict[str, int] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        name, equals, amount = item.partition("=")
        name, amount = name.strip(), amount.strip()
        if not equals or not (amount.isascii() and amount.isdigit()):
            raise UserError(
                f"{OVERRIDES_VARIABLE}: {item.strip()!r} is not in the form RULE=AMOUNT, "
                "e.g. cin_visit=15"
            )
        overrides[name] = int(amount)
    try:
        _check_overrides(overrides)
    except UserError as error:
        raise UserError(f"{OVERRIDES_VARIABLE}: {error}") from None
    return overrides


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, or that month's last day if shorter.

    So 31 January + 1 month is 28 February (29th in a leap year), not 2 or 3 March: a
    review "within 3 months" must not drift past the end of the month it falls in.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = month_calendar.monthrange(year, month)[1]
    return start.replace(year=year, month=month, day=min(start.day, last_day))


def due_date(
    rule: Rule | str, start: dt.date, *, overrides: Mapping[str, int] | None = None
) -> dt.date:
    """The date by which ``rule`` must be met, counting from ``start``.

    ``overrides`` maps rule names to local amounts in the rule's own unit. Hours are
    counted from ``start`` as a moment: a datetime gives a datetime, and a date counts
    from its midnight and gives the date on which the hours run out. Every other unit
    gives a date.
    """
    if isinstance(rule, str):
        rule = get_rule(rule)
    if overrides:
        _check_overrides(overrides)
        if rule.name in overrides:
            rule = dataclasses.replace(rule, amount=overrides[rule.name])

    if rule.unit is Unit.HOURS:
        if isinstance(start, dt.datetime):
            return start + dt.timedelta(hours=rule.amount)
        midnight = dt.datetime.combine(start, dt.time())
        return (midnight + dt.timedelta(hours=rule.amount)).date()

    day = start.date() if isinstance(start, dt.datetime) else start
    match rule.unit:
        case Unit.WORKING_DAYS:
            return add_working_days(day, rule.amount)
        case Unit.CALENDAR_DAYS:
            return day + dt.timedelta(days=rule.amount)
        case Unit.WEEKS:
            return day + dt.timedelta(weeks=rule.amount)
        case Unit.MONTHS:
            return add_months(day, rule.amount)
    raise AssertionError(f"no due date arithmetic for unit {rule.unit}")
