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


def _entry(
    user, person: Person, *, what: str, allowed: bool = True, reason: str = "",
    partner_organisation=None,
) -> AccessLog:
    return AccessLog(
        user=user if getattr(user, "is_authenticated", False) else None,
        partner_organisation=partner_organisation,
        la_code=person.la_code,
        person=person,
        what=what,
        allowed=allowed,
        reason=reason,
    )


def log_access(
    user, person: Person, *, what: str, allowed: bool = True, reason: str = "",
    partner_organisation=None,
) -> None:
    _entry(user, person, what=what, allowed=allowed, reason=reason,
           partner_organisation=partner_organisation).save()


def log_download(user, *, la_code: str, what: str, children: int) -> None:
    """A file naming many children left the service (a statutory return): who, which
    authority, what, how many children. One entry, not one per child: the file is what was
    taken, and the return itself lists them."""
    AccessLog.objects.create(user=user, la_code=la_code, person=None, children=children,
                             what=what[:100], allowed=True)


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


def access_people(
    user, person_ids: Iterable[int], *, what: str, permission: Permission = Permission.VIEW_PERSON
) -> tuple[dict[int, Person], set[int]]:
    """``access_person`` for several people at once, as a page showing a sibling group
    needs: one read and one write to the log however many there are. Returns the people the
    user may read by id, and the ids of restricted records the user is not named on (left
    out of the first). Any person missing, or in an authority where the user may not
    ``permission``, makes the whole read "not found", as it does one by one."""
    wanted = set(person_ids)
    people = {person.pk: person for person in Person.objects.filter(pk__in=wanted)}
    if len(people) != len(wanted):
        raise Http404("No such person")
    refused = [p for p in people.values() if not can(user, permission, p.la_code)]
    if refused:
        AccessLog.objects.bulk_create(
            _entry(user, p, what=what, allowed=False, reason=f"no {permission} here")
            for p in refused
        )
        raise Http404("No such person")
    shown = {p.pk: p for p in visible_people(user, [people[pk] for pk in sorted(people)],
                                              what=what)}
    return shown, set(people) - set(shown)


def visible_people(user, people: Iterable[Person], *, what: str) -> list[Person]:
    """Of ``people`` (already limited to the user's authorities), those the user may read,
    every read logged in one write; restricted records the user is not named on are left
    out and the attempt logged."""
    entries, shown = [], []
    for person in people:
        if person.restricted and not may_see_restricted(user, person):
            entries.append(_entry(user, person, what=what, allowed=False,
                                  reason="restricted record"))
            continue
        entries.append(_entry(user, person, what=what))
        shown.append(person)
    AccessLog.objects.bulk_create(entries)
    return shown
