"""The indicator registry: each indicator of DOMAIN.md defined once, and how to compute it.

An ``Indicator`` says what is counted, its numerator and denominator, its date logic and
where the definition comes from; ``docs/indicators.md`` is generated from these fields
(``childrenmatter indicators docs``), so the page cannot drift from the code.

Every indicator is computed for many periods and every authority at once. A period is a
row of a frame with ``period`` (its label), ``window_start`` and ``window_end`` (inclusive
dates). What an indicator does with the window is its ``window``:

- ``Window.PERIOD``: events whose date falls in the window (referrals received in a month);
- ``Window.AT_END``: records open at the window's last day, as in ``stock.open_at``;
- ``Window.YEAR_TO_END``: events in the 12 months ending on the window's last day, whatever
  the period's length, because the definition is annual (3 or more placements in the year).

A compute function returns one row per area and period with the columns its unit needs
(see ``Unit``); ``evaluate`` fills in the areas and periods with nothing to count, adds
the population and turns the rows into figures.

Plain Python and Polars: no Django import.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, TypeVar

import polars as pl

from childrenmatter.insight.stock import population_by_authority, rate_per_10k

Tables = Mapping[str, pl.DataFrame]
T = TypeVar("T")
Figure = dict[str, Any]

# The area of a row: an LA code, or this label when every authority is counted together.
ALL_AREAS = "all"

# How many indicators are computed at once (CHILDRENMATTER_INDICATOR_THREADS; 1 for one
# at a time): two by default, for a machine of two cores.
def _threads(variable: str = "CHILDRENMATTER_INDICATOR_THREADS", default: int = 2) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{variable}: {text!r} is not a whole number of 1 or more")
    return int(text)


COMPUTE_THREADS = _threads()


class Unit(StrEnum):
    """What an indicator reports, and so the keys of its figure.

    - count: ``count``
    - rate_per_10k: ``count`` and ``rate_per_10k`` (count ÷ 0-17 population × 10,000)
    - percent: ``percent``, ``numerator`` and ``denominator`` (percent null when nothing
      is in the denominator)
    - days: ``days`` (the median) and ``count`` (how many records it is the median of)
    - hours: ``hours`` (the median) and ``count``, as days
    - average: ``average`` (numerator ÷ denominator), ``numerator`` and ``denominator``
    """

    COUNT = "count"
    RATE = "rate_per_10k"
    PERCENT = "percent"
    DAYS = "days"
    HOURS = "hours"
    AVERAGE = "average"

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns a compute function returns for this unit, besides area and period."""
        return {
            Unit.COUNT: ("count",),
            Unit.RATE: ("count",),
            Unit.PERCENT: ("numerator", "denominator"),
            Unit.DAYS: ("days", "count"),
            Unit.HOURS: ("hours", "count"),
            Unit.AVERAGE: ("numerator", "denominator"),
        }[self]


class Window(StrEnum):
    PERIOD = "period"
    AT_END = "at_end"
    YEAR_TO_END = "year_to_end"

    @property
    def describe(self) -> str:
        return {
            Window.PERIOD: "events in the period",
            Window.AT_END: "open on the last day of the period",
            Window.YEAR_TO_END: "the 12 months ending on the last day of the period",
        }[self]


# (tables, periods, area) -> rows of area, period and the unit's columns.
Compute = Callable[[Tables, pl.DataFrame, pl.Expr], pl.DataFrame]


@dataclass(frozen=True)
class Indicator:
    name: str
    title: str
    area: str  # the part of the service: front door, assessment, child protection...
    unit: Unit
    window: Window
    counted: str  # what is counted, in words
    numerator: str
    denominator: str
    dates: str  # the date logic, in words
    source: str  # where the definition comes from
    tables: tuple[str, ...]
    compute: Compute

    def periods_for(self, periods: pl.DataFrame) -> pl.DataFrame:
        """The windows this indicator counts over for the periods asked for."""
        if self.window is Window.YEAR_TO_END:
            return periods.with_columns(year_start(pl.col("window_end")).alias("window_start"))
        return periods


