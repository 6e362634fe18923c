"""Two-factor sign-in: set up an authenticator app, then a code at every sign-in."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

SET_UP = "/two-factor"
SIGN_IN = "/sign-in"
STEP = "/sign-in/two-factor"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` periods of 30 seconds on)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def with_two_factor(client, middlesbrough_user):
    """The Middlesbrough manager with a confirmed app, signed out again."""
    client.force_login(middlesbrough_user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=middlesbrough_user)
    assert client.post(SET_UP, {"token": code_for(device)}).status_code == 302
    client.logout()
    device.refresh_from_db()
    return device


def test_the_set_up_page_shows_a_qr_code_without_inline_script_or_style(middlesbrough_worker):
    page = middlesbrough_worker.get(SET_UP)
    assert page.status_code == 200
    html = page.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<title>QR code for your authenticator app</title>" in svg
    assert "style=" not in svg and "<script" not in svg and "<style" not in svg
    assert re.search(r'id="secret">[A-Z2-7 ]{20,}<', html)  # the key, to type in instead


def test_reloading_the_set_up_page_keeps_the_same_key(middlesbrough_worker):
    first = re.search(r'id="secret">(.*?)<', middlesbrough_worker.get(SET_UP).content.decode())
    again = re.search(r'id="secret">(.*?)<', middlesbrough_worker.get(SET_UP).content.decode())
    assert first.group(1) == again.group(1)


def test_a_wrong_code_does_not_turn_two_factor_on(middlesbrough_worker, middlesbrough_user):
    middlesbrough_worker.get(SET_UP)
    device = TOTPDevice.objects.get(user=middlesbrough_user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    html = middlesbrough_worker.post(SET_UP, {"token": wrong}).content.decode()
    assert "Enter the 6-digit code your authenticator app shows now" in html
    assert not TOTPDevice.objects.filter(user=middlesbrough_user, confirmed=True).exists()


def test_the_right_code_turns_two_factor_on(middlesbrough_worker, middlesbrough_user):
    middlesbrough_worker.get(SET_UP)
    device = TOTPDevice.objects.get(user=middlesbrough_user)
    page = middlesbrough_worker.post(SET_UP, {"token": code_for(device)})
    assert page.headers["Location"] == SET_UP
    assert "Two-factor sign-in is on" in middlesbrough_worker.get(SET_UP).content.decode()
    assert TOTPDevice.objects.get(user=middlesbrough_user).confirmed


def test_with_an_app_set_up_the_password_alone_does_not_sign_in(
    client, with_two_factor, middlesbrough_persona
):
    persona = middlesbrough_persona
    page = client.post(SIGN_IN, {"username": persona.username, "password": persona.password})
    assert page.headers["Location"] == STEP
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still signed out


def test_the_code_from_the_app_completes_signing_in(client, with_two_factor, middlesbrough_persona):
    persona = middlesbrough_persona
    client.post(SIGN_IN + "?next=/two-factor",
                {"username": persona.username, "password": persona.password})
    step = client.get(STEP + "?next=/two-factor")
    assert "Enter the code from your authenticator app" in step.content.decode()
    # The code used at set-up cannot be used twice: the app's next one is.
    page = client.post(STEP, {"token": code_for(with_two_factor, 1), "next": "/two-factor"})
    assert page.headers["Location"] == "/two-factor"
    request = client.get("/two-factor").wsgi_request
    assert request.user.username == persona.username
    assert request.user.is_verified()


def test_a_wrong_code_leaves_the_person_signed_out(client, with_two_factor, middlesbrough_persona):
    persona = middlesbrough_persona
    client.post(SIGN_IN, {"username": persona.username, "password": persona.password})
    wrong = f"{(int(code_for(with_two_factor, 1)) + 1) % 1_000_000:06d}"
    page = client.post(STEP, {"token": wrong})
    assert page.status_code == 200
    assert "that code is wrong or has expired" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_step_without_the_password_step_goes_back_to_sign_in(client, with_two_factor):
    page = client.post(STEP, {"token": code_for(with_two_factor, 1)})
    assert page.headers["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session


def test_when_two_factor_is_required_someone_without_it_must_set_it_up_first(
    settings, middlesbrough_worker
):
    settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR = True
    assert middlesbrough_worker.get("/").headers["Location"] == SET_UP
    page = middlesbrough_worker.get(SET_UP)
    assert "You must set up two-factor sign-in" in page.content.decode()


def test_two_factor_is_optional_unless_required(settings, middlesbrough_worker):
    assert settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR is False
    assert middlesbrough_worker.get("/two-factor").status_code == 200
    assert middlesbrough_worker.get("/").status_code != 302


def test_someone_can_turn_it_off_only_when_it_is_not_required(
    settings, client, middlesbrough_user, with_two_factor
):
    client.force_login(middlesbrough_user)
    settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR = True
    # Required: the session is not verified (force_login), so set-up is all that is open,
    # and turning it off is refused.
    assert client.post(SET_UP, {"action": "turn-off"}).status_code == 403
    assert TOTPDevice.objects.filter(user=middlesbrough_user).exists()
    settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR = False
    assert client.post(SET_UP, {"action": "turn-off"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=middlesbrough_user).exists()


# --- Recovery codes: a lost phone ----------------------------------------------------------


def _codes_on(html: str) -> list[str]:
    return [c.replace(" ", "") for c in re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code>",
                                                   html)]


def test_turning_two_factor_on_shows_ten_recovery_codes_once(client, middlesbrough_user):
    client.force_login(middlesbrough_user)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=middlesbrough_user)
    client.post(SET_UP, {"token": code_for(device)})
    codes = _codes_on(client.get(SET_UP).content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    again = client.get(SET_UP).content.decode()
    assert _codes_on(again) == [] and "You have 10 unused recovery codes" in again


def _recovery_codes(client, middlesbrough_user) -> list[str]:
    client.force_login(middlesbrough_user)
    client.post(SET_UP, {"action": "new-recovery-codes"})
    codes = _codes_on(client.get(SET_UP).content.decode())
    client.logout()
    return codes


def test_a_recovery_code_signs_in_once_in_place_of_the_apps_code(
    client, with_two_factor, middlesbrough_user, middlesbrough_persona
):
    codes = _recovery_codes(client, middlesbrough_user)
    persona = middlesbrough_persona
    client.post(SIGN_IN, {"username": persona.username, "password": persona.password})
    page = client.post(STEP, {"token": f"{codes[0][:4].upper()} {codes[0][4:]}"})
    assert page.status_code == 302
    assert client.get(SET_UP).wsgi_request.user.is_verified()
    assert "You have 9 unused recovery codes" in client.get(SET_UP).content.decode()
    client.logout()
    client.post(SIGN_IN, {"username": persona.username, "password": persona.password})
    used_again = client.post(STEP, {"token": codes[0]})
    assert "that code is wrong or has expired" in used_again.content.decode()
    assert "_auth_user_id" not in client.session


def test_new_recovery_codes_stop_the_old_ones_working(
    client, with_two_factor, middlesbrough_user, middlesbrough_persona
):
    old = _recovery_codes(client, middlesbrough_user)
    new = _recovery_codes(client, middlesbrough_user)
    assert not set(old) & set(new)
    persona = middlesbrough_persona
    client.post(SIGN_IN, {"username": persona.username, "password": persona.password})
    assert "wrong or has expired" in client.post(STEP, {"token": old[1]}).content.decode()


def test_a_recovery_code_is_not_a_password_step_of_its_own(client, with_two_factor,
                                                             middlesbrough_user):
    codes = _recovery_codes(client, middlesbrough_user)
    page = client.post(STEP, {"token": codes[0]})
    assert page.headers["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session


def test_something_that_is_neither_kind_of_code_names_both(client, with_two_factor,
                                                         middlesbrough_persona):
    persona = middlesbrough_persona
    client.post(SIGN_IN, {"username": persona.username, "password": persona.password})
    page = client.post(STEP, {"token": "12ab"}).content.decode()
    assert "Enter the 6-digit code from your app, as in 123456, or a recovery code" in page
