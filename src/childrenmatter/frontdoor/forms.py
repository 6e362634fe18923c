"""The front door's forms: they only carry and parse what was typed; the rules are in
``actions``, whose ``ValidationError`` is put back on the fields it names
(``put_errors``), so the error summary lists every problem."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from childrenmatter.dataset import codes
from childrenmatter.frontdoor.models import Agency, Consent, RiskLevel
from childrenmatter.web.forms import date_fields, read_date_boxes

CHILD_FIELDS = ("given_name", "family_name", "address", "postcode", "school")
MAX_UNKNOWN_CHILDREN = 8


def _parse_time(form: forms.Form, name: str, label: str) -> dt.time | None:
    text = (form.cleaned_data.get(name) or "").strip().lower().replace(".", ":")
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
    if not match:
        form.add_error(name, f"Enter the {label} like 14:30 or 2:30pm")
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "pm" and hour < 12:
        hour += 12
    if match.group(3) == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        form.add_error(name, f"The {label} must be a real time, like 14:30")
        return None
    return dt.time(hour, minute)


class VersionedForm(forms.Form):
    """A form about a contact carries the version the user opened (a hidden field)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


class ContactForm(forms.Form):
    la_code = forms.CharField(required=False)
    source = forms.CharField(required=False)
    received_time = forms.CharField(required=False)
    referrer_name = forms.CharField(required=False)
    referrer_organisation = forms.CharField(required=False)
    referrer_phone = forms.CharField(required=False)
    referrer_email = forms.CharField(required=False)
    summary = forms.CharField(required=False)
    consent = forms.CharField(required=False)
    consent_note = forms.CharField(required=False)
    is_domestic_abuse = forms.BooleanField(required=False)

    def __init__(self, data=None, *, unknown_children: int = 0, **kwargs):
        super().__init__(data, auto_id="%s", **kwargs)
        self.fields.update(date_fields("received"))
        self.unknown_children = unknown_children
        for number in self.unknown_numbers():
            for name in CHILD_FIELDS:
                self.fields[f"child_{number}_{name}"] = forms.CharField(required=False)
            self.fields.update(date_fields(f"child_{number}_dob"))

    def unknown_numbers(self) -> range:
        return range(1, self.unknown_children + 1)

    def clean(self):
        cleaned = super().clean()
        day = read_date_boxes(self, "received", "the date the contact was received",
                              required=True)
        time = _parse_time(self, "received_time", "time the contact was received")
        cleaned["received_at"] = (
            timezone.make_aware(dt.datetime.combine(day, time)) if day and time else None
        )
        for number in self.unknown_numbers():
            cleaned[f"child_{number}_dob"] = read_date_boxes(
                self, f"child_{number}_dob", "the child's date of birth")
        return cleaned


def source_items(selected: str) -> list[dict]:
    items = [{"value": "", "text": "Choose who got in touch"}]
    for code in codes.REFERRAL_SOURCE.codes:
        items.append({"value": code.code, "text": f"{code.label} ({code.code})",
                      "selected": code.code == selected})
    return items


def consent_items(selected: str) -> list[dict]:
    return [{"value": value, "text": label, "checked": value == selected}
            for value, label in Consent.choices]


class RateForm(VersionedForm):
    rag = forms.CharField(required=False)
    reason = forms.CharField(required=False)


class CheckForm(forms.Form):
    agency = forms.CharField(required=False)
    question = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)


def agency_items(selected: str) -> list[dict]:
    return [{"value": v, "text": label, "checked": v == selected} for v, label in Agency.choices]


class ReplyForm(forms.Form):
    reply = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)


class DecisionForm(VersionedForm):
    decision = forms.CharField(required=False)
    rationale = forms.CharField(required=False)
    late_reason = forms.CharField(required=False)


def decision_items(selected: str) -> list[dict]:
    return [
        {"value": code.code, "text": code.label, "checked": code.code == selected}
        for code in codes.CONTACT_OUTCOME.codes
    ]


class AuthoriseForm(VersionedForm):
    action = forms.CharField(required=False)
    reason = forms.CharField(required=False)


class TriageForm(forms.Form):
    risk_level = forms.CharField(required=False)
    children_present = forms.CharField(required=False)
    incident_time = forms.CharField(required=False)
    school_name = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)
        self.fields.update(date_fields("incident"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("children_present") not in ("yes", "no"):
            self.add_error("children_present", "Say whether children were present")
        cleaned["children_present"] = cleaned.get("children_present") == "yes"
        day = read_date_boxes(self, "incident", "the date of the incident")
        when = None
        if day is not None:
            time = (
                _parse_time(self, "incident_time", "time of the incident")
                if (cleaned.get("incident_time") or "").strip() else dt.time(0, 0)
            )
            when = timezone.make_aware(dt.datetime.combine(day, time)) if time else None
        cleaned["incident_at"] = when
        return cleaned


def risk_items(selected: str) -> list[dict]:
    return [{"value": v, "text": label, "checked": v == selected}
            for v, label in RiskLevel.choices]


class MatchForm(VersionedForm):
    person = forms.CharField(required=False)
    confirm_possible_match = forms.BooleanField(required=False)


class SearchForm(forms.Form):
    """Search first: the details to look a child up by (GET)."""

    given_name = forms.CharField(required=False)
    family_name = forms.CharField(required=False)
    postcode = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)
        self.fields.update(date_fields("dob"))

    def clean(self):
        cleaned = super().clean()
        cleaned["date_of_birth"] = read_date_boxes(self, "dob", "the date of birth")
        return cleaned

    @property
    def searched(self) -> bool:
        return self.is_bound and any(
            (self.data.get(name) or "").strip()
            for name in ("given_name", "family_name", "postcode", "dob_day", "dob_year")
        )
