"""The queue's order and clocks, and who may read a contact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from childrenmatter.clocks.state import ClockState
from childrenmatter.frontdoor import actions, queries

from .factories import make_contact, make_person

pytestmark = pytest.mark.django_db


def test_the_most_urgent_contact_comes_first(make_staff):
    worker = make_staff("front_door_practitioner")
    fresh = make_contact(worker, people=[make_person()])
    old = make_contact(worker, people=[make_person(given="Old")],
                       received_at=timezone.now() - dt.timedelta(days=10))
    queue = queries.queue_for(worker)
    assert [item.contact for item in queue.contacts] == [old, fresh]
    assert queue.contacts[0].decision_state == ClockState.OVERDUE
    assert queue.contacts[1].decision_state in (ClockState.DUE, ClockState.DUE_SOON)


def test_a_red_rating_whose_information_is_late_shows_overdue(make_staff, monkeypatch):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    actions.rate_contact(actor=worker, contact=contact, expected_version=1, rag="red",
                         reason="Knife")
    later = timezone.now() + dt.timedelta(hours=3)
    item = queries.queue_for(worker, now=later).contacts[0]
    assert item.information_state == ClockState.OVERDUE


def test_an_hours_clock_is_due_soon_in_its_last_hour():
    due = timezone.now()
    assert queries.moment_state(due, now=due - dt.timedelta(minutes=30)) == ClockState.DUE_SOON
    assert queries.moment_state(due, now=due - dt.timedelta(hours=2)) == ClockState.DUE
    assert queries.moment_state(due, done=due) == ClockState.DONE_IN_TIME


def test_decided_contacts_leave_the_queue(make_staff):
    worker = make_staff("front_door_practitioner")
    manager = make_staff("team_manager")
    contact = make_contact(worker, people=[make_person()])
    contact = actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                      decision="nfa", rationale="ok")
    assert queries.queue_for(manager).awaiting_authorisation[0].contact == contact
    actions.authorise_decision(actor=manager, contact=contact, expected_version=contact.version)
    queue = queries.queue_for(manager)
    assert not (queue.contacts or queue.awaiting_authorisation or queue.domestic_abuse)


@pytest.mark.parametrize(("role", "status"), [
    ("front_door_practitioner", 200), ("social_worker", 200), ("team_manager", 200),
    ("head_of_service", 200), ("auditor", 200), ("performance_analyst", 404),
    ("system_administrator", 404),
])
def test_who_may_read_the_screening_page(client, make_staff, role, status):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    client.force_login(make_staff(role))
    assert client.get(reverse("frontdoor:contact", args=[contact.pk])).status_code == status


@pytest.mark.parametrize("page", ["frontdoor:rate", "frontdoor:decide", "frontdoor:check"])
def test_an_auditor_reads_but_may_not_change(client, make_staff, page):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    client.force_login(make_staff("auditor"))
    assert client.get(reverse(page, args=[contact.pk])).status_code == 404
