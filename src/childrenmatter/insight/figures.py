"""Every indicator at a date, or month by month, for one authority or all of them together.

- At a date: stock indicators (``Window.AT_END``) on that date; flow indicators over the
  12 months ending on it (``year_to_period``), so ``--at 2025-03-31`` gives the DfE's
  year to 31 March. The four stock keys of ``stock_indicators`` come out unchanged.
- Month by month: one period per calendar month; stock indicators on the month's last day,
  flow indicators over the month (``Window.YEAR_TO_END`` ones over the 12 months to its
  last day).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import polars as pl

from childrenmatter.errors import UserError
from childrenmatter.insight.indicators import INDICATORS
from childrenmatter.insight.registry import (
    ALL_AREAS,
    Figure,
    Indicator,
    Tables,
    evaluate,
    month_periods,
    tables_needed,
    year_to_period,
)
from childrenmatter.insight.stock import check_within_period, select_authority

INDICATOR_TABLES = tables_needed(INDICATORS)

_MONTH = re.compile(r"\d{4}-\d{2}")


def parse_month(option: str, text: str) -> date:
    """The first day of a month given as YYYY-MM."""
    try:
        if not _MONTH.fullmatch(text):
            raise ValueError
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise UserError(f"{option}: {text!r} is not a month in the form YYYY-MM") from None


def _area(figures: dict[str, dict[str, dict[str, Figure]]], authority: str | None):
    return figures[ALL_AREAS if authority is None else authority]


def indicators_at(
    tables: Tables, at: date, authority: str | None = None,
    indicators: Iterable[Indicator] = INDICATORS,
) -> dict[str, Figure]:
    """Every indicator at a date, for one authority or for all of them together."""
    tables = select_authority(dict(tables), authority)
    check_within_period(tables["authorities"], at)
    figures = evaluate(indicators, tables, year_to_period(at), together=authority is None)
    return _area(figures, authority)[at.isoformat()]


def check_months(authorities: pl.DataFrame, first: date, last: date) -> None:
    """Refuse a series that runs backwards or has a month outside the data."""
    if first > last:
        raise UserError(f"--from {first:%Y-%m} is after --to {last:%Y-%m}")
    starts = authorities["period_start"].drop_nulls()
    ends = authorities["period_end"].drop_nulls()
    if starts.len() and first < starts.min():
        raise UserError(f"--from {first:%Y-%m}: before the data, which starts on {starts.min()}")
    # A month is in the data when the data runs to its last day.
    last_end = month_periods(last, last)["window_end"][0]
    if ends.len() and last_end > ends.max():
        raise UserError(f"--to {last:%Y-%m}: the month runs past the data, which ends on "
                        f"{ends.max()}")


def indicators_by_month(
    tables: Tables, first: date, last: date, authority: str | None = None,
    indicators: Iterable[Indicator] = INDICATORS,
) -> dict[str, dict[str, Figure]]:
    """``{YYYY-MM: {indicator: figure}}`` for each month from ``first`` to ``last``."""
    tables = select_authority(dict(tables), authority)
    check_months(tables["authorities"], first, last)
    figures = evaluate(indicators, tables, month_periods(first, last), together=authority is None)
    return _area(figures, authority)


def indicators_by_month_by_authority(
    tables: Tables, first: date, last: date, indicators: Iterable[Indicator] = INDICATORS,
) -> dict[str, dict[str, dict[str, Figure]]]:
    """``{la_code: {YYYY-MM: {indicator: figure}}}``: every authority at once."""
    check_months(tables["authorities"], first, last)
    return evaluate(indicators, tables, month_periods(first, last))
