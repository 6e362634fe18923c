"""The people pages' forms: finding a person, a new person, correcting one, merges.

Dates are GOV.UK date inputs (three boxes: ``<prefix>-day``, ``-month``, ``-year``).
Forms only read and check what was typed; the rules live in ``people.actions``.
"""

from __future__ import annotations

from datetime import date

from django import forms

from childrenmatter.dataset import codes
from childrenmatter.people.keys import is_postcode, is_valid_nhs_number, nhs_number_digits
from childrenmatter.people.models import FlagKind, NameKind, Sex

PARTS = ("day", "month", "year")


class DateParts:
    """Three boxes making one date, named and with ids ``<name>-day``, ``-month``, ``-year``."""

    @staticmethod
    def fields(name: str) -> dict[str, forms.Field]:
        return {f"{name}-{part}": forms.CharField(required=False, max_length=4) for part in PARTS}


def _read_date(form: forms.Form, name: str, label: str, *, required: bool = False,
               not_future: bool = True) -> date | None:
    given = {part: (form.cleaned_data.get(f"{name}-{part}") or "").strip() for part in PARTS}
    if not any(given.values()):
        if required:
            form.add_error(f"{name}-day", f"Enter the {label}")
        return None
    missing = [part for part in PARTS if not given[part]]
    if missing:
        form.add_error(f"{name}-day", f"The {label} must include a {' and '.join(missing)}")
        return None
    try:
        value = date(int(given["year"]), int(given["month"]), int(given["day"]))
    except ValueError:
        form.add_error(f"{name}-day", f"The {label} must be a real date")
        return None
    if value.year < 1900:
        form.add_error(f"{name}-day", f"The {label} must have a four-digit year, like 2014")
        return None
    if not_future and value > date.today():
        form.add_error(f"{name}-day", f"The {label} must be today or in the past")
        return None
    return value


def _date_anchor(form: forms.Form, name: str) -> None:
    # The error summary links to the day box (GOV.UK date input pattern).
    form.fields[f"{name}-day"].widget.attrs["data-error-anchor"] = f"{name}-day"


class SearchForm(forms.Form):
    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)
    nhs_number = forms.CharField(required=False, max_length=14)
    postcode = forms.CharField(required=False, max_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(DateParts.fields("dob"))
        _date_anchor(self, "dob")

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["date_of_birth"] = _read_date(self, "dob", "date of birth")
        nhs = nhs_number_digits(cleaned.get("nhs_number", ""))
        if nhs and not (len(nhs) == 10 and nhs.isdigit()):
            self.add_error("nhs_number", "NHS number must be 10 digits, like 943 476 5919")
        cleaned["nhs_number"] = nhs
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not any((self.data.get(name) or "").strip() for name in self.fields)

    def search_terms(self) -> dict:
        data = self.cleaned_data
        return {
            "given_name": data.get("given_name", ""), "family_name": data.get("family_name", ""),
            "date_of_birth": data.get("date_of_birth"), "nhs_number": data.get("nhs_number", ""),
            "postcode": data.get("postcode", ""),
        }


def _ethnicity_choices() -> list[tuple[str, str]]:
    return [("", "Not yet known")] + [(c.code, f"{c.label} ({c.code})")
                                      for c in codes.ETHNICITY.codes]


class PersonDetailsForm(forms.Form):
    """The details of a person, for a new record or a correction."""

    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    ethnicity = forms.ChoiceField(required=False, choices=_ethnicity_choices)
    nhs_number = forms.CharField(required=False, max_length=14)
    upn = forms.CharField(required=False, max_length=13)
    is_child = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(DateParts.fields("dob"))
        _date_anchor(self, "dob")

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["date_of_birth"] = _read_date(self, "dob", "date of birth")
        if not (cleaned.get("family_name") or "").strip():
            self.add_error("family_name", "Enter the family name (last name)")
        nhs = nhs_number_digits(cleaned.get("nhs_number", ""))
        if nhs and not is_valid_nhs_number(nhs):
            self.add_error(
                "nhs_number", "NHS number must be 10 digits with a valid check digit (modulus 11)"
            )
        cleaned["nhs_number"] = nhs
        return cleaned

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "given_name": data["given_name"], "family_name": data["family_name"],
            "date_of_birth": data["date_of_birth"], "sex": data["sex"],
            "ethnicity": data.get("ethnicity", ""), "nhs_number": data["nhs_number"],
            "upn": data.get("upn", ""), "is_child": data.get("is_child", False),
        }

    @staticmethod
    def initial_for(person) -> dict:
        dob = person.date_of_birth
        return {
            "given_name": person.given_name, "family_name": person.family_name,
            "sex": person.sex, "ethnicity": person.ethnicity, "nhs_number": person.nhs_number,
            "upn": person.upn, "is_child": person.is_child,
            "dob-day": dob.day if dob else "", "dob-month": dob.month if dob else "",
            "dob-year": dob.year if dob else "",
        }


