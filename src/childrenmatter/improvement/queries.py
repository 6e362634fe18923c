"""Reads for the improvement pages: the board view, overdue questions, an indicator's trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from childrenmatter.improvement import compare
from childrenmatter.improvement.models import (
    Action,
    ActionStatus,
    Milestone,
    Plan,
    Question,
    QuestionStatus,
    Rag,
    Risk,
    WeeklyUpdate,
)

TREND_MONTHS = 12  # the last year of an indicator beside the action meant to move it
HIGH_RISK_SCORE = 15  # likelihood x impact from which a risk goes to the board


@dataclass
class Board:
    plan: Plan
    today: dt.date
    overdue_milestones: list[Milestone]
    red_actions: list[Action]
    amber_actions: list[Action]
    since: dt.date | None  # the last board, or the plan's first day
    changes: list[compare.Row]
    summary: compare.Summary
    themes: dict[int, str]
    high_risks: list[Risk]
    updates: list[WeeklyUpdate]  # the weekly updates written since the last board


def board(plan: Plan, today: dt.date | None = None) -> Board:
    """What an improvement board reads first: what is late, what is red or amber, and what
    changed since the last board (or since the plan began, before its first board)."""
    today = today or timezone.localdate()
    open_actions = plan.actions.filter(status=ActionStatus.OPEN).select_related("theme")
    since = plan.last_board_on
    before = compare.state_for(plan, since or compare.ORIGINAL)
    rows = [row for row in compare.rows(before, compare.state_for(plan, compare.NOW))
            if row.changes]
    return Board(
        plan=plan, today=today,
        overdue_milestones=list(plan.milestones.filter(met_on__isnull=True, due_on__lt=today)
                                .select_related("action")),
        red_actions=list(open_actions.filter(rag=Rag.RED).order_by("due_on", "id")),
        amber_actions=list(open_actions.filter(rag=Rag.AMBER).order_by("due_on", "id")),
        since=since or timezone.localtime(plan.created_at).date(),
        changes=rows, summary=compare.summary(rows),
        themes=dict(plan.themes.values_list("id", "title")),
        high_risks=sorted((risk for risk in plan.risks.all() if risk.score >= HIGH_RISK_SCORE),
                          key=lambda risk: (-risk.score, risk.pk)),
        updates=list(plan.updates.filter(week_of__gte=since) if since else plan.updates.all()),
    )


def questions_for(la_codes: list[str]):
    return Question.objects.filter(la_code__in=la_codes).order_by("due_on", "id")


def overdue_questions(la_codes: list[str], today: dt.date | None = None):
    today = today or timezone.localdate()
    return questions_for(la_codes).filter(status=QuestionStatus.OPEN, due_on__lt=today)


@dataclass(frozen=True)
class Trend:
    indicator: str
    title: str
    months: list[tuple[str, float | None]]  # (YYYY-MM, value), oldest first
    unit: str
    taken_at: dt.datetime | None


def indicator_trend(la_code: str, indicator: str) -> Trend | None:
    """The indicator's last months for the authority, from the dashboards' snapshot (the
    pages never compute figures while someone waits); None when there is no indicator."""
    if not indicator:
        return None
    from childrenmatter.dashboards.snapshot import load_snapshot
    from childrenmatter.dashboards.views import snapshot_folder
    from childrenmatter.improvement.actions import indicator_names

    title = indicator_names().get(indicator, indicator)
    snapshot = load_snapshot(snapshot_folder())
    if snapshot is None:
        return Trend(indicator, title, [], "", None)
    frame = snapshot.rows(la_code, indicator).tail(TREND_MONTHS)
    months = [(row["period"], row["value"]) for row in frame.iter_rows(named=True)]
    unit = frame["unit"][0] if frame.height and "unit" in frame.columns else ""
    return Trend(indicator, title, months, unit, snapshot.taken_at)
