"""The referral lifecycle: every allowed and every forbidden move, idempotent repeats, places,
the waiting list, expiry and corrections."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from referrals import services
from referrals.models import TRANSITIONS, Referral, ReferralEvent, Side, Status
from referrals.services import ReferralError, RunFullError
from tests.factories import ReferralFactory, RunFactory
from triangle.models import Notification

TODAY = timezone.localdate


def _move(referral, to, *, adviser, provider):
    """Reach ``to`` through the service a user would use."""
    r = referral
    if to == Status.SUBMITTED:
        return services.submit_referral(r, by=adviser)
    if to == Status.ACCEPTED:
        return services.accept_referral(r, by=provider)
    if to == Status.DECLINED:
        return services.decline_referral(r, by=provider, reason="no_place")
    if to == Status.WAITLISTED:
        return services.waitlist_referral(r, by=provider)
    if to == Status.STARTED and r.status == Status.INTERRUPTED:
        return services.resume_referral(r, by=provider)
    if to == Status.STARTED:
        return services.record_start(r, by=provider, actual_start=TODAY())
    if to == Status.NO_SHOW:
        return services.record_no_show(r, by=provider, reason="sick")
    if to == Status.INTERRUPTED:
        return services.interrupt_referral(r, by=provider, note="Krank")
    if to == Status.COMPLETED:
        return services.complete_referral(r, by=provider, end_date=TODAY(), destination="unknown")
    if to == Status.DROPPED_OUT:
        return services.record_dropout(
            r, by=provider, end_date=TODAY(), exit_reason="sickness", destination="unknown"
        )
    if to == Status.WITHDRAWN:
        return services.withdraw_referral(r, by=adviser, reason="other")
    if to == Status.EXPIRED:
        return services.expire_referral(r)
    # no service leads back to "recommended"; the table is checked by _transition itself
    return services._transition(r, to, by=adviser)


@pytest.fixture
def in_state(participant_a, run_x, adviser_a, team_a):
    def _make(status):
        return ReferralFactory(
            participant=participant_a, run=run_x, status=status, adviser=adviser_a, team=team_a
        )

    return _make


ALLOWED = sorted(TRANSITIONS)
FORBIDDEN = [
    (a, b) for a in Status.values for b in Status.values if a != b and (a, b) not in TRANSITIONS
]


@pytest.mark.parametrize(
    ("from_status", "to_status"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED]
)
def test_every_allowed_transition_moves_and_writes_an_event(
    from_status, to_status, in_state, adviser_a, provider_x_staff
):
    referral = in_state(from_status)
    result = _move(referral, to_status, adviser=adviser_a, provider=provider_x_staff)
    referral.refresh_from_db()
    assert result.status == referral.status == to_status
    event = referral.events.get(kind=ReferralEvent.Kind.TRANSITION)
    assert (event.from_status, event.to_status) == (from_status, to_status)
    expected_actor = {Side.PROVIDER: provider_x_staff, Side.JOB_CENTRE: adviser_a}.get(
        TRANSITIONS[(from_status, to_status)]
    )
    assert event.actor == expected_actor


@pytest.mark.parametrize(
    ("from_status", "to_status"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN]
)
def test_every_forbidden_transition_is_refused_and_changes_nothing(
    from_status, to_status, in_state, adviser_a, provider_x_staff
):
    referral = in_state(from_status)
    with pytest.raises(ReferralError):
        _move(referral, to_status, adviser=adviser_a, provider=provider_x_staff)
    referral.refresh_from_db()
    assert referral.status == from_status
    assert not referral.events.exists()


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN])
def test_repeating_a_move_changes_nothing(status, in_state, adviser_a, provider_x_staff):
    referral = in_state(Status.SUBMITTED)
    first = _move(referral, status, adviser=adviser_a, provider=provider_x_staff)
    changed_at = first.status_changed_at
    again = _move(first, status, adviser=adviser_a, provider=provider_x_staff)
    assert again.status == status
    assert again.status_changed_at == changed_at
    assert referral.events.count() == 1


def test_accepting_an_accepted_referral_changes_nothing(in_state, provider_x_staff):
    referral = services.accept_referral(in_state(Status.SUBMITTED), by=provider_x_staff)
    notifications = Notification.objects.count()
    services.accept_referral(referral, by=provider_x_staff)
    assert Referral.objects.filter(status=Status.ACCEPTED).count() == 1
    assert referral.events.count() == 1
    assert Notification.objects.count() == notifications


def test_adviser_cannot_accept_and_provider_cannot_withdraw(in_state, adviser_a, provider_x_staff):
    referral = in_state(Status.SUBMITTED)
    with translation.override("en"), pytest.raises(ReferralError, match="provider"):
        services.accept_referral(referral, by=adviser_a)
    with translation.override("en"), pytest.raises(ReferralError, match="job centre"):
        services.withdraw_referral(referral, by=provider_x_staff, reason="other")


def test_other_provider_cannot_answer(in_state, provider_y_staff):
    with pytest.raises(ReferralError):
        services.decline_referral(in_state(Status.SUBMITTED), by=provider_y_staff, reason="other")


def test_decline_needs_a_coded_reason(in_state, provider_x_staff):
    with pytest.raises(ReferralError):
        services.decline_referral(in_state(Status.SUBMITTED), by=provider_x_staff, reason="")


def test_create_referral_sets_due_date_in_working_days_and_notifies_provider(
    participant_a, run_x, adviser_a, provider_x_staff, team_a
):
    from tests.factories import TeamFactory

    provider_team = TeamFactory(organisation=run_x.measure.provider, name="Coaching")
    referral = services.create_referral(participant_a, run=run_x, by=adviser_a, note="Passt gut")
    assert referral.status == Status.SUBMITTED
    assert referral.team == team_a
    assert referral.answer_due > TODAY()
    assert referral.answer_due.weekday() < 5
    note = Notification.objects.get(recipient_team=provider_team)
    assert note.link == referral.get_absolute_url()
    assert participant_a.last_name not in note.text
    assert referral.events.get().kind == ReferralEvent.Kind.CREATED


def test_recommendation_becomes_formal_referral_keeping_its_history(
    participant_a, run_x, adviser_a
):
    referral = services.create_referral(participant_a, run=run_x, by=adviser_a, formal=False)
    assert referral.status == Status.RECOMMENDED and not referral.is_formal
    converted = services.submit_referral(referral, by=adviser_a)
    assert converted.pk == referral.pk
    assert converted.submitted_at is not None
    assert list(converted.events.values_list("kind", "to_status")) == [
        ("created", "recommended"),
        ("transition", "submitted"),
    ]


def test_full_run_refuses_accept_with_waiting_list_hint(
    make_participant, run_x, adviser_a, provider_x_staff
):
    referrals = [
        ReferralFactory(participant=make_participant(), run=run_x, adviser=adviser_a)
        for _ in range(3)
    ]
    services.accept_referral(referrals[0], by=provider_x_staff)
    services.accept_referral(referrals[1], by=provider_x_staff)
    with pytest.raises(RunFullError, match="Warteliste"):
        services.accept_referral(referrals[2], by=provider_x_staff)
    assert services.waitlist_referral(referrals[2], by=provider_x_staff).status == "waitlisted"


def test_freed_place_is_offered_to_the_next_on_the_waiting_list(
    make_participant, measure_x, adviser_a, provider_x_staff
):
    run = RunFactory(measure=measure_x, places=1)
    first, second, third = (
        ReferralFactory(participant=make_participant(), run=run, adviser=adviser_a)
        for _ in range(3)
    )
    services.accept_referral(first, by=provider_x_staff)
    second = services.waitlist_referral(second, by=provider_x_staff)
    third = services.waitlist_referral(third, by=provider_x_staff)

    services.withdraw_referral(first, by=adviser_a, reason="started_work")

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.has_open_offer and not third.has_open_offer
    assert second.events.filter(kind=ReferralEvent.Kind.OFFER).count() == 1
    offers = Notification.objects.filter(kind=Notification.Kind.PLACE_OFFERED)
    assert {n.recipient_user for n in offers} >= {adviser_a}
    # the offered place is held: the third person cannot take it
    with pytest.raises(RunFullError):
        services.accept_referral(third, by=provider_x_staff)
    assert services.accept_referral(second, by=provider_x_staff).status == Status.ACCEPTED
    # offering again changes nothing: no free place left
    assert services.offer_free_places(run) == []


def test_offer_not_taken_in_time_moves_on_once(
    make_participant, measure_x, adviser_a, provider_x_staff
):
    run = RunFactory(measure=measure_x, places=1)
    first, second, third = (
        ReferralFactory(participant=make_participant(), run=run, adviser=adviser_a)
        for _ in range(3)
    )
    services.accept_referral(first, by=provider_x_staff)
    services.waitlist_referral(second, by=provider_x_staff)
    services.waitlist_referral(third, by=provider_x_staff)
    services.record_no_show(first, by=provider_x_staff, reason="did_not_appear")
    second.refresh_from_db()
    assert second.has_open_offer
    Referral.objects.filter(pk=second.pk).update(offer_due=TODAY() - timedelta(days=1))

    assert services.lapse_overdue_offers() == 1
    assert services.lapse_overdue_offers() == 0  # periodic job run twice: once only

    second.refresh_from_db()
    third.refresh_from_db()
    assert not second.has_open_offer and second.status == Status.WAITLISTED
    assert third.has_open_offer
    assert second.events.filter(kind=ReferralEvent.Kind.OFFER_LAPSED).count() == 1
    assert third.events.filter(kind=ReferralEvent.Kind.OFFER).count() == 1


def test_more_places_are_offered_by_the_periodic_job(
    make_participant, measure_x, adviser_a, provider_x_staff
):
    run = RunFactory(measure=measure_x, places=1)
    services.accept_referral(
        ReferralFactory(participant=make_participant(), run=run), by=provider_x_staff
    )
    waiting = services.waitlist_referral(
        ReferralFactory(participant=make_participant(), run=run), by=provider_x_staff
    )
    run.places = 2
    run.save(update_fields=["places"])
    assert services.process_waiting_lists() == 1
    assert services.process_waiting_lists() == 0
    waiting.refresh_from_db()
    assert waiting.has_open_offer


def test_unanswered_referral_expires_once(in_state, participant_a, run_x, adviser_a):
    old = in_state(Status.SUBMITTED)
    Referral.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - timedelta(days=30))
    fresh = services.create_referral(participant_a, run=run_x, by=adviser_a)
    assert services.expire_unanswered_referrals() == 1
    assert services.expire_unanswered_referrals() == 0
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == Status.EXPIRED and fresh.status == Status.SUBMITTED
    event = old.events.get()
    assert event.actor is None and event.to_status == Status.EXPIRED


def test_expiry_counts_working_days_of_the_job_centres_state():
    # 2026-10-30 is a Friday; Reformation Day (31 Oct) is a Saturday that year, so use 2025:
    # Friday 2025-10-31 is a holiday in NI, not in NW.
    today = timezone.datetime(2025, 11, 14).date()
    assert services.expiry_cutoff(today, state="NI") < services.expiry_cutoff(today, state="NW")


def test_author_corrects_own_status_within_a_day_visibly(in_state, provider_x_staff):
    referral = services.decline_referral(
        in_state(Status.SUBMITTED), by=provider_x_staff, reason="no_place"
    )
    corrected = services.correct_referral(referral, by=provider_x_staff, note="Falscher Knopf")
    assert corrected.status == Status.SUBMITTED
    assert corrected.decline_reason == ""
    kinds = list(corrected.events.values_list("kind", "from_status", "to_status"))
    assert kinds == [
        ("transition", "submitted", "declined"),
        ("correction", "declined", "submitted"),
    ]
    with pytest.raises(ReferralError):  # a correction is not corrected again
        services.correct_referral(corrected, by=provider_x_staff, note="nochmal")


def test_only_the_author_may_correct_and_only_for_24_hours(
    in_state, provider_x_staff, provider_x_manager
):
    referral = services.accept_referral(in_state(Status.SUBMITTED), by=provider_x_staff)
    with pytest.raises(ReferralError):
        services.correct_referral(referral, by=provider_x_manager, note="Fehler")
    referral.events.update(at=timezone.now() - timedelta(hours=25))
    with pytest.raises(ReferralError):
        services.correct_referral(referral, by=provider_x_staff, note="Fehler")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_correcting_an_accept_frees_the_place(in_state, provider_x_staff):
    referral = services.accept_referral(in_state(Status.SUBMITTED), by=provider_x_staff)
    services.correct_referral(referral, by=provider_x_staff, note="Zu früh angenommen")
    assert not Referral.objects.filter(status__in=["accepted", "started"]).exists()


def test_bulk_start_records_every_accepted_referral(make_participant, run_x, provider_x_staff):
    referrals = [
        services.accept_referral(
            ReferralFactory(participant=make_participant(), run=run_x), by=provider_x_staff
        )
        for _ in range(2)
    ]
    day = TODAY() - timedelta(days=1)
    assert services.record_starts(referrals, by=provider_x_staff, actual_start=day) == 2
    assert services.record_starts(referrals, by=provider_x_staff, actual_start=day) == 0
    assert set(Referral.objects.values_list("status", "actual_start")) == {("started", day)}


def test_message_notifies_the_other_side_and_falls_back_to_the_team(
    in_state, adviser_a, provider_x_staff, team_a
):
    referral = services.accept_referral(in_state(Status.SUBMITTED), by=provider_x_staff)
    Notification.objects.all().delete()
    services.post_message(referral, by=provider_x_staff, body="Bitte Unterlagen mitbringen.")
    assert Notification.objects.get().recipient_user == adviser_a
    adviser_a.is_active = False
    adviser_a.save()
    referral.refresh_from_db()
    services.post_message(referral, by=provider_x_staff, body="Noch eine Frage.")
    assert Notification.objects.filter(recipient_team=team_a).count() == 1
    services.post_message(referral, by=adviser_a, body="Antwort")
    assert Notification.objects.filter(recipient_user=provider_x_staff).count() == 1
