"""The people pages, as each persona sees them; every read of a record in the access log."""

from __future__ import annotations

from datetime import date

import pytest
from people_builders import person

from childrenmatter.accounts.models import AccessLog
from childrenmatter.people import actions
from childrenmatter.people.duplicates import find_possible_duplicates
from childrenmatter.people.models import Merge, Person, PossibleDuplicate, RestrictionGrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_staff):
    return make_staff("front_door_practitioner")


@pytest.fixture
def child(worker):
    return person(worker, given_name="Robert", family_name="Smith",
                  address_line_1="1 High Street", postcode="TS1 2AB")


def signed_in(client, user):
    client.force_login(user)
    return client


SEARCH = {"given_name": "Bob", "family_name": "Smyth", "dob-day": "12", "dob-month": "3",
          "dob-year": "2014"}


def test_a_search_shows_the_child_with_why_they_matched(client, worker, child):
    page = signed_in(client, worker).get("/people/", SEARCH).content.decode()
    assert "Robert Smith" in page
    assert "Known as Bob (nickname of Robert)" in page
    assert "Family name sounds like Smith" in page
    assert AccessLog.objects.filter(person=child, what="search result", allowed=True).exists()


def test_a_search_with_a_half_typed_date_says_what_is_missing(client, worker, child):
    page = signed_in(client, worker).get("/people/", {"family_name": "Smith", "dob-day": "12"})
    assert "The date of birth must include a month and year" in page.content.decode()


def test_a_hartlepool_worker_cannot_find_or_open_a_middlesbrough_child(client, make_staff,
                                                                       child):
    hartlepool = signed_in(client, make_staff("social_worker", la_code="805"))
    assert "Robert Smith" not in hartlepool.get("/people/", SEARCH).content.decode()
    assert hartlepool.get(f"/people/{child.pk}/").status_code == 404
    refused = AccessLog.objects.get(person=child, allowed=False)
    assert refused.what == "person page" and refused.user.username.endswith(".805")


def test_opening_a_person_is_logged_and_shows_their_history(client, worker, child):
    mother = person(worker, given_name="Jane", family_name="Smith", is_child=False,
                    date_of_birth=date(1990, 1, 1))
    actions.add_relationship(actor=worker, person=mother, other=child, kind="parent")
    sister = person(worker, given_name="Lily", family_name="Smith", date_of_birth=date(2016, 1, 1))
    actions.add_relationship(actor=worker, person=mother, other=sister, kind="parent")
    actions.add_flag(actor=worker, person=child, kind="interpreter", note="Polish")
    page = signed_in(client, worker).get(f"/people/{child.pk}/").content.decode()
    assert "Robert Smith" in page and "TS1 2AB" in page
    assert "Jane Smith" in page and "Parent" in page
    assert "Sibling (shares a parent)" in page and "Lily Smith" in page
    assert "Needs an interpreter: Polish" in page
    assert AccessLog.objects.filter(person=child, user=worker, what="person page",
                                    allowed=True).count() == 1


def test_a_restricted_record_is_refused_with_a_clear_page_and_logged(client, worker, child,
                                                                     make_staff):
    Person.objects.filter(pk=child.pk).update(restricted=True)
    response = signed_in(client, worker).get(f"/people/{child.pk}/")
    assert response.status_code == 403
    assert "This record is restricted" in response.content.decode()
    assert AccessLog.objects.get(person=child, allowed=False).reason == "restricted record"
    assert "Robert Smith" not in client.get("/people/", SEARCH).content.decode()


def test_someone_named_on_a_restricted_record_may_open_it(client, worker, child):
    Person.objects.filter(pk=child.pk).update(restricted=True)
    RestrictionGrant.objects.create(person=child, user=worker)
    assert signed_in(client, worker).get(f"/people/{child.pk}/").status_code == 200


def test_a_performance_analyst_cannot_search_for_children(client, make_staff, child):
    analyst = signed_in(client, make_staff("performance_analyst"))
    assert analyst.get("/people/", SEARCH).status_code == 403
    assert analyst.get(f"/people/{child.pk}/").status_code == 404


