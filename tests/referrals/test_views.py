"""The referral pages end to end through the test client."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Referral, Status
from tests.factories import ParticipantFactory, ReferralFactory, RunFactory, TeamFactory
from triangle.models import Notification


def _queries(client, url, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx), response


def test_adviser_refers_in_a_minute_and_provider_accepts(
    participant_a, run_x, adviser_a, provider_x_staff, client_for
):
    client = client_for(adviser_a)
    url = reverse("referrals:create") + f"?run={run_x.pk}&participant={participant_a.pk}"
    page = client.get(url)
    assert participant_a.customer_number in page.content.decode()
    response = client.post(
        url,
        {
            "customer_number": participant_a.customer_number,
            "run": run_x.pk,
            "kind": "formal",
            "note": "Motiviert, sucht Struktur.",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == referral.get_absolute_url()
    assert referral.status == Status.SUBMITTED

    client = client_for(provider_x_staff)
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert participant_a.last_name in inbox
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]))
    client.post(
        reverse("referrals:act", args=[referral.pk, "start"]),
        {"start-actual_start": timezone.localdate().isoformat()},
    )
    client.post(
        reverse("referrals:act", args=[referral.pk, "complete"]),
        {
            "complete-end_date": timezone.localdate().isoformat(),
            "complete-destination": "employment",
        },
    )
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED and referral.destination == "employment"
    detail = client_for(adviser_a).get(referral.get_absolute_url()).content.decode()
    assert "Motiviert, sucht Struktur." in detail
    assert detail.count("border-start") == 4  # created, accepted, started, completed


def test_create_warns_about_full_run_active_referral_and_earlier_dropout(
    participant_a, run_x, adviser_a, client_for
):
    ReferralFactory(participant=participant_a, run=run_x, status="dropped_out", exit_reason="moved")
    for _ in range(2):
        ReferralFactory(run=run_x, status="accepted")
    ReferralFactory(participant=participant_a, status="started")
    client = client_for(adviser_a)
    data = {"customer_number": participant_a.customer_number, "run": run_x.pk, "kind": "formal"}
    response = client.post(reverse("referrals:create"), data)
    assert response.status_code == 200
    warnings = response.context["warnings"]
    assert warnings["run_full"] and warnings["active"] and warnings["dropped_out"]
    assert not Referral.objects.filter(participant=participant_a, status="submitted").exists()
    response = client.post(reverse("referrals:create"), {**data, "confirm": "on"})
    assert response.status_code == 302
    assert Referral.objects.filter(participant=participant_a, status="submitted").exists()


def test_adviser_of_other_job_centre_cannot_refer_foreign_participant(
    participant_a, run_x, adviser_b, client_for
):
    client = client_for(adviser_b)
    url = reverse("referrals:create") + f"?participant={participant_a.pk}"
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("referrals:create"),
        {"customer_number": participant_a.customer_number, "run": run_x.pk, "kind": "formal"},
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_provider_sees_only_own_measures_referrals(
    participant_a, run_x, provider_x_staff, provider_y_staff, adviser_b, client_for
):
    referral = ReferralFactory(participant=participant_a, run=run_x)
    for user in (provider_y_staff, adviser_b):
        assert client_for(user).get(referral.get_absolute_url()).status_code == 404
        assert (
            participant_a.last_name
            not in client_for(user)
            .get(
                reverse("referrals:inbox" if user == provider_y_staff else "referrals:my_referrals")
            )
            .content.decode()
        )
    page = client_for(provider_x_staff).get(referral.get_absolute_url()).content.decode()
    assert participant_a.last_name in page
    assert participant_a.customer_number not in page  # minimum data for providers
    assert participant_a.date_of_birth.strftime("%d.%m.%Y") not in page


def test_decline_without_reason_rerenders_with_error_and_keeps_note(
    participant_a, run_x, provider_x_staff, client_for
):
    referral = ReferralFactory(participant=participant_a, run=run_x)
    response = client_for(provider_x_staff).post(
        reverse("referrals:act", args=[referral.pk, "decline"]),
        {"decline-reason": "", "decline-note": "Keine Deutschkenntnisse"},
    )
    assert response.status_code == 400
    assert "Keine Deutschkenntnisse" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


def test_full_run_accept_shows_waiting_list_hint(
    make_participant, run_x, provider_x_staff, client_for
):
    for _ in range(2):
        ReferralFactory(participant=make_participant(), run=run_x, status="accepted")
    referral = ReferralFactory(participant=make_participant(), run=run_x)
    client = client_for(provider_x_staff)
    response = client.post(reverse("referrals:act", args=[referral.pk, "accept"]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("waiting list" in m or "Warteliste" in m for m in messages)
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


def test_waitlist_offer_accept_walk(
    make_participant, measure_x, adviser_a, provider_x_staff, client_for
):
    run = RunFactory(measure=measure_x, places=1)
    first = ReferralFactory(participant=make_participant(), run=run, adviser=adviser_a)
    second = ReferralFactory(participant=make_participant(), run=run, adviser=adviser_a)
    provider = client_for(provider_x_staff)
    provider.post(reverse("referrals:act", args=[first.pk, "accept"]))
    provider.post(reverse("referrals:act", args=[second.pk, "waitlist"]))
    waiting = provider.get(reverse("referrals:inbox"), {"group": "waiting"}).content.decode()
    assert second.participant.last_name in waiting
    adviser = client_for(adviser_a)
    adviser.post(
        reverse("referrals:act", args=[first.pk, "withdraw"]), {"withdraw-reason": "started_work"}
    )
    second.refresh_from_db()
    assert second.has_open_offer
    assert Notification.objects.filter(
        recipient_user=adviser_a, kind=Notification.Kind.PLACE_OFFERED
    ).exists()
    provider = client_for(provider_x_staff)  # one test client: log the provider in again
    provider.post(reverse("referrals:act", args=[second.pk, "accept"]))
    second.refresh_from_db()
    assert second.status == Status.ACCEPTED


def test_messages_thread_between_adviser_and_provider(
    participant_a, run_x, adviser_a, provider_x_staff, client_for
):
    referral = ReferralFactory(participant=participant_a, run=run_x, adviser=adviser_a)
    client_for(provider_x_staff).post(
        reverse("referrals:post_message", args=[referral.pk]), {"body": "Termin am Montag?"}
    )
    page = client_for(adviser_a).get(referral.get_absolute_url()).content.decode()
    assert "Termin am Montag?" in page
    note = Notification.objects.get(recipient_user=adviser_a)
    assert "Montag" not in note.text
    response = client_for(adviser_a).get(reverse("referrals:open_notification", args=[note.pk]))
    assert response["Location"] == referral.get_absolute_url()
    note.refresh_from_db()
    assert note.is_read


def test_correction_button_only_for_the_author_within_a_day(
    participant_a, run_x, provider_x_staff, provider_x_manager, client_for
):
    referral = ReferralFactory(participant=participant_a, run=run_x)
    services.decline_referral(referral, by=provider_x_staff, reason="other")
    assert (
        "action-correct"
        in client_for(provider_x_staff).get(referral.get_absolute_url()).content.decode()
    )
    assert (
        "action-correct"
        not in client_for(provider_x_manager).get(referral.get_absolute_url()).content.decode()
    )
    client_for(provider_x_staff).post(
        reverse("referrals:act", args=[referral.pk, "correct"]), {"correct-note": "Versehen"}
    )
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED


def test_bulk_start_records_many_at_once(make_participant, run_x, provider_x_staff, client_for):
    run_x.places = 12
    run_x.save()
    referrals = [
        ReferralFactory(participant=make_participant(), run=run_x, status="accepted")
        for _ in range(12)
    ]
    day = timezone.localdate() - timedelta(days=1)
    response = client_for(provider_x_staff).post(
        reverse("referrals:bulk_start", args=[run_x.pk]),
        {"referrals": [r.pk for r in referrals], "actual_start": day.isoformat()},
    )
    assert response.status_code == 302
    assert Referral.objects.filter(status="started", actual_start=day).count() == 12


def test_team_lead_sees_team_referrals_adviser_only_own(
    jc_a, team_a, adviser_a, team_lead_a, run_x, client_for
):
    from tests.factories import member
    from triangle.models import Role

    other_team = TeamFactory(organisation=jc_a, name="Ü25")
    colleague = member(jc_a, Role.ADVISER, team=team_a)
    outsider = member(jc_a, Role.ADVISER, team=other_team)
    mine = ReferralFactory(
        run=run_x,
        adviser=adviser_a,
        team=team_a,
        participant=ParticipantFactory(job_centre=jc_a, last_name="Eigen"),
    )
    ReferralFactory(
        run=run_x,
        adviser=colleague,
        team=team_a,
        participant=ParticipantFactory(job_centre=jc_a, last_name="Kollege"),
    )
    ReferralFactory(
        run=run_x,
        adviser=outsider,
        team=other_team,
        participant=ParticipantFactory(job_centre=jc_a, last_name="Fremdteam"),
    )
    own = client_for(adviser_a).get(reverse("referrals:my_referrals")).content.decode()
    assert "Eigen" in own and "Kollege" not in own
    team = client_for(team_lead_a).get(reverse("referrals:my_referrals")).content.decode()
    assert "Eigen" in team and "Kollege" in team and "Fremdteam" not in team
    filtered = client_for(team_lead_a).get(
        reverse("referrals:my_referrals"), {"status": "submitted", "team": team_a.pk}
    )
    assert filtered.context["page"].paginator.count == 2
    assert mine.pk


@pytest.mark.parametrize("page", ["my_referrals", "inbox"])
def test_lists_keep_a_fixed_number_of_queries(
    page, make_participant, run_x, adviser_a, team_a, provider_x_staff, client_for
):
    user = adviser_a if page == "my_referrals" else provider_x_staff
    client = client_for(user)
    run_x.places = 100
    run_x.save()
    counts = []
    for n in (5, 15):
        for i in range(n):
            status = ["submitted", "waitlisted", "accepted", "started"][i % 4]
            ReferralFactory(
                participant=make_participant(),
                run=run_x,
                adviser=adviser_a,
                team=team_a,
                status=status,
                waitlisted_at=timezone.now() if status == "waitlisted" else None,
            )
        for group in ("new", "waiting"):
            count, _ = _queries(client, reverse(f"referrals:{page}"), group=group)
            counts.append(count)
    assert counts[:2] == counts[2:]


def test_referral_detail_keeps_a_fixed_number_of_queries(
    participant_a, run_x, adviser_a, provider_x_staff, client_for
):
    referral = ReferralFactory(participant=participant_a, run=run_x, adviser=adviser_a)
    client = client_for(adviser_a)
    counts = []
    for n in (2, 6):
        for _ in range(n):
            services.post_message(referral, by=provider_x_staff, body="Hallo")
        counts.append(_queries(client, referral.get_absolute_url())[0])
    assert counts[0] == counts[1]


def test_my_referrals_filters_by_measure_title_and_provider(
    participant_a, run_x, adviser_a, client_for
):
    from tests.factories import MeasureFactory

    other = RunFactory(
        measure=MeasureFactory(title="Gärtnerei aktiv", provider=run_x.measure.provider)
    )
    ReferralFactory(participant=participant_a, run=run_x, adviser=adviser_a)
    ReferralFactory(participant=participant_a, run=other, adviser=adviser_a, status="declined")
    client = client_for(adviser_a)
    response = client.get(reverse("referrals:my_referrals"), {"measure": "gärtnerei"})
    assert response.context["page"].paginator.count == 1
    response = client.get(
        reverse("referrals:my_referrals"), {"provider": run_x.measure.provider_id}
    )
    assert response.context["page"].paginator.count == 2
