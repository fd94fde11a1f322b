"""Forms for the handover: the sections (one textarea per barrier category) and documents."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.handover_services import DOCUMENT_VALIDATOR, EDITABLE_FIELDS
from referrals.models_handover import Handover
from triangle.models.consent import BARRIER_CATEGORIES, DataCategory


class HandoverForm(forms.ModelForm):
    """The adviser's handover. Barriers are one optional field per category (``barrier_<code>``)."""

    class Meta:
        model = Handover
        fields = EDITABLE_FIELDS
        widgets = {
            "reason_goals": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "earlier_measures_note": forms.Textarea(attrs={"rows": 2}),
            "availability": forms.Textarea(attrs={"rows": 2}),
            "travel": forms.Textarea(attrs={"rows": 2}),
            "childcare": forms.Textarea(attrs={"rows": 2}),
            "contact_preferences": forms.Textarea(attrs={"rows": 2}),
            "meeting_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        barriers = (self.instance.barriers or {}) if self.instance else {}
        for category in BARRIER_CATEGORIES:
            self.fields[f"barrier_{category.value}"] = forms.CharField(
                label=category.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=barriers.get(category.value, ""),
            )
        self.fields["meeting_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]

    def barrier_fields(self):
        return [self[f"barrier_{c.value}"] for c in BARRIER_CATEGORIES]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting_at") and not (cleaned.get("meeting_place") or "").strip():
            self.add_error(
                "meeting_place",
                _("Please say where the three-way meeting takes place (or give the video link)."),
            )
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}
        data["barriers"] = {
            c.value: self.cleaned_data.get(f"barrier_{c.value}", "") for c in BARRIER_CATEGORIES
        }
        return data

    def _post_clean(self):
        # The service writes the row; don't copy cleaned data onto the instance here.
        pass


class HandoverDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(
        label=_("Data category"),
        choices=[("", "---------"), *DataCategory.choices],
        help_text=_("The provider sees the document only if a consent covers this category."),
        error_messages={"required": _("Please choose a data category.")},
    )
    file = forms.FileField(
        label=_("File"),
        validators=[DOCUMENT_VALIDATOR],
        help_text=_("PDF, PNG or JPEG."),
    )
