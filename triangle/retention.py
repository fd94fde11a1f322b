"""Retention and deletion (§ 84 SGB X, Art. 17 GDPR).

A participant's data expires ``Organisation.retention_days`` (job centre; default
``settings.RETENTION_DAYS_DEFAULT``) after their last referral ended (the last status change of a
referral in a final state; a participant without referrals: after the record was created). A
participant with an active referral never expires; a restricted record (Art. 18) is held until
the data protection officer lifts the restriction.

What happens to an expired participant:

- every row that points at the participant, one of their referrals or a handover is deleted,
  found generically through the foreign keys (handover, documents and their files, consents,
  messages, and whatever stores later features add), except the two kept for statistics;
- the referrals stay (run, status, dates, coded reasons: the anonymous statistics per run) with
  their free-text note emptied; their events stay with the note emptied;
- notifications that link to the participant or their referrals are deleted;
- the participant row stays as an anonymous stub (no name, contact or birth date; customer
  number ``DEL-<id>``; restricted, so no list shows it), because the referrals point at it;
- a participant login is deactivated and scrubbed;
- the access log and the change log keep ids only (they never held data).

Idempotent: a stub is never selected again, so a second run changes nothing.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.deletion import Collector
from django.utils import timezone

logger = logging.getLogger(__name__)

STUB_PREFIX = "DEL-"


@dataclass
class RetentionResult:
    participants: int = 0
    referrals_scrubbed: int = 0
    events_scrubbed: int = 0
    rows_deleted: dict[str, int] = field(default_factory=dict)
    files_deleted: int = 0
    notifications_deleted: int = 0
    accounts_scrubbed: int = 0

    def add(self, other: RetentionResult) -> None:
        self.participants += other.participants
        self.referrals_scrubbed += other.referrals_scrubbed
        self.events_scrubbed += other.events_scrubbed
        self.files_deleted += other.files_deleted
        self.notifications_deleted += other.notifications_deleted
        self.accounts_scrubbed += other.accounts_scrubbed
        for label, n in other.rows_deleted.items():
            self.rows_deleted[label] = self.rows_deleted.get(label, 0) + n

    def as_dict(self) -> dict:
        return asdict(self)


def retention_days(job_centre) -> int:
    return job_centre.retention_days or settings.RETENTION_DAYS_DEFAULT


def expired_participants(*, today: date | None = None):
    """Participants whose retention period is over (not yet anonymised, not restricted)."""
    from referrals.models import ACTIVE
    from triangle.models import Organisation, Participant

    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    condition = Q(pk__in=[])
    for job_centre in Organisation.objects.filter(participants__isnull=False).distinct():
        cutoff = timezone.make_aware(
            datetime.combine(today - timedelta(days=retention_days(job_centre)), time.min), tz
        )
        condition |= Q(job_centre=job_centre) & (
            Q(last_change__lt=cutoff) | Q(last_change__isnull=True, created_at__lt=cutoff)
        )
    return (
        Participant.objects.exclude(customer_number__startswith=STUB_PREFIX)
        .filter(restricted=False)
        .exclude(referrals__status__in=ACTIVE)
        .annotate(last_change=Max("referrals__status_changed_at"))
        .filter(condition)
        .order_by("pk")
    )


def _kept_models():
    """Rows kept (scrubbed) for the anonymous statistics."""
    from referrals.models import Referral, ReferralEvent
    from triangle.models import Participant

    return {Participant, Referral, ReferralEvent}


def _dependent_querysets(participant) -> list[models.QuerySet]:
    """Every other model's rows pointing at the participant or at one of their referrals."""
    from referrals.models import Referral
    from triangle.models import Participant

    referrals = Referral.objects.filter(participant=participant)
    targets = {Participant: Q(pk=participant.pk), Referral: Q(pk__in=referrals)}
    kept = _kept_models()
    result = []
    for model in apps.get_models():
        if model in kept:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in targets:
                lookup = {f"{f.name}__in": f.related_model.objects.filter(targets[f.related_model])}
                result.append(model._base_manager.filter(**lookup))
    return result


