"""Referrals (Zuweisungen; informal: Empfehlungen) and their timeline.

Lifecycle (DOMAIN.md)::

    recommended ─┐                       ┌─> started <─> interrupted
                 ├─> accepted ───────────┤      │             │
    submitted ───┤                       └─> no_show          ├─> completed
        ^        ├─> declined                   └─────────────┴─> dropped_out
        │        └─> waitlisted ─> accepted | declined
    recommended ─> submitted (a recommendation becomes a formal referral, history kept)

    recommended | submitted | waitlisted | accepted ─> withdrawn (job centre)
    recommended | submitted ─> expired (the provider did not answer in time)

``TRANSITIONS`` below is the one table of allowed moves and which side makes each move;
``referrals.services._transition`` is the one function that applies them. Every move writes an
append-only ``ReferralEvent`` (the timeline, the audit trail of the workflow and the source for
reports). A place is taken by ``accepted``, ``started`` and ``interrupted``
(``OCCUPYING``); on PostgreSQL a trigger (migration 0002) refuses a row that would take more
places than the run has.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from triangle.models import JOB_CENTRE_ROLES, PROVIDER_ROLES, Organisation, Team


class Status(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended (informal)")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("On the waiting list")
    STARTED = "started", _("Started")
    NO_SHOW = "no_show", _("Did not start")
    INTERRUPTED = "interrupted", _("Interrupted")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Side(models.TextChoices):
    JOB_CENTRE = "job_centre", _("Job centre")
    PROVIDER = "provider", _("Provider")
    SYSTEM = "system", _("System")


S = Status
P, J, X = Side.PROVIDER, Side.JOB_CENTRE, Side.SYSTEM

#: (from, to) → the side that may make the move. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECOMMENDED, S.SUBMITTED): J,
    (S.RECOMMENDED, S.ACCEPTED): P,
    (S.RECOMMENDED, S.DECLINED): P,
    (S.RECOMMENDED, S.WAITLISTED): P,
    (S.RECOMMENDED, S.WITHDRAWN): J,
    (S.RECOMMENDED, S.EXPIRED): X,
    (S.SUBMITTED, S.ACCEPTED): P,
    (S.SUBMITTED, S.DECLINED): P,
    (S.SUBMITTED, S.WAITLISTED): P,
    (S.SUBMITTED, S.WITHDRAWN): J,
    (S.SUBMITTED, S.EXPIRED): X,
    (S.WAITLISTED, S.ACCEPTED): P,
    (S.WAITLISTED, S.DECLINED): P,
    (S.WAITLISTED, S.WITHDRAWN): J,
    (S.ACCEPTED, S.STARTED): P,
    (S.ACCEPTED, S.NO_SHOW): P,
    (S.ACCEPTED, S.WITHDRAWN): J,
    (S.STARTED, S.INTERRUPTED): P,
    (S.STARTED, S.COMPLETED): P,
    (S.STARTED, S.DROPPED_OUT): P,
    (S.INTERRUPTED, S.STARTED): P,
    (S.INTERRUPTED, S.DROPPED_OUT): P,
}

OCCUPYING = (S.ACCEPTED, S.STARTED, S.INTERRUPTED)
#: Waiting for the provider's answer.
OPEN = (S.RECOMMENDED, S.SUBMITTED)
#: Still going somewhere (used for "already has an active referral").
ACTIVE = (S.RECOMMENDED, S.SUBMITTED, S.WAITLISTED, S.ACCEPTED, S.STARTED, S.INTERRUPTED)
FINAL = tuple(s for s in S if s not in ACTIVE)


class DeclineReason(models.TextChoices):
    NO_PLACE = "no_place", _("No place available")
    REQUIREMENTS = "requirements", _("Requirements not met")
    PARTICIPANT_DECLINED = "participant_declined", _("Participant declined")
    NOT_REACHABLE = "not_reachable", _("Participant not reachable")
    STARTED_WORK = "started_work", _("Started work or training")
    OTHER = "other", _("Other")


class NoShowReason(models.TextChoices):
    DID_NOT_APPEAR = "did_not_appear", _("Did not appear")
    SICK = "sick", _("Sick")
    STARTED_WORK = "started_work", _("Started work")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


class ExitReason(models.TextChoices):
    REGULAR = "regular", _("Regular completion")
    EMPLOYMENT = "employment", _("Employment (subject to social insurance)")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    OTHER_MEASURE = "other_measure", _("Other measure")
    SICKNESS = "sickness", _("Sickness")
    NON_COOPERATION = "non_cooperation", _("Lack of cooperation / unexcused absences")
    MOVED = "moved", _("Moved away")
    CARE_DUTIES = "care_duties", _("Care duties")
    OTHER = "other", _("Other")


class Destination(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    MINI_JOB = "mini_job", _("Mini-job")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    FURTHER_MEASURE = "further_measure", _("Further measure")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    VOLUNTARY_WORK = "voluntary_work", _("Voluntary work")
    UNEMPLOYED = "unemployed", _("Unemployed")
    UNKNOWN = "unknown", _("Unknown")


class WithdrawReason(models.TextChoices):
    STARTED_WORK = "started_work", _("Participant started work or training")
    NOT_SUITABLE = "not_suitable", _("Measure no longer suitable")
    PARTICIPANT_DECLINED = "participant_declined", _("Participant does not want to take part")
    MOVED = "moved", _("Participant moved away")
    ENTERED_BY_MISTAKE = "mistake", _("Entered by mistake")
    OTHER = "other", _("Other")


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        """Job-centre staff: referrals of their job centre's participants. Provider staff:
        referrals to their own measures. Restricted participants are left out."""
        if not user.is_authenticated:
            return self.none()
        condition = Q(participant__job_centre_id__in=user.organisation_ids(*JOB_CENTRE_ROLES))
        provider_ids = user.organisation_ids(*PROVIDER_ROLES)
        if provider_ids:
            condition |= Q(run__measure__provider_id__in=provider_ids)
        return self.filter(condition, participant__restricted=False)

    def active(self) -> ReferralQuerySet:
        return self.filter(status__in=ACTIVE)


class Referral(models.Model):
    Status = Status

    participant = models.ForeignKey(
        "triangle.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    run = models.ForeignKey(
        "measures.Run", verbose_name=_("run"), on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        help_text=_("The adviser's team; addressee when the adviser is absent."),
    )
    provider_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact at the provider"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provider_referrals",
    )
    note = models.TextField(_("note to the provider"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=32, choices=DeclineReason.choices, blank=True
    )
    no_show_reason = models.CharField(
        _("reason for not starting"), max_length=32, choices=NoShowReason.choices, blank=True
    )
    exit_reason = models.CharField(
        _("exit reason"), max_length=32, choices=ExitReason.choices, blank=True
    )
    destination = models.CharField(
        _("destination after exit"), max_length=32, choices=Destination.choices, blank=True
    )
    withdraw_reason = models.CharField(
        _("reason for withdrawal"), max_length=32, choices=WithdrawReason.choices, blank=True
    )
    answer_due = models.DateField(
        _("answer due"),
        null=True,
        blank=True,
        help_text=_("Service level: the provider answers within 2 working days."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    offered_at = models.DateTimeField(_("place offered"), null=True, blank=True)
    offer_due = models.DateField(_("offer open until"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("last change"))
    created_at = models.DateTimeField(_("created"))

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-status_changed_at", "-pk"]
        indexes = [
            models.Index(fields=["run", "status"], name="referral_run_status"),
            models.Index(fields=["participant", "status"], name="referral_participant_status"),
            models.Index(fields=["adviser", "status_changed_at"], name="referral_adviser_changed"),
            models.Index(fields=["team", "status_changed_at"], name="referral_team_changed"),
            models.Index(fields=["status", "status_changed_at"], name="referral_status_changed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.STARTED) | Q(actual_start__isnull=False),
                name="referral_started_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.run}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    @property
    def is_formal(self) -> bool:
        return self.status != Status.RECOMMENDED

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def takes_place(self) -> bool:
        return self.status in OCCUPYING

    @property
    def has_open_offer(self) -> bool:
        return self.status == Status.WAITLISTED and self.offered_at is not None


class ReferralEvent(models.Model):
    """One line of the timeline. Append-only: never updated, never deleted by the app."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        TRANSITION = "transition", _("Status changed")
        CORRECTION = "correction", _("Status corrected")
        OFFER = "offer", _("Place offered")
        OFFER_LAPSED = "offer_lapsed", _("Offer lapsed")

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    reason_code = models.CharField(_("reason"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_event_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.from_status} → {self.to_status}"


class ReferralMessage(models.Model):
    """A message in the referral's thread between job centre and provider."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=4000)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_message_at")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


from referrals.models_handover import Handover, HandoverDocument, HandoverEvent  # noqa: E402, F401
