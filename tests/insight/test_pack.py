"""The councillors' monthly briefing pack (issue 6, docs/pack.md).

The small hand-built dataset (tests/conftest.py: Middlesbrough 806 with Hartlepool 805 as
its neighbour, records from April 2017 to 21 December 2018) gives known figures, England
(both authorities together) and a neighbour; it has no contacts, assessments or
workforce, so those areas must say the dataset cannot fill them. Each format is built
once per module: the trend charts take about half a second each.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import polars as pl
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import read_dataset
from childrenmatter.errors import UserError
from childrenmatter.insight.areas import AREAS
from childrenmatter.insight.figures import indicators_by_month
from childrenmatter.insight.pack import (
    PACK_TABLES,
    build_pack,
    check_commentary,
    combine_datasets,
    pack_content,
    pack_months,
    read_commentary,
)

MONTH = "2018-11"  # the records end on 21 December 2018
COMMENTARY = {
    "child_protection": "Plans fell after the review of the threshold for conference.",
    "children_in_care": "Two children came into care in the summer.\n\n- Both are placed "
                        "with family & friends.\n- Reviews were on time.",
}


@pytest.fixture(scope="module")
def tables(small_dataset_folder: Path) -> dict[str, pl.DataFrame]:
    return read_dataset(small_dataset_folder, tables=PACK_TABLES)


@pytest.fixture(scope="module")
def pdf_bytes(tables) -> bytes:
    return build_pack(tables, authority="806", month=MONTH, commentary=COMMENTARY, fmt="pdf")


@pytest.fixture(scope="module")
def workbook(tables) -> openpyxl.Workbook:
    data = build_pack(tables, authority="806", month=MONTH, commentary=COMMENTARY, fmt="xlsx")
    return openpyxl.load_workbook(io.BytesIO(data), read_only=False)


@pytest.fixture(scope="module")
def html_file(tables, tmp_path_factory) -> Path:
    data = build_pack(tables, authority="806", month=MONTH, commentary=COMMENTARY, fmt="html")
    path = tmp_path_factory.mktemp("pack") / "pack.html"
    path.write_bytes(data)
    return path


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- The PDF ----------------------------------------------------------------------------


def test_the_pdf_opens_as_an_a4_document_with_title_page_numbers_and_bookmarks(pdf_bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    # Cover, summary, then at least a page for each of the seven areas.
    assert len(reader.pages) >= 2 + len(AREAS)
    assert reader.metadata.title == "Middlesbrough: children's social care briefing, November 2018"
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    bookmarks = [item.title for item in reader.outline[1] if not isinstance(item, list)]
    assert bookmarks == ["Summary of headline figures", *(area.title for area in AREAS)]
    # Tagged, in English, so a screen reader can follow it.
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"
    last = " ".join(reader.pages[-1].extract_text().split())
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def test_the_pdf_has_every_area_and_the_commentary_and_room_where_there_is_none(pdf_bytes):
    text = _text(pdf_bytes)
    for area in AREAS:
        assert area.title in text
    assert COMMENTARY["child_protection"] in text
    assert "Both are placed with family & friends." in text
    # Five areas have no commentary: each leaves room for it.
    assert text.count("Room for commentary") == len(AREAS) - len(COMMENTARY)


def test_the_summary_gives_the_rating_in_words(pdf_bytes, tables):
    pack = pack_content(tables, authority="806", month=MONTH)
    text = _text(pdf_bytes)
    summary = text[text.index("Summary of headline figures"):text.index("Room for commentary")]
    rated = [f for page in pack.pages for f in page.headline if f.rag]
    for figure in rated:
        assert {"green": "Green: on target", "amber": "Amber: near target",
                "red": "Red: off target"}[figure.rag] in summary


def test_areas_the_dataset_cannot_fill_say_so_instead_of_showing_zeros(tables, pdf_bytes):
    pack = pack_content(tables, authority="806", month=MONTH)
    by_key = {page.area.key: page for page in pack.pages}
    # The small dataset has no contacts, assessments, visits or workforce records.
    for key in ("assessment", "workforce", "care_leavers"):
        assert not by_key[key].available
        assert all(f.value is None and not f.available for f in by_key[key].figures)
    # Referrals are there, contacts are not: the front door's contact figures say so.
    front_door = {f.name: f for f in by_key["front_door"].figures}
    assert front_door["referrals"].available and front_door["referrals"].count is not None
    assert not front_door["contacts"].available and front_door["contacts"].value is None
    assert by_key["children_in_care"].available
    text = _text(pdf_bytes)
    assert "This dataset holds no records for workforce (no allocations or workers)" in text
    assert "This dataset holds no contacts: 8 of this area's 10 figures cannot be given" in text


# --- The workbook -----------------------------------------------------------------------


def test_the_workbook_has_a_summary_and_a_sheet_per_area(workbook):
    assert workbook.sheetnames == ["Summary", *(area.title for area in AREAS)]


def test_the_workbook_numbers_are_the_indicators_figures(workbook, tables):
    from datetime import date

    expected = indicators_by_month(tables, date(2017, 4, 1), date(2018, 11, 1), authority="806")
    checked = 0
    for area in AREAS:
        sheet = workbook[area.title]
        rows = sheet.iter_rows(min_row=5, max_col=13, values_only=True)  # the long table
        header = next(rows)
        for row in rows:
            line = dict(zip(header, row, strict=True))
            figure = expected[line["period"]][line["indicator"]]
            if line["note"] == "Not in this dataset":
                assert line["value"] is None
                continue
            unit = line["unit"]
            key = {"count": "count", "per 10,000 children": "rate_per_10k", "%": "percent",
                   "average": "average"}.get(unit)
            if key is not None:
                assert line["value"] == figure[key], (line, figure)
                checked += 1
            for part in ("count", "numerator", "denominator"):
                if part in figure and line[part] is not None:
                    assert line[part] == figure[part], (part, line, figure)
    assert checked > 100  # 21 months of several indicators, not a handful


def test_each_charted_figure_has_its_months_and_an_excel_chart_beside_the_table(workbook,
                                                                              tables):
    sheet = workbook["Children in care"]
    long = {(row[0], row[1]): row[4] for row in sheet.iter_rows(min_row=6, max_col=13,
                                                                 values_only=True)}
    block = list(sheet.iter_rows(min_row=5, min_col=15, max_col=19, values_only=True))
    assert block[0][0] == "Children looked after (per 10,000 children)"
    assert block[1] == ("period", "this authority", "England", "neighbours", "target")
    months = [row for row in block[2:] if row[0] and re.fullmatch(r"\d{4}-\d{2}", row[0])]
    looked_after = months[:20]
    assert [m[0] for m in looked_after][-1] == MONTH
    assert all(m[1] == long[(m[0], "looked_after")] for m in looked_after)
    page = next(p for p in pack_content(tables, authority="806", month=MONTH).pages
                if p.area.key == "children_in_care")
    drawn = [f for f in page.headline if f.available and f.series["value"].is_not_null().any()]
    assert len(drawn) > 0 and len(sheet._charts) == len(drawn)  # one per figure to draw


def test_the_workbook_summary_has_the_headline_figures_with_england_and_neighbours(workbook,
                                                                                  tables):
    pack = pack_content(tables, authority="806", month=MONTH)
    sheet = workbook["Summary"]
    rows = list(sheet.iter_rows(values_only=True))
    start = next(n for n, row in enumerate(rows) if row[0] == "area")
    found = {row[1]: dict(zip(rows[start], row, strict=True)) for row in rows[start + 1:]}
    looked_after = next(f for p in pack.pages for f in p.figures if f.name == "looked_after")
    assert found["looked_after"]["value"] == looked_after.value
    assert found["looked_after"]["england"] == looked_after.england is not None
    assert found["looked_after"]["neighbours"] == looked_after.neighbours is not None


# --- The HTML file ----------------------------------------------------------------------


def test_the_html_pack_is_one_file_with_no_serious_accessibility_problems(
        html_file, page, serious_problems):
    text = html_file.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["'](?!#)""", text)  # nothing fetched from elsewhere
    page.goto(html_file.as_uri())
    assert page.locator("h1").inner_text().startswith("Middlesbrough")
    assert page.locator("h2").all_inner_texts() == ["Summary of headline figures",
                                                    *(area.title for area in AREAS)]
    assert page.locator("svg[role=img]").count() >= 1
    assert serious_problems(page) == []


