import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childrenmatter.clocks.rules import (
    OVERRIDES_VARIABLE,
    RULES,
    Unit,
    add_months,
    due_date,
    get_rule,
    overrides_from_environment,
    rules_with_overrides,
)
from childrenmatter.errors import UserError

NAMED_RULES = [
    "contact_decision",
    "referral_decision",
    "assessment",
    "icpc",
    "first_core_group",
    "first_rcpc",
    "next_rcpc",
    "first_cla_review",
    "second_cla_review",
    "next_cla_review",
    "cla_visit_first",
    "cla_visit_next",
    "cp_visit",
    "cin_visit",
    "pathway_plan_review",
    "return_interview",
    "care_proceedings",
]


@pytest.mark.parametrize("name", NAMED_RULES)
def test_every_named_rule_exists_and_is_due_after_its_start(name):
    rule = RULES[name]
    assert rule.name == name
    assert rule.description and rule.basis
    assert rule.amount >= 1
    assert due_date(name, dt.date(2020, 12, 24)) > dt.date(2020, 12, 24)


def test_the_defaults_are_the_ones_in_the_domain_notes():
    amounts = {name: (rule.unit, rule.amount) for name, rule in RULES.items()}
    assert amounts["contact_decision"] == (Unit.WORKING_DAYS, 1)
    assert amounts["assessment"] == (Unit.WORKING_DAYS, 45)
    assert amounts["icpc"] == (Unit.WORKING_DAYS, 15)
    assert amounts["first_core_group"] == (Unit.WORKING_DAYS, 10)
    assert amounts["first_rcpc"] == (Unit.MONTHS, 3)
    assert amounts["first_cla_review"] == (Unit.WORKING_DAYS, 20)
    assert amounts["cla_visit_first"] == (Unit.CALENDAR_DAYS, 7)
    assert amounts["cla_visit_next"] == (Unit.WEEKS, 6)
    assert amounts["cp_visit"] == (Unit.WORKING_DAYS, 10)
    assert amounts["cin_visit"] == (Unit.WORKING_DAYS, 20)
    assert amounts["return_interview"] == (Unit.HOURS, 72)
    assert amounts["care_proceedings"] == (Unit.WEEKS, 26)


def test_rules_cannot_be_changed_in_place():
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES["cin_visit"].amount = 15
    with pytest.raises(TypeError):
        RULES["cin_visit"] = RULES["cp_visit"]


def test_a_referral_decision_on_christmas_eve_is_due_after_the_bank_holidays():
    assert due_date("referral_decision", dt.date(2020, 12, 24)) == dt.date(2020, 12, 29)


def test_an_icpc_is_due_15_working_days_after_a_strategy_discussion_before_easter():
    # Good Friday 2 Apr and Easter Monday 5 Apr 2021 do not count.
    assert due_date("icpc", dt.date(2021, 3, 29)) == dt.date(2021, 4, 21)


def test_a_review_three_months_after_31_january_is_on_the_last_day_of_april():
    assert due_date("first_rcpc", dt.date(2021, 1, 31)) == dt.date(2021, 4, 30)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2021, 1, 31), 1, dt.date(2021, 2, 28)),
        (dt.date(2020, 1, 31), 1, dt.date(2020, 2, 29)),
        (dt.date(2020, 8, 31), 6, dt.date(2021, 2, 28)),
        (dt.date(2020, 11, 30), 3, dt.date(2021, 2, 28)),
        (dt.date(2020, 12, 15), 1, dt.date(2021, 1, 15)),
        (dt.date(2020, 3, 31), -1, dt.date(2020, 2, 29)),
    ],
)
def test_adding_months_keeps_the_day_or_clamps_it_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


@given(start=st.dates(min_value=dt.date(2000, 1, 1)), months=st.integers(0, 120))
def test_adding_months_lands_in_the_right_month_and_never_later_in_it(start, months):
    due = add_months(start, months)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    assert due.day <= start.day


def test_a_return_interview_from_a_moment_is_due_72_hours_later():
    returned = dt.datetime(2021, 3, 5, 22, 15)
    assert due_date("return_interview", returned) == dt.datetime(2021, 3, 8, 22, 15)


def test_a_return_interview_from_a_date_counts_from_midnight():
    assert due_date("return_interview", dt.date(2021, 3, 5)) == dt.date(2021, 3, 8)


def test_a_working_day_rule_from_a_moment_gives_a_date():
    assert due_date("referral_decision", dt.datetime(2020, 12, 24, 16, 0)) == dt.date(2020, 12, 29)


def test_care_proceedings_are_due_26_weeks_after_the_application():
    assert due_date("care_proceedings", dt.date(2021, 1, 4)) == dt.date(2021, 7, 5)


def test_an_authority_can_set_its_own_amount_for_a_rule():
    # Friday 4 Jun 2021: 15 working days is Friday 25 Jun; the default 20 is 2 Jul.
    assert due_date("cin_visit", dt.date(2021, 6, 4)) == dt.date(2021, 7, 2)
    overrides = {"cin_visit": 15}
    assert due_date("cin_visit", dt.date(2021, 6, 4), overrides=overrides) == dt.date(2021, 6, 25)
    assert due_date(RULES["cin_visit"], dt.date(2021, 6, 4), overrides=overrides) == dt.date(
        2021, 6, 25
    )
    assert rules_with_overrides(overrides)["cin_visit"].amount == 15
    assert RULES["cin_visit"].amount == 20


def test_overrides_for_other_rules_leave_a_rule_alone():
    assert due_date("cp_visit", dt.date(2021, 6, 4), overrides={"cin_visit": 15}) == dt.date(
        2021, 6, 18
    )


def test_an_unknown_rule_is_refused_with_the_list_of_rules():
    with pytest.raises(UserError, match="unknown clock rule 'cin_vist'") as raised:
        due_date("cin_vist", dt.date(2021, 6, 4))
    assert all(name in str(raised.value) for name in NAMED_RULES)
    with pytest.raises(UserError, match="cin_visit"):
        get_rule("nope")


@pytest.mark.parametrize("overrides", [{"cin_vist": 15}, {"cin_visit": 0}, {"cin_visit": True}])
def test_a_bad_override_is_refused(overrides):
    with pytest.raises(UserError):
        due_date("cp_visit", dt.date(2021, 6, 4), overrides=overrides)


def test_overrides_are_read_from_the_environment():
    environ = {OVERRIDES_VARIABLE: "cin_visit=15, cp_visit=10,"}
    assert overrides_from_environment(environ) == {"cin_visit": 15, "cp_visit": 10}
    assert overrides_from_environment({}) == {}


def test_overrides_default_to_the_process_environment(monkeypatch):
    monkeypatch.setenv(OVERRIDES_VARIABLE, "assessment=40")
    assert overrides_from_environment() == {"assessment": 40}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cin_visit", "not in the form RULE=AMOUNT"),
        ("cin_visit=fifteen", "not in the form RULE=AMOUNT"),
        ("cin_visit=-1", "not in the form RULE=AMOUNT"),
        ("cin_visit=0", "1 or more"),
        ("cin_vist=15", "unknown clock rule 'cin_vist'"),
    ],
)
def test_a_bad_override_in_the_environment_is_refused_naming_the_variable(text, message):
    with pytest.raises(UserError, match=message) as raised:
        overrides_from_environment({OVERRIDES_VARIABLE: text})
    assert str(raised.value).startswith(OVERRIDES_VARIABLE)
