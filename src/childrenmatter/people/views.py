"""The people pages: find a person, their page, a new person (search first), corrections,
possible duplicates and merges. Thin: read through ``people.access``, change through
``people.actions``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from childrenmatter.accounts.permissions import Permission, authorities_where, can
from childrenmatter.people import actions, presenters
from childrenmatter.people.access import (
    RestrictedRecord,
    access_person,
    may_see_restricted,
    visible_people,
)
from childrenmatter.people.duplicates import find_possible_duplicates
from childrenmatter.people.forms import (
    RELATIONSHIP_WORDS,
    AddressForm,
    EditPersonForm,
    EndRelationshipForm,
    FlagForm,
    MergeForm,
    NewPersonForm,
    OtherNameForm,
    RelationshipForm,
    SearchForm,
    UndoMergeForm,
)
from childrenmatter.people.models import DuplicateStatus, Merge, PossibleDuplicate, Relationship
from childrenmatter.people.search import find_people
from childrenmatter.versions import StaleVersion


def _add_errors(form, error: ValidationError) -> None:
    """An action's ValidationError shown on the form, against the field it names."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _restricted(request: HttpRequest) -> HttpResponse:
    return render(request, "people/restricted.html", status=403)


def _get_person_for_user(request: HttpRequest, person_id: int, *, what: str,
                         permission: Permission = Permission.VIEW_PERSON):
    """The person if this user may see them (logged); Http404 or RestrictedRecord if not."""
    return access_person(request.user, person_id, what=what, permission=permission)


def _visible_candidates(user, candidates, *, what: str):
    shown = {p.pk for p in visible_people(user, [c.person for c in candidates], what=what)}
    return [c for c in candidates if c.person.pk in shown]


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.VIEW_PERSON)
    if not la_codes:
        raise PermissionDenied("You may not see people's records")
    form = SearchForm(request.GET or None)
    candidates = None
    if request.GET and form.is_valid() and not form.is_blank:
        found = find_people(la_codes=la_codes, **form.search_terms())
        candidates = _visible_candidates(request.user, found, what="search result")
    context = {
        "form": form, "candidates": candidates,
        "may_create": bool(authorities_where(request.user, Permission.EDIT_PERSON)),
    }
    if not request.htmx:
        return render(request, "people/search.html", context)
    if form.errors:
        # The form submitted with JavaScript on, and it is wrong: the whole page, errors and
        # summary included, replaces the page's body, not just the results.
        return reswap(retarget(render(request, "people/search.html", context), "body"),
                      "innerHTML")
    # The form submitted with JavaScript on: the results alone replace the old ones.
    return render(request, "people/_search_results.html", context)


@login_required
@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        record = _get_person_for_user(request, person_id, what="person page")
    except RestrictedRecord:
        return _restricted(request)
    return render(request, "people/person.html", {
        "person": record,
        "details": presenters.details_rows(record),
        "other_names": list(record.other_names.all()),
        "addresses": list(record.addresses.all()),
        "relationships": presenters.relationships(request.user, record),
        "flags": list(record.flags.order_by("-start_date")),
        "history": presenters.history_at_front_door(record),
        "merged_into": presenters.related_name(request.user, record.merged_into)
        if record.merged_into else None,
        "may_edit": can(request.user, Permission.EDIT_PERSON, record.la_code),
    })


