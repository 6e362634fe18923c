"""Comparing a plan between two moments: the pure rules (hypothesis) and the history tables
they are read from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childrenmatter.improvement import actions, compare
from childrenmatter.improvement.models import Action, Milestone, Plan
from improvement.improvement_builders import make_plan

# States: a few actions and milestones, a few fields, a few values (None: not there).
keys = st.tuples(st.sampled_from(["action", "milestone"]), st.integers(1, 3),
                 st.sampled_from(["title", "rag", "due_on", "status"]))
values = st.one_of(st.none(), st.sampled_from(["red", "amber", "green", "open", "done"]),
                   st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 5)))
states = st.dictionaries(keys, values, max_size=12).map(
    lambda state: {key: value for key, value in state.items() if value is not None})


@given(states)
def test_a_moment_compared_with_itself_shows_no_change(state):
    assert compare.diff(state, state) == {}
    assert all(not row.changes for row in compare.rows(_whole(state), _whole(state)))


@given(states, states, states)
def test_a_to_c_is_a_to_b_then_b_to_c_less_what_cancels(a, b, c):
    assert compare.diff(a, c) == compare.compose(compare.diff(a, b), compare.diff(b, c))


@given(states, states)
def test_going_there_and_back_cancels(a, b):
    assert compare.compose(compare.diff(a, b), compare.diff(b, a)) == {}


def _whole(state):
    """A state made whole: every record present has every field ``rows`` reads."""
    whole = {}
    for kind, record_id, _ in state:
        fields = compare.ACTION_FIELDS if kind == "action" else compare.MILESTONE_FIELDS
        for name in fields:
            whole[(kind, record_id, name)] = state.get((kind, record_id, name), "x")
    return whole


# --- From the history tables ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_original_and_now_show_the_rag_move_the_slip_the_new_and_the_closed(make_staff):
    manager = make_staff("head_of_service")
    plan, theme, action, milestone = make_plan(manager)
    plan = _made_days_ago(plan, 7)
    action = actions.change_action(
        actor=manager, action=action, expected_version=action.version,
        owner=action.owner, status="open", rag="red", rag_reason="Agency staff left",
        due_on=dt.date(2027, 5, 31), why="Recruitment")
    actions.add_action(actor=manager, plan=plan, theme=theme, title="Audit contacts",
                       owner="Auditor", rag="green", rag_reason="Started",
                       due_on=dt.date(2027, 1, 31))
    actions.change_milestone(actor=manager, milestone=milestone,
                             expected_version=milestone.version,
                             due_on=milestone.due_on, met_on=dt.date(2026, 1, 10))
    original = compare.state_for(plan, compare.ORIGINAL)
    now = compare.state_for(plan, compare.NOW)
    rows = {row.title: row.changes for row in compare.rows(original, now)}
    assert rows["Decide every contact within a day"] == [
        "RAG green to red", "Slipped from 31 March 2027 to 31 May 2027"]
    assert rows["Audit contacts"] == ["New action"]
    assert rows["Rota agreed"] == ["Met on 10 January 2026"]
    summary = compare.summary(compare.rows(original, now))
    assert (summary.rag_moves, summary.slipped, summary.new, summary.closed) == (1, 1, 1, 0)
    # A date compared with itself: nothing changed.
    today = timezone.localdate()
    assert compare.diff(compare.state_for(plan, today), compare.state_for(plan, today)) == {}
    # The day the plan was made, to now: the changes made a week later.
    made_on = timezone.localtime(plan.created_at).date()
    assert compare.diff(compare.state_for(plan, made_on), now) != {}


@pytest.mark.django_db
def test_a_change_on_the_plan_s_first_day_shows_against_the_original(make_staff):
    manager = make_staff("head_of_service")
    plan, _, action, _ = make_plan(manager)
    actions.change_action(actor=manager, action=action, expected_version=action.version,
                          owner=action.owner, status="open", rag="red",
                          rag_reason="Agency staff left", due_on=action.due_on)
    rows = compare.rows(compare.state_for(plan, compare.ORIGINAL),
                        compare.state_for(plan, compare.NOW))
    assert [row.changes for row in rows if row.kind == "action"] == [["RAG green to red"]]


def _made_days_ago(plan, days: int):
    """The plan as if everything so far had been done ``days`` ago."""
    back = dt.timedelta(days=days)
    Plan.objects.filter(pk=plan.pk).update(created_at=F("created_at") - back)
    for model in (Action, Milestone):
        model.history.filter(plan_id=plan.pk).update(history_date=F("history_date") - back)
    return Plan.objects.get(pk=plan.pk)


@pytest.mark.django_db
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(ratings=st.lists(st.sampled_from(["red", "amber", "green"]), min_size=1, max_size=5),
       data=st.data())
def test_between_any_two_days_the_rag_move_is_the_net_one(make_staff, ratings, data):
    """One review a day; comparing two days shows a RAG move exactly when the ratings at the
    ends of those days differ, whatever happened between."""
    manager = make_staff("head_of_service")
    plan, _, action, _ = make_plan(manager)
    days = len(ratings)
    # The plan was made ``days`` days ago (day 0); review k is on day k, the last today.
    plan = _made_days_ago(plan, 1)
    for day, rating in enumerate(ratings, start=1):
        action = Action.objects.get(pk=action.pk)
        actions.change_action(actor=manager, action=action, expected_version=action.version,
                              owner=action.owner, status="open", rag=rating,
                              rag_reason=f"Review on day {day}", due_on=action.due_on)
        if day < days:
            plan = _made_days_ago(plan, 1)
    today = timezone.localdate()
    assert timezone.localtime(plan.created_at).date() == today - dt.timedelta(days=days)
    first = data.draw(st.integers(0, days), label="first")
    second = data.draw(st.integers(first, days), label="second")
    rag_at = ["green", *ratings]

    def date_of(day: int) -> dt.date:
        return today - dt.timedelta(days=days - day)

    changes = compare.rows(compare.state_for(plan, date_of(first)),
                           compare.state_for(plan, date_of(second)))
    moved = [word for row in changes for word in row.changes if word.startswith("RAG ")]
    assert bool(moved) == (rag_at[first] != rag_at[second]), (rag_at, first, second, moved)
