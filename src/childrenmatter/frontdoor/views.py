"""The front door's pages. Thin: fetch through the access checks, parse the form, call an
action, show its errors on the fields they name. A change saved over someone else's is
refused (``StaleVersion``) and the page is shown again with everything the user typed."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from childrenmatter.accounts.permissions import Permission, authorities_where, can
from childrenmatter.clocks.state import ClockState
from childrenmatter.dataset import codes
from childrenmatter.frontdoor import actions, forms, queries
from childrenmatter.frontdoor.models import Contact, ContactChild, ContactStatus, PartnerCheck
from childrenmatter.people.access import (
    RestrictedRecord,
    access_people,
    access_person,
    visible_people,
)
from childrenmatter.people.models import Person
from childrenmatter.people.search import find_people
from childrenmatter.versions import StaleVersion
from childrenmatter.web.forms import put_errors
from childrenmatter.web.govuk import long_date

RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}
STATE_TAGS = {
    ClockState.OVERDUE: ("Overdue", "govuk-tag--red"),
    ClockState.DUE_SOON: ("Due soon", "govuk-tag--yellow"),
    ClockState.DUE: ("Due", "govuk-tag--blue"),
    ClockState.DONE_IN_TIME: ("Done in time", "govuk-tag--green"),
    ClockState.DONE_LATE: ("Done late", "govuk-tag--grey"),
}


def when(value) -> str:
    """A moment in the service's time zone, as GOV.UK writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return long_date(value)


def rag_tag(rag: str) -> dict | None:
    if not rag:
        return {"text": "Not rated", "classes": "govuk-tag--grey"}
    return {"text": rag.capitalize(), "classes": RAG_TAGS[rag]}


def state_tag(state) -> dict | None:
    if state is None:
        return None
    text, classes = STATE_TAGS[ClockState(state)]
    return {"text": text, "classes": classes}


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.update(when=when, rag_tag=rag_tag, state_tag=state_tag)
    return render(request, template, context, status=status)


