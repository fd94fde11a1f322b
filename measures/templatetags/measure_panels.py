"""Start-page panel for provider managers: what needs doing today (fixed number of queries)."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.db.models import Count, F, Q
from django.utils import timezone

from measures.models import Measure, OpenDay, Run, provider_ids_of

register = template.Library()
SHOW = 5


@register.simple_tag
def manager_panel(user) -> dict:
    providers = provider_ids_of(user)
    today = timezone.localdate()
    stale_cutoff = timezone.now() - timedelta(days=Measure.VERIFY_AFTER_DAYS)
    stale = list(
        Measure.objects.filter(provider__in=providers)
        .exclude(status=Measure.Status.ARCHIVED)
        .filter(Q(last_verified_at__lt=stale_cutoff) | Q(last_verified_at__isnull=True))
        .order_by(F("last_verified_at").asc(nulls_first=True), "title")[: SHOW + 1]
    )
    starting = list(
        Run.objects.filter(
            measure__provider__in=providers,
            status=Run.Status.OPEN,
            start_date__gte=today,
            start_date__lte=today + timedelta(days=14),
        )
        .with_occupancy()
        .filter(free__gt=0)
        .select_related("measure")
        .order_by("start_date", "pk")[:SHOW]
    )
    open_days = list(
        OpenDay.objects.filter(measure__provider__in=providers)
        .upcoming()
        .annotate(signed_up=Count("signups"))
        .select_related("measure")
        .order_by("starts_at")[:SHOW]
    )
    return {
        "stale": stale[:SHOW],
        "more_stale": len(stale) > SHOW,
        "starting": starting,
        "open_days": open_days,
    }
