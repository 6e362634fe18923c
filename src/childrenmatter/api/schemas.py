"""What a multi-agency referral must hold, and what a partner is told back.

One set of rules for the JSON API and the partner form: the form builds the same payload
and is checked by the same ``ReferralIn``, so the two can never disagree. Every rule is a
field rule (cross-field rules look at fields declared earlier), so pydantic reports every
broken rule at once, each at the field at fault.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from childrenmatter.frontdoor.models import Consent

MAX_CHILDREN = 10
MAX_LISTED = 500  # referrals in one answer of GET /api/referrals, newest first
# The shape of a UK postcode (outward and inward parts), spaces optional.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")

# What to say when a required field is missing or blank, by field name. Messages follow
# the GOV.UK Design System's "Enter ..." pattern, so the form shows them as they are.
MISSING = {
    "referrer_name": "Enter your name",
    "referrer_role": "Enter your role, for example designated safeguarding lead",
    "what_happened": "Enter what happened",
    "concerns": "Enter your concerns for the children",
    "consent": "Say whether the family agreed to this referral",
    "children": "Add at least one child",
    "given_name": "Enter the child's first name",
    "family_name": "Enter the child's last name",
}


# What each field is called in a message about it.
LABELS = {
    "referrer_name": "Your name",
    "referrer_role": "Your role",
    "referrer_phone": "Phone number",
    "referrer_email": "Email address",
    "what_happened": "What happened",
    "concerns": "Your concerns",
    "consent": "Whether the family agreed",
    "consent_note": "Why consent was not sought or given",
    "is_domestic_abuse": "Whether this is a domestic abuse notification",
    "children": "The children",
    "given_name": "The child's first name",
    "family_name": "The child's last name",
    "date_of_birth": "The child's date of birth",
    "address": "The child's address",
    "postcode": "The child's postcode",
    "school": "The child's school",
    "since": "The date to list referrals since",
    "limit": "How many referrals to list",
}


def _in_words(error: dict, field: str) -> str:
    """Pydantic's message about a value of the wrong kind, in the service's words."""
    label = LABELS.get(field, "This field")
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing" and field in MISSING:
        return MISSING[field]
    if kind == "string_too_long":
        return f"{label} must be {context.get('max_length')} characters or fewer"
    if kind == "too_long":
        return f"{label}: at most {context.get('max_length')} in one referral"
    if kind == "string_type":
        return f"{label} must be text"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"{label} must be true or false"
    if kind.startswith("date"):
        return f"{label} must be a real date, written YYYY-MM-DD"
    if kind == "enum":
        return f"{label} must be one of {context.get('expected', '')}"
    if kind == "list_type":
        return f"{label} must be a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{label} must be an object with named fields"
    return error.get("msg", "is not valid")


def _rule(message: str) -> PydanticCustomError:
    # A custom error keeps the message exactly as written (no "Value error, " in front).
    return PydanticCustomError("rule", message)


def _required(value: str, info: ValidationInfo) -> str:
    value = value.strip()
    if not value:
        raise PydanticCustomError("missing", MISSING[info.field_name])
    return value


Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=10_000)]


class ChildIn(Schema):
    """A child as the referrer knows them: the front door matches them to a record."""

    given_name: Annotated[str, Field(max_length=100)]
    family_name: Annotated[str, Field(max_length=100)]
    date_of_birth: date | None = Field(default=None, description="YYYY-MM-DD, if known")
    address: Annotated[str, Field(max_length=300)] = ""
    postcode: str = Field(default="", description="As in TS1 2AB")
    school: Text = ""

    _names_required = field_validator("given_name", "family_name")(_required)

    @field_validator("date_of_birth")
    @classmethod
    def _a_child_already_born(cls, value: date | None) -> date | None:
        if value is None:
            return value
        today = timezone.localdate()
        if value > today:
            raise _rule("The child's date of birth must be today or in the past")
        if (today.year - value.year - ((today.month, today.day) < (value.month, value.day))) >= 18:
            raise _rule("The child must be under 18: this form is for children")
        return value

    @field_validator("postcode")
    @classmethod
    def _a_real_postcode(cls, value: str) -> str:
        value = " ".join(value.upper().split())
        if value and not POSTCODE.match(value):
            raise _rule("Enter a real postcode, like TS1 2AB, or leave it blank")
        return value

    @field_validator("address", "school")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()


class ReferralIn(Schema):
    """A multi-agency referral: who is referring, what happened, which children."""

    referrer_name: Text
    referrer_role: Text = Field(description="For example designated safeguarding lead")
    referrer_phone: Annotated[str, Field(max_length=40)] = Field(default="", validate_default=True)
    referrer_email: Text = Field(default="", validate_default=True)
    what_happened: LongText
    concerns: LongText
    consent: Consent = Field(description="Did the family agree to this referral?")
    consent_note: LongText = Field(
        default="", validate_default=True,
        description="Why consent was not sought or not given (required then)",
    )
    is_domestic_abuse: bool = Field(
        default=False, description="A domestic abuse notification (for example from police)"
    )
    children: list[ChildIn] = Field(max_length=MAX_CHILDREN)

    _text_required = field_validator(
        "referrer_name", "referrer_role", "what_happened", "concerns"
    )(_required)

    @field_validator("referrer_phone")
    @classmethod
    def _a_phone_number(cls, value: str) -> str:
        value = value.strip()
        if value and not re.fullmatch(r"\+?[0-9 ()-]{6,}", value):
            raise _rule("Enter a phone number, like 01632 960 001, or leave it blank")
        return value

    @field_validator("referrer_email")
    @classmethod
    def _an_email_or_a_phone(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise _rule("Enter an email address like name@example.org") from None
        # Checked only when the phone number itself was valid, so one mistake is not
        # reported twice.
        if not value and info.data.get("referrer_phone", None) == "":
            raise _rule("Enter a phone number or an email address so the front door can reply")
        return value

    @field_validator("consent_note")
    @classmethod
    def _say_why_not(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if not value and info.data.get("consent") in (Consent.NOT_SOUGHT, Consent.NOT_GIVEN):
            raise _rule("Say why the family's consent was not sought or not given")
        return value

    @field_validator("children")
    @classmethod
    def _at_least_one_child(cls, value: list[ChildIn]) -> list[ChildIn]:
        if not value:
            raise PydanticCustomError("missing", MISSING["children"])
        return value


class ChildOut(Schema):
    given_name: str
    family_name: str
    date_of_birth: date | None


class ReferralOut(Schema):
    """What a partner is told about its own referral: never case notes, never what other
    agencies said, never the child's record."""

    reference: str
    received_at: datetime
    status: str = Field(description="In words: received, being screened, or decided: ...")
    is_domestic_abuse: bool
    children: list[ChildOut] = Field(description="The children as the referral named them")


