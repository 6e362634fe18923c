"""Partners: a school and a police force referring to Middlesbrough (806), a school
referring to Hartlepool (805), their tokens, and a referral that passes every rule."""

from __future__ import annotations

import copy

import pytest
from partner_payloads import SIBLINGS

MIDDLESBROUGH = "806"
HARTLEPOOL = "805"


@pytest.fixture
def school(db):
    from childrenmatter.accounts.models import PartnerOrganisation

    return PartnerOrganisation.objects.create(
        name="Linthorpe Primary School", kind="school", la_code=MIDDLESBROUGH
    )


@pytest.fixture
def police(db):
    from childrenmatter.accounts.models import PartnerOrganisation

    return PartnerOrganisation.objects.create(
        name="Cleveland Police", kind="police", la_code=MIDDLESBROUGH
    )


@pytest.fixture
def hartlepool_school(db):
    from childrenmatter.accounts.models import PartnerOrganisation

    return PartnerOrganisation.objects.create(
        name="Rossmere Primary School", kind="school", la_code=HARTLEPOOL
    )


@pytest.fixture
def issue():
    """``issue(organisation)``: a live token's plaintext for ``organisation``."""
    from childrenmatter.api.actions import issue_token

    def issue(organisation, name: str = "Safeguarding system") -> str:
        return issue_token(actor=None, partner_organisation=organisation, name=name)[1]

    return issue


@pytest.fixture
def school_token(school, issue) -> str:
    return issue(school)


@pytest.fixture
def police_token(police, issue) -> str:
    return issue(police)


class PartnerApi:
    """The API as a partner's system calls it: JSON, with its bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token is not None else {}

    def post(self, path: str, payload) -> object:
        return self.client.post(
            path, data=payload, content_type="application/json", headers=self._headers()
        )

    def get(self, path: str) -> object:
        return self.client.get(path, headers=self._headers())


@pytest.fixture
def as_partner(client):
    """``as_partner(token)``: the API client for the system holding ``token``."""
    return lambda token: PartnerApi(client, token)


@pytest.fixture
def siblings() -> dict:
    """A school's referral of two siblings that passes every rule (a fresh copy each time)."""
    return copy.deepcopy(SIBLINGS)
