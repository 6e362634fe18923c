"""Changes to accounts. Each is one transaction."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from childrenmatter.accounts.models import Role, StaffMembership


@transaction.atomic
def set_up_demo_user(*, username: str, la_code: str, role: str = Role.TEAM_MANAGER) -> str:
    """Create or reset the demo account, working for ``la_code``; return its new password.

    The password is new on every call, so one left over from an earlier demo stops working.
    """
    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.is_active = True
    user.save()
    StaffMembership.objects.update_or_create(user=user, la_code=la_code, defaults={"role": role})
    return password
