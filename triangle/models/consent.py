"""Consent (Einwilligung / Schweigepflichtentbindung): what a participant allows to be shared.

A consent names a purpose, data categories and recipient organisations. It is valid from the day
it was given until its expiry (inclusive) and ends at once when withdrawn. Which categories a
provider may see is decided in one place only: ``triangle.consent_rules``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    """What can be shared. Barriers follow the categories in DOMAIN.md, one consent box each."""

    CONTACT = "contact", _("Contact preferences")
    GOALS = "goals", _("Goals, next steps, strengths")
    BARRIER_HEALTH = "barrier_health", _("Barriers: health")
    BARRIER_CHILDCARE = "barrier_childcare", _("Barriers: childcare")
    BARRIER_CARE = "barrier_care", _("Barriers: care duties")
    BARRIER_LANGUAGE = "barrier_language", _("Barriers: language")
    BARRIER_DEBTS = "barrier_debts", _("Barriers: debts")
    BARRIER_HOUSING = "barrier_housing", _("Barriers: housing")
    BARRIER_ADDICTION = "barrier_addiction", _("Barriers: addiction")
    BARRIER_MOBILITY = "barrier_mobility", _("Barriers: mobility")
    BARRIER_DIGITAL = "barrier_digital", _("Barriers: digital skills")
    BARRIER_OTHER = "barrier_other", _("Barriers: other")
    EARLIER_MEASURES = "earlier_measures", _("Earlier measures")
    PRACTICAL = "practical", _("Practical details (availability, travel, childcare)")
    ATTENDANCE = "attendance", _("Attendance")
    PROGRESS = "progress", _("Progress")


BARRIER_CATEGORIES = [c for c in DataCategory if c.value.startswith("barrier_")]


class ConsentPurpose(models.TextChoices):
    MEASURE = "measure", _("Participation in a measure")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    OTHER = "other", _("Other purpose")


class HowGiven(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    VERBAL_WITH_WITNESS = "verbal", _("Recorded verbally with a witness")
    DIGITAL = "digital", _("Given digitally by the participant")


class WithdrawalMethod(models.TextChoices):
    IN_WRITING = "in_writing", _("In writing")
    VERBAL = "verbal", _("Verbally (recorded by staff)")
    DIGITAL = "digital", _("Digitally by the participant")


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConsentQuerySet:
        """Job-centre staff of the participant's job centre see consents (never providers);
        a participant sees their own."""
        from triangle.models import Participant

        if not user.is_authenticated:
            return self.none()
        staff = Participant.objects.visible_to(user, via_referrals=False)
        return self.filter(Q(participant__in=staff) | Q(participant__account__user=user))

    def valid_on(self, day: date) -> ConsentQuerySet:
        """Given by ``day``, not expired on ``day`` and not withdrawn."""
        return self.filter(date_given__lte=day, withdrawn_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=day)
        )


class Consent(models.Model):
    participant = models.ForeignKey(
        "triangle.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    purpose_detail = models.CharField(
        _("purpose in detail"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the measure or the case conference this consent is for."),
    )
    categories = models.JSONField(_("data categories"), default=list)
    recipients = models.ManyToManyField(
        "triangle.Organisation",
        verbose_name=_("recipient organisations"),
        related_name="received_consents",
    )
    how_given = models.CharField(_("how given"), max_length=16, choices=HowGiven.choices)
    witness = models.CharField(
        _("witness"),
        max_length=150,
        blank=True,
        help_text=_("Required when the consent was recorded verbally."),
    )
    date_given = models.DateField(_("date given"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_method = models.CharField(
        _("withdrawn how"), max_length=16, choices=WithdrawalMethod.choices, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-date_given", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("date_given")),
                name="consent_expiry_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.date_given:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("consent_detail", args=[self.pk])

    def is_valid_on(self, day: date) -> bool:
        if self.withdrawn_at is not None or self.date_given > day:
            return False
        return self.expires_on is None or self.expires_on >= day

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_active(self) -> bool:
        return self.is_valid_on(timezone.localdate())

    def category_labels(self) -> list[str]:
        """Labels in code-list order (stable, so forms and prints list them the same way)."""
        chosen = set(self.categories)
        return [c.label for c in DataCategory if c.value in chosen]


class ParticipantAccount(models.Model):
    """Links a participant's login to their record, for their own page ("My data and consents").

    Kept here rather than on ``Participant`` because only the consent pages use it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="participant_account",
    )
    participant = models.OneToOneField(
        "triangle.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="account",
    )

    class Meta:
        verbose_name = _("participant login")
        verbose_name_plural = _("participant logins")

    def __str__(self) -> str:
        return str(self.user)
