"""Every indicator over the simulated seed council: 24 months, figures that hang together."""

from __future__ import annotations

import json
from datetime import date

import pytest

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import read_dataset
from childrenmatter.insight.figures import INDICATOR_TABLES, indicators_at, indicators_by_month
from childrenmatter.insight.indicators import INDICATORS
from childrenmatter.insight.registry import Window

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(middlesbrough):
    return read_dataset(middlesbrough, tables=INDICATOR_TABLES)


def test_on_21_december_2018_the_stock_figures_are_the_published_ones(data):
    figures = indicators_at(data, date(2018, 12, 21), "806")
    assert figures["looked_after"] == {"count": 500, "rate_per_10k": 154.3}
    assert figures["cp_plans"] == {"count": 226, "rate_per_10k": 69.8}
    assert figures["cin_local"] == {"count": 1022, "rate_per_10k": 315.5}


def test_24_months_of_every_indicator_add_up_to_the_two_years(data):
    months = indicators_by_month(data, date(2023, 4, 1), date(2025, 3, 1), "806")
    assert len(months) == 24
    for year_end, first in ((date(2024, 3, 31), "2023-04"), (date(2025, 3, 31), "2024-04")):
        year = indicators_at(data, year_end, "806")
        twelve = [m for label, m in months.items() if first <= label <= f"{year_end:%Y-%m}"]
        for indicator in INDICATORS:
            if indicator.window is Window.PERIOD and "count" in year[indicator.name] \
                    and "days" not in year[indicator.name]:
                total = sum(m[indicator.name]["count"] for m in twelve)
                assert total == year[indicator.name]["count"], indicator.name
    # The simulated council places many more children with relatives or friends than
    # England's 13% (29% in the seed reports).
    assert 20 <= months["2024-03"]["connected_person_placements"]["percent"] <= 40


def test_the_command_gives_a_monthly_series_for_the_council(middlesbrough, capsys):
    assert main(["indicators", "--dataset", str(middlesbrough), "--from", "2024-01",
                 "--to", "2024-12", "--authority", "806", "--format", "json"]) == 0
    series = json.loads(capsys.readouterr().out)
    assert len(series) == 12
    for figures in series.values():
        assert figures["referrals"]["count"] > 0
        assert 0 <= figures["assessments_within_45_working_days"]["percent"] <= 100
