"""Handover: field-level sharing under consent, completeness, sending, acknowledgement, uploads."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from referrals.handover_services import (
    HandoverError,
    acknowledge_handover,
    add_handover_document,
    save_handover,
    send_handover,
)
from referrals.models_handover import Handover
from tests.factories import ConsentFactory, MeasureFactory, ReferralFactory, RunFactory
from triangle.consent_services import withdraw_consent
from triangle.models import Notification
from triangle.models.consent import BARRIER_CATEGORIES

# One unmistakable text per category, so a test can tell exactly what leaked where.
MARKERS = {
    "goals": "ZIEL-7781",
    "contact": "KONTAKT-7782",
    "practical": "PRAKTISCH-7783",
    "earlier_measures": "FRUEHER-7784",
    **{c.value: f"HINDERNIS-{c.value.upper()}" for c in BARRIER_CATEGORIES},
}
ALLOWED = {"contact", "goals", "barrier_health"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _full_data():
    return {
        "reason_goals": f"Stabilisierung {MARKERS['goals']}",
        "next_steps": "Erstgespräch beim Träger",
        "strengths": "zuverlässig",
        "earlier_measures_note": f"Abbruch wegen Umzug {MARKERS['earlier_measures']}",
        "availability": f"vormittags {MARKERS['practical']}",
        "travel": "Bus",
        "childcare": "Kita bis 14 Uhr",
        "contact_preferences": f"lieber per SMS {MARKERS['contact']}",
        "meeting_at": None,
        "meeting_place": "",
        "meeting_is_video": False,
        "barriers": {c.value: MARKERS[c.value] for c in BARRIER_CATEGORIES},
    }


@pytest.fixture
def referral(participant_a, run_x, adviser_a, team_a):
    return ReferralFactory(participant=participant_a, run=run_x, adviser=adviser_a, team=team_a)


@pytest.fixture
def sent_handover(referral, adviser_a, provider_x_staff, django_capture_on_commit_callbacks):
    save_handover(referral, by=adviser_a, data=_full_data())
    with django_capture_on_commit_callbacks(execute=True):
        return send_handover(referral.handover, by=adviser_a)


@pytest.fixture
def consent(participant_a, adviser_a, provider_x):
    return ConsentFactory(
        participant=participant_a,
        recorded_by=adviser_a,
        categories=sorted(ALLOWED),
        recipients=[provider_x],
    )


def _sections(html: str) -> dict[str, str]:
    """category → that section's HTML on the handover page."""
    parts = re.split(r'(?=<section class="mb-3" aria-labelledby="section-)', html)
    result = {}
    for part in parts[1:]:
        category = re.search(r'data-category="([a-z_]+)"', part).group(1)
        result[category] = part.split("</section>")[0]
    return result


def _assert_exactly_shared(html: str, allowed: set[str]):
    sections = _sections(html)
    assert set(sections) == set(MARKERS)
    for category, marker in MARKERS.items():
        if category in allowed:
            assert marker in sections[category], category
            assert "nicht geteilt" not in sections[category], category
        else:
            assert "nicht geteilt" in sections[category], category
            assert marker not in html, category


# --- field-level sharing --------------------------------------------------------------------------
def test_provider_sees_exactly_the_consented_categories(
    client_for, provider_x_staff, sent_handover, consent, referral
):
    response = client_for(provider_x_staff).get(
        reverse("referrals:handover_detail", args=[referral.pk])
    )
    assert response.status_code == 200
    _assert_exactly_shared(response.content.decode(), ALLOWED)


def test_export_applies_the_same_rule(
    client_for, provider_x_staff, sent_handover, consent, referral
):
    response = client_for(provider_x_staff).get(
        reverse("referrals:handover_export", args=[referral.pk])
    )
    text = response.content.decode()
    for category, marker in MARKERS.items():
        assert (marker in text) == (category in ALLOWED), category
    assert text.count("nicht geteilt") == len(MARKERS) - len(ALLOWED)


