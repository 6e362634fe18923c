"""Search keys: names and postcodes reduced to what survives the ways people mistype them.

A name is normalised (accents, case, spaces, hyphens and apostrophes removed: "O'Brien"
and "obrien" are the same) and reduced to its Metaphone key, so that spellings that sound
alike share a key ("Smith", "Smyth"; "Catherine", "Katherine"). Metaphone rather than
NYSIIS because NYSIIS keeps vowels that people mistype (Smith SNAT, Smyth SNYT). The keys
are indexed columns, so finding candidates is a lookup, not a scan (``people.search``).

NHS numbers are checked with their modulus 11 check digit (NHS Data Dictionary, "NHS
Number"): weights 10 down to 2 on the first nine digits, 11 minus the remainder is the
check digit, 11 means 0, and 10 means the number is not valid.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

KEY_LENGTH = 20  # the width of the *_key columns


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Lower case ASCII letters only: "Zoë O'Brien-Smith" -> "zoeobriensmith"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The phonetic key of a name ("" for a blank one)."""
    plain = normalise(name)
    if not plain:
        return ""
    return jellyfish.metaphone(plain)[:KEY_LENGTH] or plain[:KEY_LENGTH]


def postcode_key(postcode: str) -> str:
    """A postcode without spaces, upper case: " ts1 2ab" -> "TS12AB"."""
    return re.sub(r"[^A-Z0-9]", "", (postcode or "").upper())[:8]


def format_postcode(postcode: str) -> str:
    """A postcode as Royal Mail writes it: the inward code (last three) after a space."""
    key = postcode_key(postcode)
    return f"{key[:-3]} {key[-3:]}" if len(key) > 3 else key


_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def is_postcode(postcode: str) -> bool:
    return bool(_POSTCODE.match(postcode_key(postcode)))


def nhs_number_digits(value: str) -> str:
    """The digits of an NHS number as typed ("943 476 5919" -> "9434765919")."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no check digit can make them valid."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    digits = nhs_number_digits(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def swapped_day_and_month(day: int, month: int) -> tuple[int, int] | None:
    """The date with day and month read the other way round, if that is a different date
    that could exist (12/03 <-> 03/12; 25/03 has no swap)."""
    if day == month or day > 12:
        return None
    return month, day