# --- Commentary -------------------------------------------------------------------------


def test_commentary_is_read_from_yaml_and_from_markdown(tmp_path):
    yaml_file = tmp_path / "c.yml"
    yaml_file.write_text("front_door: |\n  Contacts rose.\n\n  - Rota reviewed.\n"
                         "workforce: Two agency workers left.\n", encoding="utf-8")
    assert read_commentary(yaml_file) == {"front_door": "Contacts rose.\n\n- Rota reviewed.",
                                          "workforce": "Two agency workers left."}
    markdown = tmp_path / "c.md"
    markdown.write_text("## front_door\nContacts rose.\n\n## Children in care\n\nStable.\n",
                        encoding="utf-8")
    assert read_commentary(markdown) == {"front_door": "Contacts rose.",
                                         "children_in_care": "Stable."}


@given(st.dictionaries(st.sampled_from([a.key for a in AREAS]),
                       st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",),
                                                     exclude_characters="#\r\n"),
                               min_size=1, max_size=80).map(str.strip).filter(bool)))
def test_markdown_commentary_comes_back_as_written(commentary):
    from childrenmatter.insight.pack import _commentary_from_markdown

    lines = "\n".join(f"## {key}\n{text}\n" for key, text in commentary.items())
    assert _commentary_from_markdown(lines, "test") == commentary


