"""Stock figures at a date (DOMAIN.md's definitions and rounding)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from childrenmatter.dataset.io import read_dataset
from childrenmatter.errors import UserError
from childrenmatter.insight.stock import STOCK_TABLES, rate_per_10k, stock_indicators

MIDDLESBROUGH = "806"
CHRISTMAS = date(2018, 12, 21)


def test_the_seed_councils_figures_round_as_published():
    assert rate_per_10k(500, 32_396) == 154.3
    assert rate_per_10k(226, 32_396) == 69.8
    assert rate_per_10k(1022, 32_396) == 315.5


def test_a_rate_exactly_half_way_rounds_up():
    # 1 / 8,000 x 10,000 = 1.25 exactly: half-up gives 1.3 where banker's rounding gives 1.2.
    assert rate_per_10k(1, 8_000) == 1.3


@given(st.integers(0, 200_000), st.integers(1, 5_000_000))
def test_a_rate_is_the_exact_quotient_rounded_half_up(count, population):
    exact = Decimal(count) * 10_000 / Decimal(population)
    assert rate_per_10k(count, population) == float(
        exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@given(st.integers(0, 5_000), st.integers(100, 100_000), st.integers(2, 5))
def test_a_rate_scales_with_the_population(count, population, factor):
    assert rate_per_10k(count * factor, population * factor) == rate_per_10k(count, population)


@pytest.fixture
def tables(small_dataset_folder) -> dict[str, pl.DataFrame]:
    return read_dataset(small_dataset_folder, tables=STOCK_TABLES)


def test_the_figures_at_a_date_count_what_was_open_that_day(tables, small_dataset_figures):
    for at, expected in small_dataset_figures.items():
        assert stock_indicators(tables, at, MIDDLESBROUGH) == expected


def test_a_plan_ending_on_the_date_is_not_counted_but_one_ending_the_day_after_is(tables):
    t = dict(tables)
    plan = t["cp_plans"].filter(pl.col("child_id") == "C")
    for end, expected in ((date(2018, 12, 21), 0), (date(2018, 12, 22), 1)):
        t["cp_plans"] = plan.with_columns(pl.lit(end).alias("end_date"))
        figures = stock_indicators(t, CHRISTMAS, MIDDLESBROUGH)
        assert figures["cp_plans"]["count"] == expected


def test_a_child_on_short_breaks_is_not_counted_as_looked_after(tables):
    before = stock_indicators(tables, CHRISTMAS, MIDDLESBROUGH)["looked_after"]["count"]
    t = dict(tables)
    t["episodes"] = t["episodes"].with_columns(
        pl.when(pl.col("child_id") == "G").then(pl.lit("V4")).otherwise(pl.col("ls")).alias("ls"))
    after = stock_indicators(t, CHRISTMAS, MIDDLESBROUGH)["looked_after"]["count"]
    assert after == before - 1


def test_without_an_authority_the_figures_are_for_all_authorities_together(tables):
    one = stock_indicators(tables, CHRISTMAS, MIDDLESBROUGH)
    other = stock_indicators(tables, CHRISTMAS, "805")
    together = stock_indicators(tables, CHRISTMAS)
    for name in one:
        assert together[name]["count"] == one[name]["count"] + other[name]["count"]
    assert other["looked_after"]["count"] == 1
    # The rate is over both populations: 3 looked after in 52,396 children.
    assert together["looked_after"]["rate_per_10k"] == rate_per_10k(3, 32_396 + 20_000)


def test_an_unknown_authority_or_a_date_outside_the_data_is_refused_with_a_reason(tables):
    with pytest.raises(UserError, match="--authority 999: not in the dataset"):
        stock_indicators(tables, CHRISTMAS, "999")
    with pytest.raises(UserError, match="after the data, which ends on 2018-12-21"):
        stock_indicators(tables, date(2019, 1, 1), MIDDLESBROUGH)
    with pytest.raises(UserError, match="before the data, which starts on 2017-04-01"):
        stock_indicators(tables, date(2016, 1, 1), MIDDLESBROUGH)


def test_every_authoritys_figures_at_once_are_each_authoritys_own(tables):
    from childrenmatter.insight.stock import stock_indicators_by_authority

    every = stock_indicators_by_authority(tables, CHRISTMAS)
    assert set(every) == {"806", "805"}
    for code, figures in every.items():
        assert figures == stock_indicators(tables, CHRISTMAS, code)
