"""Access helpers for referrals and participants (404 without relation, 403 read-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from referrals.models import Referral
from referrals.selectors import LIST_RELATED, with_waitlist_position
from referrals.services import sides_of
from triangle.access import get_visible_or_404


def get_referral_for_user(user, pk, *, write: bool = False) -> Referral:
    """Job-centre staff see their job centre's referrals; providers only referrals to their own
    measures. Changing needs an adviser/team lead of the job centre or the provider's staff."""
    referral = get_visible_or_404(
        with_waitlist_position(
            Referral.objects.visible_to(user).select_related(*LIST_RELATED, "provider_contact")
        ),
        pk,
    )
    if write and not sides_of(user, referral):
        raise PermissionDenied(_("You may read this referral but not change it."))
    return referral
