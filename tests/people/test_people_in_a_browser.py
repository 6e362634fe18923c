"""Finding a person and adding one, in a real browser (Chromium), checked with axe.

Given/when/then in each test's comments.
"""

from __future__ import annotations

from datetime import date

import pytest
from people_builders import person

from childrenmatter.accounts.models import AccessLog
from childrenmatter.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_search_that_finds_a_misspelt_child(page, live_server, make_staff, sign_in,
                                              serious_problems, small_dataset):
    # Given a front door practitioner, and a child recorded as Katherine Thompson
    worker = make_staff("front_door_practitioner")
    child = person(worker, given_name="Katherine", family_name="Thompson",
                   date_of_birth=date(2015, 4, 7))
    person(worker, given_name="Oliver", family_name="Thomas", date_of_birth=date(2012, 1, 2))
    sign_in(page, live_server, worker.persona)
    # when they search for "Kate Tomson" born 4 July 2015 (day and month swapped)
    page.goto(f"{live_server.url}/people/")
    assert serious_problems(page) == []
    page.get_by_label("Given name").fill("Kate")
    page.get_by_label("Family name").fill("Tomson")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2015")
    page.get_by_role("button", name="Search").click()
    # then Katherine Thompson is the first result, with why she matched
    first = page.locator(".app-candidates > li").first
    assert "Katherine Thompson" in first.inner_text()
    assert "Known as Kate (nickname of Katherine)" in first.inner_text()
    assert "Date of birth matches with day and month swapped" in first.inner_text()
    assert serious_problems(page) == []
    # and opening her record shows it, and the access log has the read
    page.get_by_role("link", name="Katherine Thompson").click()
    page.get_by_role("heading", name="Katherine Thompson", level=1).wait_for()
    assert serious_problems(page) == []
    assert AccessLog.objects.filter(person=child, what="person page", user=worker).exists()
    assert page.console_problems == []


def test_adding_a_person_with_a_strong_match_asks_for_confirmation(
    page, live_server, make_staff, sign_in, serious_problems, small_dataset
):
    # Given a practitioner, and a child already recorded as Robert Smith
    worker = make_staff("front_door_practitioner")
    existing = person(worker, given_name="Robert", family_name="Smith",
                      date_of_birth=date(2014, 3, 12))
    sign_in(page, live_server, worker.persona)
    # when they add "Bob Smith" with the same date of birth
    page.goto(f"{live_server.url}/people/new/")
    assert serious_problems(page) == []
    page.get_by_label("Given name").fill("Bob")
    page.get_by_label("Family name").fill("Smith")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2014")
    page.get_by_role("button", name="Create record").click()
    # then the existing record is shown as a strong match and nothing is created
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "Robert Smith" in page.locator(".app-candidates").inner_text()
    assert Person.objects.count() == 1
    assert serious_problems(page) == []
    # when they confirm this is a different person, then the new record is created
    page.get_by_label("This is a different person").check()
    page.get_by_role("button", name="Create record").click()
    page.get_by_role("heading", name="Bob Smith", level=1).wait_for()
    assert Person.objects.exclude(pk=existing.pk).get().given_name == "Bob"
    assert page.console_problems == []


def test_the_search_works_without_javascript(page_without_javascript, live_server, make_staff,
                                             sign_in, small_dataset):
    page = page_without_javascript
    # Given a practitioner in a browser with JavaScript turned off (axe needs JavaScript,
    # so the accessibility checks are in the tests above)
    worker = make_staff("front_door_practitioner")
    person(worker, given_name="Jade", family_name="Hughes", date_of_birth=date(2016, 2, 9))
    sign_in(page, live_server, worker.persona)
    # when they search with the names the wrong way round
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Given name").fill("Hughes")
    page.get_by_label("Family name").fill("Jade")
    page.get_by_role("button", name="Search").click()
    # then the child is found, and the reason says the names were swapped
    first = page.locator(".app-candidates > li").first
    assert "Jade Hughes" in first.inner_text()
    assert "First and last names swapped" in first.inner_text()


def test_with_javascript_search_results_swap_in_place_and_errors_still_show(
    page, live_server, make_staff, sign_in, serious_problems, small_dataset
):
    # Given a practitioner on the search page, and a child recorded as Amy Smith
    worker = make_staff("front_door_practitioner")
    person(worker, given_name="Amy", family_name="Smith", date_of_birth=date(2015, 3, 1))
    sign_in(page, live_server, worker.persona)
    page.goto(f"{live_server.url}/people/")
    page.evaluate("window.stillTheSamePage = true")
    # when they search for "Amy Smyth"
    page.get_by_label("Given name").fill("Amy")
    page.get_by_label("Family name").fill("Smyth")
    page.get_by_role("button", name="Search").click()
    # then Amy Smith appears in the results without the page being loaded again, what they
    # typed is still in the form, and the address bar holds the search (back and share work)
    page.locator("#search-results").get_by_text("Amy Smith").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.get_by_label("Family name").input_value() == "Smyth"
    assert "family_name=Smyth" in page.url
    assert serious_problems(page) == []
    # and a wrong NHS number still gets the error summary, naming the field, with the focus
    page.get_by_label("NHS number").fill("123")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "NHS number" in summary.inner_text()
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error:")
    assert serious_problems(page) == []
    assert page.console_problems == []  # htmx breaks no rule of the content security policy


def test_a_practitioner_records_a_childs_mother_from_the_childs_page(
    page, live_server, make_staff, sign_in, serious_problems, small_dataset
):
    # Given a child and her mother, both recorded, not yet linked
    worker = make_staff("front_door_practitioner")
    child = person(worker, given_name="Amy", family_name="Smith", date_of_birth=date(2015, 3, 1))
    person(worker, given_name="Dawn", family_name="Smith", date_of_birth=date(1988, 5, 6),
           is_child=False)
    sign_in(page, live_server, worker.persona)
    # when the practitioner adds a relationship from Amy's page: finds Dawn, says "Parent"
    page.goto(f"{live_server.url}/people/{child.pk}/")
    page.get_by_role("link", name="Add a relationship").click()
    page.get_by_role("heading", name="Add a relationship").wait_for()
    assert serious_problems(page) == []
    page.get_by_label("Given name").fill("Dawn")
    page.get_by_label("Family name").fill("Smith")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Dawn Smith, born 6 May 1988").check()
    assert serious_problems(page) == []
    page.get_by_label("Parent", exact=True).check()
    page.get_by_role("button", name="Add the relationship").click()
    # then Amy's page lists Dawn as her parent, with a link to Dawn's record
    page.get_by_role("heading", name="Amy Smith", level=1).wait_for()
    row = page.locator("tr", has=page.get_by_role("link", name="Dawn Smith"))
    assert row.inner_text().startswith("Parent")
    assert serious_problems(page) == []
    assert page.console_problems == []
