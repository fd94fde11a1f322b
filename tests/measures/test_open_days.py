from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import OpenDaySignup
from measures.services import MeasureError, sign_up_for_open_day
from tests.factories import MeasureFactory, OpenDayFactory
from tests.factories import member as make_member
from triangle.models import Role


@pytest.fixture
def open_day(provider_x):
    return OpenDayFactory(measure=MeasureFactory(provider=provider_x), capacity=2)


def test_adviser_signs_up_and_cancels(client_for, adviser_a, open_day):
    client = client_for(adviser_a)
    client.post(reverse("measures:open_day_signup", args=[open_day.pk]))
    assert OpenDaySignup.objects.filter(open_day=open_day, user=adviser_a).exists()
    client.post(reverse("measures:open_day_signup", args=[open_day.pk]))  # twice: still once
    assert open_day.signups.count() == 1
    client.post(reverse("measures:open_day_cancel", args=[open_day.pk]))
    assert not open_day.signups.exists()


def test_capacity_is_guarded(adviser_a, team_lead_a, jc_a, open_day):
    sign_up_for_open_day(open_day, user=adviser_a)
    sign_up_for_open_day(open_day, user=team_lead_a)
    third = make_member(jc_a, Role.ADVISER)
    with pytest.raises(MeasureError, match="ausgebucht|fully booked"):
        sign_up_for_open_day(open_day, user=third)
    assert open_day.signups.count() == 2


def test_past_dates_take_no_sign_ups(adviser_a, provider_x):
    past = OpenDayFactory(
        measure=MeasureFactory(provider=provider_x),
        starts_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(MeasureError):
        sign_up_for_open_day(past, user=adviser_a)


def test_provider_sees_the_list_of_sign_ups_advisers_do_not(
    client_for, adviser_a, provider_x_staff, open_day
):
    sign_up_for_open_day(open_day, user=adviser_a)
    url = reverse("measures:open_day_detail", args=[open_day.pk])
    provider_page = client_for(provider_x_staff).get(url).content.decode()
    assert "Anmeldungen" in provider_page and adviser_a.email in provider_page
    adviser_page = client_for(adviser_a).get(url).content.decode()
    assert adviser_a.email not in adviser_page
    assert "Meine Anmeldung stornieren" in adviser_page


def test_provider_announces_an_open_day_with_validation(client_for, provider_x_staff, provider_x):
    measure = MeasureFactory(provider=provider_x)
    url = reverse("measures:open_day_create", args=[measure.pk])
    page = (
        client_for(provider_x_staff)
        .post(
            url,
            {
                "kind": "open_day",
                "starts_at": "2027-03-01T10:00",
                "ends_at": "2027-03-01T09:00",
                "place": "Lindenstraße 4",
                "capacity": "10",
            },
        )
        .content.decode()
    )
    assert "Das Ende muss nach dem Beginn liegen." in page
    assert 'value="Lindenstraße 4"' in page
