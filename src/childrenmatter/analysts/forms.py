"""The returns page's forms: the files to check, and the year of a download."""

from __future__ import annotations

from django import forms

from childrenmatter.returns import cin, ssda903

KINDS = (
    ("903", "SSDA903 (children looked after): one year's CSV files"),
    ("cin", "CIN census: the XML file"),
    ("annex-a", "Ofsted Annex A: the workbook"),
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for ``multiple``)."""

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [] if data is None else [super().clean(data, initial)]


class CheckReturnForm(forms.Form):
    kind = forms.ChoiceField(
        choices=KINDS, widget=forms.RadioSelect(attrs={"data-error-anchor": "kind"}),
        error_messages={"required": "Select which return the files are"})
    files = MultipleFileField(
        required=False, widget=MultipleFileInput(attrs={"data-error-anchor": "files"}))
    year = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None,
        choices=[("", "Tell from the files")] + [
            (str(y), f"{y - 1} to {y}") for y in range(ssda903.LAST_YEAR,
                                                        ssda903.FIRST_YEAR - 1, -1)],
        error_messages={"invalid_choice": "Select a collection year from the list"})

    def __init__(self, *args, limit: int, over_limit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.over_limit = over_limit

    def clean(self):
        data = super().clean()
        if self.over_limit:
            # The upload was stopped part-way: nothing of it is kept.
            self.add_error("files", f"The files must be smaller than {_size(self.limit)} "
                                    "in all")
            return data
        uploads = [u for u in data.get("files") or [] if u and u.name]
        kind = data.get("kind")
        if not uploads:
            self.add_error("files", "Select the files to check")
        elif kind == "903":
            wrong = [u.name for u in uploads if not u.name.lower().endswith(".csv")]
            if wrong:
                self.add_error("files", f"{wrong[0]} is not a CSV file: the SSDA903 files "
                                        "end .csv")
            elif len(uploads) > len(ssda903.TABLE_903):
                self.add_error("files", f"Select at most {len(ssda903.TABLE_903)} CSV files: "
                                        "one year's SSDA903 tables")
        elif kind == "cin":
            if len(uploads) != 1:
                self.add_error("files", "Select one file: the CIN census is a single XML file")
            elif not uploads[0].name.lower().endswith(".xml"):
                self.add_error("files", f"{uploads[0].name} is not an XML file: the CIN "
                                        "census file ends .xml")
            elif data.get("year") is not None and not (
                    cin.FIRST_YEAR <= data["year"] <= cin.LAST_YEAR):
                self.add_error("year", f"The CIN census can be checked for {cin.FIRST_YEAR - 1} "
                                       f"to {cin.FIRST_YEAR} up to {cin.LAST_YEAR - 1} to "
                                       f"{cin.LAST_YEAR}")
        elif kind == "annex-a":
            if len(uploads) != 1:
                self.add_error("files", "Select one file: Annex A is a single workbook")
            elif not uploads[0].name.lower().endswith(".xlsx"):
                self.add_error("files", f"{uploads[0].name} is not an Excel workbook: the "
                                        "Annex A file ends .xlsx")
        data["uploads"] = uploads
        return data


def _size(limit: int) -> str:
    return f"{limit / 1024 ** 2:,.0f} MB" if limit >= 1024 ** 2 else f"{limit / 1024:,.0f} KB"
