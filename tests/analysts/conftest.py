"""Returns files for the analysts' page tests: the hand-built 903 of tests/returns, whole
and broken on purpose (an unknown placement type for child C1, rule 146)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest


def _builders():
    path = Path(__file__).parents[1] / "returns" / "returns_builders.py"
    spec = importlib.util.spec_from_file_location("returns_builders_for_analysts", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def good_903(tmp_path) -> Path:
    from childrenmatter.returns.files import replace_folder
    from childrenmatter.returns.ssda903 import write_903, write_903_files

    builders = _builders()
    return_903 = write_903(builders.hand_built(), 2023, authority=builders.LA)
    return replace_folder(tmp_path / "903", lambda folder: write_903_files(return_903, folder))


@pytest.fixture
def broken_903(good_903) -> Path:
    """Line 2 of Episodes.csv (child C1's first episode) placed in "ZZ"."""
    path = good_903 / "Episodes.csv"
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "C1"
    rows[1][rows[0].index("PLACE")] = "ZZ"
    with open(path, "w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return good_903


@pytest.fixture
def good_cin(tmp_path) -> Path:
    from childrenmatter.returns.cin import write_cin

    builders = _builders()
    path = tmp_path / "cin.xml"
    path.write_bytes(write_cin(builders.hand_built(), 2025, authority=builders.LA))
    return path


@pytest.fixture
def good_annex_a() -> bytes:
    """The Annex A workbook of the hand-built dataset on 31 March 2024."""
    from datetime import date

    from childrenmatter.returns.annexa import annex_a_lists, workbook_bytes

    builders = _builders()
    return workbook_bytes(annex_a_lists(builders.hand_built(), date(2024, 3, 31),
                                        authority=builders.LA))
