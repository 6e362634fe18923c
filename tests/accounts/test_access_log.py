"""The access log page: who read which record and when, for those who may look."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from childrenmatter.accounts.models import AccessLog
from childrenmatter.people.access import access_person
from childrenmatter.people.models import Person

LOG = "/access-log/"


def make_person(la_code: str, local_id: str) -> Person:
    return Person.objects.create(la_code=la_code, local_id=local_id, given_name="Amy",
                                 family_name="Hart")


@pytest.fixture
def reads(make_staff):
    """Three reads at Middlesbrough on three days, and one at Hartlepool."""
    worker = make_staff("social_worker", username="worker")
    other = make_staff("front_door_practitioner", username="practitioner")
    hartlepool_worker = make_staff("social_worker", la_code="805", username="hworker")
    child, second = make_person("806", "C1"), make_person("806", "C2")
    hartlepool_child = make_person("805", "H1")
    access_person(worker, child.pk, what="person page")
    access_person(other, second.pk, what="screening")
    access_person(worker, second.pk, what="person page")
    access_person(hartlepool_worker, hartlepool_child.pk, what="person page")
    zone = timezone.get_current_timezone()
    rows = AccessLog.objects.filter(la_code="806").order_by("id")
    for days, row in zip((3, 2, 1), rows, strict=True):
        row.at = datetime(2026, 3, 27, 12, tzinfo=zone) - timedelta(days=days)
        row.save()
    return {"child": child, "second": second, "hartlepool_child": hartlepool_child}


def rows_of(html: str) -> int:
    return html.count('<tr class="govuk-table__row">') - 1  # less the heading row


def test_a_head_of_service_sees_their_authority_s_log_newest_first(client, make_staff, reads):
    client.force_login(make_staff("head_of_service"))
    page = client.get(LOG)
    assert page.status_code == 200
    html = page.content.decode()
    assert rows_of(html) == 3
    assert html.index("26 March 2026") < html.index("25 March 2026") < html.index("24 March 2026")
    # Hartlepool's reads are Hartlepool's (looked for in the table: a random CSRF token
    # elsewhere in the page could hold "H1")
    table = html[html.index("<table"):html.index("</table>")]
    assert "H1" not in table


def test_reading_the_log_is_not_a_read_of_anyone_s_record(client, make_staff, reads):
    client.force_login(make_staff("auditor"))
    before = AccessLog.objects.count()
    client.get(LOG)
    client.get(LOG.rstrip("/") + ".csv")
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize(("query", "expected"), [
    ("person={second}", 2),
    ("user=worker", 2),
    ("user=practitioner", 1),
    ("date_from=25/3/2026", 2),
    ("date_to=24/3/2026", 1),
    ("date_from=2026-03-25&date_to=25 3 2026", 1),
])
def test_the_log_can_be_filtered(client, make_staff, reads, query, expected):
    client.force_login(make_staff("auditor"))
    html = client.get(f"{LOG}?{query.format(second=reads['second'].pk)}").content.decode()
    assert rows_of(html) == expected


def test_a_date_that_is_not_real_is_named(client, make_staff, reads):
    client.force_login(make_staff("auditor"))
    html = client.get(f"{LOG}?date_from=31/2/2026&date_to=1/1/2026").content.decode()
    assert '<a href="#date_from">The from date must be a real date' in html


def test_a_to_date_before_the_from_date_is_named(client, make_staff, reads):
    client.force_login(make_staff("auditor"))
    html = client.get(f"{LOG}?date_from=2/2/2026&date_to=1/1/2026").content.decode()
    assert "The to date must be the same as or after the from date" in html


def test_the_log_is_paginated(client, make_staff, reads, monkeypatch):
    monkeypatch.setattr("childrenmatter.accounts.views.PAGE_SIZE", 2)
    client.force_login(make_staff("auditor"))
    first = client.get(LOG + "?user=&page=1").content.decode()
    assert rows_of(first) == 2 and "page=2" in first
    assert rows_of(client.get(LOG + "?page=2").content.decode()) == 1


def test_the_log_downloads_as_csv_with_the_same_filter(client, make_staff, reads):
    client.force_login(make_staff("system_administrator"))
    page = client.get("/access-log.csv?user=worker")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(page.streaming_content).decode())))
    assert [row["person_local_id"] for row in rows] == ["C2", "C1"]
    assert {row["user"] for row in rows} == {"worker"}
    assert rows[0]["allowed"] == "yes"


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "performance_analyst"])
def test_the_log_is_refused_to_those_without_the_permission(client, make_staff, reads, role):
    client.force_login(make_staff(role))
    assert client.get(LOG).status_code == 403
    assert client.get("/access-log.csv").status_code == 403


def test_a_refused_read_shows_as_refused_with_why(client, make_staff, reads):
    from childrenmatter.people.access import RestrictedRecord

    reads["child"].restricted = True
    reads["child"].save()
    nosy = make_staff("social_worker", username="nosy")
    with pytest.raises(RestrictedRecord):
        access_person(nosy, reads["child"].pk, what="person page")
    client.force_login(make_staff("auditor"))
    html = client.get(LOG + "?user=nosy").content.decode()
    assert "Refused: restricted record" in html