def test_someone_not_signed_in_is_sent_to_sign_in(client, child):
    response = client.get(f"/people/{child.pk}/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


NEW = {"la_code": "806", "given_name": "Bobby", "family_name": "Smith", "dob-day": "12",
       "dob-month": "3", "dob-year": "2014", "sex": "M", "action": "create"}


def test_a_new_person_with_a_strong_match_needs_the_different_person_box(client, worker, child):
    signed_in(client, worker)
    page = client.post("/people/new/", NEW).content.decode()
    assert "Robert Smith" in page  # the candidate is shown
    assert "This is a different person" in page
    assert Person.objects.count() == 1
    response = client.post("/people/new/", {**NEW, "confirm_possible_match": "on"})
    created = Person.objects.exclude(pk=child.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/people/{created.pk}/"


def test_a_new_person_without_a_match_is_created_straight_away(client, worker):
    response = signed_in(client, worker).post("/people/new/", {**NEW, "nhs_number": ""})
    assert response.status_code == 302
    assert Person.objects.get().given_name == "Bobby"


def test_a_new_person_with_a_bad_nhs_number_is_refused_naming_the_field(client, worker):
    page = signed_in(client, worker).post(
        "/people/new/", {**NEW, "nhs_number": "943 476 5918"}).content.decode()
    assert "NHS number must be 10 digits with a valid check digit" in page
    assert not Person.objects.exists()


def _edit(child, **changes):
    return {"given_name": child.given_name, "family_name": child.family_name,
            "dob-day": "12", "dob-month": "3", "dob-year": "2014", "sex": "M",
            "version": "1", "reason": "Spelling", "is_child": "on", **changes}


def test_a_correction_saves_a_new_version(client, worker, child):
    response = signed_in(client, worker).post(f"/people/{child.pk}/edit/",
                                              _edit(child, given_name="Roberto"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.given_name, child.version) == ("Roberto", 2)


def test_a_stale_correction_is_refused_and_what_was_typed_is_kept(client, worker, child,
                                                                  make_staff):
    actions.update_person(actor=make_staff("social_worker"), person=child, expected_version=1,
                          reason="Typo", family_name="Smithe")
    page = signed_in(client, worker).post(
        f"/people/{child.pk}/edit/", _edit(child, given_name="Roberto",
                                           reason="My careful reason")).content.decode()
    assert "was changed by someone else after you opened it" in page
    assert 'value="Roberto"' in page and "My careful reason" in page
    assert "What the record says now" in page and "Robert Smithe" in page
    child.refresh_from_db()
    assert (child.given_name, child.family_name) == ("Robert", "Smithe")
    # Saving again after checking is a deliberate change over theirs, and goes through.
    assert 'name="version" value="2"' in page
    again = client.post(f"/people/{child.pk}/edit/",
                        _edit(child, given_name="Roberto", family_name="Smithe", version="2"))
    assert again.status_code == 302
    child.refresh_from_db()
    assert (child.given_name, child.family_name, child.version) == ("Roberto", "Smithe", 3)


def test_a_manager_merges_a_pair_from_the_duplicate_list_and_undoes_it(client, make_staff):
    manager = make_staff("team_manager")
    a = person(manager, given_name="Robert", family_name="Smith")
    b = person(manager, given_name="Bob", family_name="Smith")
    find_possible_duplicates(la_code="806")
    signed_in(client, manager)
    listing = client.get("/people/duplicates/").content.decode()
    assert "Robert Smith and Bob Smith" in listing
    pair_url = f"/people/duplicates/{PossibleDuplicate.objects.get().pk}/"
    refused = client.post(pair_url, {"action": "merge", "keep": "a"}).content.decode()
    assert "Enter the reason for the merge" in refused
    assert client.post(pair_url, {"action": "merge", "keep": "a", "reason": "Same child"}
                       ).status_code == 302
    assert Person.objects.get(pk=b.pk).merged_into_id == a.pk
    merge = Merge.objects.get()
    assert "Bob Smith" in client.get("/people/merges/").content.decode()
    assert client.post(f"/people/merges/{merge.pk}/undo/", {"reason": "Twins"}).status_code == 302
    assert Person.objects.get(pk=b.pk).merged_into_id is None


def test_a_practitioner_cannot_see_the_duplicate_list(client, worker):
    assert signed_in(client, worker).get("/people/duplicates/").status_code == 403


def test_a_previous_name_added_on_the_page_is_found_by_search(client, worker, child):
    signed_in(client, worker)
    response = client.post(f"/people/{child.pk}/add/name/",
                           {"kind": "previous", "family_name": "Walsh"})
    assert response.status_code == 302
    page = client.get("/people/", {"given_name": "Robert", "family_name": "Walsh"}).content
    assert "Previous name: Walsh" in page.decode()


def test_moving_house_on_the_page_keeps_the_old_address_in_the_history(client, worker, child):
    signed_in(client, worker)
    refused = client.post(f"/people/{child.pk}/add/address/",
                          {"line_1": "2 Low Road", "postcode": "nonsense"}).content.decode()
    assert "Enter a real postcode, like TS1 2AB" in refused
    client.post(f"/people/{child.pk}/add/address/", {
        "line_1": "2 Low Road", "postcode": "TS5 6CD", "start-day": "6", "start-month": "1",
        "start-year": "2025"})
    page = client.get(f"/people/{child.pk}/").content.decode()
    assert "1 High Street, TS1 2AB" in page and "2 Low Road, TS5 6CD" in page
    assert "6 January 2025" in page


def test_an_other_flag_needs_a_note(client, worker, child):
    page = signed_in(client, worker).post(f"/people/{child.pk}/add/flag/",
                                          {"kind": "other"}).content.decode()
    assert "Say what the flag is about" in page


def test_an_auditor_may_read_a_record_but_not_add_to_it(client, make_staff, child):
    auditor = signed_in(client, make_staff("auditor"))
    assert auditor.get(f"/people/{child.pk}/").status_code == 200
    assert auditor.get(f"/people/{child.pk}/add/flag/").status_code == 404
    assert auditor.get(f"/people/{child.pk}/edit/").status_code == 404
