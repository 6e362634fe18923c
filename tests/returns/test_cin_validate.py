"""Validating the CIN census: our exports pass, and files broken on purpose are flagged with
the DfE's rule code for the right child."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
from returns_builders import LA, hand_built

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import read_dataset
from childrenmatter.returns.cin import CIN_TABLES, write_cin
from childrenmatter.returns.validatecin import rule_codes, validate_cin

WHEN = datetime(2025, 5, 1, 9, 0)
# What the simulator makes (reported to the lead), found by Data to Insight's validator
# too, for the same children: 1520 - UPNs repeat for children whose serials differ by
# 7,000; 2990 - episodes closed RC8/RC9 ("after assessment") that had a section 47 or a
# plan; 8565 and 8867 - an assessment authorised, or left open, after the episode closed.
KNOWN_GAPS = {"1520", "2990", "8565", "8867"}


def export(tmp_path: Path, year: int = 2025, change=None) -> Path:
    xml = write_cin(hand_built(), year, authority=LA, created=WHEN)
    if change:
        xml = change(xml)
    path = tmp_path / "cin.xml"
    path.write_bytes(xml)
    return path


def found(path: Path) -> set[tuple[str, str | None]]:
    return {(f.rule, f.child_id) for f in validate_cin(path)[1]}


def test_every_rule_is_an_error_of_the_dfe_list():
    listed = (Path(__file__).resolve().parents[3] / "shared" / "specs"
              / "cin_rules_cin2025_26.txt").read_text(encoding="utf-8")
    errors = {line.split("\t")[0] for line in listed.splitlines() if "(ERROR)" in line}
    assert set(rule_codes()) <= errors
    assert len(rule_codes()) >= 50


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_hand_built_census_has_no_problems(tmp_path, year):
    assert found(export(tmp_path, year)) == set()


def _swap(old: bytes, new: bytes):
    def change(xml: bytes) -> bytes:
        assert old in xml
        return xml.replace(old, new, 1)
    return change


BROKEN = {
    "a sex that is not M, F or U": (_swap(b"<Sex>F</Sex>", b"<Sex>X</Sex>"), "4180", "C1"),
    "a plan starting and ending on one day": (
        _swap(b"<CPPendDate>2024-09-01</CPPendDate>", b"<CPPendDate>2023-06-05</CPPendDate>"),
        "8840", "C1"),
    "a closure before the referral": (
        _swap(b"<CINclosureDate>2024-06-01</CINclosureDate>",
              b"<CINclosureDate>2023-06-01</CINclosureDate>"), "8630", "C5"),
    "factor 21 with another": (
        _swap(b"<AssessmentFactors>21</AssessmentFactors>",
              b"<AssessmentFactors>21</AssessmentFactors><AssessmentFactors>3A"
              b"</AssessmentFactors>"), "8869", "C5"),
    "an unknown referral source": (_swap(b"<ReferralSource>6</ReferralSource>",
                                         b"<ReferralSource>66</ReferralSource>"), "8866", "C5"),
    "the same child twice": (_swap(b"<LAchildID>C5</LAchildID>", b"<LAchildID>C1</LAchildID>"),
                             "8510", "C1"),
    "a CP plan for a referral with no further action": (
        _swap(b"<ReferralNFA>0</ReferralNFA>\n        <ChildProtectionPlans>",
              b"<ReferralNFA>1</ReferralNFA>\n        <ChildProtectionPlans>"), "8832", "C1"),
}


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_census_broken_on_purpose_is_flagged_for_that_child(tmp_path, fault):
    change, rule, child = BROKEN[fault]
    assert (rule, child) in found(export(tmp_path, 2025, change))


def test_the_command_reports_in_each_format_and_exits_1(tmp_path, capsys):
    path = export(tmp_path, change=BROKEN["a sex that is not M, F or U"][0])
    assert main(["returns", "validate", "cin", str(path), "--format", "json"]) == 1
    (problem,) = json.loads(capsys.readouterr().out)
    assert (problem["rule"], problem["table"], problem["row"], problem["child_id"],
            problem["field"]) == ("4180", "Child", 1, "C1", "Sex")
    assert main(["returns", "validate", "cin", str(path), "--format", "csv"]) == 1
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert rows[0] == ["rule", "table", "row", "child_id", "field", "message"]
    assert main(["returns", "validate", "cin", str(export(tmp_path))]) == 0
    assert "no problems found" in capsys.readouterr().out


def test_hostile_xml_cannot_be_validated(tmp_path, capsys):
    path = tmp_path / "cin.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "x">]>'
                     b"<Message><Children>&a;</Children></Message>")
    assert main(["returns", "validate", "cin", str(path)]) == 2
    assert "refused" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("year", [2024, 2025])
def test_the_simulated_middlesbrough_census_breaks_only_the_known_gaps(middlesbrough, tmp_path,
                                                                       year):
    tables = read_dataset(middlesbrough, tables=CIN_TABLES)
    path = tmp_path / "cin.xml"
    path.write_bytes(write_cin(tables, year, created=WHEN))
    assert {rule for rule, _ in found(path)} <= KNOWN_GAPS
