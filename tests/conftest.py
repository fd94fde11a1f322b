"""The named cast and the rules for tests that need real services.

Tests marked ``postgres``, ``redis``, ``browser`` or ``gettext`` run only when that part is
there. Outside CI they are skipped with a visible reason; in CI (``CI=true``) a missing part fails
the test instead, so nothing is silently left out there.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import JobCentreFactory, ProviderFactory, TeamFactory, member
from triangle.models import Role

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


_REQUIREMENTS = {
    "postgres": (lambda: settings.USES_POSTGRES, "needs PostgreSQL: set DATABASE_URL"),
    "redis": (_redis_available, "needs a reachable Redis: set REDIS_URL"),
    "browser": (
        lambda: Path(CHROMIUM).exists() and AXE_JS.exists(),
        f"needs Chromium at {CHROMIUM} and axe-core (npm install)",
    ),
    "gettext": (lambda: bool(shutil.which("xgettext")), "needs GNU gettext (xgettext)"),
}
_checked: dict[str, bool] = {}


def pytest_runtest_setup(item):
    for name, (check, reason) in _REQUIREMENTS.items():
        if item.get_closest_marker(name) is None:
            continue
        if name not in _checked:
            _checked[name] = check()
        if not _checked[name]:
            if IN_CI:
                pytest.fail(f"CI must not skip: {reason}")
            pytest.skip(reason)


# --- the cast ---------------------------------------------------------------------------------
@pytest.fixture
def jc_a(db):
    return JobCentreFactory(name="Jobcenter A", slug="jc-a", federal_state="NI")


@pytest.fixture
def jc_b(db):
    return JobCentreFactory(name="Jobcenter B", slug="jc-b", federal_state="SH")


@pytest.fixture
def provider_x(db, jc_a):
    provider = ProviderFactory(name="Träger X", slug="provider-x")
    provider.partners.add(jc_a)
    return provider


@pytest.fixture
def provider_y(db, jc_b):
    provider = ProviderFactory(name="Träger Y", slug="provider-y")
    provider.partners.add(jc_b)
    return provider


@pytest.fixture
def team_a(jc_a):
    return TeamFactory(organisation=jc_a, name="Integration U25")


@pytest.fixture
def adviser_a(jc_a, team_a):
    return member(jc_a, Role.ADVISER, team=team_a, username="adviser_a")


@pytest.fixture
def team_lead_a(jc_a, team_a):
    return member(jc_a, Role.TEAM_LEAD, team=team_a, username="team_lead_a")


@pytest.fixture
def benefits_officer_a(jc_a):
    return member(jc_a, Role.BENEFITS_OFFICER, username="benefits_a")


@pytest.fixture
def dpo_a(jc_a):
    return member(jc_a, Role.DATA_PROTECTION_OFFICER, username="dpo_a")


@pytest.fixture
def org_admin_a(jc_a):
    return member(jc_a, Role.ORG_ADMIN, username="org_admin_a", is_staff=True)


@pytest.fixture
def provider_x_staff(provider_x):
    return member(provider_x, Role.PROVIDER_STAFF, username="provider_x_staff")


@pytest.fixture
def provider_x_manager(provider_x):
    return member(provider_x, Role.PROVIDER_MANAGER, username="provider_x_manager")


@pytest.fixture
def provider_y_staff(provider_y):
    return member(provider_y, Role.PROVIDER_STAFF, username="provider_y_staff")


@pytest.fixture
def adviser_b(jc_b):
    return member(jc_b, Role.ADVISER, username="adviser_b")


@pytest.fixture
def participant_user(jc_a):
    return member(jc_a, Role.PARTICIPANT, username="participant_a")


@pytest.fixture
def client_for(client):
    """Log a test client in as the given user: ``client_for(adviser_a)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
