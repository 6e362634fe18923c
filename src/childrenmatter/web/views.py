from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from childrenmatter.accounts.models import StaffMembership
from childrenmatter.accounts.permissions import Permission, role_can
from childrenmatter.dataset.io import DatasetError
from childrenmatter.insight.stock import stock_indicators
from childrenmatter.web import presenters
from childrenmatter.web.datasets import DatasetMissing, load_dataset
from childrenmatter.web.forms import FiguresDateForm


def _get_membership_for_user(request: HttpRequest, la_code: str | None) -> StaffMembership | None:
    """The authority the page is about: the one asked for, if the user works for it.

    Without ``la_code``, the first of the user's authorities; None if they have none.
    """
    memberships = StaffMembership.objects.for_user(request.user)
    if not la_code:
        return memberships.first()
    membership = memberships.filter(la_code=la_code).first()
    if membership is None:
        raise Http404("You do not work for that authority")
    return membership


def _start_page_without_figures(request: HttpRequest) -> HttpResponse:
    """The first part of the service the user may use, for someone the figures are not for."""
    from childrenmatter.web.navigation import main_navigation

    items = [item for item in main_navigation(request) if item["href"] != request.path]
    if not items:
        return render(request, "web/no_authority.html", status=403)
    return redirect(items[0]["href"])


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    membership = _get_membership_for_user(request, request.GET.get("authority"))
    if membership is None:
        return render(request, "web/no_authority.html", status=403)
    if not role_can(membership.role, Permission.VIEW_FIGURES):
        # A partner or a system administrator: not the figures, but where they work.
        return _start_page_without_figures(request)
    la_code = membership.la_code
    context: dict = {
        "la_code": la_code,
    }
    try:
        dataset = load_dataset(settings.CHILDRENMATTER_DATASET)
    except DatasetMissing:
        context["missing_folder"] = settings.CHILDRENMATTER_DATASET
        return render(request, "web/no_dataset.html", context, status=503)
    except DatasetError as error:
        context["unreadable"] = str(error)
        return render(request, "web/no_dataset.html", context, status=503)
    authority = dataset.authority(la_code)
    if authority is None:
        return render(request, "web/no_dataset.html", context, status=503)
    earliest, latest = dataset.date_range(la_code)
    form = FiguresDateForm(request.GET, earliest=earliest, latest=latest)
    context.update(
        form=form,
        la_name=authority["la_name"],
        about=presenters.about_the_data(dataset, la_code, authority["la_name"]),
        problems=dataset.problems,
    )
    if form.is_valid():
        at = form.cleaned_data["at"]
        figures = stock_indicators(dataset.tables, at, authority=la_code)
        context.update(at=at, table=presenters.headline_table(figures, at))
    return render(request, "web/home.html", context)