@pytest.mark.parametrize(("content", "name", "message"), [
    ("front_dor: Contacts rose.\n", "c.yml", "'front_dor' is not an area; the areas are "
                                              "front_door, assessment"),
    ("front_door: [unclosed\n", "c.yml", "not valid YAML"),
    ("- a list\n", "c.yml", "expected a mapping of area keys to text"),
    ("front_door:\n  nested: 1\n", "c.yml", "front_door: expected text, not dict"),
    ("Some text first\n## front_door\n", "c.md", "line 1: text before the first area heading"),
    ("## Early help\nText\n", "c.md", "'Early help' is not an area"),
    ("front_door: x\n", "c.txt", "expected a .yml or .md file"),
])
def test_a_bad_commentary_file_is_refused_with_the_reason(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=re.escape(message)):
        read_commentary(path)


def test_the_library_refuses_an_unknown_area_key_too():
    with pytest.raises(UserError, match="'early_help' is not an area"):
        check_commentary({"early_help": "text"})


# --- Months -----------------------------------------------------------------------------


def test_the_trend_is_24_months_ending_with_the_month_from_when_records_begin(tables):
    months = pack_months(tables, "806", MONTH)
    # Records begin April 2017, so November 2018 has 20 months behind it, not 24.
    assert months[0] == "2017-04" and months[-1] == MONTH and len(months) == 20
    assert len(set(months)) == len(months) == len(sorted(months))


def test_a_month_outside_the_data_is_refused(tables):
    # The records end on 21 December 2018: December is not whole.
    with pytest.raises(UserError, match=r"--month 2018-12: runs past the dataset's records, "
                                        r"which end on 2018-12-21, which cover the whole "
                                        r"months 2017-04 to 2018-11"):
        pack_months(tables, "806", "2018-12")
    with pytest.raises(UserError, match=r"--month 2017-03: before the dataset's records"):
        pack_months(tables, "806", "2017-03")
    with pytest.raises(UserError, match=r"--month '2018-13'"):
        pack_months(tables, "806", "2018-13")


# --- The command ------------------------------------------------------------------------


