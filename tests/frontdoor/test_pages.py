"""The front door's pages through the test client: who sees which queue, the access log
of the screening page, and a stale decision shown with nothing lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from childrenmatter.accounts.models import AccessLog
from childrenmatter.frontdoor import actions
from childrenmatter.frontdoor.models import Contact
from childrenmatter.people.models import Address, Relationship

from .factories import make_contact, make_person

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_a_hartlepool_worker_sees_nothing_of_middlesbroughs_queue(client, make_staff):
    middlesbrough = make_staff("front_door_practitioner")
    contact = make_contact(middlesbrough, people=[make_person(given="Maisie")])
    hartlepool = make_staff("front_door_practitioner", la_code="805")
    page = _signed_in(client, hartlepool).get(reverse("frontdoor:queue"))
    assert page.status_code == 200
    assert contact.reference not in page.content.decode()
    assert client.get(reverse("frontdoor:contact", args=[contact.pk])).status_code == 404
    assert client.get(reverse("frontdoor:rate", args=[contact.pk])).status_code == 404


def test_a_shared_front_door_worker_sees_both_authorities_queues(client, make_staff):
    middlesbrough = make_staff("front_door_practitioner")
    hartlepool = make_staff("front_door_practitioner", la_code="805")
    ours = make_contact(middlesbrough, people=[make_person()])
    theirs = make_contact(hartlepool, "805", people=[make_person(la_code="805")])
    shared = make_staff("front_door_practitioner", la_codes=["805", "806"])
    text = _signed_in(client, shared).get(reverse("frontdoor:queue")).content.decode()
    assert ours.reference in text and theirs.reference in text


def test_domestic_abuse_notifications_have_their_own_queue(client, make_staff):
    worker = make_staff("front_door_practitioner")
    da = make_contact(worker, people=[make_person()], is_domestic_abuse=True, source="6")
    text = _signed_in(client, worker).get(reverse("frontdoor:queue")).content.decode()
    da_section = text[text.index('id="domestic-abuse"'):text.index('id="contacts"')]
    assert da.reference in da_section


@pytest.mark.parametrize("role", ["performance_analyst", "system_administrator"])
def test_roles_without_the_front_door_get_no_queue(client, make_staff, role):
    response = _signed_in(client, make_staff(role)).get(reverse("frontdoor:queue"))
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("frontdoor:queue"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_reading_the_screening_page_logs_every_childs_read(client, make_staff):
    worker = make_staff("front_door_practitioner")
    amy, ben = make_person(given="Amy"), make_person(given="Ben")
    contact = make_contact(worker, people=[amy, ben])
    response = _signed_in(client, worker).get(reverse("frontdoor:contact", args=[contact.pk]))
    assert response.status_code == 200
    logged = AccessLog.objects.filter(user=worker, what__contains=contact.reference)
    assert {entry.person for entry in logged} == {amy, ben}
    assert all(entry.allowed for entry in logged)


def test_the_screening_page_shows_history_repeat_contact_and_household(client, make_staff):
    worker = make_staff("front_door_practitioner")
    manager = make_staff("team_manager")
    amy = make_person(given="Amy")
    sister = make_person(given="Cara", dob=None)
    Address.objects.create(person=amy, line_1="1 High Street", postcode="TS1 1AA")
    Address.objects.create(person=sister, line_1="1 High Street", postcode="TS1 1AA")
    mum = make_person(given="Dawn", is_child=False)
    Relationship.objects.create(person=mum, other=amy, kind="parent")
    earlier = make_contact(worker, people=[amy])
    earlier = actions.record_decision(actor=worker, contact=earlier, expected_version=1,
                                      decision="referral", rationale="Neglect")
    actions.authorise_decision(actor=manager, contact=earlier, expected_version=earlier.version)
    contact = make_contact(worker, people=[amy])
    text = _signed_in(client, worker).get(
        reverse("frontdoor:contact", args=[contact.pk])).content.decode()
    assert "Repeat contact within 12 months" in text
    assert earlier.reference in text
    assert "Child in need: referral" in text
    assert "Cara Smith" in text and "Lives at the same address" in text
    assert "Dawn Smith" in text and "Parent" in text
    household_reads = AccessLog.objects.filter(what__startswith="household")
    assert {e.person for e in household_reads} == {sister, mum}


def test_a_restricted_child_is_not_shown_and_the_attempt_is_logged(client, make_staff):
    worker = make_staff("front_door_practitioner")
    secret = make_person(given="Secret", restricted=True)
    contact = make_contact(worker, people=[secret])
    text = _signed_in(client, worker).get(
        reverse("frontdoor:contact", args=[contact.pk])).content.decode()
    assert "Restricted record" in text and "Secret" not in text
    assert AccessLog.objects.filter(person=secret, allowed=False).exists()


def test_every_front_door_page_opens_for_a_practitioner(client, make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()], unmatched=1, is_domestic_abuse=True)
    actions.rate_contact(actor=worker, contact=contact, expected_version=None, rag="amber",
                         reason="x")
    check = actions.request_check(actor=worker, contact=contact, agency="police", question="?")
    link = contact.child_links.filter(person__isnull=True).get()
    _signed_in(client, worker)
    for name, args in [
        ("frontdoor:queue", []), ("frontdoor:new", []), ("frontdoor:contact", [contact.pk]),
        ("frontdoor:rate", [contact.pk]), ("frontdoor:check", [contact.pk]),
        ("frontdoor:check-reply", [contact.pk, check.pk]),
        ("frontdoor:match", [contact.pk, link.pk]), ("frontdoor:decide", [contact.pk]),
        ("frontdoor:triage", [contact.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_recording_a_contact_through_the_page_with_a_picked_and_an_unknown_child(
    client, make_staff
):
    worker = make_staff("front_door_practitioner")
    amy = make_person(given="Amy")
    _signed_in(client, worker)
    search = client.get(reverse("frontdoor:new"),
                        {"search": "1", "given_name": "Amy", "family_name": "Smith"})
    assert "Amy Smith" in search.content.decode()
    response = client.post(reverse("frontdoor:new"), {
        "picked": [amy.pk], "unknown": "1", "la_code": "806", "source": "2A",
        "received_day": "2", "received_month": "11", "received_year": "2026",
        "received_time": "09:15", "summary": "Bruise on arm", "consent": "given",
        "child_1_given_name": "Ben", "child_1_family_name": "Smith", "action": "save",
    })
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert [link.person for link in contact.child_links.order_by("pk")] == [amy, None]


def test_a_contact_page_with_mistakes_lists_each_and_saves_nothing(client, make_staff):
    worker = make_staff("front_door_practitioner")
    response = _signed_in(client, worker).post(reverse("frontdoor:new"), {
        "unknown": "1", "la_code": "806", "source": "", "received_day": "31",
        "received_month": "2", "received_year": "2026", "received_time": "9am",
        "summary": "", "consent": "unknown", "child_1_given_name": "", "action": "save",
    })
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "must be a real date" in text
    assert not Contact.objects.exists()


def test_a_stale_decision_is_refused_on_the_page_with_the_rationale_kept(client, make_staff):
    worker = make_staff("front_door_practitioner")
    colleague = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    actions.rate_contact(actor=colleague, contact=contact, expected_version=1, rag="red",
                         reason="Police called")
    response = _signed_in(client, worker).post(reverse("frontdoor:decide", args=[contact.pk]), {
        "version": "1", "decision": "nfa", "rationale": "My careful rationale",
    })
    text = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in text
    assert "My careful rationale" in text
    contact.refresh_from_db()
    assert contact.decision == ""


def test_matching_a_child_through_the_page(client, make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, unmatched=1)
    link = contact.child_links.get()
    amy = make_person(given="Child0", family="Unknown")
    _signed_in(client, worker)
    url = reverse("frontdoor:match", args=[contact.pk, link.pk])
    assert "Child0 Unknown" in client.get(url).content.decode()
    response = client.post(url, {"version": contact.version, "person": str(amy.pk)})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.person == amy


def test_adding_a_child_not_known_keeps_what_was_typed_without_complaining(client, make_staff):
    worker = make_staff("front_door_practitioner")
    response = _signed_in(client, worker).post(reverse("frontdoor:new"), {
        "unknown": "0", "la_code": "806", "summary": "Typed before adding a child",
        "action": "add-unknown",
    })
    text = response.content.decode()
    assert "Typed before adding a child" in text
    assert 'name="child_1_given_name"' in text
    assert "There is a problem" not in text


def _child_sections(text: str) -> list[str]:
    return text.split('<div class="app-child')[1:]


def test_each_child_in_a_sibling_group_gets_their_own_history(client, make_staff):
    """The page reads the whole sibling group's history at once: each child's section still
    shows only that child's contacts, referrals, involvements and household."""
    worker = make_staff("front_door_practitioner")
    manager = make_staff("team_manager")
    amy, ben = make_person(given="Amy"), make_person(given="Ben", dob=None)
    Address.objects.create(person=amy, line_1="1 High Street", postcode="TS1 1AA")
    Address.objects.create(person=ben, line_1="9 Low Road", postcode="TS2 2BB")
    lodger = make_person(given="Lenny", is_child=False)
    Address.objects.create(person=lodger, line_1="9 LOW ROAD", postcode="TS2 2BB")
    dad = make_person(given="Dave", is_child=False)
    Relationship.objects.create(person=dad, other=amy, kind="parent")
    about_amy = make_contact(worker, people=[amy], summary="About Amy alone")
    about_amy = actions.record_decision(actor=worker, contact=about_amy, expected_version=1,
                                        decision="referral", rationale="Neglect")
    actions.authorise_decision(actor=manager, contact=about_amy,
                               expected_version=about_amy.version)
    contact = make_contact(worker, people=[amy, ben])
    text = _signed_in(client, worker).get(
        reverse("frontdoor:contact", args=[contact.pk])).content.decode()
    amys, bens = _child_sections(text)
    assert "Amy Smith" in amys and about_amy.reference in amys and "Repeat contact" in amys
    assert "Dave Smith" in amys and "Lenny" not in amys
    assert about_amy.reference not in bens and "Repeat contact" not in bens
    assert "Previous contacts (0)" in bens and "Referrals (0)" in bens
    assert "Lenny Smith" in bens and "Lives at the same address" in bens
    assert "Dave" not in bens


