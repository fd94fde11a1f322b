"""Shared reads for referrals: places for offers, waiting-list positions, the lists of the
adviser, the team lead and the provider. Every list is one query (plus pagination's count),
however many referrals exist."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from measures.models import Run
from measures.selectors import with_run_occupancy
from referrals.models import ACTIVE, OPEN, Referral, Status
from triangle.models import PROVIDER_ROLES, Role
from triangle.workdays import add_working_days, working_days_between

#: Service level: start or no-show recorded within this many working days after planned start.
START_RECORDED_WITHIN = 15

LIST_RELATED = (
    "participant__job_centre",
    "run__measure__provider",
    "adviser",
    "team",
    "handover",
)


def free_places_for_offers(run: Run, *, exclude: Referral | None = None) -> int:
    """Free places (the measures occupancy selector) minus places held by open waiting-list
    offers; ``exclude`` is the referral asking, whose own offer does not count against it."""
    free = with_run_occupancy(Run.objects.filter(pk=run.pk)).values_list("free", flat=True)[0]
    offers = Referral.objects.filter(run_id=run.pk, status=Status.WAITLISTED).exclude(
        offered_at=None
    )
    if exclude is not None:
        offers = offers.exclude(pk=exclude.pk)
    return free - offers.count()


def with_waitlist_position(referrals: QuerySet) -> QuerySet:
    """Annotate ``waitlist_position`` (1 = next) for waitlisted referrals, one subquery."""
    ahead = (
        Referral.objects.filter(run=OuterRef("run"), status=Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return referrals.annotate(
        waitlist_position=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1
    )


def with_list_figures(referrals: QuerySet) -> QuerySet:
    return with_waitlist_position(referrals.select_related(*LIST_RELATED))


def my_referrals(user, *, status="", measure=None, provider=None, team=None) -> QuerySet:
    """An adviser's own referrals; a team lead's whole team(s)."""
    lead_teams = user.team_ids(Role.TEAM_LEAD)
    scope = Q(adviser=user)
    if lead_teams:
        scope |= Q(team_id__in=lead_teams)
    referrals = Referral.objects.visible_to(user).filter(scope)
    if status == "active":
        referrals = referrals.filter(status__in=ACTIVE)
    elif status == "overdue":
        referrals = referrals.filter(status__in=OPEN, answer_due__lt=timezone.localdate())
    elif status:
        referrals = referrals.filter(status=status)
    if measure:
        referrals = referrals.filter(run__measure__title__icontains=measure)
    if provider:
        referrals = referrals.filter(run__measure__provider_id=provider)
    if team:
        referrals = referrals.filter(team_id=team)
    return with_list_figures(referrals).order_by("-status_changed_at", "-pk")


INBOX_GROUPS = {
    "new": OPEN,
    "waiting": (Status.WAITLISTED,),
    "accepted": (Status.ACCEPTED,),
    "running": (Status.STARTED, Status.INTERRUPTED),
}


def provider_inbox(user, *, group: str = "new", run=None) -> QuerySet:
    """Referrals to the user's provider(s) needing action, by group; oldest first."""
    statuses = INBOX_GROUPS.get(group, OPEN)
    referrals = Referral.objects.filter(
        run__measure__provider_id__in=user.organisation_ids(*PROVIDER_ROLES),
        participant__restricted=False,
        status__in=statuses,
    )
    if run:
        referrals = referrals.filter(run_id=run)
    order = ("answer_due", "pk") if group == "new" else ("run__start_date", "run_id", "pk")
    if group == "waiting":
        order = ("run_id", F("waitlisted_at").asc(nulls_last=True), "pk")
    return with_list_figures(referrals).order_by(*order)


def inbox_counts(user) -> dict[str, int]:
    """How many referrals are in each inbox group (one query)."""
    referrals = Referral.objects.filter(
        run__measure__provider_id__in=user.organisation_ids(*PROVIDER_ROLES),
        participant__restricted=False,
    )
    return referrals.aggregate(
        **{
            key: Count("pk", filter=Q(status__in=statuses))
            for key, statuses in INBOX_GROUPS.items()
        }
    )


def working_days_left(referral: Referral, *, today: date | None = None) -> int | None:
    """Working days left to answer (negative: overdue), in the job centre's state."""
    due = referral.offer_due if referral.has_open_offer else referral.answer_due
    if due is None:
        return None
    return working_days_between(
        today or timezone.localdate(), due, state=referral.participant.job_centre.federal_state
    )


def is_overdue(referral: Referral, *, today: date | None = None) -> bool:
    """The other side owes something past its service level."""
    today = today or timezone.localdate()
    if referral.status in OPEN:
        return referral.answer_due is not None and referral.answer_due < today
    if referral.has_open_offer:
        return referral.offer_due is not None and referral.offer_due < today
    if referral.status == Status.ACCEPTED and referral.planned_start:
        state = referral.participant.job_centre.federal_state
        return add_working_days(referral.planned_start, START_RECORDED_WITHIN, state=state) < today
    return False


def decorate(referrals, *, today: date | None = None) -> list[Referral]:
    """Per-row facts computed in Python (no queries): days since change, time left, overdue."""
    today = today or timezone.localdate()
    rows = list(referrals)
    for r in rows:
        r.days_since_change = (today - timezone.localtime(r.status_changed_at).date()).days
        r.days_left = working_days_left(r, today=today)
        r.overdue = is_overdue(r, today=today)
    return rows


def participant_warnings(participant, run) -> dict[str, list[Referral] | bool]:
    """What the adviser should know before referring: active referrals, earlier dropouts from
    this measure, and whether the run is full."""
    referrals = list(
        Referral.objects.filter(participant=participant)
        .filter(Q(status__in=ACTIVE) | Q(run__measure_id=run.measure_id, status=Status.DROPPED_OUT))
        .select_related("run__measure__provider")
    )
    return {
        "active": [r for r in referrals if r.status in ACTIVE],
        "dropped_out": [
            r
            for r in referrals
            if r.status == Status.DROPPED_OUT and r.run.measure_id == run.measure_id
        ],
        "run_full": free_places_for_offers(run) <= 0,
    }
