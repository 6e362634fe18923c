"""A synthetic immediate assurance plan for the demo authority, with eight weeks of history.

Made through ``improvement.actions`` as the demo manager (``demo-manager``, made by
``childrenmatter demo-front-door``), one week at a time: after each week's changes every
history row of the plan is moved a week into the past, so the comparison and the board
view have weeks to show. Synthetic: no real council's plan or councillors.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from childrenmatter.errors import UserError
from childrenmatter.improvement import actions
from childrenmatter.improvement.models import (
    Action,
    Milestone,
    Plan,
    Question,
    Risk,
    Theme,
    WeeklyUpdate,
)

TITLE = "Immediate assurance plan (synthetic)"
WEEKS = 8
MANAGER = "demo-manager"

# Theme, action, owner, indicator, weeks from the start it is due.
ACTIONS = (
    ("The front door", "Decide every contact within one working day", "Front door manager",
     "contacts_decided_in_1_working_day", 6),
    ("The front door", "Check history at screening for every repeat contact",
     "Front door manager", "repeat_contacts_within_12_months", 8),
    ("Assessment", "Authorise assessments within 45 working days", "Head of assessment",
     "assessments_within_45_working_days", 10),
    ("Management oversight", "Supervision every four weeks, recorded on the file",
     "Team managers", "", 12),
    ("Workforce", "Bring caseloads under 20 children per social worker",
     "Principal social worker", "caseload_per_worker", 12),
)
# Week, action number, RAG, reason, weeks the due date slips.
REVIEWS = (
    (1, 0, "amber", "Rota agreed; two agency posts still vacant", 0),
    (2, 4, "amber", "Caseloads at 24 on average", 0),
    (3, 0, "red", "Two agency social workers left: 14 contacts waited over a day", 2),
    (4, 2, "amber", "Backlog of 30 assessments being worked through", 0),
    (5, 3, "green", "Every team on time for four weeks", 0),
    (6, 0, "amber", "New starters in post; decisions improving", 0),
    (7, 4, "red", "Recruitment paused by the council's vacancy freeze", 4),
)


def _shift_back(plan: Plan, days: int) -> None:
    back = dt.timedelta(days=days)
    Plan.objects.filter(pk=plan.pk).update(created_at=F("created_at") - back)
    Plan.history.filter(id=plan.pk).update(history_date=F("history_date") - back)
    for model in (Action, Milestone, Risk):
        model.objects.filter(plan=plan).update(created_at=F("created_at") - back)
        model.history.filter(plan_id=plan.pk).update(history_date=F("history_date") - back)
    Theme.history.filter(plan_id=plan.pk).update(history_date=F("history_date") - back)
    WeeklyUpdate.objects.filter(plan=plan).update(written_at=F("written_at") - back)


@transaction.atomic
def set_up_demo_plan(*, la_code: str) -> Plan | None:
    """The demo plan for ``la_code``; None when it is there already (it is never replaced:
    plans are not deleted)."""
    if Plan.objects.filter(la_code=la_code, title=TITLE).exists():
        return None
    manager = get_user_model().objects.filter(username=MANAGER).first()
    if manager is None:
        raise UserError(f"No {MANAGER} account: run `childrenmatter demo-front-door` first")
    today = timezone.localdate()
    start = today - dt.timedelta(weeks=WEEKS)
    plan = actions.create_plan(actor=manager, la_code=la_code, kind="immediate_assurance",
                               title=TITLE)
    themes: dict[str, Theme] = {}
    made = []
    for theme_title, title, owner, indicator, weeks in ACTIONS:
        if theme_title not in themes:
            themes[theme_title] = actions.add_theme(actor=manager, plan=plan, title=theme_title)
        made.append(actions.add_action(
            actor=manager, plan=plan, theme=themes[theme_title], title=title, owner=owner,
            rag="green", rag_reason="Agreed at the first board", indicator=indicator,
            due_on=start + dt.timedelta(weeks=weeks)))
    actions.add_milestone(actor=manager, plan=plan, title="Duty rota agreed with partners",
                          due_on=start + dt.timedelta(weeks=2), action=made[0])
    actions.add_milestone(actor=manager, plan=plan, title="Assessment backlog cleared",
                          due_on=start + dt.timedelta(weeks=6), action=made[2])
    actions.add_risk(actor=manager, plan=plan, title="Agency staff leave at short notice",
                     likelihood=4, impact=4, owner="Principal social worker",
                     mitigation="Six-month contracts; a retention payment")
    actions.add_risk(actor=manager, plan=plan, title="Partners' information arrives late",
                     likelihood=3, impact=4, owner="Front door manager",
                     mitigation="Daily call with the police and health")
    _shift_back(plan, 7)  # each week's shift below moves it a further week back
    for week in range(1, WEEKS):
        for review_week, number, rag, reason, slip in REVIEWS:
            if review_week != week:
                continue
            action = Action.objects.get(pk=made[number].pk)
            actions.change_action(
                actor=manager, action=action, expected_version=action.version,
                owner=action.owner, status="open", rag=rag, rag_reason=reason,
                due_on=action.due_on + dt.timedelta(weeks=slip),
                why="Agreed at the weekly review" if slip else "")
        actions.add_weekly_update(
            actor=manager, plan=plan, week_of=start + dt.timedelta(weeks=week),
            summary=f"Week {week}: reviewed every action with its owner.")
        _shift_back(plan, 7)
    plan = Plan.objects.get(pk=plan.pk)
    plan = actions.set_board_date(actor=manager, plan=plan, expected_version=plan.version,
                                  board_on=today - dt.timedelta(weeks=4))
    _demo_questions(manager, la_code, today)
    return plan


def _demo_questions(manager, la_code: str, today: dt.date) -> None:
    if Question.objects.filter(la_code=la_code).exists():
        return
    asked = today - dt.timedelta(days=21)
    answered = actions.record_question(
        actor=manager, la_code=la_code, member="Councillor A Example", asked_on=asked,
        meeting="Lead member briefing", answerer="Head of service",
        question="How many contacts waited more than a working day for a decision last month?",
        due_on=asked + dt.timedelta(days=10))
    actions.answer_question(actor=manager, question=answered, expected_version=answered.version,
                            response="Fourteen, in the week two agency workers left.",
                            answered_on=asked + dt.timedelta(days=8))
    actions.record_question(
        actor=manager, la_code=la_code, member="Councillor B Example", asked_on=asked,
        meeting="Children's Scrutiny Panel", answerer="Director of children's services",
        question="Please send the updated RAG-rated plan to compare with the original.",
        due_on=today - dt.timedelta(days=3))
    actions.record_question(
        actor=manager, la_code=la_code, member="Councillor C Example", asked_on=today,
        meeting="Corporate parenting board", answerer="Head of service",
        question="What is being done about caseloads?", due_on=today + dt.timedelta(days=14))
