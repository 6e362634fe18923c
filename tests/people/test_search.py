"""Finding a person: typos, nicknames, swapped names and dates, NHS number, postcode."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from people_builders import person

from childrenmatter.people import actions
from childrenmatter.people.search import find_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_staff):
    return make_staff("front_door_practitioner", la_codes=["806", "805"])


def ids(candidates):
    return [c.person.pk for c in candidates]


def test_a_misspelt_family_name_finds_the_child_and_says_why(worker):
    child = person(worker, given_name="Robert", family_name="Smith")
    found = find_people(la_codes=["806"], given_name="Robert", family_name="Smyth",
                        date_of_birth=date(2014, 3, 12))
    assert ids(found)[0] == child.pk
    assert "Family name sounds like Smith" in found[0].reasons
    assert "Date of birth matches" in found[0].reasons


def test_a_nickname_finds_the_full_name(worker):
    child = person(worker, given_name="Robert", family_name="Smith")
    found = find_people(la_codes=["806"], given_name="Bob", family_name="Smith",
                        date_of_birth=date(2014, 3, 12))
    assert ids(found)[0] == child.pk
    assert "Known as Bob (nickname of Robert)" in found[0].reasons


def test_names_written_the_wrong_way_round_are_found(worker):
    child = person(worker, given_name="Jade", family_name="Hughes")
    found = find_people(la_codes=["806"], given_name="Hughes", family_name="Jade")
    assert ids(found)[0] == child.pk
    assert "First and last names swapped" in found[0].reasons


def test_a_date_with_day_and_month_swapped_is_found(worker):
    child = person(worker, given_name="Amira", family_name="Khan", date_of_birth=date(2015, 4, 7))
    found = find_people(la_codes=["806"], family_name="Khan", date_of_birth=date(2015, 7, 4))
    assert ids(found)[0] == child.pk
    assert "Date of birth matches with day and month swapped" in found[0].reasons


def test_an_nhs_number_alone_finds_the_child(worker):
    child = person(worker, nhs_number="943 476 5919")
    found = find_people(la_codes=["806"], nhs_number="9434765919")
    assert ids(found) == [child.pk]
    assert found[0].reasons == ["NHS number matches"]


def test_a_postcode_with_a_name_finds_the_child(worker):
    child = person(worker, given_name="Leah", family_name="Price", date_of_birth=None,
                   address_line_1="1 High Street", postcode="TS1 2AB")
    found = find_people(la_codes=["806"], family_name="Price", postcode="ts12ab")
    assert ids(found)[0] == child.pk
    assert "Postcode matches" in found[0].reasons


def test_an_other_name_is_found_like_the_current_one(worker):
    child = person(worker, given_name="Ella", family_name="Turner")
    actions.add_other_name(actor=worker, person=child, family_name="Walsh", kind="previous")
    found = find_people(la_codes=["806"], given_name="Ella", family_name="Walsh",
                        date_of_birth=date(2014, 3, 12))
    assert ids(found)[0] == child.pk
    assert found[0].reasons[0] == "Previous name: Walsh"


def test_only_the_authorities_asked_about_are_searched(worker):
    person(worker, la_code="806", given_name="Robert", family_name="Smith")
    assert find_people(la_codes=["805"], given_name="Robert", family_name="Smith") == []


def test_a_merged_record_is_not_found_but_the_record_it_was_merged_into_is(make_staff):
    manager = make_staff("team_manager")
    kept = person(manager, given_name="Robert", family_name="Smith")
    merged = person(manager, given_name="Rob", family_name="Smith")
    actions.merge_people(actor=manager, kept=kept, merged=merged, reason="Same child")
    found = find_people(la_codes=["806"], given_name="Rob", family_name="Smith",
                        date_of_birth=date(2014, 3, 12))
    assert merged.pk not in ids(found)
    assert ids(found)[0] == kept.pk


def test_an_empty_search_finds_no_one(worker):
    person(worker)
    assert find_people(la_codes=["806"]) == []


# --- A person with realistic errors is found in the top 5 --------------------------------

GIVEN = ["Oliver", "Amelia", "Jack", "Olivia", "Harry", "Isla", "George", "Emily", "Thomas",
         "Sophie", "William", "Jessica", "James", "Charlotte", "Samuel", "Katherine", "Robert",
         "Elizabeth", "Daniel", "Rebecca"]
FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
          "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
          "Hall", "Wood", "Jackson", "Clarke"]
NICKNAMES = {"Thomas": "Tom", "William": "Bill", "James": "Jim", "Samuel": "Sam",
             "Katherine": "Kate", "Robert": "Bob", "Elizabeth": "Liz", "Daniel": "Danny",
             "Rebecca": "Becky", "Charlotte": "Lottie", "Jessica": "Jess", "Oliver": "Ollie"}


@pytest.fixture
def population(worker):
    """300 children with common names, so that near misses compete with the right one."""
    rng = random.Random(3)
    people = []
    for n in range(300):
        people.append(person(
            worker, given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY),
            date_of_birth=date(2008, 1, 1).fromordinal(
                date(2008, 1, 1).toordinal() + rng.randrange(18 * 365)),
            local_id=f"T{n}",
        ))
    return people


def typo(name: str, position: int, kind: str) -> str:
    i = 1 + position % (len(name) - 2)
    if kind == "drop":
        return name[:i] + name[i + 1:]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + ("x" if name[i] != "x" else "z") + name[i + 1:]


def one_digit_out(day: int) -> int:
    """A day of the month one keystroke away that exists in the same month (never past
    the day it came from, unless 28 or less)."""
    if day % 10 and day - 1 >= 1:
        return day - 1
    if (day + 1) % 10 and day + 1 <= 28:
        return day + 1
    return day - 10


@given(st.integers(1, 31))
def test_one_digit_out_is_a_real_day_one_digit_away(day):
    wrong = one_digit_out(day)
    assert 1 <= wrong <= max(day - 1, 28)
    assert sum(a != b for a, b in zip(f"{day:02d}", f"{wrong:02d}", strict=True)) == 1


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.integers(0, 299),
    error=st.sampled_from(["family typo", "given typo", "nickname", "swapped names",
                           "swapped day and month", "wrong digit in the day",
                           "family typo and swapped day and month"]),
    position=st.integers(0, 20),
    kind=st.sampled_from(["drop", "double", "swap", "wrong"]),
)
def test_a_person_with_a_realistic_error_is_found_in_the_top_5(population, which, error,
                                                              position, kind):
    target = population[which]
    given_name, family_name, born = target.given_name, target.family_name, target.date_of_birth
    if error == "family typo":
        family_name = typo(family_name, position, kind)
    elif error == "given typo":
        given_name = typo(given_name, position, kind)
    elif error == "nickname":
        given_name = NICKNAMES.get(given_name, given_name)
    elif error == "swapped names":
        given_name, family_name = family_name, given_name
    elif error == "wrong digit in the day":
        born = born.replace(day=one_digit_out(born.day))
    elif error == "family typo and swapped day and month":
        family_name = typo(family_name, position, kind)
        if born.day <= 12:
            born = date(born.year, born.day, born.month)
    elif born.day <= 12:
        born = date(born.year, born.day, born.month)
    found = find_people(la_codes=["806"], given_name=given_name, family_name=family_name,
                        date_of_birth=born)
    assert target.pk in ids(found)[:5], (given_name, family_name, born, found[:5])
