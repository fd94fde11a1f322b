import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from measures.access import get_measure_for_user, get_run_for_user
from measures.models import Measure
from tests.factories import MeasureFactory, RunFactory


@pytest.fixture
def published(provider_x):
    return MeasureFactory(provider=provider_x, status=Measure.Status.PUBLISHED)


@pytest.fixture
def draft(provider_x):
    return MeasureFactory(provider=provider_x, status=Measure.Status.DRAFT)


def test_every_signed_in_user_sees_published_measures(
    published, adviser_a, adviser_b, provider_y_staff
):
    for user in (adviser_a, adviser_b, provider_y_staff):
        assert list(Measure.objects.visible_to(user)) == [published]


def test_drafts_and_archived_measures_only_for_their_provider(
    draft, provider_x, provider_x_staff, adviser_a, provider_y_staff
):
    archived = MeasureFactory(provider=provider_x, status=Measure.Status.ARCHIVED)
    assert set(Measure.objects.visible_to(provider_x_staff)) == {draft, archived}
    assert not Measure.objects.visible_to(adviser_a).exists()
    assert not Measure.objects.visible_to(provider_y_staff).exists()


def test_foreign_draft_is_404_and_published_read_only_is_403(
    draft, published, adviser_a, provider_y_staff
):
    with pytest.raises(Http404):
        get_measure_for_user(provider_y_staff, draft.pk)
    assert get_measure_for_user(adviser_a, published.pk) == published
    with pytest.raises(PermissionDenied):
        get_measure_for_user(adviser_a, published.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_measure_for_user(provider_y_staff, published.pk, write=True)


def test_provider_staff_and_manager_may_write_own_measures_and_runs(
    published, provider_x_staff, provider_x_manager
):
    run = RunFactory(measure=published)
    for user in (provider_x_staff, provider_x_manager):
        assert get_measure_for_user(user, published.pk, write=True) == published
        assert get_run_for_user(user, run.pk, write=True) == run


def test_run_of_foreign_draft_is_404(draft, adviser_a):
    run = RunFactory(measure=draft)
    with pytest.raises(Http404):
        get_run_for_user(adviser_a, run.pk)
