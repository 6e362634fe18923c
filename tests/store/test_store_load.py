"""Loading a dataset: what the front door sees afterwards, and the rules a load keeps."""

from __future__ import annotations

import re
from datetime import date, datetime

import polars as pl
import pytest
from store_builders import contact_rows, with_contacts, write

from childrenmatter.accounts.models import AccessLog
from childrenmatter.casework.models import Referral
from childrenmatter.config.cli import main
from childrenmatter.frontdoor.models import Contact, ContactStatus
from childrenmatter.people.keys import name_key, postcode_key
from childrenmatter.people.models import Address, Person, Relationship
from childrenmatter.store.identities import is_test_nhs_number
from childrenmatter.store.load import load_dataset
from childrenmatter.store.models import Authority, PopulationEstimate
from testdata import HARTLEPOOL, MIDDLESBROUGH, small_dataset_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(tmp_path):
    """The small dataset with a decided sibling contact and an undecided one."""
    rows = (
        contact_rows(MIDDLESBROUGH, "K1", ["A", "B"], datetime(2018, 4, 30, 9, 15),
                     outcome="referral", decided=datetime(2018, 5, 1, 10, 0))
        + contact_rows(MIDDLESBROUGH, "K2", ["C"], datetime(2018, 12, 20, 9, 0), rag="red")
        + contact_rows(HARTLEPOOL, "K9", ["A"], datetime(2018, 12, 20, 9, 0))
    )
    return write(with_contacts(small_dataset_tables(), rows), tmp_path / "dataset")


def store_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Authority, PopulationEstimate, Person, Address, Relationship,
                          Contact, Referral)}


def test_loading_fills_the_store_with_the_authorities_children_and_contacts(dataset):
    load_dataset(dataset)

    assert Authority.objects.get(la_code=MIDDLESBROUGH).la_name == "Middlesbrough"
    population = PopulationEstimate.objects.get(la_code=MIDDLESBROUGH, year=2017)
    assert population.population_0_17 == 32_396
    assert Person.objects.filter(la_code=MIDDLESBROUGH, is_child=True).count() == 7
    contact = Contact.objects.get(la_code=MIDDLESBROUGH, reference="K1")
    assert sorted(contact.children.values_list("local_id", flat=True)) == ["A", "B"]
    assert contact.decision == "referral" and contact.status == ContactStatus.DECIDED
    assert contact.received_at == datetime.fromisoformat("2018-04-30T08:15:00+00:00")  # BST
    assert Referral.objects.get(la_code=MIDDLESBROUGH, reference="RA").assessment_due is not None


