"""The child protection journey end to end, in Chromium, as a social worker and a manager
would walk it.

A child referred six months ago has an assessment that ran late: the social worker
completes it with the child's views, the factors and the reason it is late, and a manager
authorises it. A strategy discussion with police and health starts a section 47 enquiry,
which concludes that a conference is needed; the initial conference decides on a plan
under neglect; a review three weeks later keeps it, and a second review ends it. Every page
is checked with axe; the journey ends on the child's chronology and in the dataset rows
extracted from the store.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.utils import timezone

from childrenmatter.accounts.models import AccessLog
from childrenmatter.casework.models import Referral
from childrenmatter.clocks.rules import due_date
from childrenmatter.people.actions import create_person
from childrenmatter.store.extract import extract_tables
from childrenmatter.store.models import Authority

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page, serious_problems) -> None:
    assert serious_problems(page) == [], page.url
    assert page.console_problems == [], page.url


def _fill_date(page, name: str, day: dt.date) -> None:
    page.locator(f"#{name}_day").fill(str(day.day))
    page.locator(f"#{name}_month").fill(str(day.month))
    page.locator(f"#{name}_year").fill(str(day.year))


def _back_on_the_childs_page(page, name: str) -> None:
    page.get_by_role("heading", level=1, name=name).wait_for()
    assert "/casework/children/" in page.url


def test_a_referral_goes_through_a_late_assessment_and_child_protection_to_the_plan_ending(
    page, browser, live_server, make_staff, sign_in, serious_problems
):
    # Given a child referred about six months ago, her social worker and a team manager
    worker = make_staff("social_worker", username="sam.worker")
    manager = make_staff("team_manager", username="morgan.manager")
    Authority.objects.create(la_code="806", la_name="Middlesbrough")
    child = create_person(actor=manager, la_code="806", given_name="Maisie",
                          family_name="Thornton", date_of_birth=dt.date(2016, 5, 9),
                          postcode="TS1 2AB", address_line_1="2 Synthetic Street")
    today = timezone.localdate()
    referred = today - dt.timedelta(days=200)
    referral = Referral.objects.create(
        la_code="806", reference="R-2026-1", person=child, referral_date=referred,
        referral_source="5A", assessment_due=due_date("assessment", referred))
    started = referred + dt.timedelta(days=1)
    completed = referral.assessment_due + dt.timedelta(days=3)  # late
    authorised = completed + dt.timedelta(days=1)
    discussed = authorised + dt.timedelta(days=3)
    concluded = discussed + dt.timedelta(days=5)
    icpc = discussed + dt.timedelta(days=7)  # within 15 working days
    reviewed = icpc + dt.timedelta(days=21)
    ended = icpc + dt.timedelta(days=60)
    assert ended <= today
    name = "Maisie Thornton"

    # When the social worker opens her casework from her record
    sign_in(page, live_server, worker.persona)
    page.console_problems.clear()
    page.goto(f"{live_server.url}/people/{child.pk}/")
    page.get_by_role("link", name="Casework: status, what is due, plans and chronology").click()
    _back_on_the_childs_page(page, name)
    assert "Overdue" in page.locator("#due").inner_text()
    _checked(page, serious_problems)

    # she starts the assessment
    page.get_by_role("link", name="Start an assessment for referral R-2026-1").click()
    page.get_by_role("heading", name="Start the assessment").wait_for()
    _checked(page, serious_problems)
    _fill_date(page, "start_date", started)
    page.get_by_role("button", name="Start the assessment").click()
    _back_on_the_childs_page(page, name)

    # and completes it late: first without the reason, which is asked for
    page.get_by_role("link", name="Complete the assessment").click()
    page.get_by_role("heading", name="Complete the assessment").wait_for()
    _checked(page, serious_problems)
    _fill_date(page, "completed_date", completed)
    page.get_by_label("The child's views and wishes").fill(
        "Maisie says she is hungry at home and scared when her mum's partner shouts.")
    page.locator("input[name=factors][value='16A']").check()
    page.locator("input[name=factors][value='3B']").check()
    page.locator("input[name=outcome][value='strategy_discussion']").check()
    page.get_by_role("button", name="Send for authorisation").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "enter why it is late" in page.locator(".govuk-error-summary").inner_text()
    _checked(page, serious_problems)
    page.get_by_label("If it is late, why").fill("Mother cancelled three home visits")
    page.get_by_role("button", name="Send for authorisation").click()
    _back_on_the_childs_page(page, name)

    # Then a manager authorises it
    manager_context = browser.new_context()
    manager_page = manager_context.new_page()
    manager_page.console_problems = []
    sign_in(manager_page, live_server, manager.persona)
    manager_page.goto(f"{live_server.url}/casework/children/{child.pk}/")
    manager_page.get_by_role("link", name="Authorise the assessment").click()
    manager_page.get_by_role("heading", name="Authorise the assessment").wait_for()
    assert "Mother cancelled three home visits" in manager_page.content()
    _checked(manager_page, serious_problems)
    _fill_date(manager_page, "authorised_date", authorised)
    manager_page.get_by_role("button", name="Authorise").click()
    _back_on_the_childs_page(manager_page, name)
    manager_context.close()

    # When the social worker records the strategy discussion, which starts a s47 enquiry
    page.reload()
    page.get_by_role("link", name="Record a strategy discussion for referral R-2026-1").click()
    page.get_by_role("heading", name="Strategy discussion").wait_for()
    _checked(page, serious_problems)
    _fill_date(page, "discussion_date", discussed)
    for who in ("Children's social care", "Police", "Health"):
        page.get_by_label(who, exact=True).check()
    page.locator("#section_47").check()  # "Yes"
    page.get_by_role("button", name="Save the strategy discussion").click()
    _back_on_the_childs_page(page, name)

    # its outcome: an initial conference is needed
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_role("heading", name="Outcome of the section 47 enquiry").wait_for()
    _checked(page, serious_problems)
    _fill_date(page, "end_date", concluded)
    page.get_by_label("Initial child protection conference").check()
    page.get_by_role("button", name="Save the outcome").click()
    _back_on_the_childs_page(page, name)

    # the conference decides on a plan under neglect
    page.get_by_role("link", name="Record the initial conference").click()
    page.get_by_role("heading", name="Initial child protection conference").wait_for()
    _checked(page, serious_problems)
    _fill_date(page, "conference_date", icpc)
    page.locator("#plan_decided").check()
    page.get_by_label("Neglect").check()
    page.get_by_role("button", name="Save the conference").click()
    _back_on_the_childs_page(page, name)
    assert "Child protection plan" in page.locator("#status").inner_text()

    # a review keeps the plan
    page.get_by_role("link", name="Record a review conference").click()
    page.get_by_role("heading", name="Review child protection conference").wait_for()
    _checked(page, serious_problems)
    _fill_date(page, "conference_date", reviewed)
    page.locator("#plan_continues").check()
    page.get_by_role("button", name="Save the review").click()
    _back_on_the_childs_page(page, name)

    # and a second review ends it
    page.get_by_role("link", name="Record a review conference").click()
    page.get_by_role("heading", name="Review child protection conference").wait_for()
    _fill_date(page, "conference_date", ended)
    page.locator("input[name=plan_continues][value=no]").check()
    page.get_by_label("If the plan ends, why").fill("Partner has left; Maisie is fed and safe")
    page.get_by_role("button", name="Save the review").click()
    _back_on_the_childs_page(page, name)
    _checked(page, serious_problems)

    # Then the chronology tells the story, newest first
    chronology = page.locator("#chronology-table").inner_text()
    for event in ("Referral R-2026-1 to children's social care",
                  "Child and family assessment started",
                  "Assessment authorised by a manager, late",
                  "Mother cancelled three home visits",
                  "Strategy discussion: a section 47 enquiry starts",
                  "Section 47 enquiry concluded: Initial child protection conference",
                  "Initial child protection conference: a child protection plan",
                  "Child protection plan started: neglect",
                  "the plan continues",
                  "the plan ends (Partner has left; Maisie is fed and safe)"):
        assert event in chronology, event
    assert chronology.index("the plan ends") < chronology.index("Child and family assessment")
    assert "Child protection plan" not in page.locator("#status").inner_text()

    # and filtering by kind shows only the conferences
    page.get_by_label("Show").select_option("conference")
    page.get_by_role("button", name="Filter").click()
    _back_on_the_childs_page(page, name)
    rows = page.locator("#chronology-table tbody tr")
    assert rows.count() == 3
    _checked(page, serious_problems)

    # and the dataset extracted from the store holds the journey
    tables = extract_tables(["806"])
    child_id = child.local_id
    assessment = tables["assessments"].row(0, named=True)
    assert (assessment["start_date"], assessment["authorised_date"]) == (started, authorised)
    assert sorted(assessment["factors"]) == ["16A", "3B"]
    assert assessment["outcome"] == "strategy_discussion"
    enquiry = tables["section_47_enquiries"].row(0, named=True)
    assert (enquiry["start_date"], enquiry["end_date"], enquiry["icpc_date"]) == (
        discussed, concluded, icpc)
    assert enquiry["icpc_required"]
    plan = tables["cp_plans"].row(0, named=True)
    assert (plan["child_id"], plan["start_date"], plan["end_date"]) == (child_id, icpc, ended)
    assert plan["initial_category"] == "NEG" and plan["previous_plans"] == 0
    conferences = tables["cp_conferences"].sort("conference_date")
    assert conferences["conference_type"].to_list() == ["initial", "review", "review"]
    assert conferences["conference_date"].to_list() == [icpc, reviewed, ended]
    assert conferences.filter(pl.col("cp_plan_id") == plan["cp_plan_id"]).height == 3
    # and every read of her record on the way is in the access log
    assert AccessLog.objects.filter(person=child, user=manager,
                                    what="authorise an assessment").exists()


def test_without_javascript_a_visit_is_recorded_and_the_chronology_filtered(
    page_without_javascript, live_server, make_staff, sign_in
):
    from childrenmatter.casework import actions

    page = page_without_javascript
    worker = make_staff("social_worker", username="sam.worker")
    child = create_person(actor=worker, la_code="806", given_name="Leo", family_name="Marsh",
                          date_of_birth=dt.date(2014, 2, 2), postcode="TS3 1AA",
                          address_line_1="3 Synthetic Lane")
    today = timezone.localdate()
    referral = Referral.objects.create(
        la_code="806", reference="R-2026-2", person=child,
        referral_date=today - dt.timedelta(days=40), referral_source="2A")
    actions.start_child_in_need_plan(
        actor=worker, referral=referral, start_date=today - dt.timedelta(days=30),
        goals=[actions.Goal("Leo goes to school every day", "Mother", today)])

    sign_in(page, live_server, worker.persona)
    page.goto(f"{live_server.url}/casework/children/{child.pk}/")
    page.get_by_role("link", name="Record a visit").click()
    page.get_by_role("heading", name="Record a visit").wait_for()
    _fill_date(page, "visit_date", today)
    page.get_by_label("Child in need plan").check()
    page.locator("#seen").check()
    page.locator("input[name=seen_alone][value=yes]").check()
    page.get_by_role("button", name="Save the visit").click()
    _back_on_the_childs_page(page, "Leo Marsh")

    page.get_by_label("Show").select_option("visit")
    page.get_by_role("button", name="Filter").click()
    _back_on_the_childs_page(page, "Leo Marsh")
    rows = page.locator("#chronology-table tbody tr")
    assert rows.count() == 1
    assert "Child in need visit: the child was seen alone" in rows.inner_text()
    # (axe needs JavaScript: the journey above checks these pages with it.)


def test_the_other_casework_forms_pass_axe(
    page, live_server, make_staff, sign_in, serious_problems
):
    from childrenmatter.casework import actions

    worker = make_staff("social_worker", username="sam.worker")
    child = create_person(actor=worker, la_code="806", given_name="Ava", family_name="Stone",
                          date_of_birth=dt.date(2013, 8, 8), postcode="TS4 2BB",
                          address_line_1="4 Synthetic Close")
    today = timezone.localdate()
    referral = Referral.objects.create(
        la_code="806", reference="R-2026-3", person=child,
        referral_date=today - dt.timedelta(days=40), referral_source="2A")
    plan = actions.start_child_in_need_plan(
        actor=worker, referral=referral, start_date=today - dt.timedelta(days=30),
        goals=[actions.Goal("Ava sees her GP about her asthma", "Father", today)])
    from childrenmatter.casework.models import ChildProtectionPlan

    cp_plan = ChildProtectionPlan.objects.create(
        la_code="806", reference="P-3", referral=referral, person=child,
        start_date=today - dt.timedelta(days=20), initial_category="EMO",
        latest_category="EMO")

    sign_in(page, live_server, worker.persona)
    page.console_problems.clear()
    for path, heading in (
        (f"referrals/{referral.pk}/cin-plan/", "Child in need plan"),
        (f"cin-plans/{plan.pk}/end/", "End the child in need plan"),
        (f"cp-plans/{cp_plan.pk}/end/", "End the child protection plan"),
        (f"children/{child.pk}/visit/", "Record a visit"),
        (f"children/{child.pk}/chronology/", "Add to the chronology"),
        (f"referrals/{referral.pk}/close/", "Close the referral"),
    ):
        page.goto(f"{live_server.url}/casework/{path}")
        page.get_by_role("heading", level=1, name=heading).wait_for()
        _checked(page, serious_problems)
    # and one with its errors shown
    page.get_by_role("button", name="Close the referral").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    _checked(page, serious_problems)
