"""Shape a person's record for the pages: plain dicts and lists, no queries in templates."""

from __future__ import annotations

from childrenmatter.dataset import codes
from childrenmatter.people.access import may_see_restricted
from childrenmatter.people.keys import format_postcode
from childrenmatter.people.models import Person, Relationship, RelationshipKind
from childrenmatter.web.govuk import long_date


def describe_dob(person: Person) -> str:
    if person.date_of_birth:
        return long_date(person.date_of_birth)
    if person.expected_date_of_birth:
        return f"Unborn (expected {long_date(person.expected_date_of_birth)})"
    return "Not known"


def related_name(user, person: Person) -> dict:
    """A related person's name and link, or "a restricted record" for those not named on it."""
    if person.restricted and not may_see_restricted(user, person):
        return {"name": "A restricted record", "href": None}
    from django.urls import reverse

    return {"name": person.full_name, "href": reverse("people:person", args=[person.pk]),
            "dob": describe_dob(person)}


_INVERSE = {
    RelationshipKind.PARENT: "Child",
    RelationshipKind.SIBLING: "Sibling",
    RelationshipKind.CARER: "Cared for",
    RelationshipKind.HOUSEHOLD_MEMBER: "Household member",
}


def relationships(user, person: Person) -> list[dict]:
    """Everyone related to ``person``, described as seen from ``person``."""
    rows = []
    for rel in person.relationships_to.select_related("person").order_by("kind", "id"):
        # rel.person is the <kind> of this person: "Parent: Jo Bloggs".
        rows.append({"kind": rel.get_kind_display(), "who": related_name(user, rel.person),
                     "start": rel.start_date, "end": rel.end_date, "id": rel.pk})
    for rel in person.relationships.select_related("other").order_by("kind", "id"):
        rows.append({"kind": _INVERSE[rel.kind], "who": related_name(user, rel.other),
                     "start": rel.start_date, "end": rel.end_date, "id": rel.pk})
    # Brothers and sisters nobody recorded as such, found through a parent they share.
    known = {rel.person_id for rel in person.relationships_to.all()} | {
        rel.other_id for rel in person.relationships.all()} | {person.pk}
    parents = person.relationships_to.filter(kind=RelationshipKind.PARENT).values("person")
    shared = Relationship.objects.filter(
        kind=RelationshipKind.PARENT, person__in=parents
    ).exclude(other_id__in=known).select_related("other").order_by("other_id")
    seen = set()
    for rel in shared:
        if rel.other_id not in seen:
            seen.add(rel.other_id)
            rows.append({"kind": "Sibling (shares a parent)", "who": related_name(user, rel.other),
                         "start": None, "end": None, "id": None})
    return rows


def history_at_front_door(person: Person) -> dict:
    """Contacts, referrals and early help, newest first."""
    contacts = [
        {
            "reference": link.contact.reference,
            "received_at": link.contact.received_at,
            "source": source_label(link.contact.source),
            "status": link.contact.get_status_display(),
            "decision": link.contact.get_decision_display() if link.contact.decision else "",
            "decided_at": link.contact.decided_at,
            "id": link.contact.pk,
        }
        for link in person.contact_links.select_related("contact").order_by(
            "-contact__received_at")
    ]
    referrals = list(person.referrals.order_by("-referral_date"))
    early_help = list(person.early_help.order_by("-start_date"))
    return {"contacts": contacts, "referrals": referrals, "early_help": early_help}


def source_label(code: str) -> str:
    try:
        return codes.REFERRAL_SOURCE.get(code).label
    except KeyError:
        return code


def details_rows(person: Person) -> list[dict]:
    def row(key: str, value: str) -> dict:
        return {"key": {"text": key}, "value": {"text": value or "Not recorded"}}

    current = person.addresses.filter(end_date__isnull=True).first()
    return [
        row("Name", person.full_name),
        row("Date of birth", describe_dob(person)),
        row("Sex", person.get_sex_display()),
        row("Ethnicity", person.ethnicity),
        row("NHS number", format_nhs(person.nhs_number)),
        row("Unique pupil number", person.upn),
        row("Local identifier", person.local_id),
        row("Current address", str(current) if current else ""),
        row("Authority", person.la_code),
        row("Child or adult", "Child" if person.is_child else "Adult"),
    ]


def format_nhs(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else number


def postcode(value: str) -> str:
    return format_postcode(value)
