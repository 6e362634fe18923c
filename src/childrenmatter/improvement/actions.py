"""Changes to improvement plans and councillors' questions.

Every function is keyword-only, takes the ``actor`` (the signed-in person), checks the
permission in the plan's authority and the rules, raises
``ValidationError({field: [message naming the rule]})`` before anything is saved, and runs
in one transaction. Changes to a record someone may have open on a page go through
``versions.lock_at_version`` (a stale save is refused) and ``versions.save_new_version``
(who and why, kept by django-simple-history).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from childrenmatter.accounts.permissions import Permission, require
from childrenmatter.improvement.models import (
    Action,
    ActionStatus,
    Evidence,
    Milestone,
    Plan,
    PlanKind,
    Question,
    QuestionStatus,
    Rag,
    Risk,
    Theme,
    WeeklyUpdate,
)
from childrenmatter.versions import lock_at_version, save_new_version

# Evidence files: documents and pictures a board would read, no larger than this.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _text(errors, field: str, value: str, what: str, max_length: int,
          required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        _add(errors, field, f"Enter {what}")
    elif len(value) > max_length:
        _add(errors, field, f"{what[0].upper()}{what[1:]} must be {max_length} characters or fewer")
    return value


def _raise(errors) -> None:
    if errors:
        raise ValidationError(errors)


def _who(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _save_new(record, actor, reason: str) -> None:
    """Save a record's first version with who made it and why."""
    record._history_user = _who(actor)
    record._change_reason = reason
    record.save()


# --- Plans and themes ----------------------------------------------------------------------


def create_plan(*, actor, la_code: str, kind: str, title: str) -> Plan:
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, la_code)
    errors: dict[str, list[str]] = {}
    if kind not in PlanKind.values:
        _add(errors, "kind", "Choose an immediate assurance plan or an improvement plan")
    title = _text(errors, "title", title, "the plan's title", 200)
    _raise(errors)
    with transaction.atomic():
        plan = Plan(la_code=la_code, kind=kind, title=title, created_by=_who(actor))
        _save_new(plan, actor, "plan created")
    return plan


def add_theme(*, actor, plan: Plan, title: str) -> Theme:
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, plan.la_code)
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, "the theme's title", 200)
    if title and plan.themes.filter(title__iexact=title).exists():
        _add(errors, "title", "The plan already has a theme with this title")
    _raise(errors)
    with transaction.atomic():
        theme = Theme(plan=plan, title=title)
        _save_new(theme, actor, "theme added")
    return theme


def set_board_date(*, actor, plan: Plan, expected_version: int | None,
                   board_on: dt.date | None, today: dt.date | None = None) -> Plan:
    """Record the date of the last improvement board: the board view shows what changed since."""
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, plan.la_code)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if board_on is None:
        _add(errors, "board_on", "Enter the date of the last board")
    elif board_on > today:
        _add(errors, "board_on", "The date of the last board must be today or in the past")
    elif board_on < timezone.localtime(plan.created_at).date():
        _add(errors, "board_on",
             "The date of the last board must be on or after the day the plan was made")
    _raise(errors)
    with transaction.atomic():
        plan = lock_at_version(plan, expected_version)
        plan.last_board_on = board_on
        save_new_version(plan, actor=actor, reason=f"board on {board_on:%Y-%m-%d}")
    return plan


# --- Actions -------------------------------------------------------------------------------


def _check_action_fields(errors, *, title: str, owner: str, rag: str, rag_reason: str,
                         due_on: dt.date | None, indicator: str) -> tuple[str, str, str, str]:
    title = _text(errors, "title", title, "what the action is", 300)
    owner = _text(errors, "owner", owner, "who owns the action", 200)
    if rag not in Rag.values:
        _add(errors, "rag", "Choose red, amber or green")
    rag_reason = _text(errors, "rag_reason", rag_reason, "the reason for the RAG rating", 2000)
    if due_on is None:
        _add(errors, "due_on", "Enter the date the action is due")
    indicator = (indicator or "").strip()
    if indicator and indicator not in indicator_names():
        _add(errors, "indicator", "Choose an indicator from the list, or none")
    return title, owner, rag_reason, indicator


