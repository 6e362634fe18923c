"""The dashboards: an index of the seven service areas, a page per area, the children behind
a figure, and "Refresh now".

Every page reads the snapshot (``dashboards.snapshot``); nothing is computed from the
records while someone waits, except the list of children behind one figure.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET, require_POST

from childrenmatter.accounts.permissions import Permission, can
from childrenmatter.dashboards import presenters
from childrenmatter.dashboards.access import authority_for, may_refresh
from childrenmatter.dashboards.snapshot import (
    Snapshot,
    dashboard_source,
    load_snapshot,
    snapshot_folder_for,
    snapshot_tables,
    take_snapshot,
)
from childrenmatter.dashboards.snapshot import (
    compute_comparison as compare_authorities,
)
from childrenmatter.errors import UserError
from childrenmatter.insight.areas import AREAS
from childrenmatter.people.access import visible_people
from childrenmatter.people.models import Person
from childrenmatter.web.govuk import long_date


def snapshot_folder() -> Path:
    """Where the snapshot lives: CHILDRENMATTER_DASHBOARD_SNAPSHOT, or beside the dataset."""
    configured = getattr(settings, "CHILDRENMATTER_DASHBOARD_SNAPSHOT", None) or os.environ.get(
        "CHILDRENMATTER_DASHBOARD_SNAPSHOT")
    return Path(configured) if configured else snapshot_folder_for(
        settings.CHILDRENMATTER_DATASET)


def refresh_snapshot(*, draw_ahead: bool = False) -> Snapshot:
    """Take a new snapshot from the configured source (see ``dashboards.snapshot``).

    With ``draw_ahead`` (the scheduled refresh, where nobody waits), the charts of every
    authority someone here works for are drawn too; "Refresh now" leaves them to be drawn
    as the pages are first opened, so the person pressing it waits only for the figures.
    """
    source = dashboard_source(getattr(settings, "CHILDRENMATTER_DASHBOARD_SOURCE", None))
    served = None
    if draw_ahead:
        from django.db import DatabaseError

        from childrenmatter.accounts.models import StaffMembership

        try:
            served = sorted(set(StaffMembership.objects.values_list("la_code", flat=True)))
        except DatabaseError:  # a database not made yet: nobody to draw for
            served = None
    published_file = getattr(settings, "CHILDRENMATTER_PUBLISHED_FIGURES", None) or \
        os.environ.get("CHILDRENMATTER_PUBLISHED_FIGURES")
    compute = None
    if published_file:
        from childrenmatter.insight.compare import read_published

        published = read_published(published_file)

        def compute(tables):
            return compare_authorities(tables, published=published)

    return take_snapshot(snapshot_folder(), source=source,
                         dataset_folder=Path(settings.CHILDRENMATTER_DATASET),
                         draw_for=served, compute=compute)


def _common(request: HttpRequest, la_code: str, snapshot: Snapshot | None) -> dict:
    name = (snapshot.authorities.get(la_code, {}).get("name") if snapshot else None) or la_code
    return {
        "la_code": la_code,
        "la_name": name,
        "snapshot": snapshot,
        "taken_at": long_date(localtime(snapshot.taken_at)) if snapshot else "",
        "may_refresh": may_refresh(request.user),
        "areas": [{"href": reverse("dashboards:area", args=[presenters.area_slug(a)]),
                   "text": a.title, "key": a.key} for a in AREAS],
        "authority_query": f"?authority={la_code}",
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    la_code = authority_for(request, Permission.VIEW_FIGURES)
    snapshot = load_snapshot(snapshot_folder())
    context = _common(request, la_code, snapshot)
    if snapshot is not None:
        context["summaries"] = [
            {"area": area, "href": reverse("dashboards:area", args=[presenters.area_slug(area)]),
             "rows": presenters.headline_rows(snapshot, la_code, area)}
            for area in AREAS
        ]
        context["month"] = presenters.month_name(snapshot.latest_month(la_code))
    return render(request, "dashboards/index.html", context)


@login_required
@require_GET
def area(request: HttpRequest, area: str) -> HttpResponse:
    found = presenters.area_from_slug(area)
    if found is None:
        raise Http404("No such part of the service")
    la_code = authority_for(request, Permission.VIEW_FIGURES)
    snapshot = load_snapshot(snapshot_folder())
    context = _common(request, la_code, snapshot)
    context.update(area=found, current=found.key,
                   may_see_children=can(request.user, Permission.VIEW_PERSON, la_code))
    if snapshot is not None:
        panels = [presenters.indicator_panel(snapshot, la_code, found, name)
                  for name in found.indicators]
        context["panels"] = [panel for panel in panels if panel]
        if context["may_see_children"]:
            for panel in context["panels"]:
                panel["children_link"] = presenters.children_link(found, panel, la_code)
        context["not_computed"] = [presenters.indicator_title(name)
                                   for name, panel in zip(found.indicators, panels, strict=True)
                                   if panel is None]
    return render(request, "dashboards/area.html", context)


@login_required
@require_GET
def children(request: HttpRequest, area: str, indicator: str) -> HttpResponse:
    found = presenters.area_from_slug(area)
    if found is None or indicator not in found.indicators:
        raise Http404("No such figure")
    # Figures first (someone from another authority is not told it exists), then children.
    la_code = authority_for(request, Permission.VIEW_FIGURES)
    if not can(request.user, Permission.VIEW_PERSON, la_code):
        raise PermissionDenied("You may see the figures, not the children behind them")
    snapshot = load_snapshot(snapshot_folder())
    context = _common(request, la_code, snapshot)
    context.update(area=found, indicator=indicator,
                   title=presenters.indicator_title(indicator))
    month = snapshot.latest_month(la_code) if snapshot else None
    if snapshot is None or month is None:
        return render(request, "dashboards/children.html", context)
    context["month"] = presenters.month_name(month)
    try:
        from childrenmatter.insight.drilldown import children_behind

        behind = children_behind(snapshot_tables(snapshot, la_code), indicator=indicator,
                                 authority=la_code, period=month)
    except (ImportError, KeyError, ValueError, UserError) as error:
        context["cannot_list"] = str(error) or "not available"
        return render(request, "dashboards/children.html", context)
    context.update(_children_listing(request, la_code, indicator, month, behind))
    return render(request, "dashboards/children.html", context)


def _children_listing(request: HttpRequest, la_code: str, indicator: str, month: str,
                      behind: pl.DataFrame) -> dict:
    """The table of the records behind a figure; children the store holds link to their
    record.

    Each child of the store listed is a read of their record, so ``visible_people`` writes
    it to the access log; a restricted record the user is not named on is left out (and the
    attempt logged), and the page says how many were. For a percentage every record of the
    denominator is listed, those in the numerator first. A workforce figure lists workers,
    who have no record here.
    """
    if "in_numerator" in behind.columns:
        behind = behind.sort("in_numerator", descending=True, maintain_order=True)
    key = "child_id" if "child_id" in behind.columns else behind.columns[0]
    shown: dict[str, Person] = {}
    hidden: set[str] = set()
    if key == "child_id":
        ids = {str(child) for child in behind["child_id"].to_list()}
        held = Person.objects.filter(la_code=la_code, local_id__in=ids)
        shown = {person.local_id: person for person in visible_people(
            request.user, held, what=f"dashboards: children behind {indicator}, {month}")}
        hidden = {person.local_id for person in held} - set(shown)
    columns = [c for c in behind.columns if c not in {key, "la_code"}]
    head = [{"text": "Child" if key == "child_id" else _heading(key)}] + [
        {"text": _heading(c)} for c in columns]
    rows = []
    for record in behind.iter_rows(named=True):
        identifier = str(record[key])
        if identifier in hidden:
            continue
        person = shown.get(identifier)
        if person:
            href = reverse("people:person", args=[person.pk])
            first = {"html": f'<a class="govuk-link" href="{href}">{_escape(identifier)}</a>'}
        else:
            first = {"text": identifier}
        rows.append([first] + [{"text": _cell(record[c])} for c in columns])
    caption = (f"Behind {presenters.indicator_title(indicator)}, "
               f"{presenters.month_name(month)}")
    in_numerator = (int(behind["in_numerator"].sum()) if "in_numerator" in behind.columns
                    else None)
    return {"table": {"head": head, "rows": rows, "firstCellIsHeader": True,
                      "caption": caption, "captionClasses": "govuk-table__caption--m"},
            "listed": len(rows), "hidden": len(hidden), "total": behind.height,
            "in_numerator": in_numerator, "of_children": key == "child_id"}


def _heading(column: str) -> str:
    return column.replace("_", " ").capitalize()


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    if not may_refresh(request.user):
        raise PermissionDenied("Refreshing the figures is for analysts and managers")
    try:
        refresh_snapshot()
    except UserError as error:
        return render(request, "dashboards/refresh_failed.html",
                      {"problem": str(error)}, status=503)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("dashboards:index")
    return redirect(back)


_PACK_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@login_required
def pack(request: HttpRequest) -> HttpResponse:
    """The councillors' monthly briefing pack for the authority, with the commentary typed
    here: the same document as ``childrenmatter pack`` (figures only, no child named), so
    for anyone who may see the figures."""
    from childrenmatter.dashboards.forms import PackForm

    la_code = authority_for(request, Permission.VIEW_FIGURES)
    snapshot = load_snapshot(snapshot_folder())
    context = _common(request, la_code, snapshot)
    months = snapshot.months(la_code) if snapshot else []
    if request.method == "POST":
        form = PackForm(request.POST, months=months)
        if form.is_valid():
            try:
                data = _build_pack(la_code, form)
            except UserError as error:
                form.add_error(None, str(error))
            else:
                fmt = form.cleaned_data["format"]
                response = HttpResponse(data, content_type=_PACK_TYPES[fmt])
                name = f"briefing-pack-{la_code}-{form.cleaned_data['month']}.{fmt}"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
    elif request.method == "GET":
        form = PackForm(initial={"month": months[-1] if months else None, "format": "pdf"},
                        months=months)
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    context.update(form=form, months=months, pack_areas=AREAS)
    return render(request, "dashboards/pack.html", context, status=200 if not form.errors
                  else 400)


def _build_pack(la_code: str, form) -> bytes:
    """The pack from the dataset the dashboards are taken from: every authority in it,
    so England's and the neighbours' figures are there beside this one's."""
    from childrenmatter.dataset.io import read_dataset
    from childrenmatter.insight.pack import PACK_TABLES, build_pack

    tables = read_dataset(settings.CHILDRENMATTER_DATASET, tables=PACK_TABLES)
    return build_pack(tables, authority=la_code, month=form.cleaned_data["month"],
                      commentary=form.commentary(), fmt=form.cleaned_data["format"])
