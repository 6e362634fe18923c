from __future__ import annotations

import re
from datetime import date

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

NOT_RIGHT = "Enter the right password for this username: they do not match an account"


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, error_messages={"required": "Enter your username"})
    password = forms.CharField(strip=False, error_messages={"required": "Enter your password"})

    def __init__(self, request: HttpRequest, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)
        self.request = request
        self.user = None

    def clean(self) -> dict:
        cleaned = super().clean()
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            # The same message whether or not the username exists, so the form does not
            # tell a stranger which accounts there are.
            self.user = authenticate(self.request, username=username, password=password)
            if self.user is None:
                self.add_error("password", NOT_RIGHT)
        return cleaned


class TokenForm(forms.Form):
    """The 6-digit code from an authenticator app."""

    token = forms.CharField(
        max_length=12, error_messages={"required": "Enter the 6-digit code from your app"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError("The code is 6 digits, as in 123456")
        return token


class SignInTokenForm(TokenForm):
    """At sign-in: the 6-digit code from the app, or one of the person's recovery codes."""

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split()).lower()
        if not (re.fullmatch(r"\d{6}", token) or re.fullmatch(RECOVERY_CODE, token)):
            raise forms.ValidationError(
                "Enter the 6-digit code from your app, as in 123456, or a recovery code, "
                "as in ab3d ef7h")
        return token


# django-otp's static tokens: 8 characters of lowercase base32.
RECOVERY_CODE = r"[a-z2-7]{8}"


# --- Restricting a record -----------------------------------------------------------------


class _VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        max_length=100,
        error_messages={"required": "Enter why: the reason is kept with the record"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)


class RestrictForm(_VersionedForm):
    users = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, eligible=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.eligible = {str(user.pk): user for user in eligible}
        self.fields["users"].choices = [(pk, user.username) for pk, user in self.eligible.items()]

    def named_users(self) -> list:
        return [self.eligible[pk] for pk in self.cleaned_data["users"]]


class GrantForm(_VersionedForm):
    user = forms.ChoiceField(error_messages={"required": "Choose who may see the record"})

    def __init__(self, *args, eligible=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.eligible = {str(user.pk): user for user in eligible}
        self.fields["user"].choices = [("", "")] + [
            (pk, user.username) for pk, user in self.eligible.items()
        ]

    def chosen_user(self):
        return self.eligible[self.cleaned_data["user"]]


# Revoking names someone already on the record: the same choice among the named.
RevokeForm = GrantForm


class LiftForm(_VersionedForm):
    pass


# --- The access log -----------------------------------------------------------------------


def parse_day(text: str) -> date | None:
    """A date typed as 27/3/2026, 27 3 2026 or 2026-03-27; None for blank."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})", text)
        if not match:
            raise forms.ValidationError("x")
        day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


class AccessLogFilterForm(forms.Form):
    person = forms.IntegerField(
        required=False, min_value=1,
        error_messages={"invalid": "The person's id is a number, as in 1234"},
    )
    user = forms.CharField(required=False, max_length=150)
    date_from = forms.CharField(required=False, max_length=20)
    date_to = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="%s", **kwargs)

    def _day(self, name: str, label: str) -> date | None:
        try:
            return parse_day(self.cleaned_data.get(name) or "")
        except (forms.ValidationError, ValueError):
            raise forms.ValidationError(
                f"{label} must be a real date, as in 27/3/2026"
            ) from None

    def clean_date_from(self) -> date | None:
        return self._day("date_from", "The from date")

    def clean_date_to(self) -> date | None:
        return self._day("date_to", "The to date")

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned
