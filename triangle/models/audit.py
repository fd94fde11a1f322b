"""The access log: who opened or exported which personal data, and failed attempts.

Changes are logged by django-auditlog (``auditlog.LogEntry``, registered in ``triangle.audit``);
this table holds the reads. It never copies data: object type and id, the participant's id and
job centre (for the data protection officer's search and scope), the path without query string.
Entries are append-only; the retention job keeps them (they hold ids only).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> AccessLogQuerySet:
        """For a data protection officer: entries about their job centre's participants and
        entries of their organisation's staff."""
        from triangle.models import Role

        if not user.is_authenticated:
            return self.none()
        orgs = user.organisation_ids(Role.DATA_PROTECTION_OFFICER)
        if not orgs:
            return self.none()
        return self.filter(
            Q(job_centre_id__in=orgs)
            | Q(user__memberships__organisation_id__in=orgs, user__memberships__is_active=True)
        ).distinct()


class AccessLog(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("Read")
        EXPORT = "export", _("Export")
        FAILED = "failed", _("Failed attempt")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # Plain ids, no foreign keys: the entry outlives the participant (retention).
    participant_id = models.BigIntegerField(_("participant id"), null=True, blank=True)
    job_centre_id = models.BigIntegerField(_("job centre id"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["participant_id", "at"], name="accesslog_participant_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_id}"
