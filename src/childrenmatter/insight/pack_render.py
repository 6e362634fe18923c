"""The briefing pack laid out: one HTML document (``templates_pack/``) for the HTML file
and, through WeasyPrint, the PDF; XlsxWriter for the workbook.

The PDF is A4 with the pack's title in its metadata, page numbers in the footer, the
headings as bookmarks (WeasyPrint makes h1-h6 bookmarks) and a tagged structure (PDF/UA-1
through ``pdf_variant``) so a screen reader can follow it.

Charts: every headline indicator of an area (``Area.headline``) is drawn as its trend
(``charts.trend_chart_svg``); each chart takes about half a second to draw here, so the
area's other figures are in its table and the workbook rather than charted.

No Django import.
"""

from __future__ import annotations

import html as html_escape
import io
import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from childrenmatter.insight.pack import FORMATS, RAG_WORDS, UNIT_LABELS, Figure, Pack

TEMPLATES = Path(__file__).with_name("templates_pack")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>\s*")

__all__ = ["FORMATS", "html", "pdf", "xlsx"]


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def show(value: float | None, unit: str) -> str:
    """A figure as a reader sees it: 45.2%, 1,234, 3.5; a dash when there is none."""
    if value is None:
        return "–"
    if unit == "count":
        return f"{value:,.0f}"
    text = f"{value:,.1f}"
    return text + "%" if unit == "percent" else text


def _rag(figure: Figure) -> Markup:
    if not figure.available:
        return Markup('<span class="rag rag--none">Not in this dataset</span>')
    if figure.rag in RAG_WORDS:
        return Markup('<strong class="rag rag--{}">{}</strong>').format(
            figure.rag, RAG_WORDS[figure.rag])
    reason = "No figure" if figure.value is None else "Not rated"
    return Markup('<span class="rag rag--none">{}</span>').format(reason)