def indicator_names() -> dict[str, str]:
    """Every indicator an action may link to: its registry name and title."""
    from childrenmatter.insight.indicators import INDICATORS

    return {indicator.name: indicator.title for indicator in INDICATORS}


def add_action(*, actor, plan: Plan, theme: Theme, title: str, owner: str, rag: str,
               rag_reason: str, due_on: dt.date | None, indicator: str = "") -> Action:
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, plan.la_code)
    errors: dict[str, list[str]] = {}
    if theme is None or theme.plan_id != plan.pk:
        _add(errors, "theme", "Choose one of this plan's themes")
    title, owner, rag_reason, indicator = _check_action_fields(
        errors, title=title, owner=owner, rag=rag, rag_reason=rag_reason, due_on=due_on,
        indicator=indicator)
    _raise(errors)
    with transaction.atomic():
        action = Action(plan=plan, theme=theme, title=title, owner=owner, rag=rag,
                        rag_reason=rag_reason, due_on=due_on, indicator=indicator)
        _save_new(action, actor, "action added")
    return action


def change_action(*, actor, action: Action, expected_version: int | None, owner: str,
                  status: str, rag: str, rag_reason: str, due_on: dt.date | None,
                  completed_on: dt.date | None = None, indicator: str = "",
                  why: str = "", today: dt.date | None = None) -> Action:
    """A weekly review of an action: its owner, status, RAG and reason, due date.

    A RAG rating that changes needs a new reason; a due date that moves needs ``why``;
    an action closed (done or dropped) needs the date it closed, not after today.
    """
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, action.plan.la_code)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _, owner, rag_reason, indicator = _check_action_fields(
        errors, title=action.title, owner=owner, rag=rag, rag_reason=rag_reason,
        due_on=due_on, indicator=indicator)
    if status not in ActionStatus.values:
        _add(errors, "status", "Choose open, done or dropped")
    why = (why or "").strip()
    with transaction.atomic():
        action = lock_at_version(action, expected_version)
        if rag in Rag.values and rag != action.rag and rag_reason == action.rag_reason.strip():
            _add(errors, "rag_reason",
                 f"Say why the RAG rating moved from {action.rag} to {rag}: a new rating "
                 "needs a new reason")
        if due_on is not None and due_on != action.due_on and not why:
            _add(errors, "why", "Say why the due date moved: a changed date needs a reason")
        if status == ActionStatus.OPEN:
            completed_on = None
        elif status in ActionStatus.values:
            if completed_on is None:
                _add(errors, "completed_on", "Enter the date the action was closed")
            elif completed_on > today:
                _add(errors, "completed_on", "The date the action was closed must be today "
                                             "or in the past")
            elif completed_on < timezone.localtime(action.created_at).date():
                _add(errors, "completed_on", "The date the action was closed must be on or "
                                             "after the day it was added")
        _raise(errors)
        changed = []
        if rag != action.rag:
            changed.append(f"RAG {action.rag} to {rag}")
        if due_on != action.due_on:
            changed.append(f"due {action.due_on:%Y-%m-%d} to {due_on:%Y-%m-%d}")
        if status != action.status:
            changed.append(f"{action.status} to {status}")
        action.owner, action.status, action.rag = owner, status, rag
        action.rag_reason, action.due_on, action.completed_on = rag_reason, due_on, completed_on
        action.indicator = indicator
        reason = "; ".join(changed) or "reviewed"
        save_new_version(action, actor=actor, reason=f"{reason}: {why}" if why else reason)
    return action


# --- Milestones and risks ------------------------------------------------------------------


def add_milestone(*, actor, plan: Plan, title: str, due_on: dt.date | None,
                  action: Action | None = None) -> Milestone:
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, plan.la_code)
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, "the milestone", 300)
    if due_on is None:
        _add(errors, "due_on", "Enter the date the milestone is due")
    if action is not None and action.plan_id != plan.pk:
        _add(errors, "action", "Choose one of this plan's actions, or none")
    _raise(errors)
    with transaction.atomic():
        milestone = Milestone(plan=plan, action=action, title=title, due_on=due_on)
        _save_new(milestone, actor, "milestone added")
    return milestone


