"""The partner professionals' pages: refer children, and see what became of the referrals.

Only someone with the partner role and an organisation (``StaffMembership``) may use
them; everyone else is refused. A partner sees their organisation's referrals and no
one else's: another organisation's reference is "not found".
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from childrenmatter.accounts.models import Role, StaffMembership
from childrenmatter.accounts.permissions import Permission, role_can
from childrenmatter.api import actions, queries
from childrenmatter.api.forms import CONSENT_CHOICES, ReferralForm, children_in, without_child
from childrenmatter.api.schemas import MAX_CHILDREN, action_errors


def _get_partner_membership(request: HttpRequest) -> StaffMembership | None:
    """The user's membership as a partner professional, or None if they are not one."""
    membership = (
        StaffMembership.objects.for_user(request.user)
        .filter(role=Role.PARTNER, partner_organisation__isnull=False)
        .select_related("partner_organisation")
        .first()
    )
    if membership is None or not role_can(membership.role, Permission.MAKE_PARTNER_REFERRAL):
        return None
    return membership


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "api/not_a_partner.html", status=403)


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest) -> HttpResponse:
    membership = _get_partner_membership(request)
    if membership is None:
        return _refused(request)
    organisation = membership.partner_organisation
    if request.method == "GET":
        form = ReferralForm()
    elif request.POST.get("action") == "add-child":
        # Back to the form with one more child, keeping what was typed; nothing checked yet.
        count = min(children_in(request.POST) + 1, MAX_CHILDREN)
        form = ReferralForm(initial=request.POST.dict(), children=count)
    elif request.POST.get("action", "").startswith("remove-child-"):
        number = request.POST["action"].removeprefix("remove-child-")
        kept = without_child(request.POST.dict(), int(number) if number.isdigit() else 0)
        form = ReferralForm(initial=kept, children=children_in(kept))
    else:
        form = ReferralForm(request.POST, children=children_in(request.POST))
        if form.is_valid():
            try:
                contact = actions.send_referral(
                    actor=request.user, partner_organisation=organisation, referral=form.referral
                )
            except ValidationError as error:
                form.add_errors_from(action_errors(error))
            else:
                return redirect("partners:referral-sent", reference=contact.reference)
    return render(
        request,
        "api/refer.html",
        {
            "form": form,
            "organisation": organisation,
            "consent_items": [
                {"value": value, "text": text, "checked": form["consent"].value() == value}
                for value, text in CONSENT_CHOICES
            ],
            "max_children": MAX_CHILDREN,
        },
    )


@login_required
@require_GET
def referral_sent(request: HttpRequest, reference: str) -> HttpResponse:
    return _referral_page(request, reference, "api/referral_sent.html")


@login_required
@require_GET
def referral(request: HttpRequest, reference: str) -> HttpResponse:
    return _referral_page(request, reference, "api/referral.html")


def _referral_page(request: HttpRequest, reference: str, template: str) -> HttpResponse:
    membership = _get_partner_membership(request)
    if membership is None:
        return _refused(request)
    contact = queries.referral_of(membership.partner_organisation, reference)
    if contact is None:
        raise Http404("Your organisation has no referral with that reference")
    return render(
        request,
        template,
        {
            "organisation": membership.partner_organisation,
            "referral": queries.as_partner_sees_it(contact),
        },
    )


@login_required
@require_GET
def referrals(request: HttpRequest) -> HttpResponse:
    membership = _get_partner_membership(request)
    if membership is None:
        return _refused(request)
    organisation = membership.partner_organisation
    return render(
        request,
        "api/referrals.html",
        {
            "organisation": organisation,
            "referrals": [
                queries.as_partner_sees_it(contact)
                for contact in queries.referrals_of(organisation)
            ],
        },
    )
