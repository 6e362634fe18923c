"""Reads for the front door: the queue with each contact's clocks, and the screening history.

Only reads here; changes are in ``actions``. The queue shows contacts as the referrer
described the children (no child's record is opened by looking at the queue); the screening
history reads records, so its caller (the screening page) has already read each child
through ``people.access``, and household members go through ``visible_people``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from childrenmatter.accounts.permissions import Permission, authorities_where
from childrenmatter.casework.models import (
    ChildInNeedPlan,
    ChildProtectionPlan,
    EarlyHelpEpisode,
    Referral,
)
from childrenmatter.clocks.state import ClockState, clock_state
from childrenmatter.dataset import codes
from childrenmatter.frontdoor.actions import decision_due
from childrenmatter.frontdoor.models import Contact, ContactChild, ContactStatus, PartnerCheck
from childrenmatter.people.access import visible_people
from childrenmatter.people.models import Address, Person, Relationship

# How close an hours clock (partner information, telling a school) must be to show as
# "due soon" rather than "due".
DUE_SOON_HOURS = 1

_URGENCY = {ClockState.OVERDUE: 0, ClockState.DUE_SOON: 1, ClockState.DUE: 2}


def moment_state(due: dt.datetime | None, done: dt.datetime | None = None,
                 now: dt.datetime | None = None) -> ClockState | None:
    """The state of a clock counted in hours (``clocks.state`` counts in days): the same
    five states, so a page shows them the same way."""
    if due is None:
        return None
    if done is not None:
        return ClockState.DONE_IN_TIME if done <= due else ClockState.DONE_LATE
    now = now or timezone.now()
    if now > due:
        return ClockState.OVERDUE
    if due - now <= dt.timedelta(hours=DUE_SOON_HOURS):
        return ClockState.DUE_SOON
    return ClockState.DUE


@dataclass
class QueueItem:
    contact: Contact
    children: list[str]
    decision_due: dt.date
    decision_state: ClockState
    information_due: dt.datetime | None
    information_state: ClockState | None
    school_notify_by: dt.datetime | None = None
    school_state: ClockState | None = None

    @property
    def urgency(self) -> tuple:
        states = [s for s in (self.decision_state, self.information_state, self.school_state)
                  if s is not None]
        most = min(_URGENCY.get(s, 3) for s in states)
        # Then the earliest moment anything is due (a decision date is due by its end).
        end_of_decision_day = timezone.make_aware(
            dt.datetime.combine(self.decision_due, dt.time(23, 59))
        )
        moments = [m for m in (self.information_due, self.school_notify_by) if m]
        return (most, min([end_of_decision_day, *moments]), self.contact.pk)


@dataclass
class Queue:
    contacts: list[QueueItem] = field(default_factory=list)
    domestic_abuse: list[QueueItem] = field(default_factory=list)
    awaiting_authorisation: list[QueueItem] = field(default_factory=list)


def queue_authorities(user) -> list[str]:
    screens = authorities_where(user, Permission.SCREEN_CONTACT)
    authorises = authorities_where(user, Permission.AUTHORISE_DECISION)
    return sorted(set(screens) | set(authorises))


def _child_label(link: ContactChild) -> str:
    # A restricted record's name is not shown in a list: its matched name may be more than
    # the referrer told us.
    if link.person_id and link.person.restricted:
        return "Restricted record"
    reported = f"{link.reported_given_name} {link.reported_family_name}".strip()
    return reported or (
        f"Child born {link.reported_date_of_birth:%-d %B %Y}" if link.reported_date_of_birth
        else "A child"
    )


def queue_for(user, *, now: dt.datetime | None = None) -> Queue:
    """Contacts not yet decided in the user's authorities, most urgent first: domestic
    abuse notifications in their own queue, decisions awaiting authorisation in theirs."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    contacts = (
        Contact.objects.in_authorities(queue_authorities(user)).open()
        .select_related("triage")
        .prefetch_related("child_links__person")
    )
    queue = Queue()
    for contact in contacts:
        due = decision_due(contact.received_at)
        decided_on = timezone.localtime(contact.decided_at).date() if contact.decided_at else None
        triage = getattr(contact, "triage", None)
        item = QueueItem(
            contact=contact,
            children=[_child_label(link) for link in contact.child_links.all()],
            decision_due=due,
            decision_state=clock_state(due=due, done=decided_on, today=today, due_soon_days=0),
            information_due=contact.information_due_at,
            information_state=moment_state(contact.information_due_at, now=now),
        )
        if triage is not None and triage.school_notify_by:
            item.school_notify_by = triage.school_notify_by
            item.school_state = moment_state(triage.school_notify_by,
                                             triage.school_notified_at, now)
        if contact.status == ContactStatus.AWAITING_AUTHORISATION:
            queue.awaiting_authorisation.append(item)
        elif contact.is_domestic_abuse:
            queue.domestic_abuse.append(item)
        else:
            queue.contacts.append(item)
    for items in (queue.contacts, queue.domestic_abuse, queue.awaiting_authorisation):
        items.sort(key=lambda i: i.urgency)
    return queue


# --- Screening history -----------------------------------------------------------------------


@dataclass
class PreviousContact:
    contact: Contact
    is_repeat: bool  # within 12 months before this one


