"""Changes to a child's casework after the front door: assessments, strategy discussions,
section 47 enquiries, child protection conferences and plans, child in need plans, visits
and the chronology.

Every action is keyword-only and takes the ``actor``; it checks the permission
(``accounts.permissions``) and the rule, and raises ``ValidationError({field: [message
naming the rule]})`` before anything is saved. Each runs in one transaction that also
writes the child's chronology entry, so an event is never recorded without it. Changes to
an existing record lock it at the version the user opened (``versions``), and django-simple-
history keeps the earlier version with who and why.

The rules are the statutory journey's (DOMAIN.md, Working Together 2023): a section 47
enquiry starts on the day of its strategy discussion; no child protection plan without an
initial conference that decided one; one open plan of each kind at a time; every date on
or after the referral's and before its closure; a manager other than the worker authorises
an assessment, and one authorised after its 45 working days says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from childrenmatter.accounts.permissions import Permission, require
from childrenmatter.casework.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    ChronologyEntry,
    ChronologyKind,
    PlanGoal,
    Referral,
    Section47Enquiry,
    Section47Outcome,
    StrategyDiscussion,
    Visit,
)
from childrenmatter.clocks import rules
from childrenmatter.dataset import codes
from childrenmatter.people.models import Person
from childrenmatter.versions import lock_at_version, save_new_version

NO_FACTORS = "21"  # DfE assessment factor "No factors identified": never with another


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _long(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _check_day(errors: _Errors, field: str, day: dt.date | None, what: str) -> bool:
    """A date was given and is not in the future."""
    if day is None:
        errors.add(field, f"Enter the date {what}")
        return False
    if day > timezone.localdate():
        errors.add(field, f"The date {what} must be today or in the past")
        return False
    return True


def _check_inside_referral(errors: _Errors, field: str, day: dt.date, referral: Referral,
                           what: str) -> None:
    """``day`` falls within the referral (the CIN episode): on or after it was made, and not
    after it closed. The CIN census refuses a conference or plan outside its episode."""
    if day < referral.referral_date:
        errors.add(field, f"The date {what} must be on or after the referral "
                          f"({_long(referral.referral_date)})")
    if referral.closure_date is not None:
        # Nothing is added to a closed episode, even dated before it closed: the census
        # refuses a closed episode with anything still open.
        errors.add(field, f"The referral closed on {_long(referral.closure_date)}: nothing more "
                          "is recorded on it (a new concern is a new referral)")


def _chronicle(*, actor, person: Person, kind: str, day: dt.date, summary: str,
               significant: bool = False) -> ChronologyEntry:
    return ChronologyEntry.objects.create(
        la_code=person.la_code, person=person, kind=kind, event_date=day, summary=summary,
        significant=significant, recorded_by=_user(actor),
    )


def _next_reference(model: type[models.Model], la_code: str, stem: str) -> str:
    """``stem``-N, N one more than the records already named from ``stem`` (the caller holds
    the referral's row lock, so two people cannot take the same number)."""
    taken = model.objects.filter(la_code=la_code, reference__startswith=f"{stem}-").count()
    number = taken + 1
    while model.objects.filter(la_code=la_code, reference=f"{stem}-{number}").exists():
        number += 1
    return f"{stem}-{number}"


def _lock_referral(referral: Referral, field: str) -> Referral:
    """The referral's row, locked; refused if it closed since the caller read it."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.closure_date is not None:
        raise ValidationError({field: [
            f"The referral closed on {_long(locked.closure_date)}: nothing more is recorded on "
            "it (a new concern is a new referral)"]})
    return locked


# --- Assessments ---------------------------------------------------------------------------


def start_assessment(*, actor, referral: Referral, start_date: dt.date,
                     worker_reference: str = "") -> Assessment:
    """Start the child and family assessment of a referral."""
    require(actor, Permission.RECORD_CASEWORK, referral.la_code)
    errors = _Errors()
    if _check_day(errors, "start_date", start_date, "the assessment started"):
        _check_inside_referral(errors, "start_date", start_date, referral,
                               "the assessment started")
    if len(worker_reference.strip()) > 40:
        errors.add("worker_reference", "Worker must be 40 characters or fewer")
    errors.raise_any()
    with transaction.atomic():
        referral = _lock_referral(referral, "start_date")
        if referral.assessments.filter(authorised_date__isnull=True).exists():
            raise ValidationError({"start_date": [
                "This referral already has an assessment in progress: finish it first"]})
        assessment = Assessment.objects.create(
            la_code=referral.la_code, reference=_next_reference(
                Assessment, referral.la_code, f"{referral.reference}-A"),
            referral=referral, person=referral.person, start_date=start_date,
            worker_reference=worker_reference.strip(), created_by=_user(actor),
        )
        _chronicle(actor=actor, person=referral.person, kind=ChronologyKind.ASSESSMENT,
                   day=start_date, summary="Child and family assessment started "
                   f"(due to be authorised by {_long(referral.assessment_due)})"
                   if referral.assessment_due else "Child and family assessment started")
    return assessment


def assessment_due(assessment: Assessment) -> dt.date:
    """The last day to authorise it: 45 working days from the referral (``assessment``)."""
    referral = assessment.referral
    return referral.assessment_due or rules.due_date("assessment", referral.referral_date)


def complete_assessment(
    *, actor, assessment: Assessment, expected_version: int | None, completed_date: dt.date,
    childs_views: str, factors: Sequence[str], outcome: str, late_reason: str = "",
) -> Assessment:
    """The worker finishes the assessment: the child's views, the factors found, what next.
    It then waits for a manager's authorisation."""
    require(actor, Permission.RECORD_CASEWORK, assessment.la_code)
    errors = _Errors()
    if (_check_day(errors, "completed_date", completed_date, "the assessment was completed")
            and completed_date < assessment.start_date):
        errors.add("completed_date", "The date the assessment was completed must be on or "
                   f"after it started ({_long(assessment.start_date)})")
    if not childs_views.strip():
        errors.add("childs_views", "Enter the child's views and wishes (or why they could "
                   "not be gathered): an assessment records the child's voice")
    factors = list(dict.fromkeys(factors))
    year = codes.collection_year(completed_date or assessment.start_date)
    valid = codes.ASSESSMENT_FACTOR.codes_for(year)
    unknown = [f for f in factors if f not in valid]
    if not factors:
        errors.add("factors", f"Choose the factors identified, or '{NO_FACTORS}: no factors "
                   "identified'")
    elif unknown:
        errors.add("factors", f"{', '.join(unknown)} is not a DfE assessment factor")
    elif NO_FACTORS in factors and len(factors) > 1:
        errors.add("factors", "'No factors identified' cannot go with other factors")
    if outcome not in codes.ASSESSMENT_OUTCOME.all_codes:
        errors.add("outcome", "Choose what follows the assessment")
    errors.raise_any()
    with transaction.atomic():
        assessment = lock_at_version(assessment, expected_version)
        if assessment.completed_date is not None:
            raise ValidationError({"completed_date": ["The assessment is already completed"]})
        due = assessment_due(assessment)
        if completed_date > due and not late_reason.strip():
            raise ValidationError({"late_reason": [
                f"The assessment was due by {_long(due)} (45 working days from the "
                "referral): enter why it is late"]})
        assessment.completed_date = completed_date
        assessment.childs_views = childs_views.strip()
        assessment.factors = factors
        assessment.outcome = outcome
        assessment.late_reason = late_reason.strip()
        assessment.completed_by = _user(actor)
        save_new_version(assessment, actor=actor, reason="completed")
        _chronicle(actor=actor, person=assessment.person, kind=ChronologyKind.ASSESSMENT,
                   day=completed_date, summary="Assessment completed: "
                   f"{codes.label('assessment_outcome', outcome).lower()}; factors "
                   f"{', '.join(factors)}")
    return assessment


def authorise_assessment(*, actor, assessment: Assessment, expected_version: int | None,
                         authorised_date: dt.date, late_reason: str = "") -> Assessment:
    """A manager authorises the completed assessment, which stops the ``assessment`` clock.

    Not the worker who completed it: authorisation is the management oversight Ofsted
    looks for. Authorised after 45 working days, it needs the reason it is late (unless
    the worker already gave one).
    """
    require(actor, Permission.AUTHORISE_ASSESSMENT, assessment.la_code)
    errors = _Errors()
    _check_day(errors, "authorised_date", authorised_date, "the assessment was authorised")
    errors.raise_any()
    with transaction.atomic():
        assessment = lock_at_version(assessment, expected_version)
        if assessment.completed_date is None:
            raise ValidationError({"authorised_date": [
                "The assessment is not completed yet: the worker completes it first"]})
        if assessment.authorised_date is not None:
            raise ValidationError({"authorised_date": ["The assessment is already authorised"]})
        if assessment.completed_by_id is not None and assessment.completed_by_id == actor.pk:
            raise ValidationError({"authorised_date": [
                "You completed this assessment: another manager must authorise it"]})
        if authorised_date < assessment.completed_date:
            raise ValidationError({"authorised_date": [
                "The date the assessment was authorised must be on or after it was completed "
                f"({_long(assessment.completed_date)})"]})
        due = assessment_due(assessment)
        late = authorised_date > due
        if late and not (late_reason.strip() or assessment.late_reason):
            raise ValidationError({"late_reason": [
                f"The assessment was due to be authorised by {_long(due)} (45 working days "
                "from the referral): enter why it is late"]})
        if late and late_reason.strip():
            assessment.late_reason = "\n".join(
                r for r in (assessment.late_reason, late_reason.strip()) if r)
        assessment.authorised_date = authorised_date
        assessment.authorised_by = _user(actor)
        save_new_version(assessment, actor=actor, reason="authorised")
        summary = "Assessment authorised by a manager"
        if late:
            summary += f", late (due {_long(due)}): {assessment.late_reason}"
        _chronicle(actor=actor, person=assessment.person, kind=ChronologyKind.ASSESSMENT,
                   day=authorised_date, summary=summary, significant=True)
    return assessment


# --- Strategy discussions and section 47 enquiries ----------------------------------------


def record_strategy_discussion(
    *, actor, referral: Referral, discussion_date: dt.date, police: bool, health: bool,
    social_care: bool, section_47: bool, others: str = "", notes: str = "",
) -> StrategyDiscussion:
    """Record a strategy discussion; if it decides on a section 47 enquiry, the enquiry
    starts the same day (and with it the ``icpc`` clock of 15 working days)."""
    require(actor, Permission.RECORD_CASEWORK, referral.la_code)
    errors = _Errors()
    if _check_day(errors, "discussion_date", discussion_date, "of the strategy discussion"):
        _check_inside_referral(errors, "discussion_date", discussion_date, referral,
                               "of the strategy discussion")
    missing = [name for name, took_part in (("children's social care", social_care),
                                            ("the police", police), ("health", health))
               if not took_part]
    if missing:
        errors.add("participants", "A strategy discussion involves at least children's social "
                   f"care, the police and health (Working Together 2023): {', '.join(missing)} "
                   "did not take part")
    if len(others.strip()) > 300:
        errors.add("others", "Others who took part must be 300 characters or fewer")
    errors.raise_any()
    with transaction.atomic():
        referral = _lock_referral(referral, "discussion_date")
        discussion = StrategyDiscussion.objects.create(
            la_code=referral.la_code, reference=_next_reference(
                StrategyDiscussion, referral.la_code, f"{referral.reference}-D"),
            referral=referral, person=referral.person, discussion_date=discussion_date,
            section_47=section_47, police=police, health=health, social_care=social_care,
            others=others.strip(), notes=notes.strip(), created_by=_user(actor),
        )
        next_step = "a section 47 enquiry starts" if section_47 else "no section 47 enquiry"
        _chronicle(actor=actor, person=referral.person,
                   kind=ChronologyKind.STRATEGY_DISCUSSION, day=discussion_date,
                   summary=f"Strategy discussion: {next_step}", significant=True)
        if section_47:
            Section47Enquiry.objects.create(
                la_code=referral.la_code, reference=f"{discussion.reference}-S",
                referral=referral, strategy_discussion=discussion, person=referral.person,
                start_date=discussion_date, created_by=_user(actor),
            )
            _chronicle(actor=actor, person=referral.person, kind=ChronologyKind.SECTION_47,
                       day=discussion_date, summary="Section 47 enquiry started; initial "
                       f"conference due by {_long(icpc_due(discussion_date))}")
    return discussion


def icpc_due(discussion_date: dt.date) -> dt.date:
    """The last day for the initial conference: 15 working days from the strategy discussion."""
    return rules.due_date("icpc", discussion_date)


def record_section_47_outcome(*, actor, enquiry: Section47Enquiry,
                              expected_version: int | None, end_date: dt.date,
                              outcome: str) -> Section47Enquiry:
    """Conclude a section 47 enquiry: no further action, child in need, or an initial
    child protection conference."""
    require(actor, Permission.RECORD_CASEWORK, enquiry.la_code)
    errors = _Errors()
    if _check_day(errors, "end_date", end_date, "the enquiry concluded"):
        if end_date < enquiry.start_date:
            errors.add("end_date", "The date the enquiry concluded must be on or after it "
                       f"started ({_long(enquiry.start_date)})")
        _check_inside_referral(errors, "end_date", end_date, enquiry.referral,
                               "the enquiry concluded")
    if outcome not in Section47Outcome.values:
        errors.add("outcome", "Choose the outcome of the enquiry")
    errors.raise_any()
    with transaction.atomic():
        enquiry = lock_at_version(enquiry, expected_version)
        if enquiry.end_date is not None:
            raise ValidationError({"end_date": ["The enquiry has already concluded"]})
        enquiry.end_date = end_date
        enquiry.outcome = outcome
        enquiry.icpc_required = outcome == Section47Outcome.ICPC
        save_new_version(enquiry, actor=actor, reason=f"concluded: {outcome}")
        _chronicle(actor=actor, person=enquiry.person, kind=ChronologyKind.SECTION_47,
                   day=end_date, significant=True,
                   summary=f"Section 47 enquiry concluded: {Section47Outcome(outcome).label}")
    return enquiry


# --- Child protection conferences and plans ----------------------------------------------


def _check_category(errors: _Errors, field: str, category: str, day: dt.date | None) -> None:
    valid = (codes.CATEGORY_OF_ABUSE.codes_for(codes.collection_year(day)) if day
             else codes.CATEGORY_OF_ABUSE.all_codes)
    if category not in valid:
        errors.add(field, "Choose the category of abuse (neglect, physical, emotional, sexual "
                   "or multiple)")


def record_initial_conference(
    *, actor, enquiry: Section47Enquiry, conference_date: dt.date, plan_decided: bool,
    category: str = "", late_reason: str = "",
) -> ChildProtectionConference:
    """Record the initial child protection conference of a section 47 enquiry. If it
    decides the child needs a plan, the plan starts that day, in the same transaction.

    Due within 15 working days of the strategy discussion (``icpc``): a late one says why.
    """
    require(actor, Permission.RECORD_CASEWORK, enquiry.la_code)
    errors = _Errors()
    if _check_day(errors, "conference_date", conference_date, "of the conference"):
        if conference_date < enquiry.start_date:
            errors.add("conference_date", "The date of the conference must be on or after the "
                       f"enquiry started ({_long(enquiry.start_date)})")
        _check_inside_referral(errors, "conference_date", conference_date, enquiry.referral,
                               "of the conference")
    if plan_decided:
        _check_category(errors, "category", category, conference_date)
    due = icpc_due(enquiry.start_date)
    late = conference_date is not None and conference_date > due
    if late and not late_reason.strip():
        errors.add("late_reason", f"The conference was due by {_long(due)} (15 working days "
                   "from the strategy discussion): enter why it is late")
    errors.raise_any()
    with transaction.atomic():
        enquiry = lock_at_version(enquiry, None)
        if enquiry.outcome != Section47Outcome.ICPC:
            raise ValidationError({"conference_date": [
                "The enquiry did not conclude that an initial conference is needed: record "
                "its outcome first"]})
        if enquiry.end_date is not None and conference_date < enquiry.end_date:
            raise ValidationError({"conference_date": [
                "The date of the conference must be on or after the enquiry concluded "
                f"({_long(enquiry.end_date)})"]})
        if enquiry.conferences.filter(conference_type="initial").exists():
            raise ValidationError({"conference_date": [
                "This enquiry already has its initial conference"]})
        conference = ChildProtectionConference.objects.create(
            la_code=enquiry.la_code, reference=f"{enquiry.reference}-C",
            person=enquiry.person, conference_type="initial",
            conference_date=conference_date, section_47_enquiry=enquiry,
            plan_decided=plan_decided, due_date=due,
            late_reason=late_reason.strip() if late else "", created_by=_user(actor),
        )
        enquiry.icpc_date = conference_date
        save_new_version(enquiry, actor=actor, reason="initial conference held")
        decided = "a child protection plan" if plan_decided else "no child protection plan"
        summary = f"Initial child protection conference: {decided}"
        if late:
            summary += f" (late, due {_long(due)}: {late_reason.strip()})"
        _chronicle(actor=actor, person=enquiry.person, kind=ChronologyKind.CONFERENCE,
                   day=conference_date, summary=summary, significant=True)
        if plan_decided:
            start_child_protection_plan(actor=actor, conference=conference, category=category)
            conference.refresh_from_db()
    return conference


def start_child_protection_plan(*, actor, conference: ChildProtectionConference,
                                category: str) -> ChildProtectionPlan:
    """Start the plan an initial conference decided on, on the day of the conference."""
    require(actor, Permission.RECORD_CASEWORK, conference.la_code)
    errors = _Errors()
    _check_category(errors, "category", category, conference.conference_date)
    errors.raise_any()
    with transaction.atomic():
        conference = ChildProtectionConference.objects.select_for_update().get(pk=conference.pk)
        if conference.conference_type != "initial" or not conference.plan_decided:
            raise ValidationError({"category": [
                "A child protection plan starts only from an initial conference that decided "
                "the child needs one"]})
        if conference.cp_plan_id is not None:
            raise ValidationError({"category": ["This conference's plan has already started"]})
        person = Person.objects.select_for_update().get(pk=conference.person_id)
        if ChildProtectionPlan.objects.filter(person=person, end_date__isnull=True).exists():
            raise ValidationError({"category": [
                "The child already has an open child protection plan: a child has one at a "
                "time (end it, or review it at a conference)"]})
        start = conference.conference_date
        if ChildProtectionPlan.objects.filter(person=person).filter(
                models.Q(end_date__gt=start) | models.Q(start_date__gte=start)).exists():
            raise ValidationError({"category": [
                "The child had a child protection plan after that date: plans of one child "
                "do not overlap"]})
        enquiry = conference.section_47_enquiry
        plan = ChildProtectionPlan.objects.create(
            la_code=conference.la_code, reference=f"{conference.reference}-P",
            referral=enquiry.referral, person=person, start_date=start,
            initial_category=category, latest_category=category,
            previous_plans=ChildProtectionPlan.objects.filter(
                person=person, start_date__lte=start).count(),
            created_by=_user(actor),
        )
        conference.cp_plan = plan
        save_new_version(conference, actor=actor, reason="plan started")
        _chronicle(actor=actor, person=person, kind=ChronologyKind.CP_PLAN, day=start,
                   significant=True, summary="Child protection plan started: "
                   f"{codes.label('category_of_abuse', category).lower()}; first review due "
                   f"by {_long(rules.due_date('first_rcpc', start))}")
    return plan


def review_due(plan: ChildProtectionPlan) -> dt.date:
    """The last day for the next review conference: 3 months after the plan started, then
    at most 6 months after the last review."""
    last = (plan.conferences.filter(conference_type="review")
            .order_by("-conference_date").values_list("conference_date", flat=True).first())
    if last is None:
        return rules.due_date("first_rcpc", plan.start_date)
    return rules.due_date("next_rcpc", last)


def record_review_conference(
    *, actor, plan: ChildProtectionPlan, expected_version: int | None,
    conference_date: dt.date, plan_continues: bool, latest_category: str = "",
    end_reason: str = "", late_reason: str = "",
) -> ChildProtectionConference:
    """Record a review conference: the plan continues (perhaps under a new category) or
    ends that day with the reason."""
    require(actor, Permission.RECORD_CASEWORK, plan.la_code)
    errors = _Errors()
    if _check_day(errors, "conference_date", conference_date, "of the review"):
        if conference_date <= plan.start_date:
            errors.add("conference_date", "The date of the review must be after the plan "
                       f"started ({_long(plan.start_date)})")
        _check_inside_referral(errors, "conference_date", conference_date, plan.referral,
                               "of the review")
    if plan_continues and latest_category:
        _check_category(errors, "latest_category", latest_category, conference_date)
    if not plan_continues and not end_reason.strip():
        errors.add("end_reason", "Enter why the plan ends")
    due = review_due(plan)
    late = conference_date is not None and conference_date > due
    if late and not late_reason.strip():
        errors.add("late_reason", f"The review was due by {_long(due)}: enter why it is late")
    errors.raise_any()
    with transaction.atomic():
        plan = lock_at_version(plan, expected_version)
        if plan.end_date is not None:
            raise ValidationError({"conference_date": ["The plan has ended: it has no more "
                                                       "reviews"]})
        if plan.conferences.filter(conference_date__gte=conference_date).exists():
            raise ValidationError({"conference_date": [
                "The plan already has a conference on or after that date"]})
        conference = ChildProtectionConference.objects.create(
            la_code=plan.la_code, reference=_next_reference(
                ChildProtectionConference, plan.la_code, f"{plan.reference}-R"),
            person=plan.person, conference_type="review", conference_date=conference_date,
            cp_plan=plan, plan_decided=plan_continues, due_date=due,
            late_reason=late_reason.strip() if late else "", created_by=_user(actor),
        )
        if plan_continues:
            if latest_category and latest_category != plan.latest_category:
                plan.latest_category = latest_category
            summary = "Review child protection conference: the plan continues"
        else:
            plan.end_date = conference_date
            plan.end_reason = end_reason.strip()
            summary = f"Review child protection conference: the plan ends ({plan.end_reason})"
        if late:
            summary += f" (late, due {_long(due)}: {late_reason.strip()})"
        save_new_version(plan, actor=actor, reason="reviewed")
        _chronicle(actor=actor, person=plan.person, kind=ChronologyKind.CONFERENCE,
                   day=conference_date, summary=summary, significant=True)
    return conference


def end_child_protection_plan(*, actor, plan: ChildProtectionPlan, expected_version: int | None,
                              end_date: dt.date, end_reason: str) -> ChildProtectionPlan:
    """End a plan outside a review (the child moved away, came into care, died)."""
    return _end_plan(actor=actor, plan=plan, expected_version=expected_version,
                     end_date=end_date, reason=end_reason, reason_field="end_reason",
                     kind=ChronologyKind.CP_PLAN, what="Child protection plan")


def _end_plan(*, actor, plan, expected_version: int | None, end_date: dt.date, reason: str,
              reason_field: str, kind: str, what: str):
    """End a CP or CIN plan on ``end_date`` for ``reason`` (kept in ``reason_field``), once."""
    require(actor, Permission.RECORD_CASEWORK, plan.la_code)
    errors = _Errors()
    if _check_day(errors, "end_date", end_date, "the plan ended") and end_date < plan.start_date:
        errors.add("end_date", "The date the plan ended must be on or after it started "
                   f"({_long(plan.start_date)})")
    if not reason.strip():
        errors.add(reason_field, "Enter why the plan ends")
    errors.raise_any()
    with transaction.atomic():
        plan = lock_at_version(plan, expected_version)
        if plan.end_date is not None:
            raise ValidationError({"end_date": ["The plan has already ended"]})
        plan.end_date = end_date
        setattr(plan, reason_field, reason.strip())
        save_new_version(plan, actor=actor, reason="ended")
        _chronicle(actor=actor, person=plan.person, kind=kind, day=end_date,
                   significant=True, summary=f"{what} ended: {reason.strip()}")
    return plan


# --- Child in need plans -------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """A goal of a plan: what will change, who is responsible, and by when."""

    goal: str
    owner: str
    target_date: dt.date | None


def start_child_in_need_plan(*, actor, referral: Referral, start_date: dt.date,
                             goals: Sequence[Goal]) -> ChildInNeedPlan:
    """Start a child in need plan with its goals, each with an owner and a date (the seed
    inspection found plans without timescales)."""
    require(actor, Permission.RECORD_CASEWORK, referral.la_code)
    errors = _Errors()
    if _check_day(errors, "start_date", start_date, "the plan started"):
        _check_inside_referral(errors, "start_date", start_date, referral, "the plan started")
    goals = [g for g in goals if g.goal.strip() or g.owner.strip() or g.target_date]
    if not goals:
        errors.add("goals", "Enter at least one goal, with who is responsible and by when")
    for index, goal in enumerate(goals):
        field = f"goals[{index}]"
        if not goal.goal.strip():
            errors.add(f"{field}.goal", f"Goal {index + 1}: enter what will change")
        elif len(goal.goal.strip()) > 500:
            errors.add(f"{field}.goal", f"Goal {index + 1} must be 500 characters or fewer")
        if not goal.owner.strip():
            errors.add(f"{field}.owner", f"Goal {index + 1}: enter who is responsible")
        if goal.target_date is None:
            errors.add(f"{field}.target_date", f"Goal {index + 1}: enter the date it is due")
        elif start_date is not None and goal.target_date < start_date:
            errors.add(f"{field}.target_date",
                       f"Goal {index + 1}: the date it is due must be after the plan starts")
    errors.raise_any()
    with transaction.atomic():
        referral = _lock_referral(referral, "start_date")
        if referral.cin_plans.filter(end_date__isnull=True).exists():
            raise ValidationError({"start_date": [
                "This referral already has an open child in need plan"]})
        if referral.cin_plans.filter(
                models.Q(end_date__gt=start_date) | models.Q(start_date__gte=start_date)).exists():
            raise ValidationError({"start_date": [
                "This referral had a child in need plan after that date: its plans do not "
                "overlap"]})
        plan = ChildInNeedPlan.objects.create(
            la_code=referral.la_code, reference=_next_reference(
                ChildInNeedPlan, referral.la_code, f"{referral.reference}-N"),
            referral=referral, person=referral.person, start_date=start_date,
            created_by=_user(actor),
        )
        for goal in goals:
            PlanGoal.objects.create(plan=plan, goal=goal.goal.strip(),
                                    owner=goal.owner.strip()[:200],
                                    target_date=goal.target_date)
        _chronicle(actor=actor, person=referral.person, kind=ChronologyKind.CIN_PLAN,
                   day=start_date, significant=True,
                   summary=f"Child in need plan started with {len(goals)} "
                   f"goal{'s' if len(goals) != 1 else ''}")
    return plan


def end_child_in_need_plan(*, actor, plan: ChildInNeedPlan, expected_version: int | None,
                           end_date: dt.date, closure_reason: str) -> ChildInNeedPlan:
    return _end_plan(actor=actor, plan=plan, expected_version=expected_version,
                     end_date=end_date, reason=closure_reason, reason_field="closure_reason",
                     kind=ChronologyKind.CIN_PLAN, what="Child in need plan")


# --- Visits --------------------------------------------------------------------------------


def _open_on(queryset, day: dt.date):
    return queryset.filter(start_date__lte=day).filter(
        models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))


