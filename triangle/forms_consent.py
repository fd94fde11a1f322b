"""Forms for consents: record (staff) and withdraw (staff: how; participant: one click)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from triangle.models.consent import (
    Consent,
    ConsentPurpose,
    DataCategory,
    HowGiven,
    WithdrawalMethod,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConsentForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Data categories"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what is ticked is shared, and only with the organisations below."),
        error_messages={"required": _("Please choose at least one data category.")},
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipient organisations"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one recipient organisation.")},
    )

    class Meta:
        model = Consent
        fields = [
            "purpose",
            "purpose_detail",
            "categories",
            "recipients",
            "how_given",
            "witness",
            "date_given",
            "expires_on",
        ]
        widgets = {
            "purpose": forms.RadioSelect,
            "how_given": forms.RadioSelect,
            "date_given": DateInput(),
            "expires_on": DateInput(),
        }
        error_messages = {
            "purpose": {"required": _("Please choose a purpose.")},
            "how_given": {"required": _("Please choose how the consent was given.")},
            "date_given": {"required": _("Please enter the date the consent was given.")},
        }

    def __init__(self, *args, recipients_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients_queryset
        self.fields["purpose"].choices = ConsentPurpose.choices
        self.fields["how_given"].choices = HowGiven.choices
        self.fields["expires_on"].help_text = _("Leave empty if the consent has no end date.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Record consent")))

    def clean_date_given(self):
        value = self.cleaned_data["date_given"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date given cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        given, expires = cleaned.get("date_given"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error(
                "expires_on",
                _("The expiry date must not be before the date the consent was given."),
            )
        if (
            cleaned.get("how_given") == HowGiven.VERBAL_WITH_WITNESS
            and not (cleaned.get("witness") or "").strip()
        ):
            self.add_error("witness", _("A verbally given consent needs the name of a witness."))
        return cleaned

    def _post_clean(self):
        # The service creates the row; skip the model's own validation of an unsaved instance
        # (the check constraint is enforced above with a clearer message).
        pass


class WithdrawConsentForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How was the withdrawal declared?"),
        choices=[
            (WithdrawalMethod.IN_WRITING, WithdrawalMethod.IN_WRITING.label),
            (WithdrawalMethod.VERBAL, WithdrawalMethod.VERBAL.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose how the consent was withdrawn.")},
    )
