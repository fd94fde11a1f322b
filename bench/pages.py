"""Pages the benchmark measures. Add yours: ``BenchPage(name, demo username or None, path)``.

``path`` is a string, or a callable returning one; callables run in the benchmark process after
Django is set up against the benchmark database, so they may use ``reverse()`` and the ORM (for
example to find the id of a seeded object). ``username=None`` measures the page anonymously.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BenchPage:
    name: str
    username: str | None
    path: str | Callable[[], str]


# The trivial view every page is compared with (measured in the same run).
BASELINE = BenchPage("healthz", None, "/healthz")

PAGES: list[BenchPage] = [
    BenchPage("login", None, "/accounts/login/"),
    BenchPage("home-adviser", "berater.a", "/"),
    BenchPage("home-team-lead", "teamleitung.a", "/"),
    BenchPage("home-provider", "traeger.x", "/"),
    BenchPage("contacts", "berater.a", "/contacts/"),
    # measures (issue 3): the catalogue, the catalogue searched in German, a detail page
    BenchPage("catalogue", "berater.a", "/measures/"),
    BenchPage("catalogue-search", "berater.a", "/measures/?q=Bewerbung"),
    BenchPage("catalogue-filtered", "berater.a", "/measures/?free_places=on&starts_within_weeks=4"),
    BenchPage("measure-detail", "berater.a", lambda: _first_measure_path()),
    # referrals and participants (issue 4): fixed query count however many referrals
    BenchPage("my-referrals", "berater.a", "/referrals/"),
    BenchPage("my-referrals-filtered", "berater.a", "/referrals/?status=active"),
    BenchPage("team-referrals", "teamleitung.a", "/referrals/"),
    BenchPage("provider-inbox", "traeger.x", "/referrals/inbox/"),
    BenchPage("provider-inbox-waiting", "traeger.x", "/referrals/inbox/?group=waiting"),
    BenchPage("referral-detail", "berater.a", lambda: _referral_path()),
    BenchPage("participant-list", "berater.a", "/participants/"),
    BenchPage("participant-search", "berater.a", "/participants/?q=Schmidt"),
    BenchPage("participant-detail", "berater.a", lambda: _busiest_participant_path()),
]


def _first_measure_path() -> str:
    from measures.models import Measure

    pk = Measure.objects.published().order_by("pk").values_list("pk", flat=True).first()
    return f"/measures/{pk}/"


def _referral_path() -> str:
    from referrals.models import Referral

    pk = Referral.objects.filter(status="started").order_by("pk").values_list("pk", flat=True)[0]
    return f"/referrals/{pk}/"


def _busiest_participant_path() -> str:
    from django.db.models import Count

    from triangle.models import Participant

    pk = (
        Participant.objects.filter(job_centre__slug="jc-mittelfeld")
        .annotate(n=Count("referrals"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[0]
    )
    return f"/participants/{pk}/"
