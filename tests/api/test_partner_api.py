"""The partner JSON API: a partner's system sends referrals with its token and sees the
status of its own referrals, and nothing else."""

from __future__ import annotations

import pytest

from childrenmatter.frontdoor.models import Contact, ContactStatus, Decision

pytestmark = pytest.mark.django_db


def test_a_school_refers_two_siblings_and_gets_a_reference_back(as_partner, school_token,
                                                                 school, siblings):
    response = as_partner(school_token).post("/api/referrals", siblings)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("FD-")
    assert body["status"] == "received"
    assert [c["given_name"] for c in body["children"]] == ["Amy", "Ben"]

    contact = Contact.objects.get(reference=body["reference"])
    assert contact.la_code == "806"
    assert contact.partner_organisation == school
    assert contact.source == "2A"  # DfE referral source: schools
    assert contact.created_by is None
    assert contact.consent == "not_sought"
    assert "bruise on her cheek" in contact.summary and "Physical harm" in contact.summary
    assert "Designated safeguarding lead" in contact.referrer_organisation
    assert [c.reported_postcode for c in contact.child_links.order_by("id")] == ["TS5 6AB"] * 2
    assert all(link.person is None for link in contact.child_links.all())


def test_a_police_domestic_abuse_notification_is_recorded_as_one(as_partner, police_token,
                                                                 siblings):
    siblings["is_domestic_abuse"] = True
    response = as_partner(police_token).post("/api/referrals", siblings)
    assert response.status_code == 201
    contact = Contact.objects.get(reference=response.json()["reference"])
    assert contact.is_domestic_abuse
    assert contact.source == "6"  # DfE referral source: police


def test_a_partner_lists_its_own_referrals_and_not_another_organisations(
    as_partner, school_token, police_token, siblings
):
    mine = as_partner(school_token).post("/api/referrals", siblings).json()["reference"]
    theirs = as_partner(police_token).post("/api/referrals", siblings).json()["reference"]

    listed = as_partner(school_token).get("/api/referrals").json()
    assert [r["reference"] for r in listed] == [mine]
    assert theirs not in str(listed)


def test_another_organisations_referral_is_not_found(as_partner, school_token, police_token,
                                                      siblings):
    theirs = as_partner(police_token).post("/api/referrals", siblings).json()["reference"]
    response = as_partner(school_token).get(f"/api/referrals/{theirs}")
    assert response.status_code == 404
    assert "Walker" not in response.content.decode()


def test_a_reference_that_does_not_exist_is_not_found_either(as_partner, school_token):
    assert as_partner(school_token).get("/api/referrals/FD-2026-999999").status_code == 404


def test_a_contact_the_front_door_recorded_itself_is_not_shown_to_the_partner(
    as_partner, school_token, make_staff
):
    from django.utils import timezone

    from childrenmatter.frontdoor.actions import ReportedChild, record_contact

    practitioner = make_staff("front_door_practitioner")
    recorded = record_contact(
        actor=practitioner, la_code="806", received_at=timezone.now(), source="1B",
        summary="A neighbour rang about Amy", children=[ReportedChild("Amy", "Walker")],
    )
    assert as_partner(school_token).get("/api/referrals").json() == []
    assert as_partner(school_token).get(f"/api/referrals/{recorded.reference}").status_code == 404


@pytest.mark.parametrize(
    ("status", "decision", "words"),
    [
        (ContactStatus.AWAITING_SCREENING, "", "received"),
        (ContactStatus.SCREENING, "", "being screened"),
        (ContactStatus.AWAITING_AUTHORISATION, Decision.EARLY_HELP, "being screened"),
        (ContactStatus.DECIDED, Decision.REFERRAL, "decided: referred to children's social care"),
        (ContactStatus.DECIDED, Decision.STRATEGY_DISCUSSION,
         "decided: referred to children's social care"),
        (ContactStatus.DECIDED, Decision.EARLY_HELP, "decided: early help offered"),
        (ContactStatus.DECIDED, Decision.NFA,
         "decided: no further action by children's social care"),
    ],
)
def test_the_status_is_told_in_words_a_partner_may_know(
    as_partner, school_token, siblings, status, decision, words
):
    reference = as_partner(school_token).post("/api/referrals", siblings).json()["reference"]
    # The front door's own work, set directly: what matters here is what the partner sees.
    Contact.objects.filter(reference=reference).update(
        status=status, decision=decision, rag="red",
        decision_rationale="Mother's boyfriend known to police for violence (police check)",
    )
    shown = as_partner(school_token).get(f"/api/referrals/{reference}")
    assert shown.json()["status"] == words
    assert [r["status"] for r in as_partner(school_token).get("/api/referrals").json()] == [words]


def test_the_partner_never_sees_case_notes_rag_or_other_agencies_replies(
    as_partner, school_token, siblings
):
    from childrenmatter.frontdoor.models import PartnerCheck

    reference = as_partner(school_token).post("/api/referrals", siblings).json()["reference"]
    contact = Contact.objects.get(reference=reference)
    Contact.objects.filter(pk=contact.pk).update(
        status=ContactStatus.DECIDED, decision=Decision.REFERRAL, rag="red",
        decision_rationale="SECRET-RATIONALE", late_reason="SECRET-LATE",
    )
    PartnerCheck.objects.create(
        contact=contact, agency="police", question="SECRET-QUESTION", reply="SECRET-REPLY",
        due_at=contact.received_at,
    )
    for path in ("/api/referrals", f"/api/referrals/{reference}"):
        text = as_partner(school_token).get(path).content.decode()
        assert "SECRET" not in text
        assert "red" not in text.lower().replace("referred", "")
        assert "rationale" not in text and "summary" not in text


def test_reading_a_referral_touches_no_childs_record(as_partner, school_token, siblings):
    from childrenmatter.accounts.models import AccessLog

    reference = as_partner(school_token).post("/api/referrals", siblings).json()["reference"]
    as_partner(school_token).get(f"/api/referrals/{reference}")
    as_partner(school_token).get("/api/referrals")
    # Only what the partner sent is read back; no child's record, so nothing to log.
    assert not AccessLog.objects.exists()


def test_the_list_is_newest_first_and_can_be_limited_and_dated(as_partner, school_token,
                                                               siblings):
    from datetime import timedelta

    from django.utils import timezone

    references = [
        as_partner(school_token).post("/api/referrals", siblings).json()["reference"]
        for _ in range(3)
    ]
    oldest = Contact.objects.get(reference=references[0])
    Contact.objects.filter(pk=oldest.pk).update(received_at=timezone.now() - timedelta(days=40))
    api = as_partner(school_token)
    assert [r["reference"] for r in api.get("/api/referrals").json()] == references[::-1]
    assert [r["reference"] for r in api.get("/api/referrals?limit=1").json()] == [references[2]]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    listed = api.get(f"/api/referrals?since={since}").json()
    assert [r["reference"] for r in listed] == references[:0:-1]
    assert api.get("/api/referrals?limit=0").status_code == 422
    assert api.get("/api/referrals?limit=501").status_code == 422
