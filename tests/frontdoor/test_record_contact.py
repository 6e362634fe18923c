"""Recording a contact: every rule refused with the field named, nothing half saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from childrenmatter.frontdoor.actions import ReportedChild, record_contact
from childrenmatter.frontdoor.models import Contact, ContactChild

pytestmark = pytest.mark.django_db


def _now():
    return timezone.now() - dt.timedelta(minutes=1)


def test_a_school_phoning_about_two_siblings_makes_one_contact_with_two_children(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = record_contact(
        actor=worker, la_code="806", received_at=_now(), source="2A",
        summary="Both children arrived hungry again",
        children=[ReportedChild("Amy", "Smith", dt.date(2015, 3, 1)),
                  ReportedChild("Ben", "Smith", dt.date(2017, 6, 2))],
        referrer_name="Head teacher",
    )
    assert contact.reference.startswith("FD-")
    assert contact.child_links.count() == 2
    assert contact.created_by == worker


def test_references_are_unique_within_the_authority(make_staff):
    worker = make_staff("front_door_practitioner")
    refs = {
        record_contact(
            actor=worker, la_code="806", received_at=_now(), source="6", summary="x",
            children=[ReportedChild("A", "B")],
        ).reference
        for _ in range(3)
    }
    assert len(refs) == 3


def test_every_broken_rule_is_named_by_its_field_and_nothing_is_saved(make_staff):
    worker = make_staff("front_door_practitioner")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record_contact(
            actor=worker, la_code="806", received_at=timezone.now() + dt.timedelta(days=1),
            source="ZZ", summary=" ",
            children=[ReportedChild("", ""), ReportedChild("C", "D", tomorrow)],
            referrer_email="not an email",
        )
    fields = refused.value.message_dict
    assert {"received_at", "source", "summary", "children[0]", "children[1].date_of_birth",
            "referrer_email"} <= set(fields)
    assert not Contact.objects.exists() and not ContactChild.objects.exists()


def test_a_contact_about_no_child_is_refused(make_staff):
    worker = make_staff("front_door_practitioner")
    with pytest.raises(ValidationError) as refused:
        record_contact(actor=worker, la_code="806", received_at=_now(), source="6",
                       summary="x", children=[])
    assert "children" in refused.value.message_dict


@pytest.mark.parametrize("role", ["performance_analyst", "auditor", "system_administrator"])
def test_roles_that_do_not_take_contacts_may_not_record_one(make_staff, role):
    user = make_staff(role)
    with pytest.raises(PermissionDenied):
        record_contact(actor=user, la_code="806", received_at=_now(), source="6",
                       summary="x", children=[ReportedChild("A", "B")])


def test_a_hartlepool_worker_may_not_record_a_middlesbrough_contact(make_staff):
    user = make_staff("front_door_practitioner", la_code="805")
    with pytest.raises(PermissionDenied):
        record_contact(actor=user, la_code="806", received_at=_now(), source="6",
                       summary="x", children=[ReportedChild("A", "B")])


def test_a_partner_system_with_no_person_records_a_contact_for_its_own_authority(db):
    from childrenmatter.accounts.models import PartnerOrganisation

    police = PartnerOrganisation.objects.create(name="Cleveland Police", kind="police",
                                                la_code="806")
    contact = record_contact(actor=None, la_code="806", received_at=_now(), source="6",
                             summary="DA incident", children=[ReportedChild("A", "B")],
                             partner_organisation=police, is_domestic_abuse=True)
    assert contact.partner_organisation == police
    with pytest.raises(PermissionDenied):
        record_contact(actor=None, la_code="805", received_at=_now(), source="6",
                       summary="x", children=[ReportedChild("A", "B")],
                       partner_organisation=police)


_names = st.sampled_from(["", " ", "Amy", "Ben"])
_dobs = st.one_of(st.none(), st.dates(min_value=dt.date(2005, 1, 1),
                                      max_value=dt.date(2024, 12, 31)))


def test_a_contact_is_refused_exactly_when_a_child_has_neither_name_nor_birth_date(make_staff):
    worker = make_staff("front_door_practitioner")  # once: hashing a password is slow

    @given(children=st.lists(st.tuples(_names, _names, _dobs), max_size=4))
    @settings(max_examples=40, deadline=None)
    def check(children):
        reported = [ReportedChild(given, family, dob) for given, family, dob in children]
        nameless = [
            i for i, (given, family, dob) in enumerate(children)
            if not (given.strip() or family.strip() or dob)
        ]
        if not children or nameless:
            with pytest.raises(ValidationError) as refused:
                record_contact(actor=worker, la_code="806", received_at=_now(), source="2A",
                               summary="x", children=reported)
            expected = {f"children[{i}]" for i in nameless} or {"children"}
            assert set(refused.value.message_dict) == expected
        else:
            contact = record_contact(actor=worker, la_code="806", received_at=_now(),
                                     source="2A", summary="x", children=reported)
            assert contact.child_links.count() == len(children)

    check()