def _file_names(collector: Collector) -> list[tuple]:
    files = []
    for model, instances in collector.data.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for instance in instances:
            for f in file_fields:
                value = getattr(instance, f.attname)
                if value:
                    files.append((f.storage, str(value)))
    return files


def _scrub_account(participant) -> int:
    from triangle.models import ParticipantAccount, User

    user_ids = list(
        ParticipantAccount.objects.filter(participant=participant).values_list("user_id", flat=True)
    )
    for user in User.objects.filter(pk__in=user_ids):
        user.username = f"deleted-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.memberships.update(is_active=False)
        for label in ("account.EmailAddress", "mfa.Authenticator"):
            with contextlib.suppress(LookupError):
                apps.get_model(label).objects.filter(user=user).delete()
    return len(user_ids)


# Participant fields that are not personal and stay on the stub.
_STUB_KEEPS = {"id", "job_centre", "adviser", "team", "restricted", "created_at", "updated_at"}


def _anonymise_row(participant) -> None:
    """Empty every field of the participant row except the few kept on the stub: a field added
    later is erased without anyone remembering to list it here."""
    for f in participant._meta.concrete_fields:
        if f.name in _STUB_KEEPS or f.primary_key:
            continue
        if f.null:
            setattr(participant, f.attname, None)
        elif isinstance(f, (models.CharField, models.TextField)):
            setattr(participant, f.attname, "")
        elif isinstance(f, models.JSONField):
            setattr(participant, f.attname, f.get_default())
        elif isinstance(f, models.BooleanField):
            setattr(participant, f.attname, False)


@transaction.atomic
def erase_participant(participant) -> RetentionResult:
    """Delete or anonymise everything personal about one participant (see module docstring)."""
    from referrals.models import Referral, ReferralEvent
    from triangle.models import Notification, Participant

    result = RetentionResult(participants=1)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    referrals = list(Referral.objects.filter(participant=participant))
    links = [participant.get_absolute_url()] + [r.get_absolute_url() for r in referrals]

    result.accounts_scrubbed = _scrub_account(participant)

    files = []
    for qs in _dependent_querysets(participant):
        collector = Collector(using=qs.db)
        collector.collect(qs)
        files += _file_names(collector)
        _, per_model = qs.delete()
        for label, n in per_model.items():
            if n:
                result.rows_deleted[label] = result.rows_deleted.get(label, 0) + n

    link_match = Q(pk__in=[])
    for link in links:
        link_match |= Q(link=link) | Q(link__startswith=link)
    result.notifications_deleted, _ = Notification.objects.filter(link_match).delete()

    result.referrals_scrubbed = (
        Referral.objects.filter(participant=participant).exclude(note="").update(note="")
    )
    result.events_scrubbed = (
        ReferralEvent.objects.filter(referral__participant=participant)
        .exclude(note="")
        .update(note="")
    )

    _anonymise_row(participant)
    participant.customer_number = f"{STUB_PREFIX}{participant.pk}"
    participant.restricted = True
    participant.save()

    def _delete_files():
        for storage, name in files:
            storage.delete(name)

    result.files_deleted = len(files)
    transaction.on_commit(_delete_files)
    return result


def apply_retention(*, today: date | None = None, dry_run: bool = False) -> RetentionResult:
    """The nightly job. Each participant in its own transaction; logs counts only."""
    total = RetentionResult()
    ids = list(expired_participants(today=today).values_list("pk", flat=True))
    if dry_run:
        total.participants = len(ids)
        return total
    from triangle.models import Participant

    for participant in Participant.objects.filter(pk__in=ids):
        total.add(erase_participant(participant))
    logger.info(
        "retention: %d participants anonymised, %d referrals and %d events scrubbed, "
        "%d notifications and %d files deleted, %d logins scrubbed, rows deleted %s",
        total.participants,
        total.referrals_scrubbed,
        total.events_scrubbed,
        total.notifications_deleted,
        total.files_deleted,
        total.accounts_scrubbed,
        total.rows_deleted,
    )
    return total
