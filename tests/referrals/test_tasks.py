"""The periodic jobs, run through Celery (eager in tests) twice: they act once."""

from datetime import timedelta

from django.utils import timezone

from referrals import services, tasks
from referrals.models import Referral, Status
from tests.factories import ReferralFactory, RunFactory
from triangle.celery import app


def test_beat_schedules_both_referral_jobs_with_expiry():
    entries = {e["task"]: e for e in app.conf.beat_schedule.values()}
    for name in (
        "referrals.tasks.process_waiting_lists",
        "referrals.tasks.expire_unanswered_referrals",
    ):
        assert name in entries
        assert entries[name]["options"]["expires"] > 0


def test_expiry_task_twice_expires_once(participant_a, run_x, adviser_a):
    referral = ReferralFactory(participant=participant_a, run=run_x, adviser=adviser_a)
    Referral.objects.filter(pk=referral.pk).update(
        status_changed_at=timezone.now() - timedelta(days=40)
    )
    tasks.expire_unanswered_referrals.delay()
    tasks.expire_unanswered_referrals.delay()
    referral.refresh_from_db()
    assert referral.status == Status.EXPIRED
    assert referral.events.count() == 1


def test_waiting_list_task_twice_offers_once(make_participant, measure_x, provider_x_staff):
    run = RunFactory(measure=measure_x, places=1)
    waiting = services.waitlist_referral(
        ReferralFactory(participant=make_participant(), run=run), by=provider_x_staff
    )
    tasks.process_waiting_lists.delay()
    tasks.process_waiting_lists.delay()
    waiting.refresh_from_db()
    assert waiting.has_open_offer
    assert waiting.events.filter(kind="offer").count() == 1
