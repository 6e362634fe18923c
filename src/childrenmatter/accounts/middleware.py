"""Session rules a setting cannot express: an idle limit, and two-factor when required."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

LAST_SEEN = "childrenmatter_last_seen"


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if self._idle_too_long(request):
                logout(request)
                query = {"timed-out": "1"}
                if request.method == "GET":  # back to the page they were on, once signed in
                    query["next"] = request.get_full_path()
                return redirect(f"{reverse('accounts:sign-in')}?{urlencode(query)}")
            if self._needs_two_factor_set_up(request):
                return redirect("accounts:two-factor-set-up")
        return self.get_response(request)

    @staticmethod
    def _idle_too_long(request) -> bool:
        limit = settings.CHILDRENMATTER_IDLE_MINUTES * 60
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN)
        if limit and last_seen is not None and now - last_seen > limit:
            return True
        # Written at most once a minute, so that reading pages does not save the session
        # on every request.
        if last_seen is None or now - last_seen >= 60:
            request.session[LAST_SEEN] = now
        return False

    @staticmethod
    def _needs_two_factor_set_up(request) -> bool:
        """Required two-factor and not yet passed: only set-up and signing out are open."""
        if not settings.CHILDRENMATTER_REQUIRE_TWO_FACTOR:
            return False
        is_verified = getattr(request.user, "is_verified", None)
        if is_verified is not None and is_verified():
            return False
        allowed = (reverse("accounts:two-factor-set-up"), reverse("accounts:sign-out"))
        return request.path not in allowed and not request.path.startswith(settings.STATIC_URL)