def record_visit(*, actor, person: Person, visit_date: dt.date, visit_type: str, seen: bool,
                 seen_alone: bool, note: str = "") -> Visit:
    """Record a statutory visit under the child's child protection or child in need plan."""
    require(actor, Permission.RECORD_CASEWORK, person.la_code)
    errors = _Errors()
    _check_day(errors, "visit_date", visit_date, "of the visit")
    if visit_type not in ("cp", "cin"):
        errors.add("visit_type", "Choose the plan the visit is under: child protection or "
                   "child in need")
    if seen_alone and not seen:
        errors.add("seen_alone", "A child seen alone was seen: say the child was seen")
    errors.raise_any()
    plans = (ChildProtectionPlan if visit_type == "cp" else ChildInNeedPlan).objects
    if not _open_on(plans.filter(person=person), visit_date).exists():
        what = "a child protection" if visit_type == "cp" else "a child in need"
        raise ValidationError({"visit_type": [
            f"The child was not on {what} plan on {_long(visit_date)}"]})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        visit = Visit.objects.create(
            la_code=person.la_code, reference=_next_reference(
                Visit, person.la_code, f"V-{person.local_id or person.pk}"),
            person=person, visit_date=visit_date, visit_type=visit_type, seen=seen,
            seen_alone=seen_alone, note=note.strip(), created_by=_user(actor),
        )
        how = "seen alone" if seen_alone else "seen" if seen else "not seen"
        kind = "Child protection" if visit_type == "cp" else "Child in need"
        _chronicle(actor=actor, person=person, kind=ChronologyKind.VISIT, day=visit_date,
                   summary=f"{kind} visit: the child was {how}")
    return visit


