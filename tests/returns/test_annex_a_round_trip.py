"""Annex A: known answers from the hand-built dataset, and round trips.

What the workbook carries comes back: reading a workbook and drawing the lists again from
what was read gives the same lists, cell for cell, on every column the lists carry (the
columns in ``NOT_CARRIED`` are counts and dates drawn from records Annex A does not list).
The children's characteristics, contacts and referrals are also compared with the dataset
directly.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from returns_builders import LA, frame, hand_built
from test_cin_round_trip import census_datasets

from childrenmatter.config.cli import main
from childrenmatter.dataset.io import read_dataset
from childrenmatter.dataset.schema import TABLES
from childrenmatter.dataset.validate import validate_dataset
from childrenmatter.returns.annexa import ANNEX_A_TABLES, annex_a_lists, workbook_bytes
from childrenmatter.returns.annexa_read import parse_workbook, read_annex_a

AT = date(2024, 6, 1)

EVERY_LIST = ("Does the Child have a Disability", "Allocated Team", "Allocated Worker")
NOT_CARRIED: dict[str, tuple[str, ...]] = {
    "List 3": ("Number of Referrals in Last 12 Months",),
    "List 4": ("Was the child assessed as requiring LA children's social care support?",),
    "List 5": ("Number of Section 47 Enquiries in the last 12 months",
               "Number of ICPCs in the last 12 months"),
    "List 6": ("Date Child Was Last Seen", "Case Status"),
    "List 7": ("Date of the Last Statutory Visit", "Was the Child Seen Alone?",
               "Date of latest review conference",
               "Subject to Emergency Protection Order or Protected Under Police Powers in Last "
               "Six Months (Y/N)"),
    "List 8": ("Is this a second or subsequent period of being a Looked After Child within "
               "the last 12 months (Y/N)", "Date of Latest Statutory Review",
               "Date of Last Social Work Visit", "Number of Placements in the Last 12 months",
               "Number of Episodes the Child has been 'Missing' from their Placement in the "
               "last 12 months",
               "Number of Episodes the Child has been 'Absent' from their Placement in the "
               "last 12 months",
               "Was the child offered a Return Interview after their last missing episode "
               "(Y/N)?",
               "Did the child accept a Return Interview after their last missing episode "
               "(Y/N)?"),
    "List 10": ("Date the Child Entered Care", "Date of Placement Order",
                "Date the child was placed for fostering in FFA or concurrent planning "
                "placement"),
}


def carried(lists: dict[str, pl.DataFrame]) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for name, frame_ in lists.items():
        drop = set(EVERY_LIST) | set(NOT_CARRIED.get(name, ()))
        kept = frame_.select(c for c in frame_.columns if c not in drop)
        out[name] = sorted(kept.iter_rows(), key=lambda r: tuple(str(v) for v in r))
    return out


def round_trip(tables: dict[str, pl.DataFrame], at: date, tmp_path,
               la: str = LA) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    """The lists, and the dataset read back from their workbook."""
    lists = annex_a_lists(tables, at, authority=la)
    path = tmp_path / "annex-a.xlsx"
    path.write_bytes(workbook_bytes(lists))
    return lists, read_annex_a(path, la_code=la, la_name="Seatown")


def assert_round_trip(tables: dict[str, pl.DataFrame], at: date, tmp_path,
                      la: str = LA) -> dict[str, pl.DataFrame]:
    """Check the round trip; the lists written."""
    lists, read = round_trip(tables, at, tmp_path, la)
    assert not validate_dataset(read), validate_dataset(read).summary()
    again = annex_a_lists(read, at, authority=la)
    assert carried(again) == carried(lists)
    mine = {n: tables[n].filter(pl.col("la_code") == la) if n in tables else TABLES[n].empty()
            for n in ANNEX_A_TABLES}
    # The children's characteristics, straight from the dataset.
    listed = set(read["children"]["child_id"].to_list())
    columns = ["child_id", "sex", "ethnicity", "date_of_birth"]
    assert (read["children"].select(columns).sort("child_id").to_dicts()
            == mine["children"].filter(pl.col("child_id").is_in(listed))
            .select(columns).sort("child_id").to_dicts())
    # Contacts and referrals in the six months, straight from the dataset.
    since = six_months_before(at)
    expected = sorted((c["child_id"], c["contact_datetime"].date(), c["source"])
                      for c in mine["contacts"].to_dicts()
                      if since < c["contact_datetime"].date() <= at)
    got = sorted((c["child_id"], c["contact_datetime"].date(), c["source"])
                 for c in read["contacts"].to_dicts())
    assert got == expected
    expected = sorted((r["child_id"], r["referral_date"], r["referral_source"], r["referral_nfa"])
                      for r in mine["referrals"].to_dicts() if since < r["referral_date"] <= at)
    got = sorted((r["child_id"], r["referral_date"], r["referral_source"], r["referral_nfa"])
                 for r in read["referrals"].to_dicts() if r["referral_id"].startswith("A3-"))
    assert got == expected
    return lists


def six_months_before(day: date) -> date:
    month, year = day.month - 6, day.year
    if month <= 0:
        month, year = month + 12, year - 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- known answers ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lists() -> dict[str, pl.DataFrame]:
    return annex_a_lists(hand_built(), AT, authority=LA)


def test_referrals_in_the_six_months_are_listed_with_the_allocated_worker(lists):
    rows = lists["List 3"].to_dicts()
    assert len(rows) == 1
    r = rows[0]
    assert (r["Child Unique ID"], r["Date of referral"], r["Referral Source"]) == (
        "C5", date(2024, 1, 10), "6")
    assert r["Referral NFA?"] == "N"
    assert r["Number of Referrals in Last 12 Months"] == 0  # the one before was in 2022
    assert (r["Allocated Team"], r["Allocated Worker"]) == ("Children in care", "SW001")
    assert r["Age of Child (Years)"] == 12  # born 29 February 2012


def test_looked_after_children_show_their_state_on_the_day(lists):
    rows = {r["Child Unique ID"]: r for r in lists["List 8"].to_dicts()}
    # C4 and C6 left care before the six months; C1, C2, C3 and C7 were looked after in them.
    assert sorted(rows) == ["C1", "C2", "C3", "C7"]
    c1 = rows["C1"]
    assert c1["Date Started to be Looked After"] == date(2023, 1, 10)
    assert c1["Start date of current legal status"] == date(2023, 6, 1)
    assert c1["Start Date of Most Recent Placement"] == date(2023, 6, 1)
    assert (c1["Child's Legal Status"], c1["Placement Type"]) == ("C2", "U6")
    assert c1["Number of Placements in the Last 12 months"] == 1
    assert c1["Number of Episodes the Child has been 'Missing' from their Placement in the "
              "last 12 months"] == 1
    # The absence on 1 July 2024 had not happened on 1 June.
    assert c1["Number of Episodes the Child has been 'Absent' from their Placement in the "
              "last 12 months"] == 0
    assert c1["Was the child offered a Return Interview after their last missing episode "
              "(Y/N)?"] == "Y"
    assert c1["Date of Latest Statutory Review"] == date(2024, 5, 1)
    # C3's care ended in October 2024, after the day: not yet ceased.
    assert rows["C3"]["Date Ceased to be Looked After"] is None
    assert rows["C3"]["Child's Legal Status"] == "E1"
    # C7 left care in July 2023 and came back in May 2024.
    assert rows["C7"]["Is this a second or subsequent period of being a Looked After Child "
                      "within the last 12 months (Y/N)"] == "Y"
    assert rows["C2"]["Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months "
                      "(Y/N)"] == "Y"


def test_child_in_need_plans_and_adoption(lists):
    cin = {r["CIN Start Date"]: r for r in lists["List 6"].to_dicts()}
    assert sorted(cin) == [date(2023, 5, 1), date(2024, 1, 10)]  # R4 was no further action
    assert cin[date(2023, 5, 1)]["Case Status"] == "cla"
    closed = cin[date(2024, 1, 10)]
    assert (closed["CIN Closure Date"], closed["Reason for Closure"], closed["Case Status"]) == (
        date(2024, 6, 1), "RC7", "closed")
    plan = lists["List 7"].to_dicts()[0]
    assert plan["Child Protection Plan End Date"] is None  # ended in September
    assert plan["Date of latest review conference"] == date(2024, 3, 1)
    assert (plan["Initial Category of Abuse"], plan["Latest Category of Abuse"]) == ("NEG", "EMO")
    adoption = lists["List 10"].to_dicts()[0]
    assert adoption["Date the Child Entered Care"] == date(2023, 5, 5)
    assert adoption["Date of Placement Order"] == date(2023, 12, 1)
    assert adoption["Date of Adoption Order"] is None
    leaver = lists["List 9"].to_dicts()[0]
    assert (leaver["Latest Date of Contact"], leaver["LA in Touch"],
            leaver["Suitability of Accommodation"]) == (date(2024, 5, 30), "NO", "0")


def test_the_hand_built_dataset_round_trips(tmp_path):
    assert_round_trip(hand_built(), AT, tmp_path)


def test_the_commands_write_validate_and_read_annex_a(tmp_path, capsys, small_dataset_folder):
    out = tmp_path / "annex-a.xlsx"
    assert main(["returns", "write", "annex-a", "--dataset", str(small_dataset_folder),
                 "--at", "2018-12-21", "--authority", "806", "--out", str(out)]) == 0
    assert main(["returns", "validate", "annex-a", str(out)]) == 0
    assert "no problems found" in capsys.readouterr().out
    assert main(["returns", "read", "annex-a", str(out), "--la-code", "806",
                 "--out", str(tmp_path / "back")]) == 0
    back = read_dataset(tmp_path / "back")
    assert back["authorities"]["la_code"].to_list() == ["806"]


# --- the simulated Middlesbrough ---------------------------------------------------------------

def test_the_simulated_middlesbrough_round_trips(middlesbrough, tmp_path):
    # A recent day: placement type K3 is in use, and earlier episodes predate it.
    at = date(2024, 9, 30)
    tables = read_dataset(middlesbrough, tables=ANNEX_A_TABLES)
    lists = assert_round_trip(tables, at, tmp_path, la="806")
    # A real authority's lists are not empty (the seed: 500 looked after in December 2018).
    assert all(lists[f"List {n}"].height > 50 for n in range(1, 9))
    assert parse_workbook(tmp_path / "annex-a.xlsx")[1] == []


# --- generated datasets ------------------------------------------------------------------------

@st.composite
def annex_a_datasets(draw) -> dict[str, pl.DataFrame]:
    """The census's generated records, with contacts, periods of care and care leavers."""
    tables = _consistent(draw(census_datasets()))
    children = tables["children"]["child_id"].to_list()
    rows: dict[str, list[dict[str, Any]]] = {"contacts": [], "episodes": [],
                                             "care_leaver_contacts": []}
    for n, child in enumerate(children):
        for k in range(draw(st.integers(0, 3))):
            when = datetime(2022, 4, 1) + timedelta(days=draw(st.integers(0, 1000)),
                                                    minutes=draw(st.integers(0, 1440)))
            rows["contacts"].append({
                "la_code": LA, "contact_id": f"K{n}-{k}", "child_id": child,
                "contact_datetime": when, "domestic_abuse": False,
                "source": draw(st.sampled_from(["1A", "2A", "3B", "5D", "6", "10"]))})
        if draw(st.booleans()):
            start = date(2022, 4, 1) + timedelta(days=draw(st.integers(0, 900)))
            steps = draw(st.lists(st.tuples(st.integers(1, 200), st.sampled_from("LPTUB")),
                                  max_size=3))
            days = [start]
            for gap, _ in steps:
                days.append(days[-1] + timedelta(days=gap))
            ended = draw(st.none() | st.integers(1, 300))
            for i, day in enumerate(days):
                last = i == len(days) - 1
                # K3 (supported accommodation) is a code from 2024-25 on.
                place = draw(st.sampled_from(["U1", "U6", "K2", "A5", "K3"]))
                if place == "K3" and day < date(2024, 4, 1):
                    place = "K2"
                rows["episodes"].append({
                    "la_code": LA, "child_id": child, "period_of_care_id": f"P{n}",
                    "decom": day, "rne": "S" if i == 0 else steps[i - 1][1],
                    "ls": draw(st.sampled_from(["C1", "C2", "V2", "E1", "L2"])), "cin": "N1",
                    "place": place,
                    "place_provider": draw(st.sampled_from(["PR1", "PR4"])),
                    "pl_post": "TS1 2", "pl_la": LA, "pl_location": "IN",
                    "dec": (days[i + 1] if not last else
                            None if ended is None else day + timedelta(days=ended)),
                    "rec": "X1" if not last else None if ended is None else "E4A"})
        if draw(st.booleans()):
            rows["care_leaver_contacts"].append({
                "la_code": LA, "child_id": child,
                "contact_date": date(2023, 1, 1) + timedelta(days=draw(st.integers(0, 600))),
                "in_touch": draw(st.sampled_from(["YES", "NO", "DIED"])),
                "activity": draw(st.sampled_from(["F1", "G6", "0"])),
                "accommodation": draw(st.sampled_from(["B1", "U2", "0"]))})
    tables.update({name: frame(name, r) for name, r in rows.items()})
    return tables


