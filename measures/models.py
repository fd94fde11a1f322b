"""Measures (Maßnahmen), their runs (Durchläufe) and open days.

A measure is written and maintained by its provider's staff; every signed-in user of the region
reads published measures (catalogue data is not personal data). Drafts and archived measures are
seen only by the provider. Places and occupancy are computed in ``measures.selectors``.
"""

from __future__ import annotations

from datetime import timedelta

from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from triangle.models import PROVIDER_ROLES, ContactEntry, Organisation
from triangle.uploads import random_upload_path


class LegalBasis(models.TextChoices):
    ACTIVATION_45 = "sgb3_45", _("§ 16 (1) SGB II with § 45 SGB III (activation, MAT/AVGS)")
    VOCATIONAL_TRAINING = (
        "sgb3_81",
        _("§ 16 SGB II with §§ 81 ff. SGB III (vocational training, FbW)"),
    )
    WORK_OPPORTUNITY_16D = "sgb2_16d", _("§ 16d SGB II (work opportunities, AGH)")
    SGB2_16E = "sgb2_16e", _("§ 16e SGB II (integration of long-term unemployed)")
    SGB2_16I = "sgb2_16i", _("§ 16i SGB II (participation in the labour market)")
    FREE_SUPPORT_16F = "sgb2_16f", _("§ 16f SGB II (free support)")
    HARD_TO_REACH_16H = "sgb2_16h", _("§ 16h SGB II (hard-to-reach young people)")
    COACHING_16K = "sgb2_16k", _("§ 16k SGB II (holistic coaching)")
    ESF_STATE = "esf_state", _("ESF+ / state programme")
    REHAPRO = "rehapro", _("rehapro")
    OTHER = "other", _("Other")


class TargetGroup(models.TextChoices):
    ALL = "all", _("All benefit recipients")
    UNDER_25 = "u25", _("Young people under 25")
    OVER_25 = "ue25", _("Adults 25 and over")
    LONG_TERM_UNEMPLOYED = "ltu", _("Long-term unemployed")
    HEALTH = "health", _("People with health restrictions")
    SINGLE_PARENTS = "parents", _("Single parents and returners")
    MIGRANTS = "migrants", _("Refugees and migrants")
    OVER_50 = "ue50", _("People aged 50 and over")


class ProcurementType(models.TextChoices):
    AWARD = "award", _("Public procurement (Vergabe)")
    VOUCHER = "voucher", _("Voucher (AVGS / Bildungsgutschein)")
    GRANT = "grant", _("Grant (Zuwendung)")
    OTHER = "other", _("Other")


class GroupFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    MIXED = "mixed", _("Individual and group")


