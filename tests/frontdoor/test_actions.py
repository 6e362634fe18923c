"""The front door's rules: matching, RAG, checks, domestic abuse triage, the decision and
its authorisation, and what an authorised decision opens."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from childrenmatter.casework.models import EarlyHelpEpisode, Referral
from childrenmatter.frontdoor import actions
from childrenmatter.frontdoor.models import ContactStatus, RagRating
from childrenmatter.versions import StaleVersion

from .factories import make_contact, make_person

LONDON = ZoneInfo("Europe/London")


# --- clocks as pure rules -------------------------------------------------------------------


def test_a_contact_on_christmas_eve_2020_is_due_by_tuesday_29_december():
    received = dt.datetime(2020, 12, 24, 16, 0, tzinfo=LONDON)
    assert actions.decision_due(received) == dt.date(2020, 12, 29)


@given(st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2030, 12, 1),
                    timezones=st.just(LONDON)))
def test_the_decision_is_due_on_the_first_working_day_after_the_day_received(received):
    from childrenmatter.clocks.calendar import is_working_day

    due = actions.decision_due(received)
    day = received.date()
    assert due > day and is_working_day(due)
    # No working day is skipped between the day received and the due date.
    between = [day + dt.timedelta(days=n) for n in range(1, (due - day).days)]
    assert not any(is_working_day(d) for d in between)


@given(st.sampled_from(["red", "amber", "green"]),
       st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2030, 1, 1),
                    timezones=st.just(dt.UTC)))
def test_partner_information_is_due_2_6_or_24_hours_after_rating(rag, rated_at):
    hours = {"red": 2, "amber": 6, "green": 24}[rag]
    assert actions.information_due(rag, rated_at) - rated_at == dt.timedelta(hours=hours)


def test_rag_hours_are_a_setting(settings):
    settings.FRONTDOOR_RAG_HOURS = {"red": 1}
    assert actions.rag_hours() == {"red": 1, "amber": 6, "green": 24}


@given(st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2030, 12, 1),
                    timezones=st.just(LONDON)))
def test_the_school_is_told_before_the_start_of_the_next_school_day(incident):
    from childrenmatter.clocks.calendar import is_working_day

    notify_by = timezone.localtime(actions.next_school_day_start(incident), LONDON)
    assert notify_by > incident
    assert notify_by.time() == dt.time(8, 45) and is_working_day(notify_by.date())
    # There is no earlier school-day start after the incident.
    day = incident.date()
    while day < notify_by.date():
        start = dt.datetime.combine(day, dt.time(8, 45), tzinfo=LONDON)
        assert not (is_working_day(day) and start > incident)
        day += dt.timedelta(days=1)


def test_a_friday_evening_incident_is_told_before_monday_morning():
    friday_night = dt.datetime(2026, 11, 20, 21, 30, tzinfo=LONDON)
    monday = dt.datetime(2026, 11, 23, 8, 45, tzinfo=LONDON)
    assert actions.next_school_day_start(friday_night) == monday


# --- matching ------------------------------------------------------------------------------


pytestdb = pytest.mark.django_db


@pytestdb
def test_matching_links_the_reported_child_to_the_record_and_moves_the_version(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, unmatched=1)
    person = make_person()
    link = contact.child_links.get()
    actions.match_child(actor=worker, contact_child=link, person=person,
                        expected_version=contact.version)
    link.refresh_from_db()
    contact.refresh_from_db()
    assert link.person == person and contact.version == 2


@pytestdb
def test_a_child_of_another_authority_cannot_be_matched(make_staff):
    worker = make_staff("front_door_practitioner", la_codes=["806", "805"])
    contact = make_contact(worker, unmatched=1)
    hartlepool_child = make_person(la_code="805")
    with pytest.raises(ValidationError) as refused:
        actions.match_child(actor=worker, contact_child=contact.child_links.get(),
                            person=hartlepool_child)
    assert "person" in refused.value.message_dict


# --- RAG and checks ------------------------------------------------------------------------


@pytestdb
def test_re_rating_adds_a_rating_and_moves_the_deadline_and_open_checks(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    actions.rate_contact(actor=worker, contact=contact, expected_version=1, rag="green",
                         reason="Fed at school, no injuries")
    contact.refresh_from_db()
    check = actions.request_check(actor=worker, contact=contact, agency="police",
                                  question="Any call-outs to the address?")
    assert check.due_at == contact.information_due_at
    green_due = contact.information_due_at
    actions.rate_contact(actor=worker, contact=contact, expected_version=contact.version + 1,
                         rag="red", reason="Police: a knife at the address last night")
    contact.refresh_from_db()
    check.refresh_from_db()
    assert RagRating.objects.filter(contact=contact).count() == 2
    assert contact.rag == "red"
    assert contact.information_due_at < green_due
    assert check.due_at == contact.information_due_at
    assert contact.information_due_at - contact.ratings.last().rated_at == dt.timedelta(hours=2)


@pytestdb
def test_a_rating_without_a_reason_is_refused(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    with pytest.raises(ValidationError) as refused:
        actions.rate_contact(actor=worker, contact=contact, expected_version=1, rag="purple",
                             reason=" ")
    assert set(refused.value.message_dict) == {"rag", "reason"}


@pytestdb
def test_a_check_before_the_contact_is_rated_is_refused(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    with pytest.raises(ValidationError, match="Rate the contact first"):
        actions.request_check(actor=worker, contact=contact, agency="health", question="?")


@pytestdb
def test_a_partners_reply_is_recorded_once(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    actions.rate_contact(actor=worker, contact=contact, expected_version=1, rag="amber",
                         reason="Bruise seen")
    check = actions.request_check(actor=worker, contact=contact, agency="health",
                                  question="Known to the health visitor?")
    actions.record_check_reply(actor=worker, check=check, reply="Missed two appointments")
    check.refresh_from_db()
    assert check.reply == "Missed two appointments" and check.recorded_by == worker
    with pytest.raises(ValidationError):
        actions.record_check_reply(actor=worker, check=check, reply="again")


# --- domestic abuse triage -----------------------------------------------------------------


@pytestdb
def test_triage_sets_the_school_deadline_and_records_the_school_told(make_staff):
    worker = make_staff("front_door_practitioner")
    incident = dt.datetime(2026, 11, 20, 22, 0, tzinfo=LONDON)  # a Friday night
    contact = make_contact(worker, people=[make_person()], is_domestic_abuse=True,
                           source="6")
    triage = actions.triage_domestic_abuse(
        actor=worker, contact=contact, risk_level="high", children_present=True,
        incident_at=incident, school_name="Park Primary",
    )
    assert triage.school_notify_by == dt.datetime(2026, 11, 23, 8, 45, tzinfo=LONDON)
    actions.record_school_notified(actor=worker, triage=triage)
    triage.refresh_from_db()
    assert triage.school_notified_at is not None and triage.school_notified_by == worker


@pytestdb
def test_only_a_domestic_abuse_notification_is_triaged(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    with pytest.raises(ValidationError) as refused:
        actions.triage_domestic_abuse(actor=worker, contact=contact, risk_level="extreme",
                                      children_present=True, incident_at=None, school_name="")
    assert {"contact", "risk_level"} <= set(refused.value.message_dict)


# --- decision and authorisation ------------------------------------------------------------


@pytestdb
def test_a_decision_needs_every_child_matched(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()], unmatched=1)
    with pytest.raises(ValidationError, match="Match every child"):
        actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                decision="nfa", rationale="No concerns")


@pytestdb
def test_a_late_decision_needs_a_reason(make_staff, monkeypatch):
    worker = make_staff("front_door_practitioner")
    received = dt.datetime(2020, 12, 24, 10, 0, tzinfo=LONDON)
    contact = make_contact(worker, people=[make_person()], received_at=received)
    # On Tuesday 29 December it is still in time; on Wednesday 30th it is late.
    monkeypatch.setattr(timezone, "now",
                        lambda: dt.datetime(2020, 12, 30, 9, 0, tzinfo=LONDON))
    with pytest.raises(ValidationError) as refused:
        actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                decision="nfa", rationale="No concerns")
    assert "29 December 2020" in refused.value.message_dict["late_reason"][0]
    actions.record_decision(actor=worker, contact=contact, expected_version=1,
                            decision="nfa", rationale="No concerns",
                            late_reason="Waiting for the police reply")
    contact.refresh_from_db()
    assert contact.late_reason == "Waiting for the police reply"


@pytestdb
def test_a_decision_on_the_due_day_needs_no_late_reason(make_staff, monkeypatch):
    worker = make_staff("front_door_practitioner")
    received = dt.datetime(2020, 12, 24, 10, 0, tzinfo=LONDON)
    contact = make_contact(worker, people=[make_person()], received_at=received)
    monkeypatch.setattr(timezone, "now",
                        lambda: dt.datetime(2020, 12, 29, 17, 0, tzinfo=LONDON))
    actions.record_decision(actor=worker, contact=contact, expected_version=1,
                            decision="advice_signposting", rationale="Signposted to the GP")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.AWAITING_AUTHORISATION and not contact.late_reason


@pytestdb
def test_a_decision_over_a_version_someone_else_changed_is_refused_and_nothing_is_lost(
    make_staff,
):
    worker = make_staff("front_door_practitioner")
    colleague = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    opened_version = contact.version
    actions.rate_contact(actor=colleague, contact=contact, expected_version=opened_version,
                         rag="red", reason="Police called")
    with pytest.raises(StaleVersion, match="changed by someone else"):
        actions.record_decision(actor=worker, contact=contact, expected_version=opened_version,
                                decision="nfa", rationale="Nothing to worry about")
    contact.refresh_from_db()
    assert contact.rag == "red" and contact.decision == ""


@pytestdb
def test_a_manager_authorises_a_referral_which_opens_one_per_child_with_its_assessment_clock(
    make_staff,
):
    worker = make_staff("front_door_practitioner")
    manager = make_staff("team_manager")
    amy, ben = make_person(given="Amy"), make_person(given="Ben", dob=dt.date(2017, 1, 1))
    contact = make_contact(worker, people=[amy, ben])
    contact = actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                      decision="referral", rationale="Neglect concerns")
    actions.authorise_decision(actor=manager, contact=contact, expected_version=contact.version)
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED and contact.authorised_by == manager
    referrals = Referral.objects.filter(contact=contact).order_by("person__given_name")
    assert [r.person for r in referrals] == [amy, ben]
    decided_on = timezone.localdate(contact.decided_at)
    from childrenmatter.clocks.calendar import working_days_between

    for referral in referrals:
        assert referral.referral_date == decided_on
        assert working_days_between(decided_on, referral.assessment_due) == 45
        assert referral.referral_source == "2A"


@pytestdb
def test_early_help_opens_an_episode_for_each_child(make_staff):
    worker = make_staff("front_door_practitioner")
    manager = make_staff("team_manager")
    contact = make_contact(worker, people=[make_person()])
    contact = actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                      decision="early_help", rationale="Family agree to help")
    actions.authorise_decision(actor=manager, contact=contact, expected_version=contact.version)
    assert EarlyHelpEpisode.objects.filter(contact=contact).count() == 1
    assert not Referral.objects.filter(contact=contact).exists()


@pytestdb
def test_a_manager_may_not_authorise_their_own_decision(make_staff):
    manager = make_staff("team_manager")
    contact = make_contact(manager, people=[make_person()])
    contact = actions.record_decision(actor=manager, contact=contact, expected_version=1,
                                      decision="nfa", rationale="No concerns")
    with pytest.raises(ValidationError, match="another manager"):
        actions.authorise_decision(actor=manager, contact=contact,
                                   expected_version=contact.version)


@pytestdb
def test_a_returned_decision_goes_back_to_screening(make_staff):
    worker = make_staff("front_door_practitioner")
    manager = make_staff("team_manager")
    contact = make_contact(worker, people=[make_person()])
    contact = actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                      decision="nfa", rationale="No concerns")
    actions.return_decision(actor=manager, contact=contact, expected_version=contact.version,
                            reason="Ask the school again first")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SCREENING and contact.decision == ""


# --- permissions per persona ---------------------------------------------------------------


ACTS = {
    "create": lambda user, contact, link: make_contact(user, people=[make_person()]),
    "rate": lambda user, contact, link: actions.rate_contact(
        actor=user, contact=contact, expected_version=None, rag="green", reason="ok"),
    "match": lambda user, contact, link: actions.match_child(
        actor=user, contact_child=link, person=make_person(given="Zed")),
    "triage": lambda user, contact, link: actions.triage_domestic_abuse(
        actor=user, contact=contact, risk_level="high", children_present=True,
        incident_at=None, school_name="Park"),
    "decide": lambda user, contact, link: actions.record_decision(
        actor=user, contact=contact, expected_version=None, decision="nfa", rationale="ok"),
}
MAY = {
    "front_door_practitioner": {"create", "rate", "match", "triage", "decide"},
    "social_worker": {"create", "rate", "match", "triage", "decide"},
    "team_manager": {"create", "rate", "match", "triage", "decide"},
    "head_of_service": {"create", "rate", "match", "triage", "decide"},
    "performance_analyst": set(),
    "auditor": set(),
    "system_administrator": set(),
}


@pytestdb
@pytest.mark.parametrize("role", sorted(MAY))
@pytest.mark.parametrize("act", sorted(ACTS))
def test_who_may_change_a_contact(make_staff, role, act):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, unmatched=1, is_domestic_abuse=True)
    user = make_staff(role)
    if act == "decide":  # a decision needs the child matched first
        actions.match_child(actor=worker, contact_child=contact.child_links.get(),
                            person=make_person())
    if act in MAY[role]:
        ACTS[act](user, contact, contact.child_links.get())
    else:
        with pytest.raises(PermissionDenied):
            ACTS[act](user, contact, contact.child_links.get())


@pytestdb
@pytest.mark.parametrize("role", ["front_door_practitioner", "social_worker", "auditor"])
def test_only_managers_authorise(make_staff, role):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    contact = actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                      decision="nfa", rationale="ok")
    with pytest.raises(PermissionDenied):
        actions.authorise_decision(actor=make_staff(role), contact=contact,
                                   expected_version=None)


@pytestdb
def test_a_hartlepool_manager_may_not_authorise_a_middlesbrough_decision(make_staff):
    worker = make_staff("front_door_practitioner")
    contact = make_contact(worker, people=[make_person()])
    contact = actions.record_decision(actor=worker, contact=contact, expected_version=1,
                                      decision="nfa", rationale="ok")
    with pytest.raises(PermissionDenied):
        actions.authorise_decision(actor=make_staff("team_manager", la_code="805"),
                                   contact=contact, expected_version=None)
