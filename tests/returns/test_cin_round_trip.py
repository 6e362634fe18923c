"""The CIN census: every export valid against its year's XSD, and ``read(write(x))`` equal
to what the census carries of ``x``; hostile or foreign XML refused with exit status 2."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from returns_builders import LA, frame, hand_built

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import read_dataset, write_dataset
from childrenmatter.errors import UserError
from childrenmatter.returns.cin import write_cin
from childrenmatter.returns.readcin import read_cin

SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"
WHEN = datetime(2025, 5, 1, 9, 0)


def schema(year: int) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SPECS / f"CIN_schema_{year}.xsd")))


def assert_valid(xml: bytes, year: int) -> None:
    xsd = schema(year)
    ok = xsd.validate(etree.fromstring(xml))
    assert ok, [str(e) for e in xsd.error_log][:5]


def bounds(year: int) -> tuple[date, date]:
    return date(year - 1, 4, 1), date(year, 3, 31)


def _in_order(rows) -> list[tuple[Any, ...]]:
    """Rows sorted with a missing value before any other: plain sorted() cannot compare
    None with a code, and two referrals of a child on one day can differ only there."""
    return sorted(rows, key=lambda row: tuple((value is not None, value) for value in row))


def _known(value: date | None, end: date) -> date | None:
    return value if value is not None and value <= end else None


def _child(c: dict[str, Any], end: date) -> tuple[Any, ...]:
    # A child born after 31 March was unborn at the census: expected date of birth, sex U.
    unborn = c["date_of_birth"] is None or c["date_of_birth"] > end
    return (c["child_id"], c["upn"], "U" if unborn else c["sex"],
            None if unborn else c["date_of_birth"],
            (c["expected_date_of_birth"] or c["date_of_birth"]) if unborn else None,
            c["ethnicity"], tuple(c["disabilities"] or ()), _known(c["date_of_death"], end))


def carried_cin(tables: dict[str, pl.DataFrame], year: int,
                la: str = LA) -> dict[str, list[tuple[Any, ...]]]:
    """What the census for ``year`` carries, worked out row by row from the DfE's guide."""
    start, end = bounds(year)

    def rows(name: str) -> list[dict[str, Any]]:
        return tables[name].filter(pl.col("la_code") == la).to_dicts()

    referrals = {r["referral_id"]: r for r in rows("referrals")
                 if r["referral_date"] <= end
                 and (r["closure_date"] is None or r["closure_date"] >= start)}
    when = {rid: (r["child_id"], r["referral_date"]) for rid, r in referrals.items()}
    kids = {r["child_id"] for r in referrals.values()}
    out: dict[str, list[tuple[Any, ...]]] = {
        "children": _in_order(_child(c, end) for c in rows("children") if c["child_id"] in kids),
        "referrals": _in_order(
            (r["child_id"], r["referral_date"], r["referral_source"], r["primary_need"],
             r["referral_nfa"], _known(r["closure_date"], end),
             r["closure_reason"] if _known(r["closure_date"], end) else None)
            for r in referrals.values()),
        "assessments": _in_order(
            (*when[a["referral_id"]], a["start_date"], _known(a["authorised_date"], end),
             tuple(a["factors"] or ()) if _known(a["authorised_date"], end) else ())
            for a in rows("assessments") if a["referral_id"] in when
            and a["start_date"] <= end
            and (a["authorised_date"] is None or a["authorised_date"] >= start)),
        "cin_plans": _in_order(
            (*when[p["referral_id"]], p["start_date"], _known(p["end_date"], end))
            for p in rows("cin_plans") if p["referral_id"] in when
            and p["start_date"] <= end and (p["end_date"] is None or p["end_date"] >= start)),
        "section_47_enquiries": _in_order(
            (*when[s["referral_id"]], s["start_date"], s["icpc_required"],
             _known(s["icpc_date"], end))
            for s in rows("section_47_enquiries") if s["referral_id"] in when
            and start <= s["start_date"] <= end),
    }
    plans = {p["cp_plan_id"]: p for p in rows("cp_plans") if p["referral_id"] in when
             and p["start_date"] <= end and (p["end_date"] is None or p["end_date"] >= start)}
    out["cp_plans"] = _in_order(
        (*when[p["referral_id"]], p["start_date"], _known(p["end_date"], end),
         p["initial_category"], p["latest_category"], p["previous_plans"])
        for p in plans.values())
    out["reviews"] = _in_order(
        (c["child_id"], plans[c["cp_plan_id"]]["start_date"], c["conference_date"])
        for c in rows("cp_conferences") if c["conference_type"] == "review"
        and c["cp_plan_id"] in plans and start <= c["conference_date"] <= end)
    return out


