"""Writes for measures, runs and open days. Views call exactly one of these."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from measures.models import Measure, OpenDay, OpenDaySignup, Run
from measures.selectors import occupied_places_of_run


class MeasureError(Exception):
    """A measure, run or open-day rule was broken; the message is shown to the user."""


# Weights: title beats summary beats the long texts.
SEARCH_VECTOR = (
    SearchVector("title", weight="A", config="german")
    + SearchVector("summary", weight="B", config="german")
    + SearchVector(
        "goals",
        "content",
        "target_group_details",
        "client_benefit",
        "city",
        weight="C",
        config="german",
    )
)


def refresh_search_vectors(measures: QuerySet) -> None:
    """Recompute the full-text column (PostgreSQL only; SQLite searches with LIKE)."""
    if connection.vendor == "postgresql":
        measures.update(search_vector=SEARCH_VECTOR)


@transaction.atomic
def save_measure(
    measure: Measure, *, by, provider=None, commissioners=None, contacts=None
) -> Measure:
    """Create or update a measure (from a form or an import row). Saving it counts as checking
    it, so it also sets "last verified"."""
    if provider is not None:
        measure.provider = provider
    if measure.pk is not None and measure.provider_id is None:
        raise MeasureError(_("A measure needs a provider."))
    now = timezone.now()
    measure.last_verified_at = now
    measure.last_verified_by = by
    measure.updated_at = now
    measure.save()
    if commissioners is not None:
        measure.commissioners.set(commissioners)
    if contacts is not None:
        bad = [c for c in contacts if c.organisation_id != measure.provider_id]
        if bad:
            raise MeasureError(_("Contact persons must belong to the provider."))
        measure.contacts.set(contacts)
    refresh_search_vectors(Measure.objects.filter(pk=measure.pk))
    return measure


@transaction.atomic
def verify_measure(measure: Measure, *, by) -> Measure:
    """ "Still correct": the provider confirms the measure's content today."""
    measure.last_verified_at = timezone.now()
    measure.last_verified_by = by
    measure.save(update_fields=["last_verified_at", "last_verified_by"])
    return measure


ALLOWED_STATUS_CHANGES = {
    Measure.Status.DRAFT: {Measure.Status.PUBLISHED, Measure.Status.ARCHIVED},
    Measure.Status.PUBLISHED: {Measure.Status.ARCHIVED, Measure.Status.DRAFT},
    Measure.Status.ARCHIVED: {Measure.Status.DRAFT, Measure.Status.PUBLISHED},
}


@transaction.atomic
def set_measure_status(measure: Measure, status: str, *, by) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.status == status:
        return measure
    if status not in ALLOWED_STATUS_CHANGES.get(measure.status, set()):
        raise MeasureError(_("This status change is not possible."))
    if status == Measure.Status.PUBLISHED and not measure.summary.strip():
        raise MeasureError(_("Add a short summary before publishing."))
    measure.status = status
    measure.updated_at = timezone.now()
    measure.save(update_fields=["status", "updated_at"])
    return measure


# --- runs ---------------------------------------------------------------------------------------
def check_run_places(run: Run, places: int) -> None:
    """Places can't drop below the places already taken (accepted, started, interrupted)."""
    if run.pk is None:
        return
    taken = occupied_places_of_run(run)
    if places < taken:
        raise MeasureError(
            _(
                "This run already has %(taken)d places taken. The number of places cannot be "
                "lower than that."
            )
            % {"taken": taken}
        )


@transaction.atomic
def save_run(run: Run, *, by) -> Run:
    """Create or update a run. Locks an existing run so a referral can't take a place between
    the check and the save."""
    if run.pk is not None:
        Run.objects.select_for_update().filter(pk=run.pk).first()
        check_run_places(run, run.places)
    if run.end_date and run.end_date < run.start_date:
        raise MeasureError(_("The end date must not be before the start date."))
    run.save()
    return run


# --- open days ----------------------------------------------------------------------------------
@transaction.atomic
def save_open_day(open_day: OpenDay, *, by) -> OpenDay:
    if open_day.pk is not None:
        OpenDay.objects.select_for_update().filter(pk=open_day.pk).first()
        taken = open_day.signups.count()
        if open_day.capacity < taken:
            raise MeasureError(
                _("%(taken)d people have already signed up; the capacity cannot be lower.")
                % {"taken": taken}
            )
    open_day.save()
    return open_day


@transaction.atomic
def sign_up_for_open_day(open_day: OpenDay, *, user) -> OpenDaySignup:
    """Sign ``user`` up; the open-day row lock serialises the capacity check."""
    open_day = OpenDay.objects.select_for_update().get(pk=open_day.pk)
    existing = open_day.signups.filter(user=user).first()
    if existing is not None:
        return existing
    if open_day.starts_at < timezone.now():
        raise MeasureError(_("This date has already passed."))
    if open_day.signups.count() >= open_day.capacity:
        raise MeasureError(_("Sorry, this date is fully booked."))
    organisation_ids = sorted(user.organisation_ids())
    return OpenDaySignup.objects.create(
        open_day=open_day,
        user=user,
        organisation_id=organisation_ids[0] if organisation_ids else None,
    )


@transaction.atomic
def cancel_open_day_signup(open_day: OpenDay, *, user) -> None:
    OpenDay.objects.select_for_update().filter(pk=open_day.pk).first()
    OpenDaySignup.objects.filter(open_day=open_day, user=user).delete()
