"""The pages in a real browser: signing in, reading the figures, changing the date.

Given/when/then in each test's comments. Every page is also checked with axe for
serious or critical accessibility problems, and must raise no console errors (a blocked
inline script would show there as a content security policy violation).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, persona) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Password", exact=True).fill(persona.password)
    page.get_by_role("button", name="Sign in").click()


def figures_on(page) -> dict[str, tuple[str, str]]:
    figures = {}
    for row in page.locator("table.govuk-table tbody tr").all():
        label = row.locator("th").inner_text().splitlines()[0].strip()
        count, rate = (cell.inner_text().strip() for cell in row.locator("td").all())
        figures[label] = (count, rate)
    return figures


def serious_problems(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_member_of_staff_signs_in_and_sees_the_headline_figures(
    page, live_server, middlesbrough_persona, small_dataset
):
    # Given a member of staff at Middlesbrough, when they sign in
    sign_in(page, live_server, middlesbrough_persona)
    # then they see the figures at the latest date in the data
    page.get_by_role("heading", name="Children at a date").wait_for()
    assert page.locator("caption").inner_text() == "Children at 21 December 2018"
    figures = figures_on(page)
    assert figures["Children looked after"] == ("2", "0.6")
    assert figures["Children in need (DfE definition)"] == ("5", "1.5")
    assert page.console_problems == []


def test_changing_the_date_shows_the_figures_at_that_date(
    page, live_server, middlesbrough_persona, small_dataset
):
    # Given a signed-in member of staff on the home page
    sign_in(page, live_server, middlesbrough_persona)
    # when they ask for the figures at 1 March 2018
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2018")
    page.get_by_role("button", name="Show figures").click()
    # then the figures are those at that date
    page.get_by_text("Children at 1 March 2018").wait_for()
    assert figures_on(page) == {
        "Children looked after": ("1", "0.3"),
        "Children on child protection plans": ("1", "0.3"),
        "Children in need (local definition)": ("1", "0.3"),
        "Children in need (DfE definition)": ("3", "0.9"),
    }


def test_a_date_outside_the_data_is_explained_and_the_summary_links_to_the_date(
    page, live_server, middlesbrough_persona, small_dataset
):
    sign_in(page, live_server, middlesbrough_persona)
    page.get_by_label("Year").fill("2030")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Day").fill("1")
    page.get_by_role("button", name="Show figures").click()
    summary = page.locator(".govuk-error-summary")
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "at-day"
    assert serious_problems(page) == []


def test_the_sign_in_and_home_pages_have_no_serious_accessibility_problems(
    page, live_server, middlesbrough_persona, small_dataset
):
    page.goto(f"{live_server.url}/sign-in")
    assert serious_problems(page) == []
    # with a wrong password: the error summary and the field's message
    page.get_by_label("Username").fill(middlesbrough_persona.username)
    page.get_by_label("Password", exact=True).fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".govuk-error-summary").wait_for()
    assert serious_problems(page) == []
    sign_in(page, live_server, middlesbrough_persona)
    page.get_by_role("heading", name="Children at a date").wait_for()
    assert serious_problems(page) == []
    assert page.console_problems == []


def test_the_pages_work_without_javascript(
    page_without_javascript, live_server, middlesbrough_persona, small_dataset
):
    page = page_without_javascript
    sign_in(page, live_server, middlesbrough_persona)
    page.get_by_label("Year").fill("2018")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Day").fill("1")
    page.get_by_role("button", name="Show figures").click()
    # without JavaScript the form is a full page load: read the new page, not the old one
    page.get_by_text("Children at 1 March 2018").wait_for()
    assert figures_on(page)["Children in need (DfE definition)"] == ("3", "0.9")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to Children Matter").wait_for()
