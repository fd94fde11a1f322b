from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone

from triangle.models import ContactEntry, Membership, Organisation, Role, Team, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.JOB_CENTRE
    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    federal_state = "NI"
    city = "Mittelfeld"


class JobCentreFactory(OrganisationFactory):
    kind = Organisation.Kind.JOB_CENTRE
    name = factory.Sequence(lambda n: f"Jobcenter {n}")


class ProviderFactory(OrganisationFactory):
    kind = Organisation.Kind.PROVIDER
    name = factory.Sequence(lambda n: f"Träger {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(JobCentreFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(settings.DEMO_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(JobCentreFactory)
    role = Role.ADVISER


class ContactEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactEntry

    organisation = factory.SubFactory(JobCentreFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    topic = "Zuweisungen"
    phone = "0511 12345"
    last_verified_at = factory.LazyFunction(timezone.localdate)


def member(organisation, role, *, team=None, **user_kwargs) -> User:
    """Create a user holding ``role`` in ``organisation``."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation, team=team, role=role)
    return user


# --- measures ---------------------------------------------------------------------------------
class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.Measure"
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    summary = "Aktivierung und berufliche Orientierung in kleinen Gruppen."
    goals = "Stabilisierung, Bewerbungsunterlagen, erste Praktika."
    legal_basis = "sgb3_45"
    status = "published"
    city = "Mittelfeld"

    @factory.post_generation
    def commissioners(self, create, extracted, **kwargs):
        if create and extracted:
            self.commissioners.add(*extracted)


class RunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.Run"

    measure = factory.SubFactory(MeasureFactory)
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyAttribute(lambda r: r.start_date + timedelta(days=90))
    places = 12


class OpenDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.OpenDay"

    measure = factory.SubFactory(MeasureFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    place = "Lindenstraße 4, Mittelfeld"
    capacity = 10
