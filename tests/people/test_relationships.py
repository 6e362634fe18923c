"""Recording and ending relationships from a person's page: find the other person first,
say how they are related as seen from this page, and the record reads right from both."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from people_builders import person

from childrenmatter.accounts.models import AccessLog
from childrenmatter.people import presenters
from childrenmatter.people.models import Relationship

pytestmark = pytest.mark.django_db

# (word chosen on the child's page, how the other person then reads on the child's page,
#  how the child reads on the other person's page)
READINGS = [
    ("parent", "Parent", "Child"),
    ("child", "Child", "Parent"),
    ("sibling", "Sibling", "Sibling"),
    ("carer", "Carer", "Cared for"),
    ("cared_for", "Cared for", "Carer"),
    ("household_member", "Household member", "Household member"),
]


@pytest.fixture
def worker(make_staff):
    return make_staff("front_door_practitioner")


@pytest.fixture
def child(worker):
    return person(worker, given_name="Robert", family_name="Smith")


@pytest.fixture
def mum(worker):
    return person(worker, given_name="Dawn", family_name="Smith",
                  date_of_birth=date(1988, 5, 6), is_child=False)


def _add_url(child, **search) -> str:
    query = "&".join(f"{k}={v}" for k, v in search.items())
    return f"/people/{child.pk}/relationships/add/?{query}"


def _kinds_seen(user, seen_from, other) -> list[str]:
    return [row["kind"].split(" (")[0] for row in presenters.relationships(user, seen_from)
            if row["who"]["name"] == other.full_name]


def test_the_other_person_is_found_first_and_the_results_are_logged(client, worker, child, mum):
    client.force_login(worker)
    page = client.get(_add_url(child, given_name="Dawn", family_name="Smyth")).content.decode()
    assert "Dawn Smith, born 6 May 1988" in page
    assert f'value="{child.pk}"' not in page  # not offered as related to themselves
    assert AccessLog.objects.filter(person=mum, what="search result", user=worker).exists()


@pytest.mark.parametrize(("word", "on_childs_page", "on_their_page"), READINGS)
def test_a_relationship_reads_right_from_both_pages(client, worker, child, mum, word,
                                                     on_childs_page, on_their_page):
    client.force_login(worker)
    response = client.post(_add_url(child, given_name="Dawn", family_name="Smith"),
                           {"other": mum.pk, "word": word, "start-day": "1",
                            "start-month": "9", "start-year": "2020"})
    assert response.status_code == 302 and response["Location"] == f"/people/{child.pk}/"
    assert _kinds_seen(worker, child, mum) == [on_childs_page]
    assert _kinds_seen(worker, mum, child) == [on_their_page]
    assert Relationship.objects.get().start_date == date(2020, 9, 1)


def test_a_relationship_without_a_person_or_a_word_names_what_is_missing(client, worker, child,
                                                                         mum):
    client.force_login(worker)
    response = client.post(_add_url(child, given_name="Dawn", family_name="Smith"), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the person from the search results" in page
    assert "Choose how they are related" in page
    assert not Relationship.objects.exists()


def test_the_same_relationship_twice_is_refused(client, worker, child, mum):
    client.force_login(worker)
    url = _add_url(child, given_name="Dawn", family_name="Smith")
    client.post(url, {"other": mum.pk, "word": "parent"})
    response = client.post(url, {"other": mum.pk, "word": "parent"})
    assert "That relationship is already recorded" in response.content.decode()
    assert Relationship.objects.count() == 1


def test_someone_in_another_authority_cannot_be_chosen(client, make_staff, worker, child):
    elsewhere = person(make_staff("front_door_practitioner", la_code="805"), la_code="805",
                       given_name="Dawn", family_name="Smith", is_child=False)
    client.force_login(worker)
    response = client.post(_add_url(child, given_name="Dawn", family_name="Smith"),
                           {"other": elsewhere.pk, "word": "parent"})
    assert "Choose the person from the search results" in response.content.decode()
    assert not Relationship.objects.exists()


def test_ending_a_relationship_keeps_it_with_its_dates(client, worker, child, mum):
    relationship = Relationship.objects.create(person=mum, other=child, kind="parent",
                                               start_date=date(2020, 9, 1))
    client.force_login(worker)
    url = f"/people/{child.pk}/relationships/{relationship.pk}/end/"
    tomorrow = timezone.localdate() + timedelta(days=1)
    for day, message in [
        (date(2020, 8, 31), "The end date must be on or after it started, 1 September 2020"),
        (tomorrow, "The date it ended must be today or in the past"),
    ]:
        page = client.post(url, {"end-day": day.day, "end-month": day.month,
                                 "end-year": day.year}).content.decode()
        assert message in page
    relationship.refresh_from_db()
    assert relationship.end_date is None
    response = client.post(url, {"end-day": "2", "end-month": "1", "end-year": "2025"})
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.end_date == date(2025, 1, 2)
    page = client.get(f"/people/{child.pk}/").content.decode()
    assert "Parent (since 1 September 2020) (until 2 January 2025)" in page
    again = client.post(url, {"end-day": "3", "end-month": "1", "end-year": "2025"})
    assert "This relationship already ended on 2 January 2025" in again.content.decode()
    assert relationship.history.count() == 2  # the earlier version is kept


def test_a_relationship_of_someone_else_cannot_be_ended_through_this_page(client, worker,
                                                                           child, mum):
    stranger = person(worker, given_name="Zed", family_name="Jones", is_child=False)
    theirs = Relationship.objects.create(person=stranger, other=mum, kind="carer")
    client.force_login(worker)
    response = client.get(f"/people/{child.pk}/relationships/{theirs.pk}/end/")
    assert response.status_code == 404
