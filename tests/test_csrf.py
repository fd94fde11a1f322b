"""CSRF is enforced on every state change (ASVS 4.2.2).

Every POST row of the permission matrix is sent without a token, as a role that may make the
change, through a client that enforces CSRF checks like a browser: 403 and nothing written.
The same request with a token reaches the view (so the 403 is really the CSRF check).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import ROLES
from tests.test_get_safety import database_fingerprint
from tests.test_permission_matrix import ROWS, world  # noqa: F401  (fixture)

POST_ROWS = [row for row in ROWS if row.method == "post"]


def _allowed_role(row) -> str:
    """A signed-in role the row expects to succeed, else any signed-in role."""
    signed_in = [r for r in ROLES if r != "anonymous"]
    for role in signed_in:
        if row.expected(role) in {200, 201, 204, 302}:
            return role
    return signed_in[0]


@pytest.mark.parametrize("row", POST_ROWS, ids=lambda r: f"{r.name}[{r.id}]" if r.id else r.name)
def test_post_without_csrf_token_is_refused(row, world):  # noqa: F811
    row.setup(world)
    role = _allowed_role(row)
    client = Client(enforce_csrf_checks=True)
    client.force_login(getattr(world, role))
    url = reverse(row.name, args=row.args(world)) + (f"?{row.query}" if row.query else "")
    data = row.data(world) if row.data else {}
    before = database_fingerprint()
    response = client.post(url, data)
    assert response.status_code == 403, f"{role} POST {url} without CSRF token"
    assert database_fingerprint() == before
    # with the token the request passes the CSRF check and gets the matrix' answer
    client.get(reverse("home"))
    token = client.cookies["csrftoken"].value
    response = client.post(url, data, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == row.expected(role)


@pytest.mark.parametrize(
    "name", ["account_login", "account_logout", "set_language", "mfa_activate_totp"]
)
def test_library_forms_also_need_the_token(name, adviser_a):
    client = Client(enforce_csrf_checks=True)
    if name != "account_login":
        client.force_login(adviser_a)
    assert client.post(reverse(name), {}).status_code == 403


def test_no_project_view_is_csrf_exempt():
    exempt = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and getattr(p.callback, "csrf_exempt", False):
                exempt.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    assert exempt == []
