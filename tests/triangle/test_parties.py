import pytest
from django.urls import reverse

from tests.factories import ContactEntryFactory
from triangle.models import ContactEntry, Organisation


def test_user_sees_own_organisation_and_partners_only(
    adviser_a, jc_a, jc_b, provider_x, provider_y
):
    visible = set(Organisation.objects.visible_to(adviser_a))
    assert visible == {jc_a, provider_x}


def test_foreign_organisation_page_is_404(client_for, adviser_a, jc_b):
    response = client_for(adviser_a).get(reverse("organisation_detail", args=[jc_b.pk]))
    assert response.status_code == 404


def test_partner_organisation_page_shows_its_contacts(client_for, adviser_a, provider_x):
    ContactEntryFactory(organisation=provider_x, name="Katrin Hoffmann", topic="Aktivierung § 45")
    response = client_for(adviser_a).get(reverse("organisation_detail", args=[provider_x.pk]))
    assert response.status_code == 200
    assert "Katrin Hoffmann" in response.content.decode()


def test_contact_directory_lists_only_cooperating_organisations(
    client_for, adviser_a, jc_a, provider_x, provider_y
):
    ContactEntryFactory(organisation=jc_a, name="Team Leistung", topic="Geldleistungen U25")
    ContactEntryFactory(organisation=provider_x, name="Frau Hoffmann")
    ContactEntryFactory(organisation=provider_y, name="Geheimer Kontakt")
    page = client_for(adviser_a).get(reverse("contact_directory")).content.decode()
    assert "Team Leistung" in page and "Frau Hoffmann" in page
    assert "Geheimer Kontakt" not in page


def test_contact_directory_search_filters_by_topic(client_for, adviser_a, jc_a):
    ContactEntryFactory(organisation=jc_a, name="Team Leistung", topic="Geldleistungen U25")
    ContactEntryFactory(organisation=jc_a, name="Maßnahmebetreuung", topic="Verträge")
    page = (
        client_for(adviser_a).get(reverse("contact_directory"), {"q": "geldleist"}).content.decode()
    )
    assert "Team Leistung" in page
    assert "Maßnahmebetreuung" not in page


def test_contact_not_verified_for_180_days_is_marked(client_for, adviser_a, jc_a):
    import datetime

    old = datetime.date.today() - datetime.timedelta(days=200)
    ContactEntryFactory(organisation=jc_a, name="Alter Eintrag", last_verified_at=old)
    page = client_for(adviser_a).get(reverse("contact_directory")).content.decode()
    assert "seit 180 Tagen nicht bestätigt" in page
    assert ContactEntry.objects.get(name="Alter Eintrag").is_stale


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_start_page_shows_a_panel_per_role(client_for, adviser_a):
    page = client_for(adviser_a).get(reverse("home")).content.decode()
    assert "Beratungsfachkraft" in page
    assert 'lang="de"' in page


@pytest.mark.django_db
def test_login_page_is_german_by_default(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'lang="de"' in page
    assert "Bei Triangle anmelden" in page
    assert "Passwort vergessen?" in page


def test_login_with_wrong_password_shows_german_error_and_keeps_username(client, adviser_a):
    response = client.post(
        reverse("account_login"),
        {"login": "adviser_a", "password": "falsch"},
        REMOTE_ADDR="10.0.0.1",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anmeldename und/oder das Passwort sind leider falsch" in page
    assert 'value="adviser_a"' in page


def test_login_with_demo_password_lands_on_start_page(client, adviser_a, settings):
    response = client.post(
        reverse("account_login"),
        {"login": "adviser_a", "password": settings.DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Schön, dass Sie da sind" in response.content.decode()


def test_english_switch_translates_the_shell(client_for, adviser_a):
    client = client_for(adviser_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in page
    assert "Skip to main content" in page


@pytest.mark.django_db
def test_english_browser_still_gets_german_until_the_user_switches(client):
    page = client.get(
        reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert 'lang="de"' in page
    assert "Bei Triangle anmelden" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert 'lang="en"' in page