@pytest.mark.parametrize(("extra", "commentary", "message"), [
    (["--month", "2019-06"], None, "--month 2019-06: runs past the dataset's records"),
    (["--month", MONTH], "front_dor: x\n", "'front_dor' is not an area"),
    (["--month", MONTH], "front_door: [\n", "not valid YAML"),
    (["--month", MONTH, "--authority", "999"], None, "--authority 999: not in the dataset"),
])
def test_the_command_refuses_bad_input_in_one_line_and_writes_nothing(
        small_dataset_folder, tmp_path, capsys, extra, commentary, message):
    out = tmp_path / "pack.pdf"
    argv = ["pack", "--dataset", str(small_dataset_folder), "--out", str(out), *extra]
    if commentary is not None:
        (tmp_path / "c.yml").write_text(commentary, encoding="utf-8")
        argv += ["--commentary", str(tmp_path / "c.yml")]
    if "--authority" not in extra:
        argv += ["--authority", "806"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert list(tmp_path.glob("pack.pdf*")) == [] and list(tmp_path.glob(".pack*")) == []


def test_the_command_needs_an_authority_when_the_dataset_holds_several(small_dataset_folder,
                                                                       tmp_path, capsys):
    assert main(["pack", "--dataset", str(small_dataset_folder), "--month", MONTH,
                 "--out", str(tmp_path / "p.xlsx")]) == 2
    assert "holds 2 authorities: give --authority CODE" in capsys.readouterr().err


def test_the_command_refuses_an_unknown_format(small_dataset_folder, tmp_path, capsys):
    assert main(["pack", "--dataset", str(small_dataset_folder), "--month", MONTH,
                 "--out", str(tmp_path / "p.docx")]) == 2
    assert "must end .pdf, .xlsx or .html" in capsys.readouterr().err


def test_the_command_writes_the_workbook(small_dataset_folder, tmp_path, capsys):
    out = tmp_path / "packs" / "pack.xlsx"
    assert main(["pack", "--dataset", str(small_dataset_folder), "--month", MONTH,
                 "--authority", "806", "--out", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    assert [p.name for p in out.parent.iterdir()] == ["pack.xlsx"]  # no temporary file left


# --- Datasets read from other systems' returns ------------------------------------------


def test_two_datasets_of_one_authority_are_put_together_once_each(tables):
    children = tables["children"]
    first = {**tables, "children": children.head(5)}
    second = {**tables, "children": children.tail(5)}
    combined = combine_datasets([first, second])
    assert combined["children"].height == children.height  # 8: three in both, kept once
    assert combined["authorities"].height == tables["authorities"].height


@pytest.mark.slow
def test_the_pack_builds_from_the_903_and_cin_census_of_another_system(middlesbrough, tmp_path,
                                                                      capsys):
    """Simulated Middlesbrough written as returns and read back, as another system's files
    would be: the areas the returns cannot fill say so."""
    for year in ("2024", "2025"):
        assert main(["returns", "write", "903", "--dataset", str(middlesbrough), "--year", year,
                     "--out", str(tmp_path / f"903-{year}")]) == 0
    assert main(["returns", "write", "cin", "--dataset", str(middlesbrough), "--year", "2025",
                 "--out", str(tmp_path / "cin.xml")]) == 0
    assert main(["returns", "read", "903", str(tmp_path / "903-2024"), str(tmp_path / "903-2025"),
                 "--la-code", "806", "--la-name", "Middlesbrough",
                 "--out", str(tmp_path / "from-903")]) == 0
    assert main(["returns", "read", "cin", str(tmp_path / "cin.xml"), "--la-name",
                 "Middlesbrough", "--out", str(tmp_path / "from-cin")]) == 0
    out = tmp_path / "pack.xlsx"
    assert main(["pack", "--dataset", str(tmp_path / "from-903"), "--dataset",
                 str(tmp_path / "from-cin"), "--month", "2025-03", "--out", str(out)]) == 0

    tables = combine_datasets([read_dataset(tmp_path / d, tables=PACK_TABLES)
                               for d in ("from-903", "from-cin")])
    pack = pack_content(tables, authority="806", month="2025-03")
    by_key = {page.area.key: page for page in pack.pages}
    assert "holds no contacts" in by_key["front_door"].missing_reason
    assert not by_key["workforce"].available  # the 903's social workers are not a workforce
    for key in ("assessment", "child_protection", "children_in_care", "care_leavers"):
        assert by_key[key].available, key
    book = openpyxl.load_workbook(out)
    contacts = [row for row in book["Front door"].iter_rows(min_row=6, max_col=13,
                                                             values_only=True)
                if row[1].startswith("contact")]
    assert contacts and all(row[4] is None and row[12] == "Not in this dataset"
                            for row in contacts)
    assert "holds no contacts" in book["Front door"]["A3"].value
    workforce = list(book["Workforce"].iter_rows(min_row=6, max_col=13, values_only=True))
    assert workforce and all(row[4] is None for row in workforce)
    # Returns carry no population: rates are not given, and the cover says why.
    assert not next(f for f in by_key["children_in_care"].figures
                    if f.name == "looked_after").available
    assert any("no population figures" in note for note in pack.notes)
    # The CIN census covers 2024-25 only: the trends begin there, not with the 903's
    # 2023-24, where the census's counts would show as zeros.
    assert pack.months[0] == "2024-04" and len(pack.months) == 12
    stability = [row for row in book["Children in care"].iter_rows(min_row=6, max_col=13,
                                                                  values_only=True)
                 if row[1] == "three_or_more_placements" and row[0] == "2025-03"]
    assert stability and stability[0][4] is not None


def test_published_figures_and_targets_given_to_the_command_reach_the_workbook(
        small_dataset_folder, tables, tmp_path):
    """England's published figure takes the place of the dataset's, and a target changed
    in the targets file changes the rating."""
    published = tmp_path / "published.csv"
    published.write_text(f"period,indicator,area,value\n{MONTH},looked_after,england,67\n",
                         encoding="utf-8")
    own = next(f for p in pack_content(tables, authority="806", month=MONTH).pages
               for f in p.figures if f.name == "looked_after")
    assert own.value is not None
    targets = tmp_path / "targets.yml"
    # Looked after has no direction by default (no RAG): make lower better, with the target
    # just above this month's figure, so it must be green.
    targets.write_text(f"looked_after:\n  target: {own.value + 1}\n"
                       "  direction: lower_is_better\n", encoding="utf-8")
    out = tmp_path / "pack.xlsx"
    assert main(["pack", "--dataset", str(small_dataset_folder), "--month", MONTH,
                 "--authority", "806", "--published", str(published), "--targets",
                 str(targets), "--out", str(out)]) == 0
    rows = list(openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "area")
    looked_after = dict(zip(header, next(r for r in rows if r[1] == "looked_after"),
                            strict=True))
    assert looked_after["england"] == 67
    assert looked_after["target"] == own.value + 1
    assert looked_after["rag"] == "Green: on target"