def year_start(end: pl.Expr) -> pl.Expr:
    """The first day of the 12 months ending on ``end``: 31 Mar 2025 -> 1 Apr 2024."""
    return end.dt.offset_by("-1y").dt.offset_by("1d")


# --- Periods ------------------------------------------------------------------------------


def month_periods(first: date, last: date) -> pl.DataFrame:
    """One period per calendar month from ``first``'s month to ``last``'s, labelled YYYY-MM."""
    starts = pl.date_range(first.replace(day=1), last.replace(day=1), "1mo", eager=True)
    return pl.DataFrame({"window_start": starts}).select(
        pl.col("window_start").dt.strftime("%Y-%m").alias("period"),
        "window_start",
        pl.col("window_start").dt.month_end().alias("window_end"),
    )


def year_to_period(at: date) -> pl.DataFrame:
    """One period: the 12 months ending on ``at``, labelled with the date."""
    return pl.DataFrame({"period": [at.isoformat()], "window_end": [at]}).select(
        "period", year_start(pl.col("window_end")).alias("window_start"), "window_end"
    )


# --- Turning rows into figures ------------------------------------------------------------


def _half_up(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator × 100, rounded half-up to one decimal; None when 0 ÷ 0."""
    if denominator <= 0:
        return None
    return _half_up(Decimal(numerator) * 100 / Decimal(denominator))


def figure(unit: Unit, row: Mapping[str, Any]) -> Figure:
    """The figure of one indicator for one area and period, from its row."""
    if unit is Unit.COUNT:
        return {"count": int(row["count"])}
    if unit is Unit.RATE:
        count, population = int(row["count"]), int(row["population"] or 0)
        rate = rate_per_10k(count, population) if population > 0 else None
        return {"count": count, "rate_per_10k": rate}
    if unit is Unit.PERCENT:
        numerator, denominator = int(row["numerator"]), int(row["denominator"])
        return {"percent": percent(numerator, denominator), "numerator": numerator,
                "denominator": denominator}
    if unit in (Unit.DAYS, Unit.HOURS):
        median = row[unit.value]
        return {unit.value: None if median is None else _half_up(Decimal(str(median))),
                "count": int(row["count"])}
    numerator, denominator = int(row["numerator"]), int(row["denominator"])
    average = (None if denominator <= 0
               else _half_up(Decimal(numerator) / Decimal(denominator)))
    return {"average": average, "numerator": numerator, "denominator": denominator}


def populations(population: pl.DataFrame, periods: pl.DataFrame, together: bool) -> pl.DataFrame:
    """(area, period, population): the estimate in force on each period's last day."""
    frames = []
    for period, end in periods.select("period", "window_end").iter_rows():
        per = population_by_authority(population, end).select(
            pl.lit(ALL_AREAS) if together else pl.col("la_code"), "population")
        frames.append(per.rename({per.columns[0]: "area"}).with_columns(
            pl.lit(period).alias("period")))
    if not frames:
        return pl.DataFrame(schema={"area": pl.String, "population": pl.Int64,
                                    "period": pl.String})
    return pl.concat(frames).group_by("area", "period").agg(pl.col("population").sum())


def tables_needed(indicators: Iterable[Indicator]) -> tuple[str, ...]:
    names = {"authorities", "population"}
    for indicator in indicators:
        names.update(indicator.tables)
    return tuple(sorted(names))


def evaluate(
    indicators: Iterable[Indicator],
    tables: Tables,
    periods: pl.DataFrame,
    *,
    together: bool = False,
) -> dict[str, dict[str, dict[str, Figure]]]:
    """Figures of every indicator: ``{area: {period: {indicator name: figure}}}``.

    ``area`` is each LA code of ``tables["authorities"]``, or ``"all"`` when ``together``
    (every authority's records counted as one area, so a median or a percentage is of
    all the records, not an average of the authorities').
    """
    indicators = list(indicators)
    areas = ([ALL_AREAS] if together
             else sorted(tables["authorities"]["la_code"].unique().to_list()))
    grid = pl.DataFrame({"area": areas}).join(periods.select("period"), how="cross")
    grid = grid.join(populations(tables["population"], periods, together),
                     on=["area", "period"], how="left")
    result: dict[str, dict[str, dict[str, Figure]]] = {
        area: {label: {} for label in periods["period"].to_list()} for area in areas}
    for indicator, rows in compute_rows(indicators, tables, periods, together=together).items():
        columns = indicator.unit.columns
        full = grid.join(rows, on=["area", "period"], how="left").with_columns(
            pl.col(c).fill_null(0) for c in columns if c not in ("days", "hours"))
        for row in full.iter_rows(named=True):
            result[row["area"]][row["period"]][indicator.name] = figure(indicator.unit, row)
    return result


def compute_rows(
    indicators: Iterable[Indicator],
    tables: Tables,
    periods: pl.DataFrame,
    *,
    together: bool = False,
    area: pl.Expr | None = None,
) -> dict[Indicator, pl.DataFrame]:
    """Each indicator's rows: ``area``, ``period`` (the label) and its unit's columns.

    Only areas and periods with something counted have a row. ``area`` is each LA code,
    ``"all"`` when ``together``, or what the expression ``area`` gives (insight.compare
    and insight.drilldown group by other things: an authority and a number of days, a
    record).
    """
    # Together, every row is in one area: a constant number to group by, cheaper to hash
    # over millions of rows than a string, named "all" once the rows are counted.
    if area is None:
        area = pl.lit(0, dtype=pl.UInt8) if together else pl.col("la_code")
    tables = tables if isinstance(tables, EvaluationTables) else EvaluationTables(tables)
    labels = periods["period"].to_list()
    # The compute functions see each period as a number, not its label: grouping millions
    # of rows by an integer is several times faster than by a string.
    numbered = periods.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("period"))
    label_of = pl.DataFrame({"_number": numbered["period"], "_label": labels},
                            schema={"_number": pl.UInt32, "_label": pl.String})

    def rows_of(indicator: Indicator) -> pl.DataFrame:
        rows = indicator.compute(tables, indicator.periods_for(numbered), area)
        if together:
            rows = rows.with_columns(pl.lit(ALL_AREAS).alias("area"))
        return rows.join(label_of, left_on="period", right_on="_number").select(
            "area", pl.col("_label").alias("period"), *indicator.unit.columns)

    indicators = list(indicators)
    workers = min(COMPUTE_THREADS, len(indicators))
    if workers <= 1:
        return {indicator: rows_of(indicator) for indicator in indicators}
    # Polars lets go of Python while it works, and much of an indicator's work (a sort,
    # an as-of join) runs on one core: two indicators at once keep both cores busy.
    with ThreadPoolExecutor(workers, thread_name_prefix="indicator") as pool:
        return dict(zip(indicators, pool.map(rows_of, indicators), strict=True))


