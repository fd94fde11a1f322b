"""No overbooking, ever: concurrent accepts for the last places of a run (PostgreSQL).

Each thread has its own database connection and accepts a different referral of the same run at
the same moment (a barrier releases them together). With the run lock exactly ``places`` accepts
succeed. Two control experiments show the test is able to see a race:

* lock off *and* trigger off: the check-then-write race overbooks at least once in a few tries;
* lock off, trigger on: the database trigger alone still keeps the run within its places.
"""

import threading

import pytest
from django.db import connection, connections

from referrals import services
from referrals.models import OCCUPYING, Referral
from tests.factories import (
    MeasureFactory,
    ParticipantFactory,
    ProviderFactory,
    ReferralFactory,
    RunFactory,
)
from triangle.models import Role

THREADS = 10
PLACES = 3


@pytest.fixture
def run_with_referrals(transactional_db):
    from tests.factories import JobCentreFactory, member

    jc = JobCentreFactory(federal_state="NI")
    provider = ProviderFactory()
    staff = member(provider, Role.PROVIDER_STAFF)
    run = RunFactory(measure=MeasureFactory(provider=provider), places=PLACES)
    referrals = [
        ReferralFactory(run=run, participant=ParticipantFactory(job_centre=jc))
        for _ in range(THREADS)
    ]
    return run, referrals, staff


def _accept_all(referrals, staff, *, skip_guard=False) -> tuple[int, list[str]]:
    barrier = threading.Barrier(len(referrals))
    successes, errors = [], []

    def worker(referral):
        try:
            if skip_guard:
                with connection.cursor() as cursor:
                    cursor.execute("SET triangle.skip_place_guard = 'on'")
            barrier.wait(timeout=20)
            services.accept_referral(referral, by=staff)
            successes.append(referral.pk)
        except Exception as exc:  # noqa: BLE001 – every failure counts as "not accepted"
            errors.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(r,)) for r in referrals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return len(successes), errors


def _occupied(run) -> int:
    return Referral.objects.filter(run=run, status__in=OCCUPYING).count()


@pytest.mark.postgres
def test_concurrent_accepts_never_exceed_the_places(run_with_referrals):
    run, referrals, staff = run_with_referrals
    succeeded, errors = _accept_all(referrals, staff)
    assert succeeded == PLACES
    assert _occupied(run) == PLACES
    assert errors == ["RunFullError"] * (THREADS - PLACES)


@pytest.mark.postgres
def test_without_lock_and_trigger_the_race_overbooks(run_with_referrals, monkeypatch):
    """Control: proves the test above would catch a missing lock. The race is timing
    dependent, so it gets a few tries; it has to overbook at least once."""
    run, referrals, staff = run_with_referrals
    monkeypatch.setattr(services, "LOCK_RUN", False)
    overbooked = False
    for _ in range(5):
        Referral.objects.filter(run=run).update(status="submitted")
        succeeded, _errors = _accept_all(referrals, staff, skip_guard=True)
        if _occupied(run) > PLACES:
            overbooked = True
            break
    connections.close_all()
    assert overbooked, "expected the unlocked check-then-write to overbook at least once"


@pytest.mark.postgres
def test_trigger_alone_keeps_places_without_the_application_lock(run_with_referrals, monkeypatch):
    run, referrals, staff = run_with_referrals
    monkeypatch.setattr(services, "LOCK_RUN", False)
    succeeded, errors = _accept_all(referrals, staff)
    assert _occupied(run) == succeeded == PLACES
    assert len(errors) == THREADS - PLACES
