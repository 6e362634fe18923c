"""The state of a clock: due, due soon, overdue, done in time or done late.

Every page, list, return and indicator takes a clock's state from here, so a visit
cannot be "in time" on a worker's list and "late" in the monthly pack.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import polars as pl

from childrenmatter.clocks.calendar import working_days_between, working_days_between_expr

DUE_SOON_DAYS = 5


class ClockState(StrEnum):
    DUE = "due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE_IN_TIME = "done_in_time"
    DONE_LATE = "done_late"


def _check_due_soon_days(due_soon_days: int) -> None:
    if due_soon_days < 0:
        raise ValueError(f"due_soon_days must be 0 or more, not {due_soon_days}")


def clock_state(
    *, due: dt.date, done: dt.date | None, today: dt.date, due_soon_days: int = DUE_SOON_DAYS
) -> ClockState:
    """The state of a clock due on ``due``, done on ``done`` (None if not yet), on ``today``.

    Done on the due date is in time. Not done and due today or within ``due_soon_days``
    working days is due soon.
    """
    _check_due_soon_days(due_soon_days)
    if done is not None:
        return ClockState.DONE_IN_TIME if done <= due else ClockState.DONE_LATE
    if today > due:
        return ClockState.OVERDUE
    if working_days_between(today, due) <= due_soon_days:
        return ClockState.DUE_SOON
    return ClockState.DUE


def clock_state_expr(
    due_col: pl.Expr | str,
    done_col: pl.Expr | str,
    today: dt.date | pl.Expr,
    *,
    due_soon_days: int = DUE_SOON_DAYS,
) -> pl.Expr:
    """``clock_state`` as a Polars expression giving the state's string for each row.

    A null done date means not done yet; a null due date gives a null state.
    """
    _check_due_soon_days(due_soon_days)
    due = pl.col(due_col) if isinstance(due_col, str) else due_col
    done = pl.col(done_col) if isinstance(done_col, str) else done_col
    if isinstance(today, dt.datetime):
        today = today.date()
    today = today if isinstance(today, pl.Expr) else pl.lit(today, dtype=pl.Date)

    def state(value: ClockState) -> pl.Expr:
        # A bare string in then() would be read as a column name.
        return pl.lit(value.value, dtype=pl.String)

    return (
        pl.when(due.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(done.is_not_null() & (done <= due))
        .then(state(ClockState.DONE_IN_TIME))
        .when(done.is_not_null())
        .then(state(ClockState.DONE_LATE))
        .when(today > due)
        .then(state(ClockState.OVERDUE))
        .when(working_days_between_expr(today, due) <= due_soon_days)
        .then(state(ClockState.DUE_SOON))
        .otherwise(state(ClockState.DUE))
    )
