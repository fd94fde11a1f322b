"""Browser tests: Debian's Chromium (browsers cannot be downloaded) against pytest-django's
live server, with axe-core from node_modules."""

import os

import pytest

from tests.conftest import AXE_JS, CHROMIUM

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread (fixtures, live server setup) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # German browser (as at a job centre); no CSP bypass needed by the app, only by axe injection.
    return {**browser_context_args, "locale": "de-DE", "bypass_csp": True}


@pytest.fixture
def axe():
    """Run axe-core on a page; return the serious and critical violations."""

    def run(page) -> list[dict]:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [v for v in result["violations"] if v.get("impact") in {"serious", "critical"}]

    return run


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} serious/critical accessibility violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"      at {', '.join(node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"         {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)
