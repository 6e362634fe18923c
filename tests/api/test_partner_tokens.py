"""API tokens: one per partner system, only a hash kept, refused once revoked."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from childrenmatter.api.actions import issue_token, revoke_token
from childrenmatter.api.models import PartnerToken
from childrenmatter.frontdoor.models import Contact

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_token_is_stored(school, make_staff):
    administrator = make_staff("system_administrator")
    token, plaintext = issue_token(actor=administrator, partner_organisation=school,
                                   name="Safeguarding system")
    stored = PartnerToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert stored.prefix == plaintext[:8]
    assert stored.created_by == administrator
    every_value = [str(v) for v in PartnerToken.objects.values_list().get(pk=token.pk)]
    assert plaintext not in every_value
    assert len(plaintext) >= 43  # 32 random bytes


def test_each_token_is_new(school, issue):
    assert issue(school) != issue(school)


def test_a_request_without_a_token_is_refused(as_partner, siblings, school):
    response = as_partner(None).post("/api/referrals", siblings)
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert not Contact.objects.exists()


def test_a_wrong_token_is_refused(as_partner, school_token, siblings):
    response = as_partner(school_token + "x").post("/api/referrals", siblings)
    assert response.status_code == 401
    assert as_partner("").get("/api/referrals").status_code == 401
    assert not Contact.objects.exists()


def test_a_revoked_token_is_refused(as_partner, school, siblings, make_staff):
    administrator = make_staff("system_administrator")
    token, plaintext = issue_token(actor=administrator, partner_organisation=school, name="Old")
    assert as_partner(plaintext).get("/api/referrals").status_code == 200
    revoke_token(actor=administrator, token=token)
    assert as_partner(plaintext).get("/api/referrals").status_code == 401
    assert as_partner(plaintext).post("/api/referrals", siblings).status_code == 401
    assert not Contact.objects.exists()


def test_revoking_a_token_twice_says_it_was_already_revoked(school, make_staff):
    administrator = make_staff("system_administrator")
    token, _ = issue_token(actor=administrator, partner_organisation=school, name="Old")
    revoke_token(actor=administrator, token=token)
    with pytest.raises(ValidationError, match="already revoked"):
        revoke_token(actor=administrator, token=token)


def test_using_a_token_notes_when_it_was_last_used(as_partner, school, issue):
    plaintext = issue(school)
    assert PartnerToken.objects.get().last_used_at is None
    as_partner(plaintext).get("/api/referrals")
    assert PartnerToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("role", ["team_manager", "front_door_practitioner", "partner",
                                  "auditor", "head_of_service"])
def test_only_someone_who_manages_users_may_issue_tokens(school, make_staff, role):
    extra = {"partner_organisation": school} if role == "partner" else {}
    with pytest.raises(PermissionDenied):
        issue_token(actor=make_staff(role, **extra), partner_organisation=school, name="X")
    assert not PartnerToken.objects.exists()


def test_an_administrator_of_another_authority_may_not_issue_or_revoke(school, make_staff,
                                                                      issue):
    hartlepool_administrator = make_staff("system_administrator", la_code="805")
    with pytest.raises(PermissionDenied):
        issue_token(actor=hartlepool_administrator, partner_organisation=school, name="X")
    issue(school)
    with pytest.raises(PermissionDenied):
        revoke_token(actor=hartlepool_administrator, token=PartnerToken.objects.get())
    assert PartnerToken.objects.get().revoked_at is None


def test_a_token_needs_a_name(school):
    with pytest.raises(ValidationError, match="what the token is for"):
        issue_token(actor=None, partner_organisation=school, name="  ")


@pytest.mark.parametrize("role", ["partner", "team_manager", "system_administrator"])
def test_a_signed_in_session_is_not_a_token(client, school, siblings, make_staff, role):
    # The API answers to tokens only: a browser session (and its cookies, which another
    # site could make a browser send) never reads or sends referrals through it.
    extra = {"partner_organisation": school} if role == "partner" else {}
    client.force_login(make_staff(role, **extra))
    assert client.get("/api/referrals").status_code == 401
    response = client.post("/api/referrals", siblings, content_type="application/json")
    assert response.status_code == 401
    assert not Contact.objects.exists()
