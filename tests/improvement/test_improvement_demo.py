"""The demo plan: eight weeks of reviews, so the comparison and the board have something."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from childrenmatter.improvement import compare, queries
from childrenmatter.improvement.demo import TITLE, set_up_demo_plan

pytestmark = pytest.mark.django_db


def test_the_demo_plan_has_weeks_of_history_to_compare(make_staff):
    make_staff("team_manager", username="demo-manager")
    plan = set_up_demo_plan(la_code="806")
    today = timezone.localdate()
    assert timezone.localtime(plan.created_at).date() == today - dt.timedelta(weeks=8)
    rows = compare.rows(compare.state_for(plan, compare.ORIGINAL),
                        compare.state_for(plan, compare.NOW))
    summary = compare.summary(rows)
    # Net of the weeks between: the front door went amber, red, amber (one move from green).
    assert (summary.rag_moves, summary.slipped, summary.new) == (3, 2, 0)
    # A week after the start only the first week's review had happened.
    first_week = compare.summary(compare.rows(
        compare.state_for(plan, compare.ORIGINAL),
        compare.state_for(plan, today - dt.timedelta(weeks=7))))
    assert first_week.rag_moves == 1
    board = queries.board(plan)
    assert [action.title for action in board.red_actions] == [
        "Bring caseloads under 20 children per social worker"]
    assert len(queries.overdue_questions(["806"])) == 1
    # The board met four weeks ago: the updates of the weeks since, newest first.
    assert [update.summary[:6] for update in board.updates] == [
        "Week 7", "Week 6", "Week 5", "Week 4"]
    assert set_up_demo_plan(la_code="806") is None


def test_the_command_says_what_it_made(make_staff, capsys):
    make_staff("team_manager", username="demo-manager")
    call_command("demo_improvement", authority="806")
    assert "Made the demo plan for 806" in capsys.readouterr().out
    call_command("demo_improvement", authority="806")
    assert "there already" in capsys.readouterr().out
    from childrenmatter.improvement.models import Plan

    assert Plan.objects.filter(title=TITLE).count() == 1


def test_the_comparison_page_takes_two_dates(make_staff, client):
    manager = make_staff("team_manager", username="demo-manager")
    plan = set_up_demo_plan(la_code="806")
    week_one = timezone.localdate() - dt.timedelta(weeks=7)
    client.force_login(manager)
    text = client.get(f"/improvement/plans/{plan.pk}/compare/", {
        "from_day": week_one.day, "from_month": week_one.month, "from_year": week_one.year,
    }).content.decode()
    assert f"From the end of {week_one.day} {week_one:%B %Y} to now:" in text
    assert "<li>2 RAG moves</li>" in text and "<li>2 slipped dates</li>" in text
    # Amber after the week-one review and amber now (red between): no RAG move here.
    row = text.split("Decide every contact within one working day")[1].split("</tr>")[0]
    assert "RAG " not in row and "Slipped" in row
    original = client.get(f"/improvement/plans/{plan.pk}/compare/").content.decode()
    assert "<li>3 RAG moves</li>" in original and "<li>0 new</li>" in original
    bad = client.get(f"/improvement/plans/{plan.pk}/compare/", {"from_day": "31",
                                                                "from_month": "2",
                                                                "from_year": "2026"})
    assert "The first date must be a real date" in bad.content.decode()
