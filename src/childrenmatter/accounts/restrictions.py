"""Restricted records: a child's record that only named people may see.

For example a child related to a member of staff. Restricting, naming people and lifting
the restriction are changes to the person's record: each is a new version of it (with
who and why, via ``versions.py``), refused if someone else changed the record since the
page was opened. Only someone with RESTRICT_RECORD in the person's authority may do it,
and once the record is restricted only if they are named on it themselves: nobody can
name themselves onto a record they cannot see.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from childrenmatter.accounts.permissions import Permission, authorities_where, can
from childrenmatter.people.models import Person, RestrictionGrant
from childrenmatter.versions import lock_at_version, save_new_version


def _check_may_manage(actor, person: Person) -> None:
    if not can(actor, Permission.RESTRICT_RECORD, person.la_code):
        raise PermissionDenied("You may not restrict records in this authority")
    if person.restricted and not RestrictionGrant.objects.filter(
        person=person, user_id=actor.pk
    ).exists():
        raise PermissionDenied("Only people named on a restricted record may change who sees it")


# The version history keeps a change's reason in 100 characters (django-simple-history).
REASON_LENGTH = 100


def _reason(prefix: str, reason: str) -> str:
    """The reason kept with the new version: ``prefix`` and what the person typed."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["Enter why: the reason is kept with the record"]})
    text = f"{prefix}: {reason}"
    if len(text) > REASON_LENGTH:
        room = REASON_LENGTH - len(prefix) - 2
        raise ValidationError({"reason": [f"The reason must be {room} characters or fewer"]})
    return text


def eligible_users(person: Person):
    """Everyone who could be named: they may read records in the person's authority."""
    users = get_user_model().objects.filter(
        is_active=True, memberships__la_code=person.la_code
    ).order_by("username").distinct()
    return [
        user for user in users
        if person.la_code in authorities_where(user, Permission.VIEW_PERSON)
    ]


def _check_eligible(person: Person, users) -> None:
    allowed = {user.pk for user in eligible_users(person)}
    outsiders = [str(user) for user in users if user.pk not in allowed]
    if outsiders:
        raise ValidationError({"users": [
            f"{', '.join(outsiders)} cannot read records in {person.la_code}: "
            "name only people who work there and may see children's records"
        ]})


def _grant(person: Person, user, actor) -> None:
    RestrictionGrant.objects.get_or_create(person=person, user=user, defaults={"granted_by": actor})


@transaction.atomic
def restrict_person(*, actor, person: Person, expected_version: int | None, named_users,
                    reason: str) -> Person:
    """Restrict ``person`` to ``named_users`` and ``actor`` (who keeps access)."""
    reason = _reason("Restricted", reason)
    person = lock_at_version(person, expected_version)
    _check_may_manage(actor, person)
    if person.restricted:
        raise ValidationError({"users": ["The record is already restricted: name people on it"]})
    named = list(named_users)
    _check_eligible(person, named)
    # The one restricting it is always named, so the record is never left with nobody.
    _check_eligible(person, [actor])
    person.restricted = True
    save_new_version(person, actor=actor, reason=reason)
    for user in {actor.pk: actor, **{user.pk: user for user in named}}.values():
        _grant(person, user, actor)
    return person


@transaction.atomic
def grant_access(*, actor, person: Person, expected_version: int | None, user, reason: str
                 ) -> Person:
    reason = _reason(f"{user} may see it", reason)
    person = lock_at_version(person, expected_version)
    _check_may_manage(actor, person)
    if not person.restricted:
        raise ValidationError({"users": ["The record is not restricted: everyone may see it"]})
    _check_eligible(person, [user])
    if RestrictionGrant.objects.filter(person=person, user=user).exists():
        raise ValidationError({"users": [f"{user} is already named on the record"]})
    _grant(person, user, actor)
    save_new_version(person, actor=actor, reason=reason)
    return person


@transaction.atomic
def revoke_access(*, actor, person: Person, expected_version: int | None, user, reason: str
                  ) -> Person:
    reason = _reason(f"{user} may no longer see it", reason)
    person = lock_at_version(person, expected_version)
    _check_may_manage(actor, person)
    grants = RestrictionGrant.objects.filter(person=person)
    if not grants.filter(user=user).exists():
        raise ValidationError({"users": [f"{user} is not named on the record"]})
    if user.pk == actor.pk:
        raise ValidationError({"users": [
            "You cannot remove yourself: ask another named manager, or lift the restriction"
        ]})
    grants.filter(user=user).delete()
    save_new_version(person, actor=actor, reason=reason)
    return person


@transaction.atomic
def lift_restriction(*, actor, person: Person, expected_version: int | None, reason: str
                     ) -> Person:
    reason = _reason("Restriction lifted", reason)
    person = lock_at_version(person, expected_version)
    _check_may_manage(actor, person)
    if not person.restricted:
        raise ValidationError({"reason": ["The record is not restricted"]})
    person.restricted = False
    RestrictionGrant.objects.filter(person=person).delete()
    save_new_version(person, actor=actor, reason=reason)
    return person