class ListFilters(Schema):
    since: date | None = Field(default=None, description="Only those received on or after")
    limit: int = Field(default=100, ge=1, le=MAX_LISTED, description="At most this many")


class FieldError(Schema):
    field: str = Field(description="Where the error is, as in children.0.date_of_birth")
    message: str


class Invalid(Schema):
    detail: str
    errors: list[FieldError]


class Message(Schema):
    detail: str


def field_errors(errors: list[dict], *, drop: int = 0) -> list[dict[str, str]]:
    """Pydantic's errors as ``{"field": "children.0.given_name", "message": ...}``.

    ``drop`` leading parts of each location are left out (ninja puts "body" and the
    parameter's name in front). A missing field gets the same words as a blank one.
    """
    listed = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())][drop:]
        field = next((part for part in reversed(loc) if not part.isdigit()), "")
        message = _in_words(error, field)
        listed.append({"field": ".".join(loc) or "body", "message": message})
    return listed


def action_errors(error: DjangoValidationError) -> list[dict[str, str]]:
    """A ValidationError from an action, as the same field errors."""
    if not hasattr(error, "error_dict"):
        return [{"field": "body", "message": message} for message in error.messages]
    listed = []
    for name, problems in error.message_dict.items():
        field = name.replace("[", ".").replace("]", "") if name != "__all__" else "body"
        listed.extend({"field": field, "message": message} for message in problems)
    return listed