class NewPersonForm(PersonDetailsForm):
    la_code = forms.ChoiceField(choices=[])
    address_line_1 = forms.CharField(required=False, max_length=200)
    town = forms.CharField(required=False, max_length=100)
    postcode = forms.CharField(required=False, max_length=10)
    confirm_possible_match = forms.BooleanField(required=False)

    def __init__(self, *args, authorities: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la_code"].choices = [(code, code) for code in authorities]
        self.fields["la_code"].initial = authorities[0] if authorities else None

    def clean(self) -> dict:
        cleaned = super().clean()
        postcode = cleaned.get("postcode", "")
        if postcode and not is_postcode(postcode):
            self.add_error("postcode", "Enter a real postcode, like TS1 2AB")
        if postcode and not (cleaned.get("address_line_1") or "").strip():
            self.add_error("address_line_1", "Enter the first line of the address")
        return cleaned


class EditPersonForm(PersonDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=500, error_messages={
        "required": "Enter the reason for the correction"})


class MergeForm(forms.Form):
    keep = forms.ChoiceField(choices=[("a", "a"), ("b", "b")], error_messages={
        "required": "Choose which record to keep"})
    reason = forms.CharField(max_length=500, error_messages={
        "required": "Enter the reason for the merge"})


class UndoMergeForm(forms.Form):
    reason = forms.CharField(max_length=500, error_messages={
        "required": "Enter the reason for undoing the merge"})


class OtherNameForm(forms.Form):
    kind = forms.ChoiceField(choices=NameKind.choices, error_messages={
        "required": "Choose the kind of name"})
    given_name = forms.CharField(required=False, max_length=100)
    family_name = forms.CharField(required=False, max_length=100)


class AddressForm(forms.Form):
    line_1 = forms.CharField(max_length=200, error_messages={
        "required": "Enter the first line of the address"})
    line_2 = forms.CharField(required=False, max_length=200)
    town = forms.CharField(required=False, max_length=100)
    postcode = forms.CharField(max_length=10, error_messages={"required": "Enter the postcode"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(DateParts.fields("start"))
        _date_anchor(self, "start")

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["start_date"] = _read_date(self, "start", "date they moved in")
        if cleaned.get("postcode") and not is_postcode(cleaned["postcode"]):
            self.add_error("postcode", "Enter a real postcode, like TS1 2AB")
        return cleaned


class FlagForm(forms.Form):
    kind = forms.ChoiceField(choices=FlagKind.choices, error_messages={
        "required": "Choose the kind of flag"})
    note = forms.CharField(required=False, max_length=1000)


RELATIONSHIP_WORDS = [
    ("parent", "Parent"),
    ("child", "Child"),
    ("sibling", "Brother or sister"),
    ("carer", "Carer (looks after them)"),
    ("cared_for", "Cared for (they look after this person)"),
    ("household_member", "Lives in the same household"),
]


class RelationshipForm(forms.Form):
    """Who (a person found by the search above the form) is this person's what, since when."""

    other = forms.IntegerField(error_messages={
        "required": "Choose the person from the search results",
        "invalid": "Choose the person from the search results"})
    word = forms.ChoiceField(choices=RELATIONSHIP_WORDS, error_messages={
        "required": "Choose how they are related"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(DateParts.fields("start"))
        _date_anchor(self, "start")

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["start_date"] = _read_date(self, "start", "date the relationship began")
        return cleaned


class EndRelationshipForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(DateParts.fields("end"))
        _date_anchor(self, "end")

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["end_date"] = _read_date(self, "end", "date it ended", required=True)
        return cleaned
