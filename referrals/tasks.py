"""Periodic referral jobs. Tasks only call services; the services are idempotent (a job that
runs twice changes things once)."""

from celery import shared_task

from referrals import services


@shared_task(name="referrals.tasks.process_waiting_lists", ignore_result=True)
def process_waiting_lists() -> int:
    """Lapse offers not taken in time and offer free places to the next on the waiting list."""
    return services.process_waiting_lists()


@shared_task(name="referrals.tasks.expire_unanswered_referrals", ignore_result=True)
def expire_unanswered_referrals() -> int:
    return services.expire_unanswered_referrals()
