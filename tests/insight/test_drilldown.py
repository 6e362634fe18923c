"""The children behind a figure: as many rows as the figure counts, for every indicator."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from insight_builders import LA, cp_plan, episode, referral, tables
from test_indicator_properties import datasets

from childrenmatter.errors import UserError
from childrenmatter.insight.drilldown import WORKER_INDICATORS, children_behind
from childrenmatter.insight.figures import indicators_at, indicators_by_month
from childrenmatter.insight.indicators import INDICATORS


def _check(data, figures, **when) -> None:
    for indicator in INDICATORS:
        figure = figures[indicator.name]
        rows = children_behind(data, indicator=indicator.name, authority=LA, **when)
        key = "worker_id" if indicator.name in WORKER_INDICATORS else "child_id"
        assert rows.columns[0] == key, indicator.name
        if "denominator" in figure and indicator.name not in (
                "caseload_per_worker", "caseload_per_team"):
            assert rows.height == figure["denominator"], indicator.name
            assert int(rows["in_numerator"].sum()) == figure["numerator"], indicator.name
        elif "denominator" in figure:  # children per worker / team: the children
            assert rows.height == figure["numerator"], indicator.name
        else:
            assert rows.height == figure["count"], indicator.name


# Few examples: each lists every indicator's records twice.
@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(datasets())
def test_the_rows_behind_a_figure_are_as_many_as_it_counts(rows):
    data = tables(**rows)
    _check(data, indicators_at(data, date(2025, 3, 31), LA), at=date(2025, 3, 31))
    month = indicators_by_month(data, date(2024, 11, 1), date(2024, 11, 1), LA)["2024-11"]
    _check(data, month, period="2024-11")


def test_the_dates_that_put_a_child_in_the_count_are_listed():
    data = tables(
        cp_plans=[cp_plan("a", date(2024, 5, 1)), cp_plan("b", date(2024, 1, 1),
                                                            date(2024, 11, 30))],
        referrals=[referral("c", date(2024, 11, 5)), referral("d", date(2024, 12, 1))],
        episodes=[episode("e", date(2024, 2, 1))],
    )
    on_plans = children_behind(data, indicator="cp_plans", authority=LA, period="2024-11")
    # b's plan ended on the month's last day: not open then.
    assert on_plans.select("child_id", "start_date", "end_date").rows() == [
        ("a", date(2024, 5, 1), None)]
    referred = children_behind(data, indicator="referrals", authority=LA, period="2024-11")
    assert referred.select("child_id", "referral_date").rows() == [("c", date(2024, 11, 5))]
    in_need = children_behind(data, indicator="cin_dfe", authority=LA, period="2024-11")
    assert in_need.select("child_id", "record").rows() == [
        ("a", "cp_plans"), ("c", "referrals"), ("e", "episodes")]


def test_asking_wrongly_is_refused():
    data = tables()
    with pytest.raises(UserError, match="not an indicator"):
        children_behind(data, indicator="nonsense", authority=LA, period="2024-11")
    with pytest.raises(UserError, match="not in the dataset"):
        children_behind(data, indicator="referrals", authority="999", period="2024-11")
    with pytest.raises(UserError, match="not both"):
        children_behind(data, indicator="referrals", authority=LA)
    with pytest.raises(UserError, match="YYYY-MM"):
        children_behind(data, indicator="referrals", authority=LA, period="Nov 2024")
