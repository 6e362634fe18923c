"""Finding a person: ranked candidates, each with the reasons it matched.

Two steps, so that a search stays fast with a million people on PostgreSQL and still works
on SQLite:

1. **Candidates by indexed lookups ("blocking").** A handful of small queries, each on an
   index and each capped: the NHS number; the date of birth and the date with day and month
   swapped; the family name's phonetic key with the given name's key (or the key of a
   nickname, or of the full name a nickname is short for); the same keys swapped round (a
   referrer who wrote the names the wrong way round); each name's key within a year or so
   of the date of birth (a typo in the other name and in the date); the postcode; and other
   names (aliases, previous names). A person with one mistyped detail is still found by the
   details that are right.
2. **Scoring in Python.** Each candidate is compared field by field, and every comparison
   that adds to the score says why in words a practitioner can check ("Date of birth
   matches with day and month swapped").

Merged records are never candidates: the record they were merged into carries their names
as other names, and is found instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from django.db import connection
from rapidfuzz.distance import JaroWinkler, Levenshtein

from childrenmatter.people.keys import (
    name_key,
    nhs_number_digits,
    normalise,
    postcode_key,
    swapped_day_and_month,
)
from childrenmatter.people.models import NameKind, Person, PersonName
from childrenmatter.people.nicknames import nickname_reason, related_names

# A candidate scoring at least this is a "strong match": creating a new record for someone
# with a strong match needs the user to confirm it is a different person.
STRONG_MATCH = 60
# Below this a candidate is not worth showing.
WORTH_SHOWING = 20

# How many rows each lookup may bring back; enough for the commonest name in a large
# authority within a year of a date of birth, few enough to score quickly.
_BLOCK_LIMIT = 300
# Dates a few days either side of the one typed (a slip across a digit boundary, 09 -> 10).
_NEAR_DAYS = 3


class Row(NamedTuple):
    """The columns scoring needs: cheaper to fetch and compare than whole records."""

    pk: int
    given_name: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str
    postcode_key: str


class OtherNameRow(NamedTuple):
    person_id: int
    kind: str
    given_name: str
    family_name: str


_ROW_COLUMNS = ("pk", "given_name", "family_name", "date_of_birth", "nhs_number",
                "postcode_key")


@dataclass(frozen=True)
class Query:
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    postcode: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.given_name.strip() or self.family_name.strip() or self.date_of_birth
                    or self.nhs_number.strip() or self.postcode.strip())


@dataclass
class Candidate:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def is_strong(self) -> bool:
        return self.score >= STRONG_MATCH

    @property
    def strength(self) -> str:
        if self.is_strong:
            return "Strong match"
        return "Possible match" if self.score >= 40 else "Weak match"


# --- Scoring ------------------------------------------------------------------------------

_WEIGHTS = {
    "Given name": {"exact": 20, "nickname": 17, "sounds": 15, "typo": 13, "initial": 5,
                   "differs": -5},
    "Family name": {"exact": 25, "nickname": 0, "sounds": 19, "typo": 17, "initial": 4,
                    "differs": -8},
}


# Names repeat (thousands of Smiths), so each pair of spellings is compared once.
@lru_cache(maxsize=65536)
def _compare_name(searched: str, recorded: str, label: str, scale: str) -> tuple[int, str]:
    """Points and a reason for one name (both as typed and recorded); ``label`` names the
    name in the reason, ``scale`` says whose weights to use."""
    weights = _WEIGHTS[scale]
    s, r = normalise(searched), normalise(recorded)
    if not s or not r:
        return 0, ""
    if s == r:
        return weights["exact"], f"{label} matches"
    if weights["nickname"]:
        reason = nickname_reason(s, r)
        if reason:
            return weights["nickname"], reason
    if name_key(s) == name_key(r):
        return weights["sounds"], f"{label} sounds like {recorded}"
    close = Levenshtein.distance(s, r) <= (1 if len(r) <= 4 else 2)
    if close or JaroWinkler.similarity(s, r) >= 0.9:
        return weights["typo"], f"{label} is spelt like {recorded} (a likely typo)"
    if len(s) == 1 and r.startswith(s):
        return weights["initial"], f"{label} initial matches"
    return weights["differs"], ""


def _compare_names(given: str, family: str, rec_given: str, rec_family: str,
                   ) -> tuple[int, list[str]]:
    g, g_reason = _compare_name(given, rec_given, "Given name", "Given name")
    f, f_reason = _compare_name(family, rec_family, "Family name", "Family name")
    straight = g + f
    reasons = [r for r in (g_reason, f_reason) if r]
    # The referrer may have written the names the wrong way round.
    sg, _ = _compare_name(given, rec_family, "Given name", "Family name")
    sf, _ = _compare_name(family, rec_given, "Family name", "Given name")
    if sg > 0 and sf > 0 and sg + sf - 3 > straight:
        return sg + sf - 3, ["First and last names swapped"]
    return straight, reasons


def _dates_one_digit_apart(a: date, b: date) -> bool:
    return Levenshtein.distance(a.strftime("%Y%m%d"), b.strftime("%Y%m%d")) == 1


def _compare_dob(searched: date | None, recorded: date | None) -> tuple[int, str]:
    if searched is None or recorded is None:
        return 0, ""
    if searched == recorded:
        return 30, "Date of birth matches"
    if (searched.year, searched.month, searched.day) == (recorded.year, recorded.day,
                                                         recorded.month):
        return 24, "Date of birth matches with day and month swapped"
    if _dates_one_digit_apart(searched, recorded):
        return 14, f"Date of birth differs by one digit ({recorded:%d/%m/%Y})"
    if abs((searched - recorded).days) <= 2:
        return 10, f"Date of birth is within 2 days ({recorded:%d/%m/%Y})"
    return -15, ""


def score(query: Query, person, other_names=()) -> Candidate:
    """How well ``person`` (a Person or a Row, with their other names: PersonName or
    OtherNameRow) fits what was searched for."""
    points, reasons = 0.0, []

    nhs = nhs_number_digits(query.nhs_number)
    if nhs and person.nhs_number:
        if nhs == person.nhs_number:
            points += 60
            reasons.append("NHS number matches")
        else:
            points -= 40

    best, best_reasons = _compare_names(query.given_name, query.family_name,
                                        person.given_name, person.family_name)
    for other in other_names:
        alias, alias_reasons = _compare_names(query.given_name, query.family_name,
                                              other.given_name or person.given_name,
                                              other.family_name or person.family_name)
        if alias > best:
            best = alias
            text = f"{other.given_name} {other.family_name}".strip()
            best_reasons = [f"{NameKind(other.kind).label}: {text}"] + alias_reasons
    points += best
    reasons += best_reasons

    dob_points, dob_reason = _compare_dob(query.date_of_birth, person.date_of_birth)
    points += dob_points
    if dob_reason:
        reasons.append(dob_reason)

    postcode = postcode_key(query.postcode)
    if postcode and person.postcode_key == postcode:
        points += 10
        reasons.append("Postcode matches")
    return Candidate(person=person, score=points, reasons=reasons)


# --- Candidates ---------------------------------------------------------------------------


def _given_keys(given: str) -> set[str]:
    plain = normalise(given)
    keys = {name_key(plain)} if plain else set()
    keys |= {name_key(name) for name in related_names(plain)}
    keys.discard("")
    return keys


def _dates_to_try(dob: date) -> list[date]:
    dates = [dob]
    swapped = swapped_day_and_month(dob.day, dob.month)
    if swapped:
        # Day and month are both 12 or less, so the swapped date always exists.
        dates.append(date(dob.year, swapped[1], swapped[0]))
    return dates


def _dates_one_digit_away(dob: date) -> list[date]:
    """Every real date that differs from ``dob`` in one digit of its year's last two, its
    month or its day: the dates a slip of the finger turns it into."""
    text = dob.strftime("%Y%m%d")
    found = set()
    for position in (2, 3, 4, 5, 6, 7):
        for digit in "0123456789":
            if digit == text[position]:
                continue
            changed = text[:position] + digit + text[position + 1:]
            try:
                found.add(date(int(changed[:4]), int(changed[4:6]), int(changed[6:])))
            except ValueError:
                continue
    return sorted(found)


def _dates_near(dob: date) -> list[date]:
    """The date typed, with day and month swapped, one digit away, or a few days out."""
    near = set(_dates_to_try(dob)) | set(_dates_one_digit_away(dob))
    near |= {dob + timedelta(days=n) for n in range(-_NEAR_DAYS, _NEAR_DAYS + 1)}
    return sorted(near)


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _blocks(query: Query, la_codes: list[str]) -> list[tuple[str, list]]:
    """The indexed lookups for ``query``: each SQL selecting person ids, with its params.

    Written as SQL rather than through the ORM because compiling a dozen querysets took
    longer than running them.
    """
    person, name = Person._meta.db_table, PersonName._meta.db_table
    codes = list(la_codes)
    blocks: list[tuple[str, list]] = []

    def people(condition: str, *params) -> None:
        blocks.append((
            f"SELECT id FROM {person} WHERE merged_into_id IS NULL AND la_code IN ({_in(codes)})"
            f" AND {condition} LIMIT {_BLOCK_LIMIT}",
            [*codes, *params],
        ))

    def names(condition: str, *params) -> None:
        blocks.append((
            f"SELECT n.person_id FROM {name} n JOIN {person} p ON p.id = n.person_id "
            f"WHERE p.merged_into_id IS NULL AND n.la_code IN ({_in(codes)}) AND {condition} "
            f"LIMIT {_BLOCK_LIMIT}",
            [*codes, *params],
        ))

    nhs = nhs_number_digits(query.nhs_number)
    if nhs:
        people("nhs_number = %s", nhs)
    dob = query.date_of_birth
    if dob:
        dates = _dates_to_try(dob)
        people(f"date_of_birth IN ({_in(dates)})", *dates)
    family = name_key(query.family_name)
    given = sorted(_given_keys(query.given_name))
    near = _dates_near(dob) if dob else []
    if family and given:
        people(f"family_key = %s AND given_key IN ({_in(given)})", family, *given)
        people(f"family_key IN ({_in(given)}) AND given_key = %s", *given, family)
        names(f"n.family_key = %s AND n.given_key IN ({_in(given)})", family, *given)
        names("n.family_key = %s AND n.given_key = ''", family)
    # One name right and the date of birth right or nearly: a typo in the other name.
    if family and near:
        people(f"family_key = %s AND date_of_birth IN ({_in(near)})", family, *near)
    if given and near:
        people(f"given_key IN ({_in(given)}) AND date_of_birth IN ({_in(near)})",
               *given, *near)
    if family and not given and not dob:
        people("family_key = %s", family)
        names("n.family_key = %s", family)
    if given and not family and not dob:
        people(f"given_key IN ({_in(given)})", *given)
    postcode = postcode_key(query.postcode)
    if postcode:
        people("postcode_key = %s", postcode)
    return blocks


def _candidates(query: Query, la_codes: list[str]) -> tuple[list[Row], dict]:
    """The rows to score and their other names, in one round trip to the database.

    Each lookup keeps its own cap, so the lookups are joined with UNION of subqueries
    rather than one OR (which would share a single cap and lose the small blocks).
    """
    statement = candidate_sql(query, la_codes)
    if statement is None:
        return [], {}
    sql, params = statement
    rows: dict[int, Row] = {}
    other_names: dict[int, list[OtherNameRow]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, given, family, dob, nhs, postcode, kind, other_given, other_family in cursor:
            if isinstance(dob, str):  # SQLite hands raw dates back as text
                dob = date.fromisoformat(dob)
            rows[pk] = Row(pk, given, family, dob, nhs, postcode)
            if kind:
                other_names.setdefault(pk, []).append(
                    OtherNameRow(pk, kind, other_given, other_family))
    return list(rows.values()), other_names


def candidate_sql(query: Query, la_codes: list[str]) -> tuple[str, list] | None:
    """The one statement that fetches every candidate with their other names (None when
    the query gives nothing to look up). The benchmark EXPLAINs it."""
    blocks = _blocks(query, la_codes)
    if not blocks:
        return None
    parts, params = [], []
    for number, (sql, block_params) in enumerate(blocks):
        parts.append(f"SELECT * FROM ({sql}) AS block_{number}")
        params.extend(block_params)
    person, name = Person._meta.db_table, PersonName._meta.db_table
    sql = (
        f"SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.nhs_number, "
        f"p.postcode_key, n.kind, n.given_name, n.family_name "
        f"FROM {person} p LEFT JOIN {name} n ON n.person_id = p.id "
        f"WHERE p.id IN ({' UNION '.join(parts)})"
    )
    return sql, params


def find_people(
    *, la_codes, given_name: str = "", family_name: str = "", date_of_birth: date | None = None,
    nhs_number: str = "", postcode: str = "", limit: int = 10,
) -> list[Candidate]:
    """The people in ``la_codes`` who may be the one described, best first.

    Only the authorities given are searched: pass the user's (``authorities_where``).
    Restricted records are included: the caller shows them only to the people named on
    them (``people.access.visible_people``).
    """
    query = Query(given_name.strip(), family_name.strip(), date_of_birth,
                  nhs_number.strip(), postcode.strip())
    if query.is_empty or not la_codes:
        return []
    rows, other_names = _candidates(query, list(la_codes))
    return rank(query, rows, other_names, limit=limit)


def rank(query: Query, rows: list[Row], other_names: dict, *, limit: int = 10,
         ) -> list[Candidate]:
    scored = [score(query, row, other_names.get(row.pk, ())) for row in rows]
    shown = [c for c in scored if c.score >= WORTH_SHOWING]
    shown.sort(key=lambda c: (-c.score, c.person.family_name, c.person.given_name, c.person.pk))
    shown = shown[:limit]
    # Whole records only for the few shown.
    people = Person.objects.in_bulk([c.person.pk for c in shown])
    for candidate in shown:
        candidate.person = people[candidate.person.pk]
    return shown
