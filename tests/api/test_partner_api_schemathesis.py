"""The API keeps to its own OpenAPI schema for whatever schemathesis sends: never a server
error, only the status codes it declares, and bodies of the shapes it declares."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from childrenmatter.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema", application)


@pytest.fixture
def token(school, issue) -> str:
    return issue(school)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_to_its_schema(case, token):
    # 401 (no token) is the auth scheme's answer, not the operation's: only check with one.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
