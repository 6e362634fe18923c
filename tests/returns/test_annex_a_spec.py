"""Annex A: sheet names, headers and every label we write are the template's.

Checked against Social Finance's machine-readable copy of the Ofsted template
(``Annex_A_schema.yml``) and the sample workbook beside it, read here from the shared specs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml
from returns_builders import LA, hand_built

from childrenmatter.returns.annexa import annex_a_lists, workbook_bytes
from childrenmatter.returns.annexa_spec import (
    LABELS,
    LISTS,
    NEWER_THAN_TEMPLATE,
    check_labels_cover_code_lists,
    header_key,
)

SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"


@pytest.fixture(scope="module")
def schema() -> dict:
    return yaml.safe_load((SPECS / "Annex_A_schema.yml").read_text())["column_map"]


def test_there_is_a_sheet_for_each_of_the_eleven_lists(schema):
    assert list(LISTS) == [f"List {n}" for n in range(1, 12)]
    assert [f"list_{n}" for n in range(1, 12)] == list(schema)


@pytest.mark.parametrize("n", range(1, 12))
def test_the_headers_are_the_templates_in_its_order(schema, n):
    ours = [c.header for c in LISTS[f"List {n}"]]
    assert ours == list(schema[f"list_{n}"])


@pytest.mark.parametrize("n", range(1, 12))
def test_the_sample_workbooks_headers_are_recognised(n):
    # The sample spells some headers differently ("Age", curly quotes, a doubled bracket).
    book = openpyxl.load_workbook(SPECS / "Annex_A_2024_Jan.xlsx", read_only=True)
    sample = [cell for cell in next(book[f"List {n}"].iter_rows(values_only=True)) if cell]
    assert [header_key(h) for h in sample] == [header_key(c.header) for c in LISTS[f"List {n}"]]


def _spellings(category: list[dict]) -> set[str]:
    known = set()
    for entry in category:
        known.add(str(entry["code"]))
        names = entry.get("name") or []
        known.update(str(n) for n in ([names] if isinstance(names, str) else names))
    return known


@pytest.mark.parametrize("n", range(1, 12))
def test_every_label_we_write_is_one_the_template_lists(schema, n):
    for col in LISTS[f"List {n}"]:
        if col.kind != "label" or not LABELS[col.labels]:
            continue
        spec = schema[f"list_{n}"][col.header]
        assert "category" in spec, col.header
        known = _spellings(spec["category"])
        newer = NEWER_THAN_TEMPLATE.get(col.labels, set())
        wrong = {code: label for code, label in LABELS[col.labels].items()
                 if label not in known and code not in newer}
        assert wrong == {}, f"List {n} {col.header}"


def test_every_code_of_the_datasets_lists_has_a_label():
    assert check_labels_cover_code_lists() == []


def test_the_written_workbook_has_the_sheets_headers_and_labels(tmp_path):
    lists = annex_a_lists(hand_built(), date(2024, 6, 1), authority=LA)
    path = tmp_path / "annex-a.xlsx"
    path.write_bytes(workbook_bytes(lists))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(LISTS)
    for name, columns in LISTS.items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == [c.header for c in columns]
    referral = list(book["List 3"].iter_rows(values_only=True))[1]
    assert referral[:3] == ("C5", "b) Female", "a) WBRI")
    assert referral[5].date() == date(2024, 1, 10)
    assert referral[6:8] == ("q) 6: Police", "b) No")
