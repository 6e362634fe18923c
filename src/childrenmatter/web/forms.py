"""Dates typed in three boxes (day, month, year), as the GOV.UK date input asks: the home
page's date, and the pieces every app's forms use for theirs; and an action's errors put
back on the fields they name."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from childrenmatter.web.govuk import long_date

PARTS = ("day", "month", "year")


def date_fields(prefix: str) -> dict[str, forms.Field]:
    """The three boxes of a date: ``<prefix>_day``, ``_month``, ``_year``."""
    return {f"{prefix}_{part}": forms.CharField(required=False) for part in PARTS}


def read_date_boxes(form: forms.Form, prefix: str, what: str, *,
                    required: bool = False) -> date | None:
    """The date typed in ``prefix``'s boxes, or None when they are blank. A box left out,
    a date that does not exist, or a required date left blank is an error on the day box
    (where the error summary links), naming ``what`` ("the date of birth")."""
    given = {part: (form.cleaned_data.get(f"{prefix}_{part}") or "").strip() for part in PARTS}
    what_upper = what[:1].upper() + what[1:]
    if not any(given.values()):
        if required:
            form.add_error(f"{prefix}_day", f"Enter {what}")
        return None
    missing = [part for part in PARTS if not given[part]]
    if missing:
        form.add_error(f"{prefix}_day", f"{what_upper} must include a {' and '.join(missing)}")
        return None
    try:
        return date(int(given["year"]), int(given["month"]), int(given["day"]))
    except ValueError:
        form.add_error(f"{prefix}_day", f"{what_upper} must be a real date")
        return None


def put_errors(form: forms.Form, error: ValidationError,
               aliases: dict[str, str] | None = None) -> None:
    """Put an action's errors on the form's fields (``aliases`` maps an action's field name
    to the form's; a date's error goes on its day box); errors about anything else go at
    the top of the form, so the error summary lists every problem."""
    aliases = aliases or {}
    for name, messages in error.message_dict.items():
        field = aliases.get(name, name)
        if field not in form.fields:
            field = f"{field}_day" if f"{field}_day" in form.fields else None
        for message in messages:
            form.add_error(field, message)


class FiguresDateForm(forms.Form):
    """The date of the figures, read from ``?at-day=&at-month=&at-year=``.

    Blank means the latest date in the data. ``cleaned_data["at"]`` holds the date.
    """

    day = forms.CharField(required=False, max_length=2)
    month = forms.CharField(required=False, max_length=2)
    year = forms.CharField(required=False, max_length=4)

    def __init__(self, data, *, earliest: date | None, latest: date, **kwargs):
        super().__init__(data, prefix="at", auto_id="%s", **kwargs)
        self.earliest = earliest
        self.latest = latest

    def clean(self) -> dict:
        cleaned = super().clean()
        given = {part: (cleaned.get(part) or "").strip() for part in PARTS}
        if not any(given.values()):
            cleaned["at"] = self.latest
            return cleaned
        missing = [part for part in PARTS if not given[part]]
        if missing:
            raise forms.ValidationError(
                f"The date of the figures must include a {' and '.join(missing)}"
            )
        try:
            at = date(int(given["year"]), int(given["month"]), int(given["day"]))
        except ValueError:
            raise forms.ValidationError("The date of the figures must be a real date") from None
        if at > self.latest or (self.earliest and at < self.earliest):
            first = long_date(self.earliest) if self.earliest else "the start of the data"
            raise forms.ValidationError(
                f"The date of the figures must be between {first} and {long_date(self.latest)}"
            )
        cleaned["at"] = at
        return cleaned
