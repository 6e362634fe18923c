"""Working days in England and Wales: Monday to Friday, except bank holidays.

Statutory guidance counts many timescales in working days, and day 1 is the first
working day *after* the start date: a referral on Thursday 24 December 2020 is due on
Tuesday 29 December, because the 25th and 28th were bank holidays.

Bank holidays come from the maintained ``holidays`` library rather than a typed list,
so one-off days (jubilees, a state funeral, a coronation) are right. The calendar
covers 1990 to 2035 (far enough back for the history of a child in care in the 2000s);
a date outside that range is refused rather than counted without its bank holidays.

There are three forms of each count, which must always agree:

- scalar functions on ``datetime.date``, written plainly so they can be read and checked;
- numpy functions on ``datetime64[D]`` arrays, for the simulator's millions of rows;
- Polars expressions, for indicators computed in a lazy frame.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
import numpy as np
import numpy.typing as npt
import polars as pl

from childrenmatter.errors import UserError

FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2035, 12, 31)

_ONE_DAY = dt.timedelta(days=1)
_MONDAY_TO_FRIDAY = "1111100"
_WEEK_MASK = (True, True, True, True, True, False, False)


@cache
def bank_holidays() -> tuple[dt.date, ...]:
    """Bank holidays in England and Wales from 1990 to 2035, in date order.

    England's list is also Wales's: the two differ from Scotland and Northern Ireland,
    not from each other.
    """
    calendar = holidays.UnitedKingdom(subdiv="ENG", years=range(FIRST_DAY.year, LAST_DAY.year + 1))
    return tuple(sorted(calendar))


@cache
def _bank_holiday_set() -> frozenset[dt.date]:
    return frozenset(bank_holidays())


@cache
def _busdaycalendar() -> np.busdaycalendar:
    return np.busdaycalendar(
        weekmask=_MONDAY_TO_FRIDAY,
        holidays=np.array(bank_holidays(), dtype="datetime64[D]"),
    )


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date to the type checker, but it never equals one, so a bank
    # holiday given as a datetime would silently count as a working day.
    return value.date() if isinstance(value, dt.datetime) else value


def _check_covered(value: dt.date) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise UserError(
            f"{value.isoformat()} is outside the working-day calendar, which covers "
            f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )


def is_working_day(day: dt.date) -> bool:
    """True for Monday to Friday unless it is a bank holiday in England and Wales."""
    day = _as_date(day)
    _check_covered(day)
    return day.weekday() < 5 and day not in _bank_holiday_set()


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start``; ``start`` itself when ``n`` is 0.

    ``start`` need not be a working day: one working day after a Saturday is Monday.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    day = _as_date(start)
    _check_covered(day)
    remaining = n
    while remaining:
        day += _ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``.

    So ``working_days_between(s, add_working_days(s, n)) == n``. When ``end`` is before
    ``start`` the count is negative: minus the working days after ``end`` up to and
    including ``start``.
    """
    start, end = _as_date(start), _as_date(end)
    _check_covered(start)
    _check_covered(end)
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if is_working_day(day):
            count += 1
    return count


def _as_day_array(values: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    return np.asarray(values, dtype="datetime64[D]")


def _check_array_covered(days: npt.NDArray[np.datetime64]) -> None:
    known = days[~np.isnat(days)]
    if known.size:
        _check_covered(known.min().astype(dt.date))
        _check_covered(known.max().astype(dt.date))


def add_working_days_array(
    starts: npt.ArrayLike, n: int | npt.ArrayLike
) -> npt.NDArray[np.datetime64]:
    """``add_working_days`` over an array of start dates (``datetime64[D]``).

    ``n`` is one number for every row or an array of them. A missing start (NaT) gives a
    missing result.
    """
    starts = _as_day_array(starts)
    counts = np.asarray(n, dtype=np.int64)
    if (counts < 0).any():
        raise ValueError("n must be 0 or more")
    _check_array_covered(starts)
    # Rolling a weekend or bank holiday start *back* to the working day before it, then
    # stepping n working days, lands on the n-th working day after the start. Rolling
    # forward would count the next working day as day 0 and land one day late.
    stepped = np.busday_offset(starts, counts, roll="backward", busdaycal=_busdaycalendar())
    due = np.where(counts == 0, starts, stepped)
    _check_array_covered(due)
    return due


def working_days_between_array(starts: npt.ArrayLike, ends: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """``working_days_between`` over arrays of dates (``datetime64[D]``).

    numpy cannot count from a missing date, so NaT is refused: drop those rows first,
    or use ``working_days_between_expr``, which gives null for them.
    """
    starts, ends = _as_day_array(starts), _as_day_array(ends)
    if np.isnat(starts).any() or np.isnat(ends).any():
        raise ValueError(
            "working_days_between_array cannot count from a missing date (NaT); "
            "drop those rows or use working_days_between_expr"
        )
    _check_array_covered(starts)
    _check_array_covered(ends)
    # busday_count counts [begin, end), so shifting both by a day counts (start, end].
    # It does not simply negate when end is before begin, so count forwards and negate.
    earlier, later = np.minimum(starts, ends), np.maximum(starts, ends)
    one_day = np.timedelta64(1, "D")
    count = np.busday_count(earlier + one_day, later + one_day, busdaycal=_busdaycalendar())
    return np.where(ends < starts, -count, count)


def add_working_days_expr(start: pl.Expr | str, n: int) -> pl.Expr:
    """``add_working_days`` as a Polars expression on a date column; null stays null.

    Unlike the scalar and numpy forms, an expression cannot refuse a date outside
    1990–2035 as it runs: such dates are counted without their bank holidays.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    start = pl.col(start) if isinstance(start, str) else start
    if n == 0:
        return start
    return start.dt.add_business_days(
        n, week_mask=_WEEK_MASK, holidays=bank_holidays(), roll="backward"
    )


def working_days_between_expr(start: pl.Expr | str, end: pl.Expr | str) -> pl.Expr:
    """``working_days_between`` as a Polars expression; null when either date is null.

    Dates outside 1990–2035 are counted without their bank holidays (see
    ``add_working_days_expr``).
    """
    start = pl.col(start) if isinstance(start, str) else start
    end = pl.col(end) if isinstance(end, str) else end
    # As in working_days_between_array: count forwards over (earlier, later], then negate.
    # min/max_horizontal skip nulls, so a null date only shows in the comparisons below,
    # which are null too and so match neither branch.
    earlier = pl.min_horizontal(start, end)
    later = pl.max_horizontal(start, end)
    one_day = pl.duration(days=1)
    count = pl.business_day_count(
        earlier + one_day, later + one_day, week_mask=_WEEK_MASK, holidays=bank_holidays()
    )
    return pl.when(end < start).then(-count).when(end >= start).then(count)
