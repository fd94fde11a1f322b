from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, Run
from tests.factories import ContactEntryFactory, MeasureFactory, RunFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TODAY = timezone.localdate()


def measure_data(**over):
    data = {
        "title": "Aktivierungscoaching Perspektive",
        "summary": "Coaching mit Bewerbungstraining.",
        "legal_basis": "sgb3_45",
        "target_group": "u25",
        "group_format": "group",
        "time_model": "part_time",
        "entry_mode": "fixed",
        "languages": ["de", "ar"],
    }
    data.update(over)
    return data


def test_provider_staff_creates_a_draft_measure(client_for, provider_x_staff, provider_x, jc_a):
    contact = ContactEntryFactory(organisation=provider_x)
    response = client_for(provider_x_staff).post(
        reverse("measures:create"),
        measure_data(commissioners=[jc_a.pk], contacts=[contact.pk]),
    )
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert (measure.provider, measure.status) == (provider_x, Measure.Status.DRAFT)
    assert measure.languages == ",de,ar,"
    assert list(measure.commissioners.all()) == [jc_a]
    assert list(measure.contacts.all()) == [contact]
    assert measure.last_verified_by == provider_x_staff


def test_flyer_must_be_a_pdf_by_content_and_form_keeps_input(client_for, provider_x_staff):
    fake = SimpleUploadedFile("flyer.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(provider_x_staff).post(
        reverse("measures:create"), measure_data(flyer=fake)
    )
    assert response.status_code == 200
    assert "Dieser Dateityp ist nicht erlaubt. Erlaubt: PDF." in response.content.decode()
    assert "Aktivierungscoaching Perspektive" in response.content.decode()
    assert not Measure.objects.exists()


def test_flyer_larger_than_the_limit_is_refused(client_for, provider_x_staff, settings):
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("flyer.pdf", PDF + b"0" * (1024 * 1024 + 1))
    response = client_for(provider_x_staff).post(
        reverse("measures:create"), measure_data(flyer=big)
    )
    assert "Die Datei ist zu groß" in response.content.decode()


