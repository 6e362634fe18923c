"""Drawing a dashboard's trend chart from the snapshot's rows (no Django import).

Used when the snapshot is taken, to draw ahead the charts of the authorities this
deployment serves, and by the pages for any chart not drawn ahead.
"""

from __future__ import annotations

import base64
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

_SIZE = re.compile(r'^<svg[^>]*? width="(\d+)" height="(\d+)"')


def indicator_title(name: str) -> str:
    from childrenmatter.insight.indicators import REGISTRY

    indicator = REGISTRY.get(name)
    return indicator.title if indicator else name.replace("_", " ").capitalize()


def unit_label(rows: pl.DataFrame) -> str:
    unit = rows["unit"][0] if "unit" in rows.columns and rows.height else "count"
    return UNIT_LABELS.get(unit, unit)


def dashboard_chart(name: str, rows: pl.DataFrame) -> str:
    """One indicator's chart, as an SVG document."""
    return trend_chart_svg(rows, title=indicator_title(name), unit_label=unit_label(rows))


def chart_size(svg: str) -> tuple[int, int]:
    """The width and height the SVG is drawn at, for the <img> that shows it."""
    found = _SIZE.search(svg)
    return (int(found[1]), int(found[2])) if found else (724, 268)


def chart_image_src(svg: str) -> str:
    """The SVG as a data: URI for an <img> (the pages' content security policy allows
    images from data: and nothing inline), so the page stays light for assistive technology:
    one image with its description as alternative text, not hundreds of shapes."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


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
