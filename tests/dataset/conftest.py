"""Fixtures for the dataset tests; the builders themselves are in ``dataset_builders``."""

from __future__ import annotations

import polars as pl
import pytest
from dataset_builders import valid_tables


@pytest.fixture
def tables() -> dict[str, pl.DataFrame]:
    """A small valid dataset: two authorities, every table."""
    return valid_tables()