def change_milestone(*, actor, milestone: Milestone, expected_version: int | None,
                     due_on: dt.date | None, met_on: dt.date | None, why: str = "",
                     today: dt.date | None = None) -> Milestone:
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, milestone.plan.la_code)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    why = (why or "").strip()
    if due_on is None:
        _add(errors, "due_on", "Enter the date the milestone is due")
    if met_on is not None and met_on > today:
        _add(errors, "met_on", "The date the milestone was met must be today or in the past")
    with transaction.atomic():
        milestone = lock_at_version(milestone, expected_version)
        if due_on is not None and due_on != milestone.due_on and not why:
            _add(errors, "why", "Say why the due date moved: a changed date needs a reason")
        _raise(errors)
        changed = []
        if due_on != milestone.due_on:
            changed.append(f"due {milestone.due_on:%Y-%m-%d} to {due_on:%Y-%m-%d}")
        if met_on != milestone.met_on:
            changed.append(f"met {met_on:%Y-%m-%d}" if met_on else "not met")
        milestone.due_on, milestone.met_on = due_on, met_on
        reason = "; ".join(changed) or "reviewed"
        save_new_version(milestone, actor=actor, reason=f"{reason}: {why}" if why else reason)
    return milestone


def _check_score(errors, field: str, value, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        _add(errors, field, f"{what} must be a whole number from 1 to 5")
    return number


def add_risk(*, actor, plan: Plan, title: str, likelihood, impact, mitigation: str = "",
             owner: str = "") -> Risk:
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, plan.la_code)
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, "the risk", 300)
    likelihood = _check_score(errors, "likelihood", likelihood, "Likelihood")
    impact = _check_score(errors, "impact", impact, "Impact")
    mitigation = _text(errors, "mitigation", mitigation, "the mitigation", 4000, required=False)
    owner = _text(errors, "owner", owner, "the risk's owner", 200, required=False)
    _raise(errors)
    with transaction.atomic():
        risk = Risk(plan=plan, title=title, likelihood=likelihood, impact=impact,
                    mitigation=mitigation, owner=owner)
        _save_new(risk, actor, "risk added")
    return risk


def change_risk(*, actor, risk: Risk, expected_version: int | None, likelihood, impact,
                mitigation: str = "", owner: str = "") -> Risk:
    """The weekly risk analysis: a risk rescored, its mitigation or owner updated."""
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, risk.plan.la_code)
    errors: dict[str, list[str]] = {}
    likelihood = _check_score(errors, "likelihood", likelihood, "Likelihood")
    impact = _check_score(errors, "impact", impact, "Impact")
    mitigation = _text(errors, "mitigation", mitigation, "the mitigation", 4000, required=False)
    owner = _text(errors, "owner", owner, "the risk's owner", 200, required=False)
    _raise(errors)
    with transaction.atomic():
        risk = lock_at_version(risk, expected_version)
        before = risk.score
        risk.likelihood, risk.impact = likelihood, impact
        risk.mitigation, risk.owner = mitigation, owner
        reason = f"score {before} to {risk.score}" if risk.score != before else "reviewed"
        save_new_version(risk, actor=actor, reason=reason)
    return risk


# --- Evidence and weekly updates -----------------------------------------------------------


