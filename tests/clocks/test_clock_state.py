import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from childrenmatter.clocks.state import ClockState, clock_state, clock_state_expr

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))
# Near dates make the boundaries (due today, done on the day, due soon) likely.
near = st.integers(min_value=-15, max_value=15).map(lambda offset: dt.timedelta(days=offset))


@st.composite
def clocks(draw):
    due = draw(st.dates(min_value=dt.date(2000, 2, 1), max_value=dt.date(2035, 11, 30)))
    done = draw(st.one_of(st.none(), near.map(lambda offset: due + offset)))
    today = draw(st.one_of(near.map(lambda offset: due + offset), days))
    return due, done, today


def test_done_on_the_due_date_is_in_time():
    day = dt.date(2021, 6, 4)
    assert clock_state(due=day, done=day, today=day) is ClockState.DONE_IN_TIME


def test_done_the_day_after_the_due_date_is_late():
    state = clock_state(
        due=dt.date(2021, 6, 4), done=dt.date(2021, 6, 5), today=dt.date(2021, 7, 1)
    )
    assert state is ClockState.DONE_LATE


def test_done_early_stays_in_time_whatever_today_is():
    state = clock_state(
        due=dt.date(2021, 6, 4), done=dt.date(2021, 6, 1), today=dt.date(2022, 1, 1)
    )
    assert state is ClockState.DONE_IN_TIME


def test_not_done_the_day_after_the_due_date_is_overdue():
    state = clock_state(due=dt.date(2021, 6, 4), done=None, today=dt.date(2021, 6, 5))
    assert state is ClockState.OVERDUE


def test_not_done_on_the_due_date_is_due_soon_not_overdue():
    day = dt.date(2021, 6, 4)
    assert clock_state(due=day, done=None, today=day) is ClockState.DUE_SOON


def test_due_soon_counts_working_days_so_christmas_keeps_a_clock_due_soon_for_longer():
    # Wednesday 23 Dec 2020 to Thursday 31 Dec is 8 calendar days but only 4 working
    # days (24, 29, 30, 31), because of Christmas and Boxing Day (observed).
    state = clock_state(due=dt.date(2020, 12, 31), done=None, today=dt.date(2020, 12, 23))
    assert state is ClockState.DUE_SOON
    # Wednesday to Thursday the next week in June is 6 working days: not yet due soon.
    state = clock_state(due=dt.date(2021, 6, 17), done=None, today=dt.date(2021, 6, 9))
    assert state is ClockState.DUE


def test_the_due_soon_window_is_a_setting():
    due, today = dt.date(2021, 6, 17), dt.date(2021, 6, 9)
    assert clock_state(due=due, done=None, today=today, due_soon_days=6) is ClockState.DUE_SOON
    assert clock_state(due=due, done=None, today=today, due_soon_days=5) is ClockState.DUE


def test_a_negative_due_soon_window_is_refused():
    with pytest.raises(ValueError):
        clock_state(due=dt.date(2021, 6, 4), done=None, today=dt.date(2021, 6, 1), due_soon_days=-1)
    with pytest.raises(ValueError):
        clock_state_expr("due", "done", dt.date(2021, 6, 1), due_soon_days=-1)


def test_the_states_are_the_strings_the_pages_and_returns_use():
    assert [state.value for state in ClockState] == [
        "due",
        "due_soon",
        "overdue",
        "done_in_time",
        "done_late",
    ]
    assert ClockState.OVERDUE == "overdue"


def test_a_missing_due_date_gives_no_state_in_the_polars_version():
    frame = pl.DataFrame(
        {"due": [None], "done": [dt.date(2021, 6, 4)]},
        schema={"due": pl.Date, "done": pl.Date},
    )
    assert frame.select(clock_state_expr("due", "done", dt.date(2021, 6, 4))).item() is None


@given(clock=clocks())
def test_a_clock_is_in_exactly_one_state_and_done_states_need_a_done_date(clock):
    due, done, today = clock
    state = clock_state(due=due, done=done, today=today)
    assert isinstance(state, ClockState)
    is_done = state in (ClockState.DONE_IN_TIME, ClockState.DONE_LATE)
    assert is_done == (done is not None)


@given(clock=clocks())
def test_a_clock_is_overdue_only_when_not_done_and_past_its_due_date(clock):
    due, done, today = clock
    state = clock_state(due=due, done=done, today=today)
    assert (state is ClockState.OVERDUE) == (done is None and today > due)


@given(clock=clocks(), due_soon_days=st.integers(min_value=0, max_value=10))
def test_a_wider_due_soon_window_never_turns_due_soon_back_to_due(clock, due_soon_days):
    due, done, today = clock
    narrow = clock_state(due=due, done=done, today=today, due_soon_days=due_soon_days)
    wide = clock_state(due=due, done=done, today=today, due_soon_days=due_soon_days + 1)
    assert not (narrow is ClockState.DUE_SOON and wide is ClockState.DUE)


@given(
    rows=st.lists(clocks(), min_size=1, max_size=40),
    today=days,
    due_soon_days=st.integers(min_value=0, max_value=10),
)
def test_the_polars_version_agrees_with_the_scalar_one(rows, today, due_soon_days):
    # Half the rows use their own "today", to test a today column; the rest share one.
    frame = pl.DataFrame(
        {
            "due": [due for due, _, _ in rows],
            "done": [done for _, done, _ in rows],
            "today": [row_today for _, _, row_today in rows],
        },
        schema={"due": pl.Date, "done": pl.Date, "today": pl.Date},
    )
    shared = frame.select(
        clock_state_expr("due", "done", today, due_soon_days=due_soon_days).alias("state")
    )["state"].to_list()
    per_row = frame.select(
        clock_state_expr(
            pl.col("due"), pl.col("done"), pl.col("today"), due_soon_days=due_soon_days
        ).alias("state")
    )["state"].to_list()

    assert shared == [
        clock_state(due=due, done=done, today=today, due_soon_days=due_soon_days)
        for due, done, _ in rows
    ]
    assert per_row == [
        clock_state(due=due, done=done, today=row_today, due_soon_days=due_soon_days)
        for due, done, row_today in rows
    ]
