"""Retention: after the period everything personal is gone, statistics stay, twice is once."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from tests.factories import (
    ConsentFactory,
    MeasureFactory,
    ParticipantFactory,
    ReferralFactory,
    RunFactory,
    member,
)
from triangle.models import AccessLog, Notification, Participant, ParticipantAccount, Role, User
from triangle.retention import STUB_PREFIX, apply_retention, expired_participants

UNIQUE = "Xylophona-Retentiva"


def _old(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def world(jc_a, jc_b, provider_x, adviser_a, team_a, provider_x_staff):
    from referrals.models import ReferralEvent, ReferralMessage
    from referrals.models_handover import Handover, HandoverDocument

    measure = MeasureFactory(provider=provider_x, commissioners=[jc_a])
    run = RunFactory(measure=measure, places=10)
    long_ago = settings.RETENTION_DAYS_DEFAULT + 10

    expired = ParticipantFactory(
        job_centre=jc_a, adviser=adviser_a, team=team_a, first_name=UNIQUE, last_name=UNIQUE
    )
    referral = ReferralFactory(
        participant=expired,
        run=run,
        adviser=adviser_a,
        status="completed",
        note=f"Note about {UNIQUE}",
        status_changed_at=_old(long_ago),
    )
    ReferralEvent.objects.create(
        referral=referral, kind="transition", to_status="completed", note=UNIQUE, at=_old(long_ago)
    )
    ReferralMessage.objects.create(referral=referral, author=adviser_a, body=UNIQUE, at=_old(900))
    handover = Handover.objects.create(referral=referral, created_by=adviser_a, reason_goals=UNIQUE)
    document = HandoverDocument(
        handover=handover,
        category="goals",
        title=UNIQUE,
        content_type="application/pdf",
        size=8,
        uploaded_by=adviser_a,
    )
    document.file.save("cv.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    ConsentFactory(participant=expired, recorded_by=adviser_a, recipients=[provider_x])
    login = member(jc_a, Role.PARTICIPANT, username="expired_login", first_name=UNIQUE)
    ParticipantAccount.objects.create(user=login, participant=expired)
    Notification.objects.create(
        recipient_user=adviser_a, kind="message", text=UNIQUE, link=referral.get_absolute_url()
    )
    AccessLog.objects.create(
        user=adviser_a, action="read", participant_id=expired.pk, job_centre_id=jc_a.pk
    )

    no_referral = ParticipantFactory(job_centre=jc_a)
    Participant.objects.filter(pk=no_referral.pk).update(created_at=_old(long_ago))

    active = ParticipantFactory(job_centre=jc_a, last_name="Active")
    ReferralFactory(
        participant=active, run=run, status="completed", status_changed_at=_old(long_ago)
    )
    ReferralFactory(participant=active, run=run, status="started")

    recent = ParticipantFactory(job_centre=jc_a, last_name="Recent")
    ReferralFactory(participant=recent, run=run, status="dropped_out", status_changed_at=_old(30))

    restricted = ParticipantFactory(job_centre=jc_a, last_name="Restricted", restricted=True)
    ReferralFactory(
        participant=restricted, run=run, status="completed", status_changed_at=_old(long_ago)
    )

    jc_b.retention_days = 20  # a job centre with a short period of its own
    jc_b.save()
    short = ParticipantFactory(job_centre=jc_b, last_name="ShortPeriod")
    run_b = RunFactory(measure=MeasureFactory(provider=provider_x, commissioners=[jc_b]))
    ReferralFactory(participant=short, run=run_b, status="declined", status_changed_at=_old(25))
    return {
        "expired": [expired, no_referral, short],
        "kept": [active, recent, restricted],
        "referral": referral,
        "file": Path(document.file.path),
        "login": login,
        "run": run,
    }


def test_must_be_empty_after_the_job(world, django_capture_on_commit_callbacks):
    from referrals.models import Referral, ReferralEvent, ReferralMessage
    from referrals.models_handover import Handover, HandoverDocument
    from triangle.models import Consent

    assert world["file"].exists()
    statuses_before = sorted(Referral.objects.values_list("run_id", "status"))
    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention()
    assert result.participants == 3
    gone = [p.pk for p in world["expired"]]
    referral = world["referral"]

    must_be_empty = {
        "participant names": Participant.objects.filter(pk__in=gone).exclude(
            first_name="", last_name="", phone="", email="", street="", city=""
        ),
        "birth dates": Participant.objects.filter(pk__in=gone, date_of_birth__isnull=False),
        "real customer numbers": Participant.objects.filter(pk__in=gone).exclude(
            customer_number__startswith=STUB_PREFIX
        ),
        "referral notes": Referral.objects.filter(participant__in=gone).exclude(note=""),
        "event notes": ReferralEvent.objects.filter(referral__participant__in=gone).exclude(
            note=""
        ),
        "messages": ReferralMessage.objects.filter(referral__participant__in=gone),
        "handovers": Handover.objects.filter(referral__participant__in=gone),
        "documents": HandoverDocument.objects.filter(handover__referral__participant__in=gone),
        "consents": Consent.objects.filter(participant__in=gone),
        "participant logins": ParticipantAccount.objects.filter(participant__in=gone),
        "notifications": Notification.objects.filter(link__startswith=referral.get_absolute_url()),
        "login names": User.objects.filter(first_name=UNIQUE),
        "visible stubs": Participant.objects.filter(pk__in=gone, restricted=False),
    }
    leftovers = {name: qs.count() for name, qs in must_be_empty.items() if qs.exists()}
    assert leftovers == {}
    assert not world["file"].exists()
    login = User.objects.get(pk=world["login"].pk)
    assert not login.is_active and not login.has_usable_password()

    # statistics stay: the same referrals per run and status
    assert sorted(Referral.objects.values_list("run_id", "status")) == statuses_before
    # the access log keeps its ids
    assert AccessLog.objects.filter(participant_id=gone[0]).count() == 1
    # the kept ones are untouched
    for p in world["kept"]:
        fresh = Participant.objects.get(pk=p.pk)
        assert fresh.last_name == p.last_name and not fresh.customer_number.startswith(STUB_PREFIX)


def test_running_twice_changes_nothing_more(world):
    from tests.test_get_safety import database_fingerprint

    apply_retention()
    before = database_fingerprint()
    second = apply_retention()
    assert second.participants == 0 and second.rows_deleted == {}
    assert database_fingerprint() == before


def test_nothing_of_the_data_reaches_the_change_log(world):
    from auditlog.models import LogEntry

    apply_retention()
    for entry in LogEntry.objects.all():
        assert UNIQUE not in f"{entry.object_repr} {entry.changes} {entry.additional_data}"


def test_dry_run_report_lists_ids_and_changes_nothing(world, capsys):
    from tests.test_get_safety import database_fingerprint

    before = database_fingerprint()
    call_command("retention_report")
    out = capsys.readouterr().out
    assert database_fingerprint() == before
    assert "Total: 3 participant(s)" in out
    for p in world["expired"]:
        assert f"participant {p.pk}:" in out
    assert UNIQUE not in out
    assert apply_retention(dry_run=True).participants == 3


def test_job_logs_counts_only(world, caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        apply_retention()
    assert "retention: 3 participants anonymised" in caplog.text
    assert UNIQUE not in caplog.text


def test_periodic_task_is_scheduled_nightly_with_expiry():
    from triangle.celery import app

    entry = app.conf.beat_schedule["triangle-apply-retention"]
    assert entry["task"] == "triangle.tasks.apply_retention"
    assert entry["options"]["expires"] > 0


def test_task_runs_the_job(world):
    from triangle.tasks import apply_retention as task

    assert task.delay().get()["participants"] == 3 if settings.CELERY_TASK_ALWAYS_EAGER else True
    assert not expired_participants().exists()
