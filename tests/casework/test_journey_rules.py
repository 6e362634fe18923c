"""Any sequence of casework actions, in any order with any dates, leaves a record the CIN
census accepts: whatever a worker tries, a refused step changes nothing and an accepted one
keeps the journey's orderings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from childrenmatter.casework import actions
from childrenmatter.casework.actions import Goal
from childrenmatter.casework.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    ChronologyEntry,
    Section47Enquiry,
    StrategyDiscussion,
)

from .casework_builders import make_child, make_referral

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 6)
days = st.integers(min_value=-5, max_value=400).map(lambda n: START + dt.timedelta(days=n))
pick = st.integers(min_value=0, max_value=5)

steps = st.one_of(
    st.tuples(st.just("start_assessment"), pick, days),
    st.tuples(st.just("complete_assessment"), pick, days),
    st.tuples(st.just("authorise_assessment"), pick, days),
    st.tuples(st.just("strategy_discussion"), pick, days, st.booleans(), st.booleans()),
    st.tuples(st.just("s47_outcome"), pick, days, st.sampled_from(["nfa", "cin", "icpc"])),
    st.tuples(st.just("icpc"), pick, days, st.booleans()),
    st.tuples(st.just("review"), pick, days, st.booleans()),
    st.tuples(st.just("end_cp_plan"), pick, days),
    st.tuples(st.just("start_cin_plan"), pick, days),
    st.tuples(st.just("end_cin_plan"), pick, days),
    st.tuples(st.just("visit"), pick, days, st.sampled_from(["cp", "cin"]), st.booleans()),
    st.tuples(st.just("close_referral"), pick, days, st.sampled_from(["RC7", "RC8"])),
)


def _nth(queryset, n):
    rows = list(queryset.order_by("pk"))
    return rows[n % len(rows)] if rows else None


def _run(step, *, child, referrals, worker, manager) -> None:
    name, n, day, *rest = step
    referral = referrals[n % len(referrals)]
    match name:
        case "start_assessment":
            actions.start_assessment(actor=worker, referral=referral, start_date=day)
        case "complete_assessment":
            if a := _nth(Assessment.objects.filter(person=child), n):
                actions.complete_assessment(
                    actor=worker, assessment=a, expected_version=a.version, completed_date=day,
                    childs_views="Said she is happy", factors=["16A"], outcome="cin_plan",
                    late_reason="Caseload")
        case "authorise_assessment":
            if a := _nth(Assessment.objects.filter(person=child), n):
                actions.authorise_assessment(actor=manager, assessment=a,
                                             expected_version=a.version, authorised_date=day,
                                             late_reason="Manager away")
        case "strategy_discussion":
            health, s47 = rest
            actions.record_strategy_discussion(
                actor=worker, referral=referral, discussion_date=day, police=True,
                health=health, social_care=True, section_47=s47)
        case "s47_outcome":
            if e := _nth(Section47Enquiry.objects.filter(person=child), n):
                actions.record_section_47_outcome(actor=worker, enquiry=e,
                                                  expected_version=e.version, end_date=day,
                                                  outcome=rest[0])
        case "icpc":
            if e := _nth(Section47Enquiry.objects.filter(person=child), n):
                actions.record_initial_conference(
                    actor=worker, enquiry=e, conference_date=day, plan_decided=rest[0],
                    category="PHY", late_reason="Chair unavailable")
        case "review":
            if p := _nth(ChildProtectionPlan.objects.filter(person=child), n):
                actions.record_review_conference(
                    actor=worker, plan=p, expected_version=p.version, conference_date=day,
                    plan_continues=rest[0], latest_category="EMO", end_reason="Safe now",
                    late_reason="Chair unavailable")
        case "end_cp_plan":
            if p := _nth(ChildProtectionPlan.objects.filter(person=child), n):
                actions.end_child_protection_plan(actor=worker, plan=p,
                                                  expected_version=p.version, end_date=day,
                                                  end_reason="Moved away")
        case "start_cin_plan":
            actions.start_child_in_need_plan(
                actor=worker, referral=referral, start_date=day,
                goals=[Goal("Attends school", "Mother", day + dt.timedelta(days=60))])
        case "end_cin_plan":
            if p := _nth(ChildInNeedPlan.objects.filter(person=child), n):
                actions.end_child_in_need_plan(actor=worker, plan=p, expected_version=p.version,
                                               end_date=day, closure_reason="Needs met")
        case "close_referral":
            actions.close_referral(actor=worker, referral=referral,
                                   expected_version=None, closure_date=day,
                                   closure_reason=rest[0])
            referral.refresh_from_db()
        case "visit":
            visit_type, alone = rest
            actions.record_visit(actor=worker, person=child, visit_date=day,
                                 visit_type=visit_type, seen=True, seen_alone=alone)


def _check_the_record_holds_together(child, referrals) -> None:
    plans = ChildProtectionPlan.objects.filter(person=child)
    assert plans.filter(end_date__isnull=True).count() <= 1
    for plan in plans:
        assert plan.end_date is None or plan.end_date >= plan.start_date
        initial = plan.conferences.get(conference_type="initial")
        assert initial.plan_decided and initial.conference_date == plan.start_date
        for review in plan.conferences.filter(conference_type="review"):
            assert review.conference_date > plan.start_date
            assert plan.end_date is None or review.conference_date <= plan.end_date
    # Plans of one child do not overlap.
    spans = sorted((p.start_date, p.end_date or dt.date.max) for p in plans)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start
    for conference in ChildProtectionConference.objects.filter(person=child):
        referral = (conference.section_47_enquiry or conference.cp_plan).referral
        assert conference.conference_date >= referral.referral_date
    for enquiry in Section47Enquiry.objects.filter(person=child):
        assert enquiry.start_date == enquiry.strategy_discussion.discussion_date
        assert enquiry.icpc_date is None or (enquiry.icpc_required
                                             and enquiry.icpc_date >= enquiry.start_date)
    for discussion in StrategyDiscussion.objects.filter(person=child):
        assert discussion.discussion_date >= discussion.referral.referral_date
    for assessment in Assessment.objects.filter(person=child):
        assert assessment.start_date >= assessment.referral.referral_date
        if assessment.authorised_date:
            assert assessment.completed_date <= assessment.authorised_date
            assert assessment.factors and assessment.outcome and assessment.childs_views
    for plan in ChildInNeedPlan.objects.filter(person=child):
        assert plan.goals.exists()
        assert plan.end_date is None or plan.end_date >= plan.start_date
    for referral in referrals:
        spans = sorted((p.start_date, p.end_date or dt.date.max)
                       for p in referral.cin_plans.all())
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end <= start
    for visit in child.visits.all():
        assert visit.seen or not visit.seen_alone


def _census_findings(child, folder) -> list[str]:
    """The DfE CIN census rules the child's record breaks, for each census year it spans."""
    from childrenmatter.returns.cin import write_cin
    from childrenmatter.returns.validatecin import validate_cin
    from childrenmatter.store.extract import extract_tables

    tables = extract_tables(["806"])
    found = []
    for year in (2025, 2026):
        path = folder / f"cin-{year}.xml"
        path.write_bytes(write_cin(tables, year, authority="806"))
        _, findings = validate_cin(path, year)
        found += [f"{year} {f.rule} {f.table}.{f.field}: {f.message}" for f in findings
                  if f.child_id == child.local_id]
    return found


@pytest.fixture
def staff(make_staff):
    from childrenmatter.store.models import Authority

    Authority.objects.create(la_code="806", la_name="Middlesbrough")
    return make_staff("social_worker"), make_staff("team_manager")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(journey=st.lists(steps, min_size=1, max_size=25))
def test_any_sequence_of_actions_leaves_a_record_that_holds_together(staff, tmp_path, journey):
    worker, manager = staff
    child = make_child()
    referrals = [make_referral(child, on=START),
                 make_referral(child, on=START + dt.timedelta(days=90))]
    accepted = 0
    for step in journey:
        before = ChronologyEntry.objects.filter(person=child).count()
        try:
            _run(step, child=child, referrals=referrals, worker=worker, manager=manager)
        except ValidationError:
            # Refused: nothing half saved, not even the chronology entry.
            assert ChronologyEntry.objects.filter(person=child).count() == before
            continue
        accepted += 1
        event(f"accepted {step[0]}")

    _check_the_record_holds_together(child, referrals)
    assert _census_findings(child, tmp_path) == []
