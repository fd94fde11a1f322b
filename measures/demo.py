"""Demo measures, runs and open days for the demo providers (Landkreis Mittelfeld).

Ten detailed measures, each in three variants (sites / part-time groups), give ~30 measures at
scale 1; ``--scale N`` makes N times as many (bulk_create), so ``--scale 1700`` reaches 50 000
for the catalogue benchmark. Runs lie in the past, the present and the future; rolling-entry
measures have one open-ended run. Created runs go to ``ctx.extra["runs"]`` for the referrals demo.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from measures.models import (
    EntryMode,
    GroupFormat,
    LegalBasis,
    Measure,
    OpenDay,
    OpenDaySignup,
    ProcurementType,
    Run,
    TargetGroup,
    TimeModel,
)
from measures.services import refresh_search_vectors
from triangle.models import ContactEntry

BATCH = 2000

# provider, commissioners, title, summary, legal basis, target group, entry mode, format,
# time model, hours/week, weeks, places, languages, step-free, childcare, texts
PROTOTYPES = [
    dict(
        provider="bw-lindenhof",
        commissioners=["jc-mittelfeld"],
        title="Aktivierungscoaching „Perspektive Arbeit“",
        summary="Einzelcoaching und Gruppentraining für den Weg zurück in Arbeit.",
        legal_basis=LegalBasis.ACTIVATION_45,
        target_group=TargetGroup.OVER_25,
        entry_mode=EntryMode.ROLLING,
        group_format=GroupFormat.MIXED,
        time_model=TimeModel.PART_TIME,
        hours=20,
        weeks=12,
        places=15,
        languages=",de,ar,tr,",
        step_free=True,
        childcare=False,
        procurement=ProcurementType.VOUCHER,
        goals="Stärken erkennen, Bewerbungsunterlagen erstellen, Vorstellungsgespräche üben, "
        "erste Kontakte zu Arbeitgebern knüpfen.",
        content="Kompetenzfeststellung, Bewerbungstraining, Umgang mit digitalen Jobbörsen, "
        "Betriebsbesichtigungen und begleitete Praktika.",
        typical_day="9:00 Ankommen und Tagesziel, 9:30 Gruppentraining Bewerbung, 11:00 "
        "Einzelcoaching, 12:30 Ende. Dienstags Besuch bei einem Betrieb.",
        client_benefit="Sie bekommen eine feste Ansprechperson, die mit Ihnen passende Stellen "
        "sucht und Sie zum Vorstellungsgespräch vorbereitet – ohne Druck, in Ihrem Tempo.",
        prerequisites="Aktivierungs- und Vermittlungsgutschein (AVGS) des Jobcenters.",
        target_details="Erwachsene, die seit längerer Zeit keine Arbeit haben.",
        transport="Bus 3 und 7, Haltestelle Lindenplatz (2 Minuten Fußweg).",
    ),
    dict(
        provider="bw-lindenhof",
        commissioners=["aa-mittelfeld", "jc-mittelfeld"],
        title="Umschulung Fachkraft Lagerlogistik",
        summary="Zweijährige Umschulung mit IHK-Abschluss und Praxisphasen im Betrieb.",
        legal_basis=LegalBasis.VOCATIONAL_TRAINING,
        target_group=TargetGroup.ALL,
        entry_mode=EntryMode.FIXED,
        group_format=GroupFormat.GROUP,
        time_model=TimeModel.FULL_TIME,
        hours=39,
        weeks=96,
        places=18,
        languages=",de,",
        step_free=True,
        childcare=False,
        procurement=ProcurementType.VOUCHER,
        goals="Berufsabschluss Fachkraft für Lagerlogistik (IHK), Staplerschein.",
        content="Warenannahme, Lagerorganisation, Versand, Warenwirtschaftssysteme, "
        "Arbeitssicherheit, Praktikum in Logistikbetrieben der Region.",
        typical_day="7:30 bis 15:30 Unterricht oder Praxis im Lager, "
        "freitags Prüfungsvorbereitung.",
        client_benefit="Mit einem anerkannten Berufsabschluss verdienen Sie dauerhaft mehr und "
        "haben in der Logistik sehr gute Chancen auf eine feste Stelle.",
        prerequisites="Bildungsgutschein, Deutsch mindestens B1, körperliche Belastbarkeit.",
        target_details="Menschen ohne Berufsabschluss oder mit veraltetem Abschluss.",
        transport="Bahnhof Mittelfeld, 10 Minuten Fußweg.",
    ),
    dict(
        provider="brueckenwerk",
        commissioners=["jc-mittelfeld"],
        title="Arbeitsgelegenheit Stadtgrün und Holzwerkstatt",
        summary="Sinnvolle Arbeit in Grünpflege und Holzwerkstatt "
        "mit sozialpädagogischer Begleitung.",
        legal_basis=LegalBasis.WORK_OPPORTUNITY_16D,
        target_group=TargetGroup.LONG_TERM_UNEMPLOYED,
        entry_mode=EntryMode.ROLLING,
        group_format=GroupFormat.GROUP,
        time_model=TimeModel.PART_TIME,
        hours=25,
        weeks=26,
        places=20,
        languages=",de,ru,pl,",
        step_free=False,
        childcare=False,
        procurement=ProcurementType.GRANT,
        goals="Tagesstruktur, Belastbarkeit erproben, Fähigkeiten im Handwerk zeigen.",
        content="Pflege öffentlicher Grünflächen, Bau von Hochbeeten und Bänken für Schulen und "
        "Kitas, wöchentliche Einzelgespräche.",
        typical_day="8:00 Treffpunkt Werkhof, Arbeit in kleinen Teams, 10:00 Frühstückspause, "
        "13:00 Feierabend. Mittwochs Sprechstunde der Sozialpädagogin.",
        client_benefit="Sie arbeiten mit anderen zusammen, bekommen eine Mehraufwandsentschädigung "
        "und zeigen, was Sie können – das hilft bei der nächsten Bewerbung.",
        prerequisites="Zuweisung durch das Jobcenter; feste Schuhe werden gestellt.",
        target_details="Langzeitarbeitslose Menschen, die wieder in einen "
        "Arbeitsalltag finden wollen.",
        transport="Werkhof Industriestraße, Bus 12 Haltestelle Gewerbegebiet.",
    ),
    dict(
        provider="neue-wege",
        commissioners=["jc-nordhafen", "jc-mittelfeld"],
        title="Ganzheitliche Betreuung „Neue Wege“",
        summary="Aufsuchende, ganzheitliche Begleitung nach § 16k – auch zu Hause und unterwegs.",
        legal_basis=LegalBasis.COACHING_16K,
        target_group=TargetGroup.LONG_TERM_UNEMPLOYED,
        entry_mode=EntryMode.ROLLING,
        group_format=GroupFormat.INDIVIDUAL,
        time_model=TimeModel.FLEXIBLE,
        hours=4,
        weeks=52,
        places=25,
        languages=",de,en,uk,ru,",
        step_free=True,
        childcare=True,
        procurement=ProcurementType.AWARD,
        goals="Hindernisse wie Schulden, Wohnungssuche oder Gesundheit gemeinsam angehen.",
        content="Einzelgespräche, Begleitung zu Ämtern und Beratungsstellen, Netzwerk zu "
        "Schuldner- und Suchtberatung, Hausbesuche.",
        typical_day="Termine nach Absprache, etwa zweimal pro Woche, auch als Spaziergang oder "
        "Hausbesuch.",
        client_benefit="Jemand nimmt sich Zeit für Ihre ganze Lage – nicht nur für die Jobsuche – "
        "und begleitet Sie zu schwierigen Terminen.",
        prerequisites="Keine; Teilnahme freiwillig.",
        target_details="Menschen mit mehreren Hindernissen, die ein klassisches Angebot nicht "
        "erreicht.",
        transport="Büro am Kai, Straßenbahn Linie 2 Haltestelle Kaistraße.",
    ),
    dict(
        provider="gesundheitsladen",
        commissioners=["jc-mittelfeld"],
        title="Gesund in Arbeit – Projekt für Körper und Kopf",
        summary="Gesundheitsorientiertes Gruppenangebot mit Bewegung, Ernährung und Stressabbau.",
        legal_basis=LegalBasis.ACTIVATION_45,
        target_group=TargetGroup.HEALTH,
        entry_mode=EntryMode.FIXED,
        group_format=GroupFormat.GROUP,
        time_model=TimeModel.PART_TIME,
        hours=15,
        weeks=16,
        places=12,
        languages=",de,tr,",
        step_free=True,
        childcare=True,
        procurement=ProcurementType.AWARD,
        goals="Gesundheit stabilisieren, Belastbarkeit einschätzen, Anschlussperspektive finden.",
        content="Bewegungsangebote, Kochen, Entspannung, Gespräche mit Ärztin und Psychologe, "
        "Erprobung in einem Praktikum.",
        typical_day="9:30 Bewegung, 10:30 Themenrunde, 12:00 gemeinsames Kochen und Essen.",
        client_benefit="Sie tun etwas für Ihre Gesundheit und klären in Ruhe, welche Arbeit "
        "zu Ihnen passt.",
        prerequisites="Gesundheitliche Einschränkungen; ärztliches Attest nicht nötig.",
        target_details="Menschen, deren Gesundheit die Arbeitssuche erschwert.",
        transport="Marktplatz, alle Buslinien Haltestelle Markt.",
    ),
    dict(
        provider="bw-lindenhof",
        commissioners=["jc-mittelfeld", "jc-nordhafen"],
        title="Berufsorientierung U25 „Start klar“",
        summary="Praxisnahe Berufsorientierung mit Werkstätten und "
        "Betriebspraktika für junge Menschen.",
        legal_basis=LegalBasis.ACTIVATION_45,
        target_group=TargetGroup.UNDER_25,
        entry_mode=EntryMode.FIXED,
        group_format=GroupFormat.GROUP,
        time_model=TimeModel.FULL_TIME,
        hours=30,
        weeks=20,
        places=16,
        languages=",de,ar,fa,",
        step_free=True,
        childcare=False,
        procurement=ProcurementType.AWARD,
        goals="Berufswunsch finden, Ausbildungsplatz oder Einstiegsqualifizierung erreichen.",
        content="Werkstätten Metall, Holz, Pflege und Büro; Bewerbungstraining; zwei Praktika.",
        typical_day="8:00 Start in der Werkstatt, 12:00 Mittagspause, 13:00 Bewerbungswerkstatt.",
        client_benefit="Du probierst verschiedene Berufe aus und bekommst Hilfe, bis du einen "
        "Ausbildungsplatz hast.",
        prerequisites="Unter 25 Jahre.",
        target_details="Junge Menschen ohne Ausbildungsplatz.",
        transport="Bus 3, Haltestelle Lindenplatz.",
    ),
    dict(
        provider="brueckenwerk",
        commissioners=["jc-mittelfeld"],
        title="Sozialkaufhaus „Zweite Chance“ – Beschäftigung im Verkauf",
        summary="Arbeitsgelegenheit im Sozialkaufhaus: Verkauf, Lager und Kasse.",
        legal_basis=LegalBasis.WORK_OPPORTUNITY_16D,
        target_group=TargetGroup.OVER_50,
        entry_mode=EntryMode.ROLLING,
        group_format=GroupFormat.GROUP,
        time_model=TimeModel.PART_TIME,
        hours=20,
        weeks=26,
        places=10,
        languages=",de,",
        step_free=True,
        childcare=False,
        procurement=ProcurementType.GRANT,
        goals="Kundenkontakt üben, Kassenschein, Zuverlässigkeit zeigen.",
        content="Warenannahme, Sortieren, Verkauf, Kassentraining.",
        typical_day="9:00 bis 14:00 im Laden, wechselnde Aufgaben.",
        client_benefit="Sie sind unter Menschen, lernen den Handel kennen und erhalten ein "
        "Zeugnis über Ihre Arbeit.",
        prerequisites="Zuweisung durch das Jobcenter.",
        target_details="Menschen ab 50, die wieder in Arbeit kommen wollen.",
        transport="Innenstadt, Bus 1 Haltestelle Rathaus.",
    ),
    dict(
        provider="neue-wege",
        commissioners=["jc-nordhafen"],
        title="Jobcoaching für Alleinerziehende",
        summary="Coaching in Teilzeit mit Kinderbetreuung und Hilfe bei der Vereinbarkeit.",
        legal_basis=LegalBasis.ACTIVATION_45,
        target_group=TargetGroup.SINGLE_PARENTS,
        entry_mode=EntryMode.FIXED,
        group_format=GroupFormat.MIXED,
        time_model=TimeModel.PART_TIME,
        hours=12,
        weeks=16,
        places=10,
        languages=",de,en,ar,",
        step_free=True,
        childcare=True,
        procurement=ProcurementType.VOUCHER,
        goals="Teilzeitstelle oder Ausbildung in Teilzeit finden, Kinderbetreuung sichern.",
        content="Einzelcoaching, Gruppentreffen, Kontakt zu familienfreundlichen Arbeitgebern.",
        typical_day="Vormittags 9:00 bis 12:00, während die Kinder betreut werden.",
        client_benefit="Sie planen Arbeit und Familie gemeinsam mit uns – Ihre Kinder werden "
        "während der Termine betreut.",
        prerequisites="AVGS; Kinder unter 12 Jahren im Haushalt.",
        target_details="Alleinerziehende Mütter und Väter.",
        transport="Straßenbahn Linie 2, Haltestelle Kaistraße.",
    ),
    dict(
        provider="gesundheitsladen",
        commissioners=["jc-mittelfeld", "aa-mittelfeld"],
        title="Deutsch für den Beruf – Pflege und Gesundheit",
        summary="Berufsbezogener Sprachkurs mit Praktikum in Pflegeeinrichtungen.",
        legal_basis=LegalBasis.ESF_STATE,
        target_group=TargetGroup.MIGRANTS,
        entry_mode=EntryMode.FIXED,
        group_format=GroupFormat.GROUP,
        time_model=TimeModel.FULL_TIME,
        hours=25,
        weeks=24,
        places=14,
        languages=",de,ar,uk,fa,",
        step_free=True,
        childcare=False,
        procurement=ProcurementType.GRANT,
        goals="Sprachniveau B2 im Beruf, Einstieg als Pflegehilfskraft.",
        content="Fachsprache Pflege, Kommunikation mit Patienten, Praktikum, Prüfungsvorbereitung.",
        typical_day="8:30 bis 13:30 Unterricht, zwei Nachmittage Praktikum.",
        client_benefit="Sie lernen Deutsch für Ihren Beruf und lernen Arbeitgeber in der Pflege "
        "direkt kennen.",
        prerequisites="Deutsch B1.",
        target_details="Zugewanderte mit Interesse an Pflege und Gesundheit.",
        transport="Marktplatz, Haltestelle Markt.",
    ),
    dict(
        provider="brueckenwerk",
        commissioners=["jc-mittelfeld"],
        title="Teilhabe am Arbeitsmarkt – Begleitung im Betrieb",
        summary="Coaching für Beschäftigte in geförderten Stellen nach § 16i.",
        legal_basis=LegalBasis.SGB2_16I,
        target_group=TargetGroup.LONG_TERM_UNEMPLOYED,
        entry_mode=EntryMode.ROLLING,
        group_format=GroupFormat.INDIVIDUAL,
        time_model=TimeModel.FLEXIBLE,
        hours=2,
        weeks=104,
        places=30,
        languages=",de,tr,",
        step_free=False,
        childcare=False,
        procurement=ProcurementType.AWARD,
        goals="Arbeitsplatz sichern, Konflikte früh lösen.",
        content="Beschäftigungsbegleitendes Coaching im Betrieb und in der Beratungsstelle.",
        typical_day="Termine nach Absprache mit Arbeitgeber und Beschäftigten.",
        client_benefit="Sie haben jemanden an Ihrer Seite, wenn es im neuen Job schwierig wird.",
        prerequisites="Geförderte Beschäftigung nach § 16i SGB II.",
        target_details="Menschen in geförderten Arbeitsverhältnissen.",
        transport="Industriestraße, Bus 12.",
    ),
]
VARIANTS = [
    ("", None),
    (" – Standort Kleinhausen", "Kleinhausen"),
    (" – Nachmittagsgruppe", None),
]
STAFF = {
    "bw-lindenhof": "traeger.x",
    "brueckenwerk": "traeger.y",
    "neue-wege": "traeger.z",
    "gesundheitsladen": "traeger.g",
}


def create_measures(ctx, *, first_copy: int = 0) -> tuple[list[Measure], list[Run], list]:
    """Measures (bulk) with commissioners, contacts and runs; ``first_copy`` numbers the lots."""
    rng, today = ctx.rng, ctx.today
    now = timezone.now()
    measures: list[Measure] = []
    links: list[tuple[int, dict]] = []  # (index in measures, prototype)
    for copy in range(first_copy, first_copy + ctx.scale):
        for number, proto in enumerate(PROTOTYPES):
            for variant, (suffix, city) in enumerate(VARIANTS):
                provider = ctx.orgs[proto["provider"]]
                title = proto["title"] + suffix + (f" · Los {copy + 1}" if copy else "")
                if copy == 0 and number == 0 and variant == 2:
                    status = Measure.Status.DRAFT
                elif copy == 0 and number == 6 and variant == 2:
                    status = Measure.Status.ARCHIVED
                else:
                    status = Measure.Status.PUBLISHED
                verified_days = rng.choice([2, 10, 35, 60, 95, 130, 200])
                measures.append(
                    Measure(
                        provider=provider,
                        title=title,
                        summary=proto["summary"],
                        goals=proto["goals"],
                        content=proto["content"],
                        typical_day=proto["typical_day"],
                        target_group=proto["target_group"],
                        target_group_details=proto["target_details"],
                        prerequisites=proto["prerequisites"],
                        legal_basis=proto["legal_basis"],
                        procurement_type=proto["procurement"],
                        measure_number=f"{number + 1:02d}-{copy + 1:04d}-{variant + 1}",
                        azav_certificate_number=(
                            f"AZAV-{provider.pk:03d}-{number + 1:03d}"
                            if proto["procurement"] == ProcurementType.VOUCHER
                            else ""
                        ),
                        azav_valid_until=(
                            today + timedelta(days=300)
                            if proto["procurement"] == ProcurementType.VOUCHER
                            else None
                        ),
                        group_format=proto["group_format"],
                        time_model=proto["time_model"],
                        hours_per_week=proto["hours"],
                        duration_weeks=proto["weeks"],
                        entry_mode=proto["entry_mode"],
                        street=provider.street,
                        postcode=provider.postcode,
                        city=city or provider.city,
                        step_free=proto["step_free"],
                        public_transport=proto["transport"],
                        languages=proto["languages"],
                        childcare=proto["childcare"],
                        client_benefit=proto["client_benefit"],
                        status=status,
                        last_verified_at=now - timedelta(days=verified_days),
                        last_verified_by=ctx.users.get(STAFF[proto["provider"]]),
                        created_at=now - timedelta(days=400),
                        updated_at=now - timedelta(days=verified_days),
                    )
                )
                links.append((len(measures) - 1, proto))
    Measure.objects.bulk_create(measures, batch_size=BATCH)

    commissioner_rows = [
        Measure.commissioners.through(measure_id=measures[i].pk, organisation_id=ctx.orgs[s].pk)
        for i, proto in links
        for s in proto["commissioners"]
    ]
    Measure.commissioners.through.objects.bulk_create(commissioner_rows, batch_size=BATCH)
    contacts = {}
    for entry in ContactEntry.objects.filter(organisation__kind="provider").order_by("pk"):
        contacts.setdefault(entry.organisation_id, []).append(entry.pk)
    contact_rows = [
        Measure.contacts.through(measure_id=measures[i].pk, contactentry_id=contact_id)
        for i, _proto in links
        for contact_id in contacts.get(measures[i].provider_id, [])[:2]
    ]
    Measure.contacts.through.objects.bulk_create(contact_rows, batch_size=BATCH)

    runs: list[Run] = []
    for i, proto in links:
        measure = measures[i]
        places = proto["places"]
        if proto["entry_mode"] == EntryMode.ROLLING:
            runs.append(
                Run(
                    measure=measure,
                    start_date=today - timedelta(days=rng.randint(60, 400)),
                    end_date=None,
                    places=places,
                    location=measure.city,
                )
            )
            continue
        weeks = max(proto["weeks"], 4)
        current_start = today - timedelta(days=rng.randint(7, min(weeks * 7 - 7, 120)))
        future_start = today + timedelta(days=rng.randint(5, 70))
        for start in (current_start - timedelta(weeks=weeks + 2), current_start, future_start):
            runs.append(
                Run(
                    measure=measure,
                    start_date=start,
                    end_date=start + timedelta(weeks=weeks),
                    places=places,
                    location=measure.city,
                    status=(
                        Run.Status.CLOSED
                        if start < today - timedelta(weeks=weeks)
                        else Run.Status.OPEN
                    ),
                )
            )
    Run.objects.bulk_create(runs, batch_size=BATCH)
    refresh_search_vectors(Measure.objects.filter(pk__gte=measures[0].pk))
    return measures, runs, links


def seed(ctx) -> None:
    today = ctx.today
    rng = ctx.rng
    measures, runs, links = create_measures(ctx)

    open_days = []
    for i, _proto in links[: len(PROTOTYPES) * len(VARIANTS)]:
        if i % len(VARIANTS):
            continue
        day = today + timedelta(days=7 + 3 * (i // len(VARIANTS)))
        open_days.append(
            OpenDay(
                measure=measures[i],
                kind=OpenDay.Kind.OPEN_DAY if i % 2 == 0 else OpenDay.Kind.VISIT,
                starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
                ends_at=timezone.make_aware(datetime.combine(day, time(12, 0))),
                place=f"{measures[i].street}, {measures[i].city}",
                capacity=rng.choice([6, 10, 15]),
                note="Lernen Sie Team und Räume kennen – gerne mit Fragen aus Ihrer Beratung.",
            )
        )
    OpenDay.objects.bulk_create(open_days)
    signups = [
        OpenDaySignup(open_day=open_days[k], user=ctx.users[u], organisation=ctx.orgs[org])
        for k, u, org in [
            (0, "berater.a", "jc-mittelfeld"),
            (0, "berater2.a", "jc-mittelfeld"),
            (2, "berater.a", "jc-mittelfeld"),
            (3, "berater.b", "jc-nordhafen"),
        ]
        if k < len(open_days)
    ]
    OpenDaySignup.objects.bulk_create(signups)

    ctx.extra["measures"] = measures
    ctx.extra["runs"] = runs
    ctx.log(f"  {len(measures)} Maßnahmen, {len(runs)} Durchläufe, {len(open_days)} Termine")
