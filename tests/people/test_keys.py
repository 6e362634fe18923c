"""Search keys and identifiers: the rules that make a mistyped detail still findable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from childrenmatter.people.keys import (
    format_postcode,
    is_postcode,
    is_valid_nhs_number,
    name_key,
    nhs_check_digit,
    normalise,
    postcode_key,
)
from childrenmatter.people.nicknames import nickname_reason, related_names


def test_names_that_sound_alike_share_a_key():
    assert name_key("Smith") == name_key("Smyth")
    assert name_key("Catherine") == name_key("Katherine")
    assert name_key("Mohammed") == name_key("Muhammad")


def test_punctuation_accents_and_case_do_not_change_a_name():
    assert normalise("Zoë O'Brien-Smith") == "zoeobriensmith"
    assert name_key("O'BRIEN") == name_key("obrien")


def test_a_known_good_nhs_number_passes_and_a_mistyped_one_fails():
    assert is_valid_nhs_number("943 476 5919")
    assert not is_valid_nhs_number("943 476 5918")
    assert not is_valid_nhs_number("94347659")


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_an_nhs_number_is_valid_exactly_when_its_last_digit_is_the_modulus_11_check(first):
    check = nhs_check_digit(first)
    for last in "0123456789":
        assert is_valid_nhs_number(first + last) == (check is not None and int(last) == check)


@given(nine_digits, st.integers(0, 8), st.integers(1, 9))
def test_changing_any_one_digit_of_a_valid_nhs_number_makes_it_invalid(first, position, bump):
    check = nhs_check_digit(first)
    if check is None:
        return
    number = first + str(check)
    wrong = number[:position] + str((int(number[position]) + bump) % 10) + number[position + 1:]
    assert not is_valid_nhs_number(wrong)


def test_postcodes_are_compared_without_spaces_or_case():
    assert postcode_key(" ts1 2ab ") == "TS12AB"
    assert format_postcode("ts12ab") == "TS1 2AB"
    assert is_postcode("TS1 2AB") and not is_postcode("not a postcode")


def test_a_nickname_finds_the_full_name_and_says_so():
    assert "robert" in related_names("bob")
    assert "rob" in related_names("bob")  # another nickname of the same name
    assert nickname_reason("bob", "robert") == "Known as Bob (nickname of Robert)"
    assert nickname_reason("bob", "susan") is None
