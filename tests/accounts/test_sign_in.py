"""Signing in and out."""

from __future__ import annotations

import re

import pytest

from childrenmatter.accounts.forms import NOT_RIGHT

SIGN_IN = "/sign-in"


def error_by(html: str, field: str) -> str | None:
    """The error message shown above a field, as a screen reader reads it, or None."""
    found = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_the_sign_in_page_asks_for_a_username_and_password(anonymous_visitor):
    page = anonymous_visitor.get(SIGN_IN)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="username"' in html
    assert 'id="password"' in html
    assert 'autocomplete="current-password"' in html


def test_a_member_of_staff_signs_in_with_the_right_password(
    anonymous_visitor, middlesbrough_persona
):
    persona = middlesbrough_persona
    page = anonymous_visitor.post(
        SIGN_IN, {"username": persona.username, "password": persona.password}
    )
    assert page.status_code == 302
    assert page.headers["Location"] == "/"
    assert anonymous_visitor.get("/").wsgi_request.user.username == persona.username


def test_a_wrong_password_is_refused_with_an_error_naming_the_password_field(
    anonymous_visitor, middlesbrough_persona
):
    page = anonymous_visitor.post(
        SIGN_IN, {"username": middlesbrough_persona.username, "password": "not the password"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Error: Sign in" in html
    assert "There is a problem" in html
    assert f'<a href="#password">{NOT_RIGHT}</a>' in html  # the summary links to the field
    assert error_by(html, "password") == f"Error: {NOT_RIGHT}"  # and the field says why
    assert "password" in NOT_RIGHT
    assert error_by(html, "username") is None
    assert "_auth_user_id" not in anonymous_visitor.session


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(anonymous_visitor, db):
    html = anonymous_visitor.post(SIGN_IN, {"username": "nobody", "password": "anything"}).content
    assert error_by(html.decode(), "password") == f"Error: {NOT_RIGHT}"


@pytest.mark.parametrize(
    ("field", "message"), [("username", "Enter your username"), ("password", "Enter your password")]
)
def test_a_blank_field_is_named_in_the_error(anonymous_visitor, db, field, message):
    data = {"username": "sam", "password": "something"} | {field: ""}
    html = anonymous_visitor.post(SIGN_IN, data).content.decode()
    assert error_by(html, field) == f"Error: {message}"
    assert f'<a href="#{field}">{message}</a>' in html


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(
    anonymous_visitor, middlesbrough_persona
):
    persona = middlesbrough_persona
    credentials = {"username": persona.username, "password": persona.password}
    page = anonymous_visitor.post(f"{SIGN_IN}?next=/%3Fat-year%3D2018", credentials)
    assert page.headers["Location"] == "/?at-year=2018"
    anonymous_visitor.logout()
    page = anonymous_visitor.post(f"{SIGN_IN}?next=https://example.org/", credentials)
    assert page.headers["Location"] == "/"


def test_signing_out_ends_the_session(middlesbrough_worker):
    assert middlesbrough_worker.post("/sign-out").headers["Location"] == SIGN_IN
    assert middlesbrough_worker.get("/").status_code == 302


def test_signing_out_needs_a_post_so_a_link_elsewhere_cannot_do_it(middlesbrough_worker):
    assert middlesbrough_worker.get("/sign-out").status_code == 405


def test_the_session_ends_when_the_browser_closes_or_after_eight_hours(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_passwords_are_hashed_with_argon2(middlesbrough_user):
    assert middlesbrough_user.password.startswith("argon2")