def test_after_withdrawal_the_next_request_shows_not_shared(
    client_for, provider_x_staff, sent_handover, consent, referral, adviser_a
):
    client = client_for(provider_x_staff)
    url = reverse("referrals:handover_detail", args=[referral.pk])
    assert MARKERS["goals"] in client.get(url).content.decode()
    withdraw_consent(consent, by=adviser_a, how="in_writing")
    _assert_exactly_shared(client.get(url).content.decode(), set())


def test_after_expiry_the_next_request_shows_not_shared(
    client_for, provider_x_staff, sent_handover, consent, referral
):
    client = client_for(provider_x_staff)
    url = reverse("referrals:handover_detail", args=[referral.pk])
    _assert_exactly_shared(client.get(url).content.decode(), ALLOWED)
    consent.expires_on = timezone.localdate() - timedelta(days=1)
    consent.save(update_fields=["expires_on"])
    _assert_exactly_shared(client.get(url).content.decode(), set())


def test_consent_for_another_provider_shares_nothing_with_this_one(
    client_for, provider_x_staff, sent_handover, referral, participant_a, adviser_a, jc_a
):
    from tests.factories import ProviderFactory

    elsewhere = ProviderFactory()
    elsewhere.partners.add(jc_a)
    ConsentFactory(
        participant=participant_a,
        recorded_by=adviser_a,
        categories=list(MARKERS),
        recipients=[elsewhere],
    )
    html = client_for(provider_x_staff).get(
        reverse("referrals:handover_detail", args=[referral.pk])
    )
    _assert_exactly_shared(html.content.decode(), set())


def test_without_consent_the_provider_gets_the_minimum_and_is_told_so(
    client_for, provider_x_staff, sent_handover, referral, participant_a
):
    html = (
        client_for(provider_x_staff)
        .get(reverse("referrals:handover_detail", args=[referral.pk]))
        .content.decode()
    )
    assert participant_a.full_name in html
    assert participant_a.phone in html
    assert referral.run.measure.title in html
    assert "nur die Mindestangaben der Zuweisung geteilt" in html
    _assert_exactly_shared(html, set())


def test_job_centre_adviser_sees_everything(client_for, adviser_a, sent_handover, referral):
    html = client_for(adviser_a).get(reverse("referrals:handover_detail", args=[referral.pk]))
    _assert_exactly_shared(html.content.decode(), set(MARKERS))


