from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from measures.models import Language, Measure, OpenDay, Run
from measures.selectors import occupied_places_of_run
from triangle.models import ContactEntry, Organisation
from triangle.uploads import FileValidator

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LanguagesField(forms.MultipleChoiceField):
    """Languages as checkboxes, stored as ``,de,en,`` (see ``Measure.languages``)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Language.choices)
        kwargs.setdefault("label", _("languages offered"))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [code for code in value.split(",") if code]
        return value

    def clean(self, value):
        codes = super().clean(value)
        return "," + ",".join(codes) + "," if codes else ",de,"


class MeasureForm(forms.ModelForm):
    languages = LanguagesField(required=False)

    class Meta:
        model = Measure
        fields = [
            "title",
            "summary",
            "goals",
            "content",
            "typical_day",
            "target_group",
            "target_group_details",
            "prerequisites",
            "client_benefit",
            "legal_basis",
            "commissioners",
            "procurement_type",
            "measure_number",
            "azav_certificate_number",
            "azav_valid_until",
            "group_format",
            "time_model",
            "hours_per_week",
            "duration_weeks",
            "entry_mode",
            "street",
            "postcode",
            "city",
            "step_free",
            "public_transport",
            "languages",
            "childcare",
            "flyer",
            "contacts",
        ]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "typical_day": forms.Textarea(attrs={"rows": 3}),
            "target_group_details": forms.Textarea(attrs={"rows": 2}),
            "prerequisites": forms.Textarea(attrs={"rows": 2}),
            "client_benefit": forms.Textarea(attrs={"rows": 3}),
            "azav_valid_until": DATE_INPUT,
            "commissioners": forms.CheckboxSelectMultiple,
            "contacts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, provider: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].label = capfirst(Measure._meta.get_field("languages").verbose_name)
        self.fields["flyer"].validators.append(FileValidator(kinds=("pdf",)))
        self.fields["flyer"].help_text = _("PDF only.")
        self.fields["commissioners"].queryset = Organisation.objects.filter(
            partners=provider,
            kind__in=[Organisation.Kind.JOB_CENTRE, Organisation.Kind.EMPLOYMENT_AGENCY],
        )
        self.fields["contacts"].queryset = ContactEntry.objects.filter(organisation=provider)


class RunForm(forms.ModelForm):
    class Meta:
        model = Run
        fields = ["start_date", "end_date", "places", "location", "status", "note"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        error_messages = {
            "places": {"min_value": _("The number of places cannot be negative.")},
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        places = cleaned.get("places")
        if places is not None and self.instance.pk is not None:
            taken = occupied_places_of_run(self.instance)
            if places < taken:
                self.add_error(
                    "places",
                    _(
                        "This run already has %(taken)d places taken. The number of places "
                        "cannot be lower than that."
                    )
                    % {"taken": taken},
                )
        return cleaned


class OpenDayForm(forms.ModelForm):
    class Meta:
        model = OpenDay
        fields = ["kind", "starts_at", "ends_at", "place", "capacity", "note"]
        widgets = {"starts_at": DATETIME_INPUT, "ends_at": DATETIME_INPUT}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Measure.Status.choices)
