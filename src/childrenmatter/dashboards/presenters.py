"""Shapes the snapshot's rows for the dashboards' templates: figures, charts and tables."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
from django.urls import reverse
from markupsafe import Markup

from childrenmatter.dashboards.drawing import (
    UNIT_LABELS,
    chart_image_src,
    chart_size,
    dashboard_chart,
    indicator_title,
    unit_label,
)
from childrenmatter.dashboards.snapshot import Snapshot
from childrenmatter.insight.areas import AREAS, Area
from childrenmatter.insight.charts import chart_table, describe, format_value

# The words of a RAG rating, so the tag is read, not only seen (WCAG 1.4.1).
RAG_TAGS = {
    "green": {"text": "Green: on target", "classes": "govuk-tag--green"},
    "amber": {"text": "Amber: near target", "classes": "govuk-tag--yellow"},
    "red": {"text": "Red: off target", "classes": "govuk-tag--red"},
}


def area_slug(area: Area) -> str:
    return area.key.replace("_", "-")


def area_from_slug(slug: str) -> Area | None:
    return next((area for area in AREAS if area_slug(area) == slug), None)


def month_name(period: str | None) -> str:
    return f"{date.fromisoformat(period + '-01'):%B %Y}" if period else ""


def behind_text(row: dict) -> str | None:
    """How a figure's records are counted, for the link to them: "2" children looked after,
    "476 of 557" for a percentage; None where the figure counts nothing (no records)."""
    unit = row.get("unit")
    if unit == "percent":
        if row.get("denominator") is None:
            return None
        return f"{int(row.get('numerator') or 0):,} of {int(row['denominator']):,}"
    if unit == "average":
        return "The records" if row.get("denominator") else None
    return f"{int(row['count']):,}" if row.get("count") is not None else None


def figure_text(value, unit: str) -> str:
    return format_value(value, UNIT_LABELS.get(unit, ""))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def chart_svg(snapshot: Snapshot, la_code: str, indicator: str, rows: pl.DataFrame) -> str:
    """The chart drawn when the snapshot was taken, or drawn now and kept for this snapshot."""
    drawn = snapshot.chart(la_code, indicator)
    if drawn is not None:
        return drawn
    key = (str(snapshot.folder), snapshot.taken_at.isoformat(), la_code, indicator)
    if key not in _drawn_here:
        if len(_drawn_here) > 2000:
            _drawn_here.clear()
        _drawn_here[key] = dashboard_chart(indicator, rows)
    return _drawn_here[key]


_drawn_here: dict[tuple, str] = {}


def chart_image(snapshot: Snapshot, la_code: str, indicator: str, rows: pl.DataFrame) -> dict:
    """The <img> of an indicator's chart: its source, size and alternative text (the chart's
    title and, in words, what it shows)."""
    svg = chart_svg(snapshot, la_code, indicator, rows)
    width, height = chart_size(svg)
    title = indicator_title(indicator)
    return {"src": chart_image_src(svg), "width": width, "height": height,
            "alt": describe(rows, title=title, unit_label=unit_label(rows))}


def indicator_panel(snapshot: Snapshot, la_code: str, area: Area, name: str) -> dict | None:
    """Everything the area page shows about one indicator; None when it has no figures."""
    rows = snapshot.rows(la_code, name)
    if rows.height == 0:
        return None
    title = indicator_title(name)
    unit = rows["unit"][0] if "unit" in rows.columns else "count"
    latest = rows.row(rows.height - 1, named=True)
    label = UNIT_LABELS.get(unit, unit)
    table_rows = [
        [
            {"text": month_name(row["period"])},
            {"text": figure_text(row.get("value"), unit), "format": "numeric"},
            {"text": figure_text(row.get("england"), unit), "format": "numeric"},
            {"text": figure_text(row.get("neighbours"), unit), "format": "numeric"},
            {"text": figure_text(row.get("target"), unit), "format": "numeric"},
            {"text": RAG_TAGS[row["rag"]]["text"] if row.get("rag") in RAG_TAGS else "–"},
        ]
        for row in chart_table(rows)
    ]
    return {
        "name": name,
        "id": _slug(name),
        "title": title,
        "unit": unit,
        "unit_label": label,
        "period": latest["period"],
        "month": month_name(latest["period"]),
        "value": figure_text(latest.get("value"), unit),
        "england": figure_text(latest.get("england"), unit),
        "neighbours": figure_text(latest.get("neighbours"), unit),
        "target": figure_text(latest.get("target"), unit),
        "rag": RAG_TAGS.get(latest.get("rag") or ""),
        "behind": behind_text(latest),
        "chart": chart_image(snapshot, la_code, name, rows),
        "table": {
            "caption": f"{title}: {label}, month by month",
            "captionClasses": "govuk-table__caption--s",
            "firstCellIsHeader": True,
            "head": [{"text": "Month"}, {"text": "This authority", "format": "numeric"},
                     {"text": "England", "format": "numeric"},
                     {"text": "Neighbours", "format": "numeric"},
                     {"text": "Target", "format": "numeric"}, {"text": "RAG"}],
            "rows": table_rows,
        },
    }


def children_link(area: Area, panel: dict, la_code: str) -> Markup | None:
    """The count as a link to the records behind it, named for a screen reader's list of
    links ("2 behind Children looked after, listed")."""
    if panel["behind"] is None:
        return None
    href = reverse("dashboards:children", args=[area_slug(area), panel["name"]])
    return Markup('<a class="govuk-link" href="{}?authority={}">{} <span '
                  'class="govuk-visually-hidden">behind {}, </span>listed</a>'
                  ).format(href, la_code, panel["behind"], panel["title"])


def headline_rows(snapshot: Snapshot, la_code: str, area: Area) -> list[dict]:
    """The area's headline indicators for the index page: figure, England and RAG."""
    rows = []
    for name in area.headline:
        found = snapshot.rows(la_code, name)
        if found.height == 0:
            continue
        latest = found.row(found.height - 1, named=True)
        unit = latest.get("unit") or "count"
        rag = RAG_TAGS.get(latest.get("rag") or "")
        rows.append([
            {"text": indicator_title(name)},
            {"text": figure_text(latest.get("value"), unit), "format": "numeric"},
            {"text": figure_text(latest.get("england"), unit), "format": "numeric"},
            {"html": (f'<strong class="govuk-tag {rag["classes"]}">{rag["text"]}</strong>'
                      if rag else "–")},
        ])
    return rows
