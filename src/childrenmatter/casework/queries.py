"""Reads for the child's casework page: the chronology, what is due, what is open.

Callers have already fetched the child through ``people.access`` (which logs the read);
these functions only shape what the page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from childrenmatter.casework import actions
from childrenmatter.casework.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    ChronologyEntry,
    ChronologyKind,
    EarlyHelpEpisode,
    Referral,
    Section47Enquiry,
    Section47Outcome,
    StrategyDiscussion,
    Visit,
)
from childrenmatter.clocks.state import ClockState, clock_state
from childrenmatter.dataset import codes
from childrenmatter.frontdoor.models import ContactChild
from childrenmatter.people.models import Person


@dataclass(frozen=True)
class Event:
    """A line of the chronology: one stored entry, or a front door event read from its
    record (contacts, decisions and referrals are the front door's, and are not copied)."""

    day: dt.date
    kind: str
    summary: str
    significant: bool
    recorded_by: str = ""
    entry: ChronologyEntry | None = None

    @property
    def kind_label(self) -> str:
        return ChronologyKind(self.kind).label


def _label(list_name: str, code: str) -> str:
    try:
        return codes.label(list_name, code)
    except (KeyError, ValueError):
        return code


def _front_door_events(person: Person) -> list[Event]:
    events = []
    links = ContactChild.objects.filter(person=person).select_related("contact")
    for link in links:
        contact = link.contact
        received = timezone.localtime(contact.received_at).date()
        events.append(Event(received, ChronologyKind.CONTACT,
                            f"Contact {contact.reference} from "
                            f"{_label('referral_source', contact.source).lower()}"
                            + (" (domestic abuse notification)" if contact.is_domestic_abuse
                               else ""), False))
        if contact.decided_at and contact.decision:
            events.append(Event(timezone.localtime(contact.decided_at).date(),
                                ChronologyKind.DECISION,
                                f"Front door decision on {contact.reference}: "
                                f"{_label('contact_outcome', contact.decision).lower()}",
                                True))
    for referral in Referral.objects.filter(person=person):
        text = f"Referral {referral.reference} to children's social care"
        if referral.closure_date:
            text += f" (closed {referral.closure_date:%-d %B %Y})"
        events.append(Event(referral.referral_date, ChronologyKind.REFERRAL, text, True))
    return events


def _loaded_events(person: Person) -> list[Event]:
    """Events of records loaded from another system's files (``store.load``): they were
    not made by an action here, so no entry was written; read them from the records."""
    K = ChronologyKind
    events = []

    def add(day, kind, summary, significant=False):
        if day is not None:
            events.append(Event(day, kind, summary, significant, "Loaded"))

    loaded = {"person": person, "created_by__isnull": True}
    for a in Assessment.objects.filter(**loaded):
        add(a.start_date, K.ASSESSMENT, "Child and family assessment started")
        add(a.authorised_date, K.ASSESSMENT, "Assessment authorised"
            + (f": {_label('assessment_outcome', a.outcome).lower()}" if a.outcome else ""),
            True)
    for d in StrategyDiscussion.objects.filter(**loaded):
        add(d.discussion_date, K.STRATEGY_DISCUSSION, "Strategy discussion: "
            + ("a section 47 enquiry starts" if d.section_47 else "no section 47 enquiry"), True)
    for e in Section47Enquiry.objects.filter(**loaded):
        add(e.end_date, K.SECTION_47, "Section 47 enquiry concluded: " + (
            "initial conference needed" if e.icpc_required else "no conference"), True)
    for c in ChildProtectionConference.objects.filter(**loaded):
        add(c.conference_date, K.CONFERENCE, ("Initial" if c.conference_type == "initial"
                                              else "Review") + " child protection conference",
            True)
    for p in ChildProtectionPlan.objects.filter(**loaded):
        add(p.start_date, K.CP_PLAN, "Child protection plan started: "
            f"{_label('category_of_abuse', p.initial_category).lower()}", True)
        add(p.end_date, K.CP_PLAN, "Child protection plan ended", True)
    for p in ChildInNeedPlan.objects.filter(**loaded):
        add(p.start_date, K.CIN_PLAN, "Child in need plan started", True)
        add(p.end_date, K.CIN_PLAN, "Child in need plan ended", True)
    for v in Visit.objects.filter(**loaded):
        how = "seen alone" if v.seen_alone else "seen" if v.seen else "not seen"
        add(v.visit_date, K.VISIT,
            f"{_label('visit_type', v.visit_type)}: the child was {how}")
    return events


def chronology(person: Person, *, kind: str = "", significant_only: bool = False
               ) -> list[Event]:
    """The child's chronology, newest first, of one kind or all."""
    stored = [
        Event(e.event_date, e.kind, e.summary, e.significant,
              e.recorded_by.get_username() if e.recorded_by else "", e)
        for e in ChronologyEntry.objects.filter(person=person).select_related("recorded_by")
    ]
    events = stored + _front_door_events(person) + _loaded_events(person)
    if kind:
        events = [e for e in events if e.kind == kind]
    if significant_only:
        events = [e for e in events if e.significant]
    # Newest first; on one day, in the order recorded (front door events first).
    events.sort(key=lambda e: (e.day, e.entry.pk if e.entry else 0), reverse=True)
    return events


@dataclass(frozen=True)
class Due:
    """A clock on the child's page: what, by when, and its state today."""

    what: str
    due: dt.date
    state: ClockState


def due_and_overdue(person: Person, today: dt.date | None = None) -> list[Due]:
    """Every open clock of the child's casework, the most urgent first."""
    today = today or timezone.localdate()
    clocks: list[tuple[str, dt.date]] = []
    for referral in Referral.objects.filter(person=person, closure_date__isnull=True,
                                            referral_nfa=False):
        if not referral.assessments.filter(authorised_date__isnull=False).exists():
            due = referral.assessment_due or actions.rules.due_date(
                "assessment", referral.referral_date)
            clocks.append((f"Assessment authorised (referral {referral.reference})", due))
    for enquiry in Section47Enquiry.objects.filter(person=person, icpc_date__isnull=True,
                                                   referral__closure_date__isnull=True):
        if enquiry.outcome in ("", Section47Outcome.ICPC):
            clocks.append(("Initial child protection conference",
                           actions.icpc_due(enquiry.start_date)))
    for plan in ChildProtectionPlan.objects.filter(person=person, end_date__isnull=True):
        clocks.append(("Review child protection conference", actions.review_due(plan)))
    for visit_type, what in (("cp", "Child protection visit"), ("cin", "Child in need visit")):
        due = actions.visit_due(person, visit_type)
        if due is not None:
            clocks.append((what, due))
    shown = [Due(what, due, clock_state(due=due, done=None, today=today))
             for what, due in clocks]
    return sorted(shown, key=lambda d: d.due)


@dataclass(frozen=True)
class Status:
    cin: bool
    cp: bool
    early_help: bool


def status(person: Person, today: dt.date | None = None) -> Status:
    """Which involvements are open today: a child in need (an open referral that was not
    closed with no further action), on a child protection plan, in early help."""
    today = today or timezone.localdate()
    return Status(
        cin=Referral.objects.filter(person=person, closure_date__isnull=True,
                                    referral_nfa=False, referral_date__lte=today).exists(),
        cp=ChildProtectionPlan.objects.filter(person=person, end_date__isnull=True).exists(),
        early_help=EarlyHelpEpisode.objects.filter(person=person,
                                                   end_date__isnull=True).exists(),
    )


def open_plans(person: Person) -> tuple[ChildProtectionPlan | None, ChildInNeedPlan | None]:
    cp = ChildProtectionPlan.objects.filter(person=person, end_date__isnull=True).first()
    cin = (ChildInNeedPlan.objects.filter(person=person, end_date__isnull=True)
           .prefetch_related("goals").first())
    return cp, cin
