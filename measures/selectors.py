"""Shared reads: occupancy (Auslastung) of runs and measures, and the catalogue query.

Occupancy follows DOMAIN.md: for a run, occupied = referrals ``accepted`` + ``started`` +
``interrupted``; free = places − occupied (never below 0); occupancy rate = (``started`` +
``interrupted``) / places; waiting = ``waitlisted``. Everything is computed in the database with
filtered counts and correlated subqueries, so a page costs the same number of queries for 10 or
10 000 rows. Referrals, dashboards and reminders all read places through this module.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from measures.models import EntryMode, Measure, Run

OCCUPYING = ("accepted", "started", "interrupted")
IN_MEASURE = ("started", "interrupted")
WAITING = ("waitlisted",)

ZERO = Value(0, output_field=IntegerField())


def referral_model():
    """The referral model, or None while the referrals app has no model yet (counts read 0)."""
    try:
        return apps.get_model("referrals", "Referral")
    except LookupError:
        return None


def _rate(numerator, places):
    """numerator / places as a float in [0, …]; NULL for a run without places."""
    return Case(
        When(
            **{f"{places}__gt": 0},
            then=Cast(numerator, FloatField()) / Cast(F(places), FloatField()),
        ),
        default=Value(None, output_field=FloatField()),
        output_field=FloatField(),
    )


# --- runs ---------------------------------------------------------------------------------------
def with_run_occupancy(runs: QuerySet) -> QuerySet:
    """Annotate runs with ``occupied``, ``in_measure``, ``waiting``, ``free`` and
    ``occupancy_rate`` (filtered counts over the run's referrals, one query)."""
    if referral_model() is None:
        counts = {"occupied": ZERO, "in_measure": ZERO, "waiting": ZERO}
    else:
        counts = {
            "occupied": Count("referrals", filter=Q(referrals__status__in=OCCUPYING)),
            "in_measure": Count("referrals", filter=Q(referrals__status__in=IN_MEASURE)),
            "waiting": Count("referrals", filter=Q(referrals__status__in=WAITING)),
        }
    return runs.annotate(**counts).annotate(
        free=Greatest(F("places") - F("occupied"), ZERO),
        occupancy_rate=_rate(F("in_measure"), "places"),
    )


def _offering_q(day: date, prefix: str = "") -> Q:
    """Runs an adviser can still refer to: open and not ended (running or in the future)."""
    return Q(**{f"{prefix}status": Run.Status.OPEN}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _running_q(day: date, prefix: str = "") -> Q:
    """Runs running on ``day`` (not cancelled; started; not ended)."""
    return (
        ~Q(**{f"{prefix}status": Run.Status.CANCELLED})
        & Q(**{f"{prefix}start_date__lte": day})
        & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day}))
    )


def runs_offering_places(day: date | None = None) -> QuerySet:
    return Run.objects.filter(_offering_q(day or timezone.localdate()))


def runs_running_on(day: date | None = None) -> QuerySet:
    return Run.objects.filter(_running_q(day or timezone.localdate()))


