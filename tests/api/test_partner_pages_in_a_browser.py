"""In a real browser: a school's designated safeguarding lead refers two siblings through
the form and follows the referral. axe checks each page; no console errors (a blocked
inline script would show there as a content security policy violation)."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dsl(make_staff, school):
    return make_staff("partner", username="jo.evans", partner_organisation=school)


def fill_child(page, number: int, given: str, family: str, born: tuple[str, str, str]) -> None:
    prefix = f"#child_{number}_"
    page.locator(f"{prefix}given_name").fill(given)
    page.locator(f"{prefix}family_name").fill(family)
    for part, value in zip(("day", "month", "year"), born, strict=True):
        page.locator(f"{prefix}dob_{part}").fill(value)
    page.locator(f"{prefix}postcode").fill("TS5 6AB")
    page.locator(f"{prefix}school").fill("Linthorpe Primary School")


def test_a_designated_safeguarding_lead_refers_two_siblings_and_follows_the_referral(
    page, live_server, sign_in, serious_problems, dsl
):
    # Given the school's designated safeguarding lead, signed in
    sign_in(page, live_server, dsl.persona)
    # then the referral form is where they start
    page.get_by_role("heading", name="Refer children to the front door").wait_for()
    assert page.url.endswith("/partners/refer/")
    assert serious_problems(page) == []

    # and send it with nothing filled in, then every problem is listed at the top
    page.get_by_role("button", name="Send referral").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    for message in ("Enter your name", "Enter what happened", "Enter the child's first name",
                    "Say whether the family agreed to this referral"):
        assert summary.get_by_role("link", name=message).count() == 1, message
    assert serious_problems(page) == []
    # and the summary's link takes them to the field
    summary.get_by_role("link", name="Enter your name").click()
    assert page.evaluate("document.activeElement.id") == "referrer_name"

    # When they fill in the form for Amy, add her brother Ben, and send it
    page.get_by_label("Your name").fill("Jo Evans")
    page.get_by_label("Your role").fill("Designated safeguarding lead")
    page.get_by_label("Phone number").fill("01642 000 111")
    fill_child(page, 1, "Amy", "Walker", ("14", "3", "2017"))
    page.get_by_role("button", name="Add another child").click()
    page.get_by_role("group", name="Child 2").wait_for()
    assert page.locator("#child_1_given_name").input_value() == "Amy"
    fill_child(page, 2, "Ben", "Walker", ("2", "9", "2015"))
    page.get_by_label("What happened, and when").fill(
        "Amy came in with a bruise on her cheek and said her mum's boyfriend hit her.")
    page.get_by_label("Your concerns for the children").fill("Physical harm at home.")
    page.get_by_label("I did not ask: asking would put a child at risk").check()
    page.get_by_label("If not, why not").fill("Asking may put the children at risk.")
    page.get_by_role("button", name="Send referral").click()

    # Then they see the confirmation with the reference
    page.get_by_role("heading", name="Referral sent").wait_for()
    reference = re.search(r"FD-\d{4}-\d{6}", page.locator(".govuk-panel").inner_text()).group(0)
    assert "received" in page.locator("main").inner_text()
    assert serious_problems(page) == []

    # and, following it, its status and the two children they named
    page.get_by_role("link", name="Follow this referral").click()
    page.get_by_role("heading", name=f"Referral {reference}").wait_for()
    assert "received" in page.locator(".govuk-summary-list").inner_text()
    assert "Amy Walker" in page.locator("main").inner_text()
    assert "Ben Walker" in page.locator("main").inner_text()
    assert serious_problems(page) == []

    # and their list of referrals shows it
    page.get_by_role("link", name="Your referrals").first.click()
    row = page.get_by_role("row").filter(has_text=reference)
    assert "received" in row.inner_text() and "Amy Walker, Ben Walker" in row.inner_text()
    assert serious_problems(page) == []
    assert page.console_problems == []


def test_the_form_adds_a_child_without_javascript(
    page_without_javascript, live_server, sign_in, dsl
):
    page = page_without_javascript
    sign_in(page, live_server, dsl.persona)
    page.goto(f"{live_server.url}/partners/refer/")
    page.locator("#child_1_given_name").fill("Amy")
    page.get_by_role("button", name="Add another child").click()
    page.get_by_role("group", name="Child 2").wait_for()
    assert page.locator("#child_1_given_name").input_value() == "Amy"


def test_the_api_docs_show_the_endpoints(page, live_server):
    # Given a partner's developer, when they open the API docs
    page.goto(f"{live_server.url}/api/docs")
    # then Swagger UI, under our content security policy, lists the endpoints
    page.get_by_text("Children Matter partner API").first.wait_for()
    page.get_by_text("/api/referrals/{reference}").first.wait_for()
    assert page.console_problems == []
