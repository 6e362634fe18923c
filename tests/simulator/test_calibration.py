"""Rules the simulator keeps for any authority, checked on small random ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childrenmatter.dataset.validate import validate_dataset
from childrenmatter.insight.stock import stock_indicators
from childrenmatter.simulator.engine import simulate_authority
from childrenmatter.simulator.params import AuthorityParams, Trajectory, middlesbrough_2018


def small_authority(lac: int, cp: int, cin: int, seed: int, calibration: date) -> AuthorityParams:
    start, end = date(2022, 4, 1), date(2024, 3, 31)
    return replace(
        middlesbrough_2018(),
        la_code="999",
        la_name="Test authority",
        population_0_17=8_000,
        population_year=2023,
        period_start=start,
        period_end=end,
        looked_after=Trajectory(((start, lac * 0.9), (end, lac * 1.1))),
        cp_plans=Trajectory(((start, cp), (end, cp))),
        cin_local=Trajectory(((start, cin), (end, cin))),
        referrals_per_year=cin * 2.2,
        calibration_date=calibration,
        seed_offset=seed,
    )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lac=st.integers(20, 120),
    cp=st.integers(10, 80),
    cin=st.integers(120, 400),
    seed=st.integers(0, 10_000),
    day=st.integers(0, 600),
)
def test_on_the_calibration_date_every_stock_is_exactly_its_target_and_the_data_is_valid(
    lac, cp, cin, seed, day
):
    at = date(2022, 6, 1) + timedelta(days=day)
    params = small_authority(lac, cp, cin, seed, at)
    tables = simulate_authority(params)
    figures = stock_indicators(tables, at)
    assert figures["looked_after"]["count"] == round((lac * 0.9) + (lac * 0.2) * (
        (at - params.period_start).days / (params.period_end - params.period_start).days))
    assert figures["cp_plans"]["count"] == cp
    assert figures["cin_local"]["count"] == cin
    assert validate_dataset(tables) == []


def test_the_same_seed_gives_the_same_dataset_and_another_seed_a_different_one():
    at = date(2023, 1, 15)
    first = simulate_authority(small_authority(40, 20, 150, 7, at))
    again = simulate_authority(small_authority(40, 20, 150, 7, at))
    other = simulate_authority(small_authority(40, 20, 150, 8, at))
    for name, frame in first.items():
        assert frame.equals(again[name]), name
    assert not first["referrals"].equals(other["referrals"])


def test_a_child_never_has_two_cin_episodes_or_two_periods_of_care_open_at_once():
    tables = simulate_authority(small_authority(80, 40, 250, 3, date(2023, 6, 30)))
    far = date(2100, 1, 1)
    for name, start, end in (("referrals", "referral_date", "closure_date"),
                             ("episodes", "decom", "dec")):
        spans = (tables[name].select("child_id", pl.col(start).alias("s"),
                                     pl.col(end).fill_null(far).alias("e"))
                 .sort("child_id", "s"))
        overlaps = spans.with_columns(pl.col("e").shift(1).over("child_id").alias("prev_e")
                                      ).filter(pl.col("prev_e") > pl.col("s"))
        assert overlaps.height == 0, f"{name}: {overlaps.head()}"


def test_every_looked_after_episode_starts_a_period_or_follows_the_last_one_on_the_day_it_ended():
    episodes = simulate_authority(small_authority(80, 40, 250, 5, date(2023, 6, 30)))["episodes"]
    chained = episodes.sort("child_id", "decom").with_columns(
        pl.col("dec").shift(1).over("child_id").alias("previous_end"),
        pl.col("rec").shift(1).over("child_id").alias("previous_reason"))
    # A new episode within a period (X1) begins the day the last one ceased.
    within = chained.filter(pl.col("previous_reason") == "X1")
    assert (within["decom"] == within["previous_end"]).all()
    assert (within["rne"] != "S").all()
    fresh = chained.filter(pl.col("previous_reason").fill_null("") != "X1")
    assert (fresh["rne"] == "S").all()
