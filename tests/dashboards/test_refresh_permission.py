"""Who may refresh the dashboards' figures: those whose role holds REFRESH_FIGURES
(accounts.permissions), asked by permission, not by a list of roles in the dashboards."""

from __future__ import annotations

import pytest
from dashboard_builders import MONTHS, hand_rows

from childrenmatter.accounts.models import Role
from childrenmatter.accounts.permissions import ROLE_PERMISSIONS, Permission

MAY = sorted(r.value for r in Role if Permission.REFRESH_FIGURES in ROLE_PERMISSIONS[r])
# Partners (who need an organisation to exist) are refused by the role x page test.
MAY_NOT = sorted(r.value for r in Role if Permission.REFRESH_FIGURES not in ROLE_PERMISSIONS[r]
                 and r is not Role.PARTNER)


@pytest.fixture
def refreshes(monkeypatch):
    """Refresh with the hand-written figures instead of computing them; count the calls."""
    from childrenmatter.dashboards import snapshot

    calls = []

    def compute(tables):
        calls.append(1)
        return hand_rows(), {"806": {"name": "Middlesbrough", "months": MONTHS}}

    monkeypatch.setattr(snapshot, "compute_comparison", compute)
    return calls


def test_those_who_answer_for_the_figures_hold_the_permission() -> None:
    assert sorted(["performance_analyst", "team_manager", "head_of_service"]) == MAY


@pytest.mark.parametrize("role", MAY)
def test_a_role_with_the_permission_refreshes(hand_snapshot, make_staff, client, refreshes,
                                              role: str) -> None:
    client.force_login(make_staff(role))
    response = client.post("/dashboards/refresh/", {"next": "/dashboards/"})
    assert response.status_code == 302 and response["Location"] == "/dashboards/"
    assert refreshes == [1]


@pytest.mark.parametrize("role", MAY_NOT)
def test_a_role_without_it_is_refused(hand_snapshot, make_staff, client, refreshes,
                                      role: str) -> None:
    client.force_login(make_staff(role))
    assert client.post("/dashboards/refresh/").status_code == 403
    assert refreshes == []


def test_the_permission_in_another_authority_is_enough_to_refresh(
        hand_snapshot, make_staff, client, refreshes) -> None:
    # Refreshing takes every authority's figures again; an analyst of Hartlepool (805)
    # answers for figures there, which the same refresh recomputes.
    client.force_login(make_staff("performance_analyst", la_code="805"))
    assert client.post("/dashboards/refresh/").status_code == 302
    assert refreshes == [1]


def test_a_deactivated_analyst_may_not_refresh(hand_snapshot, make_staff, client,
                                               refreshes) -> None:
    user = make_staff("performance_analyst")
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.post("/dashboards/refresh/").status_code in (302, 403)
    assert refreshes == []
