"""Helpers for the store tests: write a dataset, load it, extract it, compare frame by frame."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from childrenmatter.dataset.io import conform, write_dataset
from childrenmatter.dataset.schema import TABLES

# The tables the store holds; extract writes the others empty.
STORED = ("authorities", "population", "children", "contacts", "early_help_episodes",
          "referrals", "assessments", "strategy_discussions", "section_47_enquiries",
          "cp_plans", "cp_conferences", "cin_plans", "visits")


def write(tables: dict[str, pl.DataFrame], folder: Path) -> Path:
    return write_dataset(tables, folder)


def sorted_by_key(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(list(TABLES[name].key))


def assert_same_tables(extracted: dict[str, pl.DataFrame], original: dict[str, pl.DataFrame],
                       names=STORED) -> None:
    """Every stored table equal, row for row after sorting by key, columns and dtypes too."""
    for name in names:
        expected = original.get(name, TABLES[name].empty())
        try:
            assert_frame_equal(
                sorted_by_key(name, extracted[name]),
                sorted_by_key(name, conform(name, expected)),
            )
        except AssertionError as error:
            raise AssertionError(f"table {name}: {error}") from None


def contact_rows(la_code: str, contact_id: str, child_ids, received: datetime, *,
                 source: str = "2A", domestic_abuse: bool = False, rag: str | None = "green",
                 decided: datetime | None = None, outcome: str | None = None) -> list[dict]:
    return [
        {"la_code": la_code, "contact_id": contact_id, "child_id": child_id,
         "contact_datetime": received, "source": source, "domestic_abuse": domestic_abuse,
         "rag": rag, "decision_datetime": decided, "outcome": outcome}
        for child_id in child_ids
    ]


def with_contacts(tables: dict[str, pl.DataFrame], rows: list[dict]) -> dict[str, pl.DataFrame]:
    tables = dict(tables)
    tables["contacts"] = pl.DataFrame(rows, schema=TABLES["contacts"].polars_schema)
    return tables


def early_help(la_code: str, early_help_id: str, child_id: str, start: date,
               contact_id: str | None = None) -> dict:
    return {"la_code": la_code, "early_help_id": early_help_id, "child_id": child_id,
            "start_date": start, "end_date": None, "end_reason": None,
            "lead_agency": "school", "contact_id": contact_id}
