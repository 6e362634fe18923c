"""Helpers for the casework tests: a child with a referral, and the journey's steps."""

from __future__ import annotations

import datetime as dt
import itertools

from childrenmatter.casework.models import Referral
from childrenmatter.clocks.rules import due_date
from childrenmatter.people.keys import name_key
from childrenmatter.people.models import Person

_numbers = itertools.count(1)


def make_child(la_code: str = "806", given: str = "Amy", family: str = "Jones",
               dob: dt.date = dt.date(2015, 3, 1)) -> Person:
    # The people app owns how people are created; a test needs only a row to point at.
    return Person.objects.create(
        la_code=la_code, local_id=f"C{next(_numbers):06d}", given_name=given,
        family_name=family, date_of_birth=dob, given_key=name_key(given),
        family_key=name_key(family),
    )


def make_referral(child: Person | None = None, *, on: dt.date = dt.date(2026, 1, 5),
                  la_code: str = "806", closed: dt.date | None = None) -> Referral:
    # The front door opens referrals (frontdoor.actions.authorise_decision); a test needs
    # one as it leaves that, with its assessment clock.
    child = child or make_child(la_code)
    return Referral.objects.create(
        la_code=child.la_code, reference=f"R{next(_numbers):06d}", person=child,
        referral_date=on, referral_source="2A", primary_need="N1",
        assessment_due=due_date("assessment", on),
        closure_date=closed, closure_reason="RC7" if closed else "",
    )
