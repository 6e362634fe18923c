"""Reading one authority's rows of a dataset: the same rows as filtering the whole read,
checked, and not stopped by another authority's problems."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from dataset_builders import LA, OTHER_LA, valid_tables, with_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childrenmatter.dataset.io import DatasetError, UnknownAuthority, read_dataset, write_dataset
from childrenmatter.dataset.schema import TABLES

Tables = dict[str, pl.DataFrame]


def _same_as_filtered(whole: Tables, part: Tables, codes: list[str]) -> None:
    assert list(part) == list(whole)
    for name, frame in whole.items():
        expected = frame.filter(pl.col("la_code").is_in(codes))
        assert part[name].equals(expected), name
        assert part[name].schema == frame.schema, name


@pytest.mark.parametrize("codes", [[LA], [OTHER_LA], [LA, OTHER_LA], [OTHER_LA, LA]])
def test_reading_some_authorities_equals_filtering_the_whole_read(
        tables: Tables, tmp_path: Path, codes: list[str]) -> None:
    folder = write_dataset(tables, tmp_path / "two")
    _same_as_filtered(read_dataset(folder), read_dataset(folder, authorities=codes), codes)


def test_one_authority_of_the_simulated_seed_council(middlesbrough: Path) -> None:
    names = ["authorities", "referrals", "episodes", "visits", "allocations"]
    whole = read_dataset(middlesbrough, names)
    code = whole["authorities"]["la_code"][0]
    _same_as_filtered(whole, read_dataset(middlesbrough, names, authorities=[code]), [code])


# Rows of the two authorities interleaved in any order, so the filter cannot rely on
# the file holding one authority's rows together.
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), code=st.sampled_from([LA, OTHER_LA]),
       checked=st.booleans())
def test_in_any_row_order_the_rows_read_are_the_authoritys(
        tmp_path_factory: pytest.TempPathFactory, seed: int, code: str, checked: bool) -> None:
    shuffled = {name: frame.sample(fraction=1.0, shuffle=True, seed=seed)
                for name, frame in valid_tables().items()}
    folder = write_dataset(shuffled, tmp_path_factory.mktemp("shuffled") / "d")
    whole = read_dataset(folder, validate=checked)
    _same_as_filtered(whole, read_dataset(folder, validate=checked, authorities=[code]), [code])


def test_a_problem_in_another_authority_does_not_stop_the_read(tables: Tables,
                                                                tmp_path: Path) -> None:
    # Hilltown's (888) worker row holds a role that is no role; Seatown's rows are fine.
    row = tables["workers"]["la_code"].to_list().index(OTHER_LA)
    folder = write_dataset(with_value(tables, "workers", row, "role", "wizard"),
                           tmp_path / "bad-elsewhere")
    with pytest.raises(DatasetError):
        read_dataset(folder)
    read = read_dataset(folder, authorities=[LA])
    assert read["workers"]["la_code"].to_list() == [LA]
    assert read["authorities"]["la_code"].to_list() == [LA]


def test_a_problem_in_the_authority_is_named_with_its_row_in_the_file(
        tables: Tables, tmp_path: Path) -> None:
    row = tables["workers"]["la_code"].to_list().index(OTHER_LA)
    assert row > 0  # the row's place in the file differs from its place among 888's rows
    folder = write_dataset(with_value(tables, "workers", row, "role", "wizard"),
                           tmp_path / "bad-here")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder, authorities=[OTHER_LA])
    [problem] = caught.value.problems
    assert (problem.table, problem.row, problem.column, problem.rule) == (
        "workers", row, "role", "code")
    assert f"workers row {row}: role 'wizard'" in str(caught.value)


def test_references_are_checked_within_the_authority(tables: Tables, tmp_path: Path) -> None:
    # C2 is a child of Seatown only: Hilltown's referral cannot name it.
    row = tables["referrals"]["la_code"].to_list().index(OTHER_LA)
    folder = write_dataset(with_value(tables, "referrals", row, "child_id", "C2"),
                           tmp_path / "dangling")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder, ["referrals"], authorities=[OTHER_LA])
    assert [(p.table, p.row, p.rule) for p in caught.value.problems] == [
        ("referrals", row, "reference")]
    assert read_dataset(folder, ["referrals"], authorities=[LA])["referrals"].height == 1


def test_a_repeated_key_names_both_rows_of_the_file(tables: Tables, tmp_path: Path) -> None:
    # Hilltown's team T1 twice, after Seatown's team: rows 1 and 2 of the file.
    teams = pl.concat([tables["teams"], tables["teams"].filter(pl.col("la_code") == OTHER_LA)])
    folder = write_dataset({**tables, "teams": teams}, tmp_path / "repeat")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder, ["teams"], authorities=[OTHER_LA])
    [problem] = caught.value.problems
    first = teams["la_code"].to_list().index(OTHER_LA)
    assert (problem.rule, problem.row) == ("unique_key", 2)
    assert f"repeats the key of row {first}" in problem.message


def test_an_authority_not_in_the_dataset_is_refused(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "two")
    with pytest.raises(UnknownAuthority, match=f"--authority 111: not in the dataset, which "
                       f"holds {OTHER_LA}, {LA}"):
        read_dataset(folder, ["episodes"], authorities=["111"])


def test_a_table_without_la_code_is_read_whole_and_reported(tables: Tables,
                                                            tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "two")
    tables["teams"].drop("la_code").write_parquet(folder / "teams.parquet")
    with pytest.raises(DatasetError) as caught:
        read_dataset(folder, ["teams"], authorities=[LA])
    assert ("teams", "la_code", "missing_column") in [
        (p.table, p.column, p.rule) for p in caught.value.problems]


def test_every_table_can_be_read_for_one_authority(tables: Tables, tmp_path: Path) -> None:
    folder = write_dataset(tables, tmp_path / "two")
    assert set(read_dataset(folder, authorities=[LA])) == set(TABLES)
