"""Synthetic identities for the children a dataset holds, and the families around them.

The child-level dataset carries no names, addresses or NHS numbers (a return never does),
but screening a contact means finding a child by name, seeing the household and the
parents. So each loaded child gets a made-up name, and each household a made-up address
and one or two made-up adults, all:

- deterministic: drawn from a random generator seeded with the authority and the child's
  (or the household's first child's) identifier, so reloading a dataset gives the same
  names, and the demo's screenshots stay the same;
- synthetic: names from Faker's en_GB lists (common first and last names, never a real
  person's record), house numbers and streets made up from those names, postcodes shaped
  like the authority's area, and NHS numbers in the 999 range the NHS reserves for testing
  (never issued to a patient), with a valid modulus 11 check digit.

Households: the children named together on a contact are siblings in one household, and
so are the children linked through a chain of such contacts. A child never named with
another lives in a household of one child.

This module is plain Python (no Django), so it can be tested and reused on its own.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from faker.providers.person.en_GB import Provider as _Names

from childrenmatter.people.keys import nhs_check_digit

FIRST_NAMES = {"F": tuple(_Names.first_names_female), "M": tuple(_Names.first_names_male)}
LAST_NAMES = tuple(_Names.last_names)
STREET_ENDINGS = (
    "Road", "Street", "Avenue", "Close", "Grove", "Terrace", "Crescent", "Lane", "Drive",
    "Way", "Gardens", "Court", "Place", "Walk",
)
# Postcode districts of the authorities the demo and tests use, so addresses look local;
# any other authority gets districts of a made-up shape. Inward codes are random.
POSTCODE_DISTRICTS = {
    "806": ("TS1", "TS2", "TS3", "TS4", "TS5", "TS6", "TS7", "TS8"),  # Middlesbrough
    "805": ("TS24", "TS25", "TS26", "TS27"),  # Hartlepool
}
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # Royal Mail never uses C I K M O V in inward codes

# NHS numbers 999 000 0000 to 999 999 9999 are reserved for testing.
NHS_TEST_PREFIX = "999"
_NHS_SPACE = 1_000_000  # six free digits between the prefix and the check digit
_NHS_STEP = 104_729  # a prime, so stepping by it visits every number before repeating


@dataclass
class Adult:
    local_id: str
    given_name: str
    family_name: str
    sex: str
    date_of_birth: dt.date
    # How the adult is related to every child of the household: parent or household_member.
    kind: str
    nhs_number: str = ""


@dataclass
class Household:
    key: str  # the first child's identifier
    child_ids: list[str]
    family_name: str
    line_1: str
    town: str
    postcode: str
    moved_in: dt.date | None
    adults: list[Adult] = field(default_factory=list)


@dataclass
class ChildIdentity:
    given_name: str
    family_name: str
    nhs_number: str
    household: str


@dataclass(frozen=True)
class ChildFacts:
    child_id: str
    sex: str
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None


def _rng(*parts: str) -> random.Random:
    # Seeding with a string is stable across runs and Python versions (random's version 2).
    return random.Random(":".join(parts))


def nhs_numbers(la_code: str) -> Iterable[str]:
    """Valid NHS numbers in the testing range, all different, in an order set by ``la_code``.

    The range holds under a million valid numbers, so they are unique within an authority
    of any size the simulator makes, but two authorities' numbers can repeat.
    """
    start = _rng("nhs", la_code).randrange(_NHS_SPACE)
    for i in range(_NHS_SPACE):
        nine = f"{NHS_TEST_PREFIX}{(start + i * _NHS_STEP) % _NHS_SPACE:06d}"
        check = nhs_check_digit(nine)
        if check is not None:
            yield f"{nine}{check}"


def is_test_nhs_number(value: str) -> bool:
    return (
        len(value) == 10 and value.isdigit() and value.startswith(NHS_TEST_PREFIX)
        and nhs_check_digit(value[:9]) == int(value[9])
    )


def group_households(child_ids: Iterable[str], named_together: Iterable[Iterable[str]]
                     ) -> list[list[str]]:
    """The children in households: those named together (directly or through a chain of
    contacts) share one. Each household's children and the households are sorted."""
    parent: dict[str, str] = {c: c for c in child_ids}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for group in named_together:
        members = [c for c in group if c in parent]
        for other in members[1:]:
            a, b = root(members[0]), root(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    households: dict[str, list[str]] = {}
    for c in parent:
        households.setdefault(root(c), []).append(c)
    return sorted((sorted(members) for members in households.values()), key=lambda h: h[0])


def _postcode(rng: random.Random, la_code: str) -> str:
    districts = POSTCODE_DISTRICTS.get(la_code)
    if districts:
        district = rng.choice(districts)
    else:
        district = f"{rng.choice('BCDHLMNPSTW')}{rng.choice('ABDEHLNRSY')}{rng.randint(1, 30)}"
    letters = "".join(rng.choice(_INWARD_LETTERS) for _ in range(2))
    return f"{district} {rng.randint(0, 9)}{letters}"


def _given_name(rng: random.Random, sex: str) -> str:
    return rng.choice(FIRST_NAMES.get(sex) or FIRST_NAMES[rng.choice("FM")])


def _born(child: ChildFacts) -> dt.date | None:
    return child.date_of_birth or child.expected_date_of_birth


def make_identities(
    la_code: str,
    la_name: str,
    children: Iterable[ChildFacts],
    named_together: Iterable[Iterable[str]] = (),
) -> tuple[dict[str, ChildIdentity], list[Household]]:
    """A synthetic name and NHS number for every child, and the households they live in."""
    facts = {c.child_id: c for c in children}
    groups = group_households(facts, named_together)
    identities: dict[str, ChildIdentity] = {}
    households: list[Household] = []
    for members in groups:
        key = members[0]
        rng = _rng(la_code, "household", key)
        family_name = rng.choice(LAST_NAMES)
        street = f"{rng.choice(LAST_NAMES)} {rng.choice(STREET_ENDINGS)}"
        births = [b for b in (_born(facts[c]) for c in members) if b is not None]
        eldest = min(births) if births else None
        household = Household(
            key=key,
            child_ids=members,
            family_name=family_name,
            line_1=f"{rng.randint(1, 180)} {street}",
            town=la_name,
            postcode=_postcode(rng, la_code),
            moved_in=eldest,
        )
        # One or two adults: a mother, and often a father or the mother's partner.
        reference = eldest or dt.date(2010, 1, 1)
        mother_age = rng.randint(18, 40)
        household.adults.append(Adult(
            local_id=f"{key}-P1",
            given_name=_given_name(rng, "F"),
            family_name=family_name,
            sex="F",
            date_of_birth=reference - dt.timedelta(days=365 * mother_age + rng.randint(0, 364)),
            kind="parent",
        ))
        if rng.random() < 0.55:
            partner_is_parent = rng.random() < 0.7
            household.adults.append(Adult(
                local_id=f"{key}-P2",
                given_name=_given_name(rng, "M"),
                family_name=family_name if partner_is_parent else rng.choice(LAST_NAMES),
                sex="M",
                date_of_birth=reference - dt.timedelta(
                    days=365 * (mother_age + rng.randint(0, 8)) + rng.randint(0, 364)),
                kind="parent" if partner_is_parent else "household_member",
            ))
        households.append(household)
        for child_id in members:
            child_rng = _rng(la_code, "child", child_id)
            identities[child_id] = ChildIdentity(
                given_name=_given_name(child_rng, facts[child_id].sex),
                family_name=family_name,
                nhs_number="",
                household=key,
            )

    # NHS numbers last, in one sorted order, so that they are all different.
    numbers = iter(nhs_numbers(la_code))
    people: list[tuple[str, object]] = [(c, identities[c]) for c in identities]
    people += [(a.local_id, a) for h in households for a in h.adults]
    for _, person in sorted(people, key=lambda p: p[0]):
        person.nhs_number = next(numbers)  # type: ignore[attr-defined]
    return identities, households
