"""Saving a dataset read from returns: checked first, so nothing wrong is half-saved."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from childrenmatter.dataset.io import write_dataset
from childrenmatter.dataset.validate import DatasetError, validate_dataset


def save_dataset(tables: dict[str, pl.DataFrame], folder: Path) -> Path:
    """Write ``tables`` as a dataset folder if they pass every check of the dataset."""
    problems = validate_dataset(tables)
    if problems:
        raise DatasetError(f"the files read do not make a valid dataset: {problems.summary()}",
                           problems)
    return write_dataset(tables, folder)
