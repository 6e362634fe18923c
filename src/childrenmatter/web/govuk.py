"""The bridge from Django forms to the GOV.UK Frontend macros, and a few display filters.

A page with errors shows an error summary at the top whose links move to each field,
and the same message above the field itself (GOV.UK Design System, "Validation").
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms


def _anchor(form: forms.Form, name: str) -> str:
    if name in form.fields:
        widget = form[name].field.widget
        anchor = widget.attrs.get("data-error-anchor") or form[name].id_for_label
        return f"#{anchor}"
    # An error about the whole form links to its first field.
    first = next(iter(form.fields), None)
    return f"#{form[first].id_for_label}" if first else "#main-content"


def error_summary(form: object) -> dict | None:
    """Parameters for ``govukErrorSummary``, or None when the form has no errors."""
    if not isinstance(form, forms.BaseForm) or not form.errors:
        return None
    items = [
        {"text": message, "href": _anchor(form, name)}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return {"titleText": "There is a problem", "errorList": items}


def error_message(form: object, name: str) -> dict | None:
    """Parameters for a field's ``errorMessage``, or None (the macros read None as "no error")."""
    if not isinstance(form, forms.BaseForm) or name not in form.errors:
        return None
    return {"text": " ".join(form.errors[name])}


def long_date(value: date | datetime | None) -> str:
    """A date as GOV.UK writes it: 21 December 2018 (and 2:05pm for a time)."""
    if value is None:
        return ""
    text = f"{value.day} {value:%B %Y}"
    if isinstance(value, datetime):
        hour = value.hour % 12 or 12
        text += f" at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"
    return text


def whole_number(value: int) -> str:
    return f"{value:,}"
