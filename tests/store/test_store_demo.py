"""The demo's live front door: fresh contacts today, and an account for each role shown."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone
from store_builders import contact_rows, with_contacts, write

from childrenmatter.accounts.models import StaffMembership
from childrenmatter.config.cli import main
from childrenmatter.frontdoor.models import Contact
from childrenmatter.store.demo import open_front_door, set_up_demo_users
from childrenmatter.store.load import load_dataset
from testdata import MIDDLESBROUGH, small_dataset_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path):
    rows = contact_rows(MIDDLESBROUGH, "K1", ["A", "B"], datetime(2018, 4, 30, 9, 15),
                        outcome="referral", decided=datetime(2018, 5, 1, 10, 0))
    load_dataset(write(with_contacts(small_dataset_tables(), rows), tmp_path / "dataset"))


def test_each_demo_user_signs_in_with_the_password_printed_for_them(loaded):
    users = set_up_demo_users(la_code=MIDDLESBROUGH)

    roles = {}
    for user in users:
        signed_in = authenticate(username=user.username, password=user.password)
        assert signed_in is not None, user.username
        roles[user.username] = StaffMembership.objects.get(user=signed_in).role
    assert roles == {"demo-frontdoor": "front_door_practitioner", "demo-manager": "team_manager",
                     "demo-analyst": "performance_analyst", "demo-partner": "partner",
                     "demo-councillor": "elected_member"}
    partner = StaffMembership.objects.get(user__username="demo-partner")
    assert partner.partner_organisation.name == "Synthetic Primary School"


def test_the_demo_front_door_has_fresh_undecided_contacts_received_today(loaded):
    set_up_demo_users(la_code=MIDDLESBROUGH)

    made = open_front_door(la_code=MIDDLESBROUGH, count=8)

    assert len(made) == 8
    fresh = Contact.objects.open().filter(la_code=MIDDLESBROUGH)
    assert fresh.count() == 8
    assert all(c.received_at <= timezone.now() for c in fresh)
    assert fresh.filter(is_domestic_abuse=True, partner_organisation__name="Synthetic Police Force"
                        ).exists()
    assert fresh.filter(partner_organisation__name="Synthetic Primary School").exists()
    assert fresh.filter(child_links__person__isnull=False).exists()  # children already known
    assert fresh.filter(child_links__person__isnull=True).exists()  # and some to find
    assert fresh.exclude(rag="").exists()


def test_running_the_demo_again_the_same_day_does_not_double_the_queue(loaded, capsys):
    assert main(["demo-front-door", "--authority", MIDDLESBROUGH, "--contacts", "5"]) == 0
    assert main(["demo-front-door", "--authority", MIDDLESBROUGH, "--contacts", "5"]) == 0

    assert Contact.objects.open().filter(la_code=MIDDLESBROUGH).count() == 5
    printed = capsys.readouterr().out
    assert "already has today's contacts" in printed
    assert "demo-manager" in printed and "with the password" in printed


def test_replacing_after_the_demo_was_used_clears_its_contacts_merges_and_triage(
        loaded, tmp_path, make_staff):
    from childrenmatter.frontdoor.actions import triage_domestic_abuse
    from childrenmatter.people.actions import merge_people
    from childrenmatter.people.models import Person

    set_up_demo_users(la_code=MIDDLESBROUGH)
    made = open_front_door(la_code=MIDDLESBROUGH, count=4)
    manager = make_staff("team_manager")
    notification = next(c for c in made if c.is_domestic_abuse)
    triage_domestic_abuse(actor=manager, contact=notification, risk_level="high",
                          children_present=True, incident_at=None, school_name="")
    kept, merged = (Person.objects.get(la_code=MIDDLESBROUGH, local_id=c) for c in "DE")
    merge_people(actor=manager, kept=kept, merged=merged, reason="The same child")
    dataset = write(small_dataset_tables(), tmp_path / "again")

    load_dataset(dataset, authorities=[MIDDLESBROUGH], replace=True)

    assert not Contact.objects.filter(la_code=MIDDLESBROUGH).exists()
    children = Person.objects.filter(la_code=MIDDLESBROUGH, is_child=True)
    assert sorted(children.values_list("local_id", flat=True)) == list("ABCDEFG")
    assert not children.filter(merged_into__isnull=False).exists()
