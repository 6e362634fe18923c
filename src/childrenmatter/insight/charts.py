"""Trend charts for the dashboards and the briefing pack: SVG made on the server.

A chart must be readable without colour (WCAG 2.2, 1.4.1 "Use of colour"): each series has
its own line pattern — the authority solid and thick, England dashed, the statistical
neighbours dotted — and its name written at the end of its line, so no colour legend is
needed. The target is a thin rule with its own label. The SVG carries a <title> and a
<desc> (SVG accessibility API mappings) that say in words what the chart shows, and
``chart_table`` gives the same figures as a table to put beside it.

Altair builds a Vega-Lite specification and vl-convert renders it to SVG without a browser;
the same rows always give the same bytes (no random ids, no clock).

Plain Python and Polars: no Django import.
"""

from __future__ import annotations

import functools
import html
import json
import math
from datetime import date, datetime
from typing import Any

import altair as alt
import polars as pl
import vl_convert
from altair.utils.schemapi import debug_mode

WIDTH = 560
HEIGHT = 240
LABEL_GAP = 13  # pixels between two line-end labels, so they never overprint

# (column, name written at the line's end, line pattern, colour, width). The patterns alone
# tell the lines apart; the colours only help.
SERIES = (
    ("value", "This authority", [1, 0], "#1d70b8", 3),
    ("england", "England", [8, 4], "#0b0c0c", 2),
    ("neighbours", "Neighbours", [2, 3], "#505a5f", 2),
)
TARGET_COLOUR = "#00703c"
TABLE_COLUMNS = ("period", "value", "england", "neighbours", "target", "rag", "count")


def _month(period: Any) -> date:
    """A period as the first day of its month: '2025-03', a date or a datetime."""
    if isinstance(period, datetime):
        return period.date().replace(day=1)
    if isinstance(period, date):
        return period.replace(day=1)
    text = str(period)
    return date.fromisoformat(text[:7] + "-01")


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def format_value(value: Any, unit_label: str = "") -> str:
    """A figure as a reader sees it: 45.2%, 1,234, 3.5; a dash when there is none."""
    number = _number(value)
    if number is None:
        return "–"
    text = f"{number:,.0f}" if number == int(number) and abs(number) >= 100 else f"{number:,.1f}"
    return text + ("%" if unit_label.strip().lower() in {"%", "percent", "per cent"} else "")


def chart_table(rows: pl.DataFrame) -> list[dict]:
    """The chart's figures as a table: one dict per period, oldest first.

    Keys are the columns of ``rows`` among period, value, england, neighbours, target, rag
    and count; ``period`` is written YYYY-MM.
    """
    columns = [c for c in TABLE_COLUMNS if c in rows.columns]
    table = []
    for row in _ordered(rows).select(columns).iter_rows(named=True):
        row["period"] = f"{_month(row['period']):%Y-%m}"
        table.append(row)
    return table


