"""No personal data in application logs (ASVS 7.1.1): seed a unique name, use the system at
DEBUG level, grep everything that was logged."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import (
    ConsentFactory,
    MeasureFactory,
    ParticipantFactory,
    ReferralFactory,
    RunFactory,
)

NAME = "Zephyrina-Logfrei"
CUSTOMER_NUMBER = "999Z123456"
EMAIL = "zephyrina.logfrei@example.org"
SECRETS = (NAME, CUSTOMER_NUMBER, EMAIL, "Logfrei")


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("", "django", "django.request", "axes", "allauth", "celery", "triangle"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    return caplog


def test_nothing_personal_reaches_the_logs(
    everything_logged,
    client,
    jc_a,
    provider_x,
    adviser_a,
    team_a,
    provider_x_staff,
    adviser_b,
    dpo_a,
):
    from triangle.retention import apply_retention

    run = RunFactory(measure=MeasureFactory(provider=provider_x, commissioners=[jc_a]), places=3)
    participant = ParticipantFactory(
        job_centre=jc_a,
        adviser=adviser_a,
        team=team_a,
        first_name=NAME,
        last_name=NAME,
        customer_number=CUSTOMER_NUMBER,
        email=EMAIL,
    )
    referral = ReferralFactory(participant=participant, run=run, adviser=adviser_a, note=NAME)
    ConsentFactory(participant=participant, recorded_by=adviser_a, recipients=[provider_x])

    client.force_login(adviser_a)
    client.get(reverse("participant_list"), {"q": NAME})
    client.get(reverse("participant_detail", args=[participant.pk]))
    client.get(reverse("referrals:detail", args=[referral.pk]))
    client.post(reverse("referrals:post_message", args=[referral.pk]), {"body": f"Hallo {NAME}"})
    client.get(reverse("participant_consents", args=[participant.pk]))
    client.force_login(provider_x_staff)
    client.get(reverse("referrals:inbox"))
    client.get(reverse("referrals:detail", args=[referral.pk]))
    client.post(reverse("referrals:act", args=[referral.pk, "accept"]))
    client.force_login(adviser_b)  # 404s are logged by django.request
    client.get(reverse("participant_detail", args=[participant.pk]))
    client.get(reverse("participant_list"), {"q": NAME})
    client.force_login(dpo_a)
    client.get(reverse("audit_log"), {"customer_number": CUSTOMER_NUMBER})
    client.get(reverse("privacy_export_json", args=[participant.pk]))
    client.logout()
    # failed sign-ins with a name as user name: axes and allauth must mask it
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": NAME, "password": "wrong"})
    apply_retention()

    assert len(everything_logged.records) > 5  # the capture works
    text = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in everything_logged.records
    )
    leaked = [s for s in SECRETS if s.lower() in text.lower()]
    assert leaked == [], f"personal data in logs: {leaked}"
