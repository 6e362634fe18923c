"""Load on the screening page: 50 practitioners at once against a PostgreSQL store of a
million people (issue 3: p95 at most 150 ms on loopback).

    .venv/bin/pip install -e '.[bench]'            # locust
    .venv/bin/python bench/people_search.py ...     # makes the million people (once)
    .venv/bin/python bench/screening_load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/childrenmatter_bench \\
        --users 50 --duration 60

What it does: adds (once) a front-door practitioner and CONTACTS undecided contacts about
children of the bench database, each child with earlier contacts and a referral so the
screening page has a history to show; serves the app with gunicorn (--workers processes,
as a deployment would); then runs locust headless on loopback: every simulated user signs
in once (the figures start when the last has: 50 Argon2 sign-ins at once queue the
server for seconds, a burst that is not the screening page) and then opens a random
contact's screening page, pausing --think seconds (uniform 0.5x..1.5x) between pages, as a
practitioner reading and moving on would. A
second run with no pause (--think 0) gives the saturation figures: how many pages a
second the machine serves when everyone clicks at once. Every screening read writes the
access log, as in production.

It prints the figures and the command that reproduces them. The machine is shared and
noisy (2 cores for the server, the database and locust together): read the figures with
the load average printed beside them.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERNAME = "bench.frontdoor"
PASSWORD = "bench screening password 1"
REFERENCE_PREFIX = "BENCH-SCREEN-"
# Seconds added to each run for 50 people signing in (Argon2) before the figures start.
SIGN_IN_ALLOWANCE = 30

LOCUSTFILE = '''
import random, re, time
from gevent.event import Event
from locust import HttpUser, task, between, constant

CONTACT_IDS = {contact_ids!r}
THINK = {think!r}
USERS = {users!r}
# Everyone signs in first; the figures count from when the last one has (Argon2 on 50
# sign-ins at once is a burst of its own that queues pages behind it, not screening).
SIGNED_IN = {{"count": 0, "started": time.monotonic()}}
ALL_SIGNED_IN = Event()

class Practitioner(HttpUser):
    wait_time = between(THINK * 0.5, THINK * 1.5) if THINK else constant(0)

    def on_start(self):
        page = self.client.get("/sign-in", name="sign in (form)")
        token = self.client.cookies.get("csrftoken")
        self.client.post("/sign-in", name="sign in", data={{
            "username": {username!r}, "password": {password!r},
            "csrfmiddlewaretoken": token}}, headers={{"Referer": self.host + "/sign-in"}})
        SIGNED_IN["count"] += 1
        if SIGNED_IN["count"] == USERS:
            print(f"all {{USERS}} signed in after {{time.monotonic() - SIGNED_IN['started']:.1f}} s",
                  flush=True)
            self.environment.runner.stats.reset_all()
            ALL_SIGNED_IN.set()
        ALL_SIGNED_IN.wait()
        # users then start at random moments within one pause, not all at once
        time.sleep(random.uniform(0, THINK))

    @task
    def screening(self):
        contact = random.choice(CONTACT_IDS)
        with self.client.get(f"/front-door/contacts/{{contact}}/", name="screening page",
                             catch_response=True) as response:
            if response.status_code != 200 or "sign-in" in response.url:
                response.failure(f"status {{response.status_code}} at {{response.url}}")
'''


def setup_django(database_url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CHILDRENMATTER_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childrenmatter.config.settings")
    import django

    django.setup()


def prepare(contacts: int, seed: int) -> list[int]:
    """The practitioner and the bench contacts (made once); returns the contacts' ids."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from childrenmatter.accounts.models import Role, StaffMembership
    from childrenmatter.casework.models import Referral
    from childrenmatter.frontdoor.models import Contact, ContactChild, ContactStatus, Decision
    from childrenmatter.people.models import Person

    la_codes = sorted(Person.objects.values_list("la_code", flat=True).distinct()[:5])
    if not la_codes:
        raise SystemExit("The bench database has no people: run bench/people_search.py first")
    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    for la_code in la_codes:
        StaffMembership.objects.get_or_create(
            user=user, la_code=la_code, defaults={"role": Role.FRONT_DOOR_PRACTITIONER}
        )
    existing = list(
        Contact.objects.filter(reference__startswith=REFERENCE_PREFIX, decision="")
        .values_list("id", flat=True)
    )
    if len(existing) >= contacts:
        return existing[:contacts]

    rng = random.Random(seed)
    la_code = la_codes[0]
    max_id = Person.objects.filter(la_code=la_code).order_by("-id").values_list("id", flat=True)[0]
    min_id = Person.objects.filter(la_code=la_code).order_by("id").values_list("id", flat=True)[0]
    now = timezone.now()
    with transaction.atomic():
        while len(existing) < contacts:
            # a sibling group of one to three children, each with two earlier contacts
            first = rng.randint(min_id, max_id - 3)
            children = list(
                Person.objects.filter(la_code=la_code, id__gte=first, is_child=True)
                .order_by("id")[: rng.randint(1, 3)]
            )
            if not children:
                continue
            number = len(existing)
            for earlier in (2, 1):
                old = Contact.objects.create(
                    la_code=la_code, reference=f"{REFERENCE_PREFIX}{number}-{earlier}",
                    received_at=now - timedelta(days=200 * earlier), source="2A",
                    summary="An earlier contact (benchmark).", status=ContactStatus.DECIDED,
                    rag="amber", decision=Decision.REFERRAL,
                    decided_at=now - timedelta(days=200 * earlier - 1),
                )
                ContactChild.objects.bulk_create(
                    ContactChild(contact=old, person=child) for child in children
                )
                Referral.objects.bulk_create(
                    Referral(
                        la_code=la_code, reference=f"{old.reference}-{child.id}", person=child,
                        contact=old, referral_date=(now - timedelta(days=200 * earlier)).date(),
                        referral_source="2A",
                    )
                    for child in children
                )
            contact = Contact.objects.create(
                la_code=la_code, reference=f"{REFERENCE_PREFIX}{number}",
                received_at=now - timedelta(hours=rng.randint(0, 20)), source="6",
                summary="A benchmark contact awaiting screening.",
            )
            ContactChild.objects.bulk_create(
                ContactChild(contact=contact, person=child) for child in children
            )
            existing.append(contact.id)
    return existing[:contacts]


