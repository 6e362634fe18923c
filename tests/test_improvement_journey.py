"""The improvement plan and councillors' questions end to end, in Chromium.

A head of service reviews an action on the immediate assurance plan and rates it red with
the reason; the board view shows it among the red actions and in what changed, and the
"compare with the original" page shows the move from green. Two councillors' questions:
one answered before its due date, the other, overdue, answered after it. Every page is
checked with axe (which needs JavaScript); a question is recorded and a review saved with
JavaScript off.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from childrenmatter.improvement import actions
from childrenmatter.improvement.models import Action, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page, serious_problems) -> None:
    assert serious_problems(page) == [], page.url
    assert page.console_problems == [], page.url


def _heading(page, name: str) -> None:
    page.get_by_role("heading", name=name, exact=True).wait_for()


def test_an_action_goes_red_with_its_reason_and_the_board_and_comparison_show_it(
    page, live_server, make_staff, sign_in, serious_problems
):
    # Given an immediate assurance plan with a green action and a milestone now overdue
    head = make_staff("head_of_service", username="hana.head")
    plan = actions.create_plan(actor=head, la_code="806", kind="immediate_assurance",
                               title="Immediate assurance plan")
    theme = actions.add_theme(actor=head, plan=plan, title="The front door")
    action = actions.add_action(
        actor=head, plan=plan, theme=theme, title="Decide every contact within one working day",
        owner="Front door manager", rag="green", rag_reason="Decisions on time for 4 weeks",
        due_on=timezone.localdate() + dt.timedelta(days=60))
    actions.add_milestone(actor=head, plan=plan, title="Duty rota agreed with Hartlepool",
                          due_on=timezone.localdate() - dt.timedelta(days=3), action=action)

    # When the head of service reviews the action and rates it red, saying why
    sign_in(page, live_server, head.persona)
    page.console_problems.clear()  # the figures page has no dataset in this test
    page.goto(f"{live_server.url}/improvement/")
    _heading(page, "Improvement plans")
    _checked(page, serious_problems)
    page.get_by_role("link", name="Immediate assurance plan", exact=True).click()
    _heading(page, "Immediate assurance plan")
    _checked(page, serious_problems)
    page.get_by_role("link", name="Decide every contact within one working day", exact=True).click()
    _heading(page, "Decide every contact within one working day")
    _checked(page, serious_problems)
    page.get_by_role("button", name="Review the action").click()
    _heading(page, "Review the action")
    page.get_by_label("Red").check()
    # Saving red without a new reason is refused, naming the reason
    page.get_by_role("button", name="Save the review").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "a new rating needs a new reason" in page.locator(".govuk-error-summary").inner_text()
    _checked(page, serious_problems)
    page.get_by_label("Reason for the RAG rating").fill(
        "Two agency social workers left: 14 contacts waited over a day this week")
    page.get_by_role("button", name="Save the review").click()
    _heading(page, "Decide every contact within one working day")
    assert Action.objects.get(pk=action.pk).rag == "red"

    # Then the board view shows it red with its reason, the overdue milestone, and the move
    page.goto(f"{live_server.url}/improvement/plans/{plan.pk}/board/")
    _heading(page, "Board view")
    _checked(page, serious_problems)
    red = page.locator("#red-actions").inner_text()
    assert "Decide every contact within one working day" in red
    assert "14 contacts waited over a day" in red
    assert "Duty rota agreed with Hartlepool" in page.locator("#overdue-milestones").inner_text()
    assert "RAG green to red" in page.locator("main").inner_text()

    # and comparing with the original plan shows green then, red now
    page.get_by_role("link", name="Compare with the original plan").click()
    _heading(page, "Compare the plan between two dates")
    _checked(page, serious_problems)
    row = page.locator("tr", has_text="Decide every contact within one working day")
    cells = row.locator("td").all_inner_texts()
    assert "Green" in cells[1] and "Red" in cells[2]
    assert "RAG green to red" in cells[3]


def test_a_question_answered_in_time_and_an_overdue_one_answered_late(
    page, live_server, make_staff, sign_in, serious_problems
):
    today = timezone.localdate()
    manager = make_staff("team_manager", username="tariq.manager")
    early = actions.record_question(
        actor=manager, la_code="806", member="Councillor A Jones",
        asked_on=today - dt.timedelta(days=10), meeting="Lead member briefing",
        question="How many children waited more than a day for a decision?",
        answerer="Head of the front door", due_on=today + dt.timedelta(days=4))
    late = actions.record_question(
        actor=manager, la_code="806", member="Councillor B Khan",
        asked_on=today - dt.timedelta(days=20), meeting="Children's Scrutiny Panel",
        question="Send the updated RAG-rated plan to compare with the original",
        answerer="Director of children's services", due_on=today - dt.timedelta(days=6))

    sign_in(page, live_server, manager.persona)
    page.console_problems.clear()  # the figures page has no dataset in this test
    page.goto(f"{live_server.url}/improvement/questions/")
    _heading(page, "Councillors’ questions")
    _checked(page, serious_problems)
    assert "Councillor B Khan" in page.locator("#overdue").inner_text()
    assert "Councillor A Jones" in page.locator("#awaiting").inner_text()

    # The question not yet due is answered today: in time
    page.get_by_role("link", name="How many children waited more than a day").click()
    _heading(page, "Question from Councillor A Jones")
    _checked(page, serious_problems)
    page.get_by_label("Response").fill("Fourteen, all in the week two agency workers left.")
    page.get_by_role("button", name="Save the response").click()
    _heading(page, "Councillors’ questions")
    assert Question.objects.get(pk=early.pk).answered_late is False

    # The overdue one is answered today too: after its due date, so late
    page.get_by_role("link", name="Send the updated RAG-rated plan").click()
    _heading(page, "Question from Councillor B Khan")
    assert "Overdue" in page.locator("main").inner_text()
    _checked(page, serious_problems)
    page.get_by_label("Response").fill("Sent with the board pack of this month.")
    page.get_by_role("button", name="Save the response").click()
    _heading(page, "Councillors’ questions")
    _checked(page, serious_problems)
    answered = page.locator("#answered").inner_text()
    assert "Answered late" in answered and "Councillor B Khan" in answered
    assert page.locator("#overdue + p").inner_text() == "None."
    assert Question.objects.get(pk=late.pk).answered_late is True


def test_a_question_is_recorded_and_an_action_reviewed_without_javascript(
    page_without_javascript, live_server, make_staff, sign_in
):
    page = page_without_javascript
    manager = make_staff("team_manager", username="sam.manager")
    plan = actions.create_plan(actor=manager, la_code="806", kind="improvement",
                               title="Improvement plan")
    theme = actions.add_theme(actor=manager, plan=plan, title="Management oversight")
    action = actions.add_action(
        actor=manager, plan=plan, theme=theme, title="Supervision every four weeks",
        owner="Team managers", rag="amber", rag_reason="Three teams in four",
        due_on=timezone.localdate() + dt.timedelta(days=30))
    sign_in(page, live_server, manager.persona)

    page.goto(f"{live_server.url}/improvement/questions/new/")
    _heading(page, "Record a councillor’s question")
    page.get_by_label("Councillor").fill("Councillor C Lee")
    page.locator("#asked_on_day").fill("2")
    page.locator("#asked_on_month").fill("11")
    page.locator("#asked_on_year").fill("2026")
    page.get_by_label("Briefing or meeting").fill("Lead member briefing")
    page.get_by_label("Question", exact=True).fill("How many supervisions were late?")
    page.get_by_label("Who must answer").fill("Head of service")
    page.locator("#due_on_day").fill("31")  # 31 November: no such day
    page.locator("#due_on_month").fill("11")
    page.locator("#due_on_year").fill("2026")
    page.get_by_role("button", name="Record the question").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "must be a real date" in page.locator(".govuk-error-summary").inner_text()
    page.locator("#due_on_day").fill("16")
    page.get_by_role("button", name="Record the question").click()
    _heading(page, "Councillors’ questions")
    assert Question.objects.get().member == "Councillor C Lee"

    page.goto(f"{live_server.url}/improvement/plans/{plan.pk}/actions/{action.pk}/review/")
    _heading(page, "Review the action")
    page.get_by_label("Green").check()
    page.get_by_label("Reason for the RAG rating").fill("Every team on time for a month")
    page.get_by_role("button", name="Save the review").click()
    _heading(page, "Supervision every four weeks")
    assert Action.objects.get(pk=action.pk).rag == "green"
