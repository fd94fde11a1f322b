"""Contact directory: search across partner organisations, stale marker, maintenance."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactEntryFactory
from triangle.models import ContactEntry

TODAY = timezone.localdate()


def test_directory_searches_own_and_partner_organisations_only(
    client_for, adviser_a, jc_a, provider_x, provider_y
):
    ContactEntryFactory(organisation=jc_a, name="Team Leistung", topic="Geldleistungen U25")
    ContactEntryFactory(organisation=provider_x, name="Frau Hoffmann", topic="Geldleistungen")
    ContactEntryFactory(organisation=provider_y, name="Fremd", topic="Geldleistungen")
    response = client_for(adviser_a).get(reverse("contact_directory"), {"q": "geldleist"})
    names = [e.name for e in response.context["entries"]]
    assert sorted(names) == ["Frau Hoffmann", "Team Leistung"]


def test_directory_marks_and_filters_stale_entries(client_for, adviser_a, jc_a):
    ContactEntryFactory(organisation=jc_a, name="Aktuell")
    ContactEntryFactory(
        organisation=jc_a, name="Veraltet", last_verified_at=TODAY - timedelta(days=181)
    )
    client = client_for(adviser_a)
    page = client.get(reverse("contact_directory")).content.decode()
    assert page.count("seit 180 Tagen nicht bestätigt") == 1
    response = client.get(reverse("contact_directory"), {"stale": "1"})
    assert [e.name for e in response.context["entries"]] == ["Veraltet"]


def test_team_lead_creates_and_verifies_a_contact(client_for, team_lead_a, jc_a, team_a):
    client = client_for(team_lead_a)
    response = client.post(
        reverse("contact_create"),
        {
            "organisation": jc_a.pk,
            "team": team_a.pk,
            "name": "Team U25",
            "is_functional_mailbox": "on",
            "topic": "Geldleistungen für Team U25",
            "phone": "05021 9000-300",
            "email": "u25@example.org",
        },
    )
    assert response.status_code == 302
    entry = ContactEntry.objects.get(name="Team U25")
    assert (entry.last_verified_at, entry.last_verified_by) == (TODAY, team_lead_a)
    ContactEntry.objects.filter(pk=entry.pk).update(last_verified_at=TODAY - timedelta(days=300))
    client.post(reverse("contact_verify", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.last_verified_at == TODAY


def test_editor_cannot_create_contacts_for_another_organisation(
    client_for, team_lead_a, provider_x
):
    response = client_for(team_lead_a).post(
        reverse("contact_create"),
        {"organisation": provider_x.pk, "name": "X", "topic": "Y"},
    )
    assert response.status_code == 200
    assert not ContactEntry.objects.filter(name="X").exists()


def test_provider_manager_cannot_edit_job_centre_contacts(client_for, provider_x_manager, jc_a):
    entry = ContactEntryFactory(organisation=jc_a)
    client = client_for(provider_x_manager)
    assert client.get(reverse("contact_edit", args=[entry.pk])).status_code == 403
    assert client.post(reverse("contact_verify", args=[entry.pk])).status_code == 403
