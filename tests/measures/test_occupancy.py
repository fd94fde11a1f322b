"""The occupancy selector over hand-built cases (DOMAIN.md "Occupancy")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from measures.models import EntryMode, Measure, Run
from measures.selectors import occupancy_of_measure, occupied_places_of_run, starts_within
from referrals.models import Referral
from tests.factories import MeasureFactory, RunFactory
from triangle.models import Participant

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db
STARTED_ONCE = {"started", "interrupted", "completed", "dropped_out"}


@pytest.fixture
def refer(jc_a):
    counter = iter(range(1, 10_000))

    def _refer(run, *statuses):
        now = timezone.now()
        for status in statuses:
            n = next(counter)
            participant = Participant.objects.create(
                job_centre=jc_a, customer_number=f"123D{n:06d}", first_name="Tn", last_name=str(n)
            )
            Referral.objects.create(
                participant=participant,
                run=run,
                status=status,
                actual_start=TODAY if status in STARTED_ONCE else None,
                decline_reason="other" if status == "declined" else "",
                status_changed_at=now,
                created_at=now,
            )

    return _refer


def _run(runs, pk) -> Run:
    return next(r for r in runs if r.pk == pk)


def test_run_occupancy_counts_accepted_started_interrupted_as_occupied(refer):
    run = RunFactory(places=10)
    refer(run, "accepted", "started", "started", "interrupted", "waitlisted", "waitlisted")
    refer(run, "recommended", "submitted", "declined", "no_show", "completed", "dropped_out")
    refer(run, "withdrawn", "expired")
    row = Run.objects.with_occupancy().get(pk=run.pk)
    assert (row.occupied, row.in_measure, row.waiting, row.free) == (4, 3, 2, 6)
    assert row.occupancy_rate == pytest.approx(0.3)


def test_run_without_referrals_reads_zero_and_without_places_has_no_rate(refer):
    empty = RunFactory(places=8)
    no_places = RunFactory(places=0)
    runs = list(Run.objects.with_occupancy())
    assert (_run(runs, empty.pk).occupied, _run(runs, empty.pk).free) == (0, 8)
    assert _run(runs, empty.pk).occupancy_rate == 0
    assert _run(runs, no_places.pk).occupancy_rate is None
    assert _run(runs, no_places.pk).free == 0


def test_free_places_never_go_below_zero(refer):
    run = RunFactory(places=3)
    refer(run, "started", "started", "started")
    # A run shrunk after the fact (e.g. by an import) reads as full, not -1.
    Run.objects.filter(pk=run.pk).update(places=2)
    assert Run.objects.with_occupancy().get(pk=run.pk).free == 0
    assert occupied_places_of_run(run) == 3


def test_measure_occupancy_counts_runs_starting_and_ending_today(refer):
    measure = MeasureFactory()
    starts_today = RunFactory(measure=measure, start_date=TODAY, places=10)
    ends_today = RunFactory(
        measure=measure, start_date=TODAY - timedelta(days=60), end_date=TODAY, places=5
    )
    ended_yesterday = RunFactory(
        measure=measure,
        start_date=TODAY - timedelta(days=90),
        end_date=TODAY - timedelta(days=1),
        places=7,
    )
    starts_tomorrow = RunFactory(measure=measure, start_date=TODAY + timedelta(days=1), places=4)
    refer(starts_today, "accepted", "started")
    refer(ends_today, "started", "started", "interrupted", "waitlisted")
    refer(ended_yesterday, "started", "completed")
    refer(starts_tomorrow, "accepted")

    figures = occupancy_of_measure(measure)
    assert figures == {
        "places": 15,
        "occupied": 5,
        "in_measure": 4,
        "waiting": 1,
        "free": 10,
        "occupancy_rate": pytest.approx(4 / 15),
    }
    tomorrow = occupancy_of_measure(measure, TODAY + timedelta(days=1))
    assert (tomorrow["places"], tomorrow["occupied"]) == (14, 3)


def test_cancelled_runs_do_not_count(refer):
    measure = MeasureFactory()
    RunFactory(measure=measure, start_date=TODAY, places=10, status=Run.Status.CANCELLED)
    assert occupancy_of_measure(measure)["places"] == 0


def test_catalogue_figures_free_places_and_next_start(refer):
    measure = MeasureFactory()
    running = RunFactory(measure=measure, start_date=TODAY - timedelta(days=10), places=6)
    RunFactory(measure=measure, start_date=TODAY + timedelta(days=14), places=12)
    RunFactory(
        measure=measure,
        start_date=TODAY + timedelta(days=7),
        places=12,
        status=Run.Status.CANCELLED,
    )
    RunFactory(
        measure=measure,
        start_date=TODAY - timedelta(days=100),
        end_date=TODAY - timedelta(days=1),
        places=9,
    )
    refer(running, "started", "started", "accepted", "waitlisted")

    row = Measure.objects.with_catalogue_figures().get(pk=measure.pk)
    assert row.free_places == 3 + 12
    assert row.next_start == TODAY + timedelta(days=14)


def test_rolling_entry_measure_starts_today_while_its_open_run_runs(refer):
    rolling = MeasureFactory(entry_mode=EntryMode.ROLLING)
    RunFactory(measure=rolling, start_date=TODAY - timedelta(days=200), end_date=None, places=20)
    fixed_without_future = MeasureFactory()
    RunFactory(measure=fixed_without_future, start_date=TODAY - timedelta(days=5), places=5)

    rows = {m.pk: m for m in Measure.objects.with_catalogue_figures()}
    assert rows[rolling.pk].next_start == TODAY
    assert rows[rolling.pk].free_places == 20
    assert rows[fixed_without_future.pk].next_start is None
    found = set(starts_within(Measure.objects.all(), weeks=4).values_list("pk", flat=True))
    assert found == {rolling.pk}


def test_run_starting_today_counts_as_next_start_today():
    measure = MeasureFactory()
    RunFactory(measure=measure, start_date=TODAY, places=5)
    assert Measure.objects.with_catalogue_figures().get(pk=measure.pk).next_start == TODAY
    assert starts_within(Measure.objects.all(), weeks=1).count() == 1