def test_the_screening_page_reads_no_more_for_a_larger_sibling_group(client, make_staff):
    """Four children cost the page no more database reads than one: at a million people,
    a read per child per list was what made the page slow under load."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = make_staff("front_door_practitioner")
    _signed_in(client, worker)

    def reads_for(children: int) -> int:
        people = [make_person(given=f"Kid{i}") for i in range(children)]
        for person in people:
            Address.objects.create(person=person, line_1="3 Mill Lane", postcode="TS3 3CC")
            make_contact(worker, people=[person])
        contact = make_contact(worker, people=people)
        client.get(reverse("frontdoor:contact", args=[contact.pk]))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("frontdoor:contact", args=[contact.pk])).status_code == 200
        return len(queries)

    assert reads_for(4) == reads_for(1)


def test_screening_shows_open_child_protection_and_child_in_need_plans(client, make_staff):
    import datetime as dt

    from childrenmatter.casework.models import ChildInNeedPlan, ChildProtectionPlan, Referral

    worker = make_staff("front_door_practitioner")
    amy, ben = make_person(given="Amy"), make_person(given="Ben")
    for person in (amy, ben):
        Referral.objects.create(la_code="806", reference=f"R-{person.pk}", person=person,
                                referral_date=dt.date(2025, 1, 6), referral_source="2A",
                                closure_date=dt.date(2025, 9, 1))
    ChildProtectionPlan.objects.create(
        la_code="806", reference="CP-1", referral=Referral.objects.get(person=amy), person=amy,
        start_date=dt.date(2025, 2, 3), initial_category="NEG", latest_category="NEG")
    ChildProtectionPlan.objects.create(
        la_code="806", reference="CP-2", referral=Referral.objects.get(person=ben), person=ben,
        start_date=dt.date(2025, 2, 3), end_date=dt.date(2025, 8, 1),
        initial_category="PHY", latest_category="PHY")
    ChildInNeedPlan.objects.create(
        la_code="806", reference="CIN-1", referral=Referral.objects.get(person=ben), person=ben,
        start_date=dt.date(2025, 8, 1))
    contact = make_contact(worker, people=[amy, ben])
    text = _signed_in(client, worker).get(
        reverse("frontdoor:contact", args=[contact.pk])).content.decode()
    amys, bens = _child_sections(text)
    assert "Child protection plan since 3 February 2025 (neglect)" in amys
    assert "Child protection plan" not in bens  # Ben's plan ended
    assert "Child in need plan since 1 August 2025" in bens
    assert "Child in need plan" not in amys