def visit_due(person: Person, visit_type: str) -> dt.date | None:
    """When the next visit is due under the child's open plan of that type (``cp_visit``,
    ``cin_visit``), from the last visit or the plan's start; None without an open plan."""
    plans = (ChildProtectionPlan if visit_type == "cp" else ChildInNeedPlan).objects
    plan = plans.filter(person=person, end_date__isnull=True).order_by("-start_date").first()
    if plan is None:
        return None
    last = (Visit.objects.filter(person=person, visit_type=visit_type,
                                 visit_date__gte=plan.start_date)
            .order_by("-visit_date").values_list("visit_date", flat=True).first())
    return rules.due_date(f"{visit_type}_visit", last or plan.start_date)


# --- Closing the referral (the CIN episode) -----------------------------------------------

# After an assessment with no further action or a step down: nothing else may have happened.
CLOSED_AFTER_ASSESSMENT = ("RC8", "RC9")


def close_referral(*, actor, referral: Referral, expected_version: int | None,
                   closure_date: dt.date, closure_reason: str) -> Referral:
    """Close the referral (the CIN episode) with the DfE reason. Nothing may be left open
    (an assessment not authorised, an enquiry not concluded, a plan), and nothing may
    have happened after the day it closes: the CIN census refuses both."""
    require(actor, Permission.RECORD_CASEWORK, referral.la_code)
    errors = _Errors()
    if _check_day(errors, "closure_date", closure_date, "the referral closed") and (
            closure_date < referral.referral_date):
        errors.add("closure_date", "The date the referral closed must be on or after it was "
                   f"made ({_long(referral.referral_date)})")
    if closure_reason not in codes.CLOSURE_REASON.all_codes:
        errors.add("closure_reason", "Choose the reason the case closed (the DfE's RC1 to RC9)")
    errors.raise_any()
    with transaction.atomic():
        referral = lock_at_version(referral, expected_version)
        if referral.closure_date is not None:
            raise ValidationError({"closure_date": ["The referral is already closed"]})
        still_open = [
            what for what, open_ in (
                ("an assessment not authorised",
                 referral.assessments.filter(authorised_date__isnull=True)),
                ("a section 47 enquiry not concluded",
                 referral.section_47_enquiries.filter(end_date__isnull=True)),
                ("an initial conference still to be held", referral.section_47_enquiries
                 .filter(icpc_required=True, icpc_date__isnull=True)),
                ("a child protection plan", referral.cp_plans.filter(end_date__isnull=True)),
                ("a child in need plan", referral.cin_plans.filter(end_date__isnull=True)),
            ) if open_.exists()
        ]
        if still_open:
            raise ValidationError({"closure_date": [
                f"The referral still has {', '.join(still_open)}: finish or end it first"]})
        latest = max(_activity_dates(referral), default=None)
        if latest is not None and closure_date < latest:
            raise ValidationError({"closure_date": [
                f"Something happened on this referral on {_long(latest)}: it cannot close "
                "before then"]})
        if closure_reason in CLOSED_AFTER_ASSESSMENT and (
                referral.cin_plans.exists() or referral.section_47_enquiries.exists()
                or referral.cp_plans.exists()):
            raise ValidationError({"closure_reason": [
                f"{closure_reason} is for a case closed after its assessment, and this one "
                "went on to a plan or an enquiry: choose another reason"]})
        referral.closure_date = closure_date
        referral.closure_reason = closure_reason
        save_new_version(referral, actor=actor, reason=f"closed: {closure_reason}")
        _chronicle(actor=actor, person=referral.person, kind=ChronologyKind.REFERRAL,
                   day=closure_date, significant=True,
                   summary=f"Referral {referral.reference} closed: "
                   f"{codes.label('closure_reason', closure_reason).lower()}")
    return referral


