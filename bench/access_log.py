"""Benchmark: the access log page and its CSV over 1,000,000 entries in two authorities.

Fills an empty store with 20,000 people and 1,000,000 access log entries (one every 30
seconds back from now, 50 users), then times the page (first page, page 500, filtered by
person, by user, by a week) through Django's test client as a head of service at 806,
and one user's entries as CSV. Use a database of its own: it writes to the one named.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/acct_bench \\
      CHILDRENMATTER_DATA_DIR=/tmp/bench-var .venv/bin/childrenmatter manage migrate
      (same variables) .venv/bin/python bench/access_log.py
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childrenmatter.config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from childrenmatter.accounts.models import AccessLog, StaffMembership  # noqa: E402
from childrenmatter.people.models import Person  # noqa: E402

ENTRIES = 1_000_000
PEOPLE = 20_000
USERS = 50


def fill() -> None:
    User = get_user_model()
    people = Person.objects.bulk_create([
        Person(la_code="806" if i % 2 else "805", local_id=f"P{i}", given_name="Amy",
               family_name="Hart")
        for i in range(PEOPLE)
    ])
    users = [User.objects.create(username=f"bench{i}") for i in range(USERS)]
    now = timezone.now()
    batch = []
    for i in range(ENTRIES):
        person = people[i % PEOPLE]
        batch.append(AccessLog(at=now - timedelta(seconds=i * 30), user=users[i % USERS],
                               la_code=person.la_code, person=person, what="person page"))
        if len(batch) == 20_000:
            AccessLog.objects.bulk_create(batch)
            batch = []
    head = User.objects.create(username="bench-head")
    StaffMembership.objects.create(user=head, la_code="806", role="head_of_service")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_accesslog")


def main() -> None:
    setup_test_environment()  # the test client, without a test database
    if not AccessLog.objects.exists():
        fill()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-head"))
    person = Person.objects.filter(la_code="806").first().pk
    week = timezone.localdate() - timedelta(days=14)
    week_query = f"date_from={week:%d/%m/%Y}&date_to={week + timedelta(days=6):%d/%m/%Y}"
    for label, url in [
        ("first page", "/access-log/"),
        ("page 500", "/access-log/?page=500"),
        ("by person", f"/access-log/?person={person}"),
        ("by user", "/access-log/?user=bench7"),
        ("a week", f"/access-log/?{week_query}"),
    ]:
        client.get(url)  # the first request compiles templates
        times = []
        for _ in range(7):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        print(f"{label}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    start = time.perf_counter()
    response = client.get("/access-log.csv?user=bench7")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    print(f"CSV of one user: {lines:,} lines in {time.perf_counter() - start:.1f} s")
    print(f"entries: {AccessLog.objects.count():,} on {connection.vendor}")


if __name__ == "__main__":
    main()
