"""The dashboards' pages, per persona, over a snapshot written by hand (conftest.py)."""

from __future__ import annotations

import base64
import re
from xml.etree import ElementTree

import pytest
from dashboard_builders import MONTHS, hand_rows

from childrenmatter.accounts.models import AccessLog
from childrenmatter.people.models import Person

AREA = "/dashboards/children-in-care/"
ASSESSMENT = "/dashboards/assessment/"
CHILDREN = "/dashboards/children-in-care/looked_after/children/"


@pytest.fixture
def analyst(client, make_staff):
    client.force_login(make_staff("performance_analyst"))
    return client


@pytest.fixture
def manager(client, make_staff):
    client.force_login(make_staff("team_manager"))
    return client


def text(response) -> str:
    """The page with the white space around tags taken out, and other runs made one space."""
    page = re.sub(r"\s+", " ", response.content.decode())
    return re.sub(r"\s*(<|>)\s*", r"\1", page)


def test_an_analyst_sees_the_figure_england_neighbours_and_the_chart(hand_snapshot, analyst):
    response = analyst.get(AREA)
    assert response.status_code == 200
    page = text(response)
    assert "<h1 class=\"govuk-heading-l\">Children in care</h1>" in page
    assert "November 2018" in page
    # The figure, England's and the neighbours', in the summary and in the table.
    assert ">0.6 rate per 10,000 children<" in page
    assert ">0.4<" in page and ">0.5<" in page
    # The chart is an SVG image, described in words in its alternative text and inside it.
    image = re.search(r'<img class="app-chart__image" src="data:image/svg\+xml;base64,'
                      r'([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)">', page)
    assert image and "This authority 0.6, England 0.4, Neighbours 0.5" in image[4]
    svg = ElementTree.fromstring(base64.b64decode(image[1]))
    assert svg.get("role") == "img"
    assert svg[0].text == "Children looked after"
    assert "This authority 0.6, England 0.4, Neighbours 0.5" in svg[1].text
    # The table beside it: one row a month.
    assert page.count("<tr class=\"govuk-table__row\">") >= len(range(20))
    assert "April 2017" in page


def test_an_analyst_sees_how_many_children_but_no_link_to_them(hand_snapshot, analyst):
    page = text(analyst.get(AREA))
    assert "/children/" not in page
    assert analyst.get(CHILDREN).status_code == 403


def test_the_rag_rating_is_in_words_and_the_target_is_shown(hand_snapshot, analyst):
    page = text(analyst.get(ASSESSMENT))
    assert "Red: off target" in page
    assert ">90.0%<" in page
    assert ">75.0%<" in page


def test_the_page_says_when_the_figures_were_taken(hand_snapshot, analyst):
    for path in ("/dashboards/", AREA):
        page = text(analyst.get(path))
        assert "Figures taken at" in page
        assert "22 December 2018 at 7:30am" in page


def test_a_manager_follows_the_count_to_the_children_behind_it(hand_snapshot, manager):
    page = text(manager.get(AREA))
    assert f'href="{CHILDREN}?authority=806"' in page
    listing = manager.get(CHILDREN)
    assert listing.status_code == 200
    body = text(listing)
    assert "2 children in" in body and "November 2018" in body
    assert ">A<" in body and ">G<" in body


def test_a_percentage_lists_its_denominator_with_the_numerator_first(hand_snapshot, manager):
    page = text(manager.get(ASSESSMENT))
    assert ">3 of 4<span class=\"govuk-visually-hidden\">behind Assessments authorised" in page


def test_a_child_the_store_holds_links_to_their_record_and_the_read_is_logged(
    hand_snapshot, manager
):
    amy = Person.objects.create(la_code="806", local_id="A", given_name="Amy",
                                family_name="Hart")
    body = text(manager.get(CHILDREN))
    assert f'href="/people/{amy.pk}/"' in body
    logged = AccessLog.objects.filter(person=amy, allowed=True)
    assert logged.count() == 1
    assert "looked_after" in logged.get().what


def test_a_restricted_child_is_left_out_and_the_attempt_logged(hand_snapshot, manager):
    gina = Person.objects.create(la_code="806", local_id="G", given_name="Gina",
                                 family_name="Hart", restricted=True)
    body = text(manager.get(CHILDREN))
    assert ">G<" not in body
    assert "1 child is not listed" in body
    assert AccessLog.objects.filter(person=gina, allowed=False).exists()


def test_a_hartlepool_worker_cannot_see_middlesbrough_s_dashboards(hand_snapshot, make_staff,
                                                                   client):
    client.force_login(make_staff("team_manager", la_code="805"))
    for path in ("/dashboards/", AREA, CHILDREN):
        assert client.get(f"{path}?authority=806").status_code == 404
    # Their own dashboards show Hartlepool, which has no figures in this snapshot.
    page = text(client.get(AREA))
    assert "Hartlepool" in page and "app-chart__image" not in page


def test_a_partner_is_refused_the_dashboards(hand_snapshot, make_staff, client):
    from childrenmatter.accounts.models import PartnerOrganisation

    school = PartnerOrganisation.objects.create(name="Acklam Primary", kind="school",
                                                la_code="806")
    client.force_login(make_staff("partner", partner_organisation=school))
    assert client.get("/dashboards/").status_code == 403


def test_an_unknown_area_or_figure_is_not_found(hand_snapshot, manager):
    assert manager.get("/dashboards/allotments/").status_code == 404
    assert manager.get("/dashboards/assessment/looked_after/children/").status_code == 404


def test_without_a_snapshot_the_page_says_none_has_been_taken(no_snapshot, analyst):
    response = analyst.get(AREA)
    assert response.status_code == 200
    assert "No figures have been taken for the dashboards yet" in text(response)


def test_the_index_shows_each_area_s_headline_figures(hand_snapshot, analyst):
    page = text(analyst.get("/dashboards/"))
    for title in ("Front door", "Assessment", "Child protection", "Children in need",
                  "Children in care", "Care leavers", "Workforce"):
        assert f">{title}</a></h2>" in page
    assert "Assessments authorised within 45 working days" in page
    assert "Red: off target" in page


@pytest.fixture
def counted_refreshes(monkeypatch):
    """Refresh with the hand-written figures instead of computing them."""
    from childrenmatter.dashboards import snapshot


    calls = []

    def compute(tables):
        calls.append(sorted(tables))
        return hand_rows(), {"806": {"name": "Middlesbrough", "months": MONTHS}}

    monkeypatch.setattr(snapshot, "compute_comparison", compute)
    return calls


def test_an_analyst_refreshes_the_figures_and_the_page_shows_the_new_time(
    hand_snapshot, analyst, counted_refreshes
):
    response = analyst.post("/dashboards/refresh/", {"next": AREA})
    assert response.status_code == 302 and response["Location"] == AREA
    assert len(counted_refreshes) == 1
    page = text(analyst.get(AREA))
    assert "22 December 2018 at 7:30am" not in page
    assert "Figures taken at" in page


def test_a_social_worker_may_not_refresh(hand_snapshot, make_staff, client, counted_refreshes):
    client.force_login(make_staff("social_worker"))
    assert "Refresh now" not in text(client.get(AREA))
    assert client.post("/dashboards/refresh/").status_code == 403
    assert counted_refreshes == []


def test_refresh_goes_back_only_to_a_page_of_this_site(hand_snapshot, analyst,
                                                      counted_refreshes):
    response = analyst.post("/dashboards/refresh/", {"next": "https://example.com/"})
    assert response["Location"] == "/dashboards/"
