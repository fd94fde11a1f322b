"""Handover (Fallübergabe): what the provider needs to start working with the participant.

Each section belongs to one consent data category (``SECTIONS``); the provider sees a section
only while a consent covers it (``triangle.consent_rules``), and ``referrals.handover_services
.handover_sections`` is the one place that applies that rule.

Lifecycle (``Handover.TRANSITIONS``): ``draft`` → ``sent`` → ``acknowledged``. Every transition
writes a ``HandoverEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from triangle.models.consent import DataCategory
from triangle.uploads import random_upload_path


class Handover(models.Model):
    """Attached to one referral. Drafted by the adviser, sent, acknowledged by the provider."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent, not yet acknowledged")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    TRANSITIONS = {
        Status.DRAFT: {Status.SENT},
        Status.SENT: {Status.ACKNOWLEDGED},
        Status.ACKNOWLEDGED: set(),
    }

    referral = models.OneToOneField(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.CASCADE,
        related_name="handover",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # goals
    reason_goals = models.TextField(
        _("reason and goals"),
        blank=True,
        help_text=_("Why this measure, and the goals from the cooperation plan (§ 15 SGB II)."),
    )
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    strengths = models.TextField(_("strengths and resources"), blank=True)
    # barriers: {category value: text}, only barrier categories
    barriers = models.JSONField(_("barriers"), default=dict, blank=True)
    # earlier measures: the list comes from the system; this is the adviser's comment on it
    earlier_measures_note = models.TextField(_("comment on earlier measures"), blank=True)
    # practical
    availability = models.TextField(
        _("availability"), blank=True, help_text=_("Days and times the participant can attend.")
    )
    travel = models.TextField(
        _("travel"), blank=True, help_text=_("How the participant gets there.")
    )
    childcare = models.TextField(_("childcare arrangements"), blank=True)
    # contact
    contact_preferences = models.TextField(
        _("contact preferences"),
        blank=True,
        help_text=_("How and when the participant prefers to be contacted."),
    )
    # optional three-way handover meeting (warm handover): organisational, always visible
    meeting_at = models.DateTimeField(_("three-way meeting: date and time"), null=True, blank=True)
    meeting_place = models.CharField(
        _("three-way meeting: place or video link"), max_length=300, blank=True
    )
    meeting_is_video = models.BooleanField(_("three-way meeting by video"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acknowledge_by = models.DateField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return str(_("Handover for referral %(pk)s") % {"pk": self.referral_id})

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.SENT
            and self.acknowledge_by is not None
            and self.acknowledge_by < timezone.localdate()
        )


class HandoverEvent(models.Model):
    """Append-only timeline of the handover (sent, acknowledged)."""

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Handover.Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Handover.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("handover event")
        verbose_name_plural = _("handover events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


def _document_path(instance, filename: str) -> str:
    return random_upload_path("handover", filename)


class HandoverDocument(models.Model):
    """A document for the provider (e.g. CV, certificate). Shared under its data category."""

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.CASCADE, related_name="documents"
    )
    category = models.CharField(
        _("data category"),
        max_length=32,
        choices=DataCategory.choices,
        help_text=_("The provider sees the document only if a consent covers this category."),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("handover document")
        verbose_name_plural = _("handover documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title
