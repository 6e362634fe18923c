"""A snapshot written by hand: figures with known values, for the dashboards' page tests.

Middlesbrough (806) has 20 months, April 2017 to November 2018, of two figures: children
looked after (a rate, no target) and assessments within 45 working days (a percentage with
a target of 90). The children behind them come from the small dataset (tests/conftest.py):
looked after at the end of November 2018, A and G.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from childrenmatter.dashboards.snapshot import months_to_show, write_snapshot

TAKEN_AT = datetime(2018, 12, 22, 7, 30, tzinfo=UTC)
MONTHS = months_to_show(datetime(2017, 4, 1).date(), datetime(2018, 12, 21).date())


def hand_rows() -> pl.DataFrame:
    rows = []
    for n, month in enumerate(MONTHS):
        rows.append({"la_code": "806", "period": month, "indicator": "looked_after",
                     "unit": "rate_per_10k", "value": 0.3 if n < 14 else 0.6,
                     "count": 1 if n < 14 else 2, "numerator": None, "denominator": None,
                     "england": 0.4, "neighbours": 0.5, "target": None, "rag": None})
        rows.append({"la_code": "806", "period": month,
                     "indicator": "assessments_within_45_working_days", "unit": "percent",
                     "value": 75.0, "count": None, "numerator": 3, "denominator": 4,
                     "england": 82.5, "neighbours": 80.0, "target": 90.0, "rag": "red"})
    return pl.DataFrame(rows, schema_overrides={"count": pl.Int64, "numerator": pl.Int64,
                                                "denominator": pl.Int64,
                                                "target": pl.Float64, "rag": pl.String})


def write_hand_snapshot(folder: Path, dataset_folder: Path, taken_at: datetime = TAKEN_AT):
    folder.mkdir(parents=True, exist_ok=True)
    write_snapshot(folder, hand_rows(), {
        "806": {"name": "Middlesbrough", "months": MONTHS},
        "805": {"name": "Hartlepool", "months": MONTHS},
    }, source="dataset", dataset_folder=dataset_folder, taken_at=taken_at)
    return folder
