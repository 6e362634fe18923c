"""Reading and writing a dataset folder: one Parquet file per table."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
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

__all__ = ["DatasetError", "conform", "read_dataset", "write_dataset"]


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
    folder: str | Path, tables: Iterable[str] | None = None, *, validate: bool = True
) -> dict[str, pl.DataFrame]:
    """The tables of the dataset in ``folder`` (all of them, or those named), checked.

    With ``validate`` every table read is checked against the schema (``dataset.validate``),
    its references against the tables they point to, read from the same folder if not
    asked for. Nothing is returned unless everything is right: a ``DatasetError`` carries
    the problems. A missing or unreadable file is an error even without ``validate``.
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

    problems = Problems()
    frames: dict[str, pl.DataFrame] = {}
    for name in names:
        frame = _read_table(path, name, problems)
        if frame is not None:
            frames[name] = frame
    if validate:
        # The tables that could be read are checked too, so one run reports everything.
        context = _reference_context(path, names)
        problems.merge(validate_dataset(frames, limit=problems.limit, context=context))
        problems.put_in_reading_order()
    if problems:
        raise DatasetError(f"{path}: {problems.summary()}", problems)
    return {name: frame.select(TABLES[name].column_names) if validate else frame
            for name, frame in frames.items()}


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


def _read_table(folder: Path, name: str, problems: Problems) -> pl.DataFrame | None:
    file = _file(folder, name)
    if not file.is_file():
        problems.add(Problem(name, None, None, "missing_table", f"no file {file.name}"))
        return None
    try:
        return pl.read_parquet(file)
    except (pl.exceptions.PolarsError, OSError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        problems.add(Problem(name, None, None, "unreadable",
                             f"{file.name} is not a readable Parquet file: {reason}"))
        return None


def _reference_context(folder: Path, names: list[str]) -> dict[str, pl.DataFrame]:
    """The referenced columns of tables not asked for, so references can still be checked.

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
            context[target] = pl.read_parquet(_file(folder, target), columns=sorted(columns))
        except (pl.exceptions.PolarsError, OSError, ValueError):
            continue
    return context
