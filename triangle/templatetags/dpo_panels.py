"""The data protection officer's start-page panel: what needs a look today (fixed query count)."""

from datetime import timedelta

from django import template
from django.utils import timezone

from triangle.models import Participant, Role
from triangle.models.audit import AccessLog
from triangle.retention import STUB_PREFIX, expired_participants

register = template.Library()


@register.simple_tag
def dpo_panel(user) -> dict:
    since = timezone.now() - timedelta(days=7)
    orgs = user.organisation_ids(Role.DATA_PROTECTION_OFFICER)
    log = AccessLog.objects.visible_to(user).filter(at__gte=since)
    return {
        "failed": log.filter(action=AccessLog.Action.FAILED).count(),
        "exports": log.filter(action=AccessLog.Action.EXPORT).count(),
        "restricted": Participant.objects.filter(job_centre_id__in=orgs, restricted=True)
        .exclude(customer_number__startswith=STUB_PREFIX)
        .count(),
        "expiring": expired_participants().filter(job_centre_id__in=orgs).count(),
    }
