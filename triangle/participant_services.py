"""Writes to participant records (create, change)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from triangle.models import Participant, Role, User

EDITING_ROLES = (Role.ADVISER, Role.TEAM_LEAD)


class ParticipantError(Exception):
    """Not allowed; the message is translated and shown to the user."""


FIELDS = (
    "customer_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "street",
    "postcode",
    "city",
    "preferred_language",
    "adviser",
    "team",
)


@transaction.atomic
def create_participant(*, by: User, job_centre, **data) -> Participant:
    if job_centre.pk not in by.organisation_ids(*EDITING_ROLES):
        raise ParticipantError(_("Only advisers of this job centre can add participants."))
    return Participant.objects.create(job_centre=job_centre, **data)


@transaction.atomic
def update_participant(participant: Participant, *, by: User, **data) -> Participant:
    if participant.job_centre_id not in by.organisation_ids(*EDITING_ROLES):
        raise ParticipantError(_("Only advisers of this job centre can change participants."))
    for field, value in data.items():
        setattr(participant, field, value)
    participant.save(update_fields=[*data, "updated_at"])
    return participant
