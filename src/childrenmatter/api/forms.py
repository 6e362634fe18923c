"""The multi-agency referral form: the same payload as the API, checked by the same rules.

The form's fields only carry text; ``ReferralIn`` decides what is valid, and its errors are
put back on the fields they are about, so the error summary lists every one. The children
are numbered fields (``child_1_given_name``...), one group per child: "Add another child"
posts the form back with one group more, so it works without JavaScript.
"""

from __future__ import annotations

from datetime import date

from django import forms
from pydantic import ValidationError as PydanticValidationError

from childrenmatter.api.schemas import MAX_CHILDREN, ReferralIn, field_errors
from childrenmatter.frontdoor.models import Consent

CHILD_FIELDS = ("given_name", "family_name", "address", "postcode", "school")
DATE_PARTS = ("day", "month", "year")
# What the referrer is asked about consent (the front door's "not known" is not offered:
# the person referring knows whether they asked).
CONSENT_CHOICES = [
    (Consent.GIVEN.value, "Yes, the family agreed to this referral"),
    (Consent.NOT_GIVEN.value, "No, the family did not agree"),
    (Consent.NOT_SOUGHT.value, "I did not ask: asking would put a child at risk"),
]


def child_field(number: int, name: str) -> str:
    return f"child_{number}_{name}"


def children_in(data) -> int:
    """How many children the posted form has (1 to MAX_CHILDREN, whatever was posted)."""
    try:
        count = int((data or {}).get("children", 1))
    except (TypeError, ValueError):
        count = 1
    return min(max(count, 1), MAX_CHILDREN)


def without_child(data, number: int) -> dict:
    """The posted form's values with child ``number`` taken out and those after moved up."""
    count = children_in(data)
    kept = {key: value for key, value in data.items() if not key.startswith("child_")}
    names = (*CHILD_FIELDS, *(f"dob_{part}" for part in DATE_PARTS))
    to = 1
    for source in range(1, count + 1):
        if source == number:
            continue
        for name in names:
            kept[child_field(to, name)] = data.get(child_field(source, name), "")
        to += 1
    kept["children"] = str(max(to - 1, 1))
    return kept


class ReferralForm(forms.Form):
    referrer_name = forms.CharField(required=False)
    referrer_role = forms.CharField(required=False)
    referrer_phone = forms.CharField(required=False)
    referrer_email = forms.CharField(required=False)
    what_happened = forms.CharField(required=False)
    concerns = forms.CharField(required=False)
    consent = forms.CharField(required=False)
    consent_note = forms.CharField(required=False)
    is_domestic_abuse = forms.BooleanField(required=False)

    def __init__(self, data=None, *, children: int = 1, **kwargs):
        super().__init__(data, auto_id="%s", **kwargs)
        self.children = children
        for number in range(1, children + 1):
            for name in CHILD_FIELDS:
                self.fields[child_field(number, name)] = forms.CharField(required=False)
            for part in DATE_PARTS:
                self.fields[child_field(number, f"dob_{part}")] = forms.CharField(required=False)
        self.referral: ReferralIn | None = None

    def child_numbers(self) -> range:
        return range(1, self.children + 1)

    def _date_of_birth(self, number: int) -> tuple[str | None, str | None]:
        """The child's date of birth as YYYY-MM-DD (None if blank), or an error."""
        parts = {
            part: (self.cleaned_data.get(child_field(number, f"dob_{part}")) or "").strip()
            for part in DATE_PARTS
        }
        if not any(parts.values()):
            return None, None
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            return None, f"The child's date of birth must include a {' and '.join(missing)}"
        try:
            born = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
            return born.isoformat(), None
        except ValueError:
            return None, "The child's date of birth must be a real date"

    def clean(self) -> dict:
        cleaned = super().clean()
        payload = {
            name: cleaned.get(name) or ""
            for name in ("referrer_name", "referrer_role", "referrer_phone", "referrer_email",
                         "what_happened", "concerns", "consent_note")
        }
        if cleaned.get("consent"):  # left out when blank, so it is "missing", as in the API
            payload["consent"] = cleaned["consent"]
        payload["is_domestic_abuse"] = bool(cleaned.get("is_domestic_abuse"))
        payload["children"] = []
        date_errors = {}
        for number in self.child_numbers():
            child = {name: cleaned.get(child_field(number, name)) or "" for name in CHILD_FIELDS}
            child["date_of_birth"], problem = self._date_of_birth(number)
            if problem:
                date_errors[number] = problem
            payload["children"].append(child)
        try:
            self.referral = ReferralIn.model_validate(payload)
        except PydanticValidationError as error:
            for problem in field_errors(error.errors()):
                self.add_error(self.field_for(problem["field"]), problem["message"])
        for number, problem in date_errors.items():
            self.add_error(child_field(number, "dob_day"), problem)
        if self.errors:
            self.referral = None
        return cleaned

    def field_for(self, path: str) -> str | None:
        """The form field an error at ``path`` (as in children.0.given_name) belongs on."""
        parts = path.split(".")
        if parts[0] == "children" and len(parts) >= 3 and parts[1].isdigit():
            name = "dob_day" if parts[2] == "date_of_birth" else parts[2]
            field = child_field(int(parts[1]) + 1, name)
            return field if field in self.fields else None
        if parts[0] == "children":
            return child_field(1, "given_name")
        return parts[0] if parts[0] in self.fields else None

    def add_errors_from(self, errors: list[dict[str, str]]) -> None:
        """Errors from the front door's own rules, put on the fields they are about."""
        for problem in errors:
            self.add_error(self.field_for(problem["field"]), problem["message"])
