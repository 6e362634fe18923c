"""Extracting what was loaded gives back the same tables: the store keeps the dataset whole."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_builders import (
    STORED,
    assert_same_tables,
    contact_rows,
    early_help,
    with_contacts,
    write,
)

from childrenmatter.dataset.codes import codes_for, collection_year
from childrenmatter.dataset.io import conform, read_dataset
from childrenmatter.dataset.schema import TABLES
from childrenmatter.store.extract import extract_dataset, extract_tables
from childrenmatter.store.load import delete_authority, load_dataset
from testdata import HARTLEPOOL, MIDDLESBROUGH, small_dataset_tables

pytestmark = pytest.mark.django_db


def small_with_contacts() -> dict[str, pl.DataFrame]:
    """The small dataset with a sibling group, a domestic abuse notification, an undecided
    contact, one around the autumn clock change, and the early help one led to."""
    m = MIDDLESBROUGH
    rows = (
        contact_rows(m, "K1", ["A", "B"], datetime(2018, 4, 30, 9, 15), outcome="referral",
                     decided=datetime(2018, 5, 1, 10, 0), rag="amber")
        + contact_rows(m, "K2", ["C"], datetime(2018, 8, 31, 23, 59, 59, 123456), source="6",
                       domestic_abuse=True, rag="red", outcome="strategy_discussion",
                       decided=datetime(2018, 9, 1, 1, 0))
        + contact_rows(m, "K3", ["D"], datetime(2018, 10, 28, 1, 30), rag=None)
        + contact_rows(m, "K4", ["E"], datetime(2018, 3, 1, 12, 0), outcome="early_help",
                       decided=datetime(2018, 3, 2, 12, 0))
        + contact_rows(HARTLEPOOL, "K1", ["A"], datetime(2017, 12, 29, 16, 0),
                       outcome="nfa", decided=datetime(2017, 12, 29, 17, 0), source="1A")
    )
    tables = with_contacts(small_dataset_tables(), rows)
    # Disabilities: some, none, and not recorded (null) are three different things.
    tables["children"] = tables["children"].with_columns(
        pl.when(pl.col("child_id") == "B").then(pl.lit(["LD", "HAND"]))
        .when(pl.col("child_id") == "G").then(pl.lit(None))
        .otherwise(pl.col("disabilities")).alias("disabilities"))
    tables["early_help_episodes"] = pl.DataFrame(
        [early_help(m, "E1", "E", date(2018, 3, 5), "K4"),
         early_help(m, "E2", "F", date(2017, 6, 1))],
        schema=TABLES["early_help_episodes"].polars_schema,
    )
    return tables


def test_extracting_the_loaded_small_dataset_gives_back_the_same_tables(tmp_path):
    original = small_dataset_tables()
    load_dataset(write(original, tmp_path / "in"))

    extract_dataset(tmp_path / "out")

    assert_same_tables(read_dataset(tmp_path / "out"), read_dataset(tmp_path / "in"))


def test_contacts_siblings_and_early_help_come_back_as_they_went_in(tmp_path):
    original = small_with_contacts()
    load_dataset(write(original, tmp_path / "in"))

    extracted = extract_tables()

    assert_same_tables(extracted, original)
    siblings = extracted["contacts"].filter(pl.col("la_code") == MIDDLESBROUGH,
                                            pl.col("contact_id") == "K1")
    assert siblings["child_id"].to_list() == ["A", "B"]


def test_the_tables_the_store_does_not_hold_yet_are_written_empty_with_their_columns(tmp_path):
    load_dataset(write(small_dataset_tables(), tmp_path / "in"))

    written = read_dataset(extract_dataset(tmp_path / "out") and tmp_path / "out")

    assert set(written) == set(TABLES)
    for name in set(TABLES) - set(STORED):
        assert written[name].height == 0, name
        assert written[name].schema == TABLES[name].empty().schema, name


def test_one_authority_can_be_extracted_on_its_own(tmp_path):
    load_dataset(write(small_with_contacts(), tmp_path / "in"))

    extracted = extract_tables([HARTLEPOOL])

    for name in STORED:
        assert set(extracted[name]["la_code"].to_list()) <= {HARTLEPOOL}, name
    assert extracted["children"]["child_id"].to_list() == ["A"]
    assert extracted["contacts"]["contact_id"].to_list() == ["K1"]


# --- Hypothesis: any valid contacts survive the round trip ---------------------------------

LONDON = ZoneInfo("Europe/London")
CHILDREN = list("ABCDEFG")
OUTCOMES = sorted(codes_for("contact_outcome"))


def _exists_in_london(moment: datetime) -> bool:
    # The hour skipped when the clocks go forward never happened: no contact is received then.
    utc = moment.replace(tzinfo=LONDON).astimezone(ZoneInfo("UTC"))
    return utc.astimezone(LONDON).replace(tzinfo=None) == moment


moments = st.datetimes(min_value=datetime(2016, 4, 1), max_value=datetime(2018, 12, 20)
                       ).filter(_exists_in_london)


@st.composite
def a_contact(draw, number: int) -> list[dict]:
    received = draw(moments)
    children = draw(st.lists(st.sampled_from(CHILDREN), min_size=1, max_size=3, unique=True))
    year = collection_year(received.date())
    source = draw(st.sampled_from(sorted(codes_for("referral_source", year))))
    decided = draw(st.one_of(st.none(), st.timedeltas(timedelta(0), timedelta(days=10))))
    decided_at = None if decided is None else received + decided
    if decided_at is not None and not _exists_in_london(decided_at):
        decided_at = None
    return contact_rows(
        MIDDLESBROUGH, f"K{number:05d}", children, received,
        source=source,
        domestic_abuse=draw(st.booleans()),
        rag=draw(st.one_of(st.none(), st.sampled_from(["red", "amber", "green"]))),
        decided=decided_at,
        outcome=None if decided_at is None else draw(st.sampled_from(OUTCOMES)),
    )


@st.composite
def contacts(draw) -> list[dict]:
    count = draw(st.integers(min_value=0, max_value=8))
    return [row for number in range(count) for row in draw(a_contact(number))]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=contacts())
def test_any_valid_contacts_come_back_from_the_store_unchanged(tmp_path_factory, rows):
    original = with_contacts(small_dataset_tables(), rows)
    folder = write(original, tmp_path_factory.mktemp("in") / "dataset")
    for code in (MIDDLESBROUGH, HARTLEPOOL):
        delete_authority(code)  # each example starts from an empty store

    load_dataset(folder)

    assert_same_tables(extract_tables(), read_dataset(folder))


# --- A whole simulated authority -----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_a_loaded_simulated_middlesbrough_extracts_to_the_same_tables(middlesbrough, tmp_path):
    load_dataset(middlesbrough)

    extract_dataset(tmp_path / "out")

    assert_same_tables(read_dataset(tmp_path / "out", STORED), read_dataset(middlesbrough, STORED))


def test_a_child_merged_into_another_record_is_extracted_as_that_record(tmp_path, make_staff):
    from childrenmatter.people.actions import merge_people
    from childrenmatter.people.models import Person

    load_dataset(write(small_with_contacts(), tmp_path / "in"))
    kept, merged = (Person.objects.get(la_code=MIDDLESBROUGH, local_id=c) for c in "DE")
    merge_people(actor=make_staff("team_manager"), kept=kept, merged=merged, reason="Same child")

    extracted = extract_dataset(tmp_path / "out")

    ours = {name: frame.filter(pl.col("la_code") == MIDDLESBROUGH)
            for name, frame in extracted.items()}
    assert "E" not in ours["children"]["child_id"].to_list()
    k4 = ours["contacts"].filter(pl.col("contact_id") == "K4")
    assert k4["child_id"].to_list() == ["D"]
    assert ours["referrals"].filter(pl.col("referral_id") == "RE")["child_id"].to_list() == ["D"]


dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2018, 12, 20))


@st.composite
def a_child(draw, number: int) -> dict:
    born = draw(st.one_of(st.none(), dates))
    after_birth = dates if born is None else st.dates(min_value=born, max_value=date(2018, 12, 31))
    return {
        "la_code": MIDDLESBROUGH,
        "child_id": f"H{number:04d}",
        "upn": draw(st.one_of(st.none(), st.from_regex(r"[A-Z][0-9]{12}", fullmatch=True))),
        "sex": draw(st.sampled_from(sorted(codes_for("sex")))),
        "date_of_birth": born,
        "expected_date_of_birth": draw(st.one_of(st.none(), dates)) if born is None else None,
        "ethnicity": draw(st.sampled_from(sorted(codes_for("ethnicity")))),
        "disabilities": draw(st.one_of(
            st.none(), st.lists(st.sampled_from(sorted(codes_for("disability"))), unique=True,
                                max_size=3))),
        "uasc": draw(st.booleans()),
        "uasc_ceased_date": draw(st.one_of(st.none(), after_birth)),
        "date_of_death": draw(st.one_of(st.none(), after_birth)),
        "mother": draw(st.one_of(st.none(), st.booleans())),
        "mother_child_dob": draw(st.one_of(st.none(), after_birth)),
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(children=st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(*(a_child(i) for i in range(n)))))
def test_any_valid_children_come_back_from_the_store_unchanged(tmp_path_factory, children):
    original = small_dataset_tables()
    original["children"] = pl.concat([
        conform("children", original["children"]),
        pl.DataFrame(list(children), schema=TABLES["children"].polars_schema),
    ])
    folder = write(original, tmp_path_factory.mktemp("in") / "dataset")
    for code in (MIDDLESBROUGH, HARTLEPOOL):
        delete_authority(code)

    load_dataset(folder)

    assert_same_tables(extract_tables(), read_dataset(folder))


# --- The child protection and child in need journey ----------------------------------------


def small_with_journey() -> dict[str, pl.DataFrame]:
    """The small dataset with C's journey from referral to plan, D's ended plan, a CIN plan
    for E with visits, and an assessment not yet authorised (no factors: null)."""
    m = MIDDLESBROUGH
    tables = small_dataset_tables()

    def frame(name, rows):
        return pl.DataFrame(rows, schema=TABLES[name].polars_schema)

    tables["assessments"] = frame("assessments", [
        {"la_code": m, "assessment_id": "A1", "referral_id": "RC", "child_id": "C",
         "start_date": date(2018, 9, 3), "authorised_date": date(2018, 11, 20),
         "factors": ["3B", "16A"], "outcome": "strategy_discussion", "worker_id": "W7"},
        {"la_code": m, "assessment_id": "A2", "referral_id": "RE", "child_id": "E",
         "start_date": date(2018, 11, 2), "authorised_date": None, "factors": None,
         "outcome": None, "worker_id": None},
        {"la_code": m, "assessment_id": "A3", "referral_id": "RD", "child_id": "D",
         "start_date": date(2018, 1, 16), "authorised_date": date(2018, 1, 30),
         "factors": ["21"], "outcome": "cin_plan", "worker_id": None},
    ])
    tables["strategy_discussions"] = frame("strategy_discussions", [
        {"la_code": m, "strategy_discussion_id": "D1", "referral_id": "RC", "child_id": "C",
         "discussion_date": date(2018, 9, 10), "section_47": True},
        {"la_code": m, "strategy_discussion_id": "D2", "referral_id": "RE", "child_id": "E",
         "discussion_date": date(2018, 11, 5), "section_47": False},
    ])
    tables["section_47_enquiries"] = frame("section_47_enquiries", [
        {"la_code": m, "s47_id": "S1", "referral_id": "RC", "strategy_discussion_id": "D1",
         "child_id": "C", "start_date": date(2018, 9, 10), "end_date": date(2018, 9, 28),
         "icpc_required": True, "icpc_date": date(2018, 10, 1)},
    ])
    tables["cp_conferences"] = frame("cp_conferences", [
        {"la_code": m, "conference_id": "F1", "child_id": "C", "conference_type": "initial",
         "conference_date": date(2018, 10, 1), "s47_id": "S1", "cp_plan_id": "PC"},
        {"la_code": m, "conference_id": "F2", "child_id": "D", "conference_type": "review",
         "conference_date": date(2018, 5, 1), "s47_id": None, "cp_plan_id": "PD"},
        {"la_code": m, "conference_id": "F3", "child_id": "D", "conference_type": "initial",
         "conference_date": date(2018, 2, 1), "s47_id": None, "cp_plan_id": None},
    ])
    tables["cin_plans"] = frame("cin_plans", [
        {"la_code": m, "cin_plan_id": "N1", "referral_id": "RE", "child_id": "E",
         "start_date": date(2018, 11, 20), "end_date": None},
        {"la_code": m, "cin_plan_id": "N2", "referral_id": "RF", "child_id": "F",
         "start_date": date(2018, 3, 20), "end_date": date(2018, 6, 1)},
    ])
    tables["visits"] = frame("visits", [
        {"la_code": m, "visit_id": "V1", "child_id": "E", "visit_date": date(2018, 12, 3),
         "visit_type": "cin", "seen": True, "seen_alone": True, "worker_id": "W7"},
        {"la_code": m, "visit_id": "V2", "child_id": "C", "visit_date": date(2018, 10, 8),
         "visit_type": "cp", "seen": False, "seen_alone": False, "worker_id": None},
        {"la_code": HARTLEPOOL, "visit_id": "V1", "child_id": "A",
         "visit_date": date(2018, 2, 1), "visit_type": "cla", "seen": True,
         "seen_alone": False, "worker_id": None},
    ])
    return tables


def test_the_journeys_tables_come_back_as_they_went_in(tmp_path):
    original = small_with_journey()
    load_dataset(write(original, tmp_path / "in"))

    extracted = extract_dataset(tmp_path / "out")

    assert_same_tables(extracted, original)
    assessments = extracted["assessments"].sort("assessment_id")
    assert assessments["factors"].to_list() == [["3B", "16A"], None, ["21"]]


def test_a_conference_naming_a_plan_the_dataset_does_not_hold_loads_nothing(tmp_path, capsys):
    from childrenmatter.casework.models import Referral
    from childrenmatter.config.cli import main

    tables = small_with_journey()
    tables["cp_conferences"] = tables["cp_conferences"].with_columns(
        pl.when(pl.col("conference_id") == "F2").then(pl.lit("P-NONE"))
        .otherwise(pl.col("cp_plan_id")).alias("cp_plan_id"))

    assert main(["load", "--dataset", str(write(tables, tmp_path / "in"))]) != 0

    assert "cp_plan_id 'P-NONE' is not a cp_plan_id of cp_plans" in capsys.readouterr().err
    assert not Referral.objects.exists()
