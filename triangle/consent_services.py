"""Writes for consents: record and withdraw. Withdrawal is one call, takes effect at once (the
sharing rule reads ``withdrawn_at`` on every request) and tells the recipients without showing
them anything of the withdrawn data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from triangle.mail_links import notify_with_link
from triangle.models import Notification, Organisation, Participant, Role, User
from triangle.models.consent import (
    Consent,
    ConsentPurpose,
    DataCategory,
    HowGiven,
    WithdrawalMethod,
)


class ConsentError(Exception):
    """A consent could not be recorded or withdrawn; the message is for the user."""


def allowed_recipients(participant: Participant):
    """Organisations a consent of this participant can name: the job centre's partners."""
    return Organisation.objects.filter(partners=participant.job_centre_id, is_active=True)


def can_manage_consents(user, participant: Participant) -> bool:
    return participant.job_centre_id in user.organisation_ids(Role.ADVISER, Role.TEAM_LEAD)


@transaction.atomic
def record_consent(
    participant: Participant,
    *,
    by: User,
    purpose: str,
    categories: Iterable[str],
    recipients: Iterable[Organisation],
    how_given: str,
    date_given: date,
    expires_on: date | None = None,
    purpose_detail: str = "",
    witness: str = "",
) -> Consent:
    categories = [c for c in DataCategory.values if c in set(categories)]
    recipients = list(recipients)
    if not can_manage_consents(by, participant):
        raise ConsentError(_("Only the participant's job centre can record a consent."))
    if purpose not in ConsentPurpose.values:
        raise ConsentError(_("Please choose a purpose."))
    if how_given not in HowGiven.values:
        raise ConsentError(_("Please choose how the consent was given."))
    if not categories:
        raise ConsentError(_("Please choose at least one data category."))
    if not recipients:
        raise ConsentError(_("Please choose at least one recipient organisation."))
    allowed = set(allowed_recipients(participant).values_list("pk", flat=True))
    if any(org.pk not in allowed for org in recipients):
        raise ConsentError(_("A recipient is not a partner of the participant's job centre."))
    if date_given > timezone.localdate():
        raise ConsentError(_("The date given cannot be in the future."))
    if expires_on is not None and expires_on < date_given:
        raise ConsentError(_("The expiry date must not be before the date the consent was given."))
    if how_given == HowGiven.VERBAL_WITH_WITNESS and not witness.strip():
        raise ConsentError(_("A verbally given consent needs the name of a witness."))
    consent = Consent.objects.create(
        participant=participant,
        purpose=purpose,
        purpose_detail=purpose_detail.strip(),
        categories=categories,
        how_given=how_given,
        witness=witness.strip(),
        date_given=date_given,
        expires_on=expires_on,
        recorded_by=by,
    )
    consent.recipients.set(recipients)
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, by: User, how: str) -> Consent:
    """Withdraw at once. Repeating it changes nothing. Recipients get a notification and an
    e-mail that say only that a consent was withdrawn, with a link (no names, no data)."""
    if how not in WithdrawalMethod.values:
        raise ConsentError(_("Please choose how the consent was withdrawn."))
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        return locked
    participant = locked.participant
    is_self = how == WithdrawalMethod.DIGITAL and _is_own_account(by, participant)
    if not is_self and not can_manage_consents(by, participant):
        raise ConsentError(_("You may not withdraw this consent."))
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_method = how
    locked.withdrawn_by = by
    locked.save(update_fields=["withdrawn_at", "withdrawal_method", "withdrawn_by"])
    _tell_recipients(locked)
    return locked


def _is_own_account(user, participant: Participant) -> bool:
    from triangle.models.consent import ParticipantAccount

    return ParticipantAccount.objects.filter(user=user, participant=participant).exists()


def provider_staff(organisation_ids: Iterable[int]) -> list[User]:
    """Active staff and managers of the given providers (addressees of notifications)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation_id__in=organisation_ids,
            memberships__role__in=[Role.PROVIDER_STAFF, Role.PROVIDER_MANAGER],
        ).distinct()
    )


def _tell_recipients(consent: Consent) -> None:
    org_ids = list(consent.recipients.values_list("pk", flat=True))
    staff = provider_staff(org_ids)
    link = _url_or_home("referrals:inbox")
    text = gettext_lazy(
        "A participant has withdrawn a consent. Data shared under it is no longer shown to "
        "you; please delete any copies you hold."
    )
    notify_with_link(
        staff,
        kind=Notification.Kind.CONSENT_WITHDRAWN,
        text=text,
        subject=gettext_lazy("A consent was withdrawn"),
        link=link,
        key=f"consent-withdrawn:{consent.pk}",
    )


def _url_or_home(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse("home")
