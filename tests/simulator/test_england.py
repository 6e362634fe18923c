"""England as 153 synthetic authorities: its totals for the year to 31 March 2025 match the
DfE's published figures (DOMAIN.md) within 2%."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from childrenmatter.dataset.io import read_dataset
from childrenmatter.insight.stock import open_at, stock_indicators
from childrenmatter.simulator.presets import england_2025

pytestmark = pytest.mark.slow

AT = date(2025, 3, 31)


def within(value: float, published: float, tolerance: float = 0.02) -> bool:
    return abs(value - published) <= tolerance * published


def test_the_authorities_range_from_about_150_to_about_2000_looked_after():
    authorities = england_2025()
    assert len(authorities) == 153
    assert len({a.la_code for a in authorities}) == 153
    finals = [a.looked_after.points[-1][1] for a in authorities]
    assert min(finals) == pytest.approx(150, abs=5)
    assert max(finals) == pytest.approx(2000, abs=5)


def test_englands_totals_at_31_march_2025_are_the_published_figures(england):
    tables = read_dataset(england, tables=["authorities", "population", "referrals",
                                           "cp_plans", "episodes"])
    figures = stock_indicators(tables, AT)
    assert within(figures["looked_after"]["count"], 81_770)
    assert within(figures["cp_plans"]["count"], 49_420)
    assert within(figures["cin_dfe"]["count"], 400_000)
    # 67 per 10,000 in England (DOMAIN.md).
    assert figures["looked_after"]["rate_per_10k"] == pytest.approx(67, abs=3)
    referrals = tables["referrals"].filter(
        pl.col("referral_date").is_between(date(2024, 4, 1), AT)).height
    assert within(referrals, 632_830)


def test_each_authority_hits_its_own_targets_on_31_march_2025(england):
    tables = read_dataset(england, tables=["episodes", "cp_plans"])
    looked_after = open_at(tables["episodes"], AT, "decom", "dec").group_by("la_code").len()
    targets = {a.la_code: round(a.looked_after.points[-1][1]) for a in england_2025()}
    counted = dict(looked_after.iter_rows())
    assert counted == targets
