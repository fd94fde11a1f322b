from django.core import mail
from django.urls import reverse


def test_password_reset_mail_is_german_and_links_back(client, adviser_a):
    response = client.post(reverse("account_reset_password"), {"email": adviser_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [adviser_a.email]
    assert "Passwort" in message.subject
    assert "/accounts/password/reset/key/" in message.body


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