def test_flyer_is_served_as_attachment_with_nosniff(client_for, provider_x_staff, adviser_a):
    client = client_for(provider_x_staff)
    client.post(
        reverse("measures:create"),
        measure_data(flyer=SimpleUploadedFile("mein flyer.pdf", PDF)),
    )
    measure = Measure.objects.get()
    assert "mein" not in measure.flyer.name
    measure.status = Measure.Status.PUBLISHED
    measure.save()
    response = client_for(adviser_a).get(reverse("measures:flyer", args=[measure.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_provider_cannot_edit_other_providers_measure(client_for, provider_y_staff, provider_x):
    draft = MeasureFactory(provider=provider_x, status=Measure.Status.DRAFT)
    published = MeasureFactory(provider=provider_x)
    client = client_for(provider_y_staff)
    assert client.post(reverse("measures:edit", args=[draft.pk]), measure_data()).status_code == 404
    assert (
        client.post(reverse("measures:edit", args=[published.pk]), measure_data()).status_code
        == 403
    )
    published.refresh_from_db()
    assert published.title != "Aktivierungscoaching Perspektive"


def test_still_correct_sets_last_verified(client_for, provider_x_manager, provider_x):
    measure = MeasureFactory(provider=provider_x, last_verified_at=None)
    client_for(provider_x_manager).post(reverse("measures:verify", args=[measure.pk]))
    measure.refresh_from_db()
    assert measure.last_verified_by == provider_x_manager
    assert measure.last_verified_at.date() == TODAY


def test_archived_measure_leaves_the_catalogue(client_for, provider_x_staff, adviser_a, provider_x):
    measure = MeasureFactory(provider=provider_x, title="Werkstatt Holz")
    client_for(provider_x_staff).post(
        reverse("measures:status", args=[measure.pk]), {"status": "archived"}
    )
    measure.refresh_from_db()
    assert measure.status == Measure.Status.ARCHIVED
    client = client_for(adviser_a)
    assert "Werkstatt Holz" not in client.get(reverse("measures:catalogue")).content.decode()
    assert client.get(reverse("measures:detail", args=[measure.pk])).status_code == 404


def test_changes_are_shown_to_the_provider_only(client_for, provider_x_staff, adviser_a):
    client = client_for(provider_x_staff)
    client.post(reverse("measures:create"), measure_data())
    measure = Measure.objects.get()
    client.post(reverse("measures:edit", args=[measure.pk]), measure_data(title="Neuer Titel"))
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "Wer hat was wann geändert" in page
    assert "Titel" in page and str(provider_x_staff) in page
    measure.status = Measure.Status.PUBLISHED
    measure.save()
    other = client_for(adviser_a).get(reverse("measures:detail", args=[measure.pk]))
    assert "Wer hat was wann geändert" not in other.content.decode()


# --- runs ---------------------------------------------------------------------------------------
def test_run_end_before_start_gets_a_german_message_and_keeps_input(
    client_for, provider_x_staff, provider_x
):
    measure = MeasureFactory(provider=provider_x)
    response = client_for(provider_x_staff).post(
        reverse("measures:run_create", args=[measure.pk]),
        {"start_date": "2027-03-01", "end_date": "2027-02-01", "places": "12", "status": "open"},
    )
    page = response.content.decode()
    assert "Das Enddatum darf nicht vor dem Startdatum liegen." in page
    assert 'value="2027-03-01"' in page
    assert not Run.objects.exists()


def test_run_places_cannot_be_negative_or_a_bad_date(client_for, provider_x_staff, provider_x):
    measure = MeasureFactory(provider=provider_x)
    page = (
        client_for(provider_x_staff)
        .post(
            reverse("measures:run_create", args=[measure.pk]),
            {"start_date": "31.02.2027", "places": "-3", "status": "open"},
        )
        .content.decode()
    )
    assert "Die Zahl der Plätze darf nicht negativ sein." in page
    assert "Bitte ein gültiges Datum eingeben." in page or "gültiges Datum" in page


def test_run_places_cannot_drop_below_places_taken(client_for, provider_x_staff, provider_x, jc_a):
    from referrals.models import Referral
    from triangle.models import Participant

    run = RunFactory(measure=MeasureFactory(provider=provider_x), places=5)
    now = timezone.now()
    for n, status in enumerate(["accepted", "started", "started", "waitlisted"]):
        Referral.objects.create(
            participant=Participant.objects.create(
                job_centre=jc_a, customer_number=f"1D{n}", first_name="A", last_name="B"
            ),
            run=run,
            status=status,
            actual_start=TODAY if status == "started" else None,
            status_changed_at=now,
            created_at=now,
        )
    client = client_for(provider_x_staff)
    data = {"start_date": run.start_date.isoformat(), "places": "2", "status": "open"}
    page = client.post(reverse("measures:run_edit", args=[run.pk]), data).content.decode()
    assert "bereits 3 Plätze belegt" in page
    run.refresh_from_db()
    assert run.places == 5
    data["places"] = "3"
    assert client.post(reverse("measures:run_edit", args=[run.pk]), data).status_code == 302
    run.refresh_from_db()
    assert run.places == 3


# --- catalogue ----------------------------------------------------------------------------------
@pytest.fixture
def catalogue(provider_x, provider_y):
    coaching = MeasureFactory(
        provider=provider_x,
        title="Bewerbungscoaching für junge Menschen",
        summary="Wir üben Bewerbungen und Vorstellungsgespräche.",
        target_group="u25",
        languages=",de,ar,",
        city="Mittelfeld",
    )
    RunFactory(measure=coaching, start_date=TODAY + timedelta(days=10), places=8)
    werkstatt = MeasureFactory(
        provider=provider_y,
        title="Holzwerkstatt",
        summary="Arbeitsgelegenheit in der Tischlerei.",
        legal_basis="sgb2_16d",
        target_group="ltu",
        step_free=True,
        city="Nordhafen",
    )
    RunFactory(measure=werkstatt, start_date=TODAY - timedelta(days=100), places=0)
    return coaching, werkstatt


def _titles(response):
    return [m.title for m in response.context["page"].object_list]


def test_catalogue_lists_published_measures_with_badge_and_next_start(
    client_for, adviser_a, catalogue
):
    response = client_for(adviser_a).get(reverse("measures:catalogue"))
    page = response.content.decode()
    assert _titles(response) == ["Bewerbungscoaching für junge Menschen", "Holzwerkstatt"]
    assert "8 freie Plätze" in page
    assert "keine freien Plätze" in page
    assert (TODAY + timedelta(days=10)).strftime("%d.%m.%Y") in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("target_group=u25", ["Bewerbungscoaching für junge Menschen"]),
        ("legal_basis=sgb2_16d", ["Holzwerkstatt"]),
        ("free_places=on", ["Bewerbungscoaching für junge Menschen"]),
        ("language=ar", ["Bewerbungscoaching für junge Menschen"]),
        ("step_free=on", ["Holzwerkstatt"]),
        ("city=nordhafen", ["Holzwerkstatt"]),
        ("starts_within_weeks=2", ["Bewerbungscoaching für junge Menschen"]),
        ("starts_within_weeks=1", []),
        ("sort=free_places", ["Bewerbungscoaching für junge Menschen", "Holzwerkstatt"]),
    ],
)
def test_catalogue_filters(client_for, adviser_a, catalogue, query, expected):
    response = client_for(adviser_a).get(reverse("measures:catalogue") + "?" + query)
    assert _titles(response) == expected


def test_catalogue_filter_by_provider(client_for, adviser_a, catalogue, provider_y):
    response = client_for(adviser_a).get(reverse("measures:catalogue"), {"provider": provider_y.pk})
    assert _titles(response) == ["Holzwerkstatt"]


def test_catalogue_search_finds_german_words(client_for, adviser_a, catalogue):
    response = client_for(adviser_a).get(reverse("measures:catalogue"), {"q": "Tischlerei"})
    assert _titles(response) == ["Holzwerkstatt"]


@pytest.mark.postgres
def test_catalogue_search_uses_german_stemming_and_ranks_title_first(
    client_for, adviser_a, catalogue, provider_x
):
    from measures.services import refresh_search_vectors

    MeasureFactory(provider=provider_x, title="Sprachkurs", summary="Auch Bewerbung ist Thema.")
    refresh_search_vectors(Measure.objects.all())
    response = client_for(adviser_a).get(reverse("measures:catalogue"), {"q": "Bewerbung"})
    titles = _titles(response)
    assert titles[0] == "Bewerbungscoaching für junge Menschen"  # title outranks summary
    assert "Sprachkurs" in titles
    assert "Holzwerkstatt" in titles  # its goals mention "Bewerbungsunterlagen" (prefix match)
    response = client_for(adviser_a).get(reverse("measures:catalogue"), {"q": "Bewerbungen"})
    assert "Sprachkurs" in _titles(response)


def test_catalogue_bad_filter_input_gets_german_message(client_for, adviser_a, catalogue):
    page = (
        client_for(adviser_a)
        .get(reverse("measures:catalogue"), {"starts_within_weeks": "viele"})
        .content.decode()
    )
    assert "Ganzzahl" in page or "Zahl" in page
    assert 'value="viele"' in page


def _catalogue_queries(client, n_measures, provider, query=""):
    for i in range(n_measures):
        measure = MeasureFactory(provider=provider, title=f"Bewerbung Kurs {i}")
        RunFactory(measure=measure, start_date=TODAY + timedelta(days=i % 20), places=5)
    from measures.services import refresh_search_vectors

    refresh_search_vectors(Measure.objects.all())
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("measures:catalogue") + query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "query", ["", "?q=Bewerbung", "?free_places=on&starts_within_weeks=4&sort=next_start"]
)
def test_catalogue_query_count_does_not_grow_with_rows(client_for, adviser_a, provider_x, query):
    client = client_for(adviser_a)
    few = _catalogue_queries(client, 5, provider_x, query)
    many = _catalogue_queries(client, 10, provider_x, query)  # 15 in total = 3N
    assert few == many


