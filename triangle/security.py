"""Security middleware: absolute session lifetime, MFA for staff, no caching of personal data.

Order in ``settings.MIDDLEWARE``: after authentication and allauth's ``AccountMiddleware``.

- ``SessionLifetimeMiddleware`` ends a session ``SESSION_ABSOLUTE_SECONDS`` after sign-in, however
  active it was (the idle timeout is ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``).
- ``MfaRequiredMiddleware`` sends a signed-in staff user without an activated TOTP authenticator
  to the TOTP setup page while ``settings.REQUIRE_MFA`` is on; only the sign-in/out, MFA and
  language pages stay reachable until then.
- ``MfaAdapter`` encrypts the TOTP secret and the recovery-code seed in the database (allauth
  stores them in the clear by default).
- ``NoStoreMiddleware`` marks every response for a signed-in user ``no-store``: nearly every page
  shows social data, and a rule without exceptions cannot be forgotten on a new page.
"""

from __future__ import annotations

import base64
import hashlib
import time

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "triangle_auth_started"

# URL names a staff user may still open before MFA is set up (sign-out, MFA setup and
# re-authentication, language switch).
_MFA_EXEMPT_PREFIXES = ("mfa_", "account_")
_MFA_EXEMPT_NAMES = {"set_language"}


def requires_mfa(user) -> bool:
    """Staff (every role but participant) and Django admin users must use a second factor."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or user.is_staff_role)


def has_active_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _is_static(path: str) -> bool:
    return path.startswith(settings.STATIC_URL)


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is not None and time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Stamp after the view too, so the sign-in request itself starts the clock.
        if (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and SESSION_STARTED_KEY not in request.session
        ):
            request.session[SESSION_STARTED_KEY] = time.time()
        return response


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_MFA
            and not _is_static(request.path_info)
            and requires_mfa(request.user)
            and not self._exempt(request.path_info)
            and not has_active_totp(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Please set up two-factor authentication with an authenticator app "
                    "before you continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return False
        name = match.view_name or ""
        return name.startswith(_MFA_EXEMPT_PREFIXES) or name in _MFA_EXEMPT_NAMES


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _is_static(request.path_info):
            add_never_cache_headers(response)
        return response


class MfaAdapter(DefaultMFAAdapter):
    """Encrypt MFA secrets at rest with a key derived from ``SECRET_KEY`` (rotating the secret
    key therefore means re-enrolling TOTP)."""

    PREFIX = "fernet:"

    @staticmethod
    def _fernet() -> Fernet:
        digest = hashlib.sha256(f"triangle-mfa:{settings.SECRET_KEY}".encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, text: str) -> str:
        return self.PREFIX + self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if encrypted_text.startswith(self.PREFIX):
            return self._fernet().decrypt(encrypted_text[len(self.PREFIX) :].encode()).decode()
        return encrypted_text  # stored before encryption was switched on
