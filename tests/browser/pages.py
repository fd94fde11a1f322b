"""The accessibility sweep: every page here is opened in Chromium as the given demo user and
checked with axe-core (no serious or critical violations).

Add your pages to ``PAGES``: ``Page(username, url)`` where ``url`` is a URL name (reversed without
arguments) or a path starting with "/". Use demo users from triangle/demo.py (the demo region is
seeded into the live server's database); a page that needs an object can take a path built from
a callable ``Page(username, lambda: f"/referrals/{...}/")`` that runs after seeding.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Page:
    username: str
    url: str | Callable[[], str]

    def path(self) -> str:
        url = self.url() if callable(self.url) else self.url
        return url if url.startswith("/") else reverse(url)


# One login per role of the demo region: each lands on its start page.
ROLE_USERS = {
    "adviser": "berater.a",
    "team_lead": "teamleitung.a",
    "benefits_officer": "leistung.a",
    "org_admin": "admin.a",
    "dpo": "datenschutz.a",
    "provider_staff": "traeger.x",
    "provider_manager": "leitung.x",
    "participant": "teilnehmer",
}

PAGES: list[Page] = [
    *(Page(username, "home") for username in ROLE_USERS.values()),
    Page("berater.a", "contact_directory"),
    Page("traeger.x", "contact_directory"),
    # Later issues: add their pages below, e.g. Page("berater.a", "measures:catalogue").
    # measures (issue 3)
    Page("berater.a", "measures:catalogue"),
    Page("berater.a", "/measures/?q=Bewerbung&free_places=on"),
    Page("berater.a", lambda: _measure_path("")),
    Page("traeger.x", "measures:my_measures"),
    Page("traeger.x", lambda: _measure_path("")),
    Page("traeger.x", lambda: _measure_path("edit/")),
    Page("traeger.x", lambda: _measure_path("runs/new/")),
    Page("leitung.x", "measures:import"),
    Page("leitung.x", "contact_directory"),
    Page("teamleitung.a", "contact_create"),
    # referrals and participants (issue 4)
    Page("berater.a", "referrals:my_referrals"),
    Page("berater.a", "/referrals/?status=waitlisted"),
    Page("berater.a", "referrals:create"),
    Page("berater.a", lambda: f"/referrals/new/?participant={_participant_pk()}"),
    Page("berater.a", lambda: f"/referrals/{_referral_pk('started')}/"),
    Page("berater.a", "participant_list"),
    Page("berater.a", "participant_create"),
    Page("berater.a", lambda: f"/participants/{_participant_pk()}/"),
    Page("berater.a", lambda: f"/participants/{_participant_pk()}/edit/"),
    Page("teamleitung.a", "referrals:my_referrals"),
    Page("traeger.x", "referrals:inbox"),
    Page("traeger.x", "/referrals/inbox/?group=waiting"),
    Page("traeger.x", "/referrals/inbox/?group=accepted"),
    Page("traeger.x", lambda: f"/referrals/{_referral_pk('submitted')}/"),
    Page("traeger.x", lambda: f"/referrals/{_referral_pk('accepted')}/"),
    Page("traeger.x", lambda: f"/referrals/runs/{_referral_run_pk('accepted')}/start/"),
]


def _measure_path(suffix: str) -> str:
    from measures.models import Measure

    measure = Measure.objects.filter(provider__slug="bw-lindenhof").order_by("pk").first()
    return f"/measures/{measure.pk}/{suffix}"


def _lindenhof_referrals(status: str):
    from referrals.models import Referral

    return Referral.objects.filter(
        status=status,
        run__measure__provider__slug="bw-lindenhof",
        participant__job_centre__slug="jc-mittelfeld",
    ).order_by("pk")


def _referral_pk(status: str) -> int:
    return _lindenhof_referrals(status).first().pk


def _referral_run_pk(status: str) -> int:
    return _lindenhof_referrals(status).first().run_id


def _participant_pk() -> int:
    return _lindenhof_referrals("completed").first().participant_id


# handover and consent (issue 5)
def _demo_participant_consent_path(suffix: str = "") -> str:
    from triangle.models.consent import ParticipantAccount

    participant = ParticipantAccount.objects.get(user__username="teilnehmer").participant
    return f"/consents/{participant.consents.order_by('-date_given').first().pk}/{suffix}"


def _demo_handover_referral_pk() -> int:
    from triangle.models.consent import ParticipantAccount

    participant = ParticipantAccount.objects.get(user__username="teilnehmer").participant
    return participant.referrals.get(handover__status="sent").pk


def _demo_participant_pk() -> int:
    from triangle.models.consent import ParticipantAccount

    return ParticipantAccount.objects.get(user__username="teilnehmer").participant_id


PAGES += [
    Page("teilnehmer", "my_data"),
    Page("berater.a", lambda: f"/participants/{_demo_participant_pk()}/consents/"),
    Page("berater.a", lambda: f"/participants/{_demo_participant_pk()}/consents/new/"),
    Page("berater.a", lambda: _demo_participant_consent_path()),
    Page("berater.a", lambda: _demo_participant_consent_path("print/")),
    Page("berater.a", lambda: f"/referrals/handovers/{_demo_handover_referral_pk()}/edit/"),
    Page("berater.a", lambda: f"/referrals/handovers/{_demo_handover_referral_pk()}/"),
    Page("traeger.x", lambda: f"/referrals/handovers/{_demo_handover_referral_pk()}/"),
]