@login_required
@require_GET
def versions(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        record = _get_person_for_user(request, person_id, what="version history")
    except RestrictedRecord:
        return _restricted(request)
    rows = record.history.select_related("history_user").order_by("-history_date")
    return render(request, "people/versions.html", {"person": record, "versions": rows})


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    authorities = authorities_where(request.user, Permission.EDIT_PERSON)
    if not authorities:
        raise PermissionDenied("You may not create people's records")
    form = NewPersonForm(request.POST or None, authorities=authorities)
    candidates = None
    if request.method == "POST" and form.is_valid():
        details = form.details()
        data = form.cleaned_data
        found = find_people(
            la_codes=[data["la_code"]], given_name=details["given_name"],
            family_name=details["family_name"], date_of_birth=details["date_of_birth"],
            nhs_number=details["nhs_number"], postcode=data.get("postcode", ""), limit=5,
        )
        candidates = _visible_candidates(request.user, found, what="possible match")
        if request.POST.get("action") == "create":
            try:
                created = actions.create_person(
                    actor=request.user, la_code=data["la_code"],
                    address_line_1=data.get("address_line_1", ""), town=data.get("town", ""),
                    postcode=data.get("postcode", ""),
                    confirm_possible_match=data.get("confirm_possible_match", False),
                    **details,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("people:person", person_id=created.pk)
    return render(request, "people/new.html", {
        "form": form, "candidates": candidates,
        "strong": any(c.is_strong for c in candidates or []),
    })


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        record = _get_person_for_user(request, person_id, what="correct details",
                                      permission=Permission.EDIT_PERSON)
    except RestrictedRecord:
        return _restricted(request)
    now = None
    if request.method == "POST":
        form = EditPersonForm(request.POST)
        if form.is_valid():
            try:
                actions.update_person(
                    actor=request.user, person=record,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"], **form.details(),
                )
            except StaleVersion as stale:
                # Keep what they typed: the form is shown back with their input, beside
                # what the record says now, and carries the new version so that saving
                # again (after checking) is a deliberate change over theirs.
                form.add_error(None, str(stale))
                data = request.POST.copy()
                data["version"] = str(stale.current)
                form.data = data
                now = stale.record
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("people:person", person_id=record.pk)
    else:
        form = EditPersonForm(initial={**EditPersonForm.initial_for(record),
                                       "version": record.version})
    return render(request, "people/edit.html", {
        "form": form, "person": record,
        "now": presenters.details_rows(now) if now else None,
    })


def _pair_visible(user, pair: PossibleDuplicate) -> bool:
    return all(not p.restricted or may_see_restricted(user, p)
               for p in (pair.person_a, pair.person_b))


@login_required
@require_http_methods(["GET", "POST"])
def duplicates(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.MERGE_PEOPLE)
    if not la_codes:
        raise PermissionDenied("Only managers may merge records")
    if request.method == "POST":
        for la_code in la_codes:
            find_possible_duplicates(la_code=la_code)
        return redirect("people:duplicates")
    pairs = [
        pair for pair in PossibleDuplicate.objects.filter(
            la_code__in=la_codes, status=DuplicateStatus.OPEN
        ).select_related("person_a", "person_b").order_by("-score", "id")[:50]
        if _pair_visible(request.user, pair)
    ]
    for pair in pairs:
        visible_people(request.user, [pair.person_a, pair.person_b], what="possible duplicate")
    return render(request, "people/duplicates.html", {
        "pairs": [{"pair": p, "a": presenters.details_rows(p.person_a),
                   "b": presenters.details_rows(p.person_b)} for p in pairs],
    })


def _get_pair_for_user(request: HttpRequest, pair_id: int) -> PossibleDuplicate:
    pair = get_object_or_404(PossibleDuplicate.objects.select_related("person_a", "person_b"),
                             pk=pair_id)
    if not can(request.user, Permission.MERGE_PEOPLE, pair.la_code):
        raise Http404("No such pair")
    if not _pair_visible(request.user, pair):
        raise RestrictedRecord("One of these records is restricted")
    return pair


@login_required
@require_http_methods(["GET", "POST"])
def decide_duplicate(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = _get_pair_for_user(request, pair_id)
    form = MergeForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "not_duplicate":
            try:
                actions.set_aside_duplicate(actor=request.user, duplicate=pair)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("people:duplicates")
        elif form.is_valid():
            a, b = pair.person_a, pair.person_b
            kept, merged = (a, b) if form.cleaned_data["keep"] == "a" else (b, a)
            try:
                actions.merge_people(actor=request.user, kept=kept, merged=merged,
                                     reason=form.cleaned_data["reason"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("people:merges")
    visible_people(request.user, [pair.person_a, pair.person_b], what="possible duplicate")
    return render(request, "people/decide.html", {
        "form": form, "pair": pair, "a": presenters.details_rows(pair.person_a),
        "b": presenters.details_rows(pair.person_b),
    })


@login_required
@require_GET
def merges(request: HttpRequest) -> HttpResponse:
    la_codes = authorities_where(request.user, Permission.MERGE_PEOPLE)
    if not la_codes:
        raise PermissionDenied("Only managers may merge records")
    rows = Merge.objects.filter(la_code__in=la_codes).select_related(
        "kept", "merged", "merged_by", "undone_by").order_by("-merged_at")[:100]
    return render(request, "people/merges.html", {
        "merges": [m for m in rows if all(
            not p.restricted or may_see_restricted(request.user, p) for p in (m.kept, m.merged))],
        "form": UndoMergeForm(),
    })


@login_required
@require_POST
def undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = get_object_or_404(Merge, pk=merge_id)
    if not can(request.user, Permission.MERGE_PEOPLE, merge.la_code):
        raise Http404("No such merge")
    form = UndoMergeForm(request.POST)
    if form.is_valid():
        try:
            actions.undo_merge(actor=request.user, merge=merge,
                               reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("people:merges")
    return render(request, "people/undo.html", {"form": form, "merge": merge}, status=400)


# Additions to a person's record: another name, a new address, a flag. One small form each.
_ADDITIONS = {
    "name": (OtherNameForm, "Add another name", lambda actor, person, data: actions.add_other_name(
        actor=actor, person=person, kind=data["kind"], given_name=data["given_name"],
        family_name=data["family_name"])),
    "address": (AddressForm, "Add an address", lambda actor, person, data: actions.add_address(
        actor=actor, person=person, line_1=data["line_1"], line_2=data.get("line_2", ""),
        town=data.get("town", ""), postcode=data["postcode"], start_date=data["start_date"])),
    "flag": (FlagForm, "Add a flag", lambda actor, person, data: actions.add_flag(
        actor=actor, person=person, kind=data["kind"], note=data.get("note", ""))),
}


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, person_id: int, what: str) -> HttpResponse:
    if what not in _ADDITIONS:
        raise Http404("Nothing to add")
    form_class, title, action = _ADDITIONS[what]
    try:
        record = _get_person_for_user(request, person_id, what=title.lower(),
                                      permission=Permission.EDIT_PERSON)
    except RestrictedRecord:
        return _restricted(request)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(request.user, record, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("people:person", person_id=record.pk)
    return render(request, f"people/add_{what}.html", {"form": form, "person": record,
                                                        "title": title})


# --- Relationships ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add_relationship(request: HttpRequest, person_id: int) -> HttpResponse:
    """Find the other person first (the search form, its results logged as reads), then say
    how they are related and since when."""
    try:
        record = _get_person_for_user(request, person_id, what="add a relationship",
                                      permission=Permission.EDIT_PERSON)
    except RestrictedRecord:
        return _restricted(request)
    search = SearchForm(request.GET or None)
    candidates = None
    if request.GET and search.is_valid() and not search.is_blank:
        found = find_people(la_codes=[record.la_code], **search.search_terms())
        candidates = [c for c in _visible_candidates(request.user, found, what="search result")
                      if c.person.pk != record.pk]
    form = RelationshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            other = access_person(request.user, form.cleaned_data["other"],
                                  what="added as a relationship",
                                  permission=Permission.EDIT_PERSON)
        except (Http404, RestrictedRecord):
            form.add_error("other", "Choose the person from the search results")
        else:
            try:
                actions.add_relationship_from_page(
                    actor=request.user, person=record, other=other,
                    word=form.cleaned_data["word"], start_date=form.cleaned_data["start_date"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                return redirect("people:person", person_id=record.pk)
    chosen, word = str(form["other"].value() or ""), form["word"].value() or ""
    who_items = [
        {"value": str(c.person.pk), "checked": str(c.person.pk) == chosen,
         "text": f"{c.person.full_name}, born {presenters.describe_dob(c.person)}",
         "hint": {"text": f"{c.person.local_id} · {c.strength}: " + "; ".join(c.reasons)}}
        for c in candidates or []
    ]
    word_items = [{"value": value, "text": text, "checked": value == word}
                  for value, text in RELATIONSHIP_WORDS]
    return render(request, "people/add_relationship.html", {
        "person": record, "search": search, "form": form, "candidates": candidates,
        "who_items": who_items, "word_items": word_items, "title": "Add a relationship",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def end_relationship(request: HttpRequest, person_id: int, relationship_id: int) -> HttpResponse:
    try:
        record = _get_person_for_user(request, person_id, what="end a relationship",
                                      permission=Permission.EDIT_PERSON)
    except RestrictedRecord:
        return _restricted(request)
    relationship = get_object_or_404(
        Relationship.objects.select_related("person", "other").filter(
            Q(person=record) | Q(other=record)), pk=relationship_id)
    other = relationship.other if relationship.person_id == record.pk else relationship.person
    form = EndRelationshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_relationship(actor=request.user, relationship=relationship,
                                     end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("people:person", person_id=record.pk)
    return render(request, "people/end_relationship.html", {
        "person": record, "form": form, "relationship": relationship,
        "other": presenters.related_name(request.user, other), "title": "End a relationship",
    })
