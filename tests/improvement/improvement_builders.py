"""A small plan to test with: one theme, one action, one milestone, made by a manager."""

from __future__ import annotations

import datetime as dt

from childrenmatter.improvement import actions


def make_plan(manager, *, la_code: str = "806", due_on: dt.date = dt.date(2027, 3, 31)):
    plan = actions.create_plan(actor=manager, la_code=la_code, kind="immediate_assurance",
                               title="Immediate assurance plan")
    theme = actions.add_theme(actor=manager, plan=plan, title="The front door")
    action = actions.add_action(
        actor=manager, plan=plan, theme=theme, title="Decide every contact within a day",
        owner="Head of the front door", rag="green", rag_reason="On track", due_on=due_on)
    milestone = actions.add_milestone(actor=manager, plan=plan, title="Rota agreed",
                                      due_on=dt.date(2026, 1, 15), action=action)
    return plan, theme, action, milestone