def add_evidence(*, actor, action: Action, note: str = "",
                 upload: UploadedFile | None = None) -> Evidence:
    """A note, a file, or both, against an action. Files: the types in EVIDENCE_TYPES, no
    larger than EVIDENCE_MAX_BYTES, stored under the media folder by a name of ours."""
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, action.plan.la_code)
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note, "the note", 4000, required=False)
    if not note and upload is None:
        _add(errors, "note", "Enter a note or choose a file: evidence needs one or the other")
    file_name = content_type = ""
    if upload is not None:
        file_name = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:200]
        suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
        limit = getattr(settings, "IMPROVEMENT_EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)
        if suffix not in EVIDENCE_TYPES:
            _add(errors, "file", "The file must be a PDF, Word, Excel, PowerPoint, CSV, text, "
                                 "PNG or JPEG file")
        elif upload.size > limit:
            _add(errors, "file", f"The file must be smaller than {limit // (1024 * 1024)} MB")
        elif upload.size == 0:
            _add(errors, "file", "The file is empty")
        else:
            content_type = EVIDENCE_TYPES[suffix]
    _raise(errors)
    with transaction.atomic():
        evidence = Evidence(action=action, note=note, file_name=file_name,
                            content_type=content_type, size=upload.size if upload else 0,
                            added_by=_who(actor))
        if upload is not None:
            evidence.file.save(file_name, upload, save=False)
        # If the row cannot be saved, the file written above is removed with it.
        try:
            evidence.save()
        except Exception:
            if evidence.file:
                evidence.file.delete(save=False)
            raise
    return evidence


def add_weekly_update(*, actor, plan: Plan, week_of: dt.date | None, summary: str,
                      today: dt.date | None = None) -> WeeklyUpdate:
    require(actor, Permission.EDIT_IMPROVEMENT_PLAN, plan.la_code)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    summary = _text(errors, "summary", summary, "the update", 10000)
    if week_of is None:
        _add(errors, "week_of", "Enter the week the update is for")
    elif week_of > today:
        _add(errors, "week_of", "The week of the update must have started by today")
    _raise(errors)
    with transaction.atomic():
        return WeeklyUpdate.objects.create(plan=plan, week_of=week_of, summary=summary,
                                           written_by=_who(actor))


# --- Councillors' questions ----------------------------------------------------------------


def record_question(*, actor, la_code: str, member: str, asked_on: dt.date | None,
                    meeting: str, question: str, answerer: str, due_on: dt.date | None,
                    today: dt.date | None = None) -> Question:
    require(actor, Permission.ANSWER_QUESTION, la_code)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    member = _text(errors, "member", member, "the councillor who asked", 200)
    meeting = _text(errors, "meeting", meeting, "the briefing or meeting", 200)
    question = _text(errors, "question", question, "the question", 10000)
    answerer = _text(errors, "answerer", answerer, "who must answer", 200)
    if asked_on is None:
        _add(errors, "asked_on", "Enter the date the question was asked")
    elif asked_on > today:
        _add(errors, "asked_on", "The date the question was asked must be today or in the past")
    if due_on is None:
        _add(errors, "due_on", "Enter the date the response is due")
    elif asked_on is not None and due_on < asked_on:
        _add(errors, "due_on", "The response must be due on or after the date it was asked")
    _raise(errors)
    with transaction.atomic():
        record = Question(la_code=la_code, member=member, asked_on=asked_on, meeting=meeting,
                          question=question, answerer=answerer, due_on=due_on,
                          created_by=_who(actor))
        _save_new(record, actor, "question recorded")
    return record


def answer_question(*, actor, question: Question, expected_version: int | None,
                    response: str, answered_on: dt.date | None,
                    today: dt.date | None = None) -> Question:
    """Record (or correct) the response; the date it was given says whether it was late."""
    require(actor, Permission.ANSWER_QUESTION, question.la_code)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    response = _text(errors, "response", response, "the response", 10000)
    if answered_on is None:
        _add(errors, "answered_on", "Enter the date the response was given")
    elif answered_on > today:
        _add(errors, "answered_on", "The date of the response must be today or in the past")
    elif answered_on < question.asked_on:
        _add(errors, "answered_on",
             "The date of the response must be on or after the date the question was asked")
    _raise(errors)
    with transaction.atomic():
        question = lock_at_version(question, expected_version)
        corrected = question.status == QuestionStatus.ANSWERED
        question.response, question.answered_on = response, answered_on
        question.answered_by = _who(actor)
        question.status = QuestionStatus.ANSWERED
        late = " late" if answered_on > question.due_on else ""
        save_new_version(question, actor=actor,
                         reason=("response corrected" if corrected else "answered") + late)
    return question
