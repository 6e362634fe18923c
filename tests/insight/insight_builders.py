"""Small hand-built datasets for the indicator tests: one row per fact, known answers.

Each builder returns one row of a table with everything but the facts under test filled
in; ``tables(...)`` turns lists of rows into a dataset with every table of the schema.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import polars as pl

from childrenmatter.dataset.io import conform
from childrenmatter.dataset.schema import TABLES

LA = "806"
OTHER = "805"
POPULATION = 10_000
DATA_START = date(2017, 4, 1)
DATA_END = date(2025, 3, 31)

Row = dict[str, Any]


def tables(population: int = POPULATION, las: tuple[str, ...] = (LA,),
           born: dict[str, date] | None = None, **rows: list[Row]) -> dict[str, pl.DataFrame]:
    """A dataset of the given rows; authorities, population and children are filled in
    (every child born on 1 January 2010 unless ``born`` says otherwise)."""
    children = {(r["la_code"], r["child_id"]) for table in rows.values() for r in table
                if "child_id" in r}
    base: dict[str, list[Row]] = {
        "authorities": [
            {"la_code": la, "la_name": f"Authority {la}", "period_start": DATA_START,
             "period_end": DATA_END} for la in las],
        "population": [
            {"la_code": la, "year": year, "population_0_17": population}
            for la in las for year in range(2016, 2025)],
        "children": [
            {"la_code": la, "child_id": child, "sex": "F",
             "date_of_birth": (born or {}).get(child, date(2010, 1, 1)),
             "ethnicity": "WBRI", "disabilities": [], "uasc": False}
            for la, child in sorted(children)],
    }
    base.update(rows)
    out = {}
    for name, table in TABLES.items():
        given = base.get(name, [])
        out[name] = (conform(name, pl.DataFrame(given, infer_schema_length=None))
                     if given else table.empty())
    return out


def referral(child: str, on: date, la: str = LA, rid: str | None = None) -> Row:
    return {"la_code": la, "referral_id": rid or f"R-{child}-{on}", "child_id": child,
            "referral_date": on, "referral_source": "2A", "referral_nfa": False}


def assessment(child: str, referred: date, authorised: date | None, n: int = 0,
               la: str = LA, outcome: str | None = None) -> Row:
    return {"la_code": la, "assessment_id": f"A-{child}-{n}",
            "referral_id": f"R-{child}-{referred}", "child_id": child,
            "start_date": referred, "authorised_date": authorised, "outcome": outcome}


def section_47(child: str, start: date, icpc: date | None, n: int = 0) -> Row:
    return {"la_code": LA, "s47_id": f"S-{child}-{n}", "referral_id": f"R-{child}",
            "strategy_discussion_id": f"D-{child}-{n}", "child_id": child,
            "start_date": start, "icpc_required": icpc is not None, "icpc_date": icpc}


def cp_plan(child: str, start: date, end: date | None = None, previous: int = 0,
            la: str = LA, category: str = "NEG") -> Row:
    return {"la_code": la, "cp_plan_id": f"P-{child}-{start}", "referral_id": f"R-{child}",
            "child_id": child, "start_date": start, "end_date": end,
            "initial_category": category, "latest_category": category,
            "previous_plans": previous}


def review_conference(child: str, plan_start: date, on: date) -> Row:
    """A review conference (RCPC) of the plan ``cp_plan(child, plan_start)``."""
    return {"la_code": LA, "conference_id": f"C-{child}-{on}", "child_id": child,
            "conference_type": "review", "conference_date": on,
            "cp_plan_id": f"P-{child}-{plan_start}"}


def cla_review(child: str, on: date) -> Row:
    return {"la_code": LA, "child_id": child, "review_date": on}


def episode(child: str, start: date, end: date | None = None, *, rne: str = "S",
            ls: str = "C2", place: str = "U4", rec: str | None = None,
            location: str | None = "IN", distance: float | None = 5.0, la: str = LA,
            cost: float | None = None) -> Row:
    return {"la_code": la, "child_id": child, "period_of_care_id": f"POC-{child}",
            "decom": start, "rne": rne, "ls": ls, "cin": "N1", "place": place,
            "dec": end, "rec": rec if rec is not None else ("E13" if end else None),
            "pl_location": location, "pl_distance": distance, "cost_per_week": cost}


def missing(child: str, start: date, end: date | None, offered: date | None,
            kind: str = "M") -> Row:
    return {"la_code": LA, "child_id": child, "missing": kind, "start_date": start,
            "end_date": end, "return_interview_offered_date": offered}


def contact(child: str, received: datetime, decided: datetime | None, outcome: str = "nfa",
            n: int = 0, rag: str | None = None) -> Row:
    return {"la_code": LA, "contact_id": f"K-{child}-{n}", "child_id": child,
            "contact_datetime": received, "source": "6", "domestic_abuse": False,
            "decision_datetime": decided, "outcome": outcome if decided else None,
            "rag": rag}


def care_leaver_contact(child: str, on: date, in_touch: str = "YES", activity: str = "F1",
                        accommodation: str = "U1") -> Row:
    return {"la_code": LA, "child_id": child, "contact_date": on, "in_touch": in_touch,
            "activity": activity, "accommodation": accommodation}


def allocation(child: str, worker: str, start: date, end: date | None = None) -> Row:
    return {"la_code": LA, "child_id": child, "worker_id": worker, "start_date": start,
            "end_date": end}


def worker(worker_id: str, agency: bool = False, left: date | None = None,
           role: str = "social_worker", team: str = "T1",
           qualified: date | None = None) -> Row:
    return {"la_code": LA, "worker_id": worker_id, "team_id": team, "role": role,
            "start_date": date(2015, 1, 1), "end_date": left, "agency": agency,
            "qualified_date": qualified}


def team(team_id: str) -> Row:
    return {"la_code": LA, "team_id": team_id, "team_name": f"Team {team_id}",
            "service": "assessment"}


def cin_plan(child: str, start: date, end: date | None = None) -> Row:
    return {"la_code": LA, "cin_plan_id": f"N-{child}-{start}", "referral_id": f"R-{child}",
            "child_id": child, "start_date": start, "end_date": end}


def visit(child: str, on: date, kind: str, seen: bool = True,
          alone: bool | None = None) -> Row:
    return {"la_code": LA, "visit_id": f"V-{child}-{on}-{kind}", "child_id": child,
            "visit_date": on, "visit_type": kind, "seen": seen,
            "seen_alone": seen if alone is None else alone}
