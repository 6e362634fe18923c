from __future__ import annotations

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
