"""Reading and writing a dataset folder: one Parquet file per table."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl

from childrenmatter.dataset.schema import TABLES
from childrenmatter.dataset.validate import (
    AUTHORITY_REFERENCE,
    DatasetError,
    Problem,
    Problems,
    validate_dataset,
)
from childrenmatter.errors import UserError

__all__ = ["DatasetError", "UnknownAuthority", "conform", "read_dataset", "write_dataset"]


def conform(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the table's columns, in order, cast to the schema's types."""
    table = TABLES[name]
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        frame = frame.with_columns(pl.lit(None).alias(c) for c in missing)
    return frame.select(pl.col(c.name).cast(c.dtype) for c in table.columns)


def replace_folder(target: str | Path, fill: Callable[[Path], None]) -> Path:
    """Let ``fill`` write into a fresh folder beside ``target``, then put it in its place.

    A reader never sees half a dataset or return: the old folder (if any) is swapped out only once
    every file is written, and an error leaves the old one untouched.
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        fill(staging)
        if target.exists():
            if not target.is_dir():
                raise UserError(f"{target} exists and is not a folder")
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def write_dataset(tables: dict[str, pl.DataFrame], folder: str | Path) -> Path:
    """Write every table of the schema (empty where not given) to ``folder``, whole or not at all.

    The files are written to a temporary folder beside the target, which then replaces it,
    so a reader never sees half a dataset.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not tables of the dataset: {', '.join(unknown)}")

    def fill(staging: Path) -> None:
        for name, table in TABLES.items():
            frame = conform(name, tables[name]) if name in tables else table.empty()
            frame.write_parquet(staging / f"{name}.parquet")

    return replace_folder(folder, fill)


def read_dataset(
    folder: str | Path, tables: Iterable[str] | None = None, *, validate: bool = True,
    authorities: Iterable[str] | None = None,
) -> dict[str, pl.DataFrame]:
    """The tables of the dataset in ``folder`` (all of them, or those named), checked.

    With ``validate`` every table read is checked against the schema (``dataset.validate``),
    its references against the tables they point to, read from the same folder if not
    asked for. Nothing is returned unless everything is right: a ``DatasetError`` carries
    the problems. A missing or unreadable file is an error even without ``validate``.

    With ``authorities`` (LA codes) only those authorities' rows are read and checked: the
    filter is pushed down to the Parquet reader, so a national dataset is not read whole
    to keep one authority, and a problem in another authority's rows does not stop it.
    References are checked within what is read, which loses nothing: every reference is
    to a record of the same authority. A problem's row is still its row in the file. An
    LA code that is not in the authorities table is refused (``UnknownAuthority``).
    """
    names = _table_names(tables)
    path = Path(folder)
    if not path.exists():
        raise DatasetError(f"{path}: no such folder")
    if not path.is_dir():
        raise DatasetError(f"{path} is not a folder")
    if not any(_file(path, name).is_file() for name in TABLES):
        files = ", ".join(f"{name}.parquet" for name in names[:4])
        raise DatasetError(f"{path} is not a dataset folder: no {files} …")
    wanted = None if authorities is None else _known_authorities(path, authorities)

    problems = Problems()
    frames: dict[str, pl.DataFrame] = {}
    rows_in_file: dict[str, pl.Series] = {}
    for name in names:
        read = _read_table(path, name, problems, wanted)
        if read is not None:
            frames[name], rows = read
            if rows is not None:
                rows_in_file[name] = rows
    if validate:
        # The tables that could be read are checked too, so one run reports everything.
        context = _reference_context(path, names, wanted)
        found = validate_dataset(frames, limit=problems.limit, context=context)
        problems.merge(_rows_of_file(found, rows_in_file) if rows_in_file else found)
        problems.put_in_reading_order()
    if problems:
        raise DatasetError(f"{path}: {problems.summary()}", problems)
    return {name: frame.select(TABLES[name].column_names) if validate else frame
            for name, frame in frames.items()}


class UnknownAuthority(DatasetError):
    """An LA code asked for that the dataset's authorities table does not hold."""


