"""The Celery app. The beat schedule is declared here, each entry named with its crontab."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "triangle.settings")

app = Celery("triangle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # every minute: proves worker and beat are alive (log line + cache key)
    "heartbeat": {
        "task": "triangle.tasks.heartbeat",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},
    },
    # every 15 minutes, 7–19 h on working days: offers not taken in time move on, free places
    # are offered to the waiting list (also catches places added to a run)
    "referrals-process-waiting-lists": {
        "task": "referrals.tasks.process_waiting_lists",
        "schedule": crontab(minute="*/15", hour="7-19", day_of_week="mon-fri"),
        "options": {"expires": 14 * 60},
    },
    # nightly at 02:30: delete or anonymise participants whose retention period is over
    # (triangle.retention; idempotent, a second run changes nothing)
    "triangle-apply-retention": {
        "task": "triangle.tasks.apply_retention",
        "schedule": crontab(minute=30, hour=2),
        "options": {"expires": 3 * 3600},
    },
    # daily at 05:30: referrals nobody answered within REFERRAL_EXPIRE_WORKING_DAYS expire
    "referrals-expire-unanswered": {
        "task": "referrals.tasks.expire_unanswered_referrals",
        "schedule": crontab(minute=30, hour=5),
        "options": {"expires": 6 * 3600},
    },
}
