"""Builders for the people tests: a person made through the actions, as a page would."""

from __future__ import annotations

from datetime import date

from childrenmatter.people import actions


def person(actor, *, la_code: str = "806", given_name: str = "Robert",
           family_name: str = "Smith", date_of_birth: date | None = date(2014, 3, 12),
           **details):
    details.setdefault("confirm_possible_match", True)
    return actions.create_person(actor=actor, la_code=la_code, given_name=given_name,
                                 family_name=family_name, date_of_birth=date_of_birth,
                                 **details)
