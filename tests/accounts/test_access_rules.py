"""The access rules as properties: for any memberships and any record, a read is allowed
exactly when the rules say, and every attempt, allowed or not, is one access log entry."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childrenmatter.accounts.models import AccessLog, Role, StaffMembership
from childrenmatter.accounts.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    authorities_where,
    can,
)
from childrenmatter.people.access import access_person
from childrenmatter.people.models import Person, RestrictionGrant

pytestmark = pytest.mark.django_db

AUTHORITIES = ("805", "806")
STAFF_ROLES = [role for role in Role if role != Role.PARTNER]  # a partner needs an organisation
memberships = st.dictionaries(st.sampled_from(AUTHORITIES), st.sampled_from(STAFF_ROLES))
_names = itertools.count()


def _staff(roles: dict[str, Role]):
    user = get_user_model().objects.create(username=f"u{next(_names)}")
    for la_code, role in roles.items():
        StaffMembership.objects.create(user=user, la_code=la_code, role=role)
    return user


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles=memberships, permission=st.sampled_from(Permission),
       la_code=st.sampled_from(AUTHORITIES))
def test_can_is_exactly_the_role_held_in_that_authority(roles, permission, la_code):
    with transaction.atomic():
        user = _staff(roles)
        expected = la_code in roles and permission in ROLE_PERMISSIONS[roles[la_code]]
        assert can(user, permission, la_code) is expected
        assert authorities_where(user, permission) == sorted(
            code for code, role in roles.items() if permission in ROLE_PERMISSIONS[role]
        )
        transaction.set_rollback(True)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles=memberships, la_code=st.sampled_from(AUTHORITIES), restricted=st.booleans(),
       named=st.booleans())
def test_a_read_is_allowed_exactly_when_the_rules_say_and_always_logged(
    roles, la_code, restricted, named
):
    with transaction.atomic():
        viewer = _staff(roles)
        person = Person.objects.create(la_code=la_code, local_id=f"P{next(_names)}",
                                       given_name="Amy", family_name="Hart",
                                       restricted=restricted)
        if named:
            RestrictionGrant.objects.create(person=person, user=viewer)
        in_authority = la_code in roles and Permission.VIEW_PERSON in ROLE_PERMISSIONS[
            roles[la_code]]
        allowed = in_authority and (not restricted or named)
        try:
            access_person(viewer, person.pk, what="property test")
            seen = True
        except (Http404, PermissionDenied):
            seen = False
        assert seen is allowed
        entries = list(AccessLog.objects.filter(person=person))
        assert len(entries) == 1
        assert entries[0].allowed is allowed and entries[0].user == viewer
        transaction.set_rollback(True)
