"""Changing people: versions with who and why, stale edits refused, merges undone exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from people_builders import person

from childrenmatter.casework.models import EarlyHelpEpisode, Referral
from childrenmatter.frontdoor.models import Contact, ContactChild
from childrenmatter.people import actions
from childrenmatter.people.duplicates import find_possible_duplicates
from childrenmatter.people.models import (
    Address,
    DuplicateStatus,
    Flag,
    Person,
    PersonName,
    PossibleDuplicate,
    Relationship,
)
from childrenmatter.versions import StaleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_staff):
    return make_staff("front_door_practitioner")


@pytest.fixture
def manager(make_staff):
    return make_staff("team_manager")


def test_creating_a_person_fills_the_search_keys_and_keeps_who_made_it(worker):
    child = person(worker, given_name="Kathryn", family_name="O'Brien",
                   address_line_1="1 High Street", postcode="ts1 2ab")
    assert (child.given_key, child.family_key, child.postcode_key) == ("K0RN", "OBRN", "TS12AB")
    assert child.history.get().history_user == worker
    assert Address.objects.get(person=child).postcode == "TS1 2AB"


def test_a_mistyped_nhs_number_is_refused_naming_the_field_and_rule(worker):
    with pytest.raises(ValidationError) as refused:
        person(worker, nhs_number="943 476 5918")
    assert "modulus 11" in refused.value.message_dict["nhs_number"][0]
    assert not Person.objects.exists()


def test_creating_someone_with_a_strong_match_needs_confirmation(worker):
    first = person(worker, given_name="Robert", family_name="Smith")
    with pytest.raises(ValidationError) as refused:
        person(worker, given_name="Bob", family_name="Smyth", confirm_possible_match=False)
    assert "confirm this is a different person" in refused.value.message_dict[
        "confirm_possible_match"][0]
    assert list(Person.objects.all()) == [first]
    second = person(worker, given_name="Bob", family_name="Smyth", confirm_possible_match=True)
    assert Person.objects.count() == 2 and second.pk != first.pk


def test_someone_without_edit_permission_cannot_create_a_person(make_staff):
    analyst = make_staff("performance_analyst")
    with pytest.raises(PermissionDenied):
        person(analyst)


def test_a_hartlepool_worker_cannot_create_a_middlesbrough_person(make_staff):
    with pytest.raises(PermissionDenied):
        person(make_staff("social_worker", la_code="805"), la_code="806")


def test_a_correction_is_a_new_version_with_who_and_why(worker):
    child = person(worker, given_name="Jon")
    updated = actions.update_person(actor=worker, person=child, expected_version=1,
                                    reason="Spelling from birth certificate", given_name="John")
    assert (updated.version, updated.given_name, updated.given_key) == (2, "John", "JN")
    latest, earlier = updated.history.order_by("-history_date")[:2]
    assert (latest.history_change_reason, latest.history_user) == (
        "Spelling from birth certificate", worker)
    assert earlier.given_name == "Jon"


def test_a_correction_over_someone_elses_is_refused_and_changes_nothing(worker, make_staff):
    other = make_staff("social_worker")
    child = person(worker, given_name="Jon")
    actions.update_person(actor=other, person=child, expected_version=1, reason="Typo",
                          given_name="John")
    with pytest.raises(StaleVersion) as stale:
        actions.update_person(actor=worker, person=child, expected_version=1, reason="Typo",
                              given_name="Jonny")
    assert "you had version 1, it is now version 2" in str(stale.value)
    assert Person.objects.get(pk=child.pk).given_name == "John"


def test_a_correction_needs_a_reason(worker):
    child = person(worker)
    with pytest.raises(ValidationError) as refused:
        actions.update_person(actor=worker, person=child, expected_version=1, reason=" ",
                              given_name="Rob")
    assert "reason" in refused.value.message_dict


def test_moving_house_ends_the_old_address_and_the_postcode_key_follows(worker):
    child = person(worker, address_line_1="1 High Street", postcode="TS1 2AB")
    actions.add_address(actor=worker, person=child, line_1="2 Low Road", postcode="TS5 6CD",
                        start_date=date(2025, 1, 6))
    old, new = Address.objects.filter(person=child).order_by("id")
    assert old.end_date == date(2025, 1, 6) and new.end_date is None
    assert Person.objects.get(pk=child.pk).postcode_key == "TS56CD"


def test_a_relationship_to_oneself_is_refused(worker):
    child = person(worker)
    with pytest.raises(ValidationError):
        actions.add_relationship(actor=worker, person=child, other=child, kind="sibling")


def _snapshot(*people):
    """Everything a merge could touch, as plain values."""
    state = {}
    for p in people:
        fresh = Person.objects.get(pk=p.pk)
        state[p.pk] = {
            "fields": {f: getattr(fresh, f) for f in (
                "given_name", "family_name", "date_of_birth", "nhs_number", "upn", "ethnicity",
                "restricted", "merged_into_id", "postcode_key")},
            "names": sorted(PersonName.objects.filter(person=p).values_list("id", flat=True)),
            "addresses": sorted(Address.objects.filter(person=p).values_list("id", flat=True)),
            "flags": sorted(Flag.objects.filter(person=p).values_list("id", flat=True)),
            "relationships": sorted(Relationship.objects.filter(person=p).values_list(
                "id", flat=True)),
            "relationships_to": sorted(Relationship.objects.filter(other=p).values_list(
                "id", flat=True)),
            "contacts": sorted(ContactChild.objects.filter(person=p).values_list(
                "id", flat=True)),
            "referrals": sorted(Referral.objects.filter(person=p).values_list("id", flat=True)),
            "early_help": sorted(EarlyHelpEpisode.objects.filter(person=p).values_list(
                "id", flat=True)),
        }
    return state


@pytest.fixture
def two_records_of_one_child(manager):
    kept = person(manager, given_name="Robert", family_name="Smith", date_of_birth=None,
                  address_line_1="1 High Street", postcode="TS1 2AB")
    merged = person(manager, given_name="Bobby", family_name="Smith", nhs_number="9434765919",
                    address_line_1="9 Other Road", postcode="TS9 9ZZ")
    mother = person(manager, given_name="Jane", family_name="Smith", is_child=False,
                    date_of_birth=date(1990, 1, 1))
    actions.add_relationship(actor=manager, person=mother, other=merged, kind="parent")
    actions.add_flag(actor=manager, person=merged, kind="interpreter", note="Polish")
    actions.add_other_name(actor=manager, person=merged, given_name="Bob", kind="nickname")
    contact = Contact.objects.create(
        la_code="806", reference="C1", received_at=datetime(2025, 1, 6, 9, tzinfo=UTC),
        source="1A", summary="A school's concern")
    ContactChild.objects.create(contact=contact, person=merged, reported_given_name="Bobby")
    Referral.objects.create(la_code="806", reference="R1", person=merged,
                            referral_date=date(2025, 1, 7), referral_source="1A")
    EarlyHelpEpisode.objects.create(la_code="806", reference="E1", person=merged,
                                    start_date=date(2024, 6, 1))
    return kept, merged, mother


def test_a_merge_moves_everything_to_the_kept_record(manager, two_records_of_one_child):
    kept, merged, mother = two_records_of_one_child
    merge = actions.merge_people(actor=manager, kept=kept, merged=merged, reason="Same child")
    assert Person.objects.get(pk=merged.pk).merged_into_id == kept.pk
    assert Referral.objects.get().person_id == kept.pk
    assert EarlyHelpEpisode.objects.get().person_id == kept.pk
    assert ContactChild.objects.get().person_id == kept.pk
    assert Relationship.objects.get().other_id == kept.pk
    assert Flag.objects.get().person_id == kept.pk
    kept_now = Person.objects.get(pk=kept.pk)
    assert kept_now.nhs_number == "9434765919"  # filled from the merged record
    assert kept_now.date_of_birth == date(2014, 3, 12)
    assert {str(n) for n in kept_now.other_names.all()} == {"Bob", "Bobby Smith"}
    assert merge.moved["casework.Referral"] == [Referral.objects.get().pk]


def test_undoing_a_merge_puts_everything_back_exactly(manager, two_records_of_one_child):
    kept, merged, mother = two_records_of_one_child
    before = _snapshot(kept, merged, mother)
    merge = actions.merge_people(actor=manager, kept=kept, merged=merged, reason="Same child")
    assert _snapshot(kept, merged, mother) != before
    actions.undo_merge(actor=manager, merge=merge, reason="Twins, not one child")
    assert _snapshot(kept, merged, mother) == before
    merge.refresh_from_db()
    assert merge.undone_by == manager and merge.undo_reason == "Twins, not one child"


def test_a_merge_cannot_be_undone_twice(manager, two_records_of_one_child):
    kept, merged, _ = two_records_of_one_child
    merge = actions.merge_people(actor=manager, kept=kept, merged=merged, reason="Same child")
    actions.undo_merge(actor=manager, merge=merge, reason="Mistake")
    with pytest.raises(ValidationError):
        actions.undo_merge(actor=manager, merge=merge, reason="Again")


def test_only_someone_with_merge_permission_may_merge(worker, manager, two_records_of_one_child):
    kept, merged, _ = two_records_of_one_child
    with pytest.raises(PermissionDenied):
        actions.merge_people(actor=worker, kept=kept, merged=merged, reason="Same child")
    assert Person.objects.get(pk=merged.pk).merged_into_id is None


def test_possible_duplicates_are_found_with_reasons_and_not_raised_twice(manager):
    a = person(manager, given_name="Robert", family_name="Smith")
    b = person(manager, given_name="Bob", family_name="Smith")
    person(manager, given_name="Amira", family_name="Khan", date_of_birth=date(2016, 5, 5))
    found = find_possible_duplicates(la_code="806")
    assert [(d.person_a_id, d.person_b_id) for d in found] == [(a.pk, b.pk)]
    assert "Date of birth matches" in found[0].reasons
    assert find_possible_duplicates(la_code="806") == []


def test_a_nickname_with_a_typo_on_the_same_date_of_birth_is_a_possible_duplicate(manager):
    a = person(manager, given_name="Katherine", family_name="Thompson")
    b = person(manager, given_name="Kate", family_name="Thomson")
    (pair,) = find_possible_duplicates(la_code="806")
    assert (pair.person_a_id, pair.person_b_id) == (a.pk, b.pk)
    assert "Known as Kate (nickname of Katherine)" in pair.reasons


def test_a_pair_set_aside_is_not_raised_again_and_a_merge_closes_its_pair(manager):
    a = person(manager, given_name="Robert", family_name="Smith")
    b = person(manager, given_name="Bob", family_name="Smith")
    (pair,) = find_possible_duplicates(la_code="806")
    actions.set_aside_duplicate(actor=manager, duplicate=pair)
    assert find_possible_duplicates(la_code="806") == []
    assert PossibleDuplicate.objects.get().status == DuplicateStatus.NOT_DUPLICATE
    actions.merge_people(actor=manager, kept=a, merged=b, reason="They were the same after all")
    assert PossibleDuplicate.objects.get().status == DuplicateStatus.MERGED
