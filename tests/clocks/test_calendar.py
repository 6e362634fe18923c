import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from childrenmatter.clocks.calendar import (
    FIRST_DAY,
    LAST_DAY,
    add_working_days,
    add_working_days_array,
    add_working_days_expr,
    bank_holidays,
    is_working_day,
    working_days_between,
    working_days_between_array,
    working_days_between_expr,
)
from childrenmatter.errors import UserError

# Leave room after the start for the largest step, so results stay inside the calendar.
starts = st.dates(min_value=FIRST_DAY, max_value=dt.date(2034, 12, 31))
steps = st.integers(min_value=0, max_value=200)
days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


def test_a_referral_on_christmas_eve_is_due_after_the_bank_holidays():
    # DOMAIN.md: 25 Dec (Christmas) and 28 Dec (Boxing Day, observed) 2020 do not count.
    assert add_working_days(dt.date(2020, 12, 24), 1) == dt.date(2020, 12, 29)


def test_good_friday_and_easter_monday_are_not_working_days():
    assert not is_working_day(dt.date(2021, 4, 2))
    assert not is_working_day(dt.date(2021, 4, 5))
    assert add_working_days(dt.date(2021, 4, 1), 1) == dt.date(2021, 4, 6)


def test_christmas_and_boxing_day_on_a_weekend_move_to_the_monday_and_tuesday():
    # 2021: Christmas on a Saturday, Boxing Day on a Sunday.
    assert not is_working_day(dt.date(2021, 12, 27))
    assert not is_working_day(dt.date(2021, 12, 28))
    assert add_working_days(dt.date(2021, 12, 24), 1) == dt.date(2021, 12, 29)


def test_boxing_day_on_a_monday_pushes_christmas_to_the_tuesday():
    # 2022: Christmas on a Sunday, Boxing Day on the Monday, Christmas observed Tuesday.
    assert not is_working_day(dt.date(2022, 12, 26))
    assert not is_working_day(dt.date(2022, 12, 27))
    assert is_working_day(dt.date(2022, 12, 28))


def test_one_off_bank_holidays_come_from_the_library():
    assert not is_working_day(dt.date(2022, 9, 19))  # state funeral of Elizabeth II
    assert not is_working_day(dt.date(2023, 5, 8))  # coronation of Charles III


def test_an_assessment_of_45_working_days_steps_over_the_late_summer_bank_holiday():
    # Referral Monday 3 Aug 2020: 45 weekdays would be 5 Oct, but 31 Aug was a bank
    # holiday, so the 45th working day is Tuesday 6 Oct.
    referral = dt.date(2020, 8, 3)
    assert add_working_days(referral, 45) == dt.date(2020, 10, 6)
    assert working_days_between(referral, dt.date(2020, 10, 6)) == 45


def test_one_working_day_after_a_saturday_is_the_monday():
    assert add_working_days(dt.date(2024, 6, 8), 1) == dt.date(2024, 6, 10)


def test_zero_working_days_is_the_start_even_on_a_weekend():
    assert add_working_days(dt.date(2024, 6, 8), 0) == dt.date(2024, 6, 8)


def test_a_datetime_on_a_bank_holiday_is_not_a_working_day():
    assert not is_working_day(dt.datetime(2020, 12, 25, 9, 30))


def test_the_calendar_covers_1990_to_2035_and_refuses_dates_outside_it():
    assert bank_holidays()[0].year == 1990
    assert bank_holidays()[-1].year == 2035
    with pytest.raises(UserError, match="1990-01-01 to 2035-12-31"):
        is_working_day(dt.date(1989, 12, 31))
    with pytest.raises(UserError, match="outside the working-day calendar"):
        add_working_days(dt.date(2035, 12, 20), 45)
    with pytest.raises(UserError, match="outside the working-day calendar"):
        add_working_days_array(np.array(["2035-12-20"], dtype="datetime64[D]"), 45)


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2020, 1, 1), -1)
    with pytest.raises(ValueError):
        add_working_days_array(np.array(["2020-01-01"], dtype="datetime64[D]"), -1)


def test_a_missing_start_gives_a_missing_due_date_in_the_array_version():
    starts = np.array(["2020-12-24", "NaT"], dtype="datetime64[D]")
    due = add_working_days_array(starts, 1)
    assert due[0] == np.datetime64("2020-12-29")
    assert np.isnat(due[1])


def test_counting_from_a_missing_date_in_the_array_version_is_refused():
    with pytest.raises(ValueError, match="NaT"):
        working_days_between_array(
            np.array(["NaT"], dtype="datetime64[D]"),
            np.array(["2020-01-01"], dtype="datetime64[D]"),
        )


@given(start=starts, n=st.integers(min_value=1, max_value=200))
def test_the_result_of_adding_working_days_is_always_a_working_day(start, n):
    assert is_working_day(add_working_days(start, n))


@given(start=starts, n=steps)
def test_adding_more_working_days_never_gives_an_earlier_date(start, n):
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@given(start=starts, n=steps)
def test_counting_working_days_undoes_adding_them(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@given(start=days, end=days)
def test_counting_backwards_gives_minus_the_count_forwards(start, end):
    assert working_days_between(start, end) == -working_days_between(end, start)


@given(rows=st.lists(st.tuples(starts, steps), min_size=1, max_size=30))
def test_the_array_version_of_adding_agrees_with_the_scalar_one(rows):
    start_array = np.array([start for start, _ in rows], dtype="datetime64[D]")
    n_array = np.array([n for _, n in rows])
    expected = [add_working_days(start, n) for start, n in rows]
    assert add_working_days_array(start_array, n_array).tolist() == expected


@given(start_list=st.lists(starts, min_size=1, max_size=30), n=steps)
def test_the_array_version_of_adding_one_number_agrees_with_the_scalar_one(start_list, n):
    start_array = np.array(start_list, dtype="datetime64[D]")
    expected = [add_working_days(start, n) for start in start_list]
    assert add_working_days_array(start_array, n).tolist() == expected


@given(pairs=st.lists(st.tuples(days, days), min_size=1, max_size=30))
def test_the_array_version_of_counting_agrees_with_the_scalar_one(pairs):
    start_array = np.array([start for start, _ in pairs], dtype="datetime64[D]")
    end_array = np.array([end for _, end in pairs], dtype="datetime64[D]")
    expected = [working_days_between(start, end) for start, end in pairs]
    assert working_days_between_array(start_array, end_array).tolist() == expected


@given(start_list=st.lists(st.one_of(st.none(), starts), min_size=1, max_size=30), n=steps)
def test_the_polars_version_of_adding_agrees_with_the_scalar_one(start_list, n):
    frame = pl.DataFrame({"start": start_list}, schema={"start": pl.Date})
    result = frame.select(add_working_days_expr("start", n))["start"].to_list()
    expected = [None if start is None else add_working_days(start, n) for start in start_list]
    assert result == expected


@given(pairs=st.lists(st.tuples(st.one_of(st.none(), days), days), min_size=1, max_size=30))
def test_the_polars_version_of_counting_agrees_with_the_scalar_one(pairs):
    frame = pl.DataFrame(
        {"start": [start for start, _ in pairs], "end": [end for _, end in pairs]},
        schema={"start": pl.Date, "end": pl.Date},
    )
    result = frame.select(working_days_between_expr("start", "end"))["start"].to_list()
    expected = [None if start is None else working_days_between(start, end) for start, end in pairs]
    assert result == expected
