from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from triangle.models import ContactEntry, Organisation, Team


class ContactEntryForm(forms.ModelForm):
    class Meta:
        model = ContactEntry
        fields = [
            "organisation",
            "team",
            "name",
            "is_functional_mailbox",
            "topic",
            "phone",
            "email",
            "office_hours",
        ]

    def __init__(self, *args, organisation_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=organisation_ids)
        self.fields["team"].queryset = Team.objects.filter(
            organisation_id__in=organisation_ids
        ).select_related("organisation")
        if len(organisation_ids) == 1:
            self.fields["organisation"].initial = next(iter(organisation_ids))

    def clean(self):
        cleaned = super().clean()
        organisation, team = cleaned.get("organisation"), cleaned.get("team")
        if organisation and team and team.organisation_id != organisation.pk:
            self.add_error("team", _("The team must belong to the organisation."))
        return cleaned
