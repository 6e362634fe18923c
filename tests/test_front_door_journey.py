"""The front door end to end, in Chromium, as the people who use it would walk it.

A school's designated safeguarding lead refers a child through the partner form, with her
surname misspelt. A front door practitioner finds her record by search despite the typo,
sees on one page that the front door heard about her two months ago, rates the contact,
and proposes a referral; a manager authorises it, which opens a referral with its
45-working-day assessment clock; and the school sees the outcome, and nothing more. Every
page is checked with axe, and the practitioner's reads of the child are in the access log.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from childrenmatter.accounts.models import AccessLog, PartnerOrganisation
from childrenmatter.casework.models import Referral
from childrenmatter.clocks.calendar import add_working_days
from childrenmatter.frontdoor import actions
from childrenmatter.frontdoor.models import Contact
from childrenmatter.people.actions import create_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _checked(page, serious_problems) -> None:
    assert serious_problems(page) == [], page.url
    assert page.console_problems == [], page.url


def _sign_in_as(page, live_server, sign_in, user) -> None:
    sign_in(page, live_server, user.persona)
    # The figures page has no dataset in this test; the front door is what it is about.
    page.console_problems.clear()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to Children Matter").wait_for()


def test_a_schools_referral_is_screened_decided_and_authorised_and_the_school_sees_the_outcome(
    page, live_server, make_staff, sign_in, serious_problems
):
    # Given Middlesbrough's front door, a school that refers to it, and its staff
    school = PartnerOrganisation.objects.create(
        name="Linthorpe Primary School", kind="school", la_code="806"
    )
    dsl = make_staff("partner", username="jo.evans", partner_organisation=school)
    practitioner = make_staff("front_door_practitioner", username="pat.frontdoor")
    manager = make_staff("team_manager", username="morgan.manager")
    # and a child the front door already knows: advice given after a contact 2 months ago
    amelia = create_person(
        actor=manager, la_code="806", given_name="Amelia", family_name="Whitaker",
        date_of_birth=dt.date(2017, 3, 14), postcode="TS5 6AB", address_line_1="1 Synthetic Row",
    )
    earlier = actions.record_contact(
        actor=practitioner, la_code="806", source="3B", summary="Health visitor worried",
        received_at=timezone.now() - dt.timedelta(days=60), referrer_name="A health visitor",
        children=[actions.ReportedChild("Amelia", "Whitaker", amelia.date_of_birth,
                                        person=amelia)],
    )
    earlier = actions.record_decision(
        actor=practitioner, contact=earlier, expected_version=earlier.version,
        decision="advice_signposting", rationale="Advice to the family",
        late_reason="Recorded after the event",
    )
    actions.authorise_decision(actor=manager, contact=earlier, expected_version=earlier.version)

    # When the school's safeguarding lead refers her, misspelling her surname
    _sign_in_as(page, live_server, sign_in, dsl)
    page.get_by_role("heading", name="Refer children to the front door").wait_for()
    page.get_by_label("Your name").fill("Jo Evans")
    page.get_by_label("Your role").fill("Designated safeguarding lead")
    page.get_by_label("Phone number").fill("01642 000 111")
    page.locator("#child_1_given_name").fill("Amelia")
    page.locator("#child_1_family_name").fill("Whittaker")
    for part, value in (("day", "14"), ("month", "3"), ("year", "2017")):
        page.locator(f"#child_1_dob_{part}").fill(value)
    page.locator("#child_1_postcode").fill("TS5 6AB")
    page.locator("#child_1_school").fill("Linthorpe Primary School")
    page.get_by_label("What happened, and when").fill(
        "Amelia arrived with a burn on her hand and would not say how it happened."
    )
    page.get_by_label("Your concerns for the children").fill("Unexplained injury.")
    page.get_by_label("Yes, the family agreed to this referral").check()
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referral sent").wait_for()
    reference = re.search(r"FD-\d{4}-\d{6}", page.locator(".govuk-panel").inner_text()).group(0)
    _checked(page, serious_problems)
    _sign_out(page)

    # Then it waits in the front door's queue with its clock
    _sign_in_as(page, live_server, sign_in, practitioner)
    page.goto(f"{live_server.url}/front-door/")
    assert reference in page.locator("main").inner_text()
    _checked(page, serious_problems)
    page.get_by_role("link", name=reference).click()
    _checked(page, serious_problems)

    # When the practitioner matches the child: the search finds Amelia despite the typo
    page.get_by_role("link", name=re.compile("Find and match Amelia Whittaker")).click()
    page.get_by_role("group", name="Which record is this child?").wait_for()
    _checked(page, serious_problems)
    page.get_by_label(re.compile(r"Amelia Whitaker")).first.check()
    page.get_by_role("button", name="Match the child").click()

    # Then the screening page shows her history: the contact two months ago
    page.get_by_role("heading", name="Children and their history").wait_for()
    main = page.locator("main").inner_text()
    assert earlier.reference in main
    assert "Repeat contact within 12 months" in main
    _checked(page, serious_problems)

    # When they rate it red and propose a referral
    page.get_by_role("button", name="Rate (RAG)").click()
    page.get_by_label("Red").check()
    page.get_by_label("Why this rating").fill("Unexplained burn; second contact this year")
    page.get_by_role("button", name="Save the rating").click()
    page.get_by_role("heading", name="RAG ratings").wait_for()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Rationale").fill("Injury unexplained; repeat contact")
    page.get_by_role("button", name="Send for authorisation").click()
    page.get_by_text("Awaiting a manager's authorisation").wait_for()
    _sign_out(page)

    # and a manager authorises it
    _sign_in_as(page, live_server, sign_in, manager)
    page.goto(f"{live_server.url}/front-door/")
    page.locator("#authorisation").get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Authorise the decision").click()
    page.get_by_role("button", name="Authorise").click()
    page.locator("#opened").wait_for()
    _checked(page, serious_problems)
    _sign_out(page)

    # Then a referral is open for Amelia with its assessment due in 45 working days
    contact = Contact.objects.get(reference=reference)
    referral = Referral.objects.get(contact=contact)
    assert referral.person == amelia
    assert referral.referral_source == "2A"  # the DfE code for a school
    assert referral.assessment_due == add_working_days(referral.referral_date, 45)
    # and the practitioner's reads of her record are in the access log
    assert AccessLog.objects.filter(
        user=practitioner, person=amelia, allowed=True, what__contains=reference
    ).exists()

    # and the school sees the outcome, and none of the front door's reasoning
    _sign_in_as(page, live_server, sign_in, dsl)
    page.goto(f"{live_server.url}/partners/referrals/{reference}/")
    main = page.locator("main").inner_text()
    assert "decided: referred to children's social care" in main
    assert "Injury unexplained; repeat contact" not in main
    assert "Red" not in main
    assert earlier.reference not in main
    _checked(page, serious_problems)
