"""Participants (Leistungsberechtigte / Teilnehmende) of a job centre.

Sensitive details live in the handover, not here. Who sees a participant:
job-centre staff (advisers, team leads, benefits officers) of the participant's job centre, and
provider staff only through a referral to one of their measures (minimum data, in referral pages).
Never other job centres. ``restricted`` records are hidden from everyone here (the data
protection officer's view is built elsewhere).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from triangle.models.parties import JOB_CENTRE_ROLES, PROVIDER_ROLES, Organisation, Team

LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian (Farsi/Dari)")),
    ("ku", _("Kurdish")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("ru", _("Russian")),
    ("ti", _("Tigrinya")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("other", _("Other language")),
]


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user, *, via_referrals: bool = True) -> ParticipantQuerySet:
        """Participants ``user`` may see.

        ``via_referrals=False`` leaves out the provider path: the full participant record
        (all referrals, contact details) is for the job centre only.
        """
        if not user.is_authenticated:
            return self.none()
        condition = Q(job_centre_id__in=user.organisation_ids(*JOB_CENTRE_ROLES))
        provider_ids = user.organisation_ids(*PROVIDER_ROLES)
        if via_referrals and provider_ids:
            from referrals.models import Referral

            condition |= Q(
                Exists(
                    Referral.objects.filter(
                        participant=OuterRef("pk"), run__measure__provider_id__in=provider_ids
                    )
                )
            )
        return self.filter(condition, restricted=False)

    def search(self, query: str) -> ParticipantQuerySet:
        """Name (first, last, "first last", "last, first") or customer number."""
        query = " ".join(query.split())
        if not query:
            return self
        condition = (
            Q(customer_number__iexact=query)
            | Q(customer_number__istartswith=query)
            | Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
        )
        parts = query.replace(",", " ").split()
        if len(parts) >= 2:
            a, b = parts[0], parts[-1]
            condition |= Q(first_name__icontains=a, last_name__icontains=b) | Q(
                last_name__icontains=a, first_name__icontains=b
            )
        return self.filter(condition)


class Participant(models.Model):
    job_centre = models.ForeignKey(
        Organisation,
        verbose_name=_("job centre"),
        on_delete=models.PROTECT,
        related_name="participants",
        limit_choices_to={"kind": Organisation.Kind.JOB_CENTRE},
    )
    customer_number = models.CharField(
        _("customer number"),
        max_length=20,
        help_text=_("The job centre's customer number (Kundennummer), e.g. 123D456789."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=LANGUAGES, default="de"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible adviser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("responsible team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Processing restricted: hidden from everyone but the data protection officer."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_centre", "customer_number"],
                name="participant_unique_customer_number",
                violation_error_message=_(
                    "A participant with this customer number already exists at this job centre."
                ),
            )
        ]
        indexes = [models.Index(fields=["job_centre", "last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("participant_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