class TimeModel(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    FLEXIBLE = "flexible", _("Full or part time")


class EntryMode(models.TextChoices):
    FIXED = "fixed", _("Fixed start dates")
    ROLLING = "rolling", _("Rolling entry")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    TURKISH = "tr", _("Turkish")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    PERSIAN = "fa", _("Persian (Farsi/Dari)")
    POLISH = "pl", _("Polish")


def flyer_upload_to(instance, filename: str) -> str:
    return random_upload_path("flyers", filename)


def provider_ids_of(user) -> set[int]:
    """Providers whose measures the user maintains (provider staff and managers)."""
    return user.organisation_ids(*PROVIDER_ROLES)


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasureQuerySet:
        """Published measures for every signed-in user; drafts and archived ones only for the
        provider's own staff."""
        if not user.is_authenticated or not user.active_memberships:
            return self.none()
        return self.filter(
            Q(status=Measure.Status.PUBLISHED) | Q(provider__in=provider_ids_of(user))
        )

    def maintained_by(self, user) -> MeasureQuerySet:
        return self.filter(provider__in=provider_ids_of(user))

    def published(self) -> MeasureQuerySet:
        return self.filter(status=Measure.Status.PUBLISHED)

    def with_occupancy(self, day=None) -> MeasureQuerySet:
        """Per-measure aggregate over running runs (see ``measures.selectors``)."""
        from measures.selectors import with_measure_occupancy

        return with_measure_occupancy(self, day)

    def with_catalogue_figures(self, day=None) -> MeasureQuerySet:
        """``free_places`` and ``next_start`` per measure (see ``measures.selectors``)."""
        from measures.selectors import with_catalogue_figures

        return with_catalogue_figures(self, day)


class Measure(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    VERIFY_AFTER_DAYS = 90

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="measures",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    commissioners = models.ManyToManyField(
        Organisation,
        verbose_name=_("commissioned by"),
        related_name="commissioned_measures",
        blank=True,
        help_text=_("Job centres or agency whose places these are (Auftraggeber)."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("short summary"), max_length=300, help_text=_("One sentence for the catalogue list.")
    )
    goals = models.TextField(_("goals"), blank=True)
    content = models.TextField(_("content"), blank=True)
    typical_day = models.TextField(_("a typical day"), blank=True)
    target_group = models.CharField(
        _("target group"), max_length=16, choices=TargetGroup.choices, default=TargetGroup.ALL
    )
    target_group_details = models.TextField(_("who it is for"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    procurement_type = models.CharField(
        _("procurement type"), max_length=16, choices=ProcurementType.choices, blank=True
    )
    measure_number = models.CharField(_("measure number"), max_length=60, blank=True)
    azav_certificate_number = models.CharField(
        _("AZAV certificate number"), max_length=60, blank=True
    )
    azav_valid_until = models.DateField(_("AZAV certificate valid until"), null=True, blank=True)
    group_format = models.CharField(
        _("format"), max_length=16, choices=GroupFormat.choices, default=GroupFormat.GROUP
    )
    time_model = models.CharField(
        _("full or part time"),
        max_length=16,
        choices=TimeModel.choices,
        default=TimeModel.FULL_TIME,
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(_("duration (weeks)"), null=True, blank=True)
    entry_mode = models.CharField(
        _("entry mode"), max_length=16, choices=EntryMode.choices, default=EntryMode.FIXED
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    public_transport = models.CharField(_("public transport"), max_length=300, blank=True)
    # Stored as ",de,en," so a language filter is one indexed-free LIKE on every database.
    languages = models.CharField(_("languages offered"), max_length=100, default=",de,")
    childcare = models.BooleanField(_("childcare available"), default=False)
    client_benefit = models.TextField(
        _("how to explain the benefit to a client"),
        blank=True,
        help_text=_("Plain words an adviser can use: what does the participant gain?"),
    )
    flyer = models.FileField(_("flyer (PDF)"), upload_to=flyer_upload_to, blank=True)
    contacts = models.ManyToManyField(
        ContactEntry, verbose_name=_("contact persons"), related_name="measures", blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    # Filled by measures.services on PostgreSQL (German config); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "title"], name="measure_status_title"),
            models.Index(fields=["provider", "status"], name="measure_provider_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.pk])

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.language_codes]

    @property
    def is_rolling(self) -> bool:
        return self.entry_mode == EntryMode.ROLLING

    @property
    def needs_verification(self) -> bool:
        if self.last_verified_at is None:
            return True
        return self.last_verified_at < timezone.now() - timedelta(days=self.VERIFY_AFTER_DAYS)


class RunQuerySet(models.QuerySet):
    def visible_to(self, user) -> RunQuerySet:
        return self.filter(measure__in=Measure.objects.visible_to(user))

    def current_or_future(self, day=None) -> RunQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def with_occupancy(self) -> RunQuerySet:
        """occupied, in_measure, waiting, free, occupancy_rate (see ``measures.selectors``)."""
        from measures.selectors import with_run_occupancy

        return with_run_occupancy(self)


class Run(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for referrals")
        CLOSED = "closed", _("Closed for referrals")
        CANCELLED = "cancelled", _("Cancelled")

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="runs"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for rolling entry.")
    )
    places = models.PositiveIntegerField(_("places"), help_text=_("Contracted places."))
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["measure", "start_date"], name="run_measure_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="run_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.start_date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.measure_id]) + f"#run-{self.pk}"

    def is_running_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class OpenDayQuerySet(models.QuerySet):
    def visible_to(self, user) -> OpenDayQuerySet:
        return self.filter(measure__in=Measure.objects.visible_to(user))

    def upcoming(self) -> OpenDayQuerySet:
        return self.filter(starts_at__gte=timezone.now())


class OpenDay(models.Model):
    """An open day (Tag der offenen Tür) or a visit slot (Hospitation) for advisers."""

    class Kind(models.TextChoices):
        OPEN_DAY = "open_day", _("Open day")
        VISIT = "visit", _("Visit (Hospitation)")

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="open_days"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OPEN_DAY)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = OpenDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("open day")
        verbose_name_plural = _("open days")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="open_day_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.measure}"


class OpenDaySignup(models.Model):
    open_day = models.ForeignKey(
        OpenDay, verbose_name=_("open day"), on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="open_day_signups",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)

    class Meta:
        verbose_name = _("open day sign-up")
        verbose_name_plural = _("open day sign-ups")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["open_day", "user"], name="open_day_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.open_day}"


# Versioning: who changed what, when (shown to the provider on the measure page).
auditlog.register(
    Measure,
    exclude_fields=["search_vector", "updated_at", "created_at"],
    m2m_fields={"commissioners", "contacts"},
)
auditlog.register(Run, exclude_fields=["created_at"])
auditlog.register(OpenDay)
