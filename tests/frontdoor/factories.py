"""Small helpers to put a contact and its children in the store for a test."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from childrenmatter.frontdoor.actions import ReportedChild, record_contact
from childrenmatter.people.models import Person

_numbers = itertools.count(1)


def make_person(la_code: str = "806", given: str = "Amy", family: str = "Smith",
                dob: dt.date = dt.date(2015, 3, 1), **fields) -> Person:
    # The people app owns how people are created (with its checks for possible matches);
    # a test only needs a row to point at, with the keys search finds it by.
    from childrenmatter.people.keys import name_key

    return Person.objects.create(
        la_code=la_code, local_id=f"P{next(_numbers):06d}", given_name=given,
        family_name=family, date_of_birth=dob, given_key=name_key(given),
        family_key=name_key(family), **fields,
    )


def make_contact(actor, la_code: str = "806", *, people=(), unmatched=0,
                 received_at: dt.datetime | None = None, source: str = "2A",
                 is_domestic_abuse: bool = False, summary: str = "Child arrived hungry"):
    children = [
        ReportedChild(p.given_name, p.family_name, p.date_of_birth, person=p) for p in people
    ] + [ReportedChild(f"Child{i}", "Unknown") for i in range(unmatched)]
    return record_contact(
        actor=actor, la_code=la_code,
        received_at=received_at or timezone.now() - dt.timedelta(minutes=1),
        source=source, summary=summary, children=children,
        is_domestic_abuse=is_domestic_abuse, referrer_name="A teacher",
    )
