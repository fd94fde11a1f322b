"""Participant rights: Art. 15 export (print view + JSON) and Art. 18 restriction."""

import json

import pytest
from django.urls import reverse

from tests.factories import (
    ConsentFactory,
    MeasureFactory,
    ParticipantFactory,
    ReferralFactory,
    RunFactory,
)
from triangle.models import AccessLog, Participant

UNIQUE = "Brunhilde-Auskunftsrecht"


@pytest.fixture
def case(jc_a, provider_x, adviser_a, team_a):
    from referrals.models import ReferralMessage

    run = RunFactory(measure=MeasureFactory(provider=provider_x, commissioners=[jc_a]), places=5)
    participant = ParticipantFactory(
        job_centre=jc_a, adviser=adviser_a, team=team_a, last_name=UNIQUE
    )
    referral = ReferralFactory(participant=participant, run=run, adviser=adviser_a, note="N-1")
    from django.utils import timezone

    ReferralMessage.objects.create(
        referral=referral, author=adviser_a, body="Nachricht-42", at=timezone.now()
    )
    ConsentFactory(participant=participant, recorded_by=adviser_a, recipients=[provider_x])
    return participant, referral


def test_export_holds_everything_and_is_logged(client_for, case, dpo_a):
    participant, referral = case
    client = client_for(dpo_a)
    html = client.get(reverse("privacy_export", args=[participant.pk])).content.decode()
    for expected in (UNIQUE, participant.customer_number, "N-1", "Nachricht-42", "Träger X"):
        assert expected in html
    response = client.get(reverse("privacy_export_json", args=[participant.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    labels = [s["label"] for s in data["sections"]]
    assert len(labels) >= 4  # participant, referrals, events, messages, consents …
    text = json.dumps(data, ensure_ascii=False)
    assert UNIQUE in text and "Nachricht-42" in text
    exports = AccessLog.objects.filter(action="export", participant_id=participant.pk)
    assert exports.count() == 2 and {e.user for e in exports} == {dpo_a}


def test_restriction_hides_the_record_from_everyone_but_the_dpo(
    client, case, dpo_a, adviser_a, team_lead_a, provider_x_staff
):
    participant, referral = case
    client.force_login(dpo_a)
    response = client.post(reverse("privacy_restrict", args=[participant.pk]), {"restricted": "1"})
    assert response.status_code == 302
    assert Participant.objects.get(pk=participant.pk).restricted

    for user in (adviser_a, team_lead_a):
        client.force_login(user)
        assert client.get(reverse("participant_detail", args=[participant.pk])).status_code == 404
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
        listing = client.get(reverse("participant_list"), {"q": UNIQUE})
        assert participant not in listing.context["page"].object_list
        assert participant.customer_number not in listing.content.decode()
    client.force_login(provider_x_staff)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert UNIQUE not in inbox

    client.force_login(dpo_a)
    page = client.get(reverse("privacy_participant", args=[participant.pk]))
    assert page.status_code == 200 and UNIQUE in page.content.decode()
    found = client.get(reverse("privacy_lookup"), {"customer_number": participant.customer_number})
    assert UNIQUE in found.content.decode()

    client.post(reverse("privacy_restrict", args=[participant.pk]), {"restricted": "0"})
    client.force_login(adviser_a)
    assert client.get(reverse("participant_detail", args=[participant.pk])).status_code == 200


def test_restricted_records_are_left_out_of_every_scoped_queryset(
    case, adviser_a, provider_x_staff
):
    from django.apps import apps

    participant, referral = case
    Participant.objects.filter(pk=participant.pk).update(restricted=True)
    for user in (adviser_a, provider_x_staff):
        for model in apps.get_models():
            manager = model._default_manager
            if not hasattr(manager, "visible_to"):
                continue
            qs = manager.visible_to(user)
            names = {f.name for f in model._meta.get_fields()}
            if model is Participant:
                assert not qs.filter(pk=participant.pk).exists()
            elif "participant" in names:
                assert not qs.filter(participant=participant).exists(), model
            elif "referral" in names:
                assert not qs.filter(referral__participant=participant).exists(), model


def test_dpo_of_another_job_centre_cannot_use_the_rights_pages(client, case, jc_b):
    from tests.factories import member
    from triangle.models import Role

    participant, _ = case
    dpo_b = member(jc_b, Role.DATA_PROTECTION_OFFICER, username="dpo_b")
    client.force_login(dpo_b)
    for name in ("privacy_participant", "privacy_export", "privacy_export_json"):
        assert client.get(reverse(name, args=[participant.pk])).status_code == 404
    assert client.post(reverse("privacy_restrict", args=[participant.pk])).status_code == 404
    found = client.get(reverse("privacy_lookup"), {"customer_number": participant.customer_number})
    assert UNIQUE not in found.content.decode()