def test_detail_query_count_does_not_grow_with_runs(
    client_for, provider_x_staff, adviser_a, provider_x
):
    from tests.factories import OpenDayFactory

    measure = MeasureFactory(provider=provider_x)

    def count(user, extra):
        for i in range(extra):
            RunFactory(measure=measure, start_date=TODAY + timedelta(days=i))
            OpenDayFactory(measure=measure)
            measure.contacts.add(ContactEntryFactory(organisation=provider_x))
        client = client_for(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("measures:detail", args=[measure.pk])).status_code == 200
        return len(ctx.captured_queries)

    for user in (adviser_a, provider_x_staff):
        assert count(user, 2) == count(user, 4)


def test_detail_shows_refer_button_only_when_referrals_are_wired(client_for, adviser_a):
    run = RunFactory()
    page = client_for(adviser_a).get(reverse("measures:detail", args=[run.measure_id]))
    try:
        url = reverse("referrals:create")
    except Exception:
        assert "Teilnehmende zuweisen" not in page.content.decode()
    else:
        assert f"{url}?run={run.pk}" in page.content.decode()


def test_provider_manager_start_panel_has_a_fixed_query_count(
    client_for, provider_x_manager, provider_x, adviser_a
):
    from measures.services import sign_up_for_open_day
    from tests.factories import OpenDayFactory

    client = client_for(provider_x_manager)

    def count(extra):
        for i in range(extra):
            measure = MeasureFactory(provider=provider_x, last_verified_at=None)
            RunFactory(measure=measure, start_date=TODAY + timedelta(days=1 + i % 10))
            sign_up_for_open_day(OpenDayFactory(measure=measure), user=adviser_a)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    few, _page = count(3)
    many, page = count(6)
    assert few == many
    assert "Noch aktuell" in page and "Maßnahme 1" in page


def test_catalogue_counts_only_up_to_a_cap(client_for, adviser_a, provider_x, monkeypatch):
    from measures.views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    for _ in range(5):
        MeasureFactory(provider=provider_x)
    page = client_for(adviser_a).get(reverse("measures:catalogue")).content.decode()
    assert "Mehr als 3 Maßnahmen gefunden" in page
