"""Spotting records that may be the same person, for a manager to merge or set aside.

The same two steps as search (``people.search``): people who share a block (the date of
birth, or the date with day and month swapped, alone or with a name key; both name keys;
the NHS number) are compared, each pair scored as if one record were a search for the
other. Pairs scoring as a strong match become ``PossibleDuplicate`` rows; a pair already
decided (merged, or "not the same person") is not raised again.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from django.db import transaction

from childrenmatter.people.models import Person, PersonName, PossibleDuplicate
from childrenmatter.people.search import STRONG_MATCH, Query, _dates_to_try, score

# A block bigger than this (a very common name with no other detail) is too loose to mean
# anything: its pairs would be noise.
_BLOCK_CAP = 50


def _blocks(person: Person) -> list[tuple]:
    keys = []
    if person.nhs_number:
        keys.append(("nhs", person.nhs_number))
    if person.family_key and person.given_key:
        keys.append(("names", person.family_key, person.given_key))
        # The same two names written the other way round share this key too.
        keys.append(("names", *sorted((person.family_key, person.given_key))))
    if person.date_of_birth:
        for day in _dates_to_try(person.date_of_birth):
            # The date alone catches a nickname with a typo (Kate Thomson, Katherine
            # Thompson) where no name key is shared; the block cap keeps it small.
            keys.append(("dob", day))
            if person.family_key:
                keys.append(("dob+family", day, person.family_key))
            if person.given_key:
                keys.append(("dob+given", day, person.given_key))
    return keys


def pair_score(a: Person, b: Person, b_names=()):
    query = Query(a.given_name, a.family_name, a.date_of_birth, a.nhs_number,
                  a.postcode_key)
    return score(query, b, list(b_names))


@transaction.atomic
def find_possible_duplicates(*, la_code: str) -> list[PossibleDuplicate]:
    """Record the pairs of current people in ``la_code`` who may be the same person.

    Returns the pairs newly found (already-known pairs are left as they are).
    """
    people = list(Person.objects.current().filter(la_code=la_code))
    by_block: dict[tuple, list[Person]] = defaultdict(list)
    for person in people:
        for key in set(_blocks(person)):
            by_block[key].append(person)
    other_names: dict[int, list[PersonName]] = defaultdict(list)
    for name in PersonName.objects.filter(la_code=la_code):
        other_names[name.person_id].append(name)

    pairs: dict[tuple[int, int], tuple[Person, Person]] = {}
    for members in by_block.values():
        if 1 < len(members) <= _BLOCK_CAP:
            for a, b in combinations(members, 2):
                low, high = sorted((a, b), key=lambda p: p.pk)
                pairs[(low.pk, high.pk)] = (low, high)
    known = set(
        PossibleDuplicate.objects.filter(la_code=la_code).values_list("person_a", "person_b")
    )
    found = []
    for (a_id, b_id), (a, b) in sorted(pairs.items()):
        if (a_id, b_id) in known:
            continue
        match = pair_score(a, b, other_names[b.pk])
        if match.score < STRONG_MATCH:
            continue
        found.append(PossibleDuplicate.objects.create(
            la_code=la_code, person_a=a, person_b=b, score=match.score, reasons=match.reasons,
        ))
    return found
