"""The staff accounts page: a system administrator sees who works for their authorities,
who has two-factor sign-in, who is locked out, and can unlock them."""

from __future__ import annotations

import pytest

from childrenmatter.accounts.models import Role

WRONG = {"password": "not the password"}


@pytest.fixture
def locked_worker(client, make_staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    worker = make_staff("social_worker", username="locked.worker")
    for _ in range(2):
        client.post("/sign-in", {"username": worker.username, **WRONG})
    return worker


def test_an_administrator_sees_their_authority_s_staff_and_who_is_locked(
    client, make_staff, locked_worker
):
    make_staff("team_manager", la_code="805", username="hartlepool.manager")
    client.force_login(make_staff(Role.SYSTEM_ADMINISTRATOR, username="admin"))
    html = client.get("/staff/").content.decode()
    assert "locked.worker" in html and "admin" in html
    assert "hartlepool.manager" not in html
    assert "Locked" in html and 'aria-label="Unlock locked.worker"' in html


def test_an_administrator_unlocks_an_account(client, make_staff, locked_worker):
    client.force_login(make_staff(Role.SYSTEM_ADMINISTRATOR))
    assert client.post(f"/staff/{locked_worker.pk}/unlock/").headers["Location"] == "/staff/"
    client.logout()
    right = {"username": locked_worker.username, "password": locked_worker.persona.password}
    assert client.post("/sign-in", right).status_code == 302


def test_another_authority_s_administrator_cannot_unlock_the_account(
    client, make_staff, locked_worker
):
    client.force_login(make_staff(Role.SYSTEM_ADMINISTRATOR, la_code="805"))
    assert client.post(f"/staff/{locked_worker.pk}/unlock/").status_code == 403
    client.logout()
    right = {"username": locked_worker.username, "password": locked_worker.persona.password}
    assert client.post("/sign-in", right).status_code == 429  # still locked


@pytest.mark.parametrize("role", [Role.HEAD_OF_SERVICE, Role.AUDITOR, Role.TEAM_MANAGER])
def test_only_administrators_see_the_staff_page(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get("/staff/").status_code == 403
