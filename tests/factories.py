from datetime import date, timedelta

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

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        from measures.services import refresh_search_vectors

        if create:
            refresh_search_vectors(type(self).objects.filter(pk=self.pk))


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


# --- participants and referrals ---------------------------------------------------------------
class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "triangle.Participant"

    job_centre = factory.SubFactory(JobCentreFactory)
    customer_number = factory.Sequence(lambda n: f"123D{n:06d}")
    first_name = "Max"
    last_name = factory.Sequence(lambda n: f"Mustermann{n}")
    date_of_birth = date(1990, 5, 17)
    phone = "0151 2345678"
    email = factory.Sequence(lambda n: f"teilnehmer{n}@example.org")


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral row in any state, without events (for lists and occupancy).
    Use ``referrals.services`` to move referrals through the lifecycle."""

    class Meta:
        model = "referrals.Referral"

    participant = factory.SubFactory(ParticipantFactory)
    run = factory.SubFactory(RunFactory)
    status = "submitted"
    status_changed_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)
    actual_start = factory.LazyAttribute(
        lambda r: timezone.localdate()
        if r.status in ("started", "interrupted", "completed", "dropped_out")
        else None
    )
    decline_reason = factory.LazyAttribute(lambda r: "other" if r.status == "declined" else "")


# --- consent and handover ---------------------------------------------------------------------
class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "triangle.Consent"
        skip_postgeneration_save = True

    purpose = "measure"
    purpose_detail = "Teilnahme an der Maßnahme"
    categories = factory.LazyFunction(lambda: ["contact", "goals"])
    how_given = "signed_form"
    date_given = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=180))

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if create and extracted:
            self.recipients.add(*extracted)
