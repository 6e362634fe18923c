"""Changes to accounts. Each is one transaction."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from childrenmatter.accounts.models import PartnerOrganisation, Role, StaffMembership


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


# --- Staff accounts (the ``childrenmatter users`` command) --------------------------------


@transaction.atomic
def add_staff_member(
    *,
    actor=None,
    username: str,
    la_code: str,
    role: str,
    partner_organisation_id: int | None = None,
    password: str | None = None,
) -> tuple[object, str | None]:
    """Give ``username`` a role in authority ``la_code``, making the account if it is new.

    Returns the user and, for a new account without ``password``, the password made for
    it (shown once). An existing account keeps its password unless one is given.
    """
    errors: dict[str, list[str]] = {}
    if not re.fullmatch(r"\d{3}", la_code or ""):
        errors["authority"] = ["An LA code is three digits, as in 806"]
    if role not in Role.values:
        errors["role"] = [f"The role must be one of: {', '.join(Role.values)}"]
    organisation = None
    if role == Role.PARTNER:
        organisation = PartnerOrganisation.objects.filter(pk=partner_organisation_id).first()
        if organisation is None:
            errors["partner_organisation"] = [
                "A partner works for a partner organisation: give the id of one that exists"
            ]
        elif organisation.la_code != la_code:
            errors["partner_organisation"] = [
                f"{organisation} refers to authority {organisation.la_code}, not {la_code}"
            ]
    elif partner_organisation_id is not None:
        errors["partner_organisation"] = ["Only the partner role works for a partner organisation"]
    if not username or len(username) > 150:
        errors["username"] = ["Enter a username of at most 150 characters"]
    if errors:
        raise ValidationError(errors)
    user, created = get_user_model().objects.get_or_create(username=username)
    if StaffMembership.objects.filter(user=user, la_code=la_code).exists():
        raise ValidationError(
            {"authority": [f"{username} already works for {la_code}: one role per authority"]}
        )
    made = None
    if password is None and created:
        password = made = secrets.token_urlsafe(12)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
        user.save()
    StaffMembership.objects.create(
        user=user, la_code=la_code, role=role, partner_organisation=organisation
    )
    return user, made


# --- Two-factor sign-in -------------------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def start_two_factor_set_up(*, actor) -> TOTPDevice:
    """The unconfirmed device ``actor`` is setting up: the same one until it is confirmed,
    so that reloading the page does not change the code they have scanned."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_two_factor(*, actor, token: str) -> TOTPDevice:
    """Turn on two-factor sign-in once ``actor`` proves their app gives the right codes."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=actor, confirmed=False).order_by("pk").first()
    )
    if device is None:
        raise ValidationError({"token": ["Start setting up two-factor sign-in again"]})
    if not device.verify_token((token or "").replace(" ", "")):
        raise ValidationError(
            {"token": ["Enter the 6-digit code your authenticator app shows now"]}
        )
    device.confirmed = True
    device.save()
    # One app per person: any other unconfirmed or older device stops working.
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    return device


@transaction.atomic
def turn_off_two_factor(*, actor) -> None:
    if settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR:
        raise ValidationError({"token": ["Two-factor sign-in is required for everyone here"]})
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()


RECOVERY_CODES = 10


@transaction.atomic
def make_recovery_codes(*, actor) -> list[str]:
    """Ten new one-time recovery codes for ``actor`` (any earlier ones stop working), shown
    to them once: each signs in once in place of the app's code. django-otp keeps them in
    the database as it keeps the app's key (not hashed), like the key they are secrets the
    database must protect; the page tells the person to keep them like their password."""
    if confirmed_device(actor) is None:
        raise ValidationError({"token": ["Turn on two-factor sign-in first"]})
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(user=actor, name="Recovery codes", confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def use_recovery_code(user, code: str):
    """The recovery-code device if ``code`` is one of ``user``'s unused codes (it is then
    used up); otherwise None."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.verify_token(code):
        return device
    return None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset_two_factor(*, username: str) -> bool:
    """For someone who lost their phone and their recovery codes: their app and codes are
    removed, and they set two-factor sign-in up again at their next sign-in (when it is
    required) or from their account page. Returns whether they had any."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": [f"No one has the username {username}"]})
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    codes, _ = StaticDevice.objects.filter(user=user).delete()
    return bool(removed or codes)


# --- Locked accounts ----------------------------------------------------------------------


def locked_usernames(usernames) -> set[str]:
    """Of ``usernames``, those locked now after too many wrong passwords (django-axes)."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


@transaction.atomic
def unlock_account(*, actor, user) -> int:
    """Clear the failed sign-ins that locked ``user``; only an administrator of an
    authority ``user`` works for may. Returns how many records were cleared."""
    from axes.utils import reset

    from childrenmatter.accounts.permissions import Permission, authorities_where

    theirs = set(StaffMembership.objects.filter(user=user).values_list("la_code", flat=True))
    if not theirs & set(authorities_where(actor, Permission.MANAGE_USERS)):
        raise PermissionDenied("You may not manage this account")
    return reset(username=user.get_username())
