"""Who may see the dashboards, the children behind a figure, and refresh the figures.

Figures need VIEW_FIGURES in the authority; the children behind one need VIEW_PERSON there
too (a performance analyst sees figures only); refreshing them needs REFRESH_FIGURES. The
page's authority is the one asked for (``?authority=``) if the user has the permission
there, or their first such authority.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from childrenmatter.accounts.permissions import Permission, authorities_where


def authority_for(request: HttpRequest, permission: Permission) -> str:
    """The LA code the page is about, checked against ``permission``.

    Asked for an authority the user may not see this in: not found (its figures are not
    confirmed to exist). Holding the permission nowhere: refused.
    """
    allowed = authorities_where(request.user, permission)
    asked = request.GET.get("authority")
    if asked:
        if asked not in allowed:
            raise Http404("You cannot see that authority's figures")
        return asked
    if not allowed:
        raise PermissionDenied(f"You do not have {permission} in any authority")
    return allowed[0]


def may_refresh(user) -> bool:
    """Refreshing recomputes every authority's figures and can take a while on a large
    dataset, so it is for those who answer for the figures: REFRESH_FIGURES
    (accounts.permissions) in any authority they work for."""
    return bool(authorities_where(user, Permission.REFRESH_FIGURES))
