"""Fixtures shared by every test: who is using the service, and a small dataset to show them.

Personas (STYLE.md): a member of staff at Middlesbrough (806), one at Hartlepool (805)
who must not see Middlesbrough's figures, and an anonymous visitor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from testdata import (  # noqa: F401 (re-exported for the fixtures below)
    FIGURES_AT_1_MARCH_2018,
    FIGURES_AT_21_DECEMBER_2018,
    HARTLEPOOL,
    MIDDLESBROUGH,
    PASSWORD,
    small_dataset_tables,
)

# On CI the machine may be busy with other work: a property test that is merely slow there
# should not fail on Hypothesis's per-example deadline. Locally the deadline stays on.
# And CI explores the same examples every run (derandomize), so a red build is the code's
# doing, not a new draw's; new draws happen on every developer's run.
hypothesis_settings.register_profile("ci", deadline=None, print_blob=True, derandomize=True)
if os.environ.get("CI", "").lower() not in ("", "0", "false"):
    hypothesis_settings.load_profile("ci")


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database this run uses, so a log shows the PostgreSQL pass really was one."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so the PostgreSQL pass can pick them.

    A test uses the database if it has pytest-django's ``django_db`` marker or asks, even
    indirectly, for one of its database fixtures (``db``, ``transactional_db``...), all of
    which go through ``_django_db_helper``.
    """
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if item.get_closest_marker("django_db") or "_django_db_helper" in fixtures:
            item.add_marker(pytest.mark.database)


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    la_code: str


def _make_staff(username: str, la_code: str, role: str = "team_manager", **membership):
    from django.contrib.auth import get_user_model

    from childrenmatter.accounts.models import StaffMembership

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    StaffMembership.objects.create(user=user, la_code=la_code, role=role, **membership)
    return user


@pytest.fixture
def make_staff(db):
    """Make a member of staff: ``make_staff(role, la_code="806", username=None, **membership)``.

    Returns the user; ``user.persona`` is the Persona to sign in with (password PASSWORD).
    Each role in ``accounts.models.Role``; a partner needs ``partner_organisation=``. Give
    ``la_codes=[...]`` for someone working for several authorities (a shared front door).
    """
    from childrenmatter.accounts.models import StaffMembership

    made = []

    def make(role: str, la_code: str = MIDDLESBROUGH, username: str | None = None,
             la_codes: list[str] | None = None, **membership):
        codes = la_codes or [la_code]
        name = username or f"{role.replace('_', '.')}.{len(made) + 1}.{codes[0]}"
        user = _make_staff(name, codes[0], role, **membership)
        for other in codes[1:]:
            StaffMembership.objects.create(user=user, la_code=other, role=role, **membership)
        user.persona = Persona(name, PASSWORD, codes[0])
        made.append(user)
        return user

    return make


@pytest.fixture
def middlesbrough_user(db):
    """A team manager who works for Middlesbrough, not signed in yet."""
    return _make_staff("sam.middlesbrough", MIDDLESBROUGH)


@pytest.fixture
def middlesbrough_persona(middlesbrough_user) -> Persona:
    return Persona(middlesbrough_user.username, PASSWORD, MIDDLESBROUGH)


@pytest.fixture
def middlesbrough_worker(client, middlesbrough_user):
    """A test client signed in as the Middlesbrough team manager."""
    client.force_login(middlesbrough_user)
    return client


@pytest.fixture
def hartlepool_worker(client, db):
    """A test client signed in as someone who works for Hartlepool only."""
    client.force_login(_make_staff("alex.hartlepool", HARTLEPOOL))
    return client


@pytest.fixture
def anonymous_visitor(client):
    """A test client nobody has signed in to."""
    return client


@pytest.fixture(scope="session")
def small_dataset_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from childrenmatter.dataset.io import write_dataset

    return write_dataset(small_dataset_tables(), tmp_path_factory.mktemp("dataset") / "small")


@pytest.fixture
def small_dataset_figures() -> dict[date, dict]:
    """What stock_indicators should give for Middlesbrough in the small dataset, by date."""
    return {
        date(2018, 12, 21): FIGURES_AT_21_DECEMBER_2018,
        date(2018, 3, 1): FIGURES_AT_1_MARCH_2018,
    }


@pytest.fixture
def small_dataset(settings, small_dataset_folder: Path) -> Path:
    """The small dataset, as the dataset the pages read."""
    settings.CHILDRENMATTER_DATASET = small_dataset_folder
    return small_dataset_folder


@pytest.fixture
def small_dataset_changed(settings, tmp_path: Path):
    """Make a variant of the small dataset the pages read: ``change(tables)`` edits the frames."""
    from childrenmatter.dataset.io import write_dataset

    def make(change) -> Path:
        tables = small_dataset_tables()
        change(tables)
        folder = write_dataset(tables, tmp_path / "changed")
        settings.CHILDRENMATTER_DATASET = folder
        return folder

    return make


def _shared_dataset(tmp_path_factory: pytest.TempPathFactory, worker_id: str, preset: str) -> Path:
    """A preset simulated once per test run, kept on disk and shared by the xdist workers.

    Simulating takes seconds (Middlesbrough) to minutes (England); a lock makes the first
    worker to ask do it while the others wait for the same copy.
    """
    import fcntl

    from childrenmatter.simulator.engine import simulate_to

    base = tmp_path_factory.getbasetemp()
    root = base.parent if worker_id != "master" else base
    folder = root / f"dataset-{preset}"
    with open(root / f"{preset}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "authorities.parquet").exists():
            simulate_to(preset, folder)
    return folder


@pytest.fixture(scope="session")
def middlesbrough(tmp_path_factory, worker_id) -> Path:
    """The simulated seed council (middlesbrough-2018), read-only."""
    return _shared_dataset(tmp_path_factory, worker_id, "middlesbrough-2018")


@pytest.fixture(scope="session")
def england(tmp_path_factory, worker_id) -> Path:
    """The 153 simulated authorities (england-2025), read-only."""
    return _shared_dataset(tmp_path_factory, worker_id, "england-2025")


# A real browser for the page tests: Debian's Chromium driven by Playwright. Fixtures here
# so that every folder's page tests share them: `page`, `page_without_javascript`, and
# `sign_in` / `serious_problems` for signing in and for axe's accessibility check.

CHROMIUM = Path(os.environ.get("CHILDRENMATTER_CHROMIUM", "/usr/bin/chromium"))
# No sandbox (we run as root in CI) and no calls home: this machine has no network but
# the package registries, and Chromium's background requests would only fail.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} ('make test' installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, and Django refuses ORM calls
    # when it sees one; the tests' own ORM calls are ordinary synchronous ones, so allow
    # them while the browser is open, and put the guard back afterwards.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def _page(browser, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_problems = []  # CSP violations and script errors, which a page must not have
    page.on("console", lambda m: m.type == "error" and page.console_problems.append(m.text))
    page.on("pageerror", lambda e: page.console_problems.append(str(e)))
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser)
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser):
    context, page = _page(browser, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def sign_in():
    """Sign in through the real sign-in page: ``sign_in(page, live_server, persona)``."""

    def sign_in(page, live_server, persona) -> None:
        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("Username").fill(persona.username)
        page.get_by_label("Password", exact=True).fill(persona.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in" not in url)

    return sign_in


@pytest.fixture
def serious_problems():
    """axe's serious or critical accessibility problems on the page, as lines of text."""
    from axe_playwright_python.sync_playwright import Axe

    def serious_problems(page) -> list[str]:
        results = Axe().run(page)
        return [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return serious_problems