# --- measures -----------------------------------------------------------------------------------
def _referral_count(run_q: Q, statuses) -> Coalesce | Value:
    """Correlated COUNT of the outer measure's referrals with ``statuses`` in runs matching
    ``run_q`` (conditions prefixed with ``run__``)."""
    Referral = referral_model()
    if Referral is None:
        return ZERO
    counted = (
        Referral.objects.filter(run_q, run__measure=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("run__measure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), ZERO)


def _places_sum(run_q: Q) -> Coalesce:
    summed = (
        Run.objects.filter(run_q, measure=OuterRef("pk"))
        .order_by()
        .values("measure")
        .annotate(total=Sum("places"))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), ZERO)


def with_catalogue_figures(measures: QuerySet, day: date | None = None) -> QuerySet:
    """Per measure: ``free_places`` over runs still offering places and ``next_start`` (the
    next start date; today for a running rolling-entry run)."""
    day = day or timezone.localdate()
    upcoming = (
        Run.objects.filter(_offering_q(day), measure=OuterRef("pk"))
        .filter(
            Q(start_date__gte=day) | Q(start_date__lt=day, measure__entry_mode=EntryMode.ROLLING)
        )
        .order_by()
        .values("measure")
        .annotate(
            next_start=Min(
                Case(
                    When(start_date__lt=day, then=Value(day)),
                    default=F("start_date"),
                )
            )
        )
        .values("next_start")
    )
    return measures.annotate(
        offered_places=_places_sum(_offering_q(day)),
        offered_occupied=_referral_count(_offering_q(day, "run__"), OCCUPYING),
        free_places=Greatest(F("offered_places") - F("offered_occupied"), ZERO),
        next_start=Subquery(upcoming),
    )


def with_measure_occupancy(measures: QuerySet, day: date | None = None) -> QuerySet:
    """Per measure, over its runs running on ``day``: ``places``, ``occupied``, ``in_measure``,
    ``waiting``, ``free`` and ``occupancy_rate`` – the measure-level aggregate dashboards use."""
    day = day or timezone.localdate()
    running = _running_q(day, "run__")
    return measures.annotate(
        running_places=_places_sum(_running_q(day)),
        running_occupied=_referral_count(running, OCCUPYING),
        running_in_measure=_referral_count(running, IN_MEASURE),
        running_waiting=_referral_count(running, WAITING),
        running_free=Greatest(F("running_places") - F("running_occupied"), ZERO),
        running_occupancy_rate=_rate(F("running_in_measure"), "running_places"),
    )


class Occupancy(TypedDict):
    places: int
    occupied: int
    in_measure: int
    waiting: int
    free: int
    occupancy_rate: float | None


def occupancy_of_measure(measure: Measure, day: date | None = None) -> Occupancy:
    """The running-runs aggregate for one measure (one query)."""
    row = with_measure_occupancy(Measure.objects.filter(pk=measure.pk), day).values(
        "running_places",
        "running_occupied",
        "running_in_measure",
        "running_waiting",
        "running_free",
        "running_occupancy_rate",
    )[0]
    return Occupancy(
        places=row["running_places"],
        occupied=row["running_occupied"],
        in_measure=row["running_in_measure"],
        waiting=row["running_waiting"],
        free=row["running_free"],
        occupancy_rate=row["running_occupancy_rate"],
    )


def occupied_places_of_run(run: Run) -> int:
    """Places already taken in one run (guards the places field of the run form)."""
    return with_run_occupancy(Run.objects.filter(pk=run.pk)).values_list("occupied", flat=True)[0]


def has_free_places(day: date | None = None) -> Exists:
    """Filter for measures with a free place in a run still offering places. A correlated
    EXISTS, so a page (LIMIT 25) or a capped count stops early instead of grouping all runs."""
    day = day or timezone.localdate()
    taken = Coalesce(_run_referral_count(OCCUPYING), ZERO)
    return Exists(
        Run.objects.filter(_offering_q(day), measure=OuterRef("pk")).filter(places__gt=taken)
    )


def _run_referral_count(statuses):
    """Correlated COUNT of the outer run's referrals with ``statuses``."""
    Referral = referral_model()
    if Referral is None:
        return ZERO
    return Subquery(
        Referral.objects.filter(run=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def starts_within(measures: QuerySet, *, weeks: int, day: date | None = None) -> QuerySet:
    """Measures with a run starting within ``weeks`` – or rolling entry with a running run."""
    day = day or timezone.localdate()
    offering = runs_offering_places(day).filter(measure=OuterRef("pk"))
    starting = offering.filter(start_date__gte=day, start_date__lte=day + timedelta(weeks=weeks))
    running = offering.filter(start_date__lte=day)
    # entry_mode is tested on the outer row, so the subqueries need no join back to measures.
    return measures.filter(Exists(starting) | (Q(entry_mode=EntryMode.ROLLING) & Exists(running)))
