"""Every write to a referral goes through here.

``_transition`` is the one function that changes a referral's status: it locks the row, checks
``TRANSITIONS`` (or, for a correction, that it undoes the caller's own last move), is a no-op when
the referral is already in the target state, saves with ``update_fields`` and appends a
``ReferralEvent``. Taking a place (accept, or a correction back into an occupying state) first
locks the run row and counts the occupied places inside that lock; the PostgreSQL trigger in
migration 0002 backs the rule in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure, Run
from referrals.models import (
    OCCUPYING,
    OPEN,
    TRANSITIONS,
    DeclineReason,
    Destination,
    ExitReason,
    NoShowReason,
    Referral,
    ReferralEvent,
    ReferralMessage,
    Side,
    Status,
    WithdrawReason,
)
from referrals.selectors import free_places_for_offers
from triangle.models import Notification, Participant, Role, Team, User
from triangle.workdays import add_working_days

#: Job-centre roles that may refer, convert and withdraw.
REFERRING_ROLES = (Role.ADVISER, Role.TEAM_LEAD)
PROVIDER_SIDE_ROLES = (Role.PROVIDER_STAFF, Role.PROVIDER_MANAGER)

#: Tests only: the concurrency test switches this off to show that it would catch a race.
LOCK_RUN = True

#: Fields a transition into a state sets; a correction clears them again.
_FIELDS_SET_BY = {
    Status.DECLINED: ("decline_reason",),
    Status.NO_SHOW: ("no_show_reason",),
    Status.COMPLETED: ("end_date", "exit_reason", "destination"),
    Status.DROPPED_OUT: ("end_date", "exit_reason", "destination"),
    Status.WITHDRAWN: ("withdraw_reason",),
}


class ReferralError(Exception):
    """A referral action that is not allowed; the message is translated and shown to the user."""


class RunFullError(ReferralError):
    """No free place in the run; the user is offered the waiting list."""


# --- who is who -------------------------------------------------------------------------------
def job_centre_side(user: User | None, referral: Referral) -> bool:
    return bool(user) and referral.participant.job_centre_id in user.organisation_ids(
        *REFERRING_ROLES
    )


def provider_side(user: User | None, referral: Referral) -> bool:
    return bool(user) and referral.run.measure.provider_id in user.organisation_ids(
        *PROVIDER_SIDE_ROLES
    )


def sides_of(user: User | None, referral: Referral) -> set[str]:
    sides = set()
    if job_centre_side(user, referral):
        sides.add(Side.JOB_CENTRE)
    if provider_side(user, referral):
        sides.add(Side.PROVIDER)
    return sides


def _organisation_of(user: User | None, referral: Referral):
    if user is None:
        return None
    if provider_side(user, referral):
        return referral.run.measure.provider
    return referral.participant.job_centre


# --- notifications ----------------------------------------------------------------------------
def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _job_centre_addressees(referral: Referral) -> tuple[list, list]:
    """The adviser; the adviser's team when the adviser is gone (functional mailbox)."""
    adviser = referral.adviser
    if adviser is not None and adviser.is_active:
        return [adviser], []
    return [], [referral.team] if referral.team_id else []


def _provider_addressees(referral: Referral) -> tuple[list, list]:
    """The provider's contact person; the provider's teams when there is none."""
    contact = referral.provider_contact
    if contact is not None and contact.is_active:
        return [contact], []
    teams = list(Team.objects.filter(organisation_id=referral.run.measure.provider_id))
    if teams:
        return [], teams
    staff = User.objects.filter(
        is_active=True,
        memberships__organisation_id=referral.run.measure.provider_id,
        memberships__role__in=PROVIDER_SIDE_ROLES,
        memberships__is_active=True,
    ).distinct()
    return list(staff), []


def _notify(referral: Referral, *, to: str, kind: str, text: str, key: str = "") -> None:
    users, teams = [], []
    if to in ("provider", "both"):
        u, t = _provider_addressees(referral)
        users += u
        teams += t
    if to in ("job_centre", "both"):
        u, t = _job_centre_addressees(referral)
        users += u
        teams += t
    Notification.objects.send(
        kind=kind, text=text, link=_link(referral), users=users, teams=teams, key=key
    )


