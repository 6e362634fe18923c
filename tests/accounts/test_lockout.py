"""Lockout: five wrong passwords lock the account for an hour, and the page says so."""

from __future__ import annotations

import pytest

from childrenmatter.config import cli
from testdata import PASSWORD

SIGN_IN = "/sign-in"


def wrong(client, username: str, address: str = "192.0.2.1"):
    return client.post(
        SIGN_IN, {"username": username, "password": "not the password"}, REMOTE_ADDR=address
    )


def test_the_fifth_wrong_password_locks_the_account_and_says_for_how_long(
    anonymous_visitor, middlesbrough_persona
):
    for _ in range(4):
        assert wrong(anonymous_visitor, middlesbrough_persona.username).status_code == 200
    page = wrong(anonymous_visitor, middlesbrough_persona.username)
    assert page.status_code == 429
    html = page.content.decode()
    assert "This account is locked for 1 hour" in html
    assert "entered wrongly 5 times" in html


def test_a_locked_account_is_refused_even_with_the_right_password_from_elsewhere(
    anonymous_visitor, middlesbrough_persona
):
    for _ in range(5):
        wrong(anonymous_visitor, middlesbrough_persona.username)
    # Locked by username: a guesser gains nothing by moving to another address.
    page = anonymous_visitor.post(
        SIGN_IN,
        {"username": middlesbrough_persona.username, "password": middlesbrough_persona.password},
        REMOTE_ADDR="198.51.100.7",
    )
    assert page.status_code == 429
    assert "_auth_user_id" not in anonymous_visitor.session


def test_one_account_locked_leaves_the_others_free(anonymous_visitor, make_staff):
    locked, other = make_staff("social_worker"), make_staff("social_worker")
    for _ in range(5):
        wrong(anonymous_visitor, locked.username)
    page = anonymous_visitor.post(
        SIGN_IN, {"username": other.username, "password": other.persona.password},
        REMOTE_ADDR="192.0.2.1",
    )
    assert page.status_code == 302


def test_signing_in_rightly_clears_earlier_failures(anonymous_visitor, middlesbrough_persona):
    persona = middlesbrough_persona
    for _ in range(4):
        wrong(anonymous_visitor, persona.username)
    right = {"username": persona.username, "password": persona.password}
    assert anonymous_visitor.post(SIGN_IN, right, REMOTE_ADDR="192.0.2.1").status_code == 302
    anonymous_visitor.logout()
    for _ in range(4):
        assert wrong(anonymous_visitor, persona.username).status_code == 200


def test_an_administrator_can_unlock_an_account_at_once(
    anonymous_visitor, middlesbrough_persona, capsys
):
    persona = middlesbrough_persona
    for _ in range(5):
        wrong(anonymous_visitor, persona.username)
    assert cli.main(["users", "unlock", "--username", persona.username]) == 0
    assert "cleared" in capsys.readouterr().out
    right = {"username": persona.username, "password": persona.password}
    assert anonymous_visitor.post(SIGN_IN, right, REMOTE_ADDR="192.0.2.1").status_code == 302


@pytest.mark.parametrize("hours", [1, 3])
def test_the_lockout_page_names_the_cool_off_that_is_set(
    anonymous_visitor, middlesbrough_persona, settings, hours
):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(hours=hours)
    settings.AXES_FAILURE_LIMIT = 2
    wrong(anonymous_visitor, middlesbrough_persona.username)
    html = wrong(anonymous_visitor, middlesbrough_persona.username).content.decode()
    assert f"locked for {hours} hour{'s' if hours > 1 else ''}" in html
    assert "entered wrongly 2 times" in html


def test_signing_in_in_tests_without_the_page_still_works(client, middlesbrough_user):
    # Other tests sign in with the test client: Axes must not get in their way.
    assert client.login(username=middlesbrough_user.username, password=PASSWORD)
    client.logout()
    client.force_login(middlesbrough_user)
    assert client.get("/").wsgi_request.user == middlesbrough_user
