"""Shapes the home page's figures for the GOV.UK table and summary list macros."""

from __future__ import annotations

from datetime import date

from django.utils.timezone import localtime

from childrenmatter.web.datasets import Dataset
from childrenmatter.web.govuk import long_date, whole_number

# (key in stock_indicators, what the row says, how it is counted)
HEADLINES = (
    ("looked_after", "Children looked after", None),
    ("cp_plans", "Children on child protection plans", None),
    (
        "cin_local",
        "Children in need (local definition)",
        "Open child in need cases, not counting children on a plan or looked after",
    ),
    (
        "cin_dfe",
        "Children in need (DfE definition)",
        "Every open case, including children on a plan and children looked after",
    ),
)


NOTE_CLASSES = "govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0"


def headline_table(figures: dict[str, dict[str, int | float]], at: date) -> dict:
    rows = []
    for key, label, note in HEADLINES:
        figure = figures[key]
        label_html = (
            label if note is None else f'{label}<br><span class="{NOTE_CLASSES}">{note}</span>'
        )
        rows.append(
            [
                {"html": label_html},
                {"text": whole_number(int(figure["count"])), "format": "numeric"},
                {"text": f"{figure['rate_per_10k']:.1f}", "format": "numeric"},
            ]
        )
    return {
        "caption": f"Children at {long_date(at)}",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": True,
        "head": [
            {"text": "Children"},
            {"text": "Number", "format": "numeric"},
            {"text": "Rate per 10,000 children", "format": "numeric"},
        ],
        "rows": rows,
    }


def about_the_data(dataset: Dataset, la_code: str, la_name: str) -> dict:
    start, end = dataset.date_range(la_code)
    covered = " to ".join(long_date(d) for d in (start, end) if d) or "Not stated in the data"
    return {
        "rows": [
            {"key": {"text": "Authority"}, "value": {"text": f"{la_name} ({la_code})"}},
            {"key": {"text": "Records cover"}, "value": {"text": covered}},
            {
                "key": {"text": "Dataset produced"},
                "value": {"text": long_date(localtime(dataset.produced_at))},
            },
        ]
    }