# --- the one transition function --------------------------------------------------------------
def _transition(
    referral: Referral,
    to: str,
    *,
    by: User | None,
    note: str = "",
    reason: str = "",
    changes: dict | None = None,
    correction: bool = False,
) -> Referral:
    _lock_run(referral.run_id)
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related(
            "participant__job_centre",
            "run__measure__provider",
            "adviser",
            "team",
            "provider_contact",
        )
        .get(pk=referral.pk)
    )
    locked.changed = False
    if locked.status == to:
        return locked
    from_status = locked.status
    if correction:
        kind = ReferralEvent.Kind.CORRECTION
    else:
        kind = ReferralEvent.Kind.TRANSITION
        side = TRANSITIONS.get((from_status, to))
        if side is None:
            raise ReferralError(
                _("A referral that is “%(current)s” cannot become “%(target)s”.")
                % {"current": Status(from_status).label, "target": Status(to).label}
            )
        if side == Side.SYSTEM:
            if by is not None:
                raise ReferralError(_("Only the system can do this."))
        elif side not in sides_of(by, locked):
            if side == Side.PROVIDER:
                raise ReferralError(_("Only the provider's staff can do this."))
            raise ReferralError(_("Only the participant's job centre can do this."))
    now = timezone.now()
    changes = dict(changes or {})
    changes.update(status=to, status_changed_at=now)
    if from_status == Status.WAITLISTED:
        changes.setdefault("offered_at", None)
        changes.setdefault("offer_due", None)
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save(update_fields=list(changes))
    locked.changed = True
    ReferralEvent.objects.create(
        referral=locked,
        kind=kind,
        actor=by,
        actor_organisation=_organisation_of(by, locked),
        from_status=from_status,
        to_status=to,
        reason_code=reason,
        note=note,
        at=now,
    )
    if from_status in OCCUPYING and to not in OCCUPYING or referral_had_offer(from_status, to):
        offer_free_places(locked.run)
    return locked


def referral_had_offer(from_status: str, to: str) -> bool:
    """A waitlisted referral that leaves the list may free an offered place."""
    return from_status == Status.WAITLISTED and to not in OCCUPYING


def _lock_run(run_id: int) -> Run:
    """Every status change locks the run first, then the referral: one lock order, no
    deadlocks, and counting places inside the lock sees every committed accept."""
    if LOCK_RUN:
        return Run.objects.select_for_update().get(pk=run_id)
    return Run.objects.get(pk=run_id)


def _take_place(referral: Referral, to: str, **kwargs) -> Referral:
    """Move into an occupying state: lock the run, count inside the lock, then transition."""
    run = _lock_run(referral.run_id)
    current = Referral.objects.get(pk=referral.pk)
    current.changed = False
    if current.status == to:
        return current
    if current.status not in OCCUPYING and free_places_for_offers(run, exclude=current) <= 0:
        raise RunFullError(
            _("This run has no free place. You can put the referral on the waiting list.")
        )
    return _transition(current, to, **kwargs)


# --- creating and converting ------------------------------------------------------------------
@transaction.atomic
def create_referral(
    participant: Participant,
    *,
    run: Run,
    by: User,
    formal: bool = True,
    note: str = "",
    planned_start: date | None = None,
) -> Referral:
    if participant.job_centre_id not in by.organisation_ids(*REFERRING_ROLES):
        raise ReferralError(_("Only an adviser of the participant's job centre can refer."))
    if run.status != Run.Status.OPEN or run.measure.status != Measure.Status.PUBLISHED:
        raise ReferralError(_("This run does not take referrals."))
    now = timezone.now()
    status = Status.SUBMITTED if formal else Status.RECOMMENDED
    team = next(
        (
            m.team
            for m in by.active_memberships
            if m.organisation_id == participant.job_centre_id and m.team_id
        ),
        None,
    )
    referral = Referral.objects.create(
        participant=participant,
        run=run,
        status=status,
        adviser=by,
        team=team or participant.team,
        note=note,
        planned_start=planned_start or max(run.start_date, timezone.localdate()),
        answer_due=_answer_due(participant, now),
        submitted_at=now if formal else None,
        status_changed_at=now,
        created_at=now,
    )
    ReferralEvent.objects.create(
        referral=referral,
        kind=ReferralEvent.Kind.CREATED,
        actor=by,
        actor_organisation=participant.job_centre,
        to_status=status,
        note=note,
        at=now,
    )
    _notify(
        referral,
        to="provider",
        kind=Notification.Kind.REFERRAL_NEW,
        text=_("A new referral needs your answer.")
        if formal
        else _("A new recommendation needs your answer."),
    )
    return referral


def _answer_due(participant: Participant, now) -> date:
    return add_working_days(
        timezone.localtime(now).date(),
        settings.REFERRAL_ANSWER_WORKING_DAYS,
        state=participant.job_centre.federal_state,
    )


