from __future__ import annotations

import csv
import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from childrenmatter.accounts import actions, restrictions
from childrenmatter.accounts.forms import (
    AccessLogFilterForm,
    GrantForm,
    LiftForm,
    RestrictForm,
    RevokeForm,
    SignInForm,
    SignInTokenForm,
    TokenForm,
)
from childrenmatter.accounts.models import AccessLog, StaffMembership
from childrenmatter.accounts.permissions import Permission, authorities_where
from childrenmatter.people.access import access_person
from childrenmatter.people.models import RestrictionGrant
from childrenmatter.versions import StaleVersion

# The password step is good for this long while the person finds their app.
PENDING = "childrenmatter_two_factor_pending"
NEW_RECOVERY_CODES = "childrenmatter_new_recovery_codes"
PENDING_SECONDS = 300


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if actions.confirmed_device(form.user) is not None:
            # Right password; not signed in until the code from their app is right too.
            request.session.cycle_key()
            request.session[PENDING] = {"user": form.user.pk, "at": int(time.time())}
            return redirect(_with_next(reverse("accounts:two-factor"), request))
        login(request, form.user)
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "timed_out": "timed-out" in request.GET,
        },
    )


def _with_next(url: str, request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next")
    if not wanted:
        return url
    return f"{url}?{urlencode({'next': wanted})}"


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The sign-in page when django-axes has locked the account (AXES_LOCKOUT_CALLABLE)."""
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    context = {
        "form": SignInForm(request),
        "next": "",
        "locked": {
            "failures": settings.AXES_FAILURE_LIMIT,
            "for": f"{hours} hour" if hours == 1 else f"{hours} hours",
        },
    }
    return render(request, "accounts/sign_in.html", context, status=429)


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


@sensitive_post_parameters("token")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for someone with an authenticator app set up."""
    user = _pending_user(request)
    device = actions.confirmed_device(user) if user else None
    if device is None:
        return redirect(_with_next(reverse("accounts:sign-in"), request))
    form = SignInTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        used = device if device.verify_token(token) else actions.use_recovery_code(user, token)
        if used is not None:
            del request.session[PENDING]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            django_otp.login(request, used)
            return redirect(_next_url(request))
        form.add_error("token", "Enter the code your authenticator app shows now, or an "
                                "unused recovery code: that code is wrong or has expired")
    return render(request, "accounts/two_factor.html", {
        "form": form, "next": request.POST.get("next") or request.GET.get("next", ""),
    })


def _qr_code(device) -> str:
    code = segno.make(device.config_url, error="m")
    return code.svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code",
        title="QR code for your authenticator app", lineclass=None,
    )


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code, then type the code it shows."""
    user = request.user
    confirmed = actions.confirmed_device(user)
    if request.method == "POST" and request.POST.get("action") == "turn-off" and confirmed:
        try:
            actions.turn_off_two_factor(actor=user)
        except ValidationError as error:
            raise PermissionDenied(error.messages[0]) from None
        return redirect("accounts:two-factor-set-up")
    if confirmed is not None:
        if request.method == "POST" and request.POST.get("action") == "new-recovery-codes":
            request.session[NEW_RECOVERY_CODES] = actions.make_recovery_codes(actor=user)
            return redirect("accounts:two-factor-set-up")
        return render(request, "accounts/two_factor_set_up.html", {
            "confirmed": True, "required": settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR,
            # shown on the one page after they are made, then gone from the session
            "recovery_codes": request.session.pop(NEW_RECOVERY_CODES, None),
            "codes_left": actions.recovery_codes_left(user),
        })
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = actions.confirm_two_factor(actor=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            django_otp.login(request, device)
            # The codes that sign in if the phone is lost, shown on the next page only.
            request.session[NEW_RECOVERY_CODES] = actions.make_recovery_codes(actor=user)
            return redirect("accounts:two-factor-set-up")
    device = actions.start_two_factor_set_up(actor=user)
    key = device.bin_key
    secret = b32encode(key).decode().rstrip("=")
    return render(request, "accounts/two_factor_set_up.html", {
        "confirmed": False,
        "required": settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR,
        "form": form,
        "qr_code": _qr_code(device),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    })


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:sign-in")


# --- Restricting a record -----------------------------------------------------------------

_RESTRICTION_FORMS = {
    "restrict": RestrictForm,
    "grant": GrantForm,
    "revoke": RevokeForm,
    "lift": LiftForm,
}


def _restriction_forms(person, named, eligible, data=None, action=None) -> dict:
    """The page's forms, ``action``'s bound to ``data``; each carries the person's version."""
    others = [user for user in eligible if user.pk not in {n.pk for n in named}]
    choices = {"restrict": eligible, "grant": others, "revoke": named, "lift": ()}
    forms = {}
    for name, form_class in _RESTRICTION_FORMS.items():
        options = {"eligible": choices[name]} if name != "lift" else {}
        if name == action:
            forms[name] = form_class(data, prefix=name, **options)
        else:
            forms[name] = form_class(prefix=name, initial={"version": person.version}, **options)
    return forms


