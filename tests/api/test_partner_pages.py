"""The partner professionals' pages: the referral form, their referrals and statuses.

Personas: a designated safeguarding lead at a Middlesbrough school (the partner), a
police officer (another organisation), and staff of other roles, who are refused.
"""

from __future__ import annotations

import pytest

from childrenmatter.frontdoor.models import Contact, ContactStatus, Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def dsl(make_staff, school):
    return make_staff("partner", username="jo.evans", partner_organisation=school)


@pytest.fixture
def officer(make_staff, police):
    return make_staff("partner", username="pc.khan", partner_organisation=police)


def form_for_siblings(**changes) -> dict:
    data = {
        "referrer_name": "Jo Evans",
        "referrer_role": "Designated safeguarding lead",
        "referrer_phone": "01642 000 111",
        "referrer_email": "",
        "what_happened": "Amy said her mum's boyfriend hit her.",
        "concerns": "Physical harm at home.",
        "consent": "given",
        "consent_note": "",
        "children": "2",
        "child_1_given_name": "Amy",
        "child_1_family_name": "Walker",
        "child_1_dob_day": "14",
        "child_1_dob_month": "3",
        "child_1_dob_year": "2017",
        "child_1_postcode": "ts5 6ab",
        "child_2_given_name": "Ben",
        "child_2_family_name": "Walker",
        "child_2_dob_day": "",
        "child_2_dob_month": "",
        "child_2_dob_year": "",
        "action": "send",
    }
    data.update(changes)
    return data


def test_a_partner_refers_two_siblings_and_sees_the_reference(client, dsl, school):
    client.force_login(dsl)
    response = client.post("/partners/refer/", form_for_siblings(), follow=True)
    contact = Contact.objects.get()
    assert contact.partner_organisation == school
    assert contact.created_by == dsl
    assert contact.source == "2A"
    children = list(contact.child_links.order_by("id"))
    assert [(c.reported_given_name, str(c.reported_date_of_birth)) for c in children] == [
        ("Amy", "2017-03-14"), ("Ben", "None")]
    assert children[0].reported_postcode == "TS5 6AB"
    page = response.content.decode()
    assert "Referral sent" in page and contact.reference in page
    assert "received" in page


def test_every_field_error_is_in_the_summary_and_nothing_is_saved(client, dsl):
    client.force_login(dsl)
    response = client.post("/partners/refer/", form_for_siblings(
        referrer_name="", what_happened=" ", consent="",
        child_1_given_name="", child_2_dob_day="31", child_2_dob_month="2",
        child_2_dob_year="2016", child_1_postcode="nowhere",
    ))
    assert response.status_code == 200
    assert not Contact.objects.exists()
    page = response.content.decode()
    start = page.index("govuk-error-summary")
    summary = page[start:page.index("</ul>", start)]
    for anchor, message in [
        ("#referrer_name", "Enter your name"),
        ("#what_happened", "Enter what happened"),
        ("#consent", "Say whether the family agreed to this referral"),
        ("#child_1_given_name", "Enter the child&#39;s first name"),
        ("#child_1_postcode", "Enter a real postcode"),
        ("#child_2_dob_day", "must be a real date"),
    ]:
        assert f'href="{anchor}"' in summary, anchor
        assert message in summary, message
    assert "<title>Error:" in page
    # What was typed is kept.
    assert 'value="Walker"' in page


def test_adding_another_child_keeps_what_was_typed_and_checks_nothing_yet(client, dsl):
    client.force_login(dsl)
    response = client.post("/partners/refer/", form_for_siblings(action="add-child"))
    page = response.content.decode()
    assert "Child 3" in page and 'name="child_3_given_name"' in page
    assert 'value="Amy"' in page and 'value="3"' in page
    assert "There is a problem" not in page
    assert not Contact.objects.exists()


def test_a_partner_sees_their_organisations_referrals_and_statuses_only(client, dsl, officer):
    client.force_login(officer)
    client.post("/partners/refer/", form_for_siblings(child_1_given_name="Pollyanna"))
    client.force_login(dsl)
    client.post("/partners/refer/", form_for_siblings())
    mine = Contact.objects.get(partner_organisation__kind="school")
    theirs = Contact.objects.get(partner_organisation__kind="police")
    Contact.objects.filter(pk=mine.pk).update(
        status=ContactStatus.DECIDED, decision=Decision.EARLY_HELP, rag="amber",
        decision_rationale="SECRET-RATIONALE",
    )

    page = client.get("/partners/referrals/").content.decode()
    assert mine.reference in page and "decided: early help offered" in page
    assert theirs.reference not in page and "Pollyanna" not in page

    detail = client.get(f"/partners/referrals/{mine.reference}/").content.decode()
    assert "decided: early help offered" in detail and "Amy Walker" in detail
    for secret in ("SECRET-RATIONALE", "Amber", "hit her"):
        assert secret not in detail and secret not in page
    assert client.get(f"/partners/referrals/{theirs.reference}/").status_code == 404


@pytest.mark.parametrize("role", ["front_door_practitioner", "social_worker", "team_manager",
                                  "head_of_service", "performance_analyst", "auditor",
                                  "system_administrator"])
def test_staff_of_other_roles_are_refused(client, make_staff, role, dsl):
    client.force_login(dsl)
    client.post("/partners/refer/", form_for_siblings())
    reference = Contact.objects.get().reference
    client.force_login(make_staff(role))
    for path in ("/partners/refer/", "/partners/referrals/", f"/partners/referrals/{reference}/",
                 f"/partners/referrals/{reference}/sent/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Walker" not in response.content.decode()
    assert client.post("/partners/refer/", form_for_siblings()).status_code == 403
    assert Contact.objects.count() == 1


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    for path in ("/partners/refer/", "/partners/referrals/"):
        response = client.get(path)
        assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_navigation_offers_a_partner_the_form_and_their_referrals(client, dsl):
    client.force_login(dsl)
    page = client.get("/partners/referrals/").content.decode()
    assert 'href="/partners/refer/"' in page and "Your referrals" in page


def test_removing_a_child_keeps_the_others_as_typed(client, dsl):
    client.force_login(dsl)
    data = form_for_siblings(children="3", child_3_given_name="Cara", child_3_family_name="Walker",
                             action="remove-child-2")
    page = client.post("/partners/refer/", data).content.decode()
    assert 'name="child_3_given_name"' not in page and "Child 2" in page
    assert 'id="child_2_given_name" name="child_2_given_name" type="text" value="Cara"' in page
    assert 'value="Amy"' in page and 'value="Ben"' not in page
    assert not Contact.objects.exists()


def test_pressing_enter_in_a_field_adds_a_child_rather_than_removing_one(client, dsl):
    # A browser sends the form's first button when Enter is pressed in a field.
    client.force_login(dsl)
    page = client.post("/partners/refer/", form_for_siblings(action="add-child")).content.decode()
    form = page[page.index('<form method="post" action="/partners/refer/"'):]
    first_button = form[form.index("<button"):form.index("</button>")]
    assert 'value="add-child"' in first_button
    assert 'value="remove-child-1"' in form