def _consistent(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The census's records with no assessment, enquiry or plan after a referral that was
    no further action, and each referral open until its last record ends.

    Annex A does not say which referral a record belongs to; the reader gives it the
    child's latest referral (or a stand-in), which is only the same for records like these.
    """
    dependants = ("assessments", "strategy_discussions", "section_47_enquiries", "cp_plans",
                  "cin_plans")
    nfa = tables["referrals"].filter(pl.col("referral_nfa"))["referral_id"].to_list()
    for name in dependants:
        tables[name] = tables[name].filter(~pl.col("referral_id").is_in(nfa))
    plans = tables["cp_plans"]["cp_plan_id"].to_list()
    tables["cp_conferences"] = tables["cp_conferences"].filter(pl.col("cp_plan_id").is_in(plans))
    latest: dict[str, date] = {}
    still_open: set[str] = set()
    for name, ending in (("assessments", "authorised_date"), ("cp_plans", "end_date"),
                         ("cin_plans", "end_date")):
        still_open |= set(tables[name].filter(pl.col(ending).is_null())["referral_id"].to_list())
    for name, columns in (("assessments", ("start_date", "authorised_date")),
                          ("strategy_discussions", ("discussion_date",)),
                          ("section_47_enquiries", ("start_date", "icpc_date")),
                          ("cp_plans", ("start_date", "end_date")),
                          ("cin_plans", ("start_date", "end_date"))):
        for row in tables[name].to_dicts():
            for column in columns:
                if row[column] is not None:
                    latest[row["referral_id"]] = max(latest.get(row["referral_id"], row[column]),
                                                     row[column])
    rows = []
    for row in tables["referrals"].to_dicts():
        last = latest.get(row["referral_id"])
        if row["referral_id"] in still_open:
            row["closure_date"] = row["closure_reason"] = None
        elif row["closure_date"] is not None and last is not None and row["closure_date"] < last:
            row["closure_date"] = last
        rows.append(row)
    tables["referrals"] = frame("referrals", rows)
    return tables


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tables=annex_a_datasets(),
       at=st.dates(min_value=date(2022, 10, 1), max_value=date(2025, 6, 30)))
def test_read_of_write_holds_for_generated_datasets(tmp_path_factory, tables, at):
    assert_round_trip(tables, at, tmp_path_factory.mktemp("annex"))
