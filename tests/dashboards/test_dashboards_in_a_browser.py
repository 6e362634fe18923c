"""The dashboards in a real browser (Chromium), for the simulated Middlesbrough, with axe.

Given/when/then in each test's comments.
"""

from __future__ import annotations

import pytest

from childrenmatter.dashboards.snapshot import take_snapshot
from childrenmatter.insight.areas import AREAS

# The snapshot of a whole simulated authority is taken once for the module: slow.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def middlesbrough_snapshot(middlesbrough, tmp_path_factory):
    """The figures and charts of the simulated Middlesbrough, taken once for this module."""
    return take_snapshot(tmp_path_factory.mktemp("dashboards") / "snapshot",
                         dataset_folder=middlesbrough, draw_for=["806"]).folder


@pytest.fixture
def demo_authority(settings, middlesbrough, middlesbrough_snapshot):
    settings.CHILDRENMATTER_DATASET = middlesbrough
    settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = middlesbrough_snapshot


def test_each_area_s_page_shows_its_charts_and_tables(page, live_server, make_staff, sign_in,
                                                      serious_problems, demo_authority):
    # Given a head of service at Middlesbrough, signed in
    head = make_staff("head_of_service")
    sign_in(page, live_server, head.persona)
    # when they open the dashboards from the service navigation
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Dashboards").first.click()
    page.get_by_role("heading", name="Dashboards", level=1).wait_for()
    assert "Figures taken at" in page.inner_text("main")
    assert serious_problems(page) == []
    for area in AREAS:
        # and each part of the service in turn, from the dashboards' index
        page.goto(f"{live_server.url}/dashboards/")
        page.locator("main").get_by_role("link", name=area.title, exact=True).click()
        page.get_by_role("heading", name=area.title, level=1).wait_for()
        # then each figure has its chart, named in words, and its table beside it
        charts = page.locator("figure.app-chart img")
        assert charts.count() >= 1, area.key
        first = charts.first
        assert first.is_visible()
        assert "month by month" in first.get_attribute("alt")
        assert first.evaluate("image => image.complete && image.naturalWidth > 0")
        page.get_by_text("Figures behind the chart").first.click()
        table = page.locator("details table").first
        assert table.is_visible()
        assert table.locator("tbody tr").count() == 24
        assert serious_problems(page) == [], area.key
    assert page.console_problems == []


def test_a_manager_follows_a_count_to_the_children_behind_it(page, live_server, make_staff,
                                                             sign_in, serious_problems,
                                                             demo_authority):
    # Given a team manager at Middlesbrough on the children in care page
    manager = make_staff("team_manager")
    sign_in(page, live_server, manager.persona)
    page.goto(f"{live_server.url}/dashboards/children-in-care/")
    # when they follow the count of children looked after
    page.get_by_role("link", name="behind Children looked after").click()
    # then the children are listed
    page.get_by_role("heading", name="Behind the figure: Children looked after").wait_for()
    assert page.locator("main table tbody tr").count() > 100
    assert serious_problems(page) == []


def test_an_analyst_refreshes_the_figures_without_javascript(
    page_without_javascript, live_server, make_staff, sign_in, demo_authority, settings,
    tmp_path
):
    page = page_without_javascript
    # Given an analyst, and no figures taken yet for this deployment
    settings.CHILDRENMATTER_DASHBOARD_SNAPSHOT = tmp_path / "snapshot"
    analyst = make_staff("performance_analyst")
    sign_in(page, live_server, analyst.persona)
    page.goto(f"{live_server.url}/dashboards/care-leavers/")
    assert "No figures have been taken" in page.inner_text("main")
    # when they press "Refresh now"
    page.get_by_role("button", name="Refresh now").click()
    # then they are back on the page, with the figures and the time they were taken
    page.get_by_text("Figures taken at").wait_for()
    assert page.url.endswith("/dashboards/care-leavers/")
    assert page.locator("figure.app-chart img").count() == 3
    # and, figures only, no link to the children behind them
    assert page.get_by_role("link", name="behind").count() == 0


def test_a_manager_downloads_the_briefing_pack_with_their_commentary(
        page, live_server, make_staff, sign_in, serious_problems, demo_authority):
    # Given a team manager at Middlesbrough on the dashboards' index
    manager = make_staff("team_manager")
    sign_in(page, live_server, manager.persona)
    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_role("heading", name="Dashboards", level=1).wait_for()
    # when they follow the pack's link, type commentary for the front door and ask for HTML
    page.get_by_role("link", name="Download the monthly briefing pack").click()
    page.get_by_role("heading", name="Monthly briefing pack", level=1).wait_for()
    assert serious_problems(page) == []
    page.get_by_label("Web page (HTML)").check()
    page.get_by_label("Front door", exact=True).fill("Contacts from schools rose in March.")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download the pack").click()
    # then the pack arrives, named for the authority and month, holding their words
    download = caught.value
    assert download.suggested_filename.startswith("briefing-pack-806-")
    assert download.suggested_filename.endswith(".html")
    body = open(download.path(), encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert "Contacts from schools rose in March." in body
    assert page.console_problems == []
