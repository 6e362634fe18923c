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

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from childrenmatter.accounts.models import PartnerOrganisation
from childrenmatter.accounts.permissions import Permission, can, require
from childrenmatter.casework.models import EarlyHelpEpisode, Referral
from childrenmatter.clocks import calendar, rules
from childrenmatter.dataset import codes
from childrenmatter.frontdoor.models import (
    Agency,
    Consent,
    Contact,
    ContactChild,
    ContactStatus,
    Decision,
    DomesticAbuseTriage,
    PartnerCheck,
    Rag,
    RagRating,
    RiskLevel,
)
from childrenmatter.people.models import Person
from childrenmatter.versions import lock_at_version, save_new_version


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
        require(actor, Permission.CREATE_CONTACT, la_code)

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
    if not source:
        _add(errors, "source", "Choose who got in touch (the DfE referral source)")
    elif source not in valid_sources:
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


# --- Settings with DOMAIN.md's defaults ---------------------------------------------------

# Hours to gather partner information after a RAG rating (DOMAIN.md: local targets).
DEFAULT_RAG_HOURS = {Rag.RED: 2, Rag.AMBER: 6, Rag.GREEN: 24}
# Operation Encompass: a school is told before the start of its next school day.
DEFAULT_SCHOOL_DAY_STARTS = dt.time(8, 45)


def rag_hours() -> dict[str, int]:
    """Hours to gather partner information for each RAG rating (``FRONTDOOR_RAG_HOURS``)."""
    hours = {str(k): v for k, v in DEFAULT_RAG_HOURS.items()}
    hours.update(getattr(settings, "FRONTDOOR_RAG_HOURS", {}) or {})
    return hours


def school_day_starts() -> dt.time:
    return getattr(settings, "FRONTDOOR_SCHOOL_DAY_STARTS", DEFAULT_SCHOOL_DAY_STARTS)


def information_due(rag: str, rated_at: dt.datetime) -> dt.datetime:
    """When partner information must be in, for a contact rated ``rag`` at ``rated_at``."""
    return rated_at + dt.timedelta(hours=rag_hours()[rag])


def decision_due(received_at: dt.datetime) -> dt.date:
    """The last day to decide a contact: 1 working day (``contact_decision`` clock) after
    the day it was received, so one received on Thu 24 Dec 2020 is due on Tue 29 Dec."""
    received_on = timezone.localtime(received_at).date()
    return rules.due_date(rules.get_rule("contact_decision"), received_on)


def next_school_day_start(after: dt.datetime) -> dt.datetime:
    """The start of the first school day after the moment ``after``.

    School days are the working days of the clocks' calendar (term dates are the school's
    own, and a notification in the holidays is still sent before the next working day,
    when the school's key adult reads it). An incident at 2am on a Tuesday is told before
    8:45 that Tuesday; one at 8pm, before 8:45 on Wednesday.
    """
    local = timezone.localtime(after)
    starts = school_day_starts()
    day = local.date()
    while True:
        if calendar.is_working_day(day):
            start = timezone.make_aware(dt.datetime.combine(day, starts))
            if start > local:
                return start
        day += dt.timedelta(days=1)


# --- Screening -----------------------------------------------------------------------------


def _check_open(contact: Contact, field: str = "contact") -> None:
    if contact.status == ContactStatus.DECIDED:
        raise ValidationError({field: [f"{contact} has been decided: it can no longer change"]})


def _actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def match_child(
    *, actor, contact_child: ContactChild, person: Person, expected_version: int | None = None
) -> ContactChild:
    """Link a child as reported to the record the front door found for them (search first)."""
    contact = contact_child.contact
    require(actor, Permission.SCREEN_CONTACT, contact.la_code)
    with transaction.atomic():
        contact = lock_at_version(contact, expected_version)
        _check_open(contact, "person")
        if contact.status == ContactStatus.AWAITING_AUTHORISATION:
            raise ValidationError(
                {"person": ["The decision is awaiting authorisation: children cannot change"]}
            )
        if person.la_code != contact.la_code:
            raise ValidationError(
                {"person": ["That record belongs to another authority: a contact's children "
                            "belong to the contact's authority"]}
            )
        if person.merged_into_id is not None:
            raise ValidationError({"person": ["That record was merged into another: use that one"]})
        if (
            ContactChild.objects.filter(contact=contact, person=person)
            .exclude(pk=contact_child.pk).exists()
        ):
            raise ValidationError({"person": ["That child is already on this contact"]})
        link = ContactChild.objects.select_for_update().get(pk=contact_child.pk)
        link.person = person
        link.save(update_fields=["person"])
        save_new_version(contact, actor=actor, reason=f"matched a child to record {person.pk}")
    return link


