"""The improvement pages. Thin: fetch through the permission checks, parse the form, call
an action, show its errors on the fields they name. A change saved over someone else's is
refused (``StaleVersion``) and the page is shown again with everything the user typed.

None of these pages shows a child's record: plans, boards and councillors' questions are
about the service.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from childrenmatter.accounts.permissions import Permission, authorities_where, can
from childrenmatter.improvement import actions, compare, export, forms, queries
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
)
from childrenmatter.versions import StaleVersion
from childrenmatter.web.forms import put_errors
from childrenmatter.web.govuk import long_date

RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


def rag_tag(rag: str | None) -> dict:
    if not rag:
        return {"text": "None", "classes": "govuk-tag--grey"}
    return {"text": Rag(rag).label, "classes": RAG_TAGS[rag]}


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.update(rag_tag=rag_tag, today=timezone.localdate(),
                   may_edit=context.get("may_edit", False))
    return render(request, template, context, status=status)


def _get_plan_for_user(request: HttpRequest, plan_id: int,
                       permission: Permission = Permission.VIEW_IMPROVEMENT) -> Plan:
    """The plan, if the user may ``permission`` in its authority; otherwise not found."""
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None or not can(request.user, permission, plan.la_code):
        raise Http404("No such plan")
    return plan


def _get_action(plan: Plan, action_id: int) -> Action:
    action = plan.actions.filter(pk=action_id).select_related("theme", "plan").first()
    if action is None:
        raise Http404("No such action")
    return action


def _get_question_for_user(request: HttpRequest, question_id: int,
                           permission: Permission = Permission.VIEW_IMPROVEMENT) -> Question:
    question = Question.objects.filter(pk=question_id).first()
    if question is None or not can(request.user, permission, question.la_code):
        raise Http404("No such question")
    return question


def _stale(form, error: StaleVersion) -> None:
    form.add_error(None, str(error))
    data = form.data.copy()
    data["version"] = str(error.current)
    form.data = data


def _call(form, change) -> bool:
    """Run ``change()`` and put its errors on the form; True when it saved."""
    try:
        change()
    except ValidationError as error:
        put_errors(form, error)
    except StaleVersion as error:
        _stale(form, error)
    else:
        return True
    return False


def _may_edit(request, plan: Plan) -> bool:
    return can(request.user, Permission.EDIT_IMPROVEMENT_PLAN, plan.la_code)


# --- Plans ---------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.VIEW_IMPROVEMENT)
    if not la_codes:
        raise PermissionDenied("Improvement plans are for managers, analysts and auditors")
    today = timezone.localdate()
    return _page(request, "improvement/index.html", {
        "plans": Plan.objects.filter(la_code__in=la_codes),
        "overdue_questions": queries.overdue_questions(la_codes, today).count(),
        "may_create": bool(authorities_where(request.user, Permission.EDIT_IMPROVEMENT_PLAN)),
        "show_la": len(la_codes) > 1,
    })


@login_required
@require_http_methods(["GET", "POST"])
def new_plan(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.EDIT_IMPROVEMENT_PLAN)
    if not la_codes:
        raise PermissionDenied("You may not make improvement plans")
    form = forms.PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        la_code = form.cleaned_data["la_code"] or la_codes[0]
        if la_code not in la_codes:
            form.add_error("la_code", "Choose an authority you work for")
        else:
            made = {}

            def change():
                made["plan"] = actions.create_plan(
                    actor=request.user, la_code=la_code, kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"])

            if _call(form, change):
                return redirect("improvement:plan", plan_id=made["plan"].pk)
    return _page(request, "improvement/new_plan.html", {
        "form": form, "la_codes": la_codes, "kinds": PlanKind.choices,
    })


@login_required
@require_GET
def plan_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id)
    themes = list(plan.themes.all())
    actions_by_theme = {theme.pk: [] for theme in themes}
    for action in plan.actions.all():
        actions_by_theme[action.theme_id].append(action)
    return _page(request, "improvement/plan.html", {
        "plan": plan, "themes": themes, "actions_by_theme": actions_by_theme,
        "milestones": plan.milestones.select_related("action"),
        "risks": sorted(plan.risks.all(), key=lambda risk: (-risk.score, risk.pk)),
        "updates": plan.updates.select_related("written_by")[:5],
        "may_edit": _may_edit(request, plan),
    })


@login_required
@require_http_methods(["GET", "POST"])
def add_theme(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    form = forms.ThemeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _call(
        form, lambda: actions.add_theme(actor=request.user, plan=plan,
                                        title=form.cleaned_data["title"])
    ):
        return redirect("improvement:plan", plan_id=plan.pk)
    return _page(request, "improvement/add_theme.html", {"plan": plan, "form": form})


def _indicator_items(selected: str) -> list[dict]:
    names = actions.indicator_names()
    items = [{"value": "", "text": "None", "selected": not selected}]
    items += [{"value": name, "text": title, "selected": name == selected}
              for name, title in sorted(names.items(), key=lambda pair: pair[1])]
    return items


def _rag_items(selected: str) -> list[dict]:
    return [{"value": code, "text": label, "checked": code == selected}
            for code, label in Rag.choices]


@login_required
@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    themes = list(plan.themes.all())
    form = forms.ActionForm(request.POST if request.method == "POST" else None,
                            initial={"theme": request.GET.get("theme", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        theme = next((t for t in themes if str(t.pk) == data["theme"]), None)
        if _call(form, lambda: actions.add_action(
            actor=request.user, plan=plan, theme=theme, title=data["title"],
            owner=data["owner"], rag=data["rag"], rag_reason=data["rag_reason"],
            due_on=data["due_on"], indicator=data["indicator"],
        )):
            return redirect(reverse("improvement:plan", args=[plan.pk]) + "#actions")
    return _page(request, "improvement/add_action.html", {
        "plan": plan, "form": form, "themes": themes,
        "rag_items": _rag_items(form["rag"].value() or ""),
        "indicator_items": _indicator_items(form["indicator"].value() or ""),
    })


@login_required
@require_GET
def action_page(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id)
    action = _get_action(plan, action_id)
    history = action.history.select_related("history_user").order_by("-history_date",
                                                                       "-history_id")
    return _page(request, "improvement/action.html", {
        "plan": plan, "action": action, "history": history,
        "evidence": action.evidence.select_related("added_by"),
        "trend": queries.indicator_trend(plan.la_code, action.indicator),
        "may_edit": _may_edit(request, plan),
    })


@login_required
@require_http_methods(["GET", "POST"])
def change_action(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    action = _get_action(plan, action_id)
    initial = {"version": action.version, "owner": action.owner, "status": action.status,
               "rag": action.rag, "rag_reason": action.rag_reason,
               "indicator": action.indicator,
               **forms.initial_date("due_on", action.due_on),
               **forms.initial_date("completed_on", action.completed_on)}
    form = forms.ChangeActionForm(request.POST if request.method == "POST" else None,
                                  initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(form, lambda: actions.change_action(
            actor=request.user, action=action, expected_version=data["version"],
            owner=data["owner"], status=data["status"], rag=data["rag"],
            rag_reason=data["rag_reason"], due_on=data["due_on"],
            completed_on=data["completed_on"], indicator=data["indicator"], why=data["why"],
        )):
            return redirect("improvement:action", plan_id=plan.pk, action_id=action.pk)
    status = form["status"].value() or ""
    return _page(request, "improvement/change_action.html", {
        "plan": plan, "action": action, "form": form,
        "rag_items": _rag_items(form["rag"].value() or ""),
        "status_items": [{"value": code, "text": label, "checked": code == status}
                         for code, label in ActionStatus.choices],
        "indicator_items": _indicator_items(form["indicator"].value() or ""),
    })


@login_required
@require_http_methods(["GET", "POST"])
def add_evidence(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    action = _get_action(plan, action_id)
    form = forms.EvidenceForm(request.POST if request.method == "POST" else None,
                              request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _call(
        form, lambda: actions.add_evidence(actor=request.user, action=action,
                                           note=form.cleaned_data["note"],
                                           upload=form.cleaned_data["file"])
    ):
        return redirect(reverse("improvement:action", args=[plan.pk, action.pk]) + "#evidence")
    return _page(request, "improvement/add_evidence.html", {
        "plan": plan, "action": action, "form": form,
        "max_mb": actions.EVIDENCE_MAX_BYTES // (1024 * 1024),
    })


@login_required
@require_GET
def evidence_file(request: HttpRequest, plan_id: int, action_id: int,
                  evidence_id: int) -> FileResponse:
    plan = _get_plan_for_user(request, plan_id)
    action = _get_action(plan, action_id)
    evidence = Evidence.objects.filter(pk=evidence_id, action=action).first()
    if evidence is None or not evidence.file:
        raise Http404("No such file")
    # Always a download, never shown inline: an uploaded file runs nothing in our origin.
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=evidence.file_name, content_type=evidence.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def add_milestone(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    plan_actions = list(plan.actions.all())
    form = forms.MilestoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        linked = next((a for a in plan_actions if str(a.pk) == data["action"]), None)
        if _call(form, lambda: actions.add_milestone(
            actor=request.user, plan=plan, title=data["title"], due_on=data["due_on"],
            action=linked,
        )):
            return redirect(reverse("improvement:plan", args=[plan.pk]) + "#milestones")
    return _page(request, "improvement/add_milestone.html", {
        "plan": plan, "form": form, "plan_actions": plan_actions,
    })


@login_required
@require_http_methods(["GET", "POST"])
def change_milestone(request: HttpRequest, plan_id: int, milestone_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    milestone = Milestone.objects.filter(pk=milestone_id, plan=plan).first()
    if milestone is None:
        raise Http404("No such milestone")
    initial = {"version": milestone.version, **forms.initial_date("due_on", milestone.due_on),
               **forms.initial_date("met_on", milestone.met_on)}
    form = forms.ChangeMilestoneForm(request.POST if request.method == "POST" else None,
                                     initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(form, lambda: actions.change_milestone(
            actor=request.user, milestone=milestone, expected_version=data["version"],
            due_on=data["due_on"], met_on=data["met_on"], why=data["why"],
        )):
            return redirect(reverse("improvement:plan", args=[plan.pk]) + "#milestones")
    return _page(request, "improvement/change_milestone.html", {
        "plan": plan, "milestone": milestone, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def add_risk(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    form = forms.RiskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(form, lambda: actions.add_risk(
            actor=request.user, plan=plan, title=data["title"], likelihood=data["likelihood"],
            impact=data["impact"], mitigation=data["mitigation"], owner=data["owner"],
        )):
            return redirect(reverse("improvement:plan", args=[plan.pk]) + "#risks")
    return _page(request, "improvement/add_risk.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_risk(request: HttpRequest, plan_id: int, risk_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    risk = Risk.objects.filter(pk=risk_id, plan=plan).first()
    if risk is None:
        raise Http404("No such risk")
    form = forms.ChangeRiskForm(
        request.POST if request.method == "POST" else None,
        initial={"version": risk.version, "likelihood": risk.likelihood, "impact": risk.impact,
                 "mitigation": risk.mitigation, "owner": risk.owner})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(form, lambda: actions.change_risk(
            actor=request.user, risk=risk, expected_version=data["version"],
            likelihood=data["likelihood"], impact=data["impact"],
            mitigation=data["mitigation"], owner=data["owner"],
        )):
            return redirect(reverse("improvement:plan", args=[plan.pk]) + "#risks")
    return _page(request, "improvement/change_risk.html", {
        "plan": plan, "risk": risk, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def add_update(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    form = forms.UpdateForm(request.POST if request.method == "POST" else None,
                            initial=forms.initial_date("week_of", monday))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(form, lambda: actions.add_weekly_update(
            actor=request.user, plan=plan, week_of=data["week_of"], summary=data["summary"],
        )):
            return redirect(reverse("improvement:plan", args=[plan.pk]) + "#updates")
    return _page(request, "improvement/add_update.html", {"plan": plan, "form": form})


# --- Comparing and the board -----------------------------------------------------------------


def _point(value: dt.date | None, default: str) -> str | dt.date:
    return value if value is not None else default


def _point_name(plan: Plan, point) -> str:
    if point == compare.ORIGINAL:
        return f"the original plan ({long_date(timezone.localtime(plan.created_at).date())})"
    if point == compare.NOW:
        return "now"
    return f"the end of {long_date(point)}"


@login_required
@require_GET
def compare_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id)
    form = forms.CompareForm(request.GET or None)
    start: str | dt.date = compare.ORIGINAL
    end: str | dt.date = compare.NOW
    if request.GET and form.is_valid():
        start = _point(form.cleaned_data["from"], compare.ORIGINAL)
        end = _point(form.cleaned_data["to"], compare.NOW)
    before = compare.state_for(plan, start)
    after = compare.state_for(plan, end)
    rows = compare.rows(before, after)
    return _page(request, "improvement/compare.html", {
        "plan": plan, "form": form, "rows": rows, "counts": compare.summary(rows),
        "start_name": _point_name(plan, start), "end_name": _point_name(plan, end),
        "themes": dict(plan.themes.values_list("id", "title")),
    })


@login_required
@require_GET
def board_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id)
    return _page(request, "improvement/board.html", {
        "plan": plan, "board": queries.board(plan), "may_edit": _may_edit(request, plan),
    })


@login_required
@require_GET
def board_export(request: HttpRequest, plan_id: int, format: str) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id)
    board = queries.board(plan)
    name = f"board-{plan.la_code}-{plan.pk}-{board.today:%Y-%m-%d}.{format}"
    if format == "pdf":
        content, kind = export.board_pdf(board), "application/pdf"
    else:
        content, kind = export.board_xlsx(board), export.XLSX
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def board_date(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get_plan_for_user(request, plan_id, Permission.EDIT_IMPROVEMENT_PLAN)
    form = forms.BoardDateForm(
        request.POST if request.method == "POST" else None,
        initial={"version": plan.version, **forms.initial_date("board_on", plan.last_board_on)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(form, lambda: actions.set_board_date(
            actor=request.user, plan=plan, expected_version=data["version"],
            board_on=data["board_on"],
        )):
            return redirect("improvement:board", plan_id=plan.pk)
    return _page(request, "improvement/board_date.html", {"plan": plan, "form": form})


# --- Councillors' questions ------------------------------------------------------------------


@login_required
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.VIEW_IMPROVEMENT)
    if not la_codes:
        raise PermissionDenied("Councillors' questions are for managers, analysts and auditors")
    today = timezone.localdate()
    everything = list(queries.questions_for(la_codes))
    return _page(request, "improvement/questions.html", {
        "overdue": [q for q in everything if q.overdue_on(today)],
        "open": [q for q in everything
                 if q.status == QuestionStatus.OPEN and not q.overdue_on(today)],
        "answered": [q for q in everything if q.status == QuestionStatus.ANSWERED],
        "may_record": bool(authorities_where(request.user, Permission.ANSWER_QUESTION)),
        "show_la": len(la_codes) > 1,
    })


@login_required
@require_GET
def questions_export(request: HttpRequest, format: str) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.VIEW_IMPROVEMENT)
    if not la_codes:
        raise PermissionDenied("Councillors' questions are for managers, analysts and auditors")
    rows = list(queries.questions_for(la_codes))
    today = timezone.localdate()
    if format == "pdf":
        content, kind = export.questions_pdf(rows, today), "application/pdf"
    else:
        content, kind = export.questions_xlsx(rows, today), export.XLSX
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="member-questions-{today:%Y-%m-%d}.{format}"')
    return response


@login_required
@require_http_methods(["GET", "POST"])
def new_question(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.ANSWER_QUESTION)
    if not la_codes:
        raise PermissionDenied("You may not record councillors' questions")
    form = forms.QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        la_code = data["la_code"] or la_codes[0]
        if la_code not in la_codes:
            form.add_error("la_code", "Choose an authority you work for")
        elif _call(form, lambda: actions.record_question(
            actor=request.user, la_code=la_code, member=data["member"],
            asked_on=data["asked_on"], meeting=data["meeting"], question=data["question"],
            answerer=data["answerer"], due_on=data["due_on"],
        )):
            return redirect("improvement:questions")
    return _page(request, "improvement/new_question.html", {"form": form, "la_codes": la_codes})


@login_required
@require_http_methods(["GET", "POST"])
def question_page(request: HttpRequest, question_id: int) -> HttpResponse:
    question = _get_question_for_user(request, question_id)
    may_answer = can(request.user, Permission.ANSWER_QUESTION, question.la_code)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied("You may not answer councillors' questions")
    form = forms.AnswerForm(
        request.POST if request.method == "POST" else None,
        initial={"version": question.version, "response": question.response,
                 **forms.initial_date("answered_on", question.answered_on
                                      or timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(form, lambda: actions.answer_question(
            actor=request.user, question=question, expected_version=data["version"],
            response=data["response"], answered_on=data["answered_on"],
        )):
            return redirect("improvement:questions")
    return _page(request, "improvement/question.html", {
        "question": question, "form": form, "may_answer": may_answer,
        "overdue": question.overdue_on(timezone.localdate()),
    })
