"""Start-page figures ("what needs doing today") for advisers, team leads and provider staff.
Each panel costs a fixed number of queries: one aggregate and one list of notifications."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from referrals.models import OPEN, Referral, Status
from referrals.selectors import inbox_counts
from triangle.models import PROVIDER_ROLES, Notification, Role

register = template.Library()


def _figures(referrals) -> dict:
    today = timezone.localdate()
    return referrals.aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN, answer_due__lt=today)),
        waiting_answer=Count("pk", filter=Q(status__in=OPEN)),
        offers=Count("pk", filter=Q(status=Status.WAITLISTED, offered_at__isnull=False)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        start_pending=Count("pk", filter=Q(status=Status.ACCEPTED)),
        running=Count("pk", filter=Q(status__in=(Status.STARTED, Status.INTERRUPTED))),
    )


def _notifications(user):
    return list(Notification.objects.visible_to(user).unread().order_by("-created_at")[:5])


@register.simple_tag
def adviser_panel(user) -> dict:
    referrals = Referral.objects.visible_to(user).filter(adviser=user)
    return {"figures": _figures(referrals), "notifications": _notifications(user)}


@register.simple_tag
def team_lead_panel(user) -> dict:
    referrals = Referral.objects.visible_to(user).filter(team_id__in=user.team_ids(Role.TEAM_LEAD))
    return {"figures": _figures(referrals)}


@register.simple_tag
def provider_panel(user) -> dict:
    counts = inbox_counts(user)
    overdue = Referral.objects.filter(
        run__measure__provider_id__in=user.organisation_ids(*PROVIDER_ROLES),
        participant__restricted=False,
        status__in=OPEN,
        answer_due__lt=timezone.localdate(),
    ).count()
    return {"counts": counts, "overdue": overdue, "notifications": _notifications(user)}