def _activity_dates(referral: Referral) -> list[dt.date]:
    dates = []
    for queryset, columns in (
        (referral.assessments, ("start_date", "completed_date", "authorised_date")),
        (referral.strategy_discussions, ("discussion_date",)),
        (referral.section_47_enquiries, ("start_date", "end_date", "icpc_date")),
        (referral.cp_plans, ("start_date", "end_date")),
        (referral.cin_plans, ("start_date", "end_date")),
        (ChildProtectionConference.objects.filter(cp_plan__referral=referral),
         ("conference_date",)),
    ):
        for row in queryset.values_list(*columns):
            dates += [day for day in row if day is not None]
    return dates


# --- The chronology ------------------------------------------------------------------------


def add_chronology_entry(*, actor, person: Person, event_date: dt.date, summary: str,
                         significant: bool = False) -> ChronologyEntry:
    """A worker adds an event to the child's chronology (a note of something that happened)."""
    require(actor, Permission.RECORD_CASEWORK, person.la_code)
    errors = _Errors()
    _check_day(errors, "event_date", event_date, "it happened")
    if not summary.strip():
        errors.add("summary", "Enter what happened")
    elif len(summary.strip()) > 2000:
        errors.add("summary", "What happened must be 2000 characters or fewer")
    errors.raise_any()
    with transaction.atomic():
        return _chronicle(actor=actor, person=person, kind=ChronologyKind.NOTE, day=event_date,
                          summary=summary.strip(), significant=significant)


def mark_significant(*, actor, entry: ChronologyEntry, expected_version: int | None,
                     significant: bool) -> ChronologyEntry:
    """Mark an entry significant (or not); the history keeps who changed it."""
    require(actor, Permission.RECORD_CASEWORK, entry.la_code)
    with transaction.atomic():
        entry = lock_at_version(entry, expected_version)
        if entry.significant != significant:
            entry.significant = significant
            save_new_version(entry, actor=actor, reason="marked significant" if significant
                             else "marked not significant")
    return entry
