"""The demo region "Landkreis Mittelfeld" (fictional): parties, people and contacts.

Each app that has demo data provides ``<app>/demo.py`` with ``seed(ctx)``; the ``seed_demo``
command runs them in order. Everything is derived from a seeded random generator, so two runs on
empty databases give the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password

from triangle.models import ContactEntry, Membership, Organisation, Role, Team, User

MARKER_SLUG = "jc-mittelfeld"


@dataclass
class DemoContext:
    scale: int
    today: date
    rng: random.Random
    log: callable
    orgs: dict[str, Organisation] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


ORGANISATIONS = [
    # slug, kind, name, short, state, street, postcode, city, jc type
    (
        "jc-mittelfeld",
        "job_centre",
        "Jobcenter Landkreis Mittelfeld",
        "JC Mittelfeld",
        "NI",
        "Bahnhofstraße 12",
        "31582",
        "Mittelfeld",
        "gE",
    ),
    (
        "jc-nordhafen",
        "job_centre",
        "Jobcenter Stadt Nordhafen",
        "JC Nordhafen",
        "SH",
        "Hafenallee 3",
        "24103",
        "Nordhafen",
        "zkT",
    ),
    (
        "aa-mittelfeld",
        "employment_agency",
        "Agentur für Arbeit Mittelfeld",
        "AA Mittelfeld",
        "NI",
        "Am Wall 5",
        "31582",
        "Mittelfeld",
        "",
    ),
    (
        "bw-lindenhof",
        "provider",
        "Bildungswerk Lindenhof gGmbH",
        "Bildungswerk Lindenhof",
        "NI",
        "Lindenstraße 40",
        "31582",
        "Mittelfeld",
        "",
    ),
    (
        "brueckenwerk",
        "provider",
        "Brückenwerk Beschäftigung e. V.",
        "Brückenwerk",
        "NI",
        "Industriestraße 8",
        "31608",
        "Kleinhausen",
        "",
    ),
    (
        "neue-wege",
        "provider",
        "Neue Wege Coaching GmbH",
        "Neue Wege",
        "SH",
        "Kaistraße 21",
        "24103",
        "Nordhafen",
        "",
    ),
    (
        "gesundheitsladen",
        "provider",
        "Gesundheitsladen Mittelfeld e. V.",
        "Gesundheitsladen",
        "NI",
        "Marktplatz 2",
        "31582",
        "Mittelfeld",
        "",
    ),
]

# Which organisations cooperate (Kooperationspartner).
PARTNERSHIPS = [
    ("jc-mittelfeld", "aa-mittelfeld"),
    ("jc-mittelfeld", "bw-lindenhof"),
    ("jc-mittelfeld", "brueckenwerk"),
    ("jc-mittelfeld", "gesundheitsladen"),
    ("jc-mittelfeld", "neue-wege"),
    ("jc-nordhafen", "neue-wege"),
    ("jc-nordhafen", "bw-lindenhof"),
    ("aa-mittelfeld", "bw-lindenhof"),
]

TEAMS = [
    ("jc-mittelfeld", "u25", "Integration U25", "u25@jc-mittelfeld.example"),
    ("jc-mittelfeld", "ue25", "Integration Ü25", "ue25@jc-mittelfeld.example"),
    ("jc-mittelfeld", "leistung", "Leistungsabteilung", "leistung@jc-mittelfeld.example"),
    ("jc-nordhafen", "nh-markt", "Markt und Integration", "integration@jc-nordhafen.example"),
    ("aa-mittelfeld", "aa-reha", "Berufliche Rehabilitation", "reha@aa-mittelfeld.example"),
    ("bw-lindenhof", "bw-coaching", "Coaching und Aktivierung", "coaching@lindenhof.example"),
    ("brueckenwerk", "bb-agh", "Arbeitsgelegenheiten", "agh@brueckenwerk.example"),
    ("neue-wege", "nw-team", "Ganzheitliche Betreuung", "team@neue-wege.example"),
    ("gesundheitsladen", "gl-team", "Gesundheitsprojekte", "projekte@gesundheitsladen.example"),
]

# username, first, last, [(org slug, team key or None, role)], is_staff
DEMO_USERS = [
    ("berater.a", "Anna", "Becker", [("jc-mittelfeld", "u25", Role.ADVISER)], False),
    ("berater2.a", "Jonas", "Wolff", [("jc-mittelfeld", "ue25", Role.ADVISER)], False),
    ("teamleitung.a", "Sabine", "Krüger", [("jc-mittelfeld", "u25", Role.TEAM_LEAD)], False),
    (
        "leistung.a",
        "Murat",
        "Yilmaz",
        [("jc-mittelfeld", "leistung", Role.BENEFITS_OFFICER)],
        False,
    ),
    ("admin.a", "Petra", "Lange", [("jc-mittelfeld", None, Role.ORG_ADMIN)], True),
    (
        "datenschutz.a",
        "Thomas",
        "Vogel",
        [("jc-mittelfeld", None, Role.DATA_PROTECTION_OFFICER)],
        False,
    ),
    ("berater.b", "Lea", "Hansen", [("jc-nordhafen", "nh-markt", Role.ADVISER)], False),
    ("teamleitung.b", "Olaf", "Petersen", [("jc-nordhafen", "nh-markt", Role.TEAM_LEAD)], False),
    ("agentur.a", "Miriam", "Schulz", [("aa-mittelfeld", "aa-reha", Role.ADVISER)], False),
    (
        "traeger.x",
        "Katrin",
        "Hoffmann",
        [("bw-lindenhof", "bw-coaching", Role.PROVIDER_STAFF)],
        False,
    ),
    (
        "leitung.x",
        "Frank",
        "Meier",
        [("bw-lindenhof", "bw-coaching", Role.PROVIDER_MANAGER)],
        False,
    ),
    ("traeger.y", "Dilara", "Aksoy", [("brueckenwerk", "bb-agh", Role.PROVIDER_STAFF)], False),
    ("leitung.y", "Bernd", "Schröder", [("brueckenwerk", "bb-agh", Role.PROVIDER_MANAGER)], False),
    ("traeger.z", "Jana", "Nowak", [("neue-wege", "nw-team", Role.PROVIDER_STAFF)], False),
    ("traeger.g", "Paul", "Richter", [("gesundheitsladen", "gl-team", Role.PROVIDER_STAFF)], False),
    ("teilnehmer", "Max", "Mustermann", [("jc-mittelfeld", None, Role.PARTICIPANT)], False),
]

CONTACTS = [
    # org, team, name, functional, topic, phone, email
    (
        "jc-mittelfeld",
        "leistung",
        "Team Leistung U25",
        True,
        "Geldleistungen (Bürgergeld) für Kundinnen und Kunden unter 25",
        "05021 9000-300",
        "leistung-u25@jc-mittelfeld.example",
    ),
    (
        "jc-mittelfeld",
        "u25",
        "Anna Becker",
        False,
        "Zuweisungen Team U25",
        "05021 9000-125",
        "anna.becker@jc-mittelfeld.example",
    ),
    (
        "jc-mittelfeld",
        "ue25",
        "Team Integration Ü25",
        True,
        "Zuweisungen und Rückfragen Ü25",
        "05021 9000-200",
        "ue25@jc-mittelfeld.example",
    ),
    (
        "jc-mittelfeld",
        None,
        "Maßnahmebetreuung",
        True,
        "Fragen zu Verträgen, Plätzen und Abrechnung von Maßnahmen",
        "05021 9000-400",
        "massnahmen@jc-mittelfeld.example",
    ),
    (
        "jc-nordhafen",
        "nh-markt",
        "Lea Hansen",
        False,
        "Zuweisungen Markt und Integration",
        "0431 55500-10",
        "lea.hansen@jc-nordhafen.example",
    ),
    (
        "aa-mittelfeld",
        "aa-reha",
        "Team Reha",
        True,
        "Berufliche Rehabilitation und FbW",
        "05021 1010-0",
        "reha@aa-mittelfeld.example",
    ),
    (
        "bw-lindenhof",
        "bw-coaching",
        "Katrin Hoffmann",
        False,
        "Aktivierungscoaching § 45",
        "05021 7788-11",
        "k.hoffmann@lindenhof.example",
    ),
    (
        "bw-lindenhof",
        None,
        "Sekretariat Bildungswerk",
        True,
        "Allgemeine Anfragen, Termine",
        "05021 7788-0",
        "info@lindenhof.example",
    ),
    (
        "brueckenwerk",
        "bb-agh",
        "Dilara Aksoy",
        False,
        "Arbeitsgelegenheiten § 16d",
        "05023 4410-2",
        "d.aksoy@brueckenwerk.example",
    ),
    (
        "neue-wege",
        "nw-team",
        "Jana Nowak",
        False,
        "Ganzheitliche Betreuung § 16k",
        "0431 88990-5",
        "nowak@neue-wege.example",
    ),
    (
        "gesundheitsladen",
        "gl-team",
        "Paul Richter",
        False,
        "Gesundheitsorientierte Projekte",
        "05021 6060-3",
        "richter@gesundheitsladen.example",
    ),
]


def is_seeded() -> bool:
    return Organisation.objects.filter(slug=MARKER_SLUG).exists()


def seed(ctx: DemoContext) -> None:
    for slug, kind, name, short, state, street, postcode, city, jc_type in ORGANISATIONS:
        ctx.orgs[slug] = Organisation.objects.create(
            slug=slug,
            kind=kind,
            name=name,
            short_name=short,
            federal_state=state,
            street=street,
            postcode=postcode,
            city=city,
            job_centre_type=jc_type,
            phone="",
            email=f"info@{slug}.example",
        )
    for a, b in PARTNERSHIPS:
        ctx.orgs[a].partners.add(ctx.orgs[b])
    for org, key, name, email in TEAMS:
        ctx.teams[key] = Team.objects.create(organisation=ctx.orgs[org], name=name, email=email)

    password = make_password(settings.DEMO_PASSWORD)
    for username, first, last, roles, is_staff in DEMO_USERS:
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            password=password,
            email=f"{username}@demo.example",
            is_staff=is_staff,
        )
        ctx.users[username] = user
        for org, team, role in roles:
            Membership.objects.create(
                user=user,
                organisation=ctx.orgs[org],
                team=ctx.teams[team] if team else None,
                role=role,
            )
    if ctx.users["admin.a"].is_staff:
        _grant_admin_permissions(ctx.users["admin.a"])
    ctx.users["berater.a"].memberships.filter(role=Role.ADVISER).update(
        deputy=ctx.users["berater2.a"]
    )

    contacts = []
    for i, (org, team, name, functional, topic, phone, email) in enumerate(CONTACTS):
        verified = ctx.today - timedelta(days=30 + 40 * i)  # some become stale (> 180 days)
        contacts.append(
            ContactEntry(
                organisation=ctx.orgs[org],
                team=ctx.teams[team] if team else None,
                name=name,
                is_functional_mailbox=functional,
                topic=topic,
                phone=phone,
                email=email,
                last_verified_at=verified,
                office_hours="Mo–Fr 8–12 Uhr, Do 14–17 Uhr",
            )
        )
    ContactEntry.objects.bulk_create(contacts)
    ctx.log(f"  {len(ctx.orgs)} Organisationen, {len(ctx.users)} Demo-Konten")


def _grant_admin_permissions(user: User) -> None:
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(
        content_type__app_label="triangle",
        content_type__model__in=["team", "membership", "contactentry", "user", "organisation"],
    ).exclude(codename__in=["add_organisation", "delete_organisation"])
    user.user_permissions.set(perms)