def rate_contact(*, actor, contact: Contact, expected_version: int | None, rag: str,
                 reason: str) -> RagRating:
    """Rate (or re-rate) a contact; the deadline to gather partner information moves with it."""
    require(actor, Permission.SCREEN_CONTACT, contact.la_code)
    errors: dict[str, list[str]] = {}
    if rag not in codes.RAG.all_codes:
        _add(errors, "rag", "Choose red, amber or green")
    if not reason.strip():
        _add(errors, "reason", "Enter why you gave this rating")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = lock_at_version(contact, expected_version)
        _check_open(contact, "rag")
        if contact.status == ContactStatus.AWAITING_AUTHORISATION:
            raise ValidationError({"rag": ["The decision is awaiting authorisation"]})
        now = timezone.now()
        due = information_due(rag, now)
        rating = RagRating.objects.create(
            contact=contact, rag=rag, reason=reason.strip(), rated_by=_actor_or_none(actor),
            rated_at=now, information_due_at=due,
        )
        previous = contact.rag
        contact.rag = rag
        contact.information_due_at = due
        contact.status = ContactStatus.SCREENING
        # Checks still waiting for a reply are due at the new deadline.
        for check in contact.checks.select_for_update().filter(replied_at__isnull=True):
            check.due_at = due
            check._history_user = _actor_or_none(actor)
            check._change_reason = f"contact rated {rag}"
            check.save(update_fields=["due_at"])
        save_new_version(
            contact, actor=actor,
            reason=f"re-rated {previous} to {rag}" if previous else f"rated {rag}",
        )
    return rating


def request_check(*, actor, contact: Contact, agency: str, question: str) -> PartnerCheck:
    """Ask a partner agency what it knows; due at the contact's information deadline."""
    require(actor, Permission.SCREEN_CONTACT, contact.la_code)
    errors: dict[str, list[str]] = {}
    if agency not in Agency.values:
        _add(errors, "agency", "Choose the agency to ask")
    if not question.strip():
        _add(errors, "question", "Enter what you are asking the agency")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = lock_at_version(contact, None)
        _check_open(contact, "agency")
        if contact.information_due_at is None:
            raise ValidationError(
                {"agency": ["Rate the contact first: a check is due by the deadline its RAG "
                            "rating sets"]}
            )
        check = PartnerCheck.objects.create(
            contact=contact, agency=agency, question=question.strip(),
            requested_by=_actor_or_none(actor), due_at=contact.information_due_at,
        )
        save_new_version(contact, actor=actor, reason=f"asked {agency}")
    return check


def record_check_reply(*, actor, check: PartnerCheck, reply: str,
                       replied_at: dt.datetime | None = None) -> PartnerCheck:
    """Record what a partner agency said."""
    require(actor, Permission.SCREEN_CONTACT, check.contact.la_code)
    now = timezone.now()
    replied_at = replied_at or now
    errors: dict[str, list[str]] = {}
    if not reply.strip():
        _add(errors, "reply", "Enter what the agency said")
    if replied_at > now + dt.timedelta(minutes=5):
        _add(errors, "replied_at", "When they replied must not be in the future")
    elif replied_at < check.requested_at:
        _add(errors, "replied_at", "When they replied must be after the check was asked for")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        check = PartnerCheck.objects.select_for_update().get(pk=check.pk)
        _check_open(check.contact, "reply")
        if check.replied_at is not None:
            raise ValidationError({"reply": ["This check already has a reply: ask again instead"]})
        check.reply = reply.strip()
        check.replied_at = replied_at
        check.recorded_by = _actor_or_none(actor)
        check._history_user = _actor_or_none(actor)
        check.save()
        contact = lock_at_version(check.contact, None)
        save_new_version(contact, actor=actor, reason=f"{check.agency} replied")
    return check