def as_carried(read: dict[str, pl.DataFrame]) -> dict[str, list[tuple[Any, ...]]]:
    ref = read["referrals"].select("referral_id", "child_id", "referral_date")

    def with_referral(name: str, *columns: str) -> list[tuple[Any, ...]]:
        frame = read[name].drop("child_id").join(ref, on="referral_id")
        return _in_order(frame.select("child_id", "referral_date", *columns).rows())

    children = _in_order(
        (*r[:6], tuple(r[6]), r[7])
        for r in read["children"].select(
            "child_id", "upn", "sex", "date_of_birth", "expected_date_of_birth", "ethnicity",
            "disabilities", "date_of_death").rows())
    plans = read["cp_plans"].select("cp_plan_id", "child_id", plan_start="start_date")
    reviews = read["cp_conferences"].filter(pl.col("conference_type") == "review").drop(
        "child_id").join(plans, on="cp_plan_id")
    assessments = [(*r[:4], tuple(r[4])) for r in with_referral(
        "assessments", "start_date", "authorised_date", "factors")]
    return {
        "children": children,
        "referrals": _in_order(read["referrals"].select(
            "child_id", "referral_date", "referral_source", "primary_need", "referral_nfa",
            "closure_date", "closure_reason").rows()),
        "assessments": _in_order(assessments),
        "cin_plans": with_referral("cin_plans", "start_date", "end_date"),
        "section_47_enquiries": with_referral("section_47_enquiries", "start_date",
                                              "icpc_required", "icpc_date"),
        "cp_plans": with_referral("cp_plans", "start_date", "end_date", "initial_category",
                                  "latest_category", "previous_plans"),
        "reviews": _in_order(reviews.select("child_id", "plan_start", "conference_date").rows()),
    }


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_year_of_the_hand_built_census_is_valid_and_reads_back(tmp_path, year):
    tables = hand_built()
    xml = write_cin(tables, year, authority=LA, created=WHEN)
    assert_valid(xml, year)
    (tmp_path / "cin.xml").write_bytes(xml)
    assert as_carried(read_cin(tmp_path / "cin.xml")) == carried_cin(tables, year)


def test_2023_24_codes_gender_and_2024_25_codes_sex():
    tables = hand_built()
    old = etree.fromstring(write_cin(tables, 2024, authority=LA, created=WHEN))
    new = etree.fromstring(write_cin(tables, 2025, authority=LA, created=WHEN))
    assert old.findtext("Children/Child/ChildIdentifiers/GenderCurrent") == "2"
    assert old.find("Children/Child/ChildIdentifiers/Sex") is None
    assert new.findtext("Children/Child/ChildIdentifiers/Sex") == "F"
    unborn = new.xpath("Children/Child[ChildIdentifiers/LAchildID='C8']/ChildIdentifiers")[0]
    assert unborn.findtext("ExpectedPersonBirthDate") == "2025-06-01"
    assert unborn.findtext("UPNunknown") == "UN7"  # its only referral had no further action
    assert new.findtext("Header/Source/LEA") == LA


def test_an_initial_conference_is_reported_once(tmp_path):
    xml = etree.fromstring(write_cin(hand_built(), 2024, authority=LA, created=WHEN))
    details = xml.xpath("Children/Child[ChildIdentifiers/LAchildID='C1']/CINdetails")[0]
    assert details.findtext("Section47/DateOfInitialCPC") == "2023-06-05"
    assert details.find("DateOfInitialCPC") is None


