"""Rules over the permission matrix, and the library URLs the matrix leaves out.

- The participant role reaches only a reviewed list of pages: a new page opened to participants
  fails here until someone has looked at it.
- The URLs the matrix excludes (allauth ``account_*``, ``mfa_*``, ``admin:``) are checked by
  kind here: anonymous users only reach the sign-in and password-reset pages; the admin is for
  ``is_staff`` users only.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.matrix import EXCLUDED_PREFIXES
from tests.test_permission_matrix import ROWS

# Pages a participant may open (reviewed). Everything else must be 403/404 (or 302 to sign-in).
PARTICIPANT_PAGES = {
    "home",
    "healthz",
    "my_data",
    "consent_detail",  # redirects to their own consent page
    "consent_print",  # their own consent
    "consent_withdraw",  # withdrawing must be as easy as giving (Art. 7(3) GDPR)
    "organisation_detail",  # their job centre's address and contacts
    "contact_directory",
    # Public catalogue material (published measures, no personal data):
    "measures:catalogue",
    "measures:detail",
    "measures:flyer",
    "measures:open_day_detail",
    "measures:open_day_cancel",  # cancels only the user's own sign-up
}


def test_participant_reaches_only_reviewed_pages():
    opened = {row.name for row in ROWS if row.expected("participant_user") in (200, 201, 204, 302)}
    assert opened - PARTICIPANT_PAGES == set()


def test_matrix_excludes_only_library_urls():
    assert set(EXCLUDED_PREFIXES) <= {
        "admin:",
        "account_",
        "mfa_",
        "socialaccount_",
        "usersessions_",
    }


ANONYMOUS_MAY_OPEN = {
    "account_login",
    "account_signup",  # shows "sign-up closed"
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "account_logout",  # the confirmation page; signing out needs a POST
}


@pytest.mark.parametrize(
    "name",
    [
        "account_logout",
        "account_reauthenticate",
        "account_email",
        "account_change_password",
        "account_set_password",
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    ],
)
def test_account_and_mfa_pages_need_a_signed_in_user(db, name):
    response = Client().get(reverse(name))
    if name in ANONYMOUS_MAY_OPEN:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    "role", ["adviser_a", "dpo_a", "provider_x_staff", "participant_user", "adviser_b"]
)
def test_admin_is_closed_to_users_without_is_staff(role, request):
    user = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_org_admin_sees_no_participant_data_in_the_admin(client_for, org_admin_a):
    client = client_for(org_admin_a)
    assert client.get(reverse("admin:index")).status_code == 200
    for url in ("/admin/triangle/participant/", "/admin/auditlog/logentry/"):
        assert client.get(url).status_code in (403, 404)
