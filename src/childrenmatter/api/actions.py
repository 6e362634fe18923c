"""Changes made by and for partner organisations: organisations, API tokens, referrals.

Each action is one transaction, checks the rules, and raises ValidationError naming the
field and the rule (nothing half saved) or PermissionDenied for someone without the right.
``actor=None`` means the command line on the server: whoever runs it already holds the
database, so there is no one further to ask.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from childrenmatter.accounts.models import PartnerKind, PartnerOrganisation, la_code_validator
from childrenmatter.accounts.permissions import Permission, can
from childrenmatter.api.models import PREFIX_LENGTH, PartnerToken, hash_token
from childrenmatter.api.schemas import ReferralIn
from childrenmatter.frontdoor import actions as frontdoor


def _may_manage(actor, la_code: str) -> None:
    if actor is not None and not can(actor, Permission.MANAGE_USERS, la_code):
        raise PermissionDenied(
            f"Managing partners' access needs {Permission.MANAGE_USERS} in {la_code}"
        )


@transaction.atomic
def add_partner_organisation(*, actor, name: str, kind: str, la_code: str) -> PartnerOrganisation:
    """Register a partner agency whose referrals go to authority ``la_code``'s front door."""
    _may_manage(actor, la_code)
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = ["Enter the organisation's name"]
    elif len(name) > 200:
        errors["name"] = ["The organisation's name must be 200 characters or fewer"]
    if kind not in PartnerKind.values:
        kinds = ", ".join(PartnerKind.values)
        errors["kind"] = [f"The kind of organisation must be one of {kinds}"]
    try:
        la_code_validator(la_code)
    except ValidationError as error:
        errors["la_code"] = error.messages
    if not errors and PartnerOrganisation.objects.filter(la_code=la_code, name=name).exists():
        errors["name"] = [f"{la_code} already has a partner organisation called {name}"]
    if errors:
        raise ValidationError(errors)
    return PartnerOrganisation.objects.create(name=name, kind=kind, la_code=la_code)


@transaction.atomic
def issue_token(
    *, actor, partner_organisation: PartnerOrganisation, name: str
) -> tuple[PartnerToken, str]:
    """A new API token for ``partner_organisation``, and its plaintext (shown this once)."""
    _may_manage(actor, partner_organisation.la_code)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": ["Enter what the token is for, as in 'Case system'"]})
    if len(name) > 100:
        raise ValidationError({"name": ["What the token is for must be 100 characters or fewer"]})
    plaintext = secrets.token_urlsafe(32)
    token = PartnerToken.objects.create(
        partner_organisation=partner_organisation,
        name=name,
        token_hash=hash_token(plaintext),
        prefix=plaintext[:PREFIX_LENGTH],
        created_by=actor,
    )
    return token, plaintext


@transaction.atomic
def revoke_token(*, actor, token: PartnerToken) -> PartnerToken:
    """Stop ``token`` working, from now on. A revoked token stays listed, never deleted."""
    _may_manage(actor, token.partner_organisation.la_code)
    token = PartnerToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError({"token": [f"Token {token.prefix}… was already revoked"]})
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_for(plaintext: str) -> PartnerToken | None:
    """The live token whose plaintext this is, noting that it was used; None if none."""
    token = (
        PartnerToken.objects.live()
        .select_related("partner_organisation")
        .filter(token_hash=hash_token(plaintext))
        .first()
    )
    if token is not None:
        # Written without a lock or a version: the time of last use is a note, not a record
        # anyone edits, and two requests racing to set it may both win.
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def summary_of(referral: ReferralIn) -> str:
    """The contact's "what was said": the referrer's own words, under their questions."""
    return f"What happened:\n{referral.what_happened}\n\nConcerns:\n{referral.concerns}"


@transaction.atomic
def send_referral(*, actor, partner_organisation: PartnerOrganisation, referral: ReferralIn):
    """Record a partner's referral as a contact at its authority's front door.

    ``actor`` is the partner professional who filled in the form, or None for a partner's
    system using a token. ``referral`` has passed ``ReferralIn``'s rules; the front door's
    own rules may still refuse it with a ValidationError.
    """
    if actor is not None and not can(
        actor, Permission.MAKE_PARTNER_REFERRAL, partner_organisation.la_code
    ):
        raise PermissionDenied("Only partner professionals may send a partner referral")
    children = [
        frontdoor.ReportedChild(
            given_name=child.given_name,
            family_name=child.family_name,
            date_of_birth=child.date_of_birth,
            address=child.address,
            postcode=child.postcode,
            school=child.school,
        )
        for child in referral.children
    ]
    return frontdoor.record_contact(
        actor=actor,
        la_code=partner_organisation.la_code,
        received_at=timezone.now(),
        source=partner_organisation.referral_source,
        summary=summary_of(referral),
        children=children,
        referrer_name=referral.referrer_name,
        # The contact has one line for who referred; the organisation's name is ours and
        # long names are rare, so the end of a very long pair is cut rather than refused.
        referrer_organisation=f"{referral.referrer_role}, {partner_organisation.name}"[:200],
        referrer_phone=referral.referrer_phone,
        referrer_email=referral.referrer_email,
        consent=referral.consent,
        consent_note=referral.consent_note,
        is_domestic_abuse=referral.is_domestic_abuse,
        partner_organisation=partner_organisation,
    )
