"""Reading a dataset folder: whole and checked, or not at all."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from dataset_builders import with_value

from childrenmatter.dataset.io import DatasetError, read_dataset, write_dataset
from childrenmatter.dataset.schema import TABLES
from childrenmatter.errors import UserError

Tables = dict[str, pl.DataFrame]


def test_a_valid_dataset_reads_back_unchanged(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    read = read_dataset(folder)
    assert list(read) == list(TABLES)
    for name, frame in tables.items():
        assert read[name].equals(frame), name
        assert read[name].schema == frame.schema


def test_some_tables_can_be_read(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    read = read_dataset(folder, ["episodes", "authorities"])
    assert list(read) == ["episodes", "authorities"]
    assert read["episodes"].equals(tables["episodes"])


def test_a_subset_is_checked_against_the_tables_it_refers_to(tables: Tables,
                                                             tmp_path: Path) -> None:
    folder = write_dataset(with_value(tables, "episodes", 0, "child_id", "C9"),
                           tmp_path / "seatown")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder, ["episodes"])
    [problem] = caught.value.problems
    assert (problem.table, problem.row, problem.column, problem.rule) == (
        "episodes", 0, "child_id", "reference")


def test_a_problem_elsewhere_does_not_stop_a_subset_being_read(tables: Tables,
                                                               tmp_path: Path) -> None:
    folder = write_dataset(with_value(tables, "visits", 0, "visit_type", "x"),
                           tmp_path / "seatown")
    assert read_dataset(folder, ["episodes"])["episodes"].height == 2


def test_nothing_is_returned_from_an_invalid_dataset(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(with_value(tables, "children", 0, "sex", "X"), tmp_path / "bad")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    error = caught.value
    assert isinstance(error, UserError)
    assert error.problems.total == 1
    message = str(error)
    assert "\n" not in message
    assert "1 problem" in message and "children row 0: sex 'X' is not a sex code" in message


def test_a_folder_that_is_not_a_dataset_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a dataset")
    with pytest.raises(DatasetError, match="is not a dataset folder: no authorities.parquet"):
        read_dataset(tmp_path)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such folder"):
        read_dataset(tmp_path / "nowhere")


def test_a_missing_table_file_is_a_problem(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    (folder / "visits.parquet").unlink()
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    [problem] = caught.value.problems
    assert (problem.table, problem.rule) == ("visits", "missing_table")


def test_an_unreadable_file_is_named(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    (folder / "cp_plans.parquet").write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DatasetError, match="cp_plans.parquet") as caught:
        read_dataset(folder)
    assert [p.rule for p in caught.value.problems] == ["unreadable"]


def test_an_unreadable_file_is_an_error_even_unchecked(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    (folder / "cp_plans.parquet").write_bytes(b"")
    with pytest.raises(DatasetError, match="cp_plans.parquet"):
        read_dataset(folder, validate=False)


def test_a_file_with_the_wrong_columns_is_caught_on_reading(tables: Tables,
                                                            tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "seatown")
    tables["teams"].drop("service").write_parquet(folder / "teams.parquet")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder)
    assert [(p.table, p.column, p.rule) for p in caught.value.problems] == [
        ("teams", "service", "missing_column")]


def test_unchecked_reading_returns_what_is_there(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(with_value(tables, "children", 0, "sex", "X"), tmp_path / "bad")
    read = read_dataset(folder, ["children"], validate=False)
    assert read["children"]["sex"][0] == "X"


def test_unknown_table_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="placements"):
        read_dataset(tmp_path, ["placements"])
