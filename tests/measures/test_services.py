import pytest

from measures.models import Measure, Run
from measures.services import (
    MeasureError,
    save_measure,
    save_run,
    set_measure_status,
    verify_measure,
)
from tests.factories import ContactEntryFactory, MeasureFactory, RunFactory


def test_publish_archive_and_back_to_draft(provider_x_staff, provider_x):
    measure = MeasureFactory(provider=provider_x, status=Measure.Status.DRAFT)
    for status in ("published", "archived", "draft", "published"):
        measure = set_measure_status(measure, status, by=provider_x_staff)
        assert Measure.objects.get(pk=measure.pk).status == status
    assert set_measure_status(measure, "published", by=provider_x_staff).status == "published"


def test_publishing_needs_a_summary(provider_x_staff, provider_x):
    measure = MeasureFactory(provider=provider_x, status=Measure.Status.DRAFT, summary=" ")
    with pytest.raises(MeasureError):
        set_measure_status(measure, "published", by=provider_x_staff)


def test_contacts_must_belong_to_the_provider(provider_x_staff, provider_x, jc_a):
    measure = MeasureFactory(provider=provider_x)
    with pytest.raises(MeasureError):
        save_measure(
            measure, by=provider_x_staff, contacts=[ContactEntryFactory(organisation=jc_a)]
        )


def test_verify_sets_who_and_when(provider_x_staff, provider_x):
    measure = verify_measure(MeasureFactory(provider=provider_x), by=provider_x_staff)
    assert measure.last_verified_by == provider_x_staff
    assert measure.needs_verification is False


def test_save_run_refuses_end_before_start(provider_x_staff):
    run = RunFactory.build(measure=MeasureFactory())
    run.end_date = run.start_date.replace(year=run.start_date.year - 1)
    with pytest.raises(MeasureError):
        save_run(run, by=provider_x_staff)
    assert not Run.objects.exists()
