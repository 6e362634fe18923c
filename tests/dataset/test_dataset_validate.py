"""Each rule is caught on a deliberately broken copy of a valid dataset, where it is broken."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from dataset_builders import LA, OTHER_LA, frame, with_value

from childrenmatter.dataset.schema import TABLES
from childrenmatter.dataset.validate import (
    RULES,
    DatasetError,
    Problem,
    Problems,
    validate_dataset,
)
from childrenmatter.errors import UserError

Tables = dict[str, pl.DataFrame]


def only_problem(tables: Tables) -> Problem:
    problems = validate_dataset(tables)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def where(problem: Problem) -> tuple[str, int | None, str | None, str]:
    return problem.table, problem.row, problem.column, problem.rule


def test_the_hand_built_dataset_is_valid(tables: Tables) -> None:
    assert validate_dataset(tables) == []


def test_it_catches_a_code_that_is_in_no_list(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "episodes", 1, "place", "XX"))
    assert where(problem) == ("episodes", 1, "place", "code")
    assert problem.child_id == "C2"
    assert "'XX'" in problem.message


def test_it_catches_k3_before_2024_25(tables: Tables) -> None:
    # Episode 0 started on 6 November 2022, in 2022-23.
    problem = only_problem(with_value(tables, "episodes", 0, "place", "K3"))
    assert where(problem) == ("episodes", 0, "place", "code_year")
    assert "2022-23" in problem.message and "from 2024-25" in problem.message


def test_it_catches_h5_after_2023_24(tables: Tables) -> None:
    broken = with_value(tables, "episodes", 1, "decom", date(2025, 4, 1))
    broken = with_value(broken, "episodes", 1, "dec", None)
    problem = only_problem(broken)
    assert where(problem) == ("episodes", 1, "place", "code_year")
    assert "2025-26" in problem.message


def test_a_reason_for_ending_is_judged_in_the_year_it_ended(tables: Tables) -> None:
    # E45 began in 2018-19: fine for an episode that ended then, whenever it started.
    started_early = with_value(tables, "episodes", 0, "decom", date(2017, 6, 1))
    ended_2019 = with_value(started_early, "episodes", 0, "dec", date(2019, 1, 2))
    assert validate_dataset(with_value(ended_2019, "episodes", 0, "rec", "E45")) == []
    ended_2018 = with_value(started_early, "episodes", 0, "dec", date(2018, 1, 2))
    problem = only_problem(with_value(ended_2018, "episodes", 0, "rec", "E45"))
    assert where(problem) == ("episodes", 0, "rec", "code_year")


def test_a_row_without_a_date_may_use_a_code_of_any_year(tables: Tables) -> None:
    # Workers' codes have no years, so use a list that has: the 903 ACTIV change of 2021-22.
    row = {"la_code": LA, "child_id": "C2", "contact_date": date(2021, 1, 9),
           "in_touch": "YES", "activity": "F3"}
    assert validate_dataset({**tables, "care_leaver_contacts": frame(
        "care_leaver_contacts", [row])}) == []
    too_late = {**row, "contact_date": date(2022, 1, 9)}
    problem = only_problem({**tables, "care_leaver_contacts": frame(
        "care_leaver_contacts", [too_late])})
    assert where(problem) == ("care_leaver_contacts", 0, "activity", "code_year")


def test_it_catches_a_bad_code_in_a_list(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "children", 1, "disabilities", ["AUT", "NONE"]))
    assert where(problem) == ("children", 1, "disabilities", "code")
    assert "'NONE'" in problem.message


def test_it_catches_a_missing_required_value(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "visits", 1, "visit_date", None))
    assert where(problem) == ("visits", 1, "visit_date", "required")


def test_a_blank_required_code_is_missing_not_a_bad_code(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "children", 0, "sex", " "))
    assert where(problem) == ("children", 0, "sex", "required")


def test_an_optional_column_may_be_empty(tables: Tables) -> None:
    assert validate_dataset(with_value(tables, "episodes", 0, "place_provider", None)) == []


def test_it_catches_an_end_before_a_start(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "cin_plans", 0, "end_date", date(2023, 6, 30)))
    assert where(problem) == ("cin_plans", 0, "end_date", "date_order")
    assert "2023-06-30 is before start_date 2023-07-01" in problem.message


def test_a_plan_may_end_on_the_day_it_starts(tables: Tables) -> None:
    assert validate_dataset(with_value(tables, "cin_plans", 0, "end_date",
                                       date(2023, 7, 1))) == []


def test_it_catches_a_duplicate_key(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "population", 1, "year", 2023))
    assert where(problem) == ("population", 1, "la_code, year", "unique_key")
    assert "row 0" in problem.message


def test_the_same_identifier_in_two_authorities_is_not_a_duplicate(tables: Tables) -> None:
    children = tables["children"]
    assert children.filter(pl.col("child_id") == "C1")["la_code"].to_list() == [LA, OTHER_LA]
    assert validate_dataset(tables) == []


def test_it_catches_a_dangling_reference(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "assessments", 0, "referral_id", "R9"))
    assert where(problem) == ("assessments", 0, "referral_id", "reference")
    assert problem.child_id == "C1"


def test_a_reference_must_be_to_the_same_authority(tables: Tables) -> None:
    # Referral R1 of the other authority exists, but not the other authority's child C2.
    problem = only_problem(with_value(tables, "referrals", 1, "child_id", "C2"))
    assert where(problem) == ("referrals", 1, "child_id", "reference")
    assert OTHER_LA in problem.message


def test_every_la_code_must_be_an_authority(tables: Tables) -> None:
    problem = only_problem(with_value(tables, "population", 2, "la_code", "777"))
    assert where(problem) == ("population", 2, "la_code", "reference")
    assert problem.message == "la_code '777' is not an authority in authorities"


def test_it_catches_a_missing_column(tables: Tables) -> None:
    problem = only_problem({**tables, "visits": tables["visits"].drop("seen_alone")})
    assert where(problem) == ("visits", None, "seen_alone", "missing_column")


def test_it_catches_a_column_of_the_wrong_type(tables: Tables) -> None:
    as_text = tables["episodes"].with_columns(pl.col("decom").cast(pl.String))
    problem = only_problem({**tables, "episodes": as_text})
    assert where(problem) == ("episodes", None, "decom", "wrong_type")
    assert "should be Date" in problem.message


def test_it_catches_a_column_not_in_the_schema(tables: Tables) -> None:
    extra = tables["teams"].with_columns(pl.lit("x").alias("colour"))
    problem = only_problem({**tables, "teams": extra})
    assert where(problem) == ("teams", None, "colour", "unknown_column")


def test_a_checked_table_may_be_given_alone(tables: Tables) -> None:
    # No children to check references against: those checks are left out, not failed.
    assert validate_dataset({"episodes": tables["episodes"]}) == []


def test_references_can_be_checked_against_context(tables: Tables) -> None:
    broken = with_value(tables, "episodes", 0, "child_id", "C9")
    problems = validate_dataset({"episodes": broken["episodes"]},
                                context={"children": tables["children"].select(
                                    "la_code", "child_id"),
                                    "authorities": tables["authorities"]})
    assert [where(p) for p in problems] == [("episodes", 0, "child_id", "reference")]


def test_it_reports_at_most_the_limit_of_each_rule_but_counts_them_all() -> None:
    rows = [{"la_code": LA, "visit_id": f"V{i}", "child_id": "C1",
             "visit_date": date(2024, 5, 1), "visit_type": "cp" if i % 2 else "phone",
             "seen": True, "seen_alone": True} for i in range(5000)]
    tables = {"visits": frame("visits", rows)}
    problems = validate_dataset(tables, limit=100)
    assert problems.counts == {"code": 2500}
    assert len(problems) == 100
    assert [p.row for p in problems] == list(range(0, 200, 2))


def test_a_large_table_is_checked_without_a_python_loop_over_rows() -> None:
    n = 1_000_000
    visits = pl.DataFrame({
        "la_code": [LA] * n,
        "visit_id": pl.int_range(n, eager=True).cast(pl.String),
        "child_id": ["C1"] * n,
        "visit_date": [date(2024, 5, 1)] * n,
        "visit_type": ["cin", "cp", "cla", "bad"] * (n // 4),
        "seen": [True] * n,
        "seen_alone": [False] * n,
        "worker_id": [None] * n,
    }, schema=TABLES["visits"].polars_schema)
    problems = validate_dataset({"visits": visits})
    assert problems.counts == {"code": n // 4}
    assert len(problems) == 1000


def test_problems_summarise_in_one_line(tables: Tables) -> None:
    broken = with_value(tables, "visits", 0, "visit_type", "x")
    broken = with_value(broken, "visits", 1, "visit_type", "y")
    problems = validate_dataset(broken)
    summary = problems.summary(first=1)
    assert "\n" not in summary
    assert summary.startswith("2 problems: visits row 0: visit_type 'x'")
    assert summary.endswith("and 1 more")


def test_a_dataset_error_is_a_user_error_carrying_its_problems() -> None:
    problems = Problems()
    problems.add(Problem("visits", 0, "visit_type", "code", "visit_type 'x' is not ..."))
    error = DatasetError("dataset: 1 problem", problems)
    assert isinstance(error, UserError)
    assert error.problems.total == 1


def test_every_rule_is_described() -> None:
    assert set(RULES) == {
        "missing_table", "unreadable", "missing_column", "unknown_column", "wrong_type",
        "required", "code", "code_year", "date_order", "unique_key", "reference",
    }


def test_unknown_table_names_are_refused(tables: Tables) -> None:
    with pytest.raises(ValueError, match="placements"):
        validate_dataset({"placements": tables["episodes"]})
