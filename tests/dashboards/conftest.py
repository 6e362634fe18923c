"""Fixtures for the dashboards' tests: a snapshot written by hand (dashboard_builders.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dashboard_builders import write_hand_snapshot


@pytest.fixture
def hand_snapshot(settings, small_dataset, tmp_path) -> Path:
    """The hand-written snapshot, as the one the pages read."""
    folder = write_hand_snapshot(tmp_path / "snapshot", small_dataset)
    settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = folder
    return folder


@pytest.fixture
def no_snapshot(settings, small_dataset, tmp_path) -> Path:
    settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = tmp_path / "not-taken"
    return tmp_path / "not-taken"
