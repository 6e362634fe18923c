"""The casework pages: the child's page, and a form for each step of the journey.

Thin: each view fetches its record, reads the child through ``people.access`` (which
checks the permission in the child's authority and logs the read), parses the form and
calls an action, whose errors go back on the fields they name. A change saved over
someone else's is refused (``StaleVersion``) and the form shown again as typed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from childrenmatter.accounts.permissions import Permission, can
from childrenmatter.casework import actions, queries
from childrenmatter.casework.forms import CaseworkForm, Field
from childrenmatter.casework.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    ChronologyEntry,
    ChronologyKind,
    Referral,
    Section47Enquiry,
    Section47Outcome,
)
from childrenmatter.clocks.state import ClockState
from childrenmatter.dataset import codes
from childrenmatter.people.access import access_person
from childrenmatter.people.models import Person
from childrenmatter.versions import StaleVersion
from childrenmatter.web.forms import put_errors
from childrenmatter.web.govuk import long_date

STATE_TAGS = {
    ClockState.OVERDUE: ("Overdue", "govuk-tag--red"),
    ClockState.DUE_SOON: ("Due soon", "govuk-tag--yellow"),
    ClockState.DUE: ("Due", "govuk-tag--blue"),
    ClockState.DONE_IN_TIME: ("Done in time", "govuk-tag--green"),
    ClockState.DONE_LATE: ("Done late", "govuk-tag--grey"),
}


def _choices_for(choices, chosen) -> list[dict]:
    chosen = chosen if isinstance(chosen, list | tuple) else [chosen]
    return [{"value": value, "text": text, "checked": value in chosen}
            for value, text in choices]


def _state_tag(state: ClockState) -> dict:
    text, classes = STATE_TAGS[state]
    return {"text": text, "classes": classes}


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.update(choices_for=_choices_for, state_tag=_state_tag)
    return render(request, template, context, status=status)


def _child(request, person_id: int, what: str,
           permission: Permission = Permission.RECORD_CASEWORK) -> Person:
    """The child, read through the access log; not found unless the user may ``permission``
    in the child's authority."""
    return access_person(request.user, person_id, what=what, permission=permission)


def _record(model: type[models.Model], pk: int) -> models.Model:
    record = model.objects.filter(pk=pk).first()
    if record is None:
        raise Http404("No such record")
    return record


def _code_choices(code_list) -> list[tuple[str, str]]:
    return [(c.code, f"{c.label}") for c in code_list.codes]


def _form_page(
    request: HttpRequest, *, person: Person, title: str, caption: str,
    layout: Sequence[Field], act: Callable[[dict, int | None], object], button: str,
    initial: dict | None = None, facts: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
) -> HttpResponse:
    """Show a form; on a valid POST call ``act(values, expected_version)`` and go back to
    the child's page, or show the form again with the action's errors."""
    form = CaseworkForm(layout, request.POST if request.method == "POST" else None,
                        initial=initial or {})
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if not form.errors:
            try:
                act(values, form.cleaned_data.get("version"))
            except ValidationError as error:
                put_errors(form, error)
            except StaleVersion as error:
                form.add_error(None, str(error))
            else:
                return redirect("casework:child", person_id=person.pk)
    return _render(request, "casework/form.html", {
        "form": form, "person": person, "title": title, "caption": caption, "button": button,
        "facts": [{"key": {"text": k}, "value": {"text": v}} for k, v in facts],
        "notes": notes,
    })


# --- The child's page ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def child(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _child(request, person_id, "casework summary", Permission.VIEW_CASE_NOTES)
    kind = request.GET.get("kind", "")
    if kind not in ChronologyKind.values:
        kind = ""
    significant_only = request.GET.get("significant") == "yes"
    cp_plan, cin_plan = queries.open_plans(person)
    referrals = list(
        Referral.objects.filter(person=person).order_by("-referral_date")
        .prefetch_related("assessments", "strategy_discussions", "section_47_enquiries",
                          "cp_plans", "cin_plans")
    )
    return _render(request, "casework/child.html", {
        "person": person,
        "status": queries.status(person),
        "due": queries.due_and_overdue(person),
        "cp_plan": cp_plan,
        "cp_review_due": actions.review_due(cp_plan) if cp_plan else None,
        "cin_plan": cin_plan,
        "referrals": referrals,
        "chronology": queries.chronology(person, kind=kind, significant_only=significant_only),
        "kind": kind,
        "significant_only": significant_only,
        "kind_items": [{"value": "", "text": "Every kind", "selected": not kind}] + [
            {"value": value, "text": label, "selected": value == kind}
            for value, label in ChronologyKind.choices],
        "may_record": can(request.user, Permission.RECORD_CASEWORK, person.la_code),
        "may_authorise": can(request.user, Permission.AUTHORISE_ASSESSMENT, person.la_code),
        "category": lambda code: codes.label("category_of_abuse", code),
        "outcome_label": lambda code: codes.label("assessment_outcome", code) if code else "",
        "s47_outcome": lambda code: Section47Outcome(code).label if code else "Not concluded",
        "long_date": long_date,
    })


