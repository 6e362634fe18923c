"""The choke points for reading a person's record: check, then log.

Every page or API endpoint that shows a child's or adult's record fetches it here, so
no view forgets the check or the access log (DESIGN.md: every read is logged). A person
in an authority the user does not work for is "not found" (its existence is not
confirmed); a restricted record is refused to everyone not named on it. Both refusals
are logged, like every read.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from childrenmatter.accounts.models import AccessLog
from childrenmatter.accounts.permissions import Permission, can
from childrenmatter.people.models import Person, RestrictionGrant


class RestrictedRecord(PermissionDenied):
    """The record is restricted and the user is not named on it."""


def may_see_restricted(user, person: Person) -> bool:
    return RestrictionGrant.objects.filter(person=person, user_id=user.pk).exists()


def log_access(
    user, person: Person, *, what: str, allowed: bool = True, reason: str = "",
    partner_organisation=None,
) -> None:
    AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        partner_organisation=partner_organisation,
        la_code=person.la_code,
        person=person,
        what=what,
        allowed=allowed,
        reason=reason,
    )


def access_person(
    user, person_id: int, *, what: str, permission: Permission = Permission.VIEW_PERSON
) -> Person:
    """The person ``person_id`` if ``user`` may read it; the read is logged either way."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    if not can(user, permission, person.la_code):
        log_access(user, person, what=what, allowed=False, reason=f"no {permission} here")
        raise Http404("No such person")
    if person.restricted and not may_see_restricted(user, person):
        log_access(user, person, what=what, allowed=False, reason="restricted record")
        raise RestrictedRecord("This record is restricted to named people")
    log_access(user, person, what=what)
    return person


def visible_people(user, people: Iterable[Person], *, what: str) -> list[Person]:
    """Of ``people`` (already limited to the user's authorities), those the user may read,
    each read logged; restricted records the user is not named on are left out and the
    attempt logged."""
    shown = []
    for person in people:
        if person.restricted and not may_see_restricted(user, person):
            log_access(user, person, what=what, allowed=False, reason="restricted record")
            continue
        log_access(user, person, what=what)
        shown.append(person)
    return shown
