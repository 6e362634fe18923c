"""Synthetic identities: made up, repeatable, and shaped like the real thing."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from childrenmatter.people.keys import is_postcode, is_valid_nhs_number
from childrenmatter.store.identities import (
    ChildFacts,
    group_households,
    is_test_nhs_number,
    make_identities,
    nhs_numbers,
)


def facts(*child_ids: str, born=dt.date(2012, 5, 1)) -> list[ChildFacts]:
    return [ChildFacts(c, "F" if i % 2 else "M", born, None) for i, c in enumerate(child_ids)]


@settings(deadline=None, max_examples=20)
@given(st.from_regex(r"[0-9]{3}", fullmatch=True))
def test_nhs_numbers_are_valid_in_the_testing_range_and_never_repeat_in_an_authority(la_code):
    numbers = list(itertools.islice(nhs_numbers(la_code), 5_000))

    assert all(n.startswith("999") and is_valid_nhs_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_a_number_outside_the_testing_range_is_not_a_test_number():
    assert not is_test_nhs_number("9434765919")  # valid, but could be a real patient's
    assert is_test_nhs_number(next(iter(nhs_numbers("806"))))


@given(st.lists(st.lists(st.sampled_from("ABCDEFGHIJ"), min_size=1, max_size=3), max_size=6))
def test_children_named_together_share_a_household_and_every_child_has_exactly_one(groups):
    households = group_households("ABCDEFGHIJ", groups)

    where = {child: i for i, members in enumerate(households) for child in members}
    assert sorted(where) == list("ABCDEFGHIJ")
    assert sum(len(h) for h in households) == 10
    for group in groups:
        assert len({where[c] for c in group}) == 1


def test_a_chain_of_contacts_makes_one_household():
    assert group_households("ABCD", [["A", "B"], ["B", "C"]]) == [["A", "B", "C"], ["D"]]


def test_the_same_children_get_the_same_names_every_time():
    first = make_identities("806", "Middlesbrough", facts("C1", "C2", "C3"), [["C1", "C2"]])
    again = make_identities("806", "Middlesbrough", facts("C1", "C2", "C3"), [["C1", "C2"]])

    assert first == again


def test_another_authoritys_child_with_the_same_identifier_gets_another_name():
    ours, _ = make_identities("806", "Middlesbrough", facts(*[f"C{i}" for i in range(20)]))
    theirs, _ = make_identities("805", "Hartlepool", facts(*[f"C{i}" for i in range(20)]))

    assert [i.given_name for i in ours.values()] != [i.given_name for i in theirs.values()]


def test_a_household_has_one_or_two_adults_old_enough_to_be_parents_and_a_local_address():
    children, households = make_identities(
        "806", "Middlesbrough", facts(*[f"C{i}" for i in range(200)]))

    for household in households:
        assert 1 <= len(household.adults) <= 2
        assert household.town == "Middlesbrough"
        assert household.postcode.startswith("TS") and is_postcode(household.postcode)
        for adult in household.adults:
            assert adult.date_of_birth < dt.date(2012, 5, 1) - dt.timedelta(days=365 * 18)
            assert adult.kind in ("parent", "household_member")
    assert any(len(h.adults) == 2 for h in households)
    assert any(len(h.adults) == 1 for h in households)
    everyone = [c.nhs_number for c in children.values()]
    everyone += [a.nhs_number for h in households for a in h.adults]
    assert len(set(everyone)) == len(everyone)


def test_an_unborn_child_gets_a_name_and_parents_dated_from_the_expected_birth():
    unborn = [ChildFacts("U1", "U", None, dt.date(2019, 2, 1))]

    children, (household,) = make_identities("806", "Middlesbrough", unborn)

    assert children["U1"].given_name
    assert household.adults[0].date_of_birth < dt.date(2001, 2, 1)
