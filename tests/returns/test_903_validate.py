"""Validating SSDA903 files: our exports pass, and files broken on purpose (one fault per
rule family) are flagged with the DfE's rule code, for the right row and child."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from returns_builders import LA, hand_built

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import read_dataset
from childrenmatter.errors import UserError
from childrenmatter.returns.files import replace_folder
from childrenmatter.returns.ssda903 import write_903, write_903_files
from childrenmatter.returns.validate903 import rule_codes, validate_903

# What the simulated council still breaks: adopters' details the dataset lacks (151), and
# a simulator flaw not mended yet (435, 436: a handful of new episodes whose recorded
# change does not match what changed).
KNOWN_GAPS = {"151", "435", "436"}


def export(tmp_path: Path, year: int, tables=None, la: str = LA) -> Path:
    return_903 = write_903(tables or hand_built(), year, authority=la)
    return replace_folder(tmp_path / f"903_{year - 1}-{year % 100:02d}",
                          lambda f: write_903_files(return_903, f))


def edit(path: Path, change) -> None:
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with open(path, "w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def found(folder: Path) -> set[tuple[str, int | None, str | None]]:
    _, findings = validate_903(folder)
    return {(f.rule, f.row, f.child_id) for f in findings}


def test_every_rule_has_a_code_of_the_dfe_list():
    listed = (Path(__file__).resolve().parents[3] / "shared" / "specs"
              / "903_2025_26_rule_info.csv").read_text(encoding="utf-8")
    codes = {row["Rule code"] for row in csv.DictReader(listed.splitlines())}
    assert set(rule_codes()) <= codes
    assert len(rule_codes()) >= 60


def test_the_hand_built_export_has_no_problems(tmp_path):
    assert found(export(tmp_path, 2023)) == set()


def test_an_unknown_sex_has_no_code_before_2024_25(tmp_path):
    # C3's sex is U: SEX 1/2 cannot say so, the writer leaves it blank, the rule finds it.
    assert {(rule, child) for rule, _, child in found(export(tmp_path, 2024))} == {("101", "C3")}


def test_the_2024_25_export_is_clean_adopters_details_and_all(tmp_path):
    assert {rule for rule, _, _ in found(export(tmp_path, 2025))} == set()


def _set(table: str, child: str, column: str, value: str, nth: int = 0):
    def change(rows: list[list[str]]) -> None:
        index = rows[0].index(column)
        matches = [row for row in rows[1:] if row[0] == child]
        matches[nth][index] = value
    return table, change


BROKEN = {
    # bad codes
    "a placement type that does not exist": (_set("Episodes", "C1", "PLACE", "ZZ"), "146", "C1"),
    "sex coded M before 2024-25": (_set("Header", "C2", "SEX", "M"), "101", "C2"),
    "an unknown review participation": (_set("Reviews", "C3", "REVIEW_CODE", "PN9"), "167", "C3"),
    # dates
    "a date written the ISO way": (_set("Reviews", "C3", "REVIEW", "2023-06-01"), "166", "C3"),
    "an episode ending before it began": (_set("Episodes", "C7", "DEC", "01/04/2023"), "356",
                                          "C7"),
    "a missing episode ending before it began": (_set("Missing", "C1", "MIS_END", "01/03/2024"),
                                                 "567", "C1"),
    # overlapping episodes
    "an episode starting before the last one ended": (
        _set("Episodes", "C3", "DECOM", "01/11/2023", nth=1), "501", "C3"),
    "a move without its reason": (_set("Episodes", "C1", "REASON_PLACE_CHANGE", ""), "225",
                                  "C1"),
    "a change of placement only, with a new legal status": (
        _set("Episodes", "C1", "RNE", "P", nth=1), "435", "C1"),
    # episodes that do not join up
    "a period of care left open before the next": (_set("Episodes", "C1", "DEC", "", nth=0),
                                                   "142", "C1"),
}


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_file_broken_on_purpose_is_flagged_for_that_child(tmp_path, fault):
    (table, change), rule, child = BROKEN[fault]
    folder = export(tmp_path, 2024)
    edit(folder / f"{table}.csv", change)
    assert rule in {r for r, _, c in found(folder) if c == child}


def test_the_row_is_the_line_of_the_file(tmp_path):
    folder = export(tmp_path, 2024)
    edit(folder / "Episodes.csv", lambda rows: rows[2].__setitem__(5, "ZZ"))
    (finding,) = [f for f in validate_903(folder)[1] if f.rule == "146"]
    assert (finding.table, finding.row, finding.field) == ("Episodes", 3, "PLACE")


def test_a_file_with_wrong_headers_cannot_be_read(tmp_path, capsys):
    folder = export(tmp_path, 2024)
    edit(folder / "Header.csv", lambda rows: rows[0].__setitem__(1, "GENDER"))
    assert main(["returns", "validate", "903", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Header.csv: line 1" in err and "GENDER" in err


def test_the_command_exits_1_with_problems_and_0_without(tmp_path, capsys):
    folder = export(tmp_path, 2023)
    assert main(["returns", "validate", "903", str(folder), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    edit(folder / "Episodes.csv", lambda rows: rows[1].__setitem__(3, "XX"))
    assert main(["returns", "validate", "903", str(folder), "--format", "json"]) == 1
    (problem,) = json.loads(capsys.readouterr().out)
    assert problem == {"rule": "144", "table": "Episodes", "row": 2, "child_id": "C1",
                       "field": "LS", "message": "The legal status code is not a valid code."}
    assert main(["returns", "validate", "903", str(folder), "--format", "csv"]) == 1
    assert capsys.readouterr().out.splitlines()[1].startswith("144,Episodes,2,C1,LS,")


def test_a_year_we_hold_no_specification_for_is_refused(tmp_path):
    with pytest.raises(UserError, match="2016"):
        validate_903(export(tmp_path, 2024), 2016)


@pytest.mark.slow
def test_the_simulated_middlesbrough_breaks_only_the_known_gaps(middlesbrough, tmp_path):
    tables = read_dataset(middlesbrough, tables=(
        "authorities", "children", "episodes", "cla_reviews", "missing_episodes", "adoption",
        "care_leaver_contacts", "allocations"))
    for year in (2023, 2024, 2025):
        rules = {rule for rule, _, _ in found(export(tmp_path, year, tables, la="806"))}
        assert rules <= KNOWN_GAPS, year
