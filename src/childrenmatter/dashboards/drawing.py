"""Drawing a dashboard's trend chart from the snapshot's rows (no Django import).

Used when the snapshot is taken, to draw ahead the charts of the authorities this
deployment serves, and by the pages for any chart not drawn ahead.
"""

from __future__ import annotations

import re

import polars as pl

from childrenmatter.insight.charts import trend_chart_svg

# How each unit's headline number is labelled on the chart's axis and in the table.
UNIT_LABELS = {
    "count": "number",
    "rate_per_10k": "rate per 10,000 children",
    "percent": "%",
    "days": "working days (median)",
    "average": "average",
}

_FIXED_SIZE = re.compile(r'^(<svg[^>]*?) width="\d+" height="\d+"')


def indicator_title(name: str) -> str:
    from childrenmatter.insight.indicators import REGISTRY

    indicator = REGISTRY.get(name)
    return indicator.title if indicator else name.replace("_", " ").capitalize()


def dashboard_chart(name: str, rows: pl.DataFrame) -> str:
    """One indicator's chart for the page: sized by the page (its viewBox kept, its fixed
    width and height dropped), so it narrows on a small screen."""
    unit = rows["unit"][0] if "unit" in rows.columns and rows.height else "count"
    svg = trend_chart_svg(rows, title=indicator_title(name),
                          unit_label=UNIT_LABELS.get(unit, unit))
    return _FIXED_SIZE.sub(r"\1", svg, count=1)


def draw_ahead(comparison: pl.DataFrame, authorities: list[str]) -> pl.DataFrame:
    """Every chart of the authorities named: la_code, indicator, svg."""
    drawn = []
    mine = comparison.filter(pl.col("la_code").is_in(authorities)).sort("period")
    for (la_code, indicator), rows in mine.group_by(["la_code", "indicator"],
                                                    maintain_order=True):
        drawn.append({"la_code": la_code, "indicator": indicator,
                      "svg": dashboard_chart(indicator, rows)})
    return pl.DataFrame(drawn, schema={"la_code": pl.String, "indicator": pl.String,
                                       "svg": pl.String})