# --- Helpers for compute functions --------------------------------------------------------

# An open record's end, so "not ended by the date" is one comparison a join can use.
_FAR_FUTURE = date(9999, 12, 31)


class EvaluationTables(dict[str, pl.DataFrame]):
    """The tables of one ``evaluate`` call, with a memo for work indicators share (the
    contacts of each period feed three indicators; the stock figures four)."""

    def __init__(self, tables: Tables) -> None:
        super().__init__(tables)
        self.memo: dict[tuple[Any, ...], Any] = {}
        # Indicators are computed in threads: one lock per memo entry, so what two of
        # them share is made once while the other waits for it.
        self.locks: dict[tuple[Any, ...], threading.RLock] = {}
        self.locks_lock = threading.Lock()

    def lock(self, key: tuple[Any, ...]) -> threading.RLock:
        with self.locks_lock:
            return self.locks.setdefault(key, threading.RLock())


def memo(tables: Tables, key: tuple[Any, ...], periods: pl.DataFrame,
         make: Callable[[], T]) -> T:
    """``make()``, computed once per ``evaluate`` call for this key and these windows."""
    store = getattr(tables, "memo", None)
    if store is None:
        return make()
    full_key = (*key, tuple(periods.select("period", "window_start", "window_end").rows()))
    with tables.lock(full_key):  # type: ignore[attr-defined]
        if full_key not in store:
            store[full_key] = make()
        return store[full_key]


