"""An invalid referral is refused with every field error listed, and nothing is recorded."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from partner_payloads import SIBLINGS

from childrenmatter.frontdoor.models import Contact

pytestmark = pytest.mark.django_db


def fields_at_fault(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert "not recorded" in body["detail"]
    return {error["field"]: error["message"] for error in body["errors"]}


def test_every_missing_field_is_listed_at_once(as_partner, school_token):
    errors = fields_at_fault(as_partner(school_token).post("/api/referrals", {}))
    assert errors == {
        "referrer_name": "Enter your name",
        "referrer_role": "Enter your role, for example designated safeguarding lead",
        "referrer_email": "Enter a phone number or an email address so the front door can reply",
        "what_happened": "Enter what happened",
        "concerns": "Enter your concerns for the children",
        "consent": "Say whether the family agreed to this referral",
        "children": "Add at least one child",
    }
    assert not Contact.objects.exists()


def test_errors_in_several_children_are_each_listed_at_the_child(as_partner, school_token,
                                                                 siblings):
    siblings["children"][0]["given_name"] = " "
    siblings["children"][1]["date_of_birth"] = str(date.today() + timedelta(days=3))
    siblings["children"][1]["postcode"] = "not a postcode"
    errors = fields_at_fault(as_partner(school_token).post("/api/referrals", siblings))
    assert errors == {
        "children.0.given_name": "Enter the child's first name",
        "children.1.date_of_birth": "The child's date of birth must be today or in the past",
        "children.1.postcode": "Enter a real postcode, like TS1 2AB, or leave it blank",
    }


def test_no_way_to_reply_is_refused(as_partner, school_token, siblings):
    siblings["referrer_phone"] = ""
    siblings["referrer_email"] = ""
    errors = fields_at_fault(as_partner(school_token).post("/api/referrals", siblings))
    assert errors == {
        "referrer_email": "Enter a phone number or an email address so the front door can reply"
    }


def test_an_empty_list_of_children_is_refused(as_partner, school_token, siblings):
    siblings["children"] = []
    assert fields_at_fault(as_partner(school_token).post("/api/referrals", siblings)) == {
        "children": "Add at least one child"
    }


def test_a_body_that_is_not_json_is_refused(as_partner, school_token, client):
    response = client.post("/api/referrals", data="not json", content_type="application/json",
                           headers={"Authorization": f"Bearer {school_token}"})
    assert response.status_code in (400, 422)
    assert not Contact.objects.exists()


def test_the_front_doors_own_rules_are_listed_the_same_way(as_partner, school_token, siblings,
                                                           monkeypatch):
    # A rule only the front door knows (here, made up): its ValidationError comes back as
    # field errors with the same paths.
    from django.core.exceptions import ValidationError

    from childrenmatter.frontdoor import actions as frontdoor

    def refuse(**kwargs):
        raise ValidationError({"children[1].school": ["No such school"], "summary": ["Too long"]})

    monkeypatch.setattr(frontdoor, "record_contact", refuse)
    errors = fields_at_fault(as_partner(school_token).post("/api/referrals", siblings))
    assert errors == {"children.1.school": "No such school", "summary": "Too long"}


# Ways to get one field wrong, each with the field it must be listed at. At most one per
# group: two mistakes in one group could hide each other (no consent at all, say, leaves
# nothing to explain in the consent note).
CORRUPTIONS = {
    "referrer_name": ("referrer_name", [None, "", "   ", 42, "x" * 201]),
    "referrer_role": ("referrer_role", [None, "", "\n", "x" * 201]),
    "referrer_phone": ("referrer_phone", ["call me", "12", 7]),
    "referrer_email": ("referrer_email", ["nobody", "a@", "@example.org", ["x"]]),
    "what_happened": ("what_happened", [None, "", "  ", "x" * 10_001]),
    "concerns": ("concerns", [None, "", {"a": 1}]),
    "consent": ("consent", [None, "", "maybe", "GIVEN", 1]),
    "is_domestic_abuse": ("is_domestic_abuse", ["perhaps", [], {"x": 1}]),
    "children.0.given_name": ("child0", [None, "", "  ", "x" * 101]),
    "children.0.family_name": ("child0f", [None, "", 12]),
    "children.1.date_of_birth": ("child1", [
        "yesterday", "2015-02-30", str(date.today() + timedelta(days=1)), "2000-01-01", 5,
    ]),
    "children.1.postcode": ("child1p", ["ZZZ", "TS5 6ABXYZ", "123 456"]),
    "children.1.school": ("child1s", ["x" * 201, 3.5]),
}
CONSENT_NOTE = "consent_note"  # blank when consent was not sought: its own corruption


def apply(payload: dict, field: str, value) -> None:
    parts = field.split(".")
    target = payload
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is None:
        target.pop(parts[-1], None)
    else:
        target[parts[-1]] = value


@st.composite
def bad_referrals(draw) -> tuple[dict, set[str]]:
    payload = copy.deepcopy(SIBLINGS)
    fields = draw(st.sets(st.sampled_from(sorted(CORRUPTIONS) + [CONSENT_NOTE]), min_size=1))
    if CONSENT_NOTE in fields and "consent" in fields:
        fields.discard(CONSENT_NOTE)
    for field in sorted(fields - {CONSENT_NOTE}):
        apply(payload, field, draw(st.sampled_from(CORRUPTIONS[field][1])))
    if CONSENT_NOTE in fields:
        payload["consent"] = draw(st.sampled_from(["not_sought", "not_given"]))
        payload["consent_note"] = draw(st.sampled_from(["", "   "]))
    return payload, fields


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(bad=bad_referrals())
def test_a_bad_referral_never_creates_a_contact_and_lists_every_field_at_fault(
    as_partner, school_token, bad
):
    payload, fields = bad
    response = as_partner(school_token).post("/api/referrals", payload)
    assert set(fields_at_fault(response)) == fields
    assert not Contact.objects.exists()
