"""Benchmark: finding a person among 1,000,000 synthetic people on PostgreSQL.

Builds (once) a database of synthetic people: names drawn from Faker's en_GB name lists
(weighted as Faker weights them), dates of birth 0-25 years ago, postcodes, and NHS numbers
for a third of them in the 999 range the NHS reserves for testing. Then runs searches for
people picked at random, each with realistic errors (a typo in a name, a nickname, names
swapped, day and month swapped, a digit wrong in the date of birth, two errors at once)
and reports the latency of ``people.search.find_people`` (p50/p95/p99) and how often the
right person is first and in the top 5.

Run:  .venv/bin/python bench/people_search.py [--people 1000000] [--searches 2000]
          [--database childrenmatter_bench] [--rebuild]
DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test); the
people go into --database on that server, created and migrated if missing, and kept
afterwards so other benchmarks (the screening page's load test) can use it.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import string
import sys
import time
from collections import Counter
from datetime import date, timedelta
from urllib.parse import urlparse, urlunparse

LA_CODE = "806"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/test"


def _database_url(server: str, database: str) -> str:
    parts = urlparse(server)
    return urlunparse(parts._replace(path=f"/{database}"))


def _ensure_database(server: str, database: str) -> None:
    import psycopg

    with psycopg.connect(_database_url(server, "postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childrenmatter.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _nhs_number(rng: random.Random) -> str:
    from childrenmatter.people.keys import nhs_check_digit

    while True:
        first_nine = "999" + "".join(rng.choices(string.digits, k=6))
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def _name_pools(rng: random.Random):
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(rng.randrange(2**31))
    # Draws from Faker's weighted lists keep its distribution when sampled uniformly.
    female = [fake.first_name_female() for _ in range(20_000)]
    male = [fake.first_name_male() for _ in range(20_000)]
    family = [fake.last_name() for _ in range(40_000)]
    postcodes = [fake.postcode() for _ in range(60_000)]
    return female, male, family, postcodes


def build(count: int, seed: int) -> None:
    from django.db import connection

    from childrenmatter.people.keys import format_postcode, name_key, postcode_key

    rng = random.Random(seed)
    female, male, family, postcodes = _name_pools(rng)
    today = date.today()
    keys: dict[str, str] = {}

    def key(name: str) -> str:
        if name not in keys:
            keys[name] = name_key(name)
        return keys[name]

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE people_address, people_person RESTART IDENTITY CASCADE")
        people, addresses = io.StringIO(), io.StringIO()
        for n in range(1, count + 1):
            sex = rng.choice("MF")
            given = rng.choice(female if sex == "F" else male)
            surname = rng.choice(family)
            born = today - timedelta(days=rng.randrange(25 * 365))
            postcode = rng.choice(postcodes)
            nhs = _nhs_number(rng) if rng.random() < 0.33 else ""
            people.write("\t".join([
                LA_CODE, f"B{n:07d}", "t" if born > today - timedelta(days=18 * 365) else "f",
                given, surname, born.isoformat(), sex, nhs, "", "", "[]", "f", "f",
                key(given), key(surname), postcode_key(postcode), "1", f"{today} 00:00+00",
            ]) + "\n")
            addresses.write(f"{n}\t{rng.randrange(1, 200)} {rng.choice(family)} Street\t"
                            f"\tMiddlesbrough\t{format_postcode(postcode)}\t{born}\n")
        print(f"generated {count:,} people in {time.perf_counter() - started:.0f} s")
        people.seek(0)
        addresses.seek(0)
        raw = cursor.cursor
        with raw.copy(
            "COPY people_person (la_code, local_id, is_child, given_name, family_name, "
            "date_of_birth, sex, nhs_number, ethnicity, upn, disabilities, uasc, restricted, "
            "given_key, family_key, postcode_key, version, created_at) FROM STDIN"
        ) as copy:
            copy.write(people.getvalue())
        with raw.copy(
            "COPY people_address (person_id, line_1, line_2, town, postcode, start_date) FROM STDIN"
        ) as copy:
            copy.write(addresses.getvalue())
        cursor.execute("ANALYZE people_person")
        cursor.execute("ANALYZE people_address")
    print(f"loaded into PostgreSQL in {time.perf_counter() - started:.0f} s in all")


# --- Realistic errors ---------------------------------------------------------------------


def _typo(rng: random.Random, name: str) -> str:
    """One keyboard slip: a letter dropped, doubled, swapped with the next, or wrong."""
    if len(name) < 3:
        return name + rng.choice(string.ascii_lowercase)
    i = rng.randrange(1, len(name) - 1)  # people rarely get the first letter wrong
    kind = rng.choice(["drop", "double", "swap", "wrong"])
    if kind == "drop":
        return name[:i] + name[i + 1:]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1:]


def _nickname(rng: random.Random, given: str) -> str | None:
    from childrenmatter.people.nicknames import nicknames_of

    options = sorted(nicknames_of(given.lower()))
    return rng.choice(options).title() if options else None


def _dob_digit(rng: random.Random, born: date) -> date:
    while True:
        text = list(born.strftime("%Y%m%d"))
        i = rng.choice([3, 5, 6, 7])  # a year's last digit, a month's or a day's
        text[i] = rng.choice(string.digits)
        try:
            wrong = date(int("".join(text[:4])), int("".join(text[4:6])), int("".join(text[6:])))
        except ValueError:
            continue
        if wrong != born:
            return wrong


ERRORS = [
    "exact", "family typo", "given typo", "nickname", "names swapped", "day/month swapped",
    "date digit wrong", "family typo + day/month swapped", "given typo + date digit wrong",
    "names and postcode, no date", "NHS number + family typo",
]


def make_search(rng: random.Random, person, kind: str) -> dict:
    given, family, born = person.given_name, person.family_name, person.date_of_birth
    search = {"given_name": given, "family_name": family, "date_of_birth": born}
    if kind == "family typo":
        search["family_name"] = _typo(rng, family)
    elif kind == "given typo":
        search["given_name"] = _typo(rng, given)
    elif kind == "nickname":
        search["given_name"] = _nickname(rng, given) or _typo(rng, given)
    elif kind == "names swapped":
        search["given_name"], search["family_name"] = family, given
    elif kind == "day/month swapped":
        search["date_of_birth"] = (date(born.year, born.day, born.month) if born.day <= 12
                                   and born.day != born.month else _dob_digit(rng, born))
    elif kind == "date digit wrong":
        search["date_of_birth"] = _dob_digit(rng, born)
    elif kind == "family typo + day/month swapped":
        search["family_name"] = _typo(rng, family)
        if born.day <= 12 and born.day != born.month:
            search["date_of_birth"] = date(born.year, born.day, born.month)
    elif kind == "given typo + date digit wrong":
        search["given_name"] = _typo(rng, given)
        search["date_of_birth"] = _dob_digit(rng, born)
    elif kind == "names and postcode, no date":
        search["date_of_birth"] = None
        search["postcode"] = person.postcode_key
    elif kind == "NHS number + family typo":
        search["family_name"] = _typo(rng, family)
        search["nhs_number"] = person.nhs_number
    return search


def run_searches(count: int, seed: int, explain: int = 0) -> None:
    from childrenmatter.people.models import Person
    from childrenmatter.people.search import find_people

    rng = random.Random(seed + 1)
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    total = Person.objects.count()
    picked = Person.objects.filter(pk__in=[rng.randrange(1, last + 1) for _ in range(count * 2)])
    people = list(picked)[:count]
    with_nhs = [p for p in people if p.nhs_number]
    timings, cpu, first, top5 = [], [], Counter(), Counter()
    tried = Counter()
    misses = []
    # Warm up the connection and caches, as a running server would be.
    for person in people[:20]:
        find_people(la_codes=[LA_CODE], family_name=person.family_name)
    for i, person in enumerate(people):
        kind = ERRORS[i % len(ERRORS)]
        if kind == "NHS number + family typo":
            person = with_nhs[i % len(with_nhs)] if with_nhs else person
        search = make_search(rng, person, kind)
        started, started_cpu = time.perf_counter(), time.process_time()
        found = find_people(la_codes=[LA_CODE], limit=10, **search)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        ids = [c.person.pk for c in found]
        tried[kind] += 1
        first[kind] += bool(ids) and ids[0] == person.pk
        top5[kind] += person.pk in ids[:5]
        if person.pk not in ids[:5] and len(misses) < 15:
            misses.append((kind, person.given_name, person.family_name, person.date_of_birth,
                           search))
    timings.sort()
    cpu.sort()

    def pct(p: float, values=timings) -> float:
        return values[min(len(values) - 1, int(p * len(values)))]

    n = len(timings)
    print(f"{n:,} searches over {total:,} people (one authority) on PostgreSQL; machine "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared)")
    print(f"latency ms: p50 {pct(0.50):.1f}  p95 {pct(0.95):.1f}  p99 {pct(0.99):.1f}  "
          f"max {timings[-1]:.1f}  mean {statistics.mean(timings):.1f}")
    # The benchmark's own CPU (Django, scoring; not the database server's): what the search
    # costs when the machine is not shared, as a check on wall times taken under load.
    print(f"client CPU ms: p50 {pct(0.50, cpu):.1f}  p95 {pct(0.95, cpu):.1f}  "
          f"p99 {pct(0.99, cpu):.1f}")
    print(f"right person first: {sum(first.values()) / n:.1%}   "
          f"in the top 5: {sum(top5.values()) / n:.1%}")
    for kind in ERRORS:
        if tried[kind]:
            print(f"  {kind:34} {tried[kind]:5}  first {first[kind] / tried[kind]:6.1%}  "
                  f"top 5 {top5[kind] / tried[kind]:6.1%}")
    for miss in misses:
        print("  missed:", *miss)
    _explain(rng, people, explain)


def _explain(rng: random.Random, people: list, count: int) -> None:
    """PostgreSQL's own time for the candidate statement (EXPLAIN ANALYZE), which the
    machine's other load disturbs less than wall time in the client."""
    import json

    from django.db import connection

    from childrenmatter.people.search import Query, candidate_sql

    if not count:
        return
    times = []
    with connection.cursor() as cursor:
        for i, person in enumerate(people[:count]):
            search = make_search(rng, person, ERRORS[i % len(ERRORS)])
            sql, params = candidate_sql(Query(**{k: v or "" if k != "date_of_birth" else v
                                                  for k, v in search.items()}), [LA_CODE])
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            times.append(plan[0]["Planning Time"] + plan[0]["Execution Time"])
    times.sort()
    print(f"PostgreSQL planning + execution of the candidate statement, {len(times)} "
          f"searches, ms: p50 {times[len(times) // 2]:.2f}  "
          f"p95 {times[int(len(times) * 0.95)]:.2f}  max {times[-1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=2_000)
    parser.add_argument("--database", default="childrenmatter_bench")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--explain", type=int, default=200, metavar="N",
                        help="also EXPLAIN ANALYZE the candidate statement of N searches")
    parser.add_argument("--rebuild", action="store_true",
                        help="make the people again even if the database has them")
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    _ensure_database(server, args.database)
    _setup_django(_database_url(server, args.database))
    from childrenmatter.people.models import Person

    have = Person.objects.count()
    if args.rebuild or have != args.people:
        build(args.people, args.seed)
    else:
        print(f"reusing {have:,} people in {args.database}")
    run_searches(args.searches, args.seed, args.explain)
    print(f"reproduce: DATABASE_URL={server} .venv/bin/python bench/people_search.py "
          f"--people {args.people} --searches {args.searches} --database {args.database}")


if __name__ == "__main__":
    sys.exit(main())