def commentary_html(text: str) -> Markup:
    """Commentary as paragraphs and bullet lists: a blank line starts a paragraph, a line
    starting "- " or "* " is a bullet. Everything else is text, escaped."""
    blocks = re.split(r"\n\s*\n", text.strip())
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line[:2] in ("- ", "* ") for line in lines):
            items = "".join(f"<li>{html_escape.escape(line[2:].strip())}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif lines:
            out.append(f"<p>{html_escape.escape(' '.join(lines))}</p>")
    return Markup("".join(out))


def charts(pack: Pack) -> dict[str, list[dict]]:
    """The trend chart of each available headline figure, by area key."""
    from childrenmatter.insight.charts import trend_chart_svg

    drawn: dict[str, list[dict]] = {}
    for page in pack.pages:
        drawn[page.area.key] = []
        if not page.available:
            continue
        for figure in page.headline:
            if not figure.available or figure.series["value"].is_null().all():
                continue  # nothing to draw: the area's table says why
            rows = figure.series.select("period", "value", "england", "neighbours", "target")
            svg = trend_chart_svg(rows, title=f"{figure.title}, {page.area.title}",
                                  unit_label=figure.unit_label)
            drawn[page.area.key].append({
                "title": figure.title, "unit_label": figure.unit_label,
                "svg": Markup(_XML_DECLARATION.sub("", svg)),
            })
    return drawn


def _comparison_words(pack: Pack) -> str:
    if pack.has_england and pack.has_neighbours:
        return "England and statistical neighbours"
    if pack.has_england:
        return "England (no neighbours' figures were available)"
    if pack.has_neighbours:
        return "statistical neighbours (no England figures were available)"
    return "England and neighbours where figures are available (none were for this dataset)"


def title(pack: Pack) -> str:
    return f"{pack.authority_name}: children's social care briefing, {pack.month_title}"


def html(pack: Pack) -> str:
    """The pack as one self-contained HTML document (styles and charts inside it)."""
    template = _environment().get_template("pack.html")
    return template.render(
        pack=pack, title=title(pack), css=Markup((TEMPLATES / "pack.css").read_text("utf-8")),
        charts=charts(pack), show=show, rag=_rag, commentary=commentary_html,
        comparison_words=_comparison_words(pack),
    )


def pdf(pack: Pack) -> bytes:
    """The pack as a tagged A4 PDF."""
    import logging

    import weasyprint

    # WeasyPrint warns about every CSS property it ignores (vl-convert's SVG has a few);
    # they are not the reader's business.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html(pack), base_url=str(TEMPLATES))
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


# --- The workbook ----------------------------------------------------------------------

_SHEET_COLUMNS = ("period", "indicator", "title", "unit", "value", "count", "numerator",
                  "denominator", "england", "neighbours", "target", "rag", "note")


def xlsx(pack: Pack) -> bytes:
    """The workbook: a summary sheet of headline figures and one sheet per area with every
    figure of its 24 months, one row per month and indicator, and beside it each headline
    figure's months as a small table with its line chart (the data behind each chart)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": title(pack), "author": pack.authority_name,
                         "comments": "Made by Children Matter"})
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    summary = book.add_worksheet("Summary")
    summary.write(0, 0, title(pack), heading)
    summary.write(1, 0, f"Headline figures for {pack.month_title} ({pack.month}); RAG in words.")
    for row, note in enumerate(pack.notes, start=2):
        summary.write(row, 0, note)
    header = ("area", "indicator", "title", "unit", "value", "england", "neighbours",
              "target", "rag", "note")
    top = 3 + len(pack.notes)
    summary.write_row(top, 0, header, bold)
    row = top + 1
    for page in pack.pages:
        for figure in page.headline:
            summary.write_row(row, 0, (
                page.area.title, figure.name, figure.title, UNIT_LABELS[figure.unit],
                figure.value, figure.england, figure.neighbours, figure.target,
                RAG_WORDS.get(figure.rag or "", "") if figure.available else "",
                "" if figure.available else "Not in this dataset"))
            row += 1
    summary.autofilter(top, 0, row - 1, len(header) - 1)
    summary.freeze_panes(top + 1, 0)
    summary.set_column(0, 0, 18)
    summary.set_column(1, 1, 40)
    summary.set_column(2, 2, 52)
    summary.set_column(3, 3, 22)
    summary.set_column(8, 9, 20)

    for page in pack.pages:
        sheet = book.add_worksheet(page.area.title[:31])
        sheet.write(0, 0, f"{page.area.title}: {pack.authority_name}, {pack.months[0]} to "
                    f"{pack.months[-1]}", heading)
        sheet.write(1, 0, "Commentary", bold)
        sheet.merge_range(1, 1, 1, 8, page.commentary or "None was supplied for this month.",
                          wrap)
        sheet.set_row(1, 15 * max(1, min(20, page.commentary.count("\n") + 1
                                         + len(page.commentary) // 120)))
        if page.missing_reason:
            sheet.write(2, 0, page.missing_reason)
        top = 4
        sheet.write_row(top, 0, _SHEET_COLUMNS, bold)
        row = top + 1
        for figure in page.figures:
            note = "" if figure.available else "Not in this dataset"
            for month in figure.series.iter_rows(named=True):
                available = figure.available
                sheet.write_row(row, 0, (
                    month["period"], figure.name, figure.title, UNIT_LABELS[figure.unit],
                    month["value"] if available else None,
                    month["count"] if available else None,
                    month["numerator"] if available else None,
                    month["denominator"] if available else None,
                    month["england"], month["neighbours"], month["target"],
                    RAG_WORDS.get(month["rag"] or "", "") if available else "", note))
                row += 1
        sheet.autofilter(top, 0, row - 1, len(_SHEET_COLUMNS) - 1)
        sheet.freeze_panes(top + 1, 0)
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, 2, 52)
        sheet.set_column(3, 3, 22)
        sheet.set_column(11, 12, 20)
        _chart_blocks(book, sheet, page, bold)
    book.close()
    return buffer.getvalue()


_BLOCK_COLUMN = 14  # column O: the charts' figures, to the right of the long table
_BLOCK_HEADER = ("period", "this authority", "England", "neighbours", "target")


def _chart_blocks(book, sheet, page, bold) -> None:  # type: ignore[no-untyped-def]
    """Each headline figure's months as a small table (one column per line) with Excel's
    own line chart of it beside, as in the PDF: the figures behind each chart."""
    row = 4
    for figure in page.headline:
        if not figure.available or figure.series["value"].is_null().all():
            continue
        series = figure.series.select("period", "value", "england", "neighbours", "target")
        sheet.write(row, _BLOCK_COLUMN, f"{figure.title} ({figure.unit_label})", bold)
        sheet.write_row(row + 1, _BLOCK_COLUMN, _BLOCK_HEADER, bold)
        first = row + 2
        for offset, values in enumerate(series.iter_rows()):
            sheet.write_row(first + offset, _BLOCK_COLUMN, values)
        last = first + series.height - 1
        chart = book.add_chart({"type": "line"})
        dashes = {"value": "solid", "england": "dash", "neighbours": "round_dot",
                  "target": "long_dash"}
        for index, column in enumerate(("value", "england", "neighbours", "target"), start=1):
            if series[column].is_null().all():
                continue
            chart.add_series({
                "name": [sheet.name, row + 1, _BLOCK_COLUMN + index],
                "categories": [sheet.name, first, _BLOCK_COLUMN, last, _BLOCK_COLUMN],
                "values": [sheet.name, first, _BLOCK_COLUMN + index, last,
                           _BLOCK_COLUMN + index],
                # Line patterns, not colour alone, tell the lines apart (as charts.py does).
                "line": {"dash_type": dashes[column],
                         "width": 2.5 if column == "value" else 1.5},
            })
        chart.set_title({"name": figure.title, "name_font": {"size": 11}})
        chart.set_y_axis({"name": figure.unit_label, "min": 0})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 560, "height": 300})
        sheet.insert_chart(row, _BLOCK_COLUMN + len(_BLOCK_HEADER) + 1, chart)
        row = max(last, row + 16) + 3
