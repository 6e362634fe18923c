"""Changes at the front door: record a contact, match its children, rate it, ask partners,
triage domestic abuse, decide and authorise.

Every action is keyword-only, takes the ``actor`` (the signed-in person, or None when a
partner's system sends a referral with its token), runs in one transaction, checks the
rules and raises ``ValidationError({field: [message naming the rule]})`` before anything
is saved, so nothing is ever half recorded. Changes to a contact go through
``versions.lock_at_version`` and ``versions.save_new_version``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from childrenmatter.accounts.models import PartnerOrganisation
from childrenmatter.accounts.permissions import Permission, can
from childrenmatter.dataset import codes
from childrenmatter.frontdoor.models import Consent, Contact, ContactChild
from childrenmatter.people.models import Person


@dataclass(frozen=True)
class ReportedChild:
    """A child as the person getting in touch described them."""

    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    address: str = ""
    postcode: str = ""
    school: str = ""
    person: Person | None = None  # when the front door already matched the child


def _require(actor, permission: Permission, la_code: str) -> None:
    if not can(actor, permission, la_code):
        raise PermissionDenied(f"You may not {permission.value.replace('_', ' ')} in {la_code}")


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _limit(errors, field: str, value: str, max_length: int, what: str) -> None:
    if len(value) > max_length:
        _add(errors, field, f"{what} must be {max_length} characters or fewer")


def _check_children(errors, children: Sequence[ReportedChild], la_code: str, today) -> None:
    if not children:
        _add(errors, "children", "A contact must be about at least one child")
    seen_people: set[int] = set()
    for index, child in enumerate(children):
        field = f"children[{index}]"
        given, family = child.given_name.strip(), child.family_name.strip()
        if not (given or family or child.date_of_birth or child.person):
            _add(
                errors, field,
                "Enter the child's name or date of birth: a child needs one or the other",
            )
        if child.date_of_birth is not None and child.date_of_birth > today:
            _add(
                errors, f"{field}.date_of_birth",
                "Date of birth must be today or in the past (an unborn child has no date of "
                "birth yet: leave it blank and say so in what was said)",
            )
        _limit(errors, f"{field}.given_name", given, 100, "Given name")
        _limit(errors, f"{field}.family_name", family, 100, "Family name")
        _limit(errors, f"{field}.address", child.address.strip(), 300, "Address")
        _limit(errors, f"{field}.postcode", child.postcode.strip(), 8, "Postcode")
        _limit(errors, f"{field}.school", child.school.strip(), 200, "School")
        if child.person is not None:
            if child.person.la_code != la_code:
                _add(
                    errors, f"{field}.person",
                    "The child's record belongs to another authority: a contact and its "
                    "children belong to one authority",
                )
            if child.person.merged_into_id is not None:
                _add(errors, f"{field}.person", "That record was merged into another: use that one")
            if child.person.pk in seen_people:
                _add(errors, f"{field}.person", "The same child is on this contact twice")
            seen_people.add(child.person.pk)


def record_contact(
    *,
    actor,
    la_code: str,
    received_at: dt.datetime,
    source: str,
    summary: str,
    children: Sequence[ReportedChild],
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_phone: str = "",
    referrer_email: str = "",
    consent: str = Consent.UNKNOWN,
    consent_note: str = "",
    is_domestic_abuse: bool = False,
    partner_organisation: PartnerOrganisation | None = None,
) -> Contact:
    """Record that someone got in touch about one or more children.

    ``actor`` is None only for a partner's system sending with its token, and then
    ``partner_organisation`` says who sent it (and must be that authority's partner).
    """
    if actor is None:
        if partner_organisation is None:
            raise PermissionDenied("A contact needs a member of staff or a partner organisation")
        if partner_organisation.la_code != la_code:
            raise PermissionDenied(
                f"{partner_organisation} refers to {partner_organisation.la_code}, not {la_code}"
            )
    elif partner_organisation is not None and not can(
        actor, Permission.CREATE_CONTACT, la_code
    ):
        # A partner's member of staff using the form.
        if not can(actor, Permission.MAKE_PARTNER_REFERRAL, la_code) or (
            partner_organisation.la_code != la_code
        ):
            raise PermissionDenied(f"You may not refer children to {la_code}")
    else:
        _require(actor, Permission.CREATE_CONTACT, la_code)

    errors: dict[str, list[str]] = {}
    now = timezone.now()
    today = timezone.localdate()
    summary = summary.strip()
    if received_at is None:
        _add(errors, "received_at", "Enter when the contact was received")
    elif timezone.is_naive(received_at):
        _add(errors, "received_at", "When the contact was received needs a time zone")
    elif received_at > now + dt.timedelta(minutes=5):
        _add(errors, "received_at", "When the contact was received must not be in the future")
    elif received_at.year < 1990:
        _add(errors, "received_at", "When the contact was received must be 1990 or later")
    valid_sources = codes.REFERRAL_SOURCE.all_codes
    if received_at is not None and not timezone.is_naive(received_at):
        year = codes.collection_year(timezone.localtime(received_at).date())
        valid_sources = codes.REFERRAL_SOURCE.codes_for(year)
    if source not in valid_sources:
        _add(
            errors, "source",
            f"Source must be a DfE referral source code ({', '.join(sorted(valid_sources))}); "
            f"{source!r} is not one for that date",
        )
    if not summary:
        _add(errors, "summary", "Enter what was said")
    if consent not in Consent.values:
        _add(errors, "consent", f"Consent must be one of {', '.join(Consent.values)}")
    _limit(errors, "referrer_name", referrer_name.strip(), 200, "Referrer's name")
    _limit(errors, "referrer_organisation", referrer_organisation.strip(), 200, "Organisation")
    _limit(errors, "referrer_phone", referrer_phone.strip(), 40, "Phone number")
    if referrer_email.strip():
        try:
            validate_email(referrer_email.strip())
        except ValidationError:
            _add(errors, "referrer_email", "Enter an email address like name@example.org")
    _check_children(errors, children, la_code, today)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        for _attempt in range(20):
            try:
                with transaction.atomic():
                    contact = Contact.objects.create(
                        la_code=la_code,
                        reference=_next_reference_after(la_code, received_at, _attempt),
                        received_at=received_at,
                        source=source,
                        referrer_name=referrer_name.strip(),
                        referrer_organisation=referrer_organisation.strip(),
                        referrer_phone=referrer_phone.strip(),
                        referrer_email=referrer_email.strip(),
                        partner_organisation=partner_organisation,
                        summary=summary,
                        consent=consent,
                        consent_note=consent_note.strip(),
                        is_domestic_abuse=is_domestic_abuse,
                        created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover - twenty clashes in a row
            raise ValidationError({"reference": ["Could not give the contact a reference"]})
        for child in children:
            ContactChild.objects.create(
                contact=contact,
                person=child.person,
                reported_given_name=child.given_name.strip(),
                reported_family_name=child.family_name.strip(),
                reported_date_of_birth=child.date_of_birth,
                reported_address=child.address.strip(),
                reported_postcode=child.postcode.strip().upper(),
                reported_school=child.school.strip(),
            )
    return contact


def _next_reference_after(la_code: str, received_at: dt.datetime, clashes: int) -> str:
    # Readable over the phone: the year received and a number counting up within the
    # authority. A clash (two contacts recorded at once, or a loaded reference) moves on
    # to the next number (the retry in ``record_contact``).
    count = Contact.objects.filter(la_code=la_code).count()
    return f"FD-{timezone.localtime(received_at):%Y}-{count + 1 + clashes:06d}"
