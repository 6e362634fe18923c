"""The Jinja2 environment for every page.

Templates are found in each app's ``jinja2/`` folder, and the GOV.UK Frontend macros
under the ``govuk_frontend_jinja/`` prefix, as that package's own templates import them.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from childrenmatter.web import govuk
from childrenmatter.web.navigation import main_navigation


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    govuk_macros = PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})
    options["loader"] = ChoiceLoader([options["loader"], govuk_macros])
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(**options)
    env.globals.update(
        static=static,
        url=url,
        error_summary=govuk.error_summary,
        error_message=govuk.error_message,
        service_name="Children Matter",
        main_navigation=main_navigation,
    )
    env.filters.update(long_date=govuk.long_date, whole_number=govuk.whole_number)
    return env