def triage_domestic_abuse(
    *, actor, contact: Contact, risk_level: str, children_present: bool,
    incident_at: dt.datetime | None, school_name: str,
) -> DomesticAbuseTriage:
    """Triage a domestic abuse notification on its own track (so it never queues behind
    everything else): risk, whether children were there, and the school to tell under
    Operation Encompass before the start of the next school day after the incident."""
    require(actor, Permission.TRIAGE_DOMESTIC_ABUSE, contact.la_code)
    errors: dict[str, list[str]] = {}
    if not contact.is_domestic_abuse:
        _add(errors, "contact", "Only a domestic abuse notification is triaged here")
    if risk_level not in RiskLevel.values:
        _add(errors, "risk_level", "Choose the risk level: standard, medium or high")
    if children_present not in (True, False):
        _add(errors, "children_present", "Say whether children were present")
    if incident_at is not None and incident_at > timezone.now() + dt.timedelta(minutes=5):
        _add(errors, "incident_at", "When the incident happened must not be in the future")
    _limit(errors, "school_name", school_name.strip(), 200, "School")
    if errors:
        raise ValidationError(errors)
    school_name = school_name.strip()
    # The clock runs from the incident (the police's notification is about it); without a
    # time, from when the notification was received.
    notify_by = next_school_day_start(incident_at or contact.received_at) if school_name else None
    with transaction.atomic():
        contact = lock_at_version(contact, None)
        _check_open(contact, "risk_level")
        triage = DomesticAbuseTriage.objects.select_for_update().filter(contact=contact).first()
        if triage is None:
            triage = DomesticAbuseTriage(contact=contact)
        triage.risk_level = risk_level
        triage.children_present = children_present
        triage.incident_at = incident_at
        if triage.school_name != school_name:
            triage.school_notified_at = None
            triage.school_notified_by = None
        triage.school_name = school_name
        triage.school_notify_by = notify_by
        triage.triaged_by = _actor_or_none(actor)
        triage.triaged_at = timezone.now()
        triage._history_user = _actor_or_none(actor)
        triage.save()
        if contact.status == ContactStatus.AWAITING_SCREENING:
            contact.status = ContactStatus.SCREENING
        save_new_version(contact, actor=actor, reason=f"domestic abuse triage: {risk_level} risk")
    return triage


def record_school_notified(*, actor, triage: DomesticAbuseTriage,
                           notified_at: dt.datetime | None = None) -> DomesticAbuseTriage:
    """Record that the school's key adult was told (Operation Encompass)."""
    require(actor, Permission.TRIAGE_DOMESTIC_ABUSE, triage.contact.la_code)
    now = timezone.now()
    notified_at = notified_at or now
    if notified_at > now + dt.timedelta(minutes=5):
        raise ValidationError(
            {"notified_at": ["When the school was told must not be in the future"]}
        )
    with transaction.atomic():
        triage = DomesticAbuseTriage.objects.select_for_update().get(pk=triage.pk)
        if not triage.school_name:
            raise ValidationError({"notified_at": ["Name the school to tell first"]})
        if triage.school_notified_at is not None:
            raise ValidationError({"notified_at": ["The school has already been told"]})
        triage.school_notified_at = notified_at
        triage.school_notified_by = _actor_or_none(actor)
        triage._history_user = _actor_or_none(actor)
        triage.save()
        contact = lock_at_version(triage.contact, None)
        save_new_version(contact, actor=actor, reason=f"told {triage.school_name}")
    return triage


# --- The threshold decision ----------------------------------------------------------------