def _ordered(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.with_columns(
        pl.col("period").map_elements(_month, return_dtype=pl.Date).alias("_month")
    ).sort("_month").drop("_month")


def _points(rows: pl.DataFrame) -> list[dict]:
    """The series in long form: one point per period and series that has a figure."""
    points = []
    for row in rows.iter_rows(named=True):
        month = _month(row["period"]).isoformat()
        for column, name, *_ in SERIES:
            number = _number(row.get(column))
            if number is not None:
                points.append({"month": month, "series": name, "figure": number})
    return points


def _latest_target(rows: pl.DataFrame) -> float | None:
    if "target" not in rows.columns:
        return None
    targets = [t for t in (_number(v) for v in rows["target"].to_list()) if t is not None]
    return targets[-1] if targets else None


def _domain(points: list[dict], target: float | None) -> tuple[float, float]:
    figures = [p["figure"] for p in points] + ([target] if target is not None else [])
    if not figures:
        return 0.0, 1.0
    low, high = min(figures), max(figures)
    # Counts, rates and percentages start at zero, so a small change does not look large.
    low = min(0.0, low)
    high = high * 1.1 if high > 0 else 1.0
    return low, high


def _end_labels(points: list[dict], low: float, high: float, unit_label: str) -> list[dict]:
    """A label at the last point of each line, moved apart when two would overprint."""
    last: dict[str, dict] = {}
    for point in points:
        last[point["series"]] = point  # points are in month order
    labels = []
    for _, name, *_ in SERIES:
        if name in last:
            point = last[name]
            pixel = HEIGHT * (1 - (point["figure"] - low) / (high - low))
            labels.append({**point, "pixel": pixel,
                           "text": f"{name} {format_value(point['figure'], unit_label)}"})
    labels.sort(key=lambda label: label["pixel"])
    for above, below in zip(labels, labels[1:], strict=False):
        if below["pixel"] - above["pixel"] < LABEL_GAP:
            below["pixel"] = above["pixel"] + LABEL_GAP
    for label in labels:
        label["at"] = low + (1 - label["pixel"] / HEIGHT) * (high - low)
    return labels


def describe(rows: pl.DataFrame, *, title: str, unit_label: str) -> str:
    """The chart in words, for its <desc> and for anyone who cannot see it."""
    ordered = _ordered(rows)
    if ordered.height == 0:
        return f"{title}: no figures for this period."
    first, last = _month(ordered["period"][0]), _month(ordered["period"][-1])
    latest = ordered.row(ordered.height - 1, named=True)
    parts = [f"{title}, {unit_label}, month by month from {first:%B %Y} to {last:%B %Y}."]
    said = []
    for column, name, *_ in SERIES:
        if column in latest:
            said.append(f"{name} {format_value(latest[column], unit_label)}")
    parts.append(f"In {last:%B %Y}: " + ", ".join(said) + ".")
    target = _latest_target(rows)
    if target is not None:
        parts.append(f"Target {format_value(target, unit_label)}.")
    parts.append("This authority is the solid line, England dashed, neighbours dotted.")
    return " ".join(parts)


def trend_chart_spec(rows: pl.DataFrame, *, title: str, unit_label: str,
                     validate: bool = False) -> dict:
    """The Vega-Lite specification of the trend chart (see ``trend_chart_svg``).

    Every chart has the same layers and differs only in its figures, its axis title and the
    range of its axis, so Altair makes the layers once (``_layers``) and each chart fills in
    its own: building them with Altair takes longer than drawing them. ``validate=True``
    builds them afresh, checked against the Vega-Lite schema (the tests do).
    """
    ordered = _ordered(rows)
    points = _points(ordered)
    target = _latest_target(ordered)
    low, high = _domain(points, target)
    labels = _end_labels(points, low, high, unit_label)
    layers = _build_layers(target is not None, validate) if validate else _layers(
        target is not None)
    spec = json.loads(layers)
    spec["datasets"] = {
        "points": points,
        "labels": [{"month": label["month"], "series": label["series"], "at": label["at"],
                    "text": label["text"]} for label in labels],
        "target": ([{"target": target, "text": f"Target {format_value(target, unit_label)}"}]
                   if target is not None else []),
    }
    for layer in spec["layer"]:
        y = layer["encoding"]["y"]
        y["scale"]["domain"] = [low, high]
        if "title" in y:
            y["title"] = unit_label
    return spec


@functools.lru_cache(maxsize=2)
def _layers(with_target: bool) -> str:
    return _build_layers(with_target, validate=False)


def _build_layers(with_target: bool, validate: bool) -> str:
    """The chart's layers as Vega-Lite JSON, reading the named datasets ``points``,
    ``labels`` and ``target``; the axis range and title are filled in per chart."""
    with debug_mode(validate):
        names = [name for _, name, *_ in SERIES]
        x = alt.X("utcyearmonth(month):T", title=None,
                  axis=alt.Axis(format="%b %Y", formatType="utc", labelAngle=0, tickCount=6,
                                grid=False))
        y_scale = alt.Scale(domain=[0, 1], nice=False, zero=False)
        lines = alt.Chart(alt.NamedData("points")).mark_line(point=False).encode(
            x=x,
            y=alt.Y("figure:Q", title="", scale=y_scale),
            strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(
                domain=names, range=[s[2] for s in SERIES])),
            color=alt.Color("series:N", legend=None, scale=alt.Scale(
                domain=names, range=[s[3] for s in SERIES])),
            strokeWidth=alt.StrokeWidth("series:N", legend=None, scale=alt.Scale(
                domain=names, range=[s[4] for s in SERIES])),
        )
        label_layer = alt.Chart(alt.NamedData("labels")).mark_text(
            align="left", baseline="middle", dx=6, fontSize=12, color="#0b0c0c",
        ).encode(x=x, y=alt.Y("at:Q", scale=y_scale), text="text:N")
        layers = [lines, label_layer]
        if with_target:
            layers.append(alt.Chart(alt.NamedData("target")).mark_rule(
                color=TARGET_COLOUR, strokeWidth=1).encode(y=alt.Y("target:Q", scale=y_scale)))
            layers.append(alt.Chart(alt.NamedData("target")).mark_text(
                align="left", baseline="bottom", x=4, dy=-3, fontSize=12, color=TARGET_COLOUR,
            ).encode(y=alt.Y("target:Q", scale=y_scale), text="text:N"))
        chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT).configure_view(
            stroke=None).configure_axis(labelFontSize=12, titleFontSize=12,
                                        labelColor="#0b0c0c", titleColor="#0b0c0c")
        return json.dumps(chart.to_dict(validate=validate))


def trend_chart_svg(rows: pl.DataFrame, *, title: str, unit_label: str) -> str:
    """A trend line of ``value`` by ``period`` with England, neighbours and the target.

    ``rows`` has ``period`` (YYYY-MM or a date) and ``value``, and may have ``england``,
    ``neighbours`` and ``target`` (the latest target is drawn as a rule). Missing figures
    leave a gap in their line's points. Returns an SVG document with role="img", a <title>
    and a <desc>.
    """
    spec = trend_chart_spec(rows, title=title, unit_label=unit_label)
    svg = vl_convert.vegalite_to_svg(spec)
    return _accessible(svg, title=title, description=describe(rows, title=title,
                                                              unit_label=unit_label))


def _accessible(svg: str, *, title: str, description: str) -> str:
    """Put <title> and <desc> first inside the root <svg>, and name the image by them."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    opening = svg[start:end]
    # vl-convert's root has class="marks"; the ids only need to be unique within a page
    # that shows several charts, so they come from the title.
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:40] or "chart"
    attributes = (f' role="img" aria-labelledby="{slug}-title {slug}-desc"'
                  if "role=" not in opening else "")
    heading = (f'<title id="{slug}-title">{html.escape(title)}</title>'
               f'<desc id="{slug}-desc">{html.escape(description)}</desc>')
    return svg[:end] + attributes + ">" + heading + svg[end + 1:]
