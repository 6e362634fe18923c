"""The casework actions keep the journey's rules, name the field and the rule when refused,
and write the child's chronology with every step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from childrenmatter.casework import actions
from childrenmatter.casework.actions import Goal
from childrenmatter.casework.models import (
    ChildProtectionPlan,
    ChronologyEntry,
    Section47Enquiry,
)

from .casework_builders import make_child, make_referral

pytestmark = pytest.mark.django_db

D = dt.date
REFERRED = D(2026, 1, 5)  # a Monday
DISCUSSED = D(2026, 1, 12)
ICPC = D(2026, 1, 30)
COMPLETED = D(2026, 2, 2)


@pytest.fixture
def worker(make_staff):
    return make_staff("social_worker")


@pytest.fixture
def manager(make_staff):
    return make_staff("team_manager")


def fields(error: ValidationError) -> set[str]:
    return set(error.message_dict)


def to_enquiry(worker, referral, on=DISCUSSED) -> Section47Enquiry:
    discussion = actions.record_strategy_discussion(
        actor=worker, referral=referral, discussion_date=on, police=True, health=True,
        social_care=True, section_47=True)
    return discussion.section_47_enquiries.get()


def to_plan(worker, referral, icpc=ICPC) -> ChildProtectionPlan:
    enquiry = to_enquiry(worker, referral)
    actions.record_section_47_outcome(actor=worker, enquiry=enquiry, expected_version=1,
                                      end_date=D(2026, 1, 20), outcome="icpc")
    conference = actions.record_initial_conference(
        actor=worker, enquiry=enquiry, conference_date=icpc, plan_decided=True,
        category="NEG", late_reason="" if icpc <= actions.icpc_due(enquiry.start_date)
        else "Chair unavailable")
    return conference.cp_plan


# --- Assessments ---------------------------------------------------------------------------


def complete(worker, assessment, on=COMPLETED, **extra):
    return actions.complete_assessment(
        actor=worker, assessment=assessment, expected_version=assessment.version,
        completed_date=on, childs_views="Amy says she feels safe at school.",
        factors=["3B", "4B"], outcome="cin_plan", **extra)


def test_an_assessment_is_started_completed_and_authorised_by_another_manager(worker, manager):
    referral = make_referral(on=REFERRED)

    assessment = actions.start_assessment(actor=worker, referral=referral,
                                          start_date=D(2026, 1, 6))
    complete(worker, assessment)
    assessment.refresh_from_db()
    actions.authorise_assessment(actor=manager, assessment=assessment,
                                 expected_version=assessment.version,
                                 authorised_date=D(2026, 2, 3))

    assessment.refresh_from_db()
    assert assessment.authorised_date == D(2026, 2, 3)
    assert assessment.authorised_by == manager
    assert assessment.factors == ["3B", "4B"]
    assert assessment.history.count() == 3
    assert assessment.history.first().history_change_reason == "authorised"
    kinds = list(ChronologyEntry.objects.filter(person=referral.person)
                 .values_list("kind", "event_date"))
    assert kinds == [("assessment", D(2026, 1, 6)), ("assessment", D(2026, 2, 2)),
                     ("assessment", D(2026, 2, 3))]


def test_the_manager_who_completed_an_assessment_may_not_authorise_it(manager):
    assessment = actions.start_assessment(actor=manager, referral=make_referral(),
                                          start_date=D(2026, 1, 6))
    complete(manager, assessment)
    assessment.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        actions.authorise_assessment(actor=manager, assessment=assessment,
                                     expected_version=assessment.version,
                                     authorised_date=D(2026, 2, 3))
    assert "another manager must authorise it" in str(refused.value)


def test_a_social_worker_may_not_authorise_an_assessment(worker, make_staff):
    assessment = actions.start_assessment(actor=worker, referral=make_referral(),
                                          start_date=D(2026, 1, 6))
    complete(worker, assessment)
    assessment.refresh_from_db()

    with pytest.raises(PermissionDenied):
        actions.authorise_assessment(actor=make_staff("social_worker"), assessment=assessment,
                                     expected_version=assessment.version,
                                     authorised_date=D(2026, 2, 3))


def test_a_late_assessment_is_authorised_only_with_the_reason_it_is_late(worker, manager):
    referral = make_referral(on=REFERRED)  # due 45 working days later: 9 March 2026
    assessment = actions.start_assessment(actor=worker, referral=referral,
                                          start_date=D(2026, 1, 6))
    complete(worker, assessment, on=D(2026, 3, 5))
    assessment.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        actions.authorise_assessment(actor=manager, assessment=assessment,
                                     expected_version=assessment.version,
                                     authorised_date=D(2026, 3, 10))
    assert fields(refused.value) == {"late_reason"}
    assert "9 March 2026" in str(refused.value)

    actions.authorise_assessment(actor=manager, assessment=assessment,
                                 expected_version=assessment.version,
                                 authorised_date=D(2026, 3, 10),
                                 late_reason="Father's views took three visits to gather")
    assessment.refresh_from_db()
    assert assessment.late_reason == "Father's views took three visits to gather"
    assert "late" in ChronologyEntry.objects.filter(person=referral.person).last().summary


def test_completing_an_assessment_needs_the_childs_views_and_real_factors(worker):
    assessment = actions.start_assessment(actor=worker, referral=make_referral(),
                                          start_date=D(2026, 1, 6))

    with pytest.raises(ValidationError) as refused:
        actions.complete_assessment(actor=worker, assessment=assessment, expected_version=1,
                                    completed_date=D(2026, 1, 5), childs_views=" ",
                                    factors=["99Z"], outcome="maybe")
    assert fields(refused.value) == {"completed_date", "childs_views", "factors", "outcome"}

    with pytest.raises(ValidationError) as refused:
        actions.complete_assessment(actor=worker, assessment=assessment, expected_version=1,
                                    completed_date=D(2026, 1, 9), childs_views="Spoke to her",
                                    factors=["21", "3B"], outcome="nfa")
    assert "'No factors identified' cannot go with other factors" in str(refused.value)


def test_an_assessment_cannot_start_before_the_referral_or_beside_another_in_progress(worker):
    referral = make_referral(on=REFERRED)

    with pytest.raises(ValidationError) as refused:
        actions.start_assessment(actor=worker, referral=referral, start_date=D(2026, 1, 2))
    assert "on or after the referral (5 January 2026)" in str(refused.value)

    actions.start_assessment(actor=worker, referral=referral, start_date=D(2026, 1, 6))
    with pytest.raises(ValidationError, match="already has an assessment in progress"):
        actions.start_assessment(actor=worker, referral=referral, start_date=D(2026, 1, 7))


def test_a_front_door_practitioner_does_not_record_casework(make_staff):
    with pytest.raises(PermissionDenied):
        actions.start_assessment(actor=make_staff("front_door_practitioner"),
                                 referral=make_referral(), start_date=D(2026, 1, 6))


def test_hartlepool_staff_cannot_touch_a_middlesbrough_referral(make_staff):
    with pytest.raises(PermissionDenied):
        actions.start_assessment(actor=make_staff("social_worker", "805"),
                                 referral=make_referral(), start_date=D(2026, 1, 6))


# --- Strategy discussion, s47, conference, plan ------------------------------------------


def test_a_strategy_discussion_needs_police_health_and_social_care(worker):
    with pytest.raises(ValidationError) as refused:
        actions.record_strategy_discussion(
            actor=worker, referral=make_referral(), discussion_date=D(2026, 1, 12),
            police=True, health=False, social_care=True, section_47=True)
    assert fields(refused.value) == {"participants"}
    assert "health did not take part" in str(refused.value)
    assert not Section47Enquiry.objects.exists()


def test_a_section_47_enquiry_starts_on_the_day_of_its_strategy_discussion(worker):
    enquiry = to_enquiry(worker, make_referral(), on=D(2026, 1, 12))

    assert enquiry.start_date == D(2026, 1, 12)
    assert actions.icpc_due(enquiry.start_date) == D(2026, 2, 2)  # 15 working days


def test_the_journey_to_a_plan_records_the_conference_and_the_chronology(worker):
    referral = make_referral()

    plan = to_plan(worker, referral)

    assert plan.start_date == D(2026, 1, 30)
    assert plan.initial_category == plan.latest_category == "NEG"
    assert plan.previous_plans == 0
    enquiry = Section47Enquiry.objects.get()
    assert enquiry.icpc_required and enquiry.icpc_date == D(2026, 1, 30)
    kinds = list(ChronologyEntry.objects.filter(person=referral.person)
                 .order_by("pk").values_list("kind", flat=True))
    assert kinds == ["strategy_discussion", "section_47", "section_47", "conference", "cp_plan"]


def test_no_plan_without_an_initial_conference_that_decided_one(worker):
    referral = make_referral()
    enquiry = to_enquiry(worker, referral)
    actions.record_section_47_outcome(actor=worker, enquiry=enquiry, expected_version=1,
                                      end_date=D(2026, 1, 20), outcome="icpc")
    conference = actions.record_initial_conference(
        actor=worker, enquiry=enquiry, conference_date=D(2026, 1, 30), plan_decided=False)

    with pytest.raises(ValidationError, match="initial conference that decided"):
        actions.start_child_protection_plan(actor=worker, conference=conference,
                                            category="NEG")
    assert not ChildProtectionPlan.objects.exists()


def test_no_conference_unless_the_enquiry_concluded_one_is_needed(worker):
    enquiry = to_enquiry(worker, make_referral())

    with pytest.raises(ValidationError, match="record its outcome first"):
        actions.record_initial_conference(actor=worker, enquiry=enquiry,
                                          conference_date=D(2026, 1, 30), plan_decided=True,
                                          category="NEG")


def test_a_late_initial_conference_needs_a_reason(worker):
    enquiry = to_enquiry(worker, make_referral())
    actions.record_section_47_outcome(actor=worker, enquiry=enquiry, expected_version=1,
                                      end_date=D(2026, 1, 20), outcome="icpc")

    with pytest.raises(ValidationError) as refused:
        actions.record_initial_conference(actor=worker, enquiry=enquiry,
                                          conference_date=D(2026, 2, 3), plan_decided=True,
                                          category="NEG")
    assert fields(refused.value) == {"late_reason"}
    assert "due by 2 February 2026" in str(refused.value)


def test_a_child_has_one_open_child_protection_plan_at_a_time(worker):
    child = make_child()
    to_plan(worker, make_referral(child, on=D(2026, 1, 5)))
    second = make_referral(child, on=D(2026, 1, 6))

    with pytest.raises(ValidationError, match="already has an open child protection plan"):
        to_plan(worker, second, icpc=D(2026, 1, 31))
    assert ChildProtectionPlan.objects.count() == 1
    # The refusal left nothing half saved: no second conference without its plan.
    assert not Section47Enquiry.objects.filter(referral=second, icpc_date__isnull=False).exists()


def test_a_review_keeps_the_plan_or_ends_it_with_the_reason(worker):
    plan = to_plan(worker, make_referral())

    actions.record_review_conference(actor=worker, plan=plan, expected_version=plan.version,
                                     conference_date=D(2026, 4, 20), plan_continues=True,
                                     latest_category="EMO")
    plan.refresh_from_db()
    assert plan.latest_category == "EMO" and plan.end_date is None
    assert actions.review_due(plan) == D(2026, 10, 20)

    actions.record_review_conference(actor=worker, plan=plan, expected_version=plan.version,
                                     conference_date=D(2026, 7, 1), plan_continues=False,
                                     end_reason="Risks reduced; father has left the home")
    plan.refresh_from_db()
    assert plan.end_date == D(2026, 7, 1)
    assert plan.end_reason == "Risks reduced; father has left the home"


def test_a_review_after_three_months_without_a_reason_is_refused(worker):
    plan = to_plan(worker, make_referral())  # first review due 30 April 2026

    with pytest.raises(ValidationError) as refused:
        actions.record_review_conference(actor=worker, plan=plan, expected_version=1,
                                         conference_date=D(2026, 5, 5), plan_continues=True)
    assert "due by 30 April 2026" in str(refused.value)


def test_a_plan_cannot_end_before_it_started_or_twice(worker):
    plan = to_plan(worker, make_referral())

    with pytest.raises(ValidationError) as refused:
        actions.end_child_protection_plan(actor=worker, plan=plan, expected_version=1,
                                          end_date=D(2026, 1, 29), end_reason="Moved away")
    assert fields(refused.value) == {"end_date"}
    actions.end_child_protection_plan(actor=worker, plan=plan, expected_version=1,
                                      end_date=D(2026, 2, 10), end_reason="Moved away")
    with pytest.raises(ValidationError, match="already ended"):
        actions.end_child_protection_plan(actor=worker, plan=plan, expected_version=None,
                                          end_date=D(2026, 2, 11), end_reason="Moved away")


def test_saving_over_someone_elses_change_is_refused(worker):
    from childrenmatter.versions import StaleVersion

    plan = to_plan(worker, make_referral())
    actions.record_review_conference(actor=worker, plan=plan, expected_version=1,
                                     conference_date=D(2026, 4, 20), plan_continues=True)

    with pytest.raises(StaleVersion):
        actions.end_child_protection_plan(actor=worker, plan=plan, expected_version=1,
                                          end_date=D(2026, 4, 21), end_reason="Moved away")


def test_nothing_is_recorded_on_a_closed_referral_even_dated_before_it_closed(worker):
    referral = make_referral(on=REFERRED, closed=D(2026, 1, 25))

    with pytest.raises(ValidationError, match="The referral closed on 25 January 2026"):
        actions.record_strategy_discussion(
            actor=worker, referral=referral, discussion_date=DISCUSSED, police=True,
            health=True, social_care=True, section_47=True)


def test_a_referral_closes_only_when_nothing_is_left_open(worker, manager):
    referral = make_referral(on=REFERRED)
    assessment = actions.start_assessment(actor=worker, referral=referral,
                                          start_date=D(2026, 1, 6))

    with pytest.raises(ValidationError, match="an assessment not authorised"):
        actions.close_referral(actor=worker, referral=referral, expected_version=1,
                               closure_date=D(2026, 2, 10), closure_reason="RC8")

    complete(worker, assessment)
    assessment.refresh_from_db()
    actions.authorise_assessment(actor=manager, assessment=assessment,
                                 expected_version=assessment.version,
                                 authorised_date=D(2026, 2, 3))
    with pytest.raises(ValidationError, match="Something happened on this referral on 3 Feb"):
        actions.close_referral(actor=worker, referral=referral, expected_version=1,
                               closure_date=D(2026, 2, 2), closure_reason="RC8")
    actions.close_referral(actor=worker, referral=referral, expected_version=1,
                           closure_date=D(2026, 2, 3), closure_reason="RC8")
    referral.refresh_from_db()
    assert (referral.closure_date, referral.closure_reason) == (D(2026, 2, 3), "RC8")
    assert referral.history.first().history_user == worker


def test_no_further_action_after_assessment_is_not_a_reason_after_a_plan(worker):
    referral = make_referral()
    plan = to_plan(worker, referral)
    actions.end_child_protection_plan(actor=worker, plan=plan, expected_version=1,
                                      end_date=D(2026, 3, 1), end_reason="Safe now")

    with pytest.raises(ValidationError) as refused:
        actions.close_referral(actor=worker, referral=referral, expected_version=1,
                               closure_date=D(2026, 3, 2), closure_reason="RC8")
    assert fields(refused.value) == {"closure_reason"}


# --- Child in need plans and visits --------------------------------------------------------


def test_a_child_in_need_plan_needs_goals_with_owners_and_dates(worker):
    referral = make_referral()

    with pytest.raises(ValidationError) as refused:
        actions.start_child_in_need_plan(actor=worker, referral=referral,
                                         start_date=D(2026, 2, 2),
                                         goals=[Goal("Amy attends school every day", "", None)])
    assert fields(refused.value) == {"goals[0].owner", "goals[0].target_date"}

    plan = actions.start_child_in_need_plan(
        actor=worker, referral=referral, start_date=D(2026, 2, 2),
        goals=[Goal("Amy attends school every day", "Mother, with the school", D(2026, 4, 1))])
    assert [str(g) for g in plan.goals.all()] == [
        "Amy attends school every day (Mother, with the school, by 1 April 2026)"]
    with pytest.raises(ValidationError, match="already has an open child in need plan"):
        actions.start_child_in_need_plan(actor=worker, referral=referral,
                                         start_date=D(2026, 2, 3),
                                         goals=[Goal("Again", "Me", D(2026, 4, 1))])


def test_a_visit_is_under_a_plan_the_child_was_on_that_day(worker):
    referral = make_referral()
    plan = to_plan(worker, referral)

    with pytest.raises(ValidationError, match="not on a child protection plan on 29 January"):
        actions.record_visit(actor=worker, person=referral.person, visit_date=D(2026, 1, 29),
                             visit_type="cp", seen=True, seen_alone=True)
    with pytest.raises(ValidationError) as refused:
        actions.record_visit(actor=worker, person=referral.person, visit_date=D(2026, 2, 2),
                             visit_type="cp", seen=False, seen_alone=True)
    assert fields(refused.value) == {"seen_alone"}

    actions.record_visit(actor=worker, person=referral.person, visit_date=D(2026, 2, 2),
                         visit_type="cp", seen=True, seen_alone=True)
    assert plan.person.visits.get().seen_alone
    # The next is due 10 working days after the last (cp_visit).
    assert actions.visit_due(referral.person, "cp") == D(2026, 2, 16)


def test_a_worker_adds_a_chronology_entry_and_marks_another_significant(worker):
    child = make_child()
    note = actions.add_chronology_entry(actor=worker, person=child, event_date=D(2026, 1, 7),
                                        summary="Grandmother moved into the home")

    actions.mark_significant(actor=worker, entry=note, expected_version=1, significant=True)

    note.refresh_from_db()
    assert note.significant and note.version == 2
    assert note.history.first().history_user == worker