def _windows(periods: pl.DataFrame) -> pl.DataFrame:
    return periods.select("period", "window_start", "window_end").sort("window_end")


def _sorted(series: pl.Series) -> bool:
    return series.len() <= 1 or bool((series[1:] >= series[:-1]).all())


def _expand(frame: pl.DataFrame, first: pl.Expr, stop: pl.Expr,
            windows: pl.DataFrame) -> pl.DataFrame:
    """Each row once per window of index ``first`` up to (not including) ``stop``.

    Finding the indices by binary search and expanding only the matches keeps the work
    proportional to the rows returned, where a join on two inequalities would compare
    every record with every window. Rows in no window are dropped before anything is
    made for them; when no row is in more than one window (months, for events) nothing
    is expanded at all; and the windows' columns are looked up by index, not joined.
    """
    bounds = frame.with_columns(first.alias("_first"), stop.alias("_stop")).filter(
        pl.col("_stop") > pl.col("_first"))
    widest = (bounds["_stop"] - bounds["_first"]).max() if bounds.height else 0
    if widest is None or widest <= 1:
        expanded = bounds.drop("_stop").rename({"_first": "_window"})
    else:
        expanded = bounds.with_columns(
            pl.int_ranges("_first", "_stop", dtype=pl.UInt32).alias("_window")
        ).drop("_first", "_stop").explode("_window")
    return expanded.with_columns(
        pl.lit(windows[name]).gather(pl.col("_window")).alias(name)
        for name in windows.columns
    ).drop("_window")


def events_in(frame: pl.DataFrame, column: str, periods: pl.DataFrame) -> pl.DataFrame:
    """One row per record and period for each record whose ``column`` falls in the window:
    ``window_start <= column <= window_end``. Windows may overlap (12 months to each
    month's end) if, in order of their ends, their starts are in order too."""
    windows = _windows(periods)
    starts, ends = windows["window_start"], windows["window_end"]
    rows = frame.filter(pl.col(column).is_not_null())
    if windows.height and not _sorted(starts):
        return rows.join_where(windows, pl.col(column) >= pl.col("window_start"),
                               pl.col(column) <= pl.col("window_end"))
    # The windows ending on or after the date, up to the last one starting on or before it.
    first = pl.lit(ends).search_sorted(pl.col(column), side="left")
    stop = pl.lit(starts).search_sorted(pl.col(column), side="right")
    return _expand(rows, first, stop, windows)


def open_on_end(frame: pl.DataFrame, start: str, end: str, periods: pl.DataFrame) -> pl.DataFrame:
    """One row per record and period for each record open on the window's last day:
    started on or before it and not ended by it (``stock.open_at``'s rule)."""
    return open_on(frame, start, end, periods, "window_end")


def open_on(frame: pl.DataFrame, start: str, end: str, periods: pl.DataFrame,
            day: str) -> pl.DataFrame:
    """Records open on each window's ``day`` (``window_start`` or ``window_end``):
    ``start <= day`` and (``end`` is null or ``end > day``)."""
    windows = periods.select("period", "window_start", "window_end").sort(day)
    days = windows[day]
    if not _sorted(days):
        raise ValueError(f"windows cannot be ordered by {day}")
    until = pl.col(end).fill_null(_FAR_FUTURE)
    first = pl.lit(days).search_sorted(pl.col(start), side="left")  # first day >= start
    stop = pl.lit(days).search_sorted(until, side="left")  # days before the end
    return _expand(frame.filter(pl.col(start).is_not_null()), first, stop, windows)


def count_rows(frame: pl.DataFrame, area: pl.Expr) -> pl.DataFrame:
    return frame.group_by(area.alias("area"), "period").agg(pl.len().alias("count"))


def count_share(frame: pl.DataFrame, area: pl.Expr, numerator: pl.Expr) -> pl.DataFrame:
    """Rows in the denominator, and how many of them meet ``numerator``."""
    return frame.group_by(area.alias("area"), "period").agg(
        numerator.fill_null(False).sum().alias("numerator"), pl.len().alias("denominator"))
