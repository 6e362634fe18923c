"""The demo's live front door: fresh undecided contacts dated today, and demo users.

A simulated history has every contact decided, so the front door queue of a freshly
loaded store would be empty. ``open_front_door`` records a handful of new contacts through
``frontdoor.actions`` as the front door would (some about children the store already
knows, a few domestic abuse notifications from the police, some from a school), received
over the last hours so that their clocks are running, and rates some of them.

``set_up_demo_users`` makes one account per role the demo shows, each with a new password.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from childrenmatter.accounts.actions import set_up_demo_user
from childrenmatter.accounts.models import PartnerKind, PartnerOrganisation, Role, StaffMembership
from childrenmatter.errors import UserError
from childrenmatter.frontdoor import actions as frontdoor
from childrenmatter.frontdoor.models import Consent, Contact
from childrenmatter.people.models import Person
from childrenmatter.store.identities import FIRST_NAMES, LAST_NAMES

SCHOOL = "Synthetic Primary School"
POLICE = "Synthetic Police Force"
# Role, username suffix. The partner works for the synthetic school.
DEMO_ROLES = (
    (Role.FRONT_DOOR_PRACTITIONER, "frontdoor"),
    (Role.TEAM_MANAGER, "manager"),
    (Role.PERFORMANCE_ANALYST, "analyst"),
    (Role.PARTNER, "partner"),
    (Role.ELECTED_MEMBER, "councillor"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    password: str


def partner_organisations(la_code: str) -> dict[str, PartnerOrganisation]:
    school, _ = PartnerOrganisation.objects.get_or_create(
        la_code=la_code, name=SCHOOL, defaults={"kind": PartnerKind.SCHOOL})
    police, _ = PartnerOrganisation.objects.get_or_create(
        la_code=la_code, name=POLICE, defaults={"kind": PartnerKind.POLICE})
    return {"school": school, "police": police}


@transaction.atomic
def set_up_demo_users(*, la_code: str, prefix: str = "demo") -> list[DemoUser]:
    """One account per demo role (``demo-frontdoor``, ``demo-manager``...), new passwords."""
    school = partner_organisations(la_code)["school"]
    made = []
    for role, suffix in DEMO_ROLES:
        username = f"{prefix}-{suffix}"
        if role == Role.PARTNER:
            password = _set_up_partner(username=username, organisation=school)
        else:
            password = set_up_demo_user(username=username, la_code=la_code, role=role)
        made.append(DemoUser(username, Role(role).label, password))
    return made


def _set_up_partner(*, username: str, organisation: PartnerOrganisation) -> str:
    # set_up_demo_user gives no partner organisation, which the partner role needs.
    import secrets

    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.is_active = True
    user.save()
    StaffMembership.objects.update_or_create(
        user=user, la_code=organisation.la_code,
        defaults={"role": Role.PARTNER, "partner_organisation": organisation},
    )
    return password


_CONCERNS = (
    "Child came to school hungry and in dirty clothes for the third day running.",
    "Neighbour heard shouting and a child crying late at night.",
    "Health visitor worried about the baby's weight and the mother's low mood.",
    "Young person disclosed that an older man has been giving them lifts and gifts.",
    "Parent called asking for help: cannot cope with their son's behaviour.",
    "GP reports a bruise on the child's upper arm with no clear explanation.",
    "Child missing from home overnight, returned in the morning.",
)


def open_front_door(*, la_code: str, count: int = 12, now: dt.datetime | None = None
                    ) -> list[Contact]:
    """Record ``count`` fresh contacts for ``la_code``, received over the last hours.

    Skipped (returns []) when the authority already has that many undecided contacts
    received today, so running the demo twice does not double the queue.
    """
    if count < 1:
        return []
    now = now or timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    fresh = Contact.objects.open().filter(la_code=la_code, received_at__gte=today_start)
    if fresh.count() >= count:
        return []
    User = get_user_model()
    worker = User.objects.filter(
        memberships__la_code=la_code, memberships__role=Role.FRONT_DOOR_PRACTITIONER,
    ).order_by("pk").first()
    if worker is None:
        raise UserError(f"no front door practitioner works for {la_code}: "
                        "set up the demo users first")
    partners = partner_organisations(la_code)
    rng = random.Random(f"demo-front-door:{la_code}:{timezone.localdate(now)}")
    today = timezone.localdate(now)
    known = list(
        Person.objects.filter(
            la_code=la_code, is_child=True, merged_into__isnull=True,
            date_of_birth__gt=today - dt.timedelta(days=365 * 17), date_of_death__isnull=True,
        ).order_by("pk").values_list("pk", flat=True)[:5000]
    )
    contacts = []
    for i in range(count):
        received = now - dt.timedelta(minutes=20 + 37 * (count - i) + rng.randint(0, 15))
        kind = ("domestic_abuse" if i % 4 == 1 else "school" if i % 4 == 2 else "staff")
        children = _children(rng, known, about_known=i % 3 != 2)
        if kind == "domestic_abuse":
            contact = frontdoor.record_contact(
                actor=None, partner_organisation=partners["police"], la_code=la_code,
                received_at=received, source="6", is_domestic_abuse=True,
                summary="Police attended a domestic abuse incident at the home overnight; "
                        "the children were in the house.",
                referrer_name="PC Synthetic", referrer_organisation=POLICE,
                consent=Consent.NOT_SOUGHT, children=children,
            )
        elif kind == "school":
            contact = frontdoor.record_contact(
                actor=None, partner_organisation=partners["school"], la_code=la_code,
                received_at=received, source="2A", summary=rng.choice(_CONCERNS[:2]),
                referrer_name="Designated safeguarding lead", referrer_organisation=SCHOOL,
                consent=Consent.GIVEN, children=children,
            )
        else:
            contact = frontdoor.record_contact(
                actor=worker, la_code=la_code, received_at=received,
                source=rng.choice(("1A", "1B", "3A", "3B", "8", "9")),
                summary=rng.choice(_CONCERNS), consent=Consent.UNKNOWN, children=children,
            )
        if i % 3 == 0:
            rag = rng.choice(("red", "amber", "amber", "green"))
            frontdoor.rate_contact(actor=worker, contact=contact, expected_version=None,
                                   rag=rag, reason="Initial screening of what was said.")
        contacts.append(contact)
    return contacts


def _children(rng: random.Random, known: list[int], *, about_known: bool
              ) -> list[frontdoor.ReportedChild]:
    if about_known and known:
        person = Person.objects.get(pk=rng.choice(known))
        siblings = [
            r.other for r in person.relationships.filter(kind="sibling").select_related("other")
            if r.other.merged_into_id is None and r.other.date_of_death is None
        ]
        return [
            frontdoor.ReportedChild(
                given_name=p.given_name, family_name=p.family_name,
                date_of_birth=p.date_of_birth, person=p,
            )
            for p in [person, *siblings]
        ]
    # A child the store does not know yet: found (or not) at screening.
    family = rng.choice(LAST_NAMES)
    return [
        frontdoor.ReportedChild(
            given_name=rng.choice(FIRST_NAMES[rng.choice("FM")]), family_name=family,
            date_of_birth=dt.date.today() - dt.timedelta(days=rng.randint(200, 15 * 365)),
        )
    ]