def _get_contact_for_user(request: HttpRequest, contact_id: int,
                          permission: Permission = Permission.VIEW_CASE_NOTES) -> Contact:
    """The contact, if the user may ``permission`` in its authority; otherwise "not found"
    (another authority's contacts are not confirmed to exist)."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None or not can(request.user, permission, contact.la_code):
        raise Http404("No such contact")
    return contact


def _stale(form, error: StaleVersion) -> None:
    form.add_error(None, str(error))
    # The form now carries the current version, so the user can look at the change (the
    # screening page) and save theirs again without retyping it.
    data = form.data.copy()
    data["version"] = str(error.current)
    form.data = data


def find_children(user, la_codes: list[str], *, given_name="", family_name="",
                  date_of_birth=None, postcode="", what: str) -> list[tuple[Person, list[str]]]:
    """People who may be the child described, best first, each with why they matched;
    every record shown is logged, restricted ones left out (``visible_people``)."""
    candidates = find_people(
        la_codes=la_codes, given_name=given_name, family_name=family_name,
        date_of_birth=date_of_birth, postcode=postcode, limit=10,
    )
    found = [c.person for c in candidates]
    reasons = {c.person.pk: [c.strength, *c.reasons] for c in candidates}
    shown = visible_people(user, found, what=what)
    return [(person, reasons[person.pk]) for person in shown]


# --- The queue ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    authorities = queries.queue_authorities(request.user)
    if not authorities:
        raise PermissionDenied("The front door queue is for front door staff")
    now = timezone.now()
    # htmx asks for the queue's sections alone every few seconds (see _queue.html); a
    # browser without JavaScript gets the whole page, refreshed by reloading it.
    template = "frontdoor/_queue.html" if request.htmx else "frontdoor/queue.html"
    return _page(request, template, {
        "show_la": len(authorities) > 1,
        "queue": queries.queue_for(request.user, now=now),
        "may_create": bool(authorities_where(request.user, Permission.CREATE_CONTACT)),
        "now": timezone.localtime(now),
        "refresh_seconds": getattr(settings, "FRONTDOOR_QUEUE_REFRESH_SECONDS", 60),
    })


# --- A new contact: search first ---------------------------------------------------------


def _picked_people(request, la_codes: list[str], ids: list[str]) -> list[Person]:
    people = []
    for raw in ids:
        if not raw.isdigit() or int(raw) in [p.pk for p in people]:
            continue
        try:
            person = access_person(request.user, int(raw), what="added to a new contact")
        except (Http404, RestrictedRecord):
            continue
        if person.la_code in la_codes:
            people.append(person)
    return people


@login_required
@require_http_methods(["GET", "POST"])
def new_contact(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.CREATE_CONTACT)
    if not la_codes:
        raise PermissionDenied("You may not record contacts")
    params = request.POST if request.method == "POST" else request.GET
    picked_ids = params.getlist("picked")
    removing = request.POST.get("remove", "")
    picked_ids = [i for i in picked_ids if i != removing]
    picked = _picked_people(request, la_codes, picked_ids)
    try:
        unknown = min(max(int(params.get("unknown", "0")), 0), forms.MAX_UNKNOWN_CHILDREN)
    except ValueError:
        unknown = 0
    action = request.POST.get("action", "")
    if action == "add-unknown":
        unknown = min(unknown + 1, forms.MAX_UNKNOWN_CHILDREN)

    search = forms.SearchForm(request.GET if "search" in request.GET else None)
    results = []
    if search.searched and search.is_valid():
        results = [
            (person, why) for person, why in find_children(
                request.user, la_codes,
                given_name=search.cleaned_data["given_name"],
                family_name=search.cleaned_data["family_name"],
                date_of_birth=search.cleaned_data["date_of_birth"],
                postcode=search.cleaned_data["postcode"],
                what="front door search for a new contact",
            ) if person not in picked
        ]

    now = timezone.localtime()
    initial = {
        "received_day": now.day, "received_month": now.month, "received_year": now.year,
        "received_time": f"{now:%H:%M}", "consent": "unknown", "la_code": la_codes[0],
    }
    if request.method == "POST" and action == "save":
        form = forms.ContactForm(request.POST, unknown_children=unknown)
    elif request.method == "POST":
        # Adding or removing a child posts the form back: keep what was typed, but do not
        # judge a form the user has not finished.
        typed = {name: value for name, value in request.POST.items() if name != "picked"}
        typed["is_domestic_abuse"] = request.POST.get("is_domestic_abuse") == "on"
        form = forms.ContactForm(None, unknown_children=unknown, initial=typed)
    else:
        form = forms.ContactForm(None, unknown_children=unknown, initial=initial)

    if request.method == "POST" and action == "save" and form.is_valid():
        data = form.cleaned_data
        children = [
            actions.ReportedChild(p.given_name, p.family_name, p.date_of_birth, person=p)
            for p in picked
        ]
        for number in form.unknown_numbers():
            child = {name: data.get(f"child_{number}_{name}") or "" for name in forms.CHILD_FIELDS}
            if any(v.strip() for v in child.values()) or data.get(f"child_{number}_dob"):
                children.append(actions.ReportedChild(
                    date_of_birth=data.get(f"child_{number}_dob"), **child))
        la_code = data["la_code"] if data["la_code"] in la_codes else la_codes[0]
        try:
            contact = actions.record_contact(
                actor=request.user, la_code=la_code, received_at=data["received_at"],
                source=data["source"], summary=data["summary"], children=children,
                referrer_name=data["referrer_name"],
                referrer_organisation=data["referrer_organisation"],
                referrer_phone=data["referrer_phone"], referrer_email=data["referrer_email"],
                consent=data["consent"], consent_note=data["consent_note"],
                is_domestic_abuse=data["is_domestic_abuse"],
            )
        except ValidationError as error:
            aliases = {"received_at": "received_day"}
            for number in range(len(children)):
                unknown_number = number - len(picked) + 1
                prefix = f"children[{number}]"
                target = f"child_{unknown_number}_given_name" if unknown_number >= 1 else None
                aliases[prefix] = target or "__all__"
                aliases[f"{prefix}.date_of_birth"] = (
                    f"child_{unknown_number}_dob_day" if unknown_number >= 1 else "__all__"
                )
            aliases["children"] = "__all__"
            put_errors(form, error, aliases)
        else:
            return redirect("frontdoor:contact", contact_id=contact.pk)
    return _page(request, "frontdoor/new_contact.html", {
        "form": form,
        "search": search, "results": results, "picked": picked, "unknown": unknown,
        "la_codes": la_codes,
        "la_items": [{"value": code, "text": f"LA {code}",
                      "checked": (form["la_code"].value() or la_codes[0]) == code}
                     for code in la_codes],
        "source_items": forms.source_items(form["source"].value() or ""),
        "consent_items": forms.consent_items(form["consent"].value() or "unknown"),
        "picked_query": "&".join(f"picked={p.pk}" for p in picked),
    })


# --- Screening ---------------------------------------------------------------------------


@dataclass
class ChildOnPage:
    link: ContactChild
    person: Person | None
    restricted: bool
    history: queries.ChildHistory | None


@login_required
@require_http_methods(["GET"])
def contact_page(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id)
    links = list(contact.child_links.filter(person__isnull=False))
    _, restricted_people = access_people(request.user, [link.person_id for link in links],
                                         what=f"screening of contact {contact.reference}")
    restricted = {link.pk for link in links if link.person_id in restricted_people}
    histories = {h.link.pk: h for h in
                 queries.screening_history(contact, user=request.user, leave_out=restricted)}
    children = [
        ChildOnPage(link=h.link, person=h.person, restricted=h.link.pk in restricted,
                    history=None if h.link.pk in restricted else h)
        for h in histories.values()
    ]
    la = contact.la_code
    user = request.user
    triage = getattr(contact, "triage", None) if contact.is_domestic_abuse else None
    return _page(request, "frontdoor/contact.html", {
        "contact": contact,
        "children": children,
        "ratings": list(contact.ratings.select_related("rated_by")),
        "checks": queries.checks_for(contact),
        "triage": triage,
        "source_label": codes.REFERRAL_SOURCE.get(contact.source).label
        if contact.source in codes.REFERRAL_SOURCE.all_codes else contact.source,
        "decision_due": actions.decision_due(contact.received_at),
        "information_state": queries.moment_state(contact.information_due_at),
        "school_state": queries.moment_state(triage.school_notify_by, triage.school_notified_at)
        if triage and triage.school_notify_by else None,
        "is_open": contact.status not in (ContactStatus.DECIDED,),
        "may_screen": can(user, Permission.SCREEN_CONTACT, la)
        and contact.status in (ContactStatus.AWAITING_SCREENING, ContactStatus.SCREENING),
        "may_decide": can(user, Permission.DECIDE_CONTACT, la)
        and contact.status in (ContactStatus.AWAITING_SCREENING, ContactStatus.SCREENING),
        "may_authorise": can(user, Permission.AUTHORISE_DECISION, la)
        and contact.status == ContactStatus.AWAITING_AUTHORISATION,
        "may_triage": can(user, Permission.TRIAGE_DOMESTIC_ABUSE, la)
        and contact.is_domestic_abuse and contact.status != ContactStatus.DECIDED,
        "opened": list(contact.referrals.select_related("person"))
        + list(contact.early_help_episodes.select_related("person")),
    })


# --- Screening forms ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.SCREEN_CONTACT)
    form = forms.RateForm(
        request.POST if request.method == "POST" else None,
        initial={"version": contact.version, "rag": contact.rag},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_contact(
                actor=request.user, contact=contact,
                expected_version=form.cleaned_data["version"],
                rag=form.cleaned_data["rag"], reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            put_errors(form, error)
        except StaleVersion as error:
            _stale(form, error)
        else:
            return redirect("frontdoor:contact", contact_id=contact.pk)
    hours = actions.rag_hours()
    selected = form["rag"].value() or ""
    return _page(request, "frontdoor/rate.html", {
        "contact": contact, "form": form,
        "rag_items": [
            {"value": code.code, "text": code.label, "checked": code.code == selected,
             "hint": {"text": f"Partner information due within {hours[code.code]} hours"}}
            for code in codes.RAG.codes
        ],
    })


@login_required
@require_http_methods(["GET", "POST"])
def request_check(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.SCREEN_CONTACT)
    form = forms.CheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_check(actor=request.user, contact=contact,
                                  agency=form.cleaned_data["agency"],
                                  question=form.cleaned_data["question"])
        except ValidationError as error:
            put_errors(form, error)
        else:
            return redirect(reverse("frontdoor:contact", args=[contact.pk]) + "#checks")
    return _page(request, "frontdoor/check.html", {
        "contact": contact, "form": form,
        "agency_items": forms.agency_items(form["agency"].value() or ""),
    })


@login_required
@require_http_methods(["GET", "POST"])
def check_reply(request: HttpRequest, contact_id: int, check_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.SCREEN_CONTACT)
    check = PartnerCheck.objects.filter(pk=check_id, contact=contact).first()
    if check is None:
        raise Http404("No such check")
    form = forms.ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_check_reply(actor=request.user, check=check,
                                       reply=form.cleaned_data["reply"])
        except ValidationError as error:
            put_errors(form, error)
        else:
            return redirect(reverse("frontdoor:contact", args=[contact.pk]) + "#checks")
    return _page(request, "frontdoor/check_reply.html",
                 {"contact": contact, "check": check, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def match(request: HttpRequest, contact_id: int, link_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.SCREEN_CONTACT)
    link = ContactChild.objects.filter(pk=link_id, contact=contact).first()
    if link is None:
        raise Http404("No such child on this contact")
    # Search first, with what the referrer told us unless the user searched again.
    searching = "search" in request.GET
    search = forms.SearchForm(request.GET if searching else {
        "given_name": link.reported_given_name, "family_name": link.reported_family_name,
        "postcode": link.reported_postcode,
        "dob_day": link.reported_date_of_birth.day if link.reported_date_of_birth else "",
        "dob_month": link.reported_date_of_birth.month if link.reported_date_of_birth else "",
        "dob_year": link.reported_date_of_birth.year if link.reported_date_of_birth else "",
    })
    results = []
    if search.is_valid():
        results = find_children(
            request.user, [contact.la_code],
            given_name=search.cleaned_data["given_name"],
            family_name=search.cleaned_data["family_name"],
            date_of_birth=search.cleaned_data["date_of_birth"],
            postcode=search.cleaned_data["postcode"],
            what=f"search to match a child on contact {contact.reference}",
        )
    form = forms.MatchForm(request.POST if request.method == "POST" else None,
                           initial={"version": contact.version})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["person"]
        try:
            if chosen == "new":
                person = _create_child(request, contact, link,
                                       form.cleaned_data["confirm_possible_match"])
            elif chosen.isdigit():
                # The authority and restriction are checked (and the read logged) here,
                # and the action checks the record belongs to the contact's authority.
                person = access_person(request.user, int(chosen),
                                       what=f"matched to contact {contact.reference}")
            else:
                raise ValidationError({"person": ["Choose the child's record, or say they are "
                                                  "not known to us"]})
            actions.match_child(actor=request.user, contact_child=link, person=person,
                                expected_version=form.cleaned_data["version"])
        except ValidationError as error:
            put_errors(form, error)
        except StaleVersion as error:
            _stale(form, error)
        else:
            return redirect("frontdoor:contact", contact_id=contact.pk)
    chosen = form["person"].value() or ""
    items = [
        {"value": str(person.pk), "checked": chosen == str(person.pk),
         "text": f"{person.given_name} {person.family_name}",
         "hint": {"text": " · ".join(
             ([f"Born {when(person.date_of_birth)}"] if person.date_of_birth else []) + why)}}
        for person, why in results
    ]
    return _page(request, "frontdoor/match.html", {
        "contact": contact, "link": link, "search": search, "form": form, "items": items,
        "may_create": can(request.user, Permission.EDIT_PERSON, contact.la_code),
        "chosen_new": chosen == "new",
    })


def _create_child(request, contact: Contact, link: ContactChild, confirm: bool) -> Person:
    from childrenmatter.people.actions import create_person

    if not link.reported_given_name and not link.reported_family_name:
        raise ValidationError({"person": ["The referrer gave no name: a new record needs one. "
                                          "Find the child's record instead"]})
    return create_person(
        actor=request.user, la_code=contact.la_code,
        given_name=link.reported_given_name, family_name=link.reported_family_name,
        date_of_birth=link.reported_date_of_birth,
        address_line_1=link.reported_address if link.reported_postcode else "",
        postcode=link.reported_postcode, confirm_possible_match=confirm,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.DECIDE_CONTACT)
    form = forms.DecisionForm(request.POST if request.method == "POST" else None,
                              initial={"version": contact.version})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_decision(
                actor=request.user, contact=contact,
                expected_version=form.cleaned_data["version"],
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                late_reason=form.cleaned_data["late_reason"],
            )
        except ValidationError as error:
            put_errors(form, error)
        except StaleVersion as error:
            _stale(form, error)
        else:
            return redirect("frontdoor:contact", contact_id=contact.pk)
    due = actions.decision_due(contact.received_at)
    return _page(request, "frontdoor/decide.html", {
        "contact": contact, "form": form, "due": due,
        "late": timezone.localdate() > due,
        "decision_items": forms.decision_items(form["decision"].value() or ""),
    })


@login_required
@require_http_methods(["GET", "POST"])
def authorise(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.AUTHORISE_DECISION)
    form = forms.AuthoriseForm(request.POST if request.method == "POST" else None,
                               initial={"version": contact.version})
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == "send-back":
                actions.return_decision(actor=request.user, contact=contact,
                                        expected_version=form.cleaned_data["version"],
                                        reason=form.cleaned_data["reason"])
            else:
                actions.authorise_decision(actor=request.user, contact=contact,
                                           expected_version=form.cleaned_data["version"])
        except ValidationError as error:
            put_errors(form, error, {"contact": "__all__"})
        except StaleVersion as error:
            _stale(form, error)
        else:
            return redirect("frontdoor:contact", contact_id=contact.pk)
    return _page(request, "frontdoor/authorise.html", {
        "contact": contact, "form": form,
        "decision_label": contact.get_decision_display(),
        "due": actions.decision_due(contact.received_at),
    })


@login_required
@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.TRIAGE_DOMESTIC_ABUSE)
    if not contact.is_domestic_abuse:
        raise Http404("Only a domestic abuse notification is triaged")
    existing = getattr(contact, "triage", None)
    initial = {}
    if existing is not None:
        incident = timezone.localtime(existing.incident_at) if existing.incident_at else None
        initial = {
            "risk_level": existing.risk_level,
            "children_present": "yes" if existing.children_present else "no",
            "school_name": existing.school_name,
            "incident_day": incident.day if incident else "",
            "incident_month": incident.month if incident else "",
            "incident_year": incident.year if incident else "",
            "incident_time": f"{incident:%H:%M}" if incident else "",
        }
    else:
        schools = [link.reported_school for link in contact.child_links.all()
                   if link.reported_school]
        initial = {"school_name": schools[0] if schools else ""}
    form = forms.TriageForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.triage_domestic_abuse(
                actor=request.user, contact=contact,
                risk_level=form.cleaned_data["risk_level"],
                children_present=form.cleaned_data["children_present"],
                incident_at=form.cleaned_data["incident_at"],
                school_name=form.cleaned_data["school_name"],
            )
        except ValidationError as error:
            put_errors(form, error, {"incident_at": "incident_day", "contact": "__all__"})
        else:
            return redirect(reverse("frontdoor:contact", args=[contact.pk]) + "#triage")
    present = form["children_present"].value() or ""
    return _page(request, "frontdoor/triage.html", {
        "contact": contact, "form": form,
        "risk_items": forms.risk_items(form["risk_level"].value() or ""),
        "present_items": [
            {"value": "yes", "text": "Yes", "checked": present == "yes"},
            {"value": "no", "text": "No", "checked": present == "no"},
        ],
        "school_day_starts": actions.school_day_starts(),
    })


@login_required
@require_POST
def school_told(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _get_contact_for_user(request, contact_id, Permission.TRIAGE_DOMESTIC_ABUSE)
    triage_record = getattr(contact, "triage", None)
    if triage_record is None:
        raise Http404("This notification has not been triaged")
    # Told already (say, by a colleague a moment ago): the page shows when and by whom.
    with contextlib.suppress(ValidationError):
        actions.record_school_notified(actor=request.user, triage=triage_record)
    return redirect(reverse("frontdoor:contact", args=[contact.pk]) + "#triage")