def test_the_commands_write_and_read_the_census(tmp_path, capsys):
    dataset = write_dataset(hand_built(), tmp_path / "dataset")
    out = tmp_path / "cin.xml"
    assert main(["returns", "write", "cin", "--dataset", str(dataset), "--year", "2025",
                 "--authority", LA, "--out", str(out)]) == 0
    assert_valid(out.read_bytes(), 2025)
    assert main(["returns", "read", "cin", str(out), "--out", str(tmp_path / "back")]) == 0
    back = read_dataset(tmp_path / "back")
    assert as_carried(back) == carried_cin(hand_built(), 2025)


def test_a_year_without_a_schema_is_refused(tmp_path, capsys):
    dataset = write_dataset(hand_built(), tmp_path / "dataset")
    assert main(["returns", "write", "cin", "--dataset", str(dataset), "--year", "2023",
                 "--authority", LA, "--out", str(tmp_path / "cin.xml")]) == 2
    assert "2024 to 2026" in capsys.readouterr().err
    assert not (tmp_path / "cin.xml").exists()


HOSTILE = {
    "entity expansion": b"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<Message><Children>&b;</Children></Message>""",
    "external entity": b"""<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Message><Children>&x;</Children></Message>""",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_xml_is_refused_with_exit_status_2(tmp_path, capsys, kind):
    path = tmp_path / "cin.xml"
    path.write_bytes(HOSTILE[kind])
    assert main(["returns", "read", "cin", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "refused" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"<Other/>", "not a CIN census"),
    (b"<Message><Children>", "not well-formed"),
])
def test_a_file_that_is_not_the_census_is_refused(tmp_path, content, message):
    path = tmp_path / "cin.xml"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_cin(path)


def test_a_bad_code_names_the_child_and_the_field(tmp_path):
    xml = write_cin(hand_built(), 2025, authority=LA, created=WHEN).replace(
        b"<ReferralSource>6</ReferralSource>", b"<ReferralSource>66</ReferralSource>")
    path = tmp_path / "cin.xml"
    path.write_bytes(xml)
    with pytest.raises(UserError, match=r"\(C5\) CINdetails 1: ReferralSource '66'"):
        read_cin(path)


@pytest.mark.slow
@pytest.mark.parametrize("year", [2024, 2025])
def test_the_simulated_middlesbrough_census_is_valid_and_reads_back(middlesbrough, tmp_path,
                                                                     year):
    tables = read_dataset(middlesbrough, tables=(
        "authorities", "children", "referrals", "assessments", "section_47_enquiries",
        "cp_plans", "cp_conferences", "cin_plans", "strategy_discussions"))
    xml = write_cin(tables, year, created=WHEN)
    assert_valid(xml, year)
    (tmp_path / "cin.xml").write_bytes(xml)
    expected = carried_cin(tables, year, la="806")
    assert as_carried(read_cin(tmp_path / "cin.xml")) == expected
    assert len(expected["referrals"]) > 1000


# --- generated datasets ----------------------------------------------------------------------

DAY0 = date(2022, 4, 1)


def _day(draw, after: date, within: int) -> date:
    return after + timedelta(days=draw(st.integers(0, within)))


