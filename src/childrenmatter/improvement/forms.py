"""The improvement pages' forms: they carry and parse what was typed; the rules are in
``improvement.actions``, whose errors are put back on the fields they name."""

from __future__ import annotations

import datetime as dt

from django import forms

from childrenmatter.web.forms import date_fields, read_date_boxes


def initial_date(prefix: str, value: dt.date | None) -> dict[str, str]:
    if value is None:
        return {}
    return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month),
            f"{prefix}_year": str(value.year)}


def parse_date(form: forms.Form, prefix: str, label: str,
               required: bool = False) -> dt.date | None:
    """A date from three boxes, or None; errors on the day box naming "the <label>"."""
    return read_date_boxes(form, prefix, f"the {label}", required=required)


class Form(forms.Form):
    """Fields' ids are their names, as the templates give them (the error summary's links)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


class DatedForm(Form):
    """A form with date inputs: ``DATES`` maps each prefix to its label."""

    DATES: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix in self.DATES:
            self.fields.update(date_fields(prefix))

    def clean(self):
        cleaned = super().clean()
        for prefix, label in self.DATES.items():
            cleaned[prefix] = parse_date(self, prefix, label)
        return cleaned


class PlanForm(Form):
    kind = forms.CharField(required=False)
    title = forms.CharField(required=False)
    la_code = forms.CharField(required=False)


class ThemeForm(Form):
    title = forms.CharField(required=False)


class ActionForm(DatedForm):
    DATES = {"due_on": "date the action is due"}
    theme = forms.CharField(required=False)
    title = forms.CharField(required=False)
    owner = forms.CharField(required=False)
    rag = forms.CharField(required=False)
    rag_reason = forms.CharField(required=False)
    indicator = forms.CharField(required=False)


class ChangeActionForm(DatedForm):
    DATES = {"due_on": "date the action is due", "completed_on": "date the action was closed"}
    version = forms.IntegerField(required=False)
    owner = forms.CharField(required=False)
    status = forms.CharField(required=False)
    rag = forms.CharField(required=False)
    rag_reason = forms.CharField(required=False)
    indicator = forms.CharField(required=False)
    why = forms.CharField(required=False)


class MilestoneForm(DatedForm):
    DATES = {"due_on": "date the milestone is due"}
    title = forms.CharField(required=False)
    action = forms.CharField(required=False)


class ChangeMilestoneForm(DatedForm):
    DATES = {"due_on": "date the milestone is due", "met_on": "date the milestone was met"}
    version = forms.IntegerField(required=False)
    why = forms.CharField(required=False)


class RiskForm(Form):
    title = forms.CharField(required=False)
    likelihood = forms.CharField(required=False)
    impact = forms.CharField(required=False)
    mitigation = forms.CharField(required=False)
    owner = forms.CharField(required=False)


class ChangeRiskForm(RiskForm):
    version = forms.IntegerField(required=False)


class EvidenceForm(Form):
    note = forms.CharField(required=False)
    file = forms.FileField(required=False)


class UpdateForm(DatedForm):
    DATES = {"week_of": "week the update is for"}
    summary = forms.CharField(required=False)


class BoardDateForm(DatedForm):
    DATES = {"board_on": "date of the last board"}
    version = forms.IntegerField(required=False)


class CompareForm(DatedForm):
    """Two dates; a blank first date means the original plan, a blank second one now."""

    DATES = {"from": "first date", "to": "second date"}


class QuestionForm(DatedForm):
    DATES = {"asked_on": "date the question was asked", "due_on": "date the response is due"}
    la_code = forms.CharField(required=False)
    member = forms.CharField(required=False)
    meeting = forms.CharField(required=False)
    question = forms.CharField(required=False)
    answerer = forms.CharField(required=False)


class AnswerForm(DatedForm):
    DATES = {"answered_on": "date the response was given"}
    version = forms.IntegerField(required=False)
    response = forms.CharField(required=False)
