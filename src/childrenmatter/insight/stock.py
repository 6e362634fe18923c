"""Stock figures at a date: how many children are looked after, on plans, in need.

"At a date" means the record started on or before the date and had not ended by it:
``start <= at`` and (``end`` is null or ``end > at``). A plan that ends on the date is
not counted, as in the DfE's counts at 31 March.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from childrenmatter.errors import UserError

STOCK_TABLES = ("authorities", "population", "referrals", "cp_plans", "episodes")

KEY = ["la_code", "child_id"]

# Children looked after under an agreed series of short-term placements (short breaks)
# are not counted among those looked after at a date (DfE, SSDA903 guidance).
SHORT_BREAKS = ("V3", "V4")


def rate_per_10k(count: int, population: int) -> float:
    """count ÷ population × 10,000, rounded half-up to one decimal (DOMAIN.md)."""
    if population <= 0:
        raise ValueError("population must be positive")
    exact = Decimal(count) * Decimal(10_000) / Decimal(population)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def open_at(frame: pl.DataFrame, at: date, start: str, end: str) -> pl.DataFrame:
    """The distinct children with a record open at the date."""
    return (
        frame.filter((pl.col(start) <= at) & (pl.col(end).is_null() | (pl.col(end) > at)))
        .select(KEY)
        .unique()
    )


def population_year(at: date) -> int:
    """The mid-year estimate in force at a date: an estimate applies from 30 June."""
    return at.year if at >= date(at.year, 6, 30) else at.year - 1


def population_by_authority(population: pl.DataFrame, at: date) -> pl.DataFrame:
    """(la_code, population) in force at the date: the latest estimate at or before its
    year, or the earliest there is when the date comes before them all."""
    year = population_year(at)
    ranked = population.with_columns(
        (pl.col("year") > year).alias("_after"),
        (pl.col("year") - year).abs().alias("_distance"),
    ).sort("la_code", "_after", "_distance")
    return ranked.group_by("la_code", maintain_order=True).first().select(
        "la_code", pl.col("population_0_17").alias("population"))


def population_at(population: pl.DataFrame, at: date) -> int:
    """The 0-17 estimate in force at the date, summed over the authorities given."""
    return int(population_by_authority(population, at)["population"].sum())


def check_within_period(authorities: pl.DataFrame, at: date) -> None:
    starts = authorities["period_start"].drop_nulls()
    ends = authorities["period_end"].drop_nulls()
    if starts.len() and at < starts.min():
        raise UserError(f"--at {at}: before the data, which starts on {starts.min()}")
    if ends.len() and at > ends.max():
        raise UserError(f"--at {at}: after the data, which ends on {ends.max()}")


def select_authority(
    tables: dict[str, pl.DataFrame], authority: str | None
) -> dict[str, pl.DataFrame]:
    if authority is None:
        return tables
    known = tables["authorities"]["la_code"].to_list()
    if authority not in known:
        raise UserError(
            f"--authority {authority}: not in the dataset, which holds {', '.join(sorted(known))}"
        )
    return {name: frame.filter(pl.col("la_code") == authority) for name, frame in tables.items()}


def stock_counts(tables: dict[str, pl.DataFrame], at: date) -> pl.DataFrame:
    """One row per authority: la_code, population and each stock indicator's count.

    ``looked_after`` leaves out children on short breaks (legal status V3 or V4), as the
    DfE's count does. ``cin_dfe`` counts every child with an open CIN episode, on a CP
    plan or looked after (the DfE's definition); ``cin_local`` counts those of them who
    are neither on a CP plan nor looked after (the seed council's definition; DOMAIN.md).
    """
    episodes = tables["episodes"].filter(~pl.col("ls").is_in(SHORT_BREAKS))
    looked_after = open_at(episodes, at, "decom", "dec")
    cp_plans = open_at(tables["cp_plans"], at, "start_date", "end_date")
    open_cin = open_at(tables["referrals"], at, "referral_date", "closure_date")
    cin_dfe = pl.concat([open_cin, cp_plans, looked_after]).unique()
    cin_local = cin_dfe.join(cp_plans, on=KEY, how="anti").join(looked_after, on=KEY, how="anti")
    counts = population_by_authority(tables["population"], at)
    for name, frame in (("looked_after", looked_after), ("cp_plans", cp_plans),
                        ("cin_local", cin_local), ("cin_dfe", cin_dfe)):
        per = frame.group_by("la_code").len(name=name)
        counts = counts.join(per, on="la_code", how="left")
    names = list(INDICATORS)
    return counts.with_columns(pl.col(names).fill_null(0)).sort("la_code")


INDICATORS = ("looked_after", "cp_plans", "cin_local", "cin_dfe")


def _figures(row: dict) -> dict[str, dict[str, int | float]]:
    return {
        name: {"count": int(row[name]), "rate_per_10k": rate_per_10k(row[name], row["population"])}
        for name in INDICATORS
    }


def stock_indicators(
    tables: dict[str, pl.DataFrame], at: date, authority: str | None = None
) -> dict[str, dict[str, int | float]]:
    """Looked after, CP plans and children in need at a date, with rates per 10,000.

    For one authority, or for all of them together: their counts and their populations
    summed, so the rate is England's (or the group's) own rate, not an average of rates.
    """
    tables = select_authority(tables, authority)
    check_within_period(tables["authorities"], at)
    counts = stock_counts(tables, at)
    total = counts.select(pl.exclude("la_code").sum()).row(0, named=True)
    return _figures(total)


def stock_indicators_by_authority(
    tables: dict[str, pl.DataFrame], at: date
) -> dict[str, dict[str, dict[str, int | float]]]:
    """The same figures for every authority in the dataset, keyed by LA code."""
    check_within_period(tables["authorities"], at)
    return {row["la_code"]: _figures(row) for row in stock_counts(tables, at).iter_rows(named=True)}
