"""Participants: who sees them, search, the page with every referral, create and edit."""

import pytest
from django.urls import reverse

from tests.factories import MeasureFactory, ParticipantFactory, ReferralFactory, RunFactory
from triangle.models import Participant


@pytest.fixture
def lena(jc_a, adviser_a, team_a):
    return ParticipantFactory(
        job_centre=jc_a,
        adviser=adviser_a,
        team=team_a,
        first_name="Lena",
        last_name="Schmidt",
        customer_number="123D000045",
    )


def test_visible_to_job_centre_staff_not_other_job_centres(
    lena, adviser_a, benefits_officer_a, adviser_b, dpo_a
):
    assert list(Participant.objects.visible_to(adviser_a)) == [lena]
    assert list(Participant.objects.visible_to(benefits_officer_a)) == [lena]
    assert not Participant.objects.visible_to(adviser_b).exists()
    assert not Participant.objects.visible_to(dpo_a).exists()


def test_provider_sees_participant_only_through_a_referral_to_own_measure(
    lena, provider_x, provider_x_staff, provider_y_staff
):
    assert not Participant.objects.visible_to(provider_x_staff).exists()
    run = RunFactory(measure=MeasureFactory(provider=provider_x))
    ReferralFactory(participant=lena, run=run)
    ReferralFactory(participant=lena, run=run, status="declined")
    assert list(Participant.objects.visible_to(provider_x_staff)) == [lena]
    assert not Participant.objects.visible_to(provider_y_staff).exists()
    # but not the full record page
    assert not Participant.objects.visible_to(provider_x_staff, via_referrals=False).exists()


def test_restricted_participant_is_hidden(lena, adviser_a):
    Participant.objects.filter(pk=lena.pk).update(restricted=True)
    assert not Participant.objects.visible_to(adviser_a).exists()


@pytest.mark.parametrize(
    "query", ["Schmidt", "lena", "Lena Schmidt", "Schmidt, Lena", "123D000045"]
)
def test_search_by_name_or_customer_number(query, lena, adviser_a, client_for, jc_a):
    ParticipantFactory(job_centre=jc_a, first_name="Otto", last_name="Berg")
    response = client_for(adviser_a).get(reverse("participant_list"), {"q": query})
    assert "Schmidt" in response.content.decode()
    assert "Berg" not in response.content.decode()


def test_participant_list_has_fixed_query_count(
    jc_a, adviser_a, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(adviser_a)
    counts = []
    for n in (5, 15):
        for _ in range(n):
            p = ParticipantFactory(job_centre=jc_a, adviser=adviser_a)
            ReferralFactory(participant=p)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("participant_list")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_detail_shows_every_referral_including_dropouts_with_fixed_queries(
    lena, adviser_a, provider_x, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(adviser_a)
    counts = []
    for n in (2, 6):
        for i in range(n):
            run = RunFactory(measure=MeasureFactory(provider=provider_x, title=f"Kurs {n}-{i}"))
            ReferralFactory(participant=lena, run=run, status="dropped_out", exit_reason="sickness")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("participant_detail", args=[lena.pk]))
        counts.append(len(ctx))
    body = response.content.decode()
    assert "Kurs 6-5" in body and "Kurs 2-0" in body
    assert "abgebrochen" in body.lower() or "dropped out" in body.lower()
    assert counts[0] == counts[1]


def test_create_participant_keeps_typed_data_and_explains_errors_in_german(
    lena, adviser_a, client_for
):
    client = client_for(adviser_a)
    response = client.post(
        reverse("participant_create"),
        {"customer_number": "123d000045", "first_name": "Paul", "last_name": "", "email": "x"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Paul"' in body
    assert "Kundennummer" in body
    assert "existiert" in body  # duplicate customer number, in German
    assert Participant.objects.count() == 1


def test_adviser_creates_and_edits_a_participant(adviser_a, team_a, client_for):
    client = client_for(adviser_a)
    data = {
        "customer_number": "456X000001",
        "first_name": "Aylin",
        "last_name": "Demir",
        "preferred_language": "tr",
        "adviser": adviser_a.pk,
        "team": team_a.pk,
    }
    response = client.post(reverse("participant_create"), data)
    participant = Participant.objects.get(customer_number="456X000001")
    assert response.status_code == 302
    assert participant.job_centre_id in adviser_a.organisation_ids()
    response = client.post(
        reverse("participant_edit", args=[participant.pk]), {**data, "phone": "0151 1"}
    )
    participant.refresh_from_db()
    assert participant.phone == "0151 1"


def test_benefits_officer_reads_but_cannot_edit(lena, benefits_officer_a, client_for):
    client = client_for(benefits_officer_a)
    assert client.get(reverse("participant_detail", args=[lena.pk])).status_code == 200
    assert client.get(reverse("participant_edit", args=[lena.pk])).status_code == 403
