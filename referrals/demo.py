"""Demo referrals for the region: participants of JC Mittelfeld (and some of JC Nordhafen) and
referrals in every state with realistic timelines.

Every run gets referrals fitting its dates: ended runs hold completions, dropouts and no-shows;
running runs are between a third full and full (full ones with a waiting list, a few with a
place just freed and offered); future runs have acceptances, open referrals (some overdue) and
recommendations. A participant has at most one active referral; finished ones are history
("Maßnahmenhopping" shows on the participant page). Occupancy never exceeds a run's places (the
PostgreSQL trigger would refuse the insert). Volume grows with ``ctx.scale`` through
``bulk_create``: about 1 200 referrals per scale unit (``--scale 100`` ≥ 100 000).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from measures.demo import STAFF
from measures.models import Run
from referrals.models import (
    DeclineReason,
    Destination,
    ExitReason,
    NoShowReason,
    Referral,
    ReferralEvent,
    ReferralMessage,
    Status,
    WithdrawReason,
)
from triangle.models import Notification, Participant
from triangle.workdays import add_working_days

BATCH = 2000

FIRST_NAMES = [
    "Lena", "Jonas", "Aylin", "Kevin", "Mariam", "Dennis", "Svetlana", "Mehmet", "Sandra",
    "Lukas", "Olga", "Ahmad", "Nicole", "Tim", "Fatma", "Sven", "Ewa", "Yusuf", "Jessica",
    "Marco", "Hanna", "Ali", "Tanja", "Patrick", "Leonie", "Omar", "Birgit", "Dominik",
    "Zeynep", "Rainer", "Natalia", "Florian", "Samira", "Heike", "Justin", "Amira", "Uwe",
    "Chantal", "Tobias", "Irina",
]  # fmt: skip
LAST_NAMES = [
    "Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Werner",
    "Krause", "Lehmann", "Köhler", "Kaya", "Yılmaz", "Nowak", "Kowalski", "Popescu",
    "Haddad", "Demir", "Petrov", "Bauer", "Frank", "Peters", "Jansen", "Brandt",
]  # fmt: skip
STREETS = ["Lindenweg", "Gartenstraße", "Am Markt", "Bahnhofstraße", "Schulstraße", "Birkenallee"]
LANGUAGES = ["de"] * 12 + ["ar", "tr", "uk", "ru", "fa", "pl", "en", "ro"]
NOTES = [
    "Motiviert, sucht Tagesstruktur.",
    "Kooperativ, bitte Kinderbetreuung beachten.",
    "War lange arbeitslos; kleine Schritte.",
    "Möchte in die Lagerlogistik, Staplerschein fehlt.",
    "Deutschkenntnisse B1, sehr engagiert.",
    "",
]
MESSAGES = [
    ("provider", "Guten Tag, die Person war heute zum Erstgespräch da. Passt gut."),
    ("job_centre", "Danke für die Rückmeldung! Bitte melden Sie sich bei Fehlzeiten."),
    ("provider", "Können Sie uns die aktuelle Telefonnummer schicken? Wir erreichen niemanden."),
    ("job_centre", "Neue Nummer ist im Profil hinterlegt."),
]


class _Pool:
    """Participants of one job centre: new ones for active referrals, anyone for history."""

    def __init__(self, ctx, job_centre, advisers, prefix: str):
        self.ctx, self.job_centre, self.advisers, self.prefix = ctx, job_centre, advisers, prefix
        self.people: list[Participant] = []
        self.busy: set[int] = set()  # indexes with an active referral

    def _new(self) -> int:
        rng = self.ctx.rng
        n = len(self.people)
        adviser, team = self.advisers[n % len(self.advisers)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        young = team is not None and team.name.endswith("U25")
        born = self.ctx.today.year - (rng.randint(18, 24) if young else rng.randint(25, 62))
        self.people.append(
            Participant(
                job_centre=self.job_centre,
                customer_number=f"{self.prefix}{n + 1:07d}",
                first_name=first,
                last_name=last,
                date_of_birth=date(born, rng.randint(1, 12), rng.randint(1, 28)),
                phone=f"0151 {rng.randint(1000000, 9999999)}",
                email=f"{first.lower()}.{n + 1}@example.org" if rng.random() < 0.6 else "",
                street=f"{rng.choice(STREETS)} {rng.randint(1, 80)}",
                postcode=self.job_centre.postcode,
                city=self.job_centre.city,
                preferred_language=rng.choice(LANGUAGES),
                adviser=adviser,
                team=team,
            )
        )
        return n

    def pick(self, *, active: bool) -> int:
        rng = self.ctx.rng
        if active:
            free = [
                i
                for i in rng.sample(range(len(self.people)), min(4, len(self.people)))
                if i not in self.busy
            ]
            index = free[0] if free else self._new()
            self.busy.add(index)
            return index
        if len(self.people) < 20 or rng.random() < 0.15:
            return self._new()
        return rng.randrange(len(self.people))


def _at(day: date, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59))))


class _Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rows: list[tuple[Referral, int, _Pool, list]] = []

    def add(self, run, pool, status, *, created: date, steps, **fields):
        """``steps``: [(status, day, side, reason)] after creation, in order."""
        rng = self.ctx.rng
        index = pool.pick(active=status not in FINAL_STATES)
        formal = status != Status.RECOMMENDED and not (steps and rng.random() < 0.1)
        created_at = _at(created, rng)
        last_at = created_at
        timeline = []
        from_status = Status.SUBMITTED if formal else Status.RECOMMENDED
        timeline.append(("created", None, from_status, created_at, "job_centre", ""))
        for to, day, side, reason in steps:
            at = max(_at(day, rng), last_at + timedelta(minutes=5))
            timeline.append(("transition", from_status, to, at, side, reason))
            from_status, last_at = to, at
        referral = Referral(
            run=run,
            status=status,
            note=rng.choice(NOTES),
            planned_start=fields.pop("planned_start", run.start_date),
            answer_due=add_working_days(created, 2, state=pool.job_centre.federal_state),
            submitted_at=created_at if formal else None,
            status_changed_at=last_at,
            created_at=created_at,
            **fields,
        )
        self.rows.append((referral, index, pool, timeline))
        return referral


FINAL_STATES = {
    Status.DECLINED,
    Status.NO_SHOW,
    Status.COMPLETED,
    Status.DROPPED_OUT,
    Status.WITHDRAWN,
    Status.EXPIRED,
}


def _past_run(b: _Builder, run: Run, pool, today: date) -> None:
    rng = b.ctx.rng
    start, end = run.start_date, run.end_date
    created = lambda: start - timedelta(days=rng.randint(10, 40))  # noqa: E731
    entered = int(run.places * rng.uniform(0.6, 1.0))
    for _ in range(entered):
        c = created()
        ans = c + timedelta(days=rng.randint(1, 3))
        roll = rng.random()
        actual = start + timedelta(days=rng.randint(0, 2))
        if roll < 0.6:
            b.add(
                run,
                pool,
                Status.COMPLETED,
                created=c,
                actual_start=actual,
                end_date=end,
                exit_reason=ExitReason.REGULAR,
                destination=rng.choice(Destination.values),
                steps=[
                    (Status.ACCEPTED, ans, "provider", ""),
                    (Status.STARTED, actual, "provider", ""),
                    (Status.COMPLETED, end, "provider", ExitReason.REGULAR),
                ],
            )
        elif roll < 0.85:
            out = actual + timedelta(days=rng.randint(5, max(6, (end - actual).days - 1)))
            reason = rng.choice([r for r in ExitReason.values if r != ExitReason.REGULAR])
            b.add(
                run,
                pool,
                Status.DROPPED_OUT,
                created=c,
                actual_start=actual,
                end_date=out,
                exit_reason=reason,
                destination=rng.choice(Destination.values),
                steps=[
                    (Status.ACCEPTED, ans, "provider", ""),
                    (Status.STARTED, actual, "provider", ""),
                    (Status.DROPPED_OUT, out, "provider", reason),
                ],
            )
        else:
            reason = rng.choice(NoShowReason.values)
            b.add(
                run,
                pool,
                Status.NO_SHOW,
                created=c,
                no_show_reason=reason,
                steps=[
                    (Status.ACCEPTED, ans, "provider", ""),
                    (Status.NO_SHOW, start + timedelta(days=2), "provider", reason),
                ],
            )
    _declined_withdrawn_expired(b, run, pool, start, rng.randint(2, 5))


def _declined_withdrawn_expired(b, run, pool, around: date, n: int) -> None:
    rng = b.ctx.rng
    for _ in range(n):
        c = around - timedelta(days=rng.randint(10, 40))
        kind = rng.random()
        if kind < 0.6:
            reason = rng.choice(DeclineReason.values)
            b.add(
                run,
                pool,
                Status.DECLINED,
                created=c,
                decline_reason=reason,
                steps=[
                    (Status.DECLINED, c + timedelta(days=rng.randint(1, 4)), "provider", reason)
                ],
            )
        elif kind < 0.85:
            reason = rng.choice(WithdrawReason.values)
            b.add(
                run,
                pool,
                Status.WITHDRAWN,
                created=c,
                withdraw_reason=reason,
                steps=[
                    (Status.WITHDRAWN, c + timedelta(days=rng.randint(1, 6)), "job_centre", reason)
                ],
            )
        else:
            b.add(
                run,
                pool,
                Status.EXPIRED,
                created=c,
                steps=[(Status.EXPIRED, c + timedelta(days=16), "system", "")],
            )


def _open_referrals(b, run, pool, today: date, n: int) -> None:
    rng = b.ctx.rng
    for i in range(n):
        c = today - timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 8]))
        status = Status.RECOMMENDED if i == 0 and rng.random() < 0.5 else Status.SUBMITTED
        b.add(run, pool, status, created=c, steps=[])


def _rolling_leavers(b: _Builder, run: Run, pool, today: date) -> None:
    """Rolling entry: people who came and left since the run opened (turnover)."""
    rng = b.ctx.rng
    span = (today - run.start_date).days
    if span < 40:
        return
    for _ in range(round(run.places * rng.uniform(0.6, 1.6))):
        actual = run.start_date + timedelta(days=rng.randint(0, span - 35))
        c = actual - timedelta(days=rng.randint(8, 30))
        ans = c + timedelta(days=rng.randint(1, 3))
        out = actual + timedelta(days=rng.randint(20, min(180, (today - actual).days - 1)))
        steps = [(Status.ACCEPTED, ans, "provider", ""), (Status.STARTED, actual, "provider", "")]
        if rng.random() < 0.6:
            b.add(
                run, pool, Status.COMPLETED, created=c, actual_start=actual, end_date=out,
                exit_reason=ExitReason.REGULAR, destination=rng.choice(Destination.values),
                steps=[*steps, (Status.COMPLETED, out, "provider", ExitReason.REGULAR)],
            )  # fmt: skip
        else:
            reason = rng.choice([r for r in ExitReason.values if r != ExitReason.REGULAR])
            b.add(
                run, pool, Status.DROPPED_OUT, created=c, actual_start=actual, end_date=out,
                exit_reason=reason, destination=rng.choice(Destination.values),
                steps=[*steps, (Status.DROPPED_OUT, out, "provider", reason)],
            )  # fmt: skip


def _current_run(b: _Builder, run: Run, pool, today: date, fill: float) -> None:
    rng = b.ctx.rng
    rolling = run.end_date is None
    occupied = min(run.places, round(run.places * fill))
    freed = 1 if fill >= 1 and rng.random() < 0.3 else 0  # a place just freed: offer running
    if rolling:
        _rolling_leavers(b, run, pool, today)
    for i in range(occupied):
        if rolling:
            actual = today - timedelta(days=rng.randint(3, 150))
            actual = max(actual, run.start_date)
        else:
            actual = run.start_date + timedelta(days=rng.randint(0, 2))
        c = actual - timedelta(days=rng.randint(8, 30))
        ans = c + timedelta(days=rng.randint(1, 3))
        steps = [(Status.ACCEPTED, ans, "provider", "")]
        if i < freed:
            reason = rng.choice(NoShowReason.values)
            day = min(today, actual)
            b.add(
                run,
                pool,
                Status.NO_SHOW,
                created=c,
                no_show_reason=reason,
                steps=[*steps, (Status.NO_SHOW, day, "provider", reason)],
            )
            continue
        if i >= occupied - max(1, occupied // 8) and actual >= today - timedelta(days=2):
            b.add(run, pool, Status.ACCEPTED, created=c, planned_start=actual, steps=steps)
            continue
        actual = min(actual, today)
        steps.append((Status.STARTED, actual, "provider", ""))
        if rng.random() < 0.08:
            pause = min(today, actual + timedelta(days=rng.randint(5, 30)))
            b.add(
                run,
                pool,
                Status.INTERRUPTED,
                created=c,
                actual_start=actual,
                steps=[*steps, (Status.INTERRUPTED, pause, "provider", "")],
            )
        else:
            b.add(run, pool, Status.STARTED, created=c, actual_start=actual, steps=steps)
    if fill >= 1:
        for k in range(rng.randint(2, 5)):
            c = today - timedelta(days=rng.randint(3, 25))
            w_at = c + timedelta(days=1)
            offered = freed and k == 0
            offered_at = _at(today - timedelta(days=1), rng) if offered else None
            b.add(
                run,
                pool,
                Status.WAITLISTED,
                created=c,
                waitlisted_at=_at(w_at, rng) + timedelta(minutes=k),
                offered_at=offered_at,
                offer_due=add_working_days(
                    today - timedelta(days=1), 2, state=pool.job_centre.federal_state
                )
                if offered
                else None,
                steps=[(Status.WAITLISTED, w_at, "provider", "")],
            )
    _open_referrals(b, run, pool, today, rng.randint(0, 3))
    _declined_withdrawn_expired(b, run, pool, today, rng.randint(0, 2))


def _future_run(b: _Builder, run: Run, pool, today: date, fill: float) -> None:
    rng = b.ctx.rng
    accepted = min(run.places, round(run.places * fill))
    for _ in range(accepted):
        c = today - timedelta(days=rng.randint(3, 30))
        b.add(
            run,
            pool,
            Status.ACCEPTED,
            created=c,
            steps=[(Status.ACCEPTED, c + timedelta(days=rng.randint(1, 3)), "provider", "")],
        )
    if accepted >= run.places:
        for k in range(rng.randint(1, 4)):
            c = today - timedelta(days=rng.randint(2, 20))
            b.add(
                run,
                pool,
                Status.WAITLISTED,
                created=c,
                waitlisted_at=_at(c + timedelta(days=1), rng) + timedelta(minutes=k),
                steps=[(Status.WAITLISTED, c + timedelta(days=1), "provider", "")],
            )
    _open_referrals(b, run, pool, today, rng.randint(1, 4))
    _declined_withdrawn_expired(b, run, pool, today, rng.randint(0, 2))


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    runs: list[Run] = ctx.extra.get("runs", [])
    if not runs:
        ctx.log("  keine Durchläufe – keine Zuweisungen")
        return
    mittelfeld, nordhafen = ctx.orgs["jc-mittelfeld"], ctx.orgs["jc-nordhafen"]
    pools = {
        mittelfeld.pk: _Pool(
            ctx,
            mittelfeld,
            [
                (ctx.users["berater.a"], ctx.teams["u25"]),
                (ctx.users["berater2.a"], ctx.teams["ue25"]),
            ],
            "281D",
        ),
        nordhafen.pk: _Pool(
            ctx, nordhafen, [(ctx.users["berater.b"], ctx.teams["nh-markt"])], "451N"
        ),
    }
    commissioners: dict[int, set[int]] = {}
    for measure_id, org_id in Run.measure.field.related_model.commissioners.through.objects.filter(
        measure_id__in={r.measure_id for r in runs}
    ).values_list("measure_id", "organisation_id"):
        commissioners.setdefault(measure_id, set()).add(org_id)

    builder = _Builder(ctx)
    fills = [1.0, 1.0, 0.95, 0.85, 0.7, 0.5, 0.35]
    for run in sorted(runs, key=lambda r: r.start_date):
        if run.measure.status != "published":
            continue
        jcs = [
            pk
            for pk in (mittelfeld.pk, nordhafen.pk)
            if pk in commissioners.get(run.measure_id, ())
        ]
        pool = pools[rng.choice(jcs)] if jcs else pools[mittelfeld.pk]
        ended = run.end_date is not None and run.end_date < today
        if ended:
            _past_run(builder, run, pool, today)
        elif run.start_date <= today:
            _current_run(builder, run, pool, today, rng.choice(fills))
        else:
            _future_run(builder, run, pool, today, rng.choice(fills))

    for pool in pools.values():
        Participant.objects.bulk_create(pool.people, batch_size=BATCH)

    staff = {slug: ctx.users.get(name) for slug, name in STAFF.items()}
    provider_slug = {org.pk: slug for slug, org in ctx.orgs.items()}
    referrals = []
    for referral, index, pool, _timeline in builder.rows:
        person = pool.people[index]
        referral.participant = person
        referral.adviser = person.adviser
        referral.team = person.team
        if referral.status not in (
            Status.SUBMITTED,
            Status.RECOMMENDED,
            Status.EXPIRED,
            Status.WITHDRAWN,
        ):
            referral.provider_contact = staff.get(
                provider_slug.get(referral.run.measure.provider_id)
            )
        referrals.append(referral)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)

    events, messages = [], []
    for referral, _index, pool, timeline in builder.rows:
        provider = referral.run.measure.provider
        provider_user = staff.get(provider_slug.get(provider.pk))
        for kind, from_status, to_status, at, side, reason in timeline:
            if side == "provider":
                actor, org = provider_user, provider
            elif side == "job_centre":
                actor, org = referral.adviser, pool.job_centre
            else:
                actor, org = None, None
            events.append(
                ReferralEvent(
                    referral=referral,
                    kind=kind,
                    actor=actor,
                    actor_organisation=org,
                    from_status=from_status or "",
                    to_status=to_status,
                    reason_code=reason,
                    note=referral.note if kind == "created" else "",
                    at=at,
                )
            )
        if referral.offered_at:
            events.append(
                ReferralEvent(
                    referral=referral,
                    kind=ReferralEvent.Kind.OFFER,
                    from_status=Status.WAITLISTED,
                    to_status=Status.WAITLISTED,
                    note="Ein Platz ist frei geworden.",
                    at=referral.offered_at,
                )
            )
        if referral.status in (Status.STARTED, Status.ACCEPTED) and rng.random() < 0.12:
            at = referral.status_changed_at
            for k, (side, body) in enumerate(MESSAGES[: rng.randint(1, 4)]):
                author = provider_user if side == "provider" else referral.adviser
                org = provider if side == "provider" else pool.job_centre
                messages.append(
                    ReferralMessage(
                        referral=referral,
                        author=author,
                        author_organisation=org,
                        body=body,
                        at=at + timedelta(hours=2 + 20 * k),
                    )
                )
    ReferralEvent.objects.bulk_create(events, batch_size=BATCH)
    ReferralMessage.objects.bulk_create(messages, batch_size=BATCH)

    _notifications(ctx, referrals)
    if connection.vendor == "postgresql":
        # fresh statistics after the bulk load, or the planner guesses from an empty table
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE triangle_participant, referrals_referral, referrals_referralevent,"
                " referrals_referralmessage, triangle_notification"
            )
    ctx.extra["participants"] = [p for pool in pools.values() for p in pool.people]
    ctx.extra["referrals"] = referrals
    ctx.log(
        f"  {sum(len(p.people) for p in pools.values())} Teilnehmende,"
        f" {len(referrals)} Zuweisungen, {len(events)} Ereignisse, {len(messages)} Nachrichten"
    )


def _notifications(ctx, referrals) -> None:
    """A few unread notifications for the demo logins, so the start pages have something."""
    rows = []
    adviser = ctx.users["berater.a"]
    provider = ctx.users["traeger.x"]
    for referral in referrals:
        if len(rows) >= 12:
            break
        link = referral.get_absolute_url()
        if referral.adviser_id == adviser.pk and referral.status == Status.ACCEPTED:
            rows.append(
                Notification(
                    recipient_user=adviser,
                    kind="referral_answered",
                    text="Ein Träger hat Ihre Zuweisung angenommen.",
                    link=link,
                )
            )
        elif (
            referral.status == Status.SUBMITTED
            and referral.provider_contact_id is None
            and referral.run.measure.provider.slug == "bw-lindenhof"
        ):
            rows.append(
                Notification(
                    recipient_user=provider,
                    kind="referral_new",
                    text="Eine neue Zuweisung wartet auf Ihre Antwort.",
                    link=link,
                )
            )
    Notification.objects.bulk_create(rows)
