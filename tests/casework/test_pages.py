"""The casework pages: the child's page shows the journey, the forms record each step, and
each read of the child is in the access log."""

from __future__ import annotations

import datetime as dt

import pytest

from childrenmatter.accounts.models import AccessLog
from childrenmatter.casework import actions
from childrenmatter.casework.models import Assessment, ChildProtectionPlan, Section47Enquiry

from .casework_builders import make_referral

pytestmark = pytest.mark.django_db

D = dt.date


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month),
            f"{name}_year": str(day.year)}


@pytest.fixture
def worker(client, make_staff):
    user = make_staff("social_worker")
    client.force_login(user)
    return user


def test_the_childs_page_shows_status_due_dates_and_the_chronology(client, worker):
    referral = make_referral(on=D(2026, 1, 5))
    actions.start_assessment(actor=worker, referral=referral, start_date=D(2026, 1, 6))

    response = client.get(f"/casework/children/{referral.person.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Child in need" in page
    assert "Assessment authorised (referral" in page and "9 March 2026" in page
    assert "Child and family assessment started" in page
    assert AccessLog.objects.filter(person=referral.person, what="casework summary",
                                    allowed=True).exists()


def test_the_chronology_is_filtered_by_kind(client, worker):
    referral = make_referral()
    actions.start_assessment(actor=worker, referral=referral, start_date=D(2026, 1, 6))
    actions.add_chronology_entry(actor=worker, person=referral.person,
                                 event_date=D(2026, 1, 7), summary="Grandmother moved in")

    page = client.get(f"/casework/children/{referral.person.pk}/?kind=note").content.decode()

    assert "Grandmother moved in" in page
    assert "Child and family assessment started" not in page


def test_the_forms_take_a_child_from_referral_to_a_plan(client, worker):
    referral = make_referral(on=D(2026, 1, 5))
    base = "/casework"

    response = client.post(f"{base}/referrals/{referral.pk}/strategy-discussion/", {
        **date_fields("discussion_date", D(2026, 1, 12)),
        "participants": ["social_care", "police", "health"], "section_47": "yes"})
    assert response.status_code == 302
    enquiry = Section47Enquiry.objects.get()
    response = client.post(f"{base}/enquiries/{enquiry.pk}/outcome/", {
        "version": enquiry.version, **date_fields("end_date", D(2026, 1, 20)),
        "outcome": "icpc"})
    assert response.status_code == 302
    response = client.post(f"{base}/enquiries/{enquiry.pk}/conference/", {
        **date_fields("conference_date", D(2026, 1, 30)), "plan_decided": "yes",
        "category": "NEG"})
    assert response.status_code == 302
    plan = ChildProtectionPlan.objects.get()
    assert plan.initial_category == "NEG"


def test_a_form_shows_the_actions_errors_on_the_fields_they_name(client, worker):
    referral = make_referral(on=D(2026, 1, 5))

    response = client.post(f"/casework/referrals/{referral.pk}/strategy-discussion/", {
        **date_fields("discussion_date", D(2026, 1, 2)), "participants": ["police"],
        "section_47": "yes"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "on or after the referral (5 January 2026)" in page
    assert 'href="#discussion_date_day"' in page
    assert "health did not take part" in page


def test_an_assessment_is_completed_on_its_form(client, worker):
    referral = make_referral(on=D(2026, 1, 5))
    assessment = actions.start_assessment(actor=worker, referral=referral,
                                          start_date=D(2026, 1, 6))

    response = client.post(f"/casework/assessments/{assessment.pk}/complete/", {
        "version": 1, **date_fields("completed_date", D(2026, 2, 2)),
        "childs_views": "She wants her dad to stop shouting", "factors": ["3B", "4B"],
        "outcome": "cin_plan"})

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.factors == ["3B", "4B"] and assessment.completed_by == worker


def test_hartlepool_staff_are_told_a_middlesbrough_child_is_not_found(client, make_staff):
    referral = make_referral()
    client.force_login(make_staff("social_worker", "805"))

    assert client.get(f"/casework/children/{referral.person.pk}/").status_code == 404
    assert AccessLog.objects.filter(person=referral.person, allowed=False).exists()


def test_a_cin_plan_form_puts_a_goals_errors_on_that_goal(client, worker):
    referral = make_referral()

    response = client.post(f"/casework/referrals/{referral.pk}/cin-plan/", {
        **date_fields("start_date", D(2026, 2, 2)), "goal_1": "Attends school",
        "goal_1_owner": ""})

    assert response.status_code == 200
    assert "Goal 1: enter who is responsible" in response.content.decode()
    assert not Assessment.objects.exists()


def test_records_loaded_from_another_system_are_in_the_chronology(client, worker):
    from childrenmatter.casework.models import ChildProtectionPlan

    referral = make_referral(on=D(2025, 6, 2))
    ChildProtectionPlan.objects.create(
        la_code="806", reference="P9", referral=referral, person=referral.person,
        start_date=D(2025, 7, 1), end_date=D(2025, 12, 1), initial_category="EMO",
        latest_category="EMO")

    page = client.get(f"/casework/children/{referral.person.pk}/?kind=cp_plan").content.decode()

    assert "Child protection plan started: emotional abuse" in page
    assert "Child protection plan ended" in page


def test_a_referral_is_closed_on_its_form(client, worker):
    referral = make_referral(on=D(2026, 1, 5))

    response = client.post(f"/casework/referrals/{referral.pk}/close/", {
        "version": 1, **date_fields("closure_date", D(2026, 1, 9)), "closure_reason": "RC7"})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.closure_reason == "RC7"
