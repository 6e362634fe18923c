"""The service navigation: the parts of the service the signed-in person may use.

Each item shows only to someone holding its permission in at least one authority, and is
marked current when the page is under its address.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from childrenmatter.accounts.permissions import Permission, permissions_anywhere

# (text, url name, permission): in the order they appear.
ITEMS = (
    ("Figures", "web:home", Permission.VIEW_FIGURES),
    ("Dashboards", "dashboards:index", Permission.VIEW_FIGURES),
    ("Front door", "frontdoor:queue", Permission.SCREEN_CONTACT),
    ("Find a person", "people:search", Permission.VIEW_PERSON),
    ("Possible duplicates", "people:duplicates", Permission.MERGE_PEOPLE),
    ("Refer a child", "partners:refer", Permission.MAKE_PARTNER_REFERRAL),
    ("Your referrals", "partners:referrals", Permission.MAKE_PARTNER_REFERRAL),
    ("Returns", "analysts:returns", Permission.CHECK_RETURNS),
    ("Improvement", "improvement:index", Permission.VIEW_IMPROVEMENT),
    ("Access log", "accounts:access-log", Permission.VIEW_ACCESS_LOG),
    ("Staff accounts", "accounts:staff", Permission.MANAGE_USERS),
)


def main_navigation(request) -> list[dict]:
    # A server error page is rendered with no request at all (Jinja's Undefined is falsy).
    user = getattr(request, "user", None) if request else None
    if user is None or not user.is_authenticated:
        return []
    # One query for the menu, not one per item: it is drawn on every page.
    held = permissions_anywhere(user)
    items = []
    for text, name, permission in ITEMS:
        if permission not in held:
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:  # a part of the service this deployment does not have yet
            continue
        items.append({"text": text, "href": href, "current": False})
    # The current item is the one whose address is the longest start of the page's, so
    # /people/duplicates/ is "Possible duplicates", not "Find a person" (/people/).
    matching = [
        item for item in items
        if request.path == item["href"]
        or (item["href"] != "/" and request.path.startswith(item["href"]))
    ]
    if matching:
        max(matching, key=lambda item: len(item["href"]))["current"] = True
    return items
