"""Response headers and cookie flags (ASVS V3, V14): CSP, HSTS, no-store, cookie attributes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_csp_allows_only_own_scripts_and_styles(client_for, adviser_a):
    csp = _csp(client_for(adviser_a).get(reverse("home")))
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in " ".join(sum(csp.values(), []))
    assert "'unsafe-eval'" not in " ".join(sum(csp.values(), []))


def test_csp_also_on_the_login_page(client):
    assert "script-src 'self'" in client.get(reverse("account_login"))["Content-Security-Policy"]


def test_pages_for_signed_in_users_are_not_stored(client_for, adviser_a):
    response = client_for(adviser_a).get(reverse("home"))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_security_headers(client_for, adviser_a):
    response = client_for(adviser_a).get(reverse("home"), secure=True)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_session_and_csrf_cookies_are_secure_httponly_samesite(client, adviser_a):
    client.get(reverse("account_login"))
    response = client.post(
        reverse("account_login"), {"login": "adviser_a", "password": settings.DEMO_PASSWORD}
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_production_defaults_are_strict():
    """The test settings run with DEBUG off, so they are the production defaults."""
    assert not settings.DEBUG
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert not settings.ACCOUNT_LOGOUT_ON_GET


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_TEMPLATE_PATTERNS = [
    (_INLINE_SCRIPT, "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "on…= event handler"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "inline style="),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def _templates():
    return sorted(
        p
        for p in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in p.parts and "node_modules" not in p.parts
    )


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_nothing_the_csp_would_block(path):
    text = path.read_text()
    # JSON data blocks are not executed and are allowed by the CSP.
    text = re.sub(r'<script[^>]*type="application/json"[^>]*>.*?</script>', "", text, flags=re.S)
    found = [label for pattern, label in _TEMPLATE_PATTERNS if pattern.search(text)]
    assert not found, f"{path.relative_to(ROOT)}: {found}"


def test_session_cookie_uses_the_host_prefix_in_production(tmp_path):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "TRIANGLE_TESTING": "0",
        "SECRET_KEY": "x" * 60,
        "DATA_DIR": str(tmp_path),
    }
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'triangle.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(  # noqa: S603 - fixed command, our own interpreter
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.split() == ["__Host-sessionid", "True", "True"], result.stderr


def test_passwords_need_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("Kurz-Pw-123")  # 11
    validate_password("Lang-genug-42")


def test_uploaded_spreadsheets_are_parsed_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
