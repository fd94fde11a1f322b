from django.core.management import call_command

from triangle.models import ContactEntry, Membership, Organisation, Role, Team, User


def _fingerprint():
    return {
        "orgs": sorted(Organisation.objects.values_list("slug", "kind", "federal_state")),
        "teams": sorted(Team.objects.values_list("organisation__slug", "name")),
        "users": sorted(User.objects.values_list("username", "first_name", "last_name")),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "organisation__slug", "role")
        ),
        "contacts": ContactEntry.objects.count(),
    }


def test_seed_demo_twice_gives_the_same_data(db):
    call_command("seed_demo", verbosity=0)
    first = _fingerprint()
    call_command("seed_demo", verbosity=0)
    assert _fingerprint() == first
    assert len(first["orgs"]) == 7


def test_seed_demo_has_a_login_for_every_role_in_two_job_centres_and_two_providers(db):
    call_command("seed_demo", verbosity=0)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    advisers = Membership.objects.filter(role=Role.ADVISER, organisation__kind="job_centre")
    assert advisers.values("organisation").distinct().count() == 2
    provider_staff = Membership.objects.filter(role=Role.PROVIDER_STAFF)
    assert provider_staff.values("organisation").distinct().count() >= 2