def serve(database_url: str, data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CHILDRENMATTER_DATA_DIR": str(data_dir),
        "CHILDRENMATTER_DEBUG": "0",
    }
    server = subprocess.Popen(
        [str(BIN / "childrenmatter"), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("The server did not start")


def run_locust(port: int, users: int, duration: int, think: float, contact_ids: list[int],
               folder: Path) -> dict:
    locustfile = folder / f"locustfile_{think}.py"
    locustfile.write_text(LOCUSTFILE.format(
        contact_ids=contact_ids, think=think, users=users, username=USERNAME, password=PASSWORD
    ))
    prefix = folder / f"stats_{think}"
    with open(folder / "locust.log", "w") as log:
        _run_locust_process(port, users, duration, locustfile, prefix, log)
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return _figures(rows, folder)


def _run_locust_process(port, users, duration, locustfile, prefix, log) -> None:
    subprocess.run(
        [str(BIN / "locust"), "-f", str(locustfile), "--headless", "-u", str(users),
         # the run: everyone signing in (not counted: the locustfile resets the figures
         # when the last has), then DURATION seconds of screening
         "-r", str(max(1, users // 5)), "-t", f"{duration + SIGN_IN_ALLOWANCE}s", "--host",
         f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
         "--loglevel", "INFO"],
        check=False, stdout=log, stderr=log,
    )


def _figures(rows: dict, folder: Path) -> dict:
    if "screening page" not in rows:
        raise SystemExit(f"locust ran no screening page: {rows.keys()}\n"
                         + (folder / "locust.log").read_text()[-3000:])
    row = rows["screening page"]
    signed_in = re.search(r"all \d+ signed in after ([\d.]+) s", (folder / "locust.log").read_text())
    if signed_in is None:
        raise SystemExit("not everyone signed in within the allowance: "
                         + (folder / "locust.log").read_text()[-3000:])
    return {
        "sign_in_seconds": float(signed_in.group(1)),
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "per_second": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/childrenmatter_bench")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user pauses between pages (0: none)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--saturation", action="store_true",
                        help="also run once with no pause between pages")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="screening-load-") as tmp:
        folder = Path(tmp)
        setup_django(args.database_url, folder)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        from childrenmatter.people.models import Person

        call_command("migrate", verbosity=0)  # the bench database may predate a migration
        people = Person.objects.count()
        contact_ids = prepare(args.contacts, args.seed)
        get_user_model()  # settings are loaded; the server reads the same database
        server = serve(args.database_url, folder, args.port, args.workers)
        try:
            runs = [("think", args.think)] + ([("saturation", 0.0)] if args.saturation else [])
            results = {}
            for label, think in runs:
                results[label] = (run_locust(args.port, args.users, args.duration, think,
                                             contact_ids, folder), os.getloadavg()[0])
        finally:
            server.terminate()
            server.wait(timeout=30)

    command = " ".join(shlex.quote(part) for part in ["python", *sys.argv])
    print(f"Screening page under load: {people:,} people in the store, "
          f"{len(contact_ids)} contacts, {args.users} users, gunicorn --workers {args.workers}")
    for label, (figures, load) in results.items():
        pause = f"{args.think:g} s mean pause" if label == "think" else "no pause"
        print(f"  {label:10} ({pause}): {figures['requests']:,} pages, "
              f"{figures['failures']} failed, {figures['per_second']:.1f}/s, "
              f"p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, "
              f"p99 {figures['p99']:.0f} ms (load average {load:.1f}; everyone signed in "
              f"first, in {figures['sign_in_seconds']:.0f} s, not counted)")
    print(f"Reproduce: {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
