"""What a partner may read: its own organisation's referrals, as it sent them."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from childrenmatter.accounts.models import PartnerOrganisation
from childrenmatter.api.status import partner_status
from childrenmatter.frontdoor.models import Contact, ContactChild


def referrals_of(partner_organisation: PartnerOrganisation):
    """The organisation's referrals, newest first, with the children as it named them.

    Only the ``reported_*`` columns are read: never the matched child's record.
    """
    children = ContactChild.objects.only(
        "contact_id", "reported_given_name", "reported_family_name", "reported_date_of_birth"
    ).order_by("id")
    return (
        Contact.objects.filter(
            partner_organisation=partner_organisation, la_code=partner_organisation.la_code
        )
        .only("reference", "received_at", "status", "decision", "is_domestic_abuse")
        .prefetch_related(Prefetch("child_links", queryset=children))
        .order_by("-received_at", "-id")
    )


def referral_of(partner_organisation: PartnerOrganisation, reference: str) -> Contact | None:
    return referrals_of(partner_organisation).filter(reference=reference).first()


def as_partner_sees_it(contact: Contact) -> dict:
    """One referral as a partner is told about it (the API's ReferralOut, the pages' rows)."""
    return {
        "reference": contact.reference,
        "received_at": timezone.localtime(contact.received_at),
        "status": partner_status(contact),
        "is_domestic_abuse": contact.is_domestic_abuse,
        "children": [
            {
                "given_name": child.reported_given_name,
                "family_name": child.reported_family_name,
                "date_of_birth": child.reported_date_of_birth,
            }
            for child in contact.child_links.all()
        ],
    }
