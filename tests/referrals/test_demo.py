from django.core.management import call_command
from django.db.models import Count, Q

from measures.models import Run
from measures.selectors import with_run_occupancy
from referrals.models import ACTIVE, Referral, Status
from triangle.models import Participant


def test_demo_has_every_state_no_overbooking_and_one_active_referral_per_person(db):
    call_command("seed_demo", verbosity=0)
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    runs = list(with_run_occupancy(Run.objects.all()))
    assert all(run.occupied <= run.places for run in runs)
    assert any(run.free == 0 and run.waiting for run in runs)  # full, with a waiting list
    assert any(run.occupied and run.occupied < run.places * 0.6 for run in runs)  # under-occupied
    busy = Participant.objects.annotate(
        active=Count("referrals", filter=Q(referrals__status__in=ACTIVE))
    ).filter(active__gt=1)
    assert not busy.exists()
    assert Referral.objects.filter(participant__job_centre__slug="jc-nordhafen").exists()
    # every referral has a timeline that starts with its creation
    assert not Referral.objects.filter(events__isnull=True).exists()
    assert Referral.objects.filter(status=Status.WAITLISTED, offered_at__isnull=False).exists()
