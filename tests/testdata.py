"""Constants and the small hand-built dataset, shared by every test folder.

Import them from here (``from testdata import PASSWORD, small_dataset_tables``), never
``from conftest import ...``: several folders have a conftest.py, and which one Python
finds under that name depends on the order pytest loaded them.
"""

from __future__ import annotations

from datetime import date

import polars as pl

PASSWORD = "correct horse battery staple"
MIDDLESBROUGH = "806"
HARTLEPOOL = "805"


# The small dataset. At 21 December 2018 Middlesbrough has:
#   looked after: A (since 1 Jun 2018) and G (since 1 Nov 2018)               -> 2
#   on a CP plan: C (since 1 Oct 2018)                                        -> 1
#   open CIN cases: A, C, D, E (F's closed in June)                           -> DfE: A C D E G = 5
#   neither on a plan nor looked after: D, E                                  -> local: 2
# At 1 March 2018: B looked after (to 31 Mar), D on a plan (Feb to Aug), open cases D and F
#   -> looked after 1, CP 1, DfE 3 (B D F), local 1 (F)
# Population 32,396, so 2 -> 0.6, 1 -> 0.3, 5 -> 1.5 per 10,000.
FIGURES_AT_21_DECEMBER_2018 = {
    "looked_after": {"count": 2, "rate_per_10k": 0.6},
    "cp_plans": {"count": 1, "rate_per_10k": 0.3},
    "cin_local": {"count": 2, "rate_per_10k": 0.6},
    "cin_dfe": {"count": 5, "rate_per_10k": 1.5},
}
FIGURES_AT_1_MARCH_2018 = {
    "looked_after": {"count": 1, "rate_per_10k": 0.3},
    "cp_plans": {"count": 1, "rate_per_10k": 0.3},
    "cin_local": {"count": 1, "rate_per_10k": 0.3},
    "cin_dfe": {"count": 3, "rate_per_10k": 0.9},
}


def _child(la_code: str, child_id: str) -> dict:
    return {
        "la_code": la_code,
        "child_id": child_id,
        "sex": "F",
        "date_of_birth": date(2010, 1, 1),
        "ethnicity": "WBRI",
        "disabilities": [],
        "uasc": False,
    }


def _referral(child_id: str, start: date, end: date | None = None, la_code: str = MIDDLESBROUGH):
    return {
        "la_code": la_code,
        "referral_id": f"R{child_id}",
        "child_id": child_id,
        "referral_date": start,
        "referral_source": "2A",
        "primary_need": "N1",
        "referral_nfa": False,
        "closure_date": end,
        "closure_reason": "RC1" if end else None,
    }


def _cp_plan(child_id: str, start: date, end: date | None = None):
    return {
        "la_code": MIDDLESBROUGH,
        "cp_plan_id": f"P{child_id}",
        "referral_id": f"R{child_id}",
        "child_id": child_id,
        "start_date": start,
        "end_date": end,
        "initial_category": "NEG",
        "latest_category": "NEG",
        "previous_plans": 0,
    }


def _episode(child_id: str, start: date, end: date | None = None, la_code: str = MIDDLESBROUGH):
    return {
        "la_code": la_code,
        "child_id": child_id,
        "period_of_care_id": f"POC{child_id}",
        "decom": start,
        "rne": "S",
        "ls": "C2",
        "cin": "N1",
        "place": "U1",
        "place_provider": "PR1",
        "dec": end,
        "rec": "E13" if end else None,
    }


def small_dataset_tables() -> dict[str, pl.DataFrame]:
    m, h = MIDDLESBROUGH, HARTLEPOOL
    rows = {
        "authorities": [
            {
                "la_code": m,
                "la_name": "Middlesbrough",
                "region": "North East",
                "statistical_neighbours": [h],
                "period_start": date(2017, 4, 1),
                "period_end": date(2018, 12, 21),
            },
            {
                "la_code": h,
                "la_name": "Hartlepool",
                "region": "North East",
                "statistical_neighbours": [m],
                "period_start": date(2017, 4, 1),
                "period_end": date(2018, 12, 21),
            },
        ],
        "population": [
            {"la_code": m, "year": 2017, "population_0_17": 32_396},
            {"la_code": h, "year": 2017, "population_0_17": 20_000},
        ],
        "children": [_child(m, c) for c in "ABCDEFG"] + [_child(h, "A")],
        "referrals": [
            _referral("A", date(2018, 5, 1)),
            _referral("C", date(2018, 9, 1)),
            _referral("D", date(2018, 1, 15)),
            _referral("E", date(2018, 11, 1)),
            _referral("F", date(2018, 3, 1), date(2018, 6, 1)),
            _referral("A", date(2018, 1, 1), la_code=h),
        ],
        "cp_plans": [
            _cp_plan("C", date(2018, 10, 1)),
            _cp_plan("D", date(2018, 2, 1), date(2018, 8, 1)),
        ],
        "episodes": [
            _episode("A", date(2018, 6, 1)),
            _episode("B", date(2017, 5, 1), date(2018, 3, 31)),
            _episode("G", date(2018, 11, 1)),
            _episode("A", date(2018, 1, 1), la_code=h),
        ],
    }
    return {name: pl.DataFrame(table) for name, table in rows.items()}