# --- Assessments ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start_assessment(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _record(Referral, referral_id)
    person = _child(request, referral.person_id, "start an assessment")
    return _form_page(
        request, person=person, title="Start the assessment",
        caption=f"Referral {referral.reference}", button="Start the assessment",
        facts=[("Referral", long_date(referral.referral_date)),
               ("Authorise by", long_date(actions.assessment_due(
                   Assessment(referral=referral))))],
        layout=[Field("date", "start_date", "Date the assessment started")],
        act=lambda v, _: actions.start_assessment(actor=request.user, referral=referral,
                                                  start_date=v["start_date"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def complete_assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _record(Assessment, assessment_id)
    person = _child(request, assessment.person_id, "complete an assessment")
    due = actions.assessment_due(assessment)
    return _form_page(
        request, person=person, title="Complete the assessment",
        caption=f"Assessment {assessment.reference}", button="Send for authorisation",
        initial={"version": assessment.version},
        facts=[("Started", long_date(assessment.start_date)),
               ("Authorise by", long_date(due))],
        layout=[
            Field("date", "completed_date", "Date the assessment was completed"),
            Field("textarea", "childs_views", "The child's views and wishes",
                  hint="In the child's words where you can, or why they could not be gathered"),
            Field("checkboxes", "factors", "Factors identified",
                  hint="The DfE's assessment factors",
                  choices=_code_choices(codes.ASSESSMENT_FACTOR)),
            Field("radios", "outcome", "What follows the assessment",
                  choices=_code_choices(codes.ASSESSMENT_OUTCOME)),
            Field("textarea", "late_reason", "If it is late, why",
                  hint=f"Needed after {long_date(due)}", required=False),
        ],
        act=lambda v, version: actions.complete_assessment(
            actor=request.user, assessment=assessment, expected_version=version,
            completed_date=v["completed_date"], childs_views=v["childs_views"],
            factors=v["factors"], outcome=v["outcome"], late_reason=v["late_reason"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorise_assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _record(Assessment, assessment_id)
    person = _child(request, assessment.person_id, "authorise an assessment",
                    Permission.AUTHORISE_ASSESSMENT)
    due = actions.assessment_due(assessment)
    return _form_page(
        request, person=person, title="Authorise the assessment",
        caption=f"Assessment {assessment.reference}", button="Authorise",
        initial={"version": assessment.version},
        facts=[("Completed", long_date(assessment.completed_date) or "Not yet"),
               ("The child's views", assessment.childs_views or "Not recorded"),
               ("Factors", ", ".join(assessment.factors or []) or "Not recorded"),
               ("Outcome", codes.label("assessment_outcome", assessment.outcome)
                if assessment.outcome else "Not recorded"),
               ("Authorise by", long_date(due)),
               ("Why it is late", assessment.late_reason or "Not given")],
        layout=[
            Field("date", "authorised_date", "Date authorised"),
            Field("textarea", "late_reason", "If it is late and the worker gave no reason, why",
                  required=False),
        ],
        act=lambda v, version: actions.authorise_assessment(
            actor=request.user, assessment=assessment, expected_version=version,
            authorised_date=v["authorised_date"], late_reason=v["late_reason"]),
    )


# --- Strategy discussion and section 47 -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def strategy_discussion(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _record(Referral, referral_id)
    person = _child(request, referral.person_id, "record a strategy discussion")
    taking_part = [("social_care", "Children's social care"), ("police", "Police"),
                   ("health", "Health")]

    def act(v, _):
        return actions.record_strategy_discussion(
            actor=request.user, referral=referral, discussion_date=v["discussion_date"],
            police="police" in v["participants"], health="health" in v["participants"],
            social_care="social_care" in v["participants"], section_47=v["section_47"],
            others=v["others"], notes=v["notes"])

    return _form_page(
        request, person=person, title="Strategy discussion",
        caption=f"Referral {referral.reference}", button="Save the strategy discussion",
        layout=[
            Field("date", "discussion_date", "Date of the strategy discussion"),
            Field("checkboxes", "participants", "Who took part", choices=taking_part),
            Field("text", "others", "Anyone else who took part", required=False),
            Field("textarea", "notes", "What was discussed and decided", required=False),
            Field("yesno", "section_47", "Does a section 47 enquiry start?"),
        ],
        act=act,
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_47_outcome(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    enquiry = _record(Section47Enquiry, enquiry_id)
    person = _child(request, enquiry.person_id, "conclude a section 47 enquiry")
    return _form_page(
        request, person=person, title="Outcome of the section 47 enquiry",
        caption=f"Enquiry {enquiry.reference}", button="Save the outcome",
        initial={"version": enquiry.version},
        facts=[("Started", long_date(enquiry.start_date)),
               ("Initial conference due by", long_date(actions.icpc_due(enquiry.start_date)))],
        layout=[Field("date", "end_date", "Date the enquiry concluded"),
                Field("radios", "outcome", "Outcome", choices=Section47Outcome.choices)],
        act=lambda v, version: actions.record_section_47_outcome(
            actor=request.user, enquiry=enquiry, expected_version=version,
            end_date=v["end_date"], outcome=v["outcome"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def initial_conference(request: HttpRequest, enquiry_id: int) -> HttpResponse:
    enquiry = _record(Section47Enquiry, enquiry_id)
    person = _child(request, enquiry.person_id, "record an initial conference")
    due = actions.icpc_due(enquiry.start_date)
    return _form_page(
        request, person=person, title="Initial child protection conference",
        caption=f"Enquiry {enquiry.reference}", button="Save the conference",
        facts=[("Strategy discussion", long_date(enquiry.start_date)),
               ("Due by", f"{long_date(due)} (15 working days)")],
        layout=[
            Field("date", "conference_date", "Date of the conference"),
            Field("yesno", "plan_decided", "Did the conference decide on a child protection plan?"),
            Field("radios", "category", "Category of abuse", required=False,
                  choices=_code_choices(codes.CATEGORY_OF_ABUSE)),
            Field("textarea", "late_reason", "If it is late, why",
                  hint=f"Needed after {long_date(due)}", required=False),
        ],
        act=lambda v, _: actions.record_initial_conference(
            actor=request.user, enquiry=enquiry, conference_date=v["conference_date"],
            plan_decided=bool(v["plan_decided"]), category=v["category"],
            late_reason=v["late_reason"]),
    )


# --- Child protection plans ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_conference(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _record(ChildProtectionPlan, plan_id)
    person = _child(request, plan.person_id, "record a review conference")
    due = actions.review_due(plan)

    def act(v, version):
        return actions.record_review_conference(
            actor=request.user, plan=plan, expected_version=version,
            conference_date=v["conference_date"], plan_continues=bool(v["plan_continues"]),
            latest_category=v["latest_category"], end_reason=v["end_reason"],
            late_reason=v["late_reason"])

    return _form_page(
        request, person=person, title="Review child protection conference",
        caption=f"Plan {plan.reference}", button="Save the review",
        initial={"version": plan.version, "latest_category": plan.latest_category},
        facts=[("Plan started", long_date(plan.start_date)),
               ("Category", codes.label("category_of_abuse", plan.latest_category)),
               ("Review due by", long_date(due))],
        layout=[
            Field("date", "conference_date", "Date of the review"),
            Field("yesno", "plan_continues", "Does the plan continue?"),
            Field("radios", "latest_category", "Category of abuse now", required=False,
                  choices=_code_choices(codes.CATEGORY_OF_ABUSE)),
            Field("textarea", "end_reason", "If the plan ends, why", required=False),
            Field("textarea", "late_reason", "If the review is late, why",
                  hint=f"Needed after {long_date(due)}", required=False),
        ],
        act=act,
    )


@login_required
@require_http_methods(["GET", "POST"])
def end_cp_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _record(ChildProtectionPlan, plan_id)
    person = _child(request, plan.person_id, "end a child protection plan")
    return _form_page(
        request, person=person, title="End the child protection plan",
        caption=f"Plan {plan.reference}", button="End the plan",
        initial={"version": plan.version},
        notes=["A plan usually ends at a review conference; end it here when it ends "
               "otherwise (the child moved away or came into care)."],
        layout=[Field("date", "end_date", "Date the plan ended"),
                Field("textarea", "end_reason", "Why the plan ended")],
        act=lambda v, version: actions.end_child_protection_plan(
            actor=request.user, plan=plan, expected_version=version, end_date=v["end_date"],
            end_reason=v["end_reason"]),
    )


# --- Child in need plans -------------------------------------------------------------------

GOALS = 3


@login_required
@require_http_methods(["GET", "POST"])
def start_cin_plan(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _record(Referral, referral_id)
    person = _child(request, referral.person_id, "start a child in need plan")
    layout = [Field("date", "start_date", "Date the plan started")]
    for n in range(1, GOALS + 1):
        optional = n > 1
        layout += [
            Field("textarea", f"goal_{n}", f"Goal {n}: what will change",
                  hint="Leave goals 2 and 3 empty if there are fewer" if n == 2 else "",
                  required=not optional),
            Field("text", f"goal_{n}_owner", f"Goal {n}: who is responsible",
                  required=not optional),
            Field("date", f"goal_{n}_date", f"Goal {n}: by when", required=False),
        ]

    def act(v, _):
        goals = [actions.Goal(v[f"goal_{n}"], v[f"goal_{n}_owner"], v[f"goal_{n}_date"])
                 for n in range(1, GOALS + 1)]
        try:
            return actions.start_child_in_need_plan(actor=request.user, referral=referral,
                                                    start_date=v["start_date"], goals=goals)
        except ValidationError as error:
            # goals[0].owner -> goal_1_owner, the field on this page.
            renamed: dict[str, list[str]] = {}
            for name, messages in error.message_dict.items():
                for index in range(GOALS):
                    prefix = f"goals[{index}]"
                    if name.startswith(prefix):
                        suffix = name[len(prefix) + 1:]
                        part = {"goal": "", "owner": "_owner", "target_date": "_date"}.get(
                            suffix, "")
                        name = f"goal_{index + 1}{part}"
                if name == "goals":
                    name = "goal_1"
                renamed.setdefault(name, []).extend(messages)
            raise ValidationError(renamed) from None

    return _form_page(
        request, person=person, title="Child in need plan",
        caption=f"Referral {referral.reference}", button="Start the plan",
        notes=["Each goal says what will change, who is responsible and by when."],
        layout=layout, act=act,
    )


@login_required
@require_http_methods(["GET", "POST"])
def end_cin_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _record(ChildInNeedPlan, plan_id)
    person = _child(request, plan.person_id, "end a child in need plan")
    return _form_page(
        request, person=person, title="End the child in need plan",
        caption=f"Plan {plan.reference}", button="End the plan",
        initial={"version": plan.version},
        layout=[Field("date", "end_date", "Date the plan ended"),
                Field("textarea", "closure_reason", "Why the plan ended")],
        act=lambda v, version: actions.end_child_in_need_plan(
            actor=request.user, plan=plan, expected_version=version, end_date=v["end_date"],
            closure_reason=v["closure_reason"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def close_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _record(Referral, referral_id)
    person = _child(request, referral.person_id, "close a referral")
    return _form_page(
        request, person=person, title="Close the referral",
        caption=f"Referral {referral.reference}", button="Close the referral",
        initial={"version": referral.version},
        notes=["A referral closes when nothing is left open on it: every assessment "
               "authorised, every enquiry concluded, every plan ended."],
        layout=[Field("date", "closure_date", "Date the case closed"),
                Field("radios", "closure_reason", "Why the case closed",
                      choices=_code_choices(codes.CLOSURE_REASON))],
        act=lambda v, version: actions.close_referral(
            actor=request.user, referral=referral, expected_version=version,
            closure_date=v["closure_date"], closure_reason=v["closure_reason"]),
    )


# --- Visits and the chronology -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _child(request, person_id, "record a visit")

    def act(v, _):
        return actions.record_visit(
            actor=request.user, person=person, visit_date=v["visit_date"],
            visit_type=v["visit_type"], seen=bool(v["seen"]), seen_alone=bool(v["seen_alone"]),
            note=v["note"])

    return _form_page(
        request, person=person, title="Record a visit", caption="Visit", button="Save the visit",
        layout=[
            Field("date", "visit_date", "Date of the visit"),
            Field("radios", "visit_type", "Under which plan",
                  choices=[("cp", "Child protection plan"), ("cin", "Child in need plan")]),
            Field("yesno", "seen", "Was the child seen?"),
            Field("yesno", "seen_alone", "Was the child seen alone?"),
            Field("textarea", "note", "What you saw and what the child said", required=False),
        ],
        act=act,
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_entry(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _child(request, person_id, "add to the chronology")
    return _form_page(
        request, person=person, title="Add to the chronology", caption="Chronology",
        button="Add to the chronology",
        layout=[Field("date", "event_date", "Date it happened"),
                Field("textarea", "summary", "What happened"),
                Field("yesno", "significant", "Is it a significant event?")],
        act=lambda v, _: actions.add_chronology_entry(
            actor=request.user, person=person, event_date=v["event_date"],
            summary=v["summary"], significant=bool(v["significant"])),
    )


@login_required
@require_POST
def mark_significant(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _record(ChronologyEntry, entry_id)
    person = _child(request, entry.person_id, "mark a chronology entry")
    version = request.POST.get("version", "")
    # Someone else changed it first: the page shows what it is now.
    with contextlib.suppress(StaleVersion):
        actions.mark_significant(
            actor=request.user, entry=entry,
            expected_version=int(version) if version.isdigit() else None,
            significant=request.POST.get("significant") == "yes")
    return redirect("casework:child", person_id=person.pk)