def record_decision(*, actor, contact: Contact, expected_version: int | None, decision: str,
                    rationale: str, late_reason: str = "") -> Contact:
    """Record the threshold decision; it then waits for a manager's authorisation.

    Due within 1 working day of the day the contact came in (``contact_decision`` clock);
    a late decision needs the reason it is late.
    """
    require(actor, Permission.DECIDE_CONTACT, contact.la_code)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if decision not in codes.CONTACT_OUTCOME.all_codes:
        _add(errors, "decision", "Choose the decision")
    if not rationale.strip():
        _add(errors, "rationale", "Enter the rationale for the decision")
    late = timezone.localtime(now).date() > decision_due(contact.received_at)
    if late and not late_reason.strip():
        _add(
            errors, "late_reason",
            f"The decision was due by {decision_due(contact.received_at):%-d %B %Y} "
            "(1 working day): enter why it is late",
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = lock_at_version(contact, expected_version)
        _check_open(contact, "decision")
        if contact.status == ContactStatus.AWAITING_AUTHORISATION:
            raise ValidationError(
                {"decision": ["A decision is already awaiting a manager's authorisation"]}
            )
        unmatched = [str(link) for link in contact.child_links.filter(person__isnull=True)]
        if unmatched:
            raise ValidationError(
                {"decision": [f"Match every child to a record first (not yet matched: "
                              f"{', '.join(unmatched)})"]}
            )
        contact.decision = decision
        contact.decision_rationale = rationale.strip()
        contact.late_reason = late_reason.strip() if late else ""
        contact.decided_by = _actor_or_none(actor)
        contact.decided_at = now
        contact.status = ContactStatus.AWAITING_AUTHORISATION
        save_new_version(contact, actor=actor, reason=f"decided {decision}")
    return contact


def return_decision(*, actor, contact: Contact, expected_version: int | None,
                    reason: str) -> Contact:
    """A manager sends a decision back to screening, with why (it is kept in the history)."""
    require(actor, Permission.AUTHORISE_DECISION, contact.la_code)
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the decision is sent back"]})
    with transaction.atomic():
        contact = lock_at_version(contact, expected_version)
        if contact.status != ContactStatus.AWAITING_AUTHORISATION:
            raise ValidationError({"reason": ["There is no decision awaiting authorisation"]})
        contact.status = ContactStatus.SCREENING
        contact.decision = ""
        contact.decided_by = None
        contact.decided_at = None
        save_new_version(contact, actor=actor, reason=f"sent back: {reason.strip()}")
    return contact


def authorise_decision(*, actor, contact: Contact, expected_version: int | None) -> Contact:
    """A manager authorises the decision, which opens the next step for every child:
    an early help episode, or a referral with its 45-working-day assessment clock.

    The manager must not be the person who decided: Ofsted found decisions made without
    management oversight, and a second pair of eyes is the point of authorising. A manager
    who decides asks another manager to authorise.
    """
    require(actor, Permission.AUTHORISE_DECISION, contact.la_code)
    with transaction.atomic():
        contact = lock_at_version(contact, expected_version)
        if contact.status != ContactStatus.AWAITING_AUTHORISATION:
            raise ValidationError({"contact": ["There is no decision awaiting authorisation"]})
        if contact.decided_by_id is not None and contact.decided_by_id == actor.pk:
            raise ValidationError(
                {"contact": ["You made this decision: another manager must authorise it"]}
            )
        now = timezone.now()
        contact.authorised_by = _actor_or_none(actor)
        contact.authorised_at = now
        contact.status = ContactStatus.DECIDED
        save_new_version(contact, actor=actor, reason="authorised")
        _open_next_step(actor=actor, contact=contact)
    return contact


def _open_next_step(*, actor, contact: Contact) -> None:
    decided_on = timezone.localtime(contact.decided_at).date()
    for number, link in enumerate(contact.child_links.order_by("pk"), start=1):
        person = link.person
        if contact.decision == Decision.EARLY_HELP:
            EarlyHelpEpisode.objects.create(
                la_code=contact.la_code, reference=f"{contact.reference}-EH{number}",
                person=person, contact=contact, start_date=decided_on,
                created_by=_actor_or_none(actor),
            )
        elif contact.decision in (Decision.REFERRAL, Decision.STRATEGY_DISCUSSION):
            Referral.objects.create(
                la_code=contact.la_code, reference=f"{contact.reference}-R{number}",
                person=person, contact=contact, referral_date=decided_on,
                referral_source=contact.source,
                assessment_due=rules.due_date(rules.get_rule("assessment"), decided_on),
                created_by=_actor_or_none(actor),
            )
