"""The trend chart: well-formed SVG, named in words, series told apart by pattern, stable."""

from __future__ import annotations

from xml.etree import ElementTree

import polars as pl
import pytest

from childrenmatter.insight.charts import (
    chart_table,
    describe,
    trend_chart_spec,
    trend_chart_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def months(n: int, first_year: int = 2023) -> list[str]:
    return [f"{first_year + m // 12}-{m % 12 + 1:02d}" for m in range(n)]


@pytest.fixture(scope="module")
def rows() -> pl.DataFrame:
    return pl.DataFrame({
        "period": months(24),
        "value": [40.0 + (m % 5) * 2 for m in range(24)],
        "england": [50.0] * 24,
        "neighbours": [48.0 + m * 0.1 for m in range(24)],
        "target": [60.0] * 24,
        "rag": ["red"] * 24,
    })


@pytest.fixture(scope="module")
def svg(rows) -> str:
    return trend_chart_svg(rows, title="Assessments within 45 working days", unit_label="%")


def test_the_svg_is_well_formed_and_named_by_its_title_and_description(svg):
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text == "Assessments within 45 working days"
    assert desc.tag == f"{SVG}desc"
    assert "January 2023 to December 2024" in desc.text
    assert "This authority 46.0%, England 50.0%, Neighbours 50.3%" in desc.text
    assert "Target 60.0%" in desc.text
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_england_and_neighbours_are_differently_dashed_and_the_authority_solid(svg):
    root = ElementTree.fromstring(svg)
    dashes = {p.get("stroke-dasharray") for p in root.iter(f"{SVG}path")
              if p.get("stroke-dasharray")}
    assert "8,4" in dashes and "2,3" in dashes


def test_each_line_is_named_at_its_end_and_the_target_is_labelled(svg):
    texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    for label in ("This authority 46.0%", "England 50.0%", "Neighbours 50.3%", "Target 60.0%"):
        assert label in texts


def test_the_same_rows_give_the_same_bytes(rows, svg):
    assert trend_chart_svg(rows, title="Assessments within 45 working days",
                           unit_label="%") == svg


def test_the_table_holds_the_same_figures_oldest_first(rows):
    table = chart_table(rows.reverse())
    assert len(table) == 24
    assert table[0] == {"period": "2023-01", "value": 40.0, "england": 50.0,
                        "neighbours": 48.0, "target": 60.0, "rag": "red"}
    assert table[-1]["period"] == "2024-12"


def test_a_chart_without_comparisons_or_target_still_draws_and_says_so():
    rows = pl.DataFrame({"period": months(3), "value": [3.0, None, 5.0]})
    svg = trend_chart_svg(rows, title="Contacts", unit_label="contacts")
    root = ElementTree.fromstring(svg)
    assert root[0].text == "Contacts"
    assert "Target" not in svg
    assert "This authority 5.0" in describe(rows, title="Contacts", unit_label="contacts")


def test_lines_ending_at_the_same_figure_have_labels_that_do_not_overprint():
    rows = pl.DataFrame({"period": months(2), "value": [10.0, 10.0], "england": [10.0, 10.0],
                         "neighbours": [10.0, 10.0]})
    root = ElementTree.fromstring(trend_chart_svg(rows, title="Same", unit_label="rate"))
    ys = [t.get("transform") for t in root.iter(f"{SVG}text") if (t.text or "").endswith("10.0")]
    assert len(ys) == 3 and len(set(ys)) == 3


def test_the_specification_is_valid_vega_lite(rows):
    spec = trend_chart_spec(rows, title="Assessments", unit_label="%", validate=True)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v")
