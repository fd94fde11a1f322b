from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import services
from tests.factories import ReferralFactory


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_adviser_start_page_shows_what_needs_doing_with_fixed_queries(
    make_participant, run_x, adviser_a, provider_x_staff, client_for
):
    client = client_for(adviser_a)
    counts = []
    for n in (2, 6):
        for _ in range(n):
            referral = ReferralFactory(participant=make_participant(), run=run_x, adviser=adviser_a)
            services.waitlist_referral(referral, by=provider_x_staff)
        count, body = _count(client)
        counts.append(count)
    assert counts[0] == counts[1]
    assert "waiting list" in body or "Warteliste" in body


def test_provider_start_page_counts_new_referrals(
    make_participant, run_x, provider_x_staff, client_for
):
    client = client_for(provider_x_staff)
    counts = []
    for n in (2, 6):
        for _ in range(n):
            ReferralFactory(participant=make_participant(), run=run_x)
        counts.append(_count(client)[0])
    assert counts[0] == counts[1]


def test_team_lead_start_page_has_fixed_queries(
    make_participant, run_x, team_a, team_lead_a, client_for
):
    client = client_for(team_lead_a)
    counts = []
    for n in (2, 6):
        for _ in range(n):
            ReferralFactory(participant=make_participant(), run=run_x, team=team_a)
        counts.append(_count(client)[0])
    assert counts[0] == counts[1]
