"""The returns page in Chromium: an analyst checks a broken SSDA903 and sees the rule and the
child; the pages pass axe; the check and its error summary work without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_903(page, live_server, folder) -> None:
    page.goto(f"{live_server.url}/returns/")
    page.get_by_role("heading", name="Check and download returns").wait_for()
    page.get_by_label("SSDA903 (children looked after)").check()
    page.get_by_label("Files", exact=True).set_input_files(sorted(folder.glob("*.csv")))
    page.get_by_label("Collection year", exact=True).select_option("2023")
    page.get_by_role("button", name="Check the files").click()
    page.get_by_role("heading", name="Validation report").wait_for()


def _row_for_rule(page, rule: str) -> list[str]:
    rows = page.locator("table.govuk-table tbody tr")
    for row in rows.all():
        cells = [cell.inner_text().strip() for cell in row.locator("td").all()]
        if cells and cells[0] == rule:
            return cells
    raise AssertionError(f"no row for rule {rule}")


def test_an_analyst_sees_the_rule_and_the_child_of_a_broken_903(
    page, live_server, make_staff, small_dataset, sign_in, serious_problems, broken_903
):
    # Given a performance analyst at Middlesbrough with a 903 whose first episode has an
    # unknown placement type
    analyst = make_staff("performance_analyst")
    sign_in(page, live_server, analyst.persona)
    assert serious_problems(page) == []
    # when they go to the returns page from the navigation and check the files
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Returns").click()
    assert serious_problems(page) == []
    # (sending nothing first: the error summary passes axe too)
    page.get_by_role("button", name="Check the files").click()
    page.locator(".govuk-error-summary").wait_for()
    assert serious_problems(page) == []
    _check_903(page, live_server, broken_903)
    # then the report names the rule, the table, the line, the child and the field
    rule, table, row, child, field, message = _row_for_rule(page, "146")
    assert (table, row, child, field) == ("Episodes", "2", "C1", "PLACE")
    assert "placement type" in message.lower()
    assert serious_problems(page) == []
    # and the report downloads as CSV
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (CSV)").click()
    assert download.value.suggested_filename == "validation-report.csv"
    assert "146,Episodes,2,C1,PLACE," in Path(download.value.path()).read_text()


def test_without_javascript_the_check_and_its_errors_work(
    page_without_javascript, live_server, make_staff, small_dataset, sign_in, broken_903
):
    # (axe runs in the page's JavaScript, so it checks the pages in the test above.)
    page = page_without_javascript
    page.set_default_timeout(20_000)
    sign_in(page, live_server, make_staff("team_manager").persona)
    # Sending nothing names what is missing, at the top and by the field.
    page.goto(f"{live_server.url}/returns/")
    page.get_by_role("button", name="Check the files").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select which return the files are" in summary.inner_text()
    assert "Select the files to check" in summary.inner_text()
    _check_903(page, live_server, broken_903)
    assert _row_for_rule(page, "146")[3] == "C1"