@dataclass
class ChildHistory:
    link: ContactChild
    person: Person | None
    previous_contacts: list[PreviousContact] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    open_involvements: list[str] = field(default_factory=list)
    household: list[tuple[Person, str]] = field(default_factory=list)

    @property
    def repeat_contact(self) -> bool:
        return any(p.is_repeat for p in self.previous_contacts)


def _a_year_before(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    try:
        return local.replace(year=local.year - 1)
    except ValueError:  # 29 February
        return local.replace(year=local.year - 1, day=28)


def _households(user, people: list[Person], contact: Contact
                ) -> dict[int, list[tuple[Person, str]]]:
    """Other people in each child's household: at the same current address, or related.
    A handful of reads for the whole sibling group, whatever its size."""
    ids = {person.pk for person in people}
    found: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    for relation in Relationship.objects.filter(
        Q(person_id__in=ids) | Q(other_id__in=ids), end_date__isnull=True
    ).select_related("person", "other"):
        if relation.person_id in ids:
            found[relation.person_id].setdefault(
                relation.other_id,
                f"{relation.person.given_name} is their {relation.get_kind_display().lower()}",
            )
        if relation.other_id in ids:
            found[relation.other_id].setdefault(relation.person_id, relation.get_kind_display())
    current = {address.person_id: address
               for address in Address.objects.filter(person_id__in=ids, end_date__isnull=True)}
    if current:
        # Postcodes are stored formatted, so an exact match uses the index; the first line
        # is compared without regard to case among the few addresses in that postcode.
        for address in Address.objects.filter(
            end_date__isnull=True, postcode__in={a.postcode for a in current.values()}
        ):
            for child_id, home in current.items():
                if (address.person_id != child_id and address.postcode == home.postcode
                        and address.line_1.casefold() == home.line_1.casefold()):
                    found[child_id].setdefault(address.person_id, "Lives at the same address")
    la_codes = {person.la_code for person in people}
    members = Person.objects.filter(
        pk__in={pk for members in found.values() for pk in members},
        la_code__in=la_codes, merged_into__isnull=True,
    ).order_by("-is_child", "date_of_birth", "pk")
    shown = visible_people(user, members, what=f"household on screening of {contact.reference}")
    by_la = {person.pk: person.la_code for person in people}
    return {
        child_id: [(other, found[child_id][other.pk]) for other in shown
                   if other.pk in found[child_id] and other.pk != child_id
                   and other.la_code == by_la[child_id]]
        for child_id in ids
    }


def screening_history(contact: Contact, *, user, leave_out: set[int] = frozenset()
                      ) -> list[ChildHistory]:
    """For each child on the contact: previous contacts (repeats within 12 months flagged),
    referrals, open involvements, and the other people in the household. Children whose
    link is in ``leave_out`` (restricted records the user may not see) get no history.

    The children's own records must already have been read through ``people.access``.
    The page reads the same few tables however many children the contact is about.
    """
    since = _a_year_before(contact.received_at)
    links = list(contact.child_links.select_related("person").order_by("pk"))
    histories = [ChildHistory(link=link, person=link.person) for link in links]
    shown = {h.person.pk: h for h in histories
             if h.person is not None and h.link.pk not in leave_out}
    if not shown:
        return histories
    earlier = (
        ContactChild.objects.filter(person_id__in=shown,
                                    contact__received_at__lt=contact.received_at)
        .exclude(contact=contact).select_related("contact").order_by("-contact__received_at")
    )
    seen: set[tuple[int, int]] = set()
    for link in earlier:
        if (link.person_id, link.contact_id) not in seen:
            seen.add((link.person_id, link.contact_id))
            shown[link.person_id].previous_contacts.append(
                PreviousContact(link.contact, link.contact.received_at >= since))
    for referral in Referral.objects.filter(person_id__in=shown).order_by("-referral_date", "pk"):
        history = shown[referral.person_id]
        history.referrals.append(referral)
        if referral.closure_date is None:
            history.open_involvements.append(
                f"Child in need: referral {referral.reference} open since "
                f"{referral.referral_date:%-d %B %Y}"
            )
    for plan in ChildProtectionPlan.objects.filter(
        person_id__in=shown, end_date__isnull=True
    ).order_by("start_date", "pk"):
        category = (codes.CATEGORY_OF_ABUSE.get(plan.latest_category)
                    if plan.latest_category in codes.CATEGORY_OF_ABUSE.all_codes else None)
        shown[plan.person_id].open_involvements.append(
            f"Child protection plan since {plan.start_date:%-d %B %Y}"
            + (f" ({category.label.lower()})" if category else "")
        )
    for plan in ChildInNeedPlan.objects.filter(
        person_id__in=shown, end_date__isnull=True
    ).order_by("start_date", "pk"):
        shown[plan.person_id].open_involvements.append(
            f"Child in need plan since {plan.start_date:%-d %B %Y}"
        )
    for episode in EarlyHelpEpisode.objects.filter(
        person_id__in=shown, end_date__isnull=True
    ).order_by("start_date", "pk"):
        shown[episode.person_id].open_involvements.append(
            f"Early help since {episode.start_date:%-d %B %Y}"
        )
    households = _households(user, [h.person for h in shown.values()], contact)
    for person_id, history in shown.items():
        history.household = households[person_id]
    return histories


def checks_for(contact: Contact) -> list[PartnerCheck]:
    return list(contact.checks.select_related("requested_by", "recorded_by"))
