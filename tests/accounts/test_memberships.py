"""Staff work for authorities: the rule every later record builds on."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from childrenmatter.accounts.actions import set_up_demo_user
from childrenmatter.accounts.models import Role, StaffMembership


def test_a_member_of_staff_works_for_one_authority_once(middlesbrough_user):
    with pytest.raises(IntegrityError):
        StaffMembership.objects.create(
            user=middlesbrough_user, la_code="806", role=Role.SOCIAL_WORKER
        )


def test_the_database_refuses_an_la_code_that_is_not_three_digits(middlesbrough_user):
    with pytest.raises(IntegrityError):
        StaffMembership.objects.create(
            user=middlesbrough_user, la_code="8O6", role=Role.SOCIAL_WORKER
        )


def test_the_database_refuses_an_unknown_role(middlesbrough_user):
    with pytest.raises(IntegrityError):
        StaffMembership.objects.create(user=middlesbrough_user, la_code="805", role="director")


def test_the_demo_user_works_for_middlesbrough_and_gets_a_new_password_each_time(db, client):
    first = set_up_demo_user(username="demo", la_code="806")
    second = set_up_demo_user(username="demo", la_code="806")
    assert first != second
    assert not client.login(username="demo", password=first)
    assert client.login(username="demo", password=second)
    assert list(
        StaffMembership.objects.filter(user__username="demo").values_list("la_code", "role")
    ) == [("806", Role.TEAM_MANAGER)]
