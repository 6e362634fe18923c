"""The plan at two moments side by side, and what changed between them, from the history
tables django-simple-history keeps.

A plan's *state* is a flat mapping ``(kind, id, field) -> value`` for its actions and
milestones as they stood at a moment (a record not made yet has no keys). ``diff`` of two
states is every key whose value differs, with (before, after); ``compose`` chains two
diffs, dropping a change the second undoes. These are pure functions, so the rules
"a moment compared with itself shows no change" and "A to C is A to B then B to C, less
what cancels" can be tested directly (tests/improvement/test_compare.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from childrenmatter.improvement.models import Action, ActionStatus, Milestone, Plan

Key = tuple[str, int, str]
State = dict[Key, Any]
Diff = dict[Key, tuple[Any, Any]]

ACTION_FIELDS = ("title", "theme_id", "owner", "status", "rag", "rag_reason", "due_on",
                 "completed_on")
MILESTONE_FIELDS = ("title", "due_on", "met_on")
ORIGINAL = "original"
NOW = "now"


def diff(before: Mapping[Key, Any], after: Mapping[Key, Any]) -> Diff:
    """Every key whose value is not the same in both (a missing key counts as None)."""
    keys = set(before) | set(after)
    return {key: (before.get(key), after.get(key)) for key in keys
            if before.get(key) != after.get(key)}


def compose(first: Mapping[Key, tuple[Any, Any]],
            second: Mapping[Key, tuple[Any, Any]]) -> Diff:
    """The change from the start of ``first`` to the end of ``second``."""
    result: Diff = {}
    for key in set(first) | set(second):
        start = first[key][0] if key in first else second[key][0]
        end = second[key][1] if key in second else first[key][1]
        if start != end:
            result[key] = (start, end)
    return result


# --- States from the history tables --------------------------------------------------------


def moment_of(plan: Plan, when: dt.date) -> dt.datetime:
    """The moment a date stands for: the end of its day, so "on 3 March" includes
    everything done that day."""
    next_day = when + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))


def state_for(plan: Plan, point: str | dt.date) -> State:
    """The plan at a comparison point: ``NOW``, ``ORIGINAL`` or the end of a date's day.

    The original plan is every action and milestone as first written on the day the plan
    was made (a plan is usually drawn up in one sitting, then reviewed): a change made
    later that day still shows as a change, and an action added on a later day as new.
    """
    if point == NOW:
        return state_at(plan, None)
    if point == ORIGINAL:
        first_day = timezone.localtime(plan.created_at).date()
        return state_at(plan, moment_of(plan, first_day), first_versions=True)
    assert isinstance(point, dt.date)
    return state_at(plan, moment_of(plan, point))


def _rows(history, plan: Plan, before: dt.datetime | None, first_versions: bool):
    rows = history.filter(plan_id=plan.pk)
    if before is not None:
        rows = rows.filter(history_date__lt=before)
    chosen = {}
    for row in rows.order_by("history_date", "history_id"):
        if not (first_versions and row.id in chosen):
            chosen[row.id] = row
    return [row for row in chosen.values() if row.history_type != "-"]


def state_at(plan: Plan, before: dt.datetime | None, first_versions: bool = False) -> State:
    """The plan's actions and milestones as they stood just before ``before`` (None: now);
    with ``first_versions``, each as first written rather than as last changed."""
    state: State = {}
    for row in _rows(Action.history, plan, before, first_versions):
        for name in ACTION_FIELDS:
            state[("action", row.id, name)] = getattr(row, name)
    for row in _rows(Milestone.history, plan, before, first_versions):
        for name in MILESTONE_FIELDS:
            state[("milestone", row.id, name)] = getattr(row, name)
    return state


# --- What changed, in the words a board uses -----------------------------------------------


@dataclass
class Side:
    exists: bool
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    kind: str  # action or milestone
    id: int
    title: str
    theme_id: int | None
    before: Side
    after: Side
    changes: list[str]


def _side(state: State, kind: str, record_id: int, fields: tuple[str, ...]) -> Side:
    if (kind, record_id, "title") not in state:
        return Side(exists=False)
    return Side(exists=True, values={name: state[(kind, record_id, name)] for name in fields})


def _date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _action_changes(before: Side, after: Side) -> list[str]:
    if not before.exists:
        return ["New action"]
    if not after.exists:
        return ["Removed"]
    old, new = before.values, after.values
    words = []
    if old["status"] == ActionStatus.OPEN and new["status"] != ActionStatus.OPEN:
        words.append(f"Closed ({ActionStatus(new['status']).label.lower()})")
    elif old["status"] != ActionStatus.OPEN and new["status"] == ActionStatus.OPEN:
        words.append("Reopened")
    if old["rag"] != new["rag"]:
        words.append(f"RAG {old['rag']} to {new['rag']}")
    if old["due_on"] != new["due_on"]:
        verb = "Slipped" if new["due_on"] > old["due_on"] else "Brought forward"
        words.append(f"{verb} from {_date(old['due_on'])} to {_date(new['due_on'])}")
    if old["owner"] != new["owner"]:
        words.append(f"Owner now {new['owner']}")
    if not words and old["rag_reason"] != new["rag_reason"]:
        words.append("Reason for the RAG rating updated")
    return words


def _milestone_changes(before: Side, after: Side) -> list[str]:
    if not before.exists:
        return ["New milestone"]
    if not after.exists:
        return ["Removed"]
    old, new = before.values, after.values
    words = []
    if old["due_on"] != new["due_on"]:
        verb = "Slipped" if new["due_on"] > old["due_on"] else "Brought forward"
        words.append(f"{verb} from {_date(old['due_on'])} to {_date(new['due_on'])}")
    if old["met_on"] is None and new["met_on"] is not None:
        words.append(f"Met on {_date(new['met_on'])}")
    elif old["met_on"] is not None and new["met_on"] is None:
        words.append("No longer marked as met")
    return words


def rows(before: State, after: State) -> list[Row]:
    """Every action and milestone present at either moment, with what changed."""
    changed = diff(before, after)
    ids = sorted({(kind, record_id) for kind, record_id, _ in (*before, *after)},
                 key=lambda pair: (pair[0] != "action", pair[1]))
    result = []
    for kind, record_id in ids:
        fields = ACTION_FIELDS if kind == "action" else MILESTONE_FIELDS
        old = _side(before, kind, record_id, fields)
        new = _side(after, kind, record_id, fields)
        touched = any(key[:2] == (kind, record_id) for key in changed)
        words = ((_action_changes if kind == "action" else _milestone_changes)(old, new)
                 if touched else [])
        latest = new if new.exists else old
        result.append(Row(kind=kind, id=record_id, title=latest.values["title"],
                          theme_id=latest.values.get("theme_id"), before=old, after=new,
                          changes=words))
    return result


@dataclass(frozen=True)
class Summary:
    rag_moves: int
    slipped: int
    new: int
    closed: int


def summary(result: list[Row]) -> Summary:
    def count(start: str) -> int:
        return sum(1 for row in result for word in row.changes if word.startswith(start))

    return Summary(rag_moves=count("RAG "), slipped=count("Slipped"),
                   new=count("New "), closed=count("Closed"))