def test_other_provider_and_other_job_centre_get_404(
    client_for, provider_y_staff, adviser_b, sent_handover, consent, referral, adviser_a
):
    document = add_handover_document(
        referral,
        by=adviser_a,
        upload=SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
        title="Lebenslauf",
        category="goals",
    )
    for user in (provider_y_staff, adviser_b):
        client = client_for(user)
        for url in (
            reverse("referrals:handover_detail", args=[referral.pk]),
            reverse("referrals:handover_export", args=[referral.pk]),
            reverse("referrals:handover_document", args=[document.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)


def test_provider_does_not_see_a_draft(client_for, provider_x_staff, referral, adviser_a, consent):
    save_handover(referral, by=adviser_a, data=_full_data())
    url = reverse("referrals:handover_detail", args=[referral.pk])
    assert client_for(provider_x_staff).get(url).status_code == 404


def test_documents_follow_their_category(
    client_for, provider_x_staff, sent_handover, consent, referral, adviser_a
):
    shared = add_handover_document(
        referral,
        by=adviser_a,
        upload=SimpleUploadedFile("a.pdf", PDF),
        title="Attest",
        category="barrier_health",
    )
    hidden = add_handover_document(
        referral,
        by=adviser_a,
        upload=SimpleUploadedFile("b.pdf", PDF),
        title="Schuldnerberatung",
        category="barrier_debts",
    )
    client = client_for(provider_x_staff)
    html = client.get(reverse("referrals:handover_detail", args=[referral.pk])).content.decode()
    assert "Attest" in html
    assert "Schuldnerberatung" not in html
    response = client.get(reverse("referrals:handover_document", args=[shared.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("referrals:handover_document", args=[hidden.pk])).status_code == 404


# --- sending, e-mail, completeness ----------------------------------------------------------------
def test_sending_mails_only_a_link_without_personal_details(
    referral, adviser_a, provider_x_staff, participant_a, django_capture_on_commit_callbacks
):
    save_handover(referral, by=adviser_a, data=_full_data())
    with django_capture_on_commit_callbacks(execute=True):
        handover = send_handover(referral.handover, by=adviser_a)
    assert handover.status == Handover.Status.SENT
    assert handover.acknowledge_by > timezone.localdate()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [provider_x_staff.email]
    text = message.subject + message.body
    assert reverse("referrals:handover_detail", args=[referral.pk]) in message.body
    for personal in [
        participant_a.first_name,
        participant_a.last_name,
        participant_a.customer_number,
        participant_a.phone,
        participant_a.email,
        referral.run.measure.title,
        *MARKERS.values(),
    ]:
        assert personal not in text
    assert Notification.objects.filter(
        recipient_user=provider_x_staff, kind="handover_sent"
    ).exists()


def test_incomplete_handover_is_not_sent_and_names_what_is_missing(client_for, adviser_a, referral):
    save_handover(referral, by=adviser_a, data={"reason_goals": "Orientierung"})
    client = client_for(adviser_a)
    page = client.get(reverse("referrals:handover_edit", args=[referral.pk])).content.decode()
    assert "vereinbarte nächste Schritte" in page.lower() or "Vereinbarte nächste Schritte" in page
    response = client.post(reverse("referrals:handover_send", args=[referral.pk]), follow=True)
    html = response.content.decode()
    assert "Die Übergabe ist nicht vollständig. Es fehlt:" in html
    assert "Erreichbarkeit und Zeiten" in html
    assert "Kontaktwünsche" in html
    referral.handover.refresh_from_db()
    assert referral.handover.status == Handover.Status.DRAFT
    assert not mail.outbox


def test_a_recommendation_cannot_carry_a_handover_out(adviser_a, participant_a, run_x):
    informal = ReferralFactory(participant=participant_a, run=run_x, status="recommended")
    save_handover(informal, by=adviser_a, data=_full_data())
    with pytest.raises(HandoverError):
        send_handover(informal.handover, by=adviser_a)


def test_earlier_measures_come_from_the_system(
    client_for, adviser_a, sent_handover, referral, participant_a, provider_x, jc_a
):
    earlier_run = RunFactory(
        measure=MeasureFactory(provider=provider_x, title="Frühere Aktivierung"),
        start_date=timezone.localdate() - timedelta(days=400),
    )
    ReferralFactory(participant=participant_a, run=earlier_run, status="dropped_out")
    html = client_for(adviser_a).get(reverse("referrals:handover_detail", args=[referral.pk]))
    assert "Frühere Aktivierung" in html.content.decode()


# --- closed loop ----------------------------------------------------------------------------------
def test_provider_acknowledges_and_the_adviser_sees_it_in_my_referrals(
    client_for, provider_x_staff, adviser_a, sent_handover, referral
):
    response = client_for(provider_x_staff).post(
        reverse("referrals:handover_acknowledge", args=[referral.pk])
    )
    assert response.status_code == 302
    referral.handover.refresh_from_db()
    assert referral.handover.status == Handover.Status.ACKNOWLEDGED
    assert referral.handover.acknowledged_by == provider_x_staff
    assert Notification.objects.filter(recipient_user=adviser_a, kind="handover_acknowledged")
    html = client_for(adviser_a).get(reverse("referrals:my_referrals")).content.decode()
    assert "Übergabe bestätigt" in html


def test_overdue_acknowledgement_shows_in_my_referrals(client_for, adviser_a, sent_handover):
    Handover.objects.filter(pk=sent_handover.pk).update(
        acknowledge_by=timezone.localdate() - timedelta(days=1)
    )
    html = client_for(adviser_a).get(reverse("referrals:my_referrals")).content.decode()
    assert "Übergabe überfällig" in html


def test_open_handover_shows_in_my_referrals(client_for, adviser_a, sent_handover):
    html = client_for(adviser_a).get(reverse("referrals:my_referrals")).content.decode()
    assert "Übergabe offen" in html


def test_acknowledging_twice_changes_nothing(provider_x_staff, provider_x_manager, sent_handover):
    first = acknowledge_handover(sent_handover, by=provider_x_staff)
    again = acknowledge_handover(first, by=provider_x_manager)
    assert again.acknowledged_by == provider_x_staff
    assert first.events.count() == 2  # sent, acknowledged


def test_adviser_cannot_acknowledge(client_for, adviser_a, sent_handover, referral):
    response = client_for(adviser_a).post(
        reverse("referrals:handover_acknowledge", args=[referral.pk])
    )
    assert response.status_code == 403


def test_my_referrals_query_count_does_not_grow_with_handovers(
    client_for, adviser_a, participant_a, run_x, team_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(adviser_a)
    url = reverse("referrals:my_referrals")

    def add(n):
        for _ in range(n):
            r = ReferralFactory(
                participant=participant_a, run=run_x, adviser=adviser_a, team=team_a
            )
            save_handover(r, by=adviser_a, data=_full_data())

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(4)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


# --- bad input ------------------------------------------------------------------------------------
def test_wrong_upload_type_gets_a_german_message_and_keeps_the_title(
    client_for, adviser_a, referral
):
    response = client_for(adviser_a).post(
        reverse("referrals:handover_document_add", args=[referral.pk]),
        {
            "title": "Mein Lebenslauf",
            "category": "goals",
            "file": SimpleUploadedFile(
                "cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dieser Dateityp ist nicht erlaubt" in html
    assert 'value="Mein Lebenslauf"' in html
    assert not Handover.objects.filter(referral=referral, documents__isnull=False).exists()


def test_too_large_upload_gets_a_german_message(client_for, adviser_a, referral, settings):
    settings.MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024 + 1)
    response = client_for(adviser_a).post(
        reverse("referrals:handover_document_add", args=[referral.pk]),
        {"title": "Zeugnisse", "category": "goals", "file": SimpleUploadedFile("z.pdf", big)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Die Datei ist zu groß" in html
    assert 'value="Zeugnisse"' in html


def test_bad_handover_input_keeps_what_was_typed(client_for, adviser_a, referral):
    response = client_for(adviser_a).post(
        reverse("referrals:handover_edit", args=[referral.pk]),
        {
            "reason_goals": "Neustart nach Elternzeit",
            "barrier_barrier_childcare": "Kita nur bis 13 Uhr",
            "meeting_at": "2026-13-45T99:00",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Neustart nach Elternzeit" in html
    assert "Kita nur bis 13 Uhr" in html
    assert "gültig" in html  # Django's German message for an invalid date and time
    assert not Handover.objects.filter(referral=referral).exists()


def test_adviser_saves_the_handover_through_the_form(client_for, adviser_a, referral):
    response = client_for(adviser_a).post(
        reverse("referrals:handover_edit", args=[referral.pk]),
        {
            "reason_goals": "Orientierung",
            "barrier_barrier_language": "Deutsch B1",
            "meeting_at": "2026-12-01T10:00",
            "meeting_place": "Videokonferenz",
            "meeting_is_video": "on",
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get(referral=referral)
    assert handover.barriers == {"barrier_language": "Deutsch B1"}
    assert handover.meeting_is_video
    assert handover.status == Handover.Status.DRAFT
