"""Hypothesis over an action's review: whatever is typed, the review is either saved whole
with the rules kept, or refused with nothing saved and the broken rules named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childrenmatter.improvement import actions
from childrenmatter.improvement.models import Action
from improvement.improvement_builders import make_plan

TODAY = timezone.localdate()
DUE = dt.date(2027, 3, 31)

reviews = st.fixed_dictionaries({
    "rag": st.sampled_from(["red", "amber", "green", "", "blue"]),
    "rag_reason": st.sampled_from(["On track", "A new reason", "", "   "]),
    "owner": st.sampled_from(["Head of the front door", "", "Team managers"]),
    "status": st.sampled_from(["open", "done", "dropped", "closed"]),
    "due_on": st.sampled_from([DUE, DUE + dt.timedelta(days=30), None]),
    "completed_on": st.sampled_from([None, TODAY, TODAY + dt.timedelta(days=1)]),
    "why": st.sampled_from(["", "Recruitment delayed"]),
})


@pytest.mark.django_db
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(review=reviews)
def test_a_review_is_saved_whole_or_refused_naming_each_broken_rule(make_staff, review):
    manager = make_staff("team_manager")
    _, _, action, _ = make_plan(manager, due_on=DUE)  # green, "On track"
    versions = action.history.count()
    expected = set()
    if review["rag"] not in ("red", "amber", "green"):
        expected.add("rag")
    if not review["rag_reason"].strip():
        expected.add("rag_reason")
    elif review["rag"] in ("red", "amber") and review["rag_reason"] == "On track":
        expected.add("rag_reason")  # a new rating needs a new reason
    if not review["owner"]:
        expected.add("owner")
    if review["status"] not in ("open", "done", "dropped"):
        expected.add("status")
    if review["due_on"] is None:
        expected.add("due_on")
    elif review["due_on"] != DUE and not review["why"]:
        expected.add("why")
    if review["status"] in ("done", "dropped") and review["completed_on"] in (
            None, TODAY + dt.timedelta(days=1)):
        expected.add("completed_on")
    try:
        actions.change_action(actor=manager, action=action, expected_version=action.version,
                              today=TODAY, **review)
    except ValidationError as error:
        assert expected and expected <= set(error.message_dict), (expected, error.message_dict)
        assert action.history.count() == versions
        assert Action.objects.get(pk=action.pk).rag == "green"
    else:
        assert not expected, expected
        saved = Action.objects.get(pk=action.pk)
        assert (saved.rag, saved.due_on, saved.status) == (
            review["rag"], review["due_on"], review["status"])
        assert (saved.completed_on is None) == (review["status"] == "open")
        assert action.history.count() == versions + 1
