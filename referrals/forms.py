"""Forms for the referral pages. Labels, help texts and errors a clerk understands (German
first); every form re-renders with what was typed."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import Measure
from measures.selectors import runs_offering_places, with_run_occupancy
from referrals.models import (
    DeclineReason,
    Destination,
    ExitReason,
    NoShowReason,
    Referral,
    Status,
    WithdrawReason,
)
from triangle.models import JOB_CENTRE_ROLES, Participant

NOTE_WIDGET = forms.Textarea(attrs={"rows": 2})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _reason_field(choices, label):
    return forms.ChoiceField(
        label=label,
        choices=[("", _("– please choose –")), *choices],
        error_messages={"required": _("Please choose a reason.")},
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=NOTE_WIDGET)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AcceptForm(NoteForm):
    planned_start = forms.DateField(
        label=_("Planned start"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to keep the run's start date."),
    )


class DeclineForm(NoteForm):
    reason = _reason_field(DeclineReason.choices, _("Reason for declining"))


class StartForm(NoteForm):
    actual_start = forms.DateField(
        label=_("Actual start date"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Please enter the actual start date.")},
    )


class NoShowForm(NoteForm):
    reason = _reason_field(NoShowReason.choices, _("Reason for not starting"))


class CompleteForm(NoteForm):
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)
    destination = _reason_field(Destination.choices, _("Where does the participant go next?"))


class DropoutForm(NoteForm):
    end_date = forms.DateField(label=_("Last day"), widget=DateInput(), initial=timezone.localdate)
    exit_reason = _reason_field(
        [c for c in ExitReason.choices if c[0] != ExitReason.REGULAR], _("Reason for leaving")
    )
    destination = _reason_field(Destination.choices, _("Where does the participant go next?"))


class WithdrawForm(NoteForm):
    reason = _reason_field(WithdrawReason.choices, _("Reason for the withdrawal"))


class CorrectForm(forms.Form):
    note = forms.CharField(
        label=_("What was wrong?"),
        widget=NOTE_WIDGET,
        error_messages={"required": _("Please say what was wrong.")},
        help_text=_("The correction appears in the timeline for both sides."),
    )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write a message.")},
        help_text=_("Visible to the adviser's team and the provider. No health details here."),
    )


class BulkStartForm(forms.Form):
    referrals = forms.ModelMultipleChoiceField(
        label=_("Participants who started"),
        queryset=Referral.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please tick at least one participant.")},
    )
    actual_start = forms.DateField(
        label=_("Actual start date"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].queryset = queryset
        self.fields["referrals"].label_from_instance = lambda r: str(r.participant)


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, run) -> str:
        free = getattr(run, "free", None)
        return _("%(measure)s – %(provider)s – start %(start)s – %(free)s free") % {
            "measure": run.measure.title,
            "provider": run.measure.provider,
            "start": run.start_date.strftime("%d.%m.%Y"),
            "free": free,
        }


class ReferralCreateForm(forms.Form):
    """Refer in a minute: run, participant (by customer number), formal or informal, a note."""

    KIND_CHOICES = [
        ("formal", _("Formal referral (Zuweisung)")),
        ("informal", _("Informal recommendation (Empfehlung, no legal effect)")),
    ]

    customer_number = forms.CharField(
        label=_("Customer number"),
        max_length=20,
        error_messages={"required": _("Please enter the participant's customer number.")},
    )
    run = RunChoiceField(
        label=_("Measure and run"),
        queryset=None,
        empty_label=_("– please choose –"),
        error_messages={"required": _("Please choose a run.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=KIND_CHOICES, initial="formal", widget=forms.RadioSelect
    )
    planned_start = forms.DateField(
        label=_("Planned start"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the run's start date."),
    )
    note = forms.CharField(
        label=_("Short note to the provider"),
        required=False,
        max_length=1000,
        widget=NOTE_WIDGET,
        help_text=_("Why this measure fits. Sensitive details belong in the handover."),
    )
    confirm = forms.BooleanField(
        label=_("I have read the notes above and want to refer anyway."), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["run"].queryset = with_run_occupancy(
            runs_offering_places()
            .filter(measure__status=Measure.Status.PUBLISHED)
            .select_related("measure__provider")
            .order_by("measure__title", "start_date")
        )

    def clean_customer_number(self) -> Participant:
        number = self.cleaned_data["customer_number"].strip()
        participant = (
            Participant.objects.visible_to(self.user, via_referrals=False)
            .filter(
                customer_number__iexact=number,
                job_centre_id__in=self.user.organisation_ids(*JOB_CENTRE_ROLES),
            )
            .select_related("job_centre")
            .first()
        )
        if participant is None:
            raise forms.ValidationError(
                _("No participant of your job centre has this customer number.")
            )
        self.cleaned_data["participant"] = participant
        return number


class ReferralFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("All")),
        ("active", _("Active")),
        ("overdue", _("Answer overdue")),
        *Status.choices,
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    # a text filter, not a list: a region can have thousands of measures
    measure = forms.CharField(
        label=_("Measure"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Title contains …")}),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=None, required=False, empty_label=_("All")
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("All")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from triangle.models import Organisation, Team

        self.fields["provider"].queryset = Organisation.objects.visible_to(user).providers()
        self.fields["team"].queryset = Team.objects.filter(
            organisation_id__in=user.organisation_ids(*JOB_CENTRE_ROLES)
        ).select_related("organisation")
