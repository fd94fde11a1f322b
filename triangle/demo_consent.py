"""Demo consents and handovers (runs after ``referrals.demo``).

Most participants with a formal referral gave a consent to the referral's provider: some for
everything the handover holds, many only partly; some consents are withdrawn or expired, and
some people gave none (the provider then gets only the minimum). Handovers exist for formal
referrals: drafts for fresh ones, sent and acknowledged ones, a few overdue.

The demo participant login ``teilnehmer`` is linked to a participant of berater.a with a
referral to Bildungswerk Lindenhof (traeger.x): a partial consent, one withdrawn and one expired
consent, and a sent handover, so the whole walk-through works with the demo logins.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from referrals.models import Referral, Status
from referrals.models_handover import Handover, HandoverEvent
from triangle.models import Participant
from triangle.models.consent import BARRIER_CATEGORIES, Consent, ParticipantAccount

BATCH = 2000
FORMAL_WITH_HANDOVER = {
    Status.SUBMITTED,
    Status.WAITLISTED,
    Status.ACCEPTED,
    Status.STARTED,
    Status.INTERRUPTED,
    Status.COMPLETED,
    Status.DROPPED_OUT,
    Status.NO_SHOW,
}
BASE = ["contact", "goals", "practical"]
PARTIAL_CHOICES = [
    BASE,
    [*BASE, "barrier_childcare"],
    [*BASE, "barrier_language", "earlier_measures"],
    ["contact", "goals"],
    [*BASE, "barrier_health", "barrier_mobility"],
    ["contact", "goals", "earlier_measures", "barrier_debts"],
]
FULL = [
    "contact",
    "goals",
    "practical",
    "earlier_measures",
    *[c.value for c in BARRIER_CATEGORIES],
    "attendance",
    "progress",
]
GOALS = [
    "Berufliche Orientierung und ein realistisches Ziel für die Ausbildung finden.",
    "Tagesstruktur aufbauen und Bewerbungsunterlagen fertigstellen.",
    "Deutschkenntnisse für den Beruf verbessern, Praktikum im Lager anbahnen.",
    "Stabilisierung nach längerer Krankheit, Belastbarkeit schrittweise erproben.",
    "Einstieg in Teilzeitarbeit im Einzelhandel vorbereiten.",
]
STEPS = [
    "Erstgespräch beim Träger in der ersten Woche; Kooperationsplan gemeinsam fortschreiben.",
    "Lebenslauf überarbeiten, zwei Bewerbungen pro Woche, Praktikumsplatz suchen.",
    "Sprachstand feststellen, passenden Kurs auswählen, Kinderbetreuung klären.",
]
STRENGTHS = [
    "Zuverlässig, handwerklich geschickt, hilft in der Familie viel mit.",
    "Freundlich und offen, gute Computerkenntnisse, Führerschein Klasse B.",
    "Viel Erfahrung in der Pflege von Angehörigen, gutes Organisationstalent.",
]
BARRIERS = {
    "barrier_health": "Rückenbeschwerden; längeres Stehen ist schwierig.",
    "barrier_childcare": "Zwei Kinder (3 und 6 Jahre); Kita nur bis 14 Uhr.",
    "barrier_care": "Pflegt die Mutter an zwei Nachmittagen pro Woche.",
    "barrier_language": "Deutsch auf Niveau B1, schriftlich unsicher.",
    "barrier_debts": "Schulden; Termin bei der Schuldnerberatung ist vereinbart.",
    "barrier_housing": "Wohnt vorübergehend bei Bekannten, sucht eine Wohnung.",
    "barrier_mobility": "Kein Auto; Bus fährt nur stündlich.",
    "barrier_digital": "Kein eigener Laptop, E-Mails nur auf dem Handy.",
}


def _aware(day, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(ctx) -> None:
    referrals: list[Referral] = ctx.extra.get("referrals", [])
    if not referrals:
        ctx.log("  keine Zuweisungen – keine Einwilligungen und Übergaben")
        return
    rng, today = ctx.rng, ctx.today
    adviser_of = {u.pk: u for u in ctx.users.values()}
    fallback_recorder = ctx.users["berater.a"]

    consents, recipients, handovers, events = [], [], [], []
    for referral in referrals:
        if referral.status not in FORMAL_WITH_HANDOVER:
            continue
        adviser = adviser_of.get(referral.adviser_id, fallback_recorder)
        provider_id = referral.run.measure.provider_id
        given = referral.created_at.date() - timedelta(days=rng.randint(0, 3))
        roll = rng.random()
        if roll < 0.12:
            pass  # no consent: the provider sees the minimum only
        else:
            categories = FULL if roll < 0.3 else rng.choice(PARTIAL_CHOICES)
            consent = Consent(
                participant_id=referral.participant_id,
                purpose="measure",
                purpose_detail=f"Teilnahme an „{referral.run.measure.title}“"[:300],
                categories=list(categories),
                how_given=rng.choice(["signed_form", "signed_form", "verbal", "digital"]),
                witness="Frau Krüger (Teamleitung)" if roll > 0.9 else "",
                date_given=min(given, today),
                expires_on=min(given, today) + timedelta(days=365),
                recorded_by=adviser,
                recorded_at=_aware(min(given, today)),
            )
            if consent.how_given == "verbal" and not consent.witness:
                consent.witness = "Herr Yilmaz (Leistungsabteilung)"
            if roll > 0.93:
                consent.withdrawn_at = _aware(today - timedelta(days=rng.randint(1, 20)), 15)
                consent.withdrawal_method = rng.choice(["in_writing", "verbal", "digital"])
                consent.withdrawn_by = adviser
            elif 0.88 < roll <= 0.93:
                consent.expires_on = min(given, today) + timedelta(days=30)
                if consent.expires_on >= today:
                    consent.date_given = today - timedelta(days=60)
                    consent.expires_on = today - timedelta(days=5)
            consents.append(consent)
            recipients.append(provider_id)
        handovers.append(_handover(referral, adviser, today, rng))

    Consent.objects.bulk_create(consents, batch_size=BATCH)
    through = Consent.recipients.through
    through.objects.bulk_create(
        [
            through(consent_id=c.pk, organisation_id=org_id)
            for c, org_id in zip(consents, recipients, strict=True)
        ],
        batch_size=BATCH,
    )
    Handover.objects.bulk_create(handovers, batch_size=BATCH)
    for handover in handovers:
        if handover.sent_at:
            events.append(
                HandoverEvent(
                    handover=handover,
                    from_status="draft",
                    to_status="sent",
                    actor_id=handover.created_by_id,
                    at=handover.sent_at,
                )
            )
        if handover.acknowledged_at:
            events.append(
                HandoverEvent(
                    handover=handover,
                    from_status="sent",
                    to_status="acknowledged",
                    actor_id=handover.acknowledged_by_id,
                    at=handover.acknowledged_at,
                )
            )
    HandoverEvent.objects.bulk_create(events, batch_size=BATCH)
    _participant_login(ctx, referrals)
    ctx.log(f"  {len(consents)} Einwilligungen, {len(handovers)} Übergaben")


def _handover(referral: Referral, adviser, today, rng) -> Handover:
    created = referral.created_at
    barriers = dict(rng.sample(sorted(BARRIERS.items()), rng.randint(1, 3)))
    handover = Handover(
        referral=referral,
        reason_goals=rng.choice(GOALS),
        next_steps=rng.choice(STEPS),
        strengths=rng.choice(STRENGTHS),
        barriers=barriers,
        availability=rng.choice(["Montag bis Freitag vormittags", "ab 9 Uhr, nicht mittwochs"]),
        travel=rng.choice(["Mit dem Bus, ca. 30 Minuten", "Mit dem Fahrrad"]),
        childcare="Kita bis 14 Uhr" if "barrier_childcare" in barriers else "",
        contact_preferences=rng.choice(
            ["Am liebsten per SMS, vormittags", "Telefonisch ab 10 Uhr", "Per Brief und Telefon"]
        ),
        created_by=adviser,
    )
    age = (today - created.date()).days
    if referral.status == Status.SUBMITTED and age < 2 and rng.random() < 0.5:
        return handover  # still a draft
    handover.status = Handover.Status.SENT
    handover.sent_at = created + timedelta(hours=1)
    handover.acknowledge_by = created.date() + timedelta(days=3)
    settled = age > 4 or rng.random() < 0.6
    if settled and (rng.random() < 0.85 or referral.status != Status.SUBMITTED):
        handover.status = Handover.Status.ACKNOWLEDGED
        handover.acknowledged_at = handover.sent_at + timedelta(hours=rng.randint(2, 40))
        handover.acknowledged_by = referral.provider_contact or adviser
    if rng.random() < 0.15:
        handover.meeting_at = _aware(created.date() + timedelta(days=7), 10)
        handover.meeting_place = "Jobcenter Mittelfeld, Raum 2.14"
    return handover


def _participant_login(ctx, referrals: list[Referral]) -> None:
    """Link ``teilnehmer`` to a participant of berater.a with a referral to traeger.x's
    provider, and give that person a partial, a withdrawn and an expired consent."""
    user = ctx.users.get("teilnehmer")
    adviser = ctx.users["berater.a"]
    lindenhof = ctx.orgs["bw-lindenhof"]
    today = ctx.today
    chosen = next(
        (
            r
            for r in referrals
            if r.adviser_id == adviser.pk
            and r.run.measure.provider_id == lindenhof.pk
            and r.status in (Status.SUBMITTED, Status.ACCEPTED)
        ),
        None,
    )
    if user is None or chosen is None:
        return
    participant = Participant.objects.get(pk=chosen.participant_id)
    participant.first_name, participant.last_name = user.first_name, user.last_name
    participant.email = user.email
    participant.save(update_fields=["first_name", "last_name", "email"])
    ParticipantAccount.objects.create(user=user, participant=participant)
    Consent.objects.filter(participant=participant).delete()
    partial = Consent.objects.create(
        participant=participant,
        purpose="measure",
        purpose_detail=f"Teilnahme an „{chosen.run.measure.title}“",
        categories=["contact", "goals", "practical", "barrier_childcare"],
        how_given="signed_form",
        date_given=today - timedelta(days=5),
        expires_on=today + timedelta(days=360),
        recorded_by=adviser,
    )
    withdrawn = Consent.objects.create(
        participant=participant,
        purpose="case_conference",
        purpose_detail="Fallkonferenz mit dem Gesundheitsladen",
        categories=["barrier_health", "progress"],
        how_given="verbal",
        witness="Sabine Krüger",
        date_given=today - timedelta(days=40),
        expires_on=today + timedelta(days=100),
        recorded_by=adviser,
        withdrawn_at=_aware(today - timedelta(days=3), 11),
        withdrawal_method="digital",
        withdrawn_by=user,
    )
    expired = Consent.objects.create(
        participant=participant,
        purpose="measure",
        purpose_detail="Frühere Teilnahme (Bewerbungstraining)",
        categories=["contact", "goals", "earlier_measures"],
        how_given="signed_form",
        date_given=today - timedelta(days=400),
        expires_on=today - timedelta(days=35),
        recorded_by=adviser,
    )
    partial.recipients.add(lindenhof)
    withdrawn.recipients.add(ctx.orgs["gesundheitsladen"])
    expired.recipients.add(ctx.orgs["brueckenwerk"])
    Handover.objects.filter(referral_id=chosen.pk).update(
        status=Handover.Status.SENT,
        sent_at=timezone.now(),
        acknowledge_by=today + timedelta(days=2),
        acknowledged_at=None,
        acknowledged_by=None,
        barriers={
            "barrier_childcare": BARRIERS["barrier_childcare"],
            "barrier_debts": BARRIERS["barrier_debts"],
            "barrier_health": BARRIERS["barrier_health"],
        },
    )
    ctx.extra["demo_participant"] = participant
