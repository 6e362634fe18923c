"""The children behind a figure: every record an indicator counted, for one authority.

``children_behind(tables, *, indicator, authority, period=None, at=None) -> pl.DataFrame``

- ``period`` "YYYY-MM": the month, as in the monthly series; ``at`` a date: as
  ``indicators --at`` (stock figures on the date, flows over the 12 months ending on it).
- One row per record counted, with ``child_id`` first, then the record's dates (the
  columns of type Date of what was counted: plan start and end, referral date, contact
  date, placement dates...) and the other fields that decided it.
- Counts and rates (and the medians' records): the rows are what was counted, so their
  number equals the figure's ``count``.
- Percentages and averages: the rows are the denominator's; ``in_numerator`` says which
  are in the numerator, so its sum is the ``numerator`` and the row count the
  ``denominator``. Workforce figures count workers: their rows have ``worker_id``
  instead of ``child_id``. For caseloads (an average of children per worker) the rows are the
  children allocated, each with ``worker_id`` (per team: once per team, with
  ``team_id``).

It works by computing the indicator with each record as its own group (the "area" of
``registry.compute_rows`` is the whole row), so what is listed is exactly what the
figure counted, by the same code. The stock figures (looked after, CP plans, children in
need) count distinct children across tables and are listed from the open records.

Who may see the list is the web app's business (people/access.py logs each reading).
No Django import.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from childrenmatter.errors import UserError
from childrenmatter.insight.registry import (
    Indicator,
    Tables,
    Unit,
    compute_rows,
    month_periods,
    open_on_end,
    year_to_period,
)
from childrenmatter.insight.stock import SHORT_BREAKS, select_authority

KEY = ["la_code", "child_id"]

# Stock figures: (table, start, end) of the records that put a child in the count.
_STOCK_SOURCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "looked_after": (("episodes", "decom", "dec"),),
    "cp_plans": (("cp_plans", "start_date", "end_date"),),
    "cin_dfe": (("referrals", "referral_date", "closure_date"),
                ("cp_plans", "start_date", "end_date"),
                ("episodes", "decom", "dec")),
    "cin_local": (("referrals", "referral_date", "closure_date"),),
}
# Figures of workers, not children: their rows lead with worker_id.
WORKER_INDICATORS = ("agency_workers", "newly_qualified_protected_caseloads")
_INTERNAL = {"period", "window_start", "window_end", "_earlier_plan", "la_code"}


def _periods(period: str | None, at: date | None) -> pl.DataFrame:
    if (period is None) == (at is None):
        raise UserError("give a month (--month YYYY-MM) or a date (--at YYYY-MM-DD), not both")
    if at is not None:
        return year_to_period(at)
    try:
        first = date.fromisoformat(f"{period}-01")
    except ValueError:
        raise UserError(f"--month: {period!r} is not a month in the form YYYY-MM") from None
    return month_periods(first, first)


def _stock_children(name: str, tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    """Children open on the day: one row per child, the record that put them there."""
    frames = []
    for table, start, end in _STOCK_SOURCES[name]:
        frame = tables[table]
        if table == "episodes":
            frame = frame.filter(~pl.col("ls").is_in(SHORT_BREAKS))
        rows = open_on_end(frame, start, end, periods).select(
            *KEY, pl.lit(table).alias("record"),
            pl.col(start).alias("start_date"), pl.col(end).alias("end_date"))
        frames.append(rows)
    rows = pl.concat(frames).sort("start_date").unique(subset=KEY, keep="first",
                                                       maintain_order=True)
    if name == "cin_local":
        ended = open_on_end(tables["cp_plans"], "start_date", "end_date", periods).select(KEY)
        care = open_on_end(tables["episodes"].filter(~pl.col("ls").is_in(SHORT_BREAKS)),
                           "decom", "dec", periods).select(KEY)
        rows = rows.join(ended, on=KEY, how="anti").join(care, on=KEY, how="anti")
    return rows.sort("child_id")


def _caseload_children(tables: Tables, periods: pl.DataFrame, by_team: bool) -> pl.DataFrame:
    """Children allocated on the day: once each (per worker), or once per team."""
    allocations = tables["allocations"].select(*KEY, "worker_id", "start_date", "end_date")
    allocated = open_on_end(allocations, "start_date", "end_date", periods).select(
        *KEY, "worker_id", "start_date", "end_date")
    unique_by = KEY
    if by_team:
        teams = tables["workers"].select("la_code", "worker_id", "team_id")
        allocated = allocated.join(teams, on=["la_code", "worker_id"], how="inner")
        unique_by = [*KEY, "team_id"]
    return (allocated.sort("start_date").unique(subset=unique_by, keep="first")
            .sort("child_id", "start_date").with_columns(pl.lit(True).alias("in_numerator")))


def _records(indicator: Indicator, tables: Tables, periods: pl.DataFrame) -> pl.DataFrame:
    """Each record the indicator counted, with its count (and numerator)."""
    rows = compute_rows([indicator], tables, periods, area=pl.struct(pl.all()))[indicator]
    if rows.height == 0:
        return pl.DataFrame()
    unpacked = rows.select(pl.col("area").struct.unnest(), *indicator.unit.columns)
    return unpacked


def children_behind(
    tables: Tables,
    *,
    indicator: str,
    authority: str,
    period: str | None = None,
    at: date | None = None,
) -> pl.DataFrame:
    """The records behind one authority's figure (module docstring)."""
    from childrenmatter.insight.indicators import REGISTRY

    if indicator not in REGISTRY:
        raise UserError(f"--indicator {indicator}: not an indicator (see docs/indicators.md)")
    chosen = REGISTRY[indicator]
    tables = select_authority(dict(tables), authority)
    periods = _periods(period, at)
    if indicator in _STOCK_SOURCES:
        return _stock_children(indicator, tables, periods).drop("la_code")
    if indicator in ("caseload_per_worker", "caseload_per_team"):
        return _caseload_children(tables, periods, indicator == "caseload_per_team").drop(
            "la_code")
    records = _records(chosen, tables, periods)
    shares = chosen.unit in (Unit.PERCENT, Unit.AVERAGE)
    if records.height == 0:
        key = "worker_id" if indicator in WORKER_INDICATORS else "child_id"
        return pl.DataFrame(schema={key: pl.String, **(
            {"in_numerator": pl.Boolean} if shares else {})})
    # Whole records can repeat (two identical rows): each stands for its count.
    if shares:
        repeat = pl.col("denominator")
        flag = [(pl.col("numerator") > 0).alias("in_numerator")]
    else:
        repeat = pl.col("count")
        flag = []
    key = "worker_id" if indicator in WORKER_INDICATORS else "child_id"
    shown = [c for c in records.columns
             if c not in _INTERNAL and c not in ("count", "numerator", "denominator", "days")
             and c != key]
    dates = [c for c in shown if records.schema[c] in (pl.Date, pl.Datetime)]
    others = [c for c in shown if c not in dates and records.schema[c] not in (
        pl.List, pl.Struct) and not isinstance(records.schema[c], pl.List | pl.Struct)]
    out = records.select(key, *dates, *others, *flag, repeat.alias("_times"))
    out = out.with_columns(pl.int_ranges(0, pl.col("_times")).alias("_n")).explode("_n")
    return out.drop("_times", "_n").sort(key, *dates[:1])
