"""Annex A: bad workbooks are named clearly, cell by cell; nothing is half-written."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from returns_builders import LA, hand_built

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import write_dataset
from childrenmatter.errors import UserError
from childrenmatter.returns import annexa_read
from childrenmatter.returns.annexa import annex_a_lists, workbook_bytes
from childrenmatter.returns.annexa_read import read_annex_a, validate_annex_a


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("annex") / "good.xlsx"
    path.write_bytes(workbook_bytes(annex_a_lists(hand_built(), date(2024, 6, 1), authority=LA)))
    return path


def broken(good: Path, tmp_path: Path, change) -> Path:
    book = openpyxl.load_workbook(good)
    change(book)
    path = tmp_path / "broken.xlsx"
    book.save(path)
    return path


def test_our_workbook_has_no_problems(good):
    assert validate_annex_a(good) == []


def test_a_missing_sheet_is_named(good, tmp_path):
    path = broken(good, tmp_path, lambda book: book.remove(book["List 7"]))
    [finding] = validate_annex_a(path)
    assert (finding.rule, finding.table) == ("sheet", "List 7")
    assert "no sheet 'List 7' (child protection plans)" in finding.message


def test_a_wrong_header_is_named_with_its_column(good, tmp_path):
    def rename(book):
        book["List 3"]["F1"] = "Referral date (when)"
    findings = validate_annex_a(broken(good, tmp_path, rename))
    messages = sorted(f.message for f in findings)
    assert all((f.table, f.rule, f.row) == ("List 3", "header", 1) for f in findings)
    assert messages == [
        "'Referral date (when)' (column F) is not a column of List 3 (referrals)",
        "the column 'Date of referral' is missing from row 1",
    ]


def test_a_text_in_a_date_column_is_named_with_row_child_and_column(good, tmp_path):
    def scribble(book):
        book["List 8"]["H2"] = "last spring"
    [finding] = validate_annex_a(broken(good, tmp_path, scribble))
    assert (finding.rule, finding.table, finding.row, finding.child_id, finding.field) == (
        "date", "List 8", 2, "C2", "Date Started to be Looked After")
    assert "'last spring' is not a date" in finding.message


def test_an_unknown_label_is_named(good, tmp_path):
    def label(book):
        book["List 7"]["H2"] = "Neglectish"
    [finding] = validate_annex_a(broken(good, tmp_path, label))
    assert (finding.rule, finding.row, finding.field) == ("label", 2, "Initial Category of Abuse")
    assert "'Neglectish' is not one of the template's labels" in finding.message


def test_a_date_as_text_in_the_uk_style_is_read(good, tmp_path):
    def as_text(book):
        book["List 3"]["F2"] = "10/01/2024"
    assert validate_annex_a(broken(good, tmp_path, as_text)) == []


def test_dates_out_of_order_and_a_child_twice_are_named(good, tmp_path):
    def muddle(book):
        sheet = book["List 10"]
        sheet["L2"] = date(2020, 1, 1)  # placed for adoption before the match
        sheet.append([cell.value for cell in sheet[2]])
    findings = validate_annex_a(broken(good, tmp_path, muddle))
    assert {(f.rule, f.row, f.field) for f in findings} >= {
        ("order", 2, "Date Placed for Adoption"),
        ("repeat", 3, "Child Unique ID"),
    }


def test_blanks_and_bad_numbers_are_named(good, tmp_path):
    def blank(book):
        book["List 8"]["A2"] = ""
        book["List 8"]["S2"] = "two"
    findings = validate_annex_a(broken(good, tmp_path, blank))
    assert ("blank", "List 8", 2, "Child Unique ID") in {
        (f.rule, f.table, f.row, f.field) for f in findings}
    assert ("number", "List 8", "Number of Placements in the Last 12 months") in {
        (f.rule, f.table, f.field) for f in findings}


def test_the_command_reports_in_every_format_and_exits_1(good, tmp_path, capsys):
    path = broken(good, tmp_path, lambda book: book.remove(book["List 2"]))
    assert main(["returns", "validate", "annex-a", str(path), "--format", "json"]) == 1
    [finding] = json.loads(capsys.readouterr().out)
    assert finding["table"] == "List 2" and finding["rule"] == "sheet"
    assert main(["returns", "validate", "annex-a", str(path), "--format", "csv"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == "rule,table,row,child_id,field,message"
    assert main(["returns", "validate", "annex-a", str(path)]) == 1
    assert "1 problem" in capsys.readouterr().out


@pytest.mark.parametrize("content, message", [
    (b"Child Unique ID,Gender\nC1,a) Male\n", "not an Excel workbook (.xlsx): it is not a zip"),
    (b"", "not an Excel workbook"),
])
def test_a_file_that_is_not_a_workbook_exits_2(tmp_path, capsys, content, message):
    path = tmp_path / "annex-a.xlsx"
    path.write_bytes(content)
    assert main(["returns", "validate", "annex-a", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_zip_that_is_not_a_workbook_exits_2(tmp_path, capsys):
    path = tmp_path / "annex-a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a spreadsheet")
    assert main(["returns", "validate", "annex-a", str(path)]) == 2
    assert "not a readable Excel workbook" in capsys.readouterr().err


def test_a_huge_file_is_refused_before_it_is_read(good, monkeypatch):
    monkeypatch.setattr(annexa_read, "MAX_FILE_BYTES", 1000)
    with pytest.raises(UserError, match="over 0 MB is refused"):
        validate_annex_a(good)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    # A part that unpacks to 200 times its packed size; the limit is lowered to match.
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 2_000_000)
    monkeypatch.setattr(annexa_read, "MAX_UNPACKED_BYTES", 1_000_000)
    with pytest.raises(UserError, match="unpacks to 2 MB"):
        validate_annex_a(path)


def test_reading_a_bad_workbook_writes_nothing(good, tmp_path, capsys):
    path = broken(good, tmp_path, lambda book: book.remove(book["List 7"]))
    out = tmp_path / "dataset"
    assert main(["returns", "read", "annex-a", str(path), "--la-code", LA,
                 "--out", str(out)]) == 2
    assert "nothing was read" in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(UserError, match="1 problem with the workbook"):
        read_annex_a(path, la_code=LA)


def test_a_dataset_that_fails_its_checks_writes_no_workbook(tmp_path, capsys):
    tables = hand_built()
    tables["referrals"] = tables["referrals"].with_columns(
        pl.when(pl.col("referral_id") == "R2").then(pl.lit("XX"))
        .otherwise(pl.col("referral_source")).alias("referral_source"))
    folder = tmp_path / "bad-dataset"
    write_dataset(tables, folder)  # written as is; reading it checks it
    out = tmp_path / "annex-a.xlsx"
    assert main(["returns", "write", "annex-a", "--dataset", str(folder), "--at", "2024-06-01",
                 "--authority", LA, "--out", str(out)]) == 2
    assert "referral_source" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.glob(".annex-a*")) == []


def test_an_unlabelled_code_writes_no_workbook():
    lists = annex_a_lists(hand_built(), date(2024, 6, 1), authority=LA)
    lists["List 3"] = lists["List 3"].with_columns(pl.lit("XX").alias("Referral Source"))
    with pytest.raises(UserError, match="'XX' has no Annex A label"):
        workbook_bytes(lists)


def test_a_dataset_of_several_authorities_needs_one_named():
    with pytest.raises(UserError, match="holds 2 authorities"):
        annex_a_lists(hand_built(), date(2024, 6, 1))

