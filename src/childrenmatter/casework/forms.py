"""The casework forms, described as a list of fields the one form template lays out.

A form only carries and parses what was typed (dates from their three boxes, yes/no
answers); the rules are in ``actions``, whose ``ValidationError`` is put back on the
fields it names (``put_errors``), so the error summary lists every problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django import forms

from childrenmatter.web.forms import date_fields, read_date_boxes


@dataclass(frozen=True)
class Field:
    """One question: ``kind`` is date, text, textarea, radios, checkboxes or yesno."""

    kind: str
    name: str
    label: str
    hint: str = ""
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)
    required: bool = True


class CaseworkForm(forms.Form):
    """A form built from ``Field``s, carrying the version of the record the user opened."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, layout: Sequence[Field], *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.layout = list(layout)
        for spec in self.layout:
            if spec.kind == "date":
                self.fields.update(date_fields(spec.name))
            elif spec.kind == "checkboxes":
                self.fields[spec.name] = forms.MultipleChoiceField(
                    required=False, choices=list(spec.choices))
            else:
                self.fields[spec.name] = forms.CharField(required=False, max_length=5000)

    def values(self) -> dict:
        """What was typed, parsed: dates as dates (None if blank), yes/no as booleans.

        Call after ``is_valid``; a date that is not a real date is an error on its field,
        and a required answer left blank is one too.
        """
        out: dict = {}
        for spec in self.layout:
            if spec.kind == "date":
                out[spec.name] = self._date(spec)
            elif spec.kind == "yesno":
                answer = self.cleaned_data.get(spec.name, "")
                if answer not in ("yes", "no"):
                    if spec.required:
                        self.add_error(spec.name, f"Say whether {spec.label[0].lower()}"
                                       f"{spec.label[1:].rstrip('?')}")
                    out[spec.name] = None
                else:
                    out[spec.name] = answer == "yes"
            elif spec.kind == "checkboxes":
                out[spec.name] = list(self.cleaned_data.get(spec.name) or [])
            else:
                out[spec.name] = (self.cleaned_data.get(spec.name) or "").strip()
        return out

    def _date(self, spec: Field) -> dt.date | None:
        return read_date_boxes(self, spec.name, spec.label[0].lower() + spec.label[1:],
                               required=spec.required)