@transaction.atomic
def submit_referral(referral: Referral, *, by: User, note: str = "") -> Referral:
    """Convert a recommendation into a formal referral; its history stays on the same row."""
    now = timezone.now()
    result = _transition(
        referral,
        Status.SUBMITTED,
        by=by,
        note=note,
        changes={"submitted_at": now, "answer_due": _answer_due(referral.participant, now)},
    )
    if result.changed:
        _notify(
            result,
            to="provider",
            kind=Notification.Kind.REFERRAL_NEW,
            text=_("A recommendation became a formal referral and needs your answer."),
        )
    return result


# --- the provider's answer --------------------------------------------------------------------
@transaction.atomic
def accept_referral(
    referral: Referral, *, by: User, planned_start: date | None = None, note: str = ""
) -> Referral:
    changes = {"provider_contact": referral.provider_contact or by}
    if planned_start:
        changes["planned_start"] = planned_start
    result = _take_place(referral, Status.ACCEPTED, by=by, note=note, changes=changes)
    if result.changed:
        _notify(
            result,
            to="job_centre",
            kind=Notification.Kind.REFERRAL_ANSWERED,
            text=_("A provider accepted your referral."),
        )
    return result


def _answer(referral, to, *, by, note, reason="", changes=None, text="") -> Referral:
    changes = dict(changes or {})
    if referral.provider_contact_id is None:
        changes["provider_contact"] = by
    result = _transition(referral, to, by=by, note=note, reason=reason, changes=changes)
    if result.changed and text:
        _notify(result, to="job_centre", kind=Notification.Kind.REFERRAL_ANSWERED, text=text)
    return result


@transaction.atomic
def decline_referral(referral: Referral, *, by: User, reason: str, note: str = "") -> Referral:
    if reason not in DeclineReason.values:
        raise ReferralError(_("Please choose a reason for declining."))
    return _answer(
        referral,
        Status.DECLINED,
        by=by,
        note=note,
        reason=reason,
        changes={"decline_reason": reason},
        text=_("A provider declined your referral."),
    )


@transaction.atomic
def waitlist_referral(referral: Referral, *, by: User, note: str = "") -> Referral:
    return _answer(
        referral,
        Status.WAITLISTED,
        by=by,
        note=note,
        changes={"waitlisted_at": timezone.now()},
        text=_("A provider put your referral on the waiting list."),
    )


# --- during the measure -----------------------------------------------------------------------
@transaction.atomic
def record_start(referral: Referral, *, by: User, actual_start: date, note: str = "") -> Referral:
    if actual_start is None:
        raise ReferralError(_("Please enter the actual start date."))
    return _answer(
        referral,
        Status.STARTED,
        by=by,
        note=note,
        changes={"actual_start": actual_start},
        text=_("A participant started a measure."),
    )


@transaction.atomic
def record_starts(
    referrals: Iterable[Referral], *, by: User, actual_start: date, note: str = ""
) -> int:
    """Bulk: record the start of many accepted referrals of one run at once."""
    return sum(
        record_start(referral, by=by, actual_start=actual_start, note=note).changed
        for referral in referrals
    )


@transaction.atomic
def record_no_show(referral: Referral, *, by: User, reason: str, note: str = "") -> Referral:
    if reason not in NoShowReason.values:
        raise ReferralError(_("Please choose a reason for the no-show."))
    return _answer(
        referral,
        Status.NO_SHOW,
        by=by,
        note=note,
        reason=reason,
        changes={"no_show_reason": reason},
        text=_("A participant did not start a measure."),
    )


@transaction.atomic
def interrupt_referral(referral: Referral, *, by: User, note: str = "") -> Referral:
    return _answer(
        referral,
        Status.INTERRUPTED,
        by=by,
        note=note,
        text=_("A participant's measure was interrupted."),
    )


@transaction.atomic
def resume_referral(referral: Referral, *, by: User, note: str = "") -> Referral:
    return _answer(
        referral, Status.STARTED, by=by, note=note, text=_("A participant resumed a measure.")
    )


@transaction.atomic
def complete_referral(
    referral: Referral,
    *,
    by: User,
    end_date: date,
    destination: str,
    note: str = "",
) -> Referral:
    if destination not in Destination.values:
        raise ReferralError(_("Please choose where the participant goes next."))
    return _answer(
        referral,
        Status.COMPLETED,
        by=by,
        note=note,
        reason=ExitReason.REGULAR,
        changes={
            "end_date": end_date,
            "exit_reason": ExitReason.REGULAR,
            "destination": destination,
        },
        text=_("A participant completed a measure."),
    )


