"""Restricted records: seen only by the people named on them; every other attempt refused
and logged; every change a new version with who and why."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from childrenmatter.accounts.models import AccessLog
from childrenmatter.accounts.restrictions import (
    grant_access,
    lift_restriction,
    restrict_person,
    revoke_access,
)
from childrenmatter.people.access import RestrictedRecord, access_person, visible_people
from childrenmatter.people.models import Person, RestrictionGrant
from childrenmatter.versions import StaleVersion


def make_child(la_code: str = "806", local_id: str = "C1", **names) -> Person:
    return Person.objects.create(
        la_code=la_code, local_id=local_id,
        given_name=names.get("given_name", "Amy"), family_name=names.get("family_name", "Hart"),
    )


@pytest.fixture
def staff(make_staff):
    return {
        "manager": make_staff("team_manager"),
        "named_worker": make_staff("social_worker"),
        "other_worker": make_staff("social_worker"),
        "other_manager": make_staff("team_manager"),
        "auditor": make_staff("auditor"),
    }


@pytest.fixture
def restricted_child(staff) -> Person:
    child = make_child()
    return restrict_person(actor=staff["manager"], person=child, expected_version=1,
                           named_users=[staff["named_worker"]], reason="Niece of a worker")


def test_a_restricted_child_is_refused_to_everyone_else_in_the_same_authority(
    staff, restricted_child
):
    for name in ("other_worker", "other_manager", "auditor"):
        with pytest.raises(RestrictedRecord):
            access_person(staff[name], restricted_child.pk, what="person page")
    refused = AccessLog.objects.filter(person=restricted_child, allowed=False)
    assert sorted(row.user.username for row in refused) == sorted(
        staff[name].username for name in ("other_worker", "other_manager", "auditor")
    )
    assert {row.reason for row in refused} == {"restricted record"}


def test_the_named_people_and_the_one_who_restricted_it_may_see_it(staff, restricted_child):
    for name in ("manager", "named_worker"):
        assert access_person(staff[name], restricted_child.pk, what="person page") == (
            restricted_child
        )
    assert AccessLog.objects.filter(person=restricted_child, allowed=True).count() == 2


def test_a_restricted_child_is_left_out_of_lists_and_the_attempt_logged(staff, restricted_child):
    other = make_child(local_id="C2", given_name="Ben")
    shown = visible_people(staff["other_worker"], [restricted_child, other], what="search")
    assert shown == [other]
    assert AccessLog.objects.get(
        person=restricted_child, user=staff["other_worker"]
    ).allowed is False


def test_staff_of_another_authority_are_told_it_does_not_exist(make_staff, restricted_child):
    outsider = make_staff("team_manager", la_code="805")
    with pytest.raises(Http404):
        access_person(outsider, restricted_child.pk, what="person page")
    assert AccessLog.objects.filter(user=outsider, allowed=False).count() == 1


def test_restricting_is_a_new_version_with_who_and_why(staff, restricted_child):
    restricted_child.refresh_from_db()
    assert restricted_child.restricted and restricted_child.version == 2
    latest = restricted_child.history.order_by("-history_id").first()
    assert latest.history_user == staff["manager"]
    assert latest.history_change_reason == "Restricted: Niece of a worker"
    assert latest.prev_record.restricted is False  # the earlier version is kept


def test_saving_over_a_version_someone_else_changed_is_refused(staff, restricted_child):
    grant_access(actor=staff["manager"], person=restricted_child, expected_version=2,
                 user=staff["other_worker"], reason="Covering")
    with pytest.raises(StaleVersion, match="changed by someone else"):
        lift_restriction(actor=staff["manager"], person=restricted_child, expected_version=2,
                         reason="No longer needed")
    restricted_child.refresh_from_db()
    assert restricted_child.restricted


def test_only_a_named_manager_may_change_who_sees_it(staff, restricted_child):
    with pytest.raises(PermissionDenied):
        grant_access(actor=staff["other_manager"], person=restricted_child, expected_version=2,
                     user=staff["other_manager"], reason="I want to see it")
    with pytest.raises(PermissionDenied):
        restrict_person(actor=staff["named_worker"], person=make_child(local_id="C3"),
                        expected_version=1, named_users=[], reason="Worker cannot restrict")


def test_someone_removed_can_no_longer_see_it(staff, restricted_child):
    revoke_access(actor=staff["manager"], person=restricted_child, expected_version=2,
                  user=staff["named_worker"], reason="Moved team")
    with pytest.raises(RestrictedRecord):
        access_person(staff["named_worker"], restricted_child.pk, what="person page")


def test_lifting_the_restriction_opens_the_record_to_the_authority_again(staff, restricted_child):
    lift_restriction(actor=staff["manager"], person=restricted_child, expected_version=2,
                     reason="Worker left")
    assert access_person(staff["other_worker"], restricted_child.pk, what="person page")
    assert not RestrictionGrant.objects.filter(person=restricted_child).exists()


def test_only_people_who_may_read_records_there_can_be_named(make_staff, staff):
    outsider = make_staff("team_manager", la_code="805")
    analyst = make_staff("performance_analyst")
    for who in (outsider, analyst):
        with pytest.raises(ValidationError) as refused:
            restrict_person(actor=staff["manager"], person=make_child(local_id=f"X{who.pk}"),
                            expected_version=1, named_users=[who], reason="Test")
        assert "cannot read records in 806" in str(refused.value)


def test_a_reason_is_needed_and_kept_short_enough_for_the_history(staff):
    child = make_child()
    with pytest.raises(ValidationError, match="Enter why"):
        restrict_person(actor=staff["manager"], person=child, expected_version=1,
                        named_users=[], reason="  ")
    with pytest.raises(ValidationError, match="characters or fewer"):
        restrict_person(actor=staff["manager"], person=child, expected_version=1,
                        named_users=[], reason="x" * 120)
    child.refresh_from_db()
    assert not child.restricted and child.version == 1  # nothing half saved


# --- The page -----------------------------------------------------------------------------


def page_for(person: Person) -> str:
    return f"/people/{person.pk}/restriction/"


def test_a_manager_restricts_a_record_from_the_page(client, staff):
    child = make_child()
    client.force_login(staff["manager"])
    assert "Restrict the record" in client.get(page_for(child)).content.decode()
    page = client.post(page_for(child), {
        "action": "restrict", "restrict-version": "1", "restrict-reason": "Staff relative",
        "restrict-users": [str(staff["named_worker"].pk)],
    })
    assert page.status_code == 302
    child.refresh_from_db()
    assert child.restricted
    assert set(RestrictionGrant.objects.filter(person=child).values_list("user", flat=True)) == {
        staff["manager"].pk, staff["named_worker"].pk}
    html = client.get(page_for(child)).content.decode()
    assert staff["named_worker"].username in html and "Lift the restriction" in html


def test_the_page_says_when_someone_else_changed_the_record_first(client, staff, restricted_child):
    client.force_login(staff["manager"])
    page = client.post(page_for(restricted_child), {
        "action": "lift", "lift-version": "1", "lift-reason": "Done",
    })
    assert page.status_code == 200
    assert "changed by someone else after you opened it" in page.content.decode()


def test_a_missing_reason_is_named_on_the_page(client, staff):
    child = make_child()
    client.force_login(staff["manager"])
    html = client.post(page_for(child), {"action": "restrict", "restrict-version": "1"}
                       ).content.decode()
    assert '<a href="#restrict-reason">Enter why' in html


def test_the_page_is_refused_to_those_who_may_not_restrict_and_not_named(
    client, staff, restricted_child
):
    client.force_login(staff["named_worker"])  # named, but a worker cannot restrict
    assert client.get(page_for(restricted_child)).status_code == 404
    client.force_login(staff["other_manager"])  # may restrict, but not named
    assert client.get(page_for(restricted_child)).status_code == 403
    assert AccessLog.objects.filter(
        person=restricted_child, what="restriction", allowed=False
    ).count() == 2


def test_removing_yourself_is_refused_on_the_page_with_the_reason(client, staff, restricted_child):
    client.force_login(staff["manager"])
    html = client.post(page_for(restricted_child), {
        "action": "revoke", "revoke-version": "2", "revoke-reason": "Leaving",
        "revoke-user": str(staff["manager"].pk),
    }).content.decode()
    assert '<a href="#revoke-user">You cannot remove yourself' in html
    assert RestrictionGrant.objects.filter(person=restricted_child,
                                           user=staff["manager"]).exists()


def test_through_the_pages_a_restricted_child_is_missing_from_search_and_refused(
    client, staff
):
    from childrenmatter.people.actions import create_person

    child = create_person(actor=staff["manager"], la_code="806", given_name="Zara",
                          family_name="Quinlan", local_id="Z1")
    restrict_person(actor=staff["manager"], person=child, expected_version=child.version,
                    named_users=[staff["named_worker"]], reason="Staff relative")
    search = "/people/?given_name=Zara&family_name=Quinlan"
    client.force_login(staff["other_worker"])
    assert f'href="/people/{child.pk}/"' not in client.get(search).content.decode()
    assert client.get(f"/people/{child.pk}/").status_code == 403
    client.force_login(staff["named_worker"])
    assert f'href="/people/{child.pk}/"' in client.get(search).content.decode()
    assert client.get(f"/people/{child.pk}/").status_code == 200
    refused = AccessLog.objects.filter(person=child, user=staff["other_worker"])
    assert refused.count() == 2 and not any(row.allowed for row in refused)
