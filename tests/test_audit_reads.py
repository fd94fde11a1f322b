"""Every page that shows a participant's personal data records the read (ASVS 7.1.3, § 35 SGB I).

Generic over the permission matrix: each GET row's world is built, the page is fetched as every
role the matrix lets in (200), and if the page shows a participant's name or customer number,
an access-log entry for that request must exist. New pages are covered automatically.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ParticipantFactory
from tests.matrix import ROLES
from tests.test_permission_matrix import ROWS, world  # noqa: F401  (fixture)
from triangle.models import AccessLog, Participant

# Overview pages listing many participants by name (no single record is opened). Reviewed:
# they show name and status only, the detail behind each line is logged.
LIST_PAGES = {
    "home",
    "participant_list",
    "referrals:my_referrals",
    "referrals:inbox",
    "referrals:bulk_start",
    "referrals:create",
    "referrals:attendance",
    "dashboard",
    "audit_log",  # shows customer numbers of log entries to the DPO, itself an audit view
    "privacy_lookup",
}

GET_ROWS = [row for row in ROWS if row.method == "get" and row.name not in LIST_PAGES]


def _identifiers() -> list[str]:
    values = []
    for p in Participant.objects.all():
        values += [p.customer_number, f"{p.first_name} {p.last_name}", p.last_name]
    return [v for v in values if v and len(v) > 3]


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda r: f"{r.name}[{r.id}]" if r.id else r.name)
def test_page_showing_personal_data_logs_the_read(row, world):  # noqa: F811
    row.setup(world)
    url = reverse(row.name, args=row.args(world)) + (f"?{row.query}" if row.query else "")
    if not Participant.objects.exists():
        # Pages whose world has no participant must not start showing one unlogged either.
        ParticipantFactory(job_centre=world.jc_a, adviser=world.adviser_a, team=world.team_a)
    identifiers = _identifiers()
    unlogged = []
    for role in ROLES:
        if role == "anonymous" or row.expected(role) != 200:
            continue
        client = Client()
        client.force_login(getattr(world, role))
        before = AccessLog.objects.count()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="ignore")
        if any(i in text for i in identifiers) and AccessLog.objects.count() == before:
            unlogged.append(role)
    assert not unlogged, f"GET {url} shows personal data without an access-log entry: {unlogged}"
