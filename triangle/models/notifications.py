"""In-app notifications, addressed to a person or to a team (functional mailbox).

Rows are created by services; delivery (e-mail, digest) comes later and reads these rows. The
text never carries personal details beyond what the recipient may see anyway: it says what
needs doing and links to the object, where the access helpers decide what is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from triangle.models.parties import Team


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        """Addressed to the user, or to one of the user's teams."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(recipient_user=user) | Q(recipient_team_id__in=user.team_ids()))

    def unread(self) -> NotificationQuerySet:
        return self.filter(is_read=False)


class NotificationManager(models.Manager.from_queryset(NotificationQuerySet)):
    def send(
        self,
        *,
        kind: str,
        text: str,
        link: str = "",
        users: Iterable = (),
        teams: Iterable[Team] = (),
        key: str = "",
    ) -> list[Notification]:
        """Create one row per addressee. ``key`` (if given) makes the call idempotent: a
        second call with the same key and addressee creates nothing."""
        rows = [
            Notification(
                recipient_user=u,
                kind=kind,
                text=text,
                link=link,
                key=f"{key}:u{u.pk}" if key else "",
            )
            for u in {u.pk: u for u in users if u is not None}.values()
        ] + [
            Notification(
                recipient_team=t,
                kind=kind,
                text=text,
                link=link,
                key=f"{key}:t{t.pk}" if key else "",
            )
            for t in {t.pk: t for t in teams if t is not None}.values()
        ]
        if key:
            existing = set(self.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
            rows = [r for r in rows if r.key not in existing]
        return self.bulk_create(rows)


class Notification(models.Model):
    class Kind(models.TextChoices):
        REFERRAL_NEW = "referral_new", _("New referral")
        REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
        REFERRAL_CHANGED = "referral_changed", _("Referral changed")
        PLACE_OFFERED = "place_offered", _("Place offered from the waiting list")
        OFFER_LAPSED = "offer_lapsed", _("Offer lapsed")
        REFERRAL_EXPIRED = "referral_expired", _("Referral expired")
        MESSAGE = "message", _("New message")
        HANDOVER_SENT = "handover_sent", _("Handover received")
        HANDOVER_ACKNOWLEDGED = "handover_acknowledged", _("Handover acknowledged")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient_team = models.ForeignKey(
        Team,
        verbose_name=_("recipient team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(
        _("deduplication key"),
        max_length=120,
        blank=True,
        help_text=_("Makes repeated creation (e.g. by a periodic job) create only one row."),
    )
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NotificationManager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False, recipient_team__isnull=True)
                | Q(recipient_user__isnull=True, recipient_team__isnull=False),
                name="notification_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="notification_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient_user", "is_read"])]

    def __str__(self) -> str:
        return self.text
