"""Login security: MFA for staff, lockout, idle and absolute session timeout, session rotation."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from triangle.security import SESSION_STARTED_KEY

PASSWORD = settings.DEMO_PASSWORD


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def activate_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


@pytest.fixture(autouse=True)
def _fresh_axes_and_cache(db):
    from axes.models import AccessAttempt
    from django.core.cache import cache

    cache.clear()
    AccessAttempt.objects.all().delete()


# --- MFA --------------------------------------------------------------------------------------
@override_settings(REQUIRE_MFA=True)
def test_staff_without_totp_is_sent_to_the_totp_setup_page(client_for, adviser_a):
    response = client_for(adviser_a).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(REQUIRE_MFA=True)
@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "account_logout",
        "account_change_password",
        "account_reauthenticate",
    ],
)
def test_staff_without_totp_can_still_reach_mfa_setup_and_sign_out(client, adviser_a, name):
    sign_in(client, "adviser_a")
    response = client.get(reverse(name))
    assert response.status_code == 200


@override_settings(REQUIRE_MFA=True)
def test_admin_pages_also_require_totp(client_for, org_admin_a):
    response = client_for(org_admin_a).get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(REQUIRE_MFA=True)
def test_participant_does_not_need_totp(client_for, participant_user):
    assert client_for(participant_user).get(reverse("home")).status_code == 200


@override_settings(REQUIRE_MFA=True)
def test_staff_with_totp_passes(client_for, adviser_a):
    activate_totp(adviser_a)
    assert client_for(adviser_a).get(reverse("home")).status_code == 200


@override_settings(REQUIRE_MFA=False)
def test_mfa_not_enforced_when_switched_off(client_for, adviser_a):
    assert client_for(adviser_a).get(reverse("home")).status_code == 200


@override_settings(REQUIRE_MFA=True)
def test_sign_in_with_totp_asks_for_the_code_in_german(client, adviser_a):
    secret = activate_totp(adviser_a)
    response = sign_in(client, "adviser_a")
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    assert "Zwei-Faktor" in page.content.decode() or "Authenticator" in page.content.decode()
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@override_settings(REQUIRE_MFA=True)
def test_totp_activation_creates_recovery_codes(client, adviser_a):
    assert sign_in(client, "adviser_a")["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before an authenticator is added
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(
        user=adviser_a, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    assert client.get(reverse("home")).status_code == 200


@override_settings(REQUIRE_MFA=True)
def test_recovery_code_signs_in_instead_of_totp(client, adviser_a):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    activate_totp(adviser_a)
    code = RecoveryCodes.activate(adviser_a).get_unused_codes()[0]
    sign_in(client, "adviser_a")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


# --- Lockout (django-axes) --------------------------------------------------------------------
def test_lockout_page_in_german_after_too_many_failures(client, adviser_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "adviser_a", "wrong-password")
        assert response.status_code == 200
    response = sign_in(client, "adviser_a", "wrong-password")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Anmeldung" in text and "gesperrt" in text
    assert f"{int(settings.AXES_COOLOFF_TIME * 60)} Minuten" in text
    # even the right password does not get in while locked
    response = sign_in(client, "adviser_a")
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_successful_sign_in_resets_the_failure_counter(client, adviser_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "adviser_a", "wrong-password")
    assert sign_in(client, "adviser_a").status_code == 302
    client.post(reverse("account_logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "adviser_a", "wrong-password").status_code == 200
    assert sign_in(client, "adviser_a").status_code == 302


def test_lockout_of_one_user_does_not_lock_another(client, adviser_a, team_lead_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "adviser_a", "wrong-password")
    assert sign_in(client, "team_lead_a").status_code == 302


def test_failed_sign_in_says_nothing_about_whether_the_user_exists(client, adviser_a):
    known = sign_in(client, "adviser_a", "wrong-password").content.decode()
    unknown = sign_in(client, "nobody_here", "wrong-password").content.decode()
    error = "Der Anmeldename und/oder das Passwort sind leider falsch."
    assert error in known and error in unknown


# --- Sessions -------------------------------------------------------------------------------
def test_session_id_changes_at_sign_in(client, adviser_a):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    sign_in(client, "adviser_a")
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before != after
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_needs_post_and_then_invalidates_the_session(client, adviser_a):
    sign_in(client, "adviser_a")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("account_logout")).status_code == 200  # confirmation page only
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # replaying the old cookie does not get back in
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get(reverse("home")).status_code == 302


def test_idle_session_expires_after_thirty_minutes(client, adviser_a):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    sign_in(client, "adviser_a")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = Session.objects.get(session_key=key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    # activity pushes the expiry forward
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get(reverse("home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)
    # 30 idle minutes later the session is gone
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(reverse("home")).status_code == 302


def test_session_ends_twelve_hours_after_sign_in_even_when_active(client, adviser_a):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    sign_in(client, "adviser_a")
    session = client.session
    assert time.time() - session[SESSION_STARTED_KEY] < 60
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert client.get(reverse("home")).status_code == 302


def test_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "intruder", "email": "i@example.org", "password1": "x" * 12},
    )
    from triangle.models import User

    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code in {200, 302, 403}


def test_totp_secret_is_encrypted_at_rest(adviser_a):
    secret = activate_totp(adviser_a)
    stored = Authenticator.objects.get(user=adviser_a, type=Authenticator.Type.TOTP).data
    assert secret not in str(stored)
    assert stored["secret"].startswith("fernet:")
