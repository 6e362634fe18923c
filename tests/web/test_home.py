"""The home page: the authority's headline figures at a date, read from the dataset."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest


def figures_shown(html: str) -> dict[str, tuple[str, str]]:
    """The rows of the figures table: label -> (number, rate), as a reader sees them."""
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">\s*(.*?)(?:<br>.*?)?\s*</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">\s*(.*?)\s*</td>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">\s*(.*?)\s*</td>',
        html,
        flags=re.S,
    )
    return {label: (count, rate) for label, count, rate in rows}


def expected(figures: dict) -> dict[str, tuple[str, str]]:
    labels = {
        "looked_after": "Children looked after",
        "cp_plans": "Children on child protection plans",
        "cin_local": "Children in need (local definition)",
        "cin_dfe": "Children in need (DfE definition)",
    }
    return {
        labels[key]: (str(value["count"]), f"{value['rate_per_10k']:.1f}")
        for key, value in figures.items()
    }


def test_the_home_page_refuses_anonymous_visitors_and_sends_them_to_sign_in(anonymous_visitor, db):
    page = anonymous_visitor.get("/")
    assert page.status_code == 302
    assert page.headers["Location"] == "/sign-in?next=/"


def test_the_home_page_shows_the_figures_at_the_latest_date_in_the_data(
    middlesbrough_worker, small_dataset, small_dataset_figures
):
    page = middlesbrough_worker.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Children at 21 December 2018" in html
    assert figures_shown(html) == expected(small_dataset_figures[date(2018, 12, 21)])


def test_the_home_page_shows_the_figures_at_the_date_asked_for(
    middlesbrough_worker, small_dataset, small_dataset_figures
):
    page = middlesbrough_worker.get("/", {"at-day": "1", "at-month": "3", "at-year": "2018"})
    html = page.content.decode()
    assert "Children at 1 March 2018" in html
    assert figures_shown(html) == expected(small_dataset_figures[date(2018, 3, 1)])


def test_the_home_page_says_what_the_data_covers_and_when_it_was_produced(
    middlesbrough_worker, small_dataset
):
    html = middlesbrough_worker.get("/").content.decode()
    assert "Middlesbrough (806)" in html
    assert "1 April 2017 to 21 December 2018" in html
    assert "Dataset produced" in html


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2018", "The date of the figures must be a real date"),
        ("1", "", "2018", "The date of the figures must include a month"),
        ("1", "1", "2019", "must be between 1 April 2017 and 21 December 2018"),
        ("x", "1", "2018", "The date of the figures must be a real date"),
    ],
)
def test_a_date_the_figures_cannot_be_shown_for_is_explained(
    middlesbrough_worker, small_dataset, day, month, year, message
):
    page = middlesbrough_worker.get("/", {"at-day": day, "at-month": month, "at-year": year})
    html = page.content.decode()
    assert message in html
    assert 'href="#at-day"' in html
    assert "<title>Error:" in html
    assert figures_shown(html) == {}


def test_staff_see_only_the_authorities_they_work_for(hartlepool_worker, small_dataset):
    refused = hartlepool_worker.get("/", {"authority": "806"})
    assert refused.status_code == 404
    assert "Page not found" in refused.content.decode()
    assert "Middlesbrough" not in refused.content.decode()
    html = hartlepool_worker.get("/").content.decode()
    assert "Hartlepool (805)" in html
    assert figures_shown(html)["Children looked after"] == ("1", "0.5")


def test_a_dataset_that_fails_its_checks_still_gives_figures_under_a_warning(
    middlesbrough_worker, small_dataset_changed
):
    def unknown_referral_source(tables):
        tables["referrals"] = tables["referrals"].with_columns(referral_source=pl.lit("ZZ"))

    small_dataset_changed(unknown_referral_source)
    html = middlesbrough_worker.get("/").content.decode()
    assert "The dataset fails some of its checks, so these figures may be wrong" in html
    assert "referral_source" in html  # what the checks found
    assert figures_shown(html)["Children looked after"] == ("2", "0.6")


def test_a_folder_that_is_not_a_dataset_is_explained(middlesbrough_worker, settings, tmp_path):
    settings.CHILDRENMATTER_DATASET = tmp_path
    page = middlesbrough_worker.get("/")
    assert page.status_code == 503
    assert "The child-level dataset cannot be read" in page.content.decode()


def test_the_home_page_explains_when_there_is_no_dataset(middlesbrough_worker, settings, tmp_path):
    settings.CHILDRENMATTER_DATASET = tmp_path / "nothing-here"
    page = middlesbrough_worker.get("/")
    assert page.status_code == 503
    assert "There is no child-level dataset" in page.content.decode()


def test_pages_carry_a_content_security_policy_and_refuse_framing(anonymous_visitor):
    page = anonymous_visitor.get("/sign-in")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["X-Frame-Options"] == "DENY"


def test_a_server_error_page_needs_nothing_from_the_request(rf):
    from django.views.defaults import server_error

    page = server_error(rf.get("/"))
    assert page.status_code == 500
    assert "Sorry, there is a problem with the service" in page.content.decode()
