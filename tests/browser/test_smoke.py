"""Smoke test in a real browser: every demo role signs in through the login form, lands on its
start page, and every page of the sweep (pages.py) passes axe-core without serious or critical
violations. Plus the German login page, the skip link and the language switch."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.browser.conftest import describe_violations
from tests.browser.pages import PAGES, ROLE_USERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo_settings(settings):
    # As in `make run`: demo mode over plain HTTP, no second factor.
    settings.REQUIRE_MFA = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def demo_region(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return live_server


def german(text: str) -> str:
    with translation.override("de"):
        return translation.gettext(text)


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def test_every_role_signs_in_and_every_sweep_page_passes_axe(demo_region, new_context, axe):
    base = demo_region.url
    problems: list[str] = []
    role_of = {username: role for role, username in ROLE_USERS.items()}
    usernames = list(dict.fromkeys(p.username for p in PAGES))
    assert set(ROLE_USERS.values()) <= set(usernames)
    for username in usernames:
        pages = [p for p in PAGES if p.username == username]
        context = new_context()
        page = context.new_page()
        try:
            sign_in(page, base, username)
            if page.url.rstrip("/") != base.rstrip("/"):
                problems.append(f"{username}: after sign-in at {page.url}, not the start page")
                continue
            role = role_of.get(username)
            if role and not page.locator(f"section[aria-labelledby='panel-{role}']").count():
                problems.append(f"{username}: start page lacks the {role} panel")
            for sweep_page in pages:
                path = sweep_page.path()
                response = page.goto(f"{base}{path}")
                if response is None or response.status != 200:
                    status = response.status if response else "no response"
                    problems.append(f"{username} {path}: HTTP {status}")
                    continue
                violations = axe(page)
                if violations:
                    problems.append(describe_violations(f"{username} {path}", violations))
        finally:
            context.close()
    assert not problems, "\n\n".join(problems)


def test_login_page_is_german(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "de"
    heading = german("Sign in to Triangle")
    assert heading != "Sign in to Triangle"
    assert page.locator("h1").inner_text().strip() == heading
    assert page.locator("main form button[type=submit]").inner_text().strip() == german("Sign in")


def test_skip_link_is_the_first_focusable_element(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    assert focused.is_visible()
    assert focused.inner_text().strip() == german("Skip to main content")
    assert page.locator("main#main").count() == 1


def test_language_switch_changes_to_english_and_back(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.locator("footer form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Sign in to Triangle"

    page.select_option("#language-select", "de")
    with page.expect_navigation():
        page.locator("footer form button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text().strip() == german("Sign in to Triangle")
