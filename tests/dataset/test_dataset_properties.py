"""Properties: any valid table survives writing and reading; any broken one is refused.

Rows are drawn from the schema itself, so a new table or column is covered without a
change here. The tables a drawn table refers to are completed with the fewest rows that
make the references hold.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from dataset_builders import frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childrenmatter.dataset.codes import CODE_LISTS, codes_for, collection_year
from childrenmatter.dataset.io import DatasetError, read_dataset, write_dataset
from childrenmatter.dataset.schema import (
    BOOL,
    DATE,
    DATETIME,
    FLOAT,
    INT,
    STR,
    STR_LIST,
    TABLES,
    Column,
    Table,
)
from childrenmatter.dataset.validate import AUTHORITY_REFERENCE, code_date

AUTHORITY_CODES = ("999", "888")
IDS = st.text(alphabet="ABCDEFGHJK0123456789", min_size=1, max_size=4)
DAYS = st.dates(min_value=date(2012, 1, 1), max_value=date(2027, 12, 31))
MOMENTS = st.datetimes(min_value=datetime(2012, 1, 1), max_value=datetime(2027, 12, 31))
Row = dict[str, Any]


def _value(table: Table, col: Column) -> st.SearchStrategy[Any]:
    """Any value of the column's type; codes are drawn later, once the dates are known."""
    if col.name == "la_code":
        return st.sampled_from(AUTHORITY_CODES)
    if col.dtype == STR:
        # Identifiers, codes and references are never blank; free text may be anything.
        identifying = col.required or col.codes or col.name in table.references
        value: st.SearchStrategy[Any] = IDS if identifying else st.text(max_size=8)
    elif col.dtype == DATE:
        value = DAYS
    elif col.dtype == DATETIME:
        value = MOMENTS
    elif col.dtype == BOOL:
        value = st.booleans()
    elif col.dtype == INT:
        value = st.integers(min_value=-(2**40), max_value=2**40)
    elif col.dtype == FLOAT:
        value = st.floats(allow_nan=False, allow_infinity=False)
    elif col.dtype == STR_LIST:
        value = st.lists(IDS, max_size=3)
    else:
        raise AssertionError(f"no strategy for {col.dtype}")
    return value if col.required else st.none() | value


def _year_of(table: Table, col: Column, row: Row) -> int | None:
    for name in code_date(table.name, col.name):
        if row.get(name) is not None:
            return collection_year(row[name])
    return None


@st.composite
def rows_of(draw: st.DrawFn, table: Table) -> list[Row]:
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        row = {col.name: draw(_value(table, col)) for col in table.columns}
        for earlier, later in table.date_order:
            if row[earlier] is not None and row[later] is not None and row[later] < row[earlier]:
                row[later] = row[earlier]
        for col in table.columns:
            if col.codes is None or (row[col.name] is None and not col.required):
                continue
            valid = sorted(codes_for(col.codes, _year_of(table, col, row)))
            code = st.sampled_from(valid)
            row[col.name] = draw(st.lists(code, max_size=3, unique=True)
                                 if col.dtype == STR_LIST else code)
        rows.append(row)
    return _unique(table, rows)


def _unique(table: Table, rows: list[Row]) -> list[Row]:
    seen: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        seen.setdefault(tuple(row[k] for k in table.key), row)
    return list(seen.values())


def _filler(col: Column) -> Any:
    """A valid value for a required column of a row that exists only to be referred to."""
    if col.codes:
        always = [c.code for c in CODE_LISTS[col.codes].codes
                  if c.first_year is None and c.last_year is None]
        return [] if col.dtype == STR_LIST else sorted(always)[0]
    fillers = {STR: "x", DATE: date(2020, 1, 1), DATETIME: datetime(2020, 1, 1),
               BOOL: False, INT: 0, FLOAT: 0.0, STR_LIST: []}
    return fillers[col.dtype] if col.required else None


def complete(name: str, rows: list[Row]) -> dict[str, list[Row]]:
    """``rows`` of table ``name``, with the rows every reference needs in other tables."""
    dataset: dict[str, list[Row]] = {name: rows}
    pending = [name]
    while pending:
        source = TABLES[pending.pop()]
        references = dict(source.references)
        if source.name != AUTHORITY_REFERENCE[0]:
            references["la_code"] = AUTHORITY_REFERENCE
        for column, (target, target_column) in references.items():
            target_rows = dataset.setdefault(target, [])
            have = {(r["la_code"], r[target_column]) for r in target_rows}
            for row in list(dataset[source.name]):
                wanted = (row["la_code"], row[column])
                if row[column] is None or wanted in have:
                    continue
                assert target != name, "a drawn table refers to itself"
                filler = {c.name: _filler(c) for c in TABLES[target].columns}
                target_rows.append({**filler, "la_code": wanted[0], target_column: wanted[1]})
                have.add(wanted)
            pending.append(target)
    return dataset


@st.composite
def valid_datasets(draw: st.DrawFn) -> tuple[str, dict[str, pl.DataFrame]]:
    name = draw(st.sampled_from(sorted(TABLES)))
    rows = complete(name, draw(rows_of(TABLES[name])))
    return name, {table: frame(table, table_rows) for table, table_rows in rows.items()}


@settings(max_examples=60, deadline=timedelta(seconds=5),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_datasets())
def test_any_valid_table_reads_back_as_written(drawn: tuple[str, dict[str, pl.DataFrame]]
                                               ) -> None:
    name, tables = drawn
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(tables, Path(tmp) / "drawn")
        read = read_dataset(folder)
    for table, written in tables.items():
        assert read[table].equals(written), table
    assert all(read[t].is_empty() for t in TABLES if t not in tables)


@settings(max_examples=40, deadline=timedelta(seconds=5),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_datasets(), st.data())
def test_a_missing_required_value_is_never_read(drawn: tuple[str, dict[str, pl.DataFrame]],
                                                data: st.DataObject) -> None:
    name, tables = drawn
    rows = tables[name].to_dicts()
    if not rows:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    column = data.draw(st.sampled_from([c.name for c in TABLES[name].columns if c.required]))
    rows[index][column] = None
    broken = {**tables, name: frame(name, rows)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(broken, Path(tmp) / "broken")
        with pytest.raises(DatasetError) as caught:
            read_dataset(folder)
    assert any((p.table, p.row, p.column, p.rule) == (name, index, column, "required")
               for p in caught.value.problems)