@transaction.atomic
def record_dropout(
    referral: Referral,
    *,
    by: User,
    end_date: date,
    exit_reason: str,
    destination: str,
    note: str = "",
) -> Referral:
    if exit_reason not in ExitReason.values or exit_reason == ExitReason.REGULAR:
        raise ReferralError(_("Please choose the reason for leaving early."))
    if destination not in Destination.values:
        raise ReferralError(_("Please choose where the participant goes next."))
    return _answer(
        referral,
        Status.DROPPED_OUT,
        by=by,
        note=note,
        reason=exit_reason,
        changes={"end_date": end_date, "exit_reason": exit_reason, "destination": destination},
        text=_("A participant left a measure early."),
    )


# --- the job centre's side --------------------------------------------------------------------
@transaction.atomic
def withdraw_referral(referral: Referral, *, by: User, reason: str, note: str = "") -> Referral:
    if reason not in WithdrawReason.values:
        raise ReferralError(_("Please choose a reason for the withdrawal."))
    result = _transition(
        referral,
        Status.WITHDRAWN,
        by=by,
        note=note,
        reason=reason,
        changes={"withdraw_reason": reason},
    )
    if result.changed:
        _notify(
            result,
            to="provider",
            kind=Notification.Kind.REFERRAL_CHANGED,
            text=_("A job centre withdrew a referral."),
        )
    return result


@transaction.atomic
def expire_referral(referral: Referral) -> Referral:
    result = _transition(referral, Status.EXPIRED, by=None, note=_("Nobody answered in time."))
    if result.changed:
        _notify(
            result,
            to="both",
            kind=Notification.Kind.REFERRAL_EXPIRED,
            text=_("A referral expired because nobody answered in time."),
        )
    return result


def expiry_cutoff(today: date, *, state: str) -> date:
    """Open referrals last changed before this day have waited too long."""
    return add_working_days(today, -settings.REFERRAL_EXPIRE_WORKING_DAYS, state=state)


def expire_unanswered_referrals(*, today: date | None = None) -> int:
    """Periodic: expire recommendations and referrals the provider did not answer within
    ``REFERRAL_EXPIRE_WORKING_DAYS`` working days (job centre's state). Idempotent: a second
    run finds nothing left to expire."""
    today = today or timezone.localdate()
    count = 0
    states = (
        Referral.objects.filter(status__in=OPEN)
        .values_list("participant__job_centre__federal_state", flat=True)
        .distinct()
    )
    for state in set(states):
        cutoff = expiry_cutoff(today, state=state)
        start_of_cutoff = timezone.make_aware(datetime.combine(cutoff, time.min))
        candidates = Referral.objects.filter(
            status__in=OPEN,
            participant__job_centre__federal_state=state,
            status_changed_at__lt=start_of_cutoff,
        ).values_list("pk", flat=True)
        for pk in candidates:
            with transaction.atomic():
                referral = Referral.objects.get(pk=pk)
                if referral.status in OPEN:
                    expire_referral(referral)
                    count += 1
    return count


# --- corrections ------------------------------------------------------------------------------
def correctable_change(referral: Referral, events, *, by: User) -> ReferralEvent | None:
    """The status change ``by`` may still correct: the referral's last status change, made by
    ``by`` within ``REFERRAL_CORRECTION_HOURS``, and not itself a correction. ``events`` may be
    a queryset or an already loaded list (the referral page passes its timeline)."""
    changes = [
        e
        for e in events
        if e.kind in (ReferralEvent.Kind.TRANSITION, ReferralEvent.Kind.CORRECTION)
    ]
    if not changes:
        return None
    last = max(changes, key=lambda e: (e.at, e.pk))
    window = timedelta(hours=settings.REFERRAL_CORRECTION_HOURS)
    if (
        last.kind == ReferralEvent.Kind.TRANSITION
        and last.actor_id == by.pk
        and last.to_status == referral.status
        and last.at >= timezone.now() - window
    ):
        return last
    return None


@transaction.atomic
def correct_referral(referral: Referral, *, by: User, note: str) -> Referral:
    """Undo the caller's own last status change within 24 hours, as a visible correction."""
    if not note.strip():
        raise ReferralError(_("Please say what was wrong."))
    _lock_run(referral.run_id)
    locked = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    last = correctable_change(locked, locked.events.all(), by=by)
    if last is None:
        raise ReferralError(
            _("Only the person who set this status can correct it, within 24 hours.")
        )
    target = last.from_status
    changes = {
        field: None if field == "end_date" else ""
        for field in _FIELDS_SET_BY.get(locked.status, ())
    }
    if locked.status == Status.STARTED and target == Status.ACCEPTED:
        changes["actual_start"] = None
    if target == Status.WAITLISTED:
        changes["waitlisted_at"] = locked.waitlisted_at or timezone.now()
    kwargs = {"by": by, "note": note, "changes": changes, "correction": True}
    if target in OCCUPYING and locked.status not in OCCUPYING:
        result = _take_place(locked, target, **kwargs)
    else:
        result = _transition(locked, target, **kwargs)
    _notify(
        result,
        to="job_centre" if provider_side(by, result) else "provider",
        kind=Notification.Kind.REFERRAL_CHANGED,
        text=_("A referral's status was corrected."),
    )
    return result


