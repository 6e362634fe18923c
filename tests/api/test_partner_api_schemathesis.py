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


@pytest.fixture
def connection_kept_open():
    """Calls straight into the WSGI application would close the test's database connection
    at the end of each request (on PostgreSQL, losing the test's transaction); Django's own
    test client stops that the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_to_its_schema(case, token, connection_kept_open):
    # 401 (no token) is the auth scheme's answer, not the operation's: only check with one.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
