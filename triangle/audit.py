"""Audit of personal data: changes (django-auditlog) and reads, exports, failed attempts.

Changes: the models in ``AUDITED_MODELS`` are registered with django-auditlog. Every field is
masked except the few listed as plain (status codes, flags), so a log entry says *which* fields
changed, never their values; the entry's text is "<type> #<id>", never ``str(obj)`` (which
would be a name). Each entry gets the participant's id and job centre in ``additional_data``
so the data protection officer can search by participant.

Reads: views that show personal data call ``log_access(request, obj)``; exports call it with
``action="export"``. ``FailedAccessMiddleware`` records 403/404 answers on object URLs for
signed-in users.

Keep ``AUDITED_MODELS`` current when a model with personal data appears.
"""

from __future__ import annotations

import logging

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.dispatch import receiver

logger = logging.getLogger(__name__)

MASK = "***"

# "app_label.Model" → fields whose values may appear in the change log (no personal data).
AUDITED_MODELS: dict[str, set[str]] = {
    "triangle.Participant": {"job_centre", "adviser", "team", "restricted", "preferred_language"},
    "triangle.Consent": {"participant", "purpose", "how_given", "recorded_by", "withdrawn_by"},
    "triangle.ParticipantAccount": {"user", "participant"},
    "referrals.Referral": {
        "participant",
        "run",
        "status",
        "adviser",
        "team",
        "provider_contact",
        "decline_reason",
        "no_show_reason",
        "exit_reason",
        "destination",
        "withdraw_reason",
    },
    "referrals.ReferralMessage": {"referral", "author", "author_organisation"},
    "referrals.Handover": {"referral", "status", "created_by", "acknowledged_by"},
    "referrals.HandoverDocument": {"handover", "category", "content_type", "uploaded_by"},
    "triangle.Notification": {"recipient_user", "recipient_team", "kind", "is_read"},
    # Who may do what: role and account changes (values of names, e-mail, password masked).
    "triangle.Membership": {"user", "organisation", "team", "role", "deputy", "is_active"},
    "triangle.User": {"is_active", "is_staff", "is_superuser", "preferred_language"},
    # Stores later features add (attendance, progress reports, case conferences, feedback):
    "referrals.Attendance": {"referral", "code"},
    "referrals.ProgressReport": {"referral", "author", "kind"},
    "referrals.CaseConference": {"referral", "participant", "status"},
}


# Fields not logged at all (they change on every sign-in; axes records sign-ins).
EXCLUDED_FIELDS: dict[str, set[str]] = {"triangle.User": {"last_login"}}


def mask_value(value: str) -> str:
    """auditlog mask callable: the value never reaches the log."""
    return MASK


def audited_models() -> list[type[Model]]:
    result = []
    for label in AUDITED_MODELS:
        try:
            result.append(apps.get_model(label))
        except LookupError:
            continue  # not built yet
    return result


def register_models() -> None:
    """Called from ``TriangleConfig.ready``."""
    for model in audited_models():
        if auditlog.contains(model):
            continue
        plain = AUDITED_MODELS[model._meta.label]
        excluded = EXCLUDED_FIELDS.get(model._meta.label, set())
        masked = [
            f.name
            for f in model._meta.concrete_fields
            if f.name not in plain | excluded and not f.primary_key
        ]
        auditlog.register(
            model,
            mask_fields=masked,
            exclude_fields=sorted(excluded),
            mask_callable="triangle.audit.mask_value",
        )


def participant_of(obj) -> Model | None:
    """The participant an object is about: itself, or through referral / handover."""
    from triangle.models import Participant

    seen = 0
    while obj is not None and seen < 4:
        if isinstance(obj, Participant):
            return obj
        for attr in ("participant", "referral", "handover"):
            if hasattr(obj, f"{attr}_id") or hasattr(obj, attr):
                try:
                    obj = getattr(obj, attr)
                except Exception:  # noqa: BLE001 - a deleted parent simply ends the walk
                    return None
                break
        else:
            return None
        seen += 1
    return None


def _scope(obj) -> dict:
    participant = participant_of(obj)
    if participant is None:
        return {}
    return {"participant_id": participant.pk, "job_centre_id": participant.job_centre_id}


@receiver(post_log)
def _neutral_log_entry(sender, instance, log_entry=None, **kwargs):
    """Replace auditlog's ``str(obj)`` (a name) by type and id; add the participant scope."""
    if log_entry is None:
        return
    log_entry.object_repr = f"{sender._meta.verbose_name} #{log_entry.object_pk}"
    data = dict(log_entry.additional_data or {})
    data.update(_scope(instance))
    log_entry.additional_data = data
    log_entry.save(update_fields=["object_repr", "additional_data"])


def log_access(request, obj, action: str = "read", *, participant=None) -> None:
    """Record that ``request.user`` read (or exported) ``obj``. Ids only, never data."""
    from triangle.models.audit import AccessLog

    if participant is None:
        participant = participant_of(obj)
    AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        participant_id=participant.pk if participant else None,
        job_centre_id=participant.job_centre_id if participant else None,
        path=request.path[:300],
    )


def log_export(request, obj=None, *, participant=None) -> None:
    log_access(request, obj, "export", participant=participant)


_OBJECT_KWARGS = ("pk", "id", "referral_pk", "participant_pk", "handover_pk", "consent_pk")


class FailedAccessMiddleware:
    """A signed-in user was refused (403) or asked for an object that is not theirs or does not
    exist (404 on an object URL): log the attempt (ids only, no data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            if user is not None and user.is_authenticated and match is not None:
                object_id = next(
                    (str(match.kwargs[k]) for k in _OBJECT_KWARGS if k in match.kwargs),
                    str(match.args[0]) if match.args else "",
                )
                # 404 only on object URLs (a mistyped page is no attempt); every 403.
                if object_id or response.status_code == 403:
                    from triangle.models.audit import AccessLog

                    AccessLog.objects.create(
                        user=user,
                        action=AccessLog.Action.FAILED,
                        object_id=object_id[:64],
                        path=request.path[:300],
                        status_code=response.status_code,
                    )
        return response


def change_entries_visible_to(user):
    """auditlog entries a data protection officer may see (same scope as the access log)."""
    from triangle.models import Role, User

    orgs = user.organisation_ids(Role.DATA_PROTECTION_OFFICER) if user.is_authenticated else set()
    if not orgs:
        return LogEntry.objects.none()
    staff = User.objects.filter(memberships__organisation_id__in=orgs).values("pk")
    from django.db.models import Q

    return LogEntry.objects.filter(
        Q(additional_data__job_centre_id__in=list(orgs)) | Q(actor_id__in=staff)
    ).select_related("actor", "content_type")
