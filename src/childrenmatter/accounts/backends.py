"""The lockout check that runs before a password is tried (django-axes)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for sign-ins that come with a request.

    People sign in only through the sign-in page, which always passes the request, so
    every attempt there is counted and a locked account is refused. A call without a
    request (Django's test client ``login``, a shell) has no address or page to lock;
    Axes would raise an error there, which would stop those callers working at all.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