@st.composite
def census_datasets(draw) -> dict[str, pl.DataFrame]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in (
        "children", "referrals", "assessments", "cin_plans", "strategy_discussions",
        "section_47_enquiries", "cp_plans", "cp_conferences")}
    n = 0
    for c in range(draw(st.integers(1, 3))):
        child = f"K{c}"
        born = _day(draw, date(2006, 1, 1), 19 * 365)
        rows["children"].append({
            "la_code": LA, "child_id": child, "sex": draw(st.sampled_from("MFU")),
            "date_of_birth": born, "ethnicity": draw(st.sampled_from(["WBRI", "AIND", "NOBT"])),
            "upn": draw(st.none() | st.just(f"A{c:012d}")), "uasc": False,
            "disabilities": draw(st.lists(st.sampled_from(["MOB", "AUT", "VIS"]), unique=True,
                                          max_size=2))})
        for _ in range(draw(st.integers(1, 3))):
            n += 1
            rid = f"R{n}"
            referred = _day(draw, DAY0, 1000)
            nfa = draw(st.booleans())
            closed = draw(st.none() | st.integers(0, 400))
            rows["referrals"].append({
                "la_code": LA, "referral_id": rid, "child_id": child, "referral_date": referred,
                "referral_source": draw(st.sampled_from(["1A", "2A", "6", "10"])),
                "primary_need": None if nfa else draw(st.sampled_from(["N1", "N4"])),
                "referral_nfa": nfa,
                "closure_date": None if closed is None else referred + timedelta(days=closed),
                "closure_reason": None if closed is None else "RC7"})
            base = {"la_code": LA, "referral_id": rid, "child_id": child}
            for a in range(draw(st.integers(0, 2))):
                started = _day(draw, referred, 60)
                done = draw(st.none() | st.integers(0, 90))
                rows["assessments"].append({
                    **base, "assessment_id": f"{rid}A{a}", "start_date": started,
                    "authorised_date": None if done is None else started + timedelta(days=done),
                    "factors": draw(st.lists(st.sampled_from(["1A", "3B", "21"]), unique=True,
                                             max_size=2))})
            if draw(st.booleans()):
                begun = _day(draw, referred, 100)
                rows["cin_plans"].append({**base, "cin_plan_id": f"{rid}N", "start_date": begun,
                                          "end_date": draw(st.none() | st.just(
                                              begun + timedelta(days=200)))})
            if draw(st.booleans()):
                begun = _day(draw, referred, 30)
                icpc = draw(st.none() | st.integers(1, 15))
                rows["strategy_discussions"].append({
                    **base, "strategy_discussion_id": f"{rid}D", "discussion_date": begun,
                    "section_47": True})
                rows["section_47_enquiries"].append({
                    **base, "s47_id": f"{rid}S", "strategy_discussion_id": f"{rid}D",
                    "start_date": begun, "icpc_required": icpc is not None,
                    "icpc_date": None if icpc is None else begun + timedelta(days=icpc)})
                if icpc is not None:
                    plan_start = begun + timedelta(days=icpc)
                    rows["cp_plans"].append({
                        **base, "cp_plan_id": f"{rid}P", "start_date": plan_start,
                        "end_date": draw(st.none() | st.just(plan_start + timedelta(days=300))),
                        "initial_category": "NEG", "latest_category": "EMO",
                        "previous_plans": draw(st.integers(0, 2))})
                    rows["cp_conferences"].append({
                        "la_code": LA, "conference_id": f"{rid}F0", "child_id": child,
                        "conference_type": "initial", "conference_date": plan_start,
                        "s47_id": f"{rid}S", "cp_plan_id": f"{rid}P"})
                    for k in range(draw(st.integers(0, 2))):
                        rows["cp_conferences"].append({
                            "la_code": LA, "conference_id": f"{rid}F{k + 1}", "child_id": child,
                            "conference_type": "review", "cp_plan_id": f"{rid}P",
                            "conference_date": plan_start + timedelta(days=90 * (k + 1))})
    tables = {name: frame(name, r) for name, r in rows.items()}
    tables["authorities"] = frame("authorities", [
        {"la_code": LA, "la_name": "Seatown", "statistical_neighbours": []}])
    return tables


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=census_datasets(), year=st.sampled_from([2024, 2025, 2026]))
def test_read_of_write_holds_for_generated_censuses(tmp_path_factory, tables, year):
    expected = carried_cin(tables, year)
    if not expected["referrals"]:
        return  # the schema needs at least one child
    xml = write_cin(tables, year, authority=LA, created=WHEN)
    assert_valid(xml, year)
    path = tmp_path_factory.mktemp("census") / "cin.xml"
    path.write_bytes(xml)
    assert as_carried(read_cin(path)) == expected