def _known_authorities(folder: Path, authorities: Iterable[str]) -> list[str]:
    """The LA codes asked for, each checked against the authorities table."""
    codes = list(dict.fromkeys([authorities] if isinstance(authorities, str) else authorities))
    try:
        known = pl.read_parquet(_file(folder, "authorities"), columns=["la_code"])["la_code"]
    except (pl.exceptions.PolarsError, OSError, ValueError):
        # The full read reports what is wrong with the table; no authority can be found.
        return codes
    held = set(known.to_list())
    for code in codes:
        if code not in held:
            listed = sorted(c for c in held if c is not None)
            raise UnknownAuthority(
                f"--authority {code}: not in the dataset, which holds "
                + ", ".join(listed[:10]) + (" ..." if len(listed) > 10 else ""))
    return codes


def _table_names(tables: Iterable[str] | None) -> list[str]:
    if tables is None:
        return list(TABLES)
    names = list(dict.fromkeys([tables] if isinstance(tables, str) else tables))
    unknown = [name for name in names if name not in TABLES]
    if unknown:
        raise ValueError(f"not tables of the dataset: {', '.join(unknown)}")
    return names


def _file(folder: Path, name: str) -> Path:
    return folder / f"{name}.parquet"


# The row of the file each row read came from, while a table is read for some authorities.
_ROW_IN_FILE = "__childrenmatter_row_in_file"


def _read_table(
    folder: Path, name: str, problems: Problems, authorities: list[str] | None = None,
) -> tuple[pl.DataFrame, pl.Series | None] | None:
    """The table's frame, and for a read of some authorities the row of the file each of
    its rows is (None when the whole file is read)."""
    file = _file(folder, name)
    if not file.is_file():
        problems.add(Problem(name, None, None, "missing_table", f"no file {file.name}"))
        return None
    try:
        if authorities is None or not _has_la_code(file):
            # A table without a usable la_code is read whole: validation says what is wrong.
            return pl.read_parquet(file), None
        frame = (pl.scan_parquet(file, row_index_name=_ROW_IN_FILE)
                 .filter(pl.col("la_code").is_in(authorities))
                 .collect())
        return frame.drop(_ROW_IN_FILE), frame[_ROW_IN_FILE]
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        problems.add(Problem(name, None, None, "unreadable",
                             f"{file.name} is not a readable Parquet file: {reason}"))
        return None


def _has_la_code(file: Path) -> bool:
    return pl.read_parquet_schema(file).get("la_code") == TABLES["authorities"].column(
        "la_code").dtype


_ROW_IN_MESSAGE = re.compile(r"\bof row (\d+)\b")


def _rows_of_file(found: Problems, rows_in_file: Mapping[str, pl.Series]) -> Problems:
    """``found`` with each row number (of the rows read) made the row of the file, in the
    problem and in a message that names another row (a repeated key's first row)."""
    out = Problems(found.limit)
    for rule, count in found.counts.items():
        out.record(rule, count, (_problem_in_file(p, rows_in_file) for p in found
                                 if p.rule == rule))
    return out


def _problem_in_file(problem: Problem, rows_in_file: Mapping[str, pl.Series]) -> Problem:
    rows = rows_in_file.get(problem.table)
    if rows is None or problem.row is None:
        return problem
    message = _ROW_IN_MESSAGE.sub(lambda m: f"of row {rows[int(m.group(1))]}", problem.message)
    return replace(problem, row=int(rows[problem.row]), message=message)


def _reference_context(folder: Path, names: list[str],
                       authorities: list[str] | None = None) -> dict[str, pl.DataFrame]:
    """The referenced columns of tables not asked for, so references can still be checked
    (only the rows of ``authorities``, when given).

    A table that cannot be read this way is left out: its own problems are for whoever
    reads it, and the references to it go unchecked.
    """
    wanted: dict[str, set[str]] = {}
    for name in names:
        references = dict(TABLES[name].references)
        if name != AUTHORITY_REFERENCE[0]:
            references["la_code"] = AUTHORITY_REFERENCE
        for target, column in references.values():
            if target not in names:
                wanted.setdefault(target, {"la_code"}).add(column)
    context: dict[str, pl.DataFrame] = {}
    for target, columns in wanted.items():
        try:
            file = _file(folder, target)
            scan = pl.scan_parquet(file).select(sorted(columns))
            if authorities is not None:
                scan = scan.filter(pl.col("la_code").is_in(authorities))
            context[target] = scan.collect()
        except (pl.exceptions.PolarsError, OSError, ValueError):
            continue
    return context
