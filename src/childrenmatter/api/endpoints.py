"""The partner JSON API, mounted at /api/: referrals in, their status out.

Every request carries ``Authorization: Bearer <token>``; the token says which partner
organisation is asking, and an organisation sees its own referrals only (anyone else's
reference is "not found", so the API does not confirm it exists). Invalid submissions
are refused with 422 and every field error, pydantic's and the front door's alike.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.responses import Status
from ninja.security import HttpBearer

from childrenmatter.api import actions, queries
from childrenmatter.api.models import PartnerToken
from childrenmatter.api.schemas import (
    Invalid,
    ListFilters,
    Message,
    ReferralIn,
    ReferralOut,
    action_errors,
    field_errors,
)

INVALID = "The referral was not recorded: correct every field listed and send it again"


class PartnerBearer(HttpBearer):
    """A partner organisation's token; ``request.auth`` is the PartnerToken."""

    openapi_description = "A token issued to your organisation by the front door"

    def authenticate(self, request: HttpRequest, token: str) -> PartnerToken | None:
        return actions.token_for(token) if token else None


class Docs(DocsBase):
    """Swagger UI from ninja's own static files, through our Jinja2 template: no CDN, and
    the settings in a JSON block rather than an inline script (our CSP allows neither)."""

    settings = {"layout": "BaseLayout", "deepLinking": True}

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request, "api/docs.html", {"api": api, "swagger_settings": json.dumps(settings)}
        )


api = NinjaAPI(
    title="Children Matter partner API",
    version="1",
    description=(
        "Multi-agency referrals to a council's children's front door, and their status. "
        "Ask the front door for a token for your organisation; send it as "
        "`Authorization: Bearer <token>`."
    ),
    auth=PartnerBearer(),
    # Mounted inside the "partners" URL namespace (config/urls.py), so nested in it.
    urls_namespace="partners:api",
    openapi_url="/schema",
    docs_url="/docs",
    docs=Docs(),
)


@api.exception_handler(NinjaValidationError)
def every_field_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    # ninja puts where the value came from ("body") and the parameter's name first.
    errors = []
    for problem in error.errors:
        loc = list(problem.get("loc", ()))
        drop = 2 if loc[:1] == ["body"] and len(loc) > 1 else 1
        errors.extend(field_errors([problem], drop=drop))
    detail = INVALID if request.method == "POST" else "Correct every field listed and ask again"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Send your organisation's token as Authorization: Bearer <token>; "
                   "this one is missing, wrong or revoked"},
        status=401,
    )


@api.post(
    "/referrals",
    response={201: ReferralOut, 400: Message, 401: Message, 422: Invalid},
    summary="Send a multi-agency referral",
    tags=["referrals"],
)
def send_referral(request: HttpRequest, payload: ReferralIn):
    token: PartnerToken = request.auth
    try:
        contact = actions.send_referral(
            actor=None, partner_organisation=token.partner_organisation, referral=payload
        )
    except ValidationError as error:
        return Status(422, {"detail": INVALID, "errors": action_errors(error)})
    contact = queries.referral_of(token.partner_organisation, contact.reference)
    return Status(201, queries.as_partner_sees_it(contact))


@api.get(
    "/referrals",
    response={200: list[ReferralOut], 401: Message, 422: Invalid},
    summary="Your organisation's referrals and their status",
    tags=["referrals"],
)
def list_referrals(request: HttpRequest, filters: Query[ListFilters]):
    token: PartnerToken = request.auth
    referrals = queries.referrals_of(token.partner_organisation)
    if filters.since is not None:
        referrals = referrals.filter(received_at__date__gte=filters.since)
    return Status(200, [queries.as_partner_sees_it(c) for c in referrals[: filters.limit]])


@api.get(
    "/referrals/{reference}",
    response={200: ReferralOut, 401: Message, 404: Message},
    summary="One of your organisation's referrals",
    tags=["referrals"],
)
def show_referral(request: HttpRequest, reference: str):
    token: PartnerToken = request.auth
    contact = queries.referral_of(token.partner_organisation, reference)
    if contact is None:
        return Status(404, {"detail": f"Your organisation has no referral {reference}"})
    return Status(200, queries.as_partner_sees_it(contact))