def test_every_loaded_child_has_a_synthetic_name_keys_to_find_them_and_a_test_nhs_number(dataset):
    load_dataset(dataset)

    for person in Person.objects.all():
        assert person.given_name and person.family_name
        assert person.given_key == name_key(person.given_name)
        assert person.family_key == name_key(person.family_name)
        address = person.addresses.get()
        assert person.postcode_key == postcode_key(address.postcode)
        assert is_test_nhs_number(person.nhs_number), person.nhs_number
    people = Person.objects.filter(la_code=MIDDLESBROUGH)
    numbers = list(people.values_list("nhs_number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_children_named_together_on_a_contact_are_siblings_in_one_household_with_parents(dataset):
    load_dataset(dataset)
    a = Person.objects.get(la_code=MIDDLESBROUGH, local_id="A")
    b = Person.objects.get(la_code=MIDDLESBROUGH, local_id="B")

    assert Relationship.objects.filter(person=a, other=b, kind="sibling").exists()
    assert Relationship.objects.filter(person=b, other=a, kind="sibling").exists()
    assert a.family_name == b.family_name
    assert str(a.addresses.get()) == str(b.addresses.get())
    parents = Person.objects.filter(relationships__other=a, relationships__kind="parent")
    assert parents.exists() and not parents.filter(is_child=True).exists()
    assert all(p.date_of_birth < a.date_of_birth for p in parents)
    c = Person.objects.get(la_code=MIDDLESBROUGH, local_id="C")
    assert not Relationship.objects.filter(person=a, other=c).exists()


def test_reloading_the_same_dataset_gives_the_same_names(dataset):
    load_dataset(dataset)
    before = set(Person.objects.values_list("la_code", "local_id", "given_name", "family_name",
                                            "nhs_number"))

    load_dataset(dataset, replace=True)

    after = set(Person.objects.values_list("la_code", "local_id", "given_name", "family_name",
                                           "nhs_number"))
    assert after == before


def test_a_second_load_of_an_authority_is_refused_without_replace(dataset, capsys):
    assert main(["load", "--dataset", str(dataset)]) == 0
    before = store_counts()

    assert main(["load", "--dataset", str(dataset), "--authority", HARTLEPOOL]) == 2

    assert "already holds authority 805" in capsys.readouterr().err
    assert store_counts() == before


def test_replace_gives_the_authority_the_datasets_records_and_nothing_more(dataset, tmp_path):
    load_dataset(dataset)
    tables = small_dataset_tables()
    tables["children"] = tables["children"].filter(
        (pl.col("la_code") != MIDDLESBROUGH) | pl.col("child_id").is_in(["A", "B", "C"]))
    tables["referrals"] = tables["referrals"].filter(pl.col("child_id").is_in(["A", "C"]))
    for name in ("cp_plans", "episodes"):
        tables[name] = tables[name].filter(pl.col("child_id").is_in(["A"]))
    smaller = write(tables, tmp_path / "smaller")

    load_dataset(smaller, authorities=[MIDDLESBROUGH], replace=True)

    children = Person.objects.filter(la_code=MIDDLESBROUGH, is_child=True)
    assert sorted(children.values_list("local_id", flat=True)) == ["A", "B", "C"]
    assert not Contact.objects.filter(la_code=MIDDLESBROUGH).exists()
    assert Contact.objects.filter(la_code=HARTLEPOOL).count() == 1  # the other left alone


def test_replace_with_skip_unchanged_leaves_an_authority_loaded_from_the_same_files(dataset):
    load_dataset(dataset)
    first = set(Person.objects.values_list("pk", flat=True))

    reports = load_dataset(dataset, replace=True, skip_unchanged=True)

    assert all(report.skipped for report in reports)
    assert set(Person.objects.values_list("pk", flat=True)) == first


def test_an_authority_whose_records_were_read_is_not_replaced_as_the_log_is_never_deleted(
        dataset):
    load_dataset(dataset)
    child = Person.objects.get(la_code=MIDDLESBROUGH, local_id="A")
    AccessLog.objects.create(la_code=MIDDLESBROUGH, person=child, what="person page",
                             allowed=True)

    with pytest.raises(Exception, match="access log records 1 reads"):
        load_dataset(dataset, authorities=[MIDDLESBROUGH], replace=True)

    assert Person.objects.filter(pk=child.pk).exists()


def test_a_second_make_demo_after_someone_read_a_record_leaves_the_store_as_it_is(dataset):
    load_dataset(dataset)
    child = Person.objects.get(la_code=MIDDLESBROUGH, local_id="A")
    AccessLog.objects.create(la_code=MIDDLESBROUGH, person=child, what="person page",
                             allowed=True)

    reports = load_dataset(dataset, replace=True, skip_unchanged=True)

    assert [report.skipped for report in reports] == [True, True]
    assert Person.objects.filter(pk=child.pk).exists()


def test_a_bad_dataset_loads_nothing_and_says_what_is_wrong(tmp_path, capsys):
    tables = small_dataset_tables()
    tables["children"] = tables["children"].with_columns(
        pl.when(pl.col("child_id") == "G").then(pl.lit("X")).otherwise(pl.col("sex"))
        .alias("sex"))
    bad = write(tables, tmp_path / "bad")

    assert main(["load", "--dataset", str(bad)]) == 2

    assert "sex" in capsys.readouterr().err
    assert set(store_counts().values()) == {0}


def test_a_contact_naming_a_child_not_in_the_dataset_loads_nothing(tmp_path):
    rows = contact_rows(MIDDLESBROUGH, "K1", ["NOBODY"], datetime(2018, 4, 30, 9, 15))
    bad = write(with_contacts(small_dataset_tables(), rows), tmp_path / "bad")

    with pytest.raises(Exception, match="child_id"):
        load_dataset(bad)

    assert set(store_counts().values()) == {0}


def test_an_unknown_authority_is_refused_before_anything_is_loaded(dataset, capsys):
    assert main(["load", "--dataset", str(dataset), "--authority", "999"]) == 2

    assert "999: not in the dataset" in capsys.readouterr().err
    assert set(store_counts().values()) == {0}


def test_two_authorities_in_one_store_stay_apart(dataset, tmp_path):
    load_dataset(dataset)

    m_child = Person.objects.get(la_code=MIDDLESBROUGH, local_id="A")
    h_child = Person.objects.get(la_code=HARTLEPOOL, local_id="A")
    assert m_child.pk != h_child.pk
    assert not Relationship.objects.filter(person__la_code=MIDDLESBROUGH,
                                           other__la_code=HARTLEPOOL).exists()
    assert not Contact.objects.filter(la_code=HARTLEPOOL,
                                      children__la_code=MIDDLESBROUGH).exists()
    h_referral = Referral.objects.get(la_code=HARTLEPOOL, reference="RA")
    assert h_referral.person == h_child

    assert main(["extract", "--out", str(tmp_path / "h"), "--authority", HARTLEPOOL]) == 0
    h_children = pl.read_parquet(tmp_path / "h" / "children.parquet")
    assert h_children["la_code"].to_list() == [HARTLEPOOL]


def test_only_undecided_loaded_contacts_are_open_for_the_front_door(dataset):
    load_dataset(dataset)

    open_contacts = Contact.objects.open()

    assert sorted(open_contacts.values_list("la_code", "reference")) == [
        (HARTLEPOOL, "K9"), (MIDDLESBROUGH, "K2")]
    assert Contact.objects.get(la_code=MIDDLESBROUGH, reference="K2").status == "screening"


def test_loaded_contacts_show_in_the_front_door_queue_only_while_undecided(dataset, client,
                                                                          make_staff):
    load_dataset(dataset)
    client.force_login(make_staff("front_door_practitioner"))

    page = client.get("/front-door/")

    assert page.status_code == 200
    # The references as the queue shows them (link text), not anywhere in the page: a
    # random CSRF token can hold "K1" too.
    shown = set(re.findall(r">\s*(K\d+)\s*<", page.content.decode()))
    assert "K2" in shown
    assert "K1" not in shown
    assert "K9" not in shown  # Hartlepool's, which a Middlesbrough practitioner never sees


def test_extract_refuses_an_authority_the_store_does_not_hold(tmp_path, capsys):
    assert main(["extract", "--out", str(tmp_path / "out"), "--authority", "806"]) == 2

    assert "does not hold it" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_period_dates_come_back_as_dates(dataset):
    load_dataset(dataset)

    authority = Authority.objects.get(la_code=MIDDLESBROUGH)

    assert authority.period_start == date(2017, 4, 1)
    assert authority.statistical_neighbours == [HARTLEPOOL]


def test_a_contact_whose_children_disagree_about_when_it_was_received_loads_nothing(tmp_path,
                                                                                    capsys):
    rows = contact_rows(MIDDLESBROUGH, "K1", ["A"], datetime(2018, 4, 30, 9, 15))
    rows += contact_rows(MIDDLESBROUGH, "K1", ["B"], datetime(2018, 4, 30, 11, 0))
    bad = write(with_contacts(small_dataset_tables(), rows), tmp_path / "bad")

    assert main(["load", "--dataset", str(bad)]) == 2

    assert "806 K1 (contact_datetime)" in capsys.readouterr().err
    assert set(store_counts().values()) == {0}


def test_a_loaded_child_is_found_by_a_search_with_a_misspelt_name_and_their_postcode(dataset):
    from childrenmatter.people.search import find_people

    load_dataset(dataset)
    child = Person.objects.get(la_code=MIDDLESBROUGH, local_id="C")
    postcode = child.addresses.get().postcode
    misspelt = child.family_name[:-1] + ("y" if child.family_name[-1] != "y" else "i")

    found = find_people(la_codes=[MIDDLESBROUGH], given_name=child.given_name,
                        family_name=misspelt, postcode=postcode.lower(), limit=5)

    assert child in [candidate.person for candidate in found]
    assert not find_people(la_codes=[HARTLEPOOL], nhs_number=child.nhs_number)


def test_a_second_authority_loads_beside_the_first_without_touching_it(dataset):
    load_dataset(dataset, authorities=[MIDDLESBROUGH])
    before = set(Person.objects.values_list("pk", "given_name", "family_name"))

    load_dataset(dataset, authorities=[HARTLEPOOL])

    ours = Person.objects.filter(la_code=MIDDLESBROUGH)
    assert set(ours.values_list("pk", "given_name", "family_name")) == before
    assert Person.objects.filter(la_code=HARTLEPOOL, is_child=True).count() == 1


def test_a_contact_received_in_the_hour_the_clocks_skip_loads_nothing(tmp_path, capsys):
    rows = contact_rows(MIDDLESBROUGH, "K1", ["A"], datetime(2018, 3, 25, 1, 30))
    bad = write(with_contacts(small_dataset_tables(), rows), tmp_path / "bad")

    assert main(["load", "--dataset", str(bad)]) == 2

    assert "806 K1 at 2018-03-25 01:30" in capsys.readouterr().err
    assert set(store_counts().values()) == {0}


def test_the_command_takes_several_authorities_after_one_option(dataset, tmp_path, capsys):
    assert main(["load", "--dataset", str(dataset), "--authority", "806", "805"]) == 0
    assert main(["extract", "--out", str(tmp_path / "out"), "--authority", "805", "806"]) == 0

    printed = capsys.readouterr().out
    assert "806: loaded" in printed and "805: loaded" in printed
    assert "rows/s" in printed
    assert sorted(pl.read_parquet(tmp_path / "out" / "authorities.parquet")["la_code"]) == [
        "805", "806"]


def test_an_authority_code_that_is_not_three_digits_is_refused_by_the_command(dataset, capsys):
    with pytest.raises(SystemExit) as refused:
        main(["load", "--dataset", str(dataset), "--authority", "Middlesbrough"])

    assert refused.value.code == 2
    assert "an LA code is three digits" in capsys.readouterr().err
