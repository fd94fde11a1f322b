"""The one rule for what a provider may see: consent, category by category.

Every place that shows handover data (pages, exports, API, e-mails) asks these functions; none
decides on its own. A category is shared with a provider on a day while a consent of the
participant that names both the category and the provider is given, not expired and not
withdrawn. Without any consent a formal referral still carries the legal minimum for the
provider's task (name, contact, measure, start): ``MINIMUM_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from triangle.models.consent import DataCategory
from triangle.models.parties import Role

ALL_CATEGORIES: frozenset[str] = frozenset(DataCategory.values)
NOTHING: frozenset[str] = frozenset()

# What a formal referral carries without consent (the provider's task needs it).
MINIMUM_FIELDS = [_("name"), _("contact"), _("measure"), _("start")]

# Job-centre roles that see the whole handover of their job centre's participants.
FULL_VIEW_ROLES = (Role.ADVISER, Role.TEAM_LEAD)


class ConsentLike(Protocol):
    categories: list[str]

    def is_valid_on(self, day: date) -> bool: ...


def categories_covered(consents: Iterable[ConsentLike], *, on: date) -> frozenset[str]:
    """Pure: the union of the categories of the consents valid on ``on``.

    The consents passed in must already be the ones naming the recipient in question.
    """
    covered: set[str] = set()
    for consent in consents:
        if consent.is_valid_on(on):
            covered.update(consent.categories)
    return frozenset(covered) & ALL_CATEGORIES


def shared_categories(participant, provider, *, on: date | None = None) -> frozenset[str]:
    """Which categories of ``participant`` the organisation ``provider`` may see on ``on``."""
    from triangle.models.consent import Consent

    day = on or timezone.localdate()
    consents = Consent.objects.filter(participant=participant, recipients=provider).valid_on(day)
    return categories_covered(consents, on=day)


def visible_categories(user, participant, provider, *, on: date | None = None) -> frozenset[str]:
    """What ``user`` may see of ``participant``'s handover to ``provider``.

    Job-centre advisers and team leads of the participant's job centre see everything; staff of
    the receiving provider see what the consents cover; everyone else nothing beyond the minimum.
    Callers have already checked that the user may open the referral at all (404 otherwise).
    """
    if participant.job_centre_id in user.organisation_ids(*FULL_VIEW_ROLES):
        return ALL_CATEGORIES
    if provider is not None and provider.pk in user.organisation_ids(
        Role.PROVIDER_STAFF, Role.PROVIDER_MANAGER
    ):
        return shared_categories(participant, provider, on=on)
    return NOTHING
