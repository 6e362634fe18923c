"""The briefing pack form: the month, the format and commentary typed for each area."""

from __future__ import annotations

from django import forms

from childrenmatter.insight.areas import AREAS

FORMAT_CHOICES = (("pdf", "PDF"), ("xlsx", "Excel workbook (XLSX)"), ("html", "Web page (HTML)"))
COMMENTARY_LIMIT = 5000  # characters per area: a few paragraphs, as the pack has room for


class PackForm(forms.Form):
    month = forms.ChoiceField(
        error_messages={"required": "Choose the month the pack reports",
                        "invalid_choice": "Choose one of the months the figures cover"})
    format = forms.ChoiceField(
        choices=FORMAT_CHOICES,
        error_messages={"required": "Choose a format for the pack: PDF, XLSX or HTML",
                        "invalid_choice": "Choose a format for the pack: PDF, XLSX or HTML"})

    def __init__(self, *args, months: list[str], **kwargs) -> None:
        super().__init__(*args, auto_id="%s", **kwargs)
        self.fields["month"].choices = [(m, m) for m in reversed(months)]
        for area in AREAS:
            self.fields[f"commentary_{area.key}"] = forms.CharField(
                required=False, max_length=COMMENTARY_LIMIT, strip=True,
                error_messages={"max_length": f"Commentary for {area.title.lower()} must be "
                                f"{COMMENTARY_LIMIT:,} characters or fewer"})

    def commentary(self) -> dict[str, str]:
        """Each area's commentary that was typed, by area key."""
        return {area.key: self.cleaned_data[f"commentary_{area.key}"] for area in AREAS
                if self.cleaned_data.get(f"commentary_{area.key}")}
