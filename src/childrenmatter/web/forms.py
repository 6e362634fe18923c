"""The home page's date: three boxes (day, month, year), as the GOV.UK date input asks."""

from __future__ import annotations

from datetime import date

from django import forms

from childrenmatter.web.govuk import long_date

PARTS = ("day", "month", "year")


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
