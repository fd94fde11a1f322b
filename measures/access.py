"""Access helpers for measures, runs and open days (404 without relation, 403 read-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from measures.models import Measure, OpenDay, Run, provider_ids_of
from triangle.access import get_visible_or_404


def can_edit_measure(user, measure: Measure) -> bool:
    """Provider staff and managers maintain their own provider's measures only."""
    return user.is_authenticated and measure.provider_id in provider_ids_of(user)


def get_measure_for_user(user, pk, *, write: bool = False) -> Measure:
    measure = get_visible_or_404(Measure.objects.visible_to(user).select_related("provider"), pk)
    if write and not can_edit_measure(user, measure):
        raise PermissionDenied(_("Only the provider's staff can change this measure."))
    return measure


def get_run_for_user(user, pk, *, write: bool = False) -> Run:
    run = get_visible_or_404(Run.objects.visible_to(user).select_related("measure__provider"), pk)
    if write and not can_edit_measure(user, run.measure):
        raise PermissionDenied(_("Only the provider's staff can change this run."))
    return run


def get_open_day_for_user(user, pk, *, write: bool = False) -> OpenDay:
    open_day = get_visible_or_404(
        OpenDay.objects.visible_to(user).select_related("measure__provider"), pk
    )
    if write and not can_edit_measure(user, open_day.measure):
        raise PermissionDenied(_("Only the provider's staff can change this open day."))
    return open_day
