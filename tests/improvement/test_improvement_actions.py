"""The rules of changing a plan and answering a question: each broken rule names its field,
nothing is half saved, a stale save is refused, only permitted roles may change anything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from childrenmatter.improvement import actions
from childrenmatter.improvement.models import Action, Evidence, Question
from childrenmatter.versions import StaleVersion
from improvement.improvement_builders import make_plan

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def manager(make_staff):
    return make_staff("head_of_service")


def _review(action, manager, **changes):
    given = dict(actor=manager, action=action, expected_version=action.version,
                 owner=action.owner, status=action.status, rag=action.rag,
                 rag_reason=action.rag_reason, due_on=action.due_on, today=TODAY)
    given.update(changes)
    return actions.change_action(**given)


def _errors(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_rag_change_needs_a_new_reason(manager):
    _, _, action, _ = make_plan(manager)
    errors = _errors(lambda: _review(action, manager, rag="red"))
    assert "rag_reason" in errors and "new reason" in errors["rag_reason"][0]
    assert Action.objects.get(pk=action.pk).rag == "green"  # nothing saved


def test_a_rag_change_with_its_reason_is_kept_with_who_and_why(manager):
    _, _, action, _ = make_plan(manager)
    _review(action, manager, rag="red", rag_reason="Agency staff left: decisions slipping")
    latest = Action.history.filter(id=action.pk).order_by("-history_date").first()
    assert (latest.rag, latest.history_user, latest.history_change_reason) == (
        "red", manager, "RAG green to red")
    assert Action.history.filter(id=action.pk).count() == 2


def test_a_moved_due_date_needs_a_reason(manager):
    _, _, action, _ = make_plan(manager)
    errors = _errors(lambda: _review(action, manager, due_on=dt.date(2027, 6, 30)))
    assert list(errors) == ["why"]
    _review(action, manager, due_on=dt.date(2027, 6, 30), why="Recruitment delayed")
    assert Action.objects.get(pk=action.pk).due_on == dt.date(2027, 6, 30)


def test_closing_an_action_needs_a_date_not_in_the_future(manager):
    _, _, action, _ = make_plan(manager)
    assert "completed_on" in _errors(lambda: _review(action, manager, status="done"))
    errors = _errors(lambda: _review(action, manager, status="done",
                                     completed_on=TODAY + dt.timedelta(days=1)))
    assert "today or in the past" in errors["completed_on"][0]


def test_a_stale_review_is_refused_and_the_newer_one_kept(manager):
    _, _, action, _ = make_plan(manager)
    opened = Action.objects.get(pk=action.pk)
    _review(action, manager, rag="amber", rag_reason="Slower this week")
    with pytest.raises(StaleVersion):
        _review(opened, manager, rag="red", rag_reason="Worse")
    assert Action.objects.get(pk=action.pk).rag == "amber"


@pytest.mark.parametrize("role", ["social_worker", "performance_analyst", "auditor",
                                  "front_door_practitioner"])
def test_only_managers_change_a_plan(make_staff, manager, role):
    _, theme, action, _ = make_plan(manager)
    with pytest.raises(PermissionDenied):
        _review(action, make_staff(role), rag="red", rag_reason="Not theirs to say")
    with pytest.raises(PermissionDenied):
        actions.add_theme(actor=make_staff(role), plan=theme.plan, title="Another")


def test_another_authority_s_manager_may_not_change_the_plan(make_staff, manager):
    _, _, action, _ = make_plan(manager)
    with pytest.raises(PermissionDenied):
        _review(action, make_staff("head_of_service", la_code="805"), rag="red",
                rag_reason="Not theirs")


def test_an_action_needs_every_field_and_names_each(manager):
    plan, theme, _, _ = make_plan(manager)
    errors = _errors(lambda: actions.add_action(actor=manager, plan=plan, theme=theme,
                                                title="", owner="", rag="purple",
                                                rag_reason="", due_on=None,
                                                indicator="not_an_indicator"))
    assert set(errors) == {"title", "owner", "rag", "rag_reason", "due_on", "indicator"}


def test_a_risk_is_scored_by_likelihood_times_impact(manager):
    plan, _, _, _ = make_plan(manager)
    assert actions.add_risk(actor=manager, plan=plan, title="Recruitment", likelihood="4",
                            impact="5").score == 20
    errors = _errors(lambda: actions.add_risk(actor=manager, plan=plan, title="X",
                                              likelihood="6", impact="0"))
    assert set(errors) == {"likelihood", "impact"}


def test_evidence_files_are_limited_by_type_and_size(manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPROVEMENT_EVIDENCE_MAX_BYTES = 100
    _, _, action, _ = make_plan(manager)
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/pdf")
    assert "file" in _errors(lambda: actions.add_evidence(actor=manager, action=action,
                                                         upload=script))
    big = SimpleUploadedFile("audit.pdf", b"%PDF" + b"x" * 200)
    assert "smaller than" in _errors(lambda: actions.add_evidence(
        actor=manager, action=action, upload=big))["file"][0]
    small = SimpleUploadedFile("../../audit.pdf", b"%PDF-1.4 tiny")
    evidence = actions.add_evidence(actor=manager, action=action, upload=small,
                                    note="Audit of 20 contacts")
    assert evidence.file_name == "audit.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.file.path.startswith(str(tmp_path / "improvement" / "806"))
    assert Evidence.objects.count() == 1


def test_a_question_is_answered_late_when_after_its_due_date(manager):
    question = actions.record_question(
        actor=manager, la_code="806", member="Councillor A Jones", asked_on=dt.date(2026, 11, 2),
        meeting="Lead member briefing", question="How many children wait over a day?",
        answerer="Head of service", due_on=dt.date(2026, 11, 16), today=TODAY)
    assert question.overdue_on(TODAY)
    answered = actions.answer_question(actor=manager, question=question,
                                       expected_version=question.version,
                                       response="Twelve", answered_on=dt.date(2026, 11, 20),
                                       today=TODAY)
    assert answered.answered_late and not answered.overdue_on(TODAY)
    assert Question.history.filter(id=question.pk).first().history_change_reason == (
        "answered late")


def test_a_question_is_due_after_it_was_asked(manager):
    errors = _errors(lambda: actions.record_question(
        actor=manager, la_code="806", member="Cllr B", asked_on=dt.date(2026, 11, 10),
        meeting="Scrutiny", question="Why?", answerer="DCS", due_on=dt.date(2026, 11, 1),
        today=TODAY))
    assert list(errors) == ["due_on"]


def test_an_analyst_may_not_record_or_answer_questions(make_staff):
    with pytest.raises(PermissionDenied):
        actions.record_question(actor=make_staff("performance_analyst"), la_code="806",
                                member="Cllr B", asked_on=TODAY, meeting="Scrutiny",
                                question="Why?", answerer="DCS", due_on=TODAY, today=TODAY)


def test_a_risk_rescored_is_kept_with_the_old_score(manager):
    plan, _, _, _ = make_plan(manager)
    risk = actions.add_risk(actor=manager, plan=plan, title="Agency staff leave", likelihood=4,
                            impact=4)
    risk = actions.change_risk(actor=manager, risk=risk, expected_version=risk.version,
                               likelihood=2, impact=4, mitigation="Retention payment")
    assert risk.score == 8
    assert risk.history.first().history_change_reason == "score 16 to 8"
    with pytest.raises(StaleVersion):
        actions.change_risk(actor=manager, risk=risk, expected_version=1, likelihood=5,
                            impact=5)
