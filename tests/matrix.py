"""The permission matrix: every named URL × every role of the cast → expected status.

Each app keeps its rows in ``tests/<app>/matrix.py`` as ``ROWS: list[Row]``. The world (the cast
plus objects a row needs) is built per row by ``Row.setup``; objects belong to job centre A /
provider X, so users of job centre B and provider Y are "foreign" and must get 404.

A URL pattern of the project without a row fails ``test_every_url_has_a_matrix_row``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = [
    "anonymous",
    "adviser_a",
    "team_lead_a",
    "benefits_officer_a",
    "dpo_a",
    "org_admin_a",
    "provider_x_staff",
    "provider_x_manager",
    "participant_user",
    "adviser_b",
    "provider_y_staff",
]

# URL namespaces/names that belong to libraries with their own, separately tested access rules.
EXCLUDED_PREFIXES = ("admin:", "account_", "mfa_", "socialaccount_", "usersessions_")
EXCLUDED_NAMES = {"set_language"}  # POST-only language switch, open to everyone by design


@dataclass
class Row:
    """One URL. ``expect`` maps role → status; ``default`` covers roles not named."""

    name: str
    expect: dict[str, int] = field(default_factory=dict)
    default: int | None = None
    args: Callable[[SimpleNamespace], list] = lambda world: []
    setup: Callable[[SimpleNamespace], None] = lambda world: None
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] | None = None
    query: str = ""
    id: str = ""

    def expected(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        if role == "anonymous":
            return 302
        if self.default is None:
            raise AssertionError(f"matrix row {self.name}: no expectation for role {role}")
        return self.default


def staff(status_own: int, *, foreign: int = 404, participant: int = 404, **over) -> dict:
    """Shortcut: every staff role of A/X gets ``status_own``; B/Y get ``foreign``."""
    result = {
        r: status_own for r in ROLES if r not in {"anonymous", "adviser_b", "provider_y_staff"}
    }
    result.update(
        {"adviser_b": foreign, "provider_y_staff": foreign, "participant_user": participant}
    )
    result.update(over)
    return result


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return {n for n in names if not n.startswith(EXCLUDED_PREFIXES) and n not in EXCLUDED_NAMES}
