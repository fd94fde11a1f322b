"""The parties of the triangle: organisations, their teams, the people and their roles.

A user reaches data only through memberships (user × organisation × team × role). Every shared
read goes through the ``visible_to(user)`` querysets below or the access helpers in
``triangle.access``; other organisations' objects are invisible (404).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class FederalState(models.TextChoices):
    """German federal states; codes match the ``holidays`` package subdivisions."""

    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bavaria")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hesse")
    MV = "MV", _("Mecklenburg-Western Pomerania")
    NI = "NI", _("Lower Saxony")
    NW = "NW", _("North Rhine-Westphalia")
    RP = "RP", _("Rhineland-Palatinate")
    SL = "SL", _("Saarland")
    SN = "SN", _("Saxony")
    ST = "ST", _("Saxony-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thuringia")


class Role(models.TextChoices):
    ADVISER = "adviser", _("Adviser")
    TEAM_LEAD = "team_lead", _("Team lead")
    BENEFITS_OFFICER = "benefits_officer", _("Benefits officer")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    PROVIDER_MANAGER = "provider_manager", _("Provider manager")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    DATA_PROTECTION_OFFICER = "dpo", _("Data protection officer")
    PARTICIPANT = "participant", _("Participant")


JOB_CENTRE_ROLES = {Role.ADVISER, Role.TEAM_LEAD, Role.BENEFITS_OFFICER}
PROVIDER_ROLES = {Role.PROVIDER_STAFF, Role.PROVIDER_MANAGER}
STAFF_ROLES = set(Role) - {Role.PARTICIPANT}


class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(self.memberships.filter(is_active=True).select_related("organisation", "team"))

    @cached_property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def organisation_ids(self, *roles: str) -> set[int]:
        """Organisations the user belongs to (optionally only through the given roles)."""
        return {m.organisation_id for m in self.active_memberships if not roles or m.role in roles}

    def team_ids(self, *roles: str) -> set[int]:
        return {
            m.team_id
            for m in self.active_memberships
            if m.team_id and (not roles or m.role in roles)
        }

    @property
    def is_staff_role(self) -> bool:
        return bool(self.roles & STAFF_ROLES)


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Own organisations and their cooperation partners."""
        if not user.is_authenticated:
            return self.none()
        own = user.organisation_ids()
        return self.filter(Q(pk__in=own) | Q(partners__in=own)).distinct()

    def job_centres(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.JOB_CENTRE)

    def providers(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.PROVIDER)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        JOB_CENTRE = "job_centre", _("Job centre")
        EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency")
        PROVIDER = "provider", _("Provider")
        PARTNER = "partner", _("Partner")

    class JobCentreType(models.TextChoices):
        JOINT = "gE", _("Joint institution (gE)")
        MUNICIPAL = "zkT", _("Municipal job centre (zkT)")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("short key"), max_length=60, unique=True)
    job_centre_type = models.CharField(
        _("job centre type"), max_length=8, choices=JobCentreType.choices, blank=True
    )
    federal_state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=FederalState.choices,
        help_text=_("Decides which public holidays count for service-level deadlines."),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    partners = models.ManyToManyField(
        "self",
        verbose_name=_("cooperation partners"),
        blank=True,
        symmetrical=True,
        help_text=_("Organisations this one works with (e.g. a job centre and its providers)."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"),
        null=True,
        blank=True,
        help_text=_("After a participant's last referral ended. Empty: system default."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation_detail", args=[self.pk])

    @property
    def is_job_centre(self) -> bool:
        return self.kind == self.Kind.JOB_CENTRE

    @property
    def is_provider(self) -> bool:
        return self.kind == self.Kind.PROVIDER


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> TeamQuerySet:
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class Team(models.Model):
    """A team can be the addressee instead of a person (functional mailbox), so work survives
    staff turnover."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    email = models.EmailField(_("functional mailbox"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_unique_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_for",
        help_text=_("Who stands in when this person is absent (Vertretung)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        team = f" / {self.team.name}" if self.team_id else ""
        return f"{self.user} – {self.get_role_display()} – {self.organisation}{team}"


class ContactEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> ContactEntryQuerySet:
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class ContactEntry(models.Model):
    """Who to call for what (Ansprechpartnerverzeichnis)."""

    STALE_AFTER_DAYS = 180

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person (user account)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_entries",
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("Person or functional mailbox, e.g. “Team U25”.")
    )
    is_functional_mailbox = models.BooleanField(_("functional mailbox"), default=False)
    topic = models.CharField(
        _("contact for"),
        max_length=200,
        help_text=_("What to contact them for, e.g. “cash benefit questions for team U25”."),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    last_verified_at = models.DateField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ContactEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact entry")
        verbose_name_plural = _("contact directory")
        ordering = ["organisation__name", "topic", "name"]

    def __str__(self) -> str:
        return f"{self.name}: {self.topic}"

    @property
    def is_stale(self) -> bool:
        if self.last_verified_at is None:
            return True
        return self.last_verified_at < timezone.localdate() - timedelta(days=self.STALE_AFTER_DAYS)
