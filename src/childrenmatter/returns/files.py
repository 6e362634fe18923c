"""Files of a return: written whole or not at all, read with messages a user can act on."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import polars as pl

from childrenmatter.dataset.io import replace_folder  # noqa: F401  (callers import it from here)
from childrenmatter.errors import UserError


def replace_file(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``target`` and rename it into place."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return target


def decode(path: Path, data: bytes) -> str:
    """Text of a file from a case system: UTF-8 (with or without a byte-order mark), or
    Windows-1252, which is what spreadsheet programs in England save CSV files as."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UserError(
            f"{path}: byte {error.start}: not UTF-8 or Windows-1252 text"
        ) from None


def read_csv_text(path: Path) -> pl.DataFrame:
    """Every cell of a CSV file as text (blank cells as null), header names stripped."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot be read: {error.strerror}") from None
    text = decode(path, data)
    if not text.strip():
        raise UserError(f"{path}: line 1: the file is empty (no header row)")
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UserError(f"{path}: not a readable CSV file: {first}") from None
    frame = frame.rename({c: c.strip() for c in frame.columns})
    # Spreadsheet exports pad cells with spaces; a cell of spaces is blank.
    return frame.with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in frame.columns
    )
