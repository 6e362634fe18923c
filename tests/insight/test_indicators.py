"""Every indicator of the registry on hand-built datasets whose answers are known."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from insight_builders import (
    LA,
    OTHER,
    allocation,
    assessment,
    care_leaver_contact,
    cin_plan,
    contact,
    cp_plan,
    episode,
    missing,
    referral,
    section_47,
    tables,
    visit,
    worker,
)

from childrenmatter.clocks.calendar import add_working_days, bank_holidays
from childrenmatter.insight.figures import indicators_at, indicators_by_month
from childrenmatter.insight.indicators import INDICATORS, REGISTRY
from childrenmatter.insight.registry import Unit, figure

YEAR_END = date(2025, 3, 31)


def at(data, when: date = YEAR_END, authority: str | None = LA) -> dict:
    return indicators_at(data, when, authority)


def month(data, which: str, authority: str | None = LA) -> dict:
    first = date.fromisoformat(f"{which}-01")
    return indicators_by_month(data, first, first, authority)[which]


def share(numerator: int, denominator: int, percent: float | None) -> dict:
    return {"percent": percent, "numerator": numerator, "denominator": denominator}


def test_every_indicator_is_named_once_and_reports_the_keys_of_its_unit():
    assert len(REGISTRY) == len(INDICATORS)
    figures = at(tables())
    assert list(figures) == [i.name for i in INDICATORS]
    for indicator in INDICATORS:
        keys = set(figure(indicator.unit, {c: 0 for c in (*indicator.unit.columns,
                                                           "population")}))
        assert set(figures[indicator.name]) == keys, indicator.name


# --- Referrals ----------------------------------------------------------------------------


def test_referrals_are_counted_in_the_month_received_with_a_rate_per_10000():
    data = tables(referrals=[
        referral("A", date(2024, 4, 1)), referral("B", date(2024, 4, 30)),
        referral("C", date(2024, 5, 1)), referral("D", date(2024, 3, 31)),
    ])
    assert month(data, "2024-04")["referrals"] == {"count": 2, "rate_per_10k": 2.0}
    assert at(data)["referrals"] == {"count": 3, "rate_per_10k": 3.0}


def test_a_child_re_referred_exactly_12_months_later_is_a_re_referral_a_day_later_is_not():
    data = tables(referrals=[
        referral("A", date(2023, 4, 15)), referral("A", date(2024, 4, 15)),
        referral("B", date(2023, 4, 14)), referral("B", date(2024, 4, 15)),
        # Two referrals of one child on one day are not a re-referral of each other.
        referral("C", date(2024, 4, 20), rid="C1"), referral("C", date(2024, 4, 20), rid="C2"),
    ])
    assert month(data, "2024-04")["re_referrals_within_12_months"] == share(1, 4, 25.0)


# --- Assessments --------------------------------------------------------------------------

REFERRED = date(2024, 3, 19)  # day 45 is Friday 24 May 2024; Monday 27 May is a bank holiday
DAY_45 = date(2024, 5, 24)
DAY_46 = date(2024, 5, 28)


def test_an_assessment_authorised_on_day_45_is_in_time_and_on_day_46_after_the_bank_holiday_late():
    assert add_working_days(REFERRED, 45) == DAY_45
    assert add_working_days(REFERRED, 46) == DAY_46
    assert date(2024, 5, 27) in bank_holidays()
    data = tables(
        referrals=[referral("A", REFERRED), referral("B", REFERRED)],
        assessments=[assessment("A", REFERRED, DAY_45), assessment("B", REFERRED, DAY_46)],
    )
    figures = month(data, "2024-05")
    assert figures["assessments_completed"] == {"count": 2}
    assert figures["assessments_within_45_working_days"] == share(1, 2, 50.0)
    assert figures["assessment_median_working_days"] == {"days": 45.5, "count": 2}


def test_the_median_is_of_working_days_from_referral_and_unfinished_assessments_are_left_out():
    referred = date(2024, 6, 3)  # a Monday; no bank holiday until August
    data = tables(
        referrals=[referral(c, referred) for c in "ABCD"],
        assessments=[
            assessment("A", referred, date(2024, 6, 10)),  # 5 working days
            assessment("B", referred, date(2024, 6, 17)),  # 10
            assessment("C", referred, date(2024, 7, 1)),  # 20
            assessment("D", referred, None),
        ],
    )
    figures = at(data)
    assert figures["assessment_median_working_days"] == {"days": 10.0, "count": 3}
    assert figures["assessments_completed"] == {"count": 3}
    assert figures["assessments_within_45_working_days"] == share(3, 3, 100.0)


def test_with_no_assessments_the_median_and_percentage_are_null_not_zero():
    figures = at(tables())
    assert figures["assessment_median_working_days"] == {"days": None, "count": 0}
    assert figures["assessments_within_45_working_days"] == share(0, 0, None)


# --- Section 47 ---------------------------------------------------------------------------

S47_START = date(2024, 5, 2)  # day 15 is Friday 24 May 2024, day 16 Tuesday 28 May


def test_section_47_count_share_leading_to_icpc_and_icpc_timeliness():
    assert add_working_days(S47_START, 15) == DAY_45
    data = tables(section_47_enquiries=[
        section_47("A", S47_START, DAY_45),
        section_47("B", S47_START, DAY_46),
        section_47("C", S47_START, None),
        section_47("D", S47_START, None),
    ])
    may = month(data, "2024-05")
    assert may["section_47_enquiries"] == {"count": 4, "rate_per_10k": 4.0}
    assert may["section_47_leading_to_icpc"] == share(2, 4, 50.0)
    assert may["icpc_within_15_working_days"] == share(1, 2, 50.0)


# --- Child protection ---------------------------------------------------------------------


def test_a_plan_ending_on_the_reporting_date_has_ended_and_is_not_open():
    data = tables(cp_plans=[
        cp_plan("A", date(2023, 3, 31), YEAR_END),  # exactly 2 years
        cp_plan("B", date(2023, 4, 1), YEAR_END),  # a day short of 2 years
        cp_plan("C", date(2024, 10, 1), date(2025, 4, 1)),  # open on 31 March
    ])
    figures = at(data)
    assert figures["cp_plans"] == {"count": 1, "rate_per_10k": 1.0}
    assert figures["cp_plans_ended_lasting_2_years"] == share(1, 2, 50.0)
    assert month(data, "2025-03")["cp_plans_ended_lasting_2_years"] == share(1, 2, 50.0)


def test_a_second_plan_is_one_with_a_previous_plan_recorded_or_an_earlier_one_in_the_data():
    data = tables(cp_plans=[
        cp_plan("A", date(2024, 5, 1), previous=1),
        cp_plan("B", date(2022, 1, 1), date(2022, 9, 1)),
        cp_plan("B", date(2024, 6, 1)),
        cp_plan("C", date(2024, 7, 1)),
    ])
    figures = at(data)
    assert figures["cp_plan_starts"] == {"count": 3, "rate_per_10k": 3.0}
    assert figures["cp_second_or_subsequent_plans"] == share(2, 3, 66.7)


def test_a_child_on_a_cp_plan_seen_10_working_days_ago_is_visited_in_time_11_is_late():
    data = tables(
        cp_plans=[cp_plan(c, date(2024, 1, 1)) for c in "ABD"]
        + [cp_plan("C", date(2025, 3, 24))],  # too new to be due a visit
        visits=[
            visit("A", date(2025, 3, 17), "cp"),  # 10 working days before 31 March
            visit("B", date(2025, 3, 14), "cp"),  # 11
            visit("B", date(2025, 3, 25), "cp", seen=False),  # not seen: not a visit in time
            visit("D", date(2025, 3, 28), "cin"),  # a visit under another plan
        ],
    )
    assert at(data)["cp_visits_in_time"] == share(1, 3, 33.3)


def test_a_child_on_a_cin_plan_must_be_seen_within_20_working_days():
    data = tables(
        cin_plans=[cin_plan("E", date(2024, 1, 1)), cin_plan("F", date(2024, 1, 1)),
                   cin_plan("G", date(2024, 1, 1), YEAR_END)],  # ended that day
        visits=[visit("E", date(2025, 3, 3), "cin"), visit("F", date(2025, 2, 28), "cin")],
    )
    assert at(data)["cin_visits_in_time"] == share(1, 2, 50.0)


# --- Looked after -------------------------------------------------------------------------


def test_starts_and_ceased_count_periods_of_care_not_changes_within_them():
    data = tables(episodes=[
        episode("A", date(2024, 5, 1), date(2024, 8, 1), rec="X1"),
        episode("A", date(2024, 8, 1), date(2024, 12, 1), rne="P"),  # ceased (E13)
        episode("B", date(2024, 6, 1), ls="V3"),  # short breaks: neither
        episode("C", date(2020, 1, 1)),  # started before the year
    ])
    figures = at(data)
    assert figures["looked_after_starts"] == {"count": 1, "rate_per_10k": 1.0}
    assert figures["looked_after_ceased"] == {"count": 1, "rate_per_10k": 1.0}
    assert figures["looked_after"] == {"count": 1, "rate_per_10k": 1.0}


def test_placement_type_and_location_shares_are_of_children_looked_after_on_the_day():
    data = tables(episodes=[
        episode("A", date(2024, 1, 1), place="U1", location="IN", distance=3.0),
        episode("B", date(2024, 1, 1), place="U3", location="OUT", distance=20.0),
        episode("C", date(2024, 1, 1), place="K2", location="OUT", distance=20.5),
        episode("D", date(2024, 1, 1), place="U4", location=None, distance=None),
        episode("E", date(2024, 1, 1), YEAR_END, place="U1"),  # left care that day
    ])
    figures = at(data)
    assert figures["connected_person_placements"] == share(2, 4, 50.0)
    assert figures["placed_outside_authority"] == share(2, 3, 66.7)
    assert figures["placed_over_20_miles"] == share(1, 3, 33.3)


def test_a_placement_move_on_31_march_counts_in_the_year_to_31_march():
    moves = [
        episode("A", date(2023, 1, 1), date(2024, 10, 1), rec="X1"),  # held on 1 April
        episode("A", date(2024, 10, 1), YEAR_END, rne="P", rec="X1"),
        episode("A", YEAR_END, rne="P"),  # third placement, on 31 March
        # B: a legal status change and a temporary move are not new placements.
        episode("B", date(2023, 1, 1), date(2024, 6, 1), rec="X1"),
        episode("B", date(2024, 6, 1), date(2024, 7, 1), rne="L", rec="X1"),
        episode("B", date(2024, 7, 1), date(2024, 7, 5), rne="T", place="T4", rec="X1"),
        episode("B", date(2024, 7, 5), rne="T"),
    ]
    data = tables(episodes=moves)
    assert at(data)["three_or_more_placements"] == share(1, 2, 50.0)
    assert at(data, date(2025, 3, 30))["three_or_more_placements"] == share(0, 2, 0.0)
    # Month by month, the measure is still over the 12 months to the month's end.
    assert month(data, "2025-03")["three_or_more_placements"] == share(1, 2, 50.0)


def test_long_term_stability_is_of_under_16s_in_care_2_and_a_half_years():
    data = tables(
        born={"Z": date(2008, 1, 1)},
        episodes=[
            # X: in care since January 2022, in this placement since June 2022; a change of
            # legal status does not start a new placement.
            episode("X", date(2022, 1, 1), date(2022, 6, 1), rec="X1"),
            episode("X", date(2022, 6, 1), date(2023, 6, 1), rne="P", rec="X1"),
            episode("X", date(2023, 6, 1), rne="L"),
            # Y: in care as long, but moved in January 2024.
            episode("Y", date(2022, 1, 1), date(2024, 1, 1), rec="X1"),
            episode("Y", date(2024, 1, 1), rne="P"),
            # Z is 17; W has been in care less than 2.5 years.
            episode("Z", date(2020, 1, 1)),
            episode("W", date(2023, 1, 1)),
        ],
    )
    assert at(data)["long_term_stability"] == share(1, 2, 50.0)


def test_missing_episodes_and_return_interviews_within_72_hours():
    data = tables(missing_episodes=[
        missing("A", date(2024, 6, 1), date(2024, 6, 1), date(2024, 6, 4)),  # in time
        missing("A", date(2024, 6, 10), date(2024, 6, 11), date(2024, 6, 15)),  # late
        missing("B", date(2024, 6, 20), date(2024, 6, 21), None),  # not offered
        missing("C", date(2024, 6, 20), date(2024, 6, 21), date(2024, 6, 21), kind="A"),
        missing("C", date(2024, 6, 30), date(2024, 7, 1), date(2024, 7, 1)),  # July's
    ])
    june = month(data, "2024-06")
    assert june["missing_episodes"] == {"count": 4}
    assert june["return_interviews_within_72_hours"] == share(1, 3, 33.3)


# --- Front door ---------------------------------------------------------------------------


def test_a_contact_on_a_friday_before_a_bank_holiday_is_in_time_if_decided_on_tuesday():
    friday = datetime(2024, 5, 24, 17, 0)
    data = tables(contacts=[
        contact("A", friday, datetime(2024, 5, 28, 23, 59), "referral"),
        contact("B", friday, datetime(2024, 5, 29, 9, 0), "strategy_discussion"),
        contact("C", friday, None),
        contact("D", datetime(2024, 6, 1, 9, 0), datetime(2024, 6, 1, 10, 0)),
    ])
    may = month(data, "2024-05")
    assert may["contacts"] == {"count": 3}
    assert may["contacts_decided_in_1_working_day"] == share(1, 3, 33.3)
    assert may["contacts_to_referral"] == share(2, 3, 66.7)


def test_a_repeat_contact_is_one_within_12_months_of_the_childs_previous_contact():
    data = tables(contacts=[
        contact("A", datetime(2023, 6, 1, 9), None, n=1),
        contact("A", datetime(2024, 6, 1, 17), None, n=2),  # exactly 12 months: a repeat
        contact("B", datetime(2023, 5, 31, 9), None, n=1),
        contact("B", datetime(2024, 6, 1, 9), None, n=2),  # 12 months and a day: not
        contact("C", datetime(2024, 6, 3, 9), None, n=1),
        contact("C", datetime(2024, 6, 3, 15), None, n=2),  # the same day: not
    ])
    june = month(data, "2024-06")
    assert june["repeat_contacts_within_12_months"] == share(1, 4, 25.0)


# --- Care leavers and workforce -----------------------------------------------------------


def test_care_leavers_are_judged_by_their_latest_contact_in_the_12_months():
    data = tables(care_leaver_contacts=[
        care_leaver_contact("A", date(2024, 5, 1), "NO", "0", "0"),
        care_leaver_contact("A", date(2024, 11, 1), "YES", "F4", "U1"),
        care_leaver_contact("B", date(2024, 6, 1), "YES", "G5", "S2"),
        care_leaver_contact("C", date(2023, 6, 1), "YES", "F1", "U1"),  # too long ago
    ])
    figures = at(data)
    assert figures["care_leavers_in_touch"] == share(2, 2, 100.0)
    assert figures["care_leavers_suitable_accommodation"] == share(1, 2, 50.0)
    assert figures["care_leavers_in_education_employment_training"] == share(1, 2, 50.0)


def test_caseload_is_children_allocated_per_worker_holding_a_case():
    data = tables(
        workers=[worker("W1"), worker("W2"), worker("W3")],
        allocations=[
            allocation("A", "W1", date(2024, 1, 1)),
            allocation("B", "W1", date(2024, 1, 1)),
            allocation("C", "W1", date(2024, 1, 1)),
            allocation("D", "W2", date(2024, 1, 1)),
            allocation("E", "W3", date(2024, 1, 1), YEAR_END),  # ended that day
        ],
    )
    assert at(data)["caseload_per_worker"] == {"average": 2.0, "numerator": 4,
                                               "denominator": 2}


def test_the_agency_share_is_of_workers_in_post_on_the_day():
    data = tables(workers=[
        worker("W1", agency=True), worker("W2"), worker("W3"),
        worker("W4", agency=True, left=YEAR_END),  # left that day
        worker("W5", agency=True, role="early_help_worker"),
    ])
    assert at(data)["agency_workers"] == share(1, 3, 33.3)


# --- Authorities together and apart -------------------------------------------------------


def test_all_authorities_together_count_every_record_once_and_take_one_median():
    referred = date(2024, 6, 3)
    data = tables(
        las=(LA, OTHER),
        referrals=[referral("A", referred), referral("A", referred, la=OTHER),
                   referral("B", referred, la=OTHER)],
        assessments=[
            assessment("A", referred, date(2024, 6, 10)),  # 5 working days
            assessment("A", referred, date(2024, 6, 17), la=OTHER),  # 10
            assessment("B", referred, date(2024, 7, 1), la=OTHER),  # 20
        ],
    )
    together = at(data, authority=None)
    assert together["referrals"] == {"count": 3, "rate_per_10k": 1.5}  # 3 in 20,000
    assert together["assessment_median_working_days"] == {"days": 10.0, "count": 3}
    assert at(data, authority=OTHER)["assessment_median_working_days"] == {
        "days": 15.0, "count": 2}


def test_the_four_stock_figures_are_those_of_stock_indicators(small_dataset_folder):
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.insight.figures import INDICATOR_TABLES
    from childrenmatter.insight.stock import stock_indicators

    data = read_dataset(small_dataset_folder, tables=INDICATOR_TABLES)
    for when in (date(2018, 12, 21), date(2018, 3, 1)):
        for authority in ("806", "805", None):
            expected = stock_indicators(data, when, authority)
            figures = indicators_at(data, when, authority)
            assert {k: figures[k] for k in expected} == expected


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.name)
def test_every_indicator_is_documented(indicator):
    assert indicator.title and indicator.counted and indicator.dates and indicator.source
    assert indicator.unit in Unit
    if indicator.unit in (Unit.PERCENT, Unit.AVERAGE):
        assert indicator.numerator and indicator.denominator
    assert set(indicator.tables) <= set(tables())


def test_an_empty_dataset_gives_zero_counts_and_null_percentages():
    figures = at(tables())
    for indicator in INDICATORS:
        value = figures[indicator.name]
        if "count" in value:
            assert value["count"] == 0
        if "percent" in value:
            assert value["percent"] is None


def test_a_frame_of_no_rows_of_a_table_still_has_its_columns():
    # The builders give every table of the schema, empty ones with their columns, as
    # read_dataset does; the indicators rely on it.
    data = tables()
    assert isinstance(data["contacts"], pl.DataFrame) and "contact_datetime" in data["contacts"]
