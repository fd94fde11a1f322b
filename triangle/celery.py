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
}