def _change_restriction(action: str, form, *, actor, person):
    common = {"actor": actor, "person": person, "reason": form.cleaned_data["reason"],
              "expected_version": form.cleaned_data["version"]}
    if action == "restrict":
        return restrictions.restrict_person(named_users=form.named_users(), **common)
    if action == "grant":
        return restrictions.grant_access(user=form.chosen_user(), **common)
    if action == "revoke":
        return restrictions.revoke_access(user=form.chosen_user(), **common)
    return restrictions.lift_restriction(**common)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def restriction(request: HttpRequest, person_id: int) -> HttpResponse:
    """Who may see a person's record: restrict it, name people, lift the restriction."""
    person = access_person(
        request.user, person_id, what="restriction", permission=Permission.RESTRICT_RECORD
    )
    eligible = restrictions.eligible_users(person)
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in _RESTRICTION_FORMS:
        action = None
    named = [
        grant.user for grant in
        RestrictionGrant.objects.filter(person=person).select_related("user")
        .order_by("user__username")
    ]
    forms = _restriction_forms(person, named, eligible, request.POST, action)
    stale = None
    if action is not None:
        form = forms[action]
        if form.is_valid():
            try:
                _change_restriction(action, form, actor=request.user, person=person)
            except ValidationError as error:
                form.add_error(None, _for_form(error, form))
            except StaleVersion as error:
                stale = str(error)
            else:
                return redirect("accounts:restriction", person_id=person.pk)
    return render(request, "accounts/restriction.html", {
        "person": person,
        "named": named,
        "forms": forms,
        "form": forms[action] if action else None,
        "action": action,
        "stale": stale,
    })


def _for_form(error: ValidationError, form) -> ValidationError:
    """The action's errors keyed by this form's fields: its "users" errors go to the one
    person chosen on a grant or revoke form, anything else unknown to the reason."""
    if not hasattr(error, "error_dict"):
        return error
    keyed: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        if name not in form.fields:
            name = "user" if "user" in form.fields else "reason"
        keyed.setdefault(name, []).extend(messages)
    return ValidationError(keyed)


# --- The access log -----------------------------------------------------------------------

PAGE_SIZE = 50


def _access_log_rows(request: HttpRequest):
    """The log entries the user may read, filtered by the form; (form, rows or None)."""
    la_codes = authorities_where(request.user, Permission.VIEW_ACCESS_LOG)
    if not la_codes:
        raise PermissionDenied("You may not read the access log")
    form = AccessLogFilterForm(request.GET or None)
    rows = AccessLog.objects.filter(la_code__in=la_codes)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    if data.get("person"):
        rows = rows.filter(person_id=data["person"])
    if data.get("user"):
        rows = rows.filter(user__username=data["user"].strip())
    zone = timezone.get_current_timezone()
    if data.get("date_from"):
        rows = rows.filter(at__gte=datetime.combine(data["date_from"], clock.min, zone))
    if data.get("date_to"):
        end = datetime.combine(data["date_to"] + timedelta(days=1), clock.min, zone)
        rows = rows.filter(at__lt=end)
    # Reading the log is not a read of anyone's record: nothing here goes through
    # people.access, and only the person's id and local identifier are shown, not names.
    rows = rows.select_related("user", "partner_organisation", "person").only(
        "at", "la_code", "what", "allowed", "reason", "children", "user__username",
        "partner_organisation__name", "person__id", "person__local_id",
    ).order_by("-at", "-id")
    return form, rows


@never_cache
@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    form, rows = _access_log_rows(request)
    page = None
    if rows is not None:
        page = _page_of(rows, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/access_log.html", {
        "form": form if form.is_bound and form.errors else None,
        "filters": form,
        "page": page,
        "query": query.urlencode(),
    })


@dataclass
class LogPage:
    number: int
    entries: list
    has_next: bool

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.entries) - 1


def _page_of(rows, asked: str | None) -> LogPage:
    """One page of the log without counting the whole of it: a year of reads in a busy
    authority is millions of rows, and the count would cost more than the page."""
    try:
        number = max(1, int(asked or 1))
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    entries = list(rows[start:start + PAGE_SIZE + 1])
    return LogPage(number, entries[:PAGE_SIZE], len(entries) > PAGE_SIZE)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@never_cache
@login_required
@require_GET
def access_log_csv(request: HttpRequest) -> HttpResponse:
    form, rows = _access_log_rows(request)
    if rows is None:
        return redirect(f"{reverse('accounts:access-log')}?{request.GET.urlencode()}")
    writer = csv.writer(_Echo())
    header = ["at", "user", "partner_organisation", "la_code", "person_id", "person_local_id",
              "what", "allowed", "reason", "children"]

    def lines():
        yield writer.writerow(header)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([_cell(value) for value in (
                timezone.localtime(row.at).isoformat(timespec="seconds"),
                row.user.username if row.user else "",
                row.partner_organisation.name if row.partner_organisation else "",
                row.la_code, row.person_id or "", row.person.local_id if row.person else "",
                row.what, "yes" if row.allowed else "no", row.reason,
                "" if row.children is None else row.children,
            )])

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    return response


# --- Staff accounts -----------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def staff(request: HttpRequest) -> HttpResponse:
    """Everyone working for the authorities the administrator manages: role, two-factor,
    and whether they are locked out now."""
    la_codes = authorities_where(request.user, Permission.MANAGE_USERS)
    if not la_codes:
        raise PermissionDenied("Only system administrators manage staff accounts")
    memberships = list(
        StaffMembership.objects.filter(la_code__in=la_codes)
        .select_related("user", "partner_organisation").order_by("user__username", "la_code")
    )
    usernames = {membership.user.username for membership in memberships}
    two_factor = set(TOTPDevice.objects.filter(
        confirmed=True, user__username__in=usernames).values_list("user__username", flat=True))
    return render(request, "accounts/staff.html", {
        "memberships": memberships,
        "two_factor": two_factor,
        "locked": actions.locked_usernames(usernames),
    })


@login_required
@require_POST
def unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404("No such account")
    actions.unlock_account(actor=request.user, user=user)
    return redirect("accounts:staff")
