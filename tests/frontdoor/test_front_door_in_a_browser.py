"""The front door in a real browser (Chromium), every page checked with axe.

(a) A school phones in about a child the front door already knows: search first, the
    screening page shows the history, a RAG rating, a decision, and a manager authorises
    it, which opens a referral with its assessment due date.
(b) A police domestic abuse notification goes through its own triage, and the school to
    tell is shown with its Operation Encompass deadline.
(c) Recording a contact, search first, works without JavaScript (axe needs JavaScript, so
    this one is not checked with it).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from childrenmatter.accounts.models import PartnerOrganisation
from childrenmatter.casework.models import Referral
from childrenmatter.clocks.calendar import add_working_days
from childrenmatter.frontdoor import actions
from childrenmatter.frontdoor.models import Contact
from childrenmatter.web.govuk import long_date

from .factories import make_contact, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def _signed_in(sign_in, page, live_server, persona):
    sign_in(page, live_server, persona)
    # Signing in lands on the figures page, which has no dataset in these tests (a 503
    # the console reports); the front door pages are what these tests are about.
    page.console_problems.clear()


def _no_problems(page, serious_problems):
    assert serious_problems(page) == [], page.url
    assert page.console_problems == [], page.url


def test_a_school_phones_in_and_a_manager_authorises_a_referral(
    page, live_server, make_staff, sign_in, serious_problems
):
    # Given a child the front door knows: early help opened after a contact last month
    practitioner = make_staff("front_door_practitioner", username="pat.practitioner")
    manager = make_staff("team_manager", username="morgan.manager")
    other_manager = make_staff("team_manager", username="mel.manager")
    amy = make_person(given="Amy", family="Smith", dob=dt.date(2015, 3, 1))
    earlier = make_contact(practitioner, people=[amy],
                           received_at=timezone.now() - dt.timedelta(days=30))
    earlier = actions.record_decision(actor=practitioner, contact=earlier,
                                      expected_version=1, decision="early_help",
                                      rationale="Family asked for help", late_reason="Old")
    actions.authorise_decision(actor=other_manager, contact=earlier,
                               expected_version=earlier.version)

    # When the practitioner records the school's call, finding Amy first
    _signed_in(sign_in, page, live_server, practitioner.persona)
    page.goto(f"{live_server.url}/front-door/")
    _no_problems(page, serious_problems)
    page.get_by_role("button", name="Record a new contact").click()
    page.get_by_label("First name").fill("Amy")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_role("button", name="Search for the child").click()
    page.get_by_role("link", name="Add Amy Smith to this contact").click()
    assert "Amy Smith" in page.locator("#picked-children").inner_text()
    _no_problems(page, serious_problems)
    page.get_by_label("Source").select_option("2A")
    page.get_by_label("Their name").fill("Head teacher")
    page.get_by_label("Organisation").fill("Park Primary")
    page.get_by_label("What was said").fill("Amy came to school hungry with a bruise")
    page.get_by_label("Given", exact=True).check()
    page.get_by_role("button", name="Save the contact").click()

    # Then the screening page shows her history
    page.get_by_role("heading", name="Children and their history").wait_for()
    text = page.locator("main").inner_text()
    assert "Repeat contact within 12 months" in text
    assert earlier.reference in text
    assert "Early help since" in text
    _no_problems(page, serious_problems)
    contact = Contact.objects.exclude(pk=earlier.pk).get()

    # When they rate it amber
    page.get_by_role("button", name="Rate (RAG)").click()
    _no_problems(page, serious_problems)
    page.get_by_label("Amber").check()
    page.get_by_label("Why this rating").fill("Bruise and hunger; known to early help")
    page.get_by_role("button", name="Save the rating").click()
    page.get_by_role("heading", name="RAG ratings").wait_for()
    assert "Bruise and hunger" in page.locator("main").inner_text()

    # and decide on a referral
    page.get_by_role("button", name="Record the decision").click()
    _no_problems(page, serious_problems)
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Rationale").fill("Second contact in a month; injury unexplained")
    page.get_by_role("button", name="Send for authorisation").click()
    page.get_by_text("Awaiting a manager's authorisation").wait_for()
    page.get_by_role("button", name="Sign out").click()

    # Then a manager authorises it, which opens a referral with its assessment due date
    _signed_in(sign_in, page, live_server, manager.persona)
    page.goto(f"{live_server.url}/front-door/")
    assert contact.reference in page.locator("#authorisation").inner_text()
    page.get_by_role("link", name=contact.reference).click()
    page.get_by_role("button", name="Authorise the decision").click()
    _no_problems(page, serious_problems)
    page.get_by_role("button", name="Authorise").click()
    page.locator("#opened").wait_for()
    referral = Referral.objects.get(contact=contact)
    assert referral.assessment_due == add_working_days(referral.referral_date, 45)
    assert f"assessment due by {long_date(referral.assessment_due)}" in (
        page.locator("#opened").inner_text()
    )
    _no_problems(page, serious_problems)


def test_a_domestic_abuse_notification_is_triaged_with_the_school_deadline(
    page, live_server, make_staff, sign_in, serious_problems
):
    # Given a police notification about a Friday-night incident, sent by the force's system
    police = PartnerOrganisation.objects.create(name="Cleveland Police", kind="police",
                                                la_code="806")
    child = make_person(given="Jay", family="Brown", dob=dt.date(2016, 5, 5))
    contact = actions.record_contact(
        actor=None, partner_organisation=police, la_code="806", source="6",
        received_at=timezone.now() - dt.timedelta(hours=1),
        summary="Police attended a domestic incident; the child was in the house",
        children=[actions.ReportedChild("Jay", "Brown", dt.date(2016, 5, 5),
                                        school="Park Primary", person=child)],
        is_domestic_abuse=True,
    )
    practitioner = make_staff("front_door_practitioner", username="dee.triage")

    # When the practitioner opens it from the queue's own domestic abuse section
    _signed_in(sign_in, page, live_server, practitioner.persona)
    page.goto(f"{live_server.url}/front-door/")
    page.locator("#domestic-abuse").get_by_role("link", name=contact.reference).click()
    page.get_by_role("button", name="Triage domestic abuse").click()
    _no_problems(page, serious_problems)
    page.get_by_label("High").check()
    page.get_by_label("Yes").check()
    incident = dt.datetime(2026, 11, 20, 22, 15, tzinfo=LONDON)  # a Friday night
    page.get_by_label("Day").fill(str(incident.day))
    page.get_by_label("Month").fill(str(incident.month))
    page.get_by_label("Year").fill(str(incident.year))
    page.get_by_label("Time of the incident").fill("22:15")
    assert page.get_by_label("School to tell (Operation Encompass)").input_value() == (
        "Park Primary"
    )
    page.get_by_role("button", name="Save the triage").click()

    # Then the school to tell is shown with its deadline: before Monday's school day
    page.get_by_role("heading", name="Domestic abuse triage").wait_for()
    triage = page.locator("main").inner_text()
    assert "Park Primary" in triage
    assert "23 November 2026 at 8:45am" in triage
    _no_problems(page, serious_problems)
    page.get_by_role("button", name="Record that Park Primary was told").click()
    page.get_by_role("heading", name="Domestic abuse triage").wait_for()
    contact.refresh_from_db()
    assert contact.triage.school_notified_at is not None


def test_recording_a_contact_search_first_works_without_javascript(
    page_without_javascript, live_server, make_staff, sign_in
):
    page = page_without_javascript
    make_person(given="Amy", family="Smith", dob=dt.date(2015, 3, 1))
    practitioner = make_staff("front_door_practitioner", username="nj.practitioner")
    sign_in(page, live_server, practitioner.persona)
    page.goto(f"{live_server.url}/front-door/new/")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_role("button", name="Search for the child").click()
    page.get_by_role("link", name="Add Amy Smith to this contact").click()
    page.locator("#picked-children").get_by_text("Amy Smith").wait_for()
    page.get_by_role("button", name="Add a child not known to us").click()
    page.get_by_label("First name").last.fill("Ben")
    page.get_by_label("Source").select_option("1A")
    page.get_by_label("What was said").fill("Grandmother worried about both children")
    page.get_by_role("button", name="Save the contact").click()
    page.get_by_role("heading", name="Children and their history").wait_for()
    contact = Contact.objects.get()
    assert [link.person is not None for link in contact.child_links.order_by("pk")] == [
        True, False,
    ]
    assert "Find and match Ben" in page.locator("main").inner_text()


def test_with_javascript_the_queue_shows_a_new_contact_without_a_reload(
    page, live_server, make_staff, sign_in, serious_problems, settings
):
    # Given a practitioner looking at the queue, which refreshes itself every second here
    settings.FRONTDOOR_QUEUE_REFRESH_SECONDS = 1
    practitioner = make_staff("front_door_practitioner", username="pat.practitioner")
    _signed_in(sign_in, page, live_server, practitioner.persona)
    page.goto(f"{live_server.url}/front-door/")
    page.get_by_role("heading", name="Front door", level=1).wait_for()
    assert "refreshes itself every 1 seconds" in page.locator("#queue-updated").inner_text()
    page.evaluate("window.stillTheSamePage = true")
    # when a colleague records a contact
    contact = make_contact(practitioner, people=[make_person(given="Zara")])
    # then it appears in the queue with its clock, without the page being loaded again
    page.locator("#contacts").get_by_role("link", name=contact.reference).wait_for(timeout=15_000)
    assert page.evaluate("window.stillTheSamePage") is True
    assert serious_problems(page) == []
    _no_problems(page, serious_problems)
