"""The security pages in a real browser: two-factor set-up and sign-in, the lockout page,
restricting a record and the access log. Each checked with axe, and none may raise a
console error (a blocked inline script or style would show there as a CSP violation)."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(user, steps_ahead: int = 0) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).order_by("-pk").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_step(page, live_server, persona) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Password", exact=True).fill(persona.password)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_sets_up_two_factor_and_then_signs_in_with_a_code(
    page, live_server, middlesbrough_user, middlesbrough_persona, sign_in, serious_problems,
    small_dataset,
):
    # Given a signed-in manager on the set-up page
    sign_in(page, live_server, middlesbrough_persona)
    page.goto(f"{live_server.url}/two-factor")
    # then they see the QR code drawn on the page, and the key to type instead
    assert page.locator("svg.app-qr-code").is_visible()
    assert serious_problems(page) == []
    # when they enter the code their app shows
    page.get_by_label("Code from the app").fill(code_for(middlesbrough_user))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    # then two-factor sign-in is on
    page.get_by_text("Two-factor sign-in is on").wait_for()
    page.get_by_role("button", name="Sign out").click()
    # and when they next sign in, the password alone is not enough
    password_step(page, live_server, middlesbrough_persona)
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    assert serious_problems(page) == []
    page.get_by_label("Enter the code from your authenticator app").fill(
        code_for(middlesbrough_user, 1)
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Children at a date").wait_for()
    assert page.console_problems == []


def test_the_lockout_page_says_the_account_is_locked_and_for_how_long(
    page, live_server, middlesbrough_persona, serious_problems
):
    wrong = middlesbrough_persona.__class__(middlesbrough_persona.username, "wrong", "806")
    for _ in range(5):
        password_step(page, live_server, wrong)
    banner = page.get_by_role("alert")
    assert "This account is locked for 1 hour" in banner.inner_text()
    assert serious_problems(page) == []
    # The page itself comes with 429 Too Many Requests, which the console notes; nothing else.
    assert [p for p in page.console_problems if "status of 429" not in p] == []


def test_a_head_of_service_restricts_a_record_and_sees_the_access_log(
    page, live_server, make_staff, sign_in, serious_problems, small_dataset
):
    from childrenmatter.people.models import Person

    head = make_staff("head_of_service")
    worker = make_staff("social_worker")
    child = Person.objects.create(la_code="806", local_id="C1", given_name="Amy",
                                  family_name="Hart")
    # Given a head of service on the child's restriction page
    sign_in(page, live_server, head.persona)
    page.goto(f"{live_server.url}/people/{child.pk}/restriction/")
    assert serious_problems(page) == []
    # when they restrict it to a named social worker, with a reason
    page.get_by_label(worker.username).check()
    page.get_by_label("Why restrict it").fill("Related to a member of staff")
    page.get_by_role("button", name="Restrict the record").click()
    # then the record is restricted to them both
    page.get_by_text("This record is restricted").wait_for()
    assert serious_problems(page) == []
    # and the access log shows the read of the restriction page
    page.get_by_role("link", name="Access log").click()
    page.get_by_role("heading", name="Access log").wait_for()
    assert page.locator("tbody tr").count() >= 1
    assert serious_problems(page) == []
    assert page.console_problems == []


def test_an_administrator_unlocks_a_locked_account_from_the_staff_page(
    page, live_server, make_staff, sign_in, serious_problems, settings, client
):
    settings.AXES_FAILURE_LIMIT = 2
    worker = make_staff("social_worker", username="locked.worker")
    for _ in range(2):
        client.post("/sign-in", {"username": worker.username, "password": "wrong"})
    admin = make_staff("system_administrator")
    # Given an administrator on the staff accounts page, reached from the navigation
    sign_in(page, live_server, admin.persona)
    page.get_by_role("link", name="Staff accounts").click()
    page.get_by_role("heading", name="Staff accounts").wait_for()
    assert serious_problems(page) == []
    # when they unlock the locked account
    page.get_by_role("button", name="Unlock locked.worker").click()
    # then it is no longer shown as locked
    page.get_by_role("heading", name="Staff accounts").wait_for()
    assert page.get_by_role("button", name="Unlock locked.worker").count() == 0
    assert page.console_problems == []