# --- waiting list -----------------------------------------------------------------------------
def offer_free_places(run: Run) -> list[Referral]:
    """Offer each free place (not yet offered) to the next person on the waiting list.

    Called after every move that frees a place and by the periodic job (which also catches
    places added to a run). Idempotent: places already offered are not offered twice.
    """
    with transaction.atomic():
        run = _lock_run(run.pk)
        free = free_places_for_offers(run)
        if free <= 0:
            return []
        queue = list(
            Referral.objects.select_for_update(of=("self",))
            .filter(run=run, status=Status.WAITLISTED, offered_at__isnull=True)
            .select_related(
                "participant__job_centre", "run__measure", "adviser", "team", "provider_contact"
            )
            .order_by(F("waitlisted_at").asc(nulls_last=True), "pk")[:free]
        )
        now = timezone.now()
        for referral in queue:
            referral.offered_at = now
            referral.offer_due = _answer_due(referral.participant, now)
            referral.save(update_fields=["offered_at", "offer_due"])
            ReferralEvent.objects.create(
                referral=referral,
                kind=ReferralEvent.Kind.OFFER,
                from_status=Status.WAITLISTED,
                to_status=Status.WAITLISTED,
                note=_("A place became free and is offered until %(due)s.")
                % {"due": referral.offer_due.strftime("%d.%m.%Y")},
                at=now,
            )
            _notify(
                referral,
                to="both",
                kind=Notification.Kind.PLACE_OFFERED,
                text=_("A place became free for a referral on the waiting list."),
                key=f"offer:{referral.pk}:{now.timestamp():.0f}",
            )
        return queue


def lapse_overdue_offers(*, today: date | None = None) -> int:
    """Periodic: an offer not taken by its due date moves on; the referral goes to the end of
    the waiting list and the next person is offered the place. Idempotent."""
    today = today or timezone.localdate()
    runs = set()
    count = 0
    pks = Referral.objects.filter(
        status=Status.WAITLISTED, offered_at__isnull=False, offer_due__lt=today
    ).values_list("pk", flat=True)
    for pk in pks:
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .select_related(
                    "participant__job_centre", "run__measure", "adviser", "team", "provider_contact"
                )
                .get(pk=pk)
            )
            if not (referral.has_open_offer and referral.offer_due < today):
                continue
            now = timezone.now()
            referral.offered_at = None
            referral.offer_due = None
            referral.waitlisted_at = now
            referral.save(update_fields=["offered_at", "offer_due", "waitlisted_at"])
            ReferralEvent.objects.create(
                referral=referral,
                kind=ReferralEvent.Kind.OFFER_LAPSED,
                from_status=Status.WAITLISTED,
                to_status=Status.WAITLISTED,
                note=_("The offered place was not taken in time; back to the end of the list."),
                at=now,
            )
            _notify(
                referral,
                to="both",
                kind=Notification.Kind.OFFER_LAPSED,
                text=_("An offered place was not taken in time and moves on."),
            )
            runs.add(referral.run_id)
            count += 1
    for run in Run.objects.filter(pk__in=runs):
        offer_free_places(run)
    return count


def process_waiting_lists(*, today: date | None = None) -> int:
    """Periodic: lapse overdue offers, then offer every free place to the waiting list."""
    lapse_overdue_offers(today=today)
    offered = 0
    runs = Run.objects.filter(referrals__status=Status.WAITLISTED).distinct()
    for run in runs:
        offered += len(offer_free_places(run))
    return offered


# --- messages ---------------------------------------------------------------------------------
@transaction.atomic
def post_message(referral: Referral, *, by: User, body: str) -> ReferralMessage:
    body = body.strip()
    if not body:
        raise ReferralError(_("Please write a message."))
    sides = sides_of(by, referral)
    if not sides:
        raise ReferralError(_("Only the adviser's job centre and the provider can write here."))
    message = ReferralMessage.objects.create(
        referral=referral,
        author=by,
        author_organisation=_organisation_of(by, referral),
        body=body,
        at=timezone.now(),
    )
    to = "job_centre" if Side.PROVIDER in sides else "provider"
    _notify(
        referral, to=to, kind=Notification.Kind.MESSAGE, text=_("New message about a referral.")
    )
    return message
