"""No GET changes anything: every GET row of the permission matrix, crawled as every role.

The world of each row is built once; every role is signed in before the first snapshot (signing
in writes rows by design); then each role fetches the page and the database must be identical:
a checksum over every row of every table, not only counts. Tables that record the reads
themselves (sessions, the read-access log) are left out.

The same crawl checks the headers every page with personal data must carry and that no page
has anything the Content-Security-Policy would block.
"""

import hashlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.matrix import ROLES
from tests.test_permission_matrix import ROWS, world  # noqa: F401  (fixture)

# Tables a GET may write by design: the session (idle timeout is refreshed on every request) and
# the access log of reads (triangle.audit.log_access).
WRITABLE_ON_GET = {"sessions.session", "triangle.accesslog"}

# Reviewed exceptions, as narrow as possible: URL name → tables it may write on GET.
# open_notification marks the user's own notification read before redirecting to its target (a
# read receipt; idempotent; the worst a forged GET can do is mark a notification read).
REVIEWED_GET_WRITES = {"referrals:open_notification": {"triangle.notification"}}

GET_ROWS = [row for row in ROWS if row.method == "get"]
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
_INLINE_HANDLER = re.compile(rb"<[^>]+\son[a-z]+\s*=", re.I)
_INLINE_STYLE = re.compile(rb"<[^>]+\sstyle\s*=", re.I)


def database_fingerprint() -> dict[str, str]:
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in WRITABLE_ON_GET or model._meta.proxy or not model._meta.managed:
            continue
        digest = hashlib.sha256()
        for values in model._base_manager.order_by("pk").values_list():
            digest.update(repr(values).encode())
        result[label] = digest.hexdigest()
    return result


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda r: f"{r.name}[{r.id}]" if r.id else r.name)
def test_get_changes_nothing_for_any_role(row, world):  # noqa: F811
    row.setup(world)
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(world, role))
        clients[role] = client
    url = reverse(row.name, args=row.args(world)) + (f"?{row.query}" if row.query else "")
    before = database_fingerprint()
    problems = []
    for role, client in clients.items():
        response = client.get(url)
        if role != "anonymous" and "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{role}: no Cache-Control: no-store")
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content
            for pattern, what in (
                (_INLINE_SCRIPT, "inline <script>"),
                (_INLINE_HANDLER, "on…= handler"),
                (_INLINE_STYLE, "style= attribute"),
            ):
                if pattern.search(body):
                    problems.append(f"{role}: {what} (blocked by the CSP)")
    changed = _changed(before, database_fingerprint())
    changed = [t for t in changed if t not in REVIEWED_GET_WRITES.get(row.name, set())]
    assert not changed, f"GET {url} changed these tables: {changed}"
    assert not problems, f"GET {url}: {problems}"
