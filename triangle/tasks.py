import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "triangle:heartbeat"


@shared_task(name="triangle.tasks.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Periodic liveness task: writes the time it ran, so a health check can read it."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=600)
    logger.info("heartbeat: worker and beat are running (%s)", now)
    return now


@shared_task(name="triangle.tasks.apply_retention", ignore_result=True, acks_late=True)
def apply_retention() -> dict:
    """Nightly: delete or anonymise what has passed its retention period (idempotent)."""
    from triangle.retention import apply_retention as run

    return run().as_dict()
