"""Consent: the sharing rule (pure and with the database), record, withdraw, print, my data."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import ConsentFactory, ParticipantFactory, ProviderFactory
from triangle.consent_rules import ALL_CATEGORIES, categories_covered, shared_categories
from triangle.consent_services import ConsentError, record_consent, withdraw_consent
from triangle.models import Notification
from triangle.models.consent import Consent, ParticipantAccount

TODAY = date(2026, 3, 10)


class FakeConsent:
    def __init__(self, categories, given, expires=None, withdrawn=False):
        self.categories = categories
        self.date_given, self.expires_on = given, expires
        self.withdrawn_at = timezone.now() if withdrawn else None

    is_valid_on = Consent.is_valid_on


# --- the rule as a pure function --------------------------------------------------------------
def test_covered_categories_are_the_union_of_valid_consents():
    consents = [
        FakeConsent(["contact"], TODAY - timedelta(days=5)),
        FakeConsent(["goals", "barrier_health"], TODAY, TODAY + timedelta(days=1)),
    ]
    assert categories_covered(consents, on=TODAY) == {"contact", "goals", "barrier_health"}


def test_expired_consent_covers_nothing_from_the_day_after_expiry():
    consent = FakeConsent(["contact"], TODAY - timedelta(days=30), TODAY)
    assert categories_covered([consent], on=TODAY) == {"contact"}
    assert categories_covered([consent], on=TODAY + timedelta(days=1)) == set()


def test_withdrawn_or_future_consent_covers_nothing():
    withdrawn = FakeConsent(["contact"], TODAY - timedelta(days=3), withdrawn=True)
    future = FakeConsent(["goals"], TODAY + timedelta(days=1))
    assert categories_covered([withdrawn, future], on=TODAY) == set()


def test_unknown_category_codes_are_ignored():
    assert categories_covered([FakeConsent(["contact", "bank_details"], TODAY)], on=TODAY) == {
        "contact"
    }


# --- with the database --------------------------------------------------------------------------
@pytest.fixture
def participant(jc_a):
    return ParticipantFactory(
        job_centre=jc_a,
        first_name="Mia",
        last_name="Sonnenschein",
        street="Ahornweg 3",
        postcode="31582",
        city="Mittelfeld",
    )


def test_shared_categories_only_for_the_named_provider(participant, provider_x, adviser_a, jc_a):
    other = ProviderFactory()
    other.partners.add(jc_a)
    ConsentFactory(
        participant=participant,
        recorded_by=adviser_a,
        categories=["contact", "barrier_health"],
        recipients=[provider_x],
    )
    assert shared_categories(participant, provider_x) == {"contact", "barrier_health"}
    assert shared_categories(participant, other) == set()


def test_record_consent_refuses_expiry_before_date_given(participant, provider_x, adviser_a):
    with pytest.raises(ConsentError, match="Ablaufdatum"):
        record_consent(
            participant,
            by=adviser_a,
            purpose="measure",
            categories=["contact"],
            recipients=[provider_x],
            how_given="signed_form",
            date_given=timezone.localdate(),
            expires_on=timezone.localdate() - timedelta(days=1),
        )
    assert not Consent.objects.exists()


def test_record_consent_refuses_a_recipient_that_is_not_a_partner(
    participant, adviser_a, provider_y
):
    with pytest.raises(ConsentError):
        record_consent(
            participant,
            by=adviser_a,
            purpose="measure",
            categories=["contact"],
            recipients=[provider_y],
            how_given="signed_form",
            date_given=timezone.localdate(),
        )


def test_provider_cannot_record_consent(participant, provider_x, provider_x_staff):
    with pytest.raises(ConsentError):
        record_consent(
            participant,
            by=provider_x_staff,
            purpose="measure",
            categories=["contact"],
            recipients=[provider_x],
            how_given="signed_form",
            date_given=timezone.localdate(),
        )


def test_withdrawal_takes_effect_at_once_and_tells_recipients_without_personal_details(
    participant, provider_x, provider_x_staff, adviser_a, django_capture_on_commit_callbacks
):
    consent = ConsentFactory(
        participant=participant,
        recorded_by=adviser_a,
        categories=["contact", "barrier_debts"],
        recipients=[provider_x],
    )
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(consent, by=adviser_a, how="in_writing")
    assert shared_categories(participant, provider_x) == set()
    note = Notification.objects.get(recipient_user=provider_x_staff)
    assert note.kind == "consent_withdrawn"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [provider_x_staff.email]
    body = message.subject + message.body + note.text
    for personal in [
        "Mia",
        "Sonnenschein",
        participant.customer_number,
        participant.phone,
        participant.email,
        "Schulden",
        "debts",
    ]:
        assert personal not in body
    assert "http" in message.body


def test_withdrawing_twice_changes_nothing(participant, provider_x, adviser_a, team_lead_a):
    consent = ConsentFactory(
        participant=participant, recorded_by=adviser_a, recipients=[provider_x]
    )
    first = withdraw_consent(consent, by=adviser_a, how="verbal")
    again = withdraw_consent(consent, by=team_lead_a, how="in_writing")
    assert again.withdrawn_at == first.withdrawn_at
    assert again.withdrawn_by == adviser_a
    assert Notification.objects.count() == 0  # no provider staff exists in this test


# --- pages ----------------------------------------------------------------------------------------
def _form_data(provider, **over):
    data = {
        "purpose": "measure",
        "purpose_detail": "Aktivierungscoaching",
        "categories": ["contact", "goals"],
        "recipients": [provider.pk],
        "how_given": "signed_form",
        "witness": "",
        "date_given": timezone.localdate().isoformat(),
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    data.update(over)
    return data


def test_adviser_records_a_consent_through_the_form(client_for, adviser_a, participant, provider_x):
    response = client_for(adviser_a).post(
        reverse("consent_create", args=[participant.pk]), _form_data(provider_x)
    )
    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consent_detail", args=[consent.pk])
    assert consent.categories == ["contact", "goals"]
    assert list(consent.recipients.all()) == [provider_x]
    assert consent.recorded_by == adviser_a


def test_bad_consent_input_gets_german_messages_and_keeps_what_was_typed(
    client_for, adviser_a, participant, provider_x
):
    data = _form_data(
        provider_x,
        categories=[],
        recipients=[],
        how_given="verbal",
        purpose_detail="Teilnahme am Bewerbungstraining",
        date_given="2026-03-10",
        expires_on="2026-03-01",
    )
    response = client_for(adviser_a).post(reverse("consent_create", args=[participant.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte wählen Sie mindestens eine Datenkategorie." in html
    assert "Bitte wählen Sie mindestens eine empfangende Organisation." in html
    assert "Das Ablaufdatum darf nicht vor dem Datum der Einwilligung liegen." in html
    assert "Eine mündlich erteilte Einwilligung braucht den Namen einer Zeugin" in html
    assert 'value="Teilnahme am Bewerbungstraining"' in html
    assert 'value="2026-03-01"' in html
    assert not Consent.objects.exists()


def test_missing_required_consent_fields_are_named_in_german(client_for, adviser_a, participant):
    response = client_for(adviser_a).post(reverse("consent_create", args=[participant.pk]), {})
    html = response.content.decode()
    assert "Bitte wählen Sie einen Zweck." in html
    assert "Bitte wählen Sie, wie die Einwilligung erteilt wurde." in html
    assert "Bitte geben Sie das Datum der Einwilligung an." in html


def test_print_view_lists_exactly_the_recipients_and_categories(
    client_for, adviser_a, participant, provider_x, jc_a
):
    other = ProviderFactory(name="Träger Nicht Genannt")
    other.partners.add(jc_a)
    consent = ConsentFactory(
        participant=participant,
        recorded_by=adviser_a,
        categories=["contact", "barrier_childcare"],
        recipients=[provider_x],
    )
    html = client_for(adviser_a).get(reverse("consent_print", args=[consent.pk])).content.decode()
    assert "Mia Sonnenschein" in html
    assert participant.customer_number in html
    assert "Träger X" in html
    assert "Träger Nicht Genannt" not in html
    assert "Kontaktwünsche" in html
    assert "Hindernisse: Kinderbetreuung" in html
    assert "Hindernisse: Gesundheit" not in html
    assert "style=" not in html
    assert "consent_print.css" in html


def test_participant_withdraws_own_consent_with_one_click(
    client_for, participant_user, participant, provider_x, adviser_a
):
    ParticipantAccount.objects.create(user=participant_user, participant=participant)
    consent = ConsentFactory(
        participant=participant, recorded_by=adviser_a, recipients=[provider_x]
    )
    client = client_for(participant_user)
    page = client.get(reverse("my_data")).content.decode()
    assert "Träger X" in page
    assert reverse("consent_withdraw", args=[consent.pk]) in page
    response = client.post(reverse("consent_withdraw", args=[consent.pk]))
    assert response["Location"] == reverse("my_data")
    consent.refresh_from_db()
    assert consent.withdrawal_method == "digital"
    assert consent.withdrawn_by == participant_user
    assert shared_categories(participant, provider_x) == set()


def test_participant_cannot_see_or_withdraw_someone_elses_consent(
    client_for, participant_user, participant, provider_x, adviser_a, jc_a
):
    ParticipantAccount.objects.create(user=participant_user, participant=participant)
    stranger = ParticipantFactory(job_centre=jc_a)
    consent = ConsentFactory(participant=stranger, recorded_by=adviser_a, recipients=[provider_x])
    client = client_for(participant_user)
    assert client.get(reverse("consent_detail", args=[consent.pk])).status_code == 404
    assert client.post(reverse("consent_withdraw", args=[consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_provider_never_sees_consent_pages(
    client_for, provider_x_staff, participant, adviser_a, provider_x
):
    consent = ConsentFactory(
        participant=participant, recorded_by=adviser_a, recipients=[provider_x]
    )
    client = client_for(provider_x_staff)
    assert client.get(reverse("consent_detail", args=[consent.pk])).status_code == 404
    assert client.get(reverse("participant_consents", args=[participant.pk])).status_code == 404


def test_all_categories_are_offered_on_the_form(client_for, adviser_a, participant):
    html = client_for(adviser_a).get(reverse("consent_create", args=[participant.pk])).content
    assert html.decode().count('name="categories"') == len(ALL_CATEGORIES)
