"""Every URL × every role → expected status. Rows live in tests/<app>/matrix.py."""

import importlib
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.matrix import ROLES, project_url_names

APPS = ["triangle", "measures", "referrals", "feedback"]


def _rows():
    rows = []
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.matrix")
        except ModuleNotFoundError:
            continue
        rows.extend(module.ROWS)
    return rows


ROWS = _rows()


def test_every_url_has_a_matrix_row():
    covered = {row.name for row in ROWS}
    missing = project_url_names() - covered
    assert not missing, f"URL patterns without a permission matrix row: {sorted(missing)}"


@pytest.fixture
def world(request, db):  # `db` first: a dynamic request alone skips the test-database setup
    names = [
        "jc_a",
        "jc_b",
        "provider_x",
        "provider_y",
        "team_a",
        *[r for r in ROLES if r != "anonymous"],
    ]
    return SimpleNamespace(**{n: request.getfixturevalue(n) for n in names})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.name}[{r.id}]" if r.id else r.name)
def test_permission_matrix(row, role, world, client):
    row.setup(world)
    if role != "anonymous":
        client.force_login(getattr(world, role))
    url = reverse(row.name, args=row.args(world)) + (f"?{row.query}" if row.query else "")
    data = row.data(world) if row.data else {}
    response = getattr(client, row.method)(url, data)
    expected = row.expected(role)
    assert response.status_code == expected, f"{role} {row.method.upper()} {url}"
    if expected == 302 and role == "anonymous":
        assert reverse("account_login") in response["Location"]
