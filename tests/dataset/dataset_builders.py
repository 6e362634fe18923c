"""A small, hand-built dataset that passes every check, and ways to break it.

A plain module rather than fixtures alone, so property tests can build on it too.

Two authorities share child and worker identifiers on purpose: references must match on
``la_code`` as well as the identifier.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import polars as pl

from childrenmatter.dataset.schema import TABLES

LA = "999"
OTHER_LA = "888"


def _rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "authorities": [
            {"la_code": LA, "la_name": "Seatown", "region": "North West",
             "statistical_neighbours": [OTHER_LA]},
            {"la_code": OTHER_LA, "la_name": "Hilltown", "region": "North West",
             "statistical_neighbours": []},
        ],
        "population": [
            {"la_code": LA, "year": 2023, "population_0_17": 32_396},
            {"la_code": LA, "year": 2024, "population_0_17": 32_410},
            {"la_code": OTHER_LA, "year": 2024, "population_0_17": 51_200},
        ],
        "children": [
            {"la_code": LA, "child_id": "C1", "upn": "A123456789012", "sex": "F",
             "date_of_birth": date(2010, 5, 1), "ethnicity": "WBRI",
             "disabilities": [], "uasc": False},
            {"la_code": LA, "child_id": "C2", "sex": "M", "date_of_birth": date(2007, 1, 9),
             "ethnicity": "BAFR", "disabilities": ["AUT", "COMM"], "uasc": True,
             "uasc_ceased_date": date(2025, 1, 9)},
            {"la_code": LA, "child_id": "C3", "sex": "U",
             "expected_date_of_birth": date(2025, 6, 1), "ethnicity": "NOBT", "uasc": False},
            {"la_code": OTHER_LA, "child_id": "C1", "sex": "M",
             "date_of_birth": date(2015, 2, 2), "ethnicity": "WOTH", "uasc": False},
        ],
        "contacts": [
            {"la_code": LA, "contact_id": "K1", "child_id": "C1",
             "contact_datetime": datetime(2024, 4, 2, 9, 30), "source": "2A",
             "domestic_abuse": False, "rag": "amber",
             "decision_datetime": datetime(2024, 4, 2, 15, 0), "outcome": "referral"},
            {"la_code": LA, "contact_id": "K2", "child_id": "C2",
             "contact_datetime": datetime(2022, 11, 5, 22, 15), "source": "6",
             "domestic_abuse": True, "rag": "red"},
        ],
        "early_help_episodes": [
            {"la_code": LA, "early_help_id": "EH1", "child_id": "C1",
             "start_date": date(2023, 9, 1), "end_date": date(2024, 3, 1),
             "end_reason": "stepped_up", "lead_agency": "School"},
        ],
        "referrals": [
            {"la_code": LA, "referral_id": "R1", "child_id": "C1",
             "referral_date": date(2024, 4, 3), "referral_source": "2A",
             "primary_need": "N1", "referral_nfa": False, "contact_id": "K1"},
            {"la_code": OTHER_LA, "referral_id": "R1", "child_id": "C1",
             "referral_date": date(2023, 6, 1), "referral_source": "1A",
             "primary_need": "N4", "referral_nfa": False,
             "closure_date": date(2023, 12, 1), "closure_reason": "RC7"},
        ],
        "assessments": [
            {"la_code": LA, "assessment_id": "A1", "referral_id": "R1", "child_id": "C1",
             "start_date": date(2024, 4, 4), "authorised_date": date(2024, 5, 20),
             "factors": ["3A", "4B"], "outcome": "strategy_discussion", "worker_id": "W1"},
        ],
        "strategy_discussions": [
            {"la_code": LA, "strategy_discussion_id": "SD1", "referral_id": "R1",
             "child_id": "C1", "discussion_date": date(2024, 5, 21), "section_47": True},
        ],
        "section_47_enquiries": [
            {"la_code": LA, "s47_id": "S1", "referral_id": "R1",
             "strategy_discussion_id": "SD1", "child_id": "C1",
             "start_date": date(2024, 5, 21), "end_date": date(2024, 6, 7),
             "icpc_required": True, "icpc_date": date(2024, 6, 7)},
        ],
        "cp_plans": [
            {"la_code": LA, "cp_plan_id": "P1", "referral_id": "R1", "child_id": "C1",
             "start_date": date(2024, 6, 7), "initial_category": "NEG",
             "latest_category": "EMO", "previous_plans": 0},
        ],
        "cp_conferences": [
            {"la_code": LA, "conference_id": "CF1", "child_id": "C1",
             "conference_type": "initial", "conference_date": date(2024, 6, 7),
             "s47_id": "S1", "cp_plan_id": "P1"},
            {"la_code": LA, "conference_id": "CF2", "child_id": "C1",
             "conference_type": "review", "conference_date": date(2024, 9, 6),
             "cp_plan_id": "P1"},
        ],
        "cin_plans": [
            {"la_code": OTHER_LA, "cin_plan_id": "CP1", "referral_id": "R1",
             "child_id": "C1", "start_date": date(2023, 7, 1),
             "end_date": date(2023, 12, 1)},
        ],
        "visits": [
            {"la_code": LA, "visit_id": "V1", "child_id": "C1",
             "visit_date": date(2024, 6, 14), "visit_type": "cp", "seen": True,
             "seen_alone": True, "worker_id": "W1"},
            {"la_code": LA, "visit_id": "V2", "child_id": "C2",
             "visit_date": date(2023, 1, 10), "visit_type": "cla", "seen": True,
             "seen_alone": False},
        ],
        "episodes": [
            {"la_code": LA, "child_id": "C2", "period_of_care_id": "POC1",
             "decom": date(2022, 11, 6), "rne": "S", "ls": "V2", "cin": "N1",
             "place": "U1", "place_provider": "PR1", "dec": date(2023, 5, 1),
             "rec": "X1", "reason_place_change": "CARPL", "home_post": "FY1 1",
             "pl_post": "FY2 0", "pl_la": LA, "pl_location": "IN", "pl_distance": 1.5,
             "cost_per_week": 450.0},
            # H5 ended after 2023-24: this episode started in it.
            {"la_code": LA, "child_id": "C2", "period_of_care_id": "POC1",
             "decom": date(2023, 5, 1), "rne": "P", "ls": "V2", "cin": "N1",
             "place": "H5", "place_provider": "PR4", "dec": date(2025, 1, 9),
             "rec": "E17", "pl_location": "OUT", "pl_distance": 23.0},
        ],
        "cla_reviews": [
            {"la_code": LA, "child_id": "C2", "review_date": date(2022, 11, 30),
             "participation": "PN1"},
        ],
        "missing_episodes": [
            {"la_code": LA, "child_id": "C2", "missing": "M", "start_date": date(2023, 2, 1),
             "end_date": date(2023, 2, 2), "return_interview_offered_date": date(2023, 2, 3),
             "return_interview_accepted": True},
        ],
        "adoption": [
            {"la_code": LA, "child_id": "C2", "date_decision": date(2023, 1, 5),
             "date_decision_ceased": date(2023, 3, 1), "reason_decision_ceased": "RD1"},
        ],
        "care_leaver_contacts": [
            {"la_code": LA, "child_id": "C2", "contact_date": date(2025, 1, 9),
             "in_touch": "YES", "activity": "F5", "accommodation": "Z1"},
        ],
        "teams": [
            {"la_code": LA, "team_id": "T1", "team_name": "Child protection",
             "service": "cin_cp"},
            {"la_code": OTHER_LA, "team_id": "T1", "team_name": "Front door",
             "service": "front_door"},
        ],
        "workers": [
            {"la_code": LA, "worker_id": "W1", "team_id": "T1", "role": "social_worker",
             "start_date": date(2021, 9, 1), "agency": False,
             "qualified_date": date(2021, 7, 1)},
            {"la_code": OTHER_LA, "worker_id": "W1", "team_id": "T1", "role": "team_manager",
             "start_date": date(2015, 1, 5), "end_date": date(2024, 1, 5), "agency": True},
        ],
        "allocations": [
            {"la_code": LA, "child_id": "C1", "worker_id": "W1",
             "start_date": date(2024, 4, 4), "reason_ended": None},
            {"la_code": OTHER_LA, "child_id": "C1", "worker_id": "W1",
             "start_date": date(2023, 6, 1), "end_date": date(2023, 12, 1),
             "reason_ended": "LEFTRL"},
        ],
    }


def frame(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows as a frame of the table's schema; columns a row leaves out are null."""
    table = TABLES[name]
    return pl.DataFrame(
        [{c: row.get(c) for c in table.column_names} for row in rows],
        schema=table.polars_schema,
    )


def valid_tables() -> dict[str, pl.DataFrame]:
    return {name: frame(name, rows) for name, rows in _rows().items()}


def with_value(tables: dict[str, pl.DataFrame], name: str, row: int, column: str,
               value: Any) -> dict[str, pl.DataFrame]:
    """A copy of ``tables`` with one value changed."""
    rows = tables[name].to_dicts()
    rows[row][column] = value
    return {**tables, name: frame(name, rows)}
