"""Participant rights: access (Art. 15 GDPR) and restriction (Art. 18 GDPR).

``participant_data`` gathers everything the system holds about a participant, generically: the
participant row, their referrals and the referral events, and every row of any other model that
points at the participant or one of their referrals (the same walk the retention job deletes
with), so a store added later is part of the export without anyone listing it here.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from triangle.models import Participant


class PrivacyError(Exception):
    pass


def _value(instance, f) -> object:
    if isinstance(f, models.FileField):
        value = getattr(instance, f.attname)
        return _("stored file") if value else ""
    if f.is_relation:
        related = getattr(instance, f.name, None)
        return str(related) if related is not None else ""
    value = getattr(instance, f.attname)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(instance, f"get_{f.name}_display") and f.choices:
        return getattr(instance, f"get_{f.name}_display")()
    return value


def _rows(queryset) -> dict:
    model = queryset.model
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = []
    for instance in queryset.order_by("pk"):
        row = {"id": instance.pk}
        row.update({str(f.verbose_name): _value(instance, f) for f in fields})
        for m2m in model._meta.many_to_many:
            row[str(m2m.verbose_name)] = ", ".join(
                str(o) for o in getattr(instance, m2m.name).all()
            )
        rows.append(row)
    return {"label": str(model._meta.verbose_name_plural), "rows": rows}


def participant_data(participant: Participant) -> dict:
    """Everything held about ``participant``, as labelled sections of plain values."""
    from referrals.models import Referral, ReferralEvent
    from triangle.retention import _dependent_querysets

    sections = [
        _rows(Participant.objects.filter(pk=participant.pk)),
        _rows(Referral.objects.filter(participant=participant)),
        _rows(ReferralEvent.objects.filter(referral__participant=participant)),
    ]
    for qs in _dependent_querysets(participant):
        section = _rows(qs)
        if section["rows"]:
            sections.append(section)
    return {
        "generated_at": timezone.now().isoformat(),
        "participant_id": participant.pk,
        "sections": sections,
    }


@transaction.atomic
def set_participant_restriction(participant: Participant, *, restricted: bool, by) -> Participant:
    """Restrict processing (hidden from everyone but the data protection officer) or lift it."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    from triangle.retention import STUB_PREFIX

    if participant.customer_number.startswith(STUB_PREFIX):
        raise PrivacyError(_("This record has been anonymised; it cannot be changed."))
    if participant.restricted != restricted:
        participant.restricted = restricted
        participant.save(update_fields=["restricted", "updated_at"])
    return participant
