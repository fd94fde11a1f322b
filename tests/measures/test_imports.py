"""Import of measures and runs from CSV/XLSX: validated per row, all-or-nothing by default."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.imports import template_file
from measures.models import Measure, Run

HEADER = (
    "title;summary;legal_basis;target_group;city;languages;step_free;run_start;run_end;run_places"
)
GOOD = "Coaching Nord;Kurz.;sgb3_45;u25;Mittelfeld;de, ar;ja;01.03.2027;31.05.2027;12"
SECOND_RUN = "Coaching Nord;Kurz.;sgb3_45;u25;Mittelfeld;de;nein;01.06.2027;31.08.2027;10"
BAD = "Werkstatt;Holz.;§ 99;kids;Mittelfeld;xx;vielleicht;31.02.2027;;-1"


def upload(client, text, *, valid_rows=False, name="massnahmen.csv"):
    data = {"file": SimpleUploadedFile(name, text.encode("utf-8"))}
    if valid_rows:
        data["import_valid_rows"] = "on"
    return client.post(reverse("measures:import"), data)


def test_valid_csv_creates_measures_and_runs(client_for, provider_x_manager, provider_x):
    response = upload(client_for(provider_x_manager), "\n".join([HEADER, GOOD, SECOND_RUN]))
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.provider, measure.title, measure.languages) == (
        provider_x,
        "Coaching Nord",
        ",de,ar,",
    )
    assert measure.step_free is True
    assert list(Run.objects.values_list("places", flat=True).order_by("start_date")) == [12, 10]


def test_invalid_row_saves_nothing_and_lists_errors_per_row_and_column(
    client_for, provider_x_manager
):
    response = upload(client_for(provider_x_manager), "\n".join([HEADER, GOOD, BAD]))
    assert response.status_code == 200
    report = response.context["report"]
    errors = {(e.row, e.column) for e in report.errors}
    assert (3, "Rechtsgrundlage (Code)") in errors
    assert (3, "Zielgruppe (Code)") in errors
    assert (3, "Sprachen (Codes, durch Komma getrennt)") in errors
    assert (3, "Barrierefrei (ja/nein)") in errors
    assert (3, "Beginn des Durchlaufs (TT.MM.JJJJ)") in errors
    assert (3, "Plätze") in errors
    assert all(row == 3 for row, _column in errors)
    page = response.content.decode()
    assert "Es wurde nichts gespeichert." in page
    assert "Bitte schreiben Sie „ja“ oder „nein“." in page
    assert not Measure.objects.exists()


def test_import_the_valid_rows_when_ticked(client_for, provider_x_manager):
    response = upload(
        client_for(provider_x_manager), "\n".join([HEADER, GOOD, BAD]), valid_rows=True
    )
    assert response.status_code == 302
    assert list(Measure.objects.values_list("title", flat=True)) == ["Coaching Nord"]


def test_comma_separated_csv_and_existing_title_gets_runs_added(
    client_for, provider_x_manager, provider_x
):
    from tests.factories import MeasureFactory

    existing = MeasureFactory(provider=provider_x, title="Coaching Nord")
    text = (
        "title,summary,legal_basis,run_start,run_places\nCoaching Nord,Kurz.,sgb3_45,2027-03-01,8\n"
    )
    assert upload(client_for(provider_x_manager), text).status_code == 302
    assert Measure.objects.count() == 1
    assert existing.runs.get().places == 8


def test_missing_required_column_is_reported(client_for, provider_x_manager):
    response = upload(client_for(provider_x_manager), "title;city\nA;B\n")
    assert "Pflichtspalten fehlen" in response.content.decode()


def test_binary_file_is_refused(client_for, provider_x_manager):
    response = upload(client_for(provider_x_manager), "\x00\x01\x02", name="x.csv")
    assert "Bitte laden Sie eine CSV-Datei" in response.content.decode()


def test_templates_download_and_import_cleanly(client_for, provider_x_manager):
    client = client_for(provider_x_manager)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("measures:import_template", args=[fmt]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    content, _type, _name = template_file("xlsx")
    data = {"file": SimpleUploadedFile("vorlage.xlsx", content)}
    assert client.post(reverse("measures:import"), data).status_code == 302
    measure = Measure.objects.get()
    assert measure.runs.count() == 1
    csv_content, _type, _name = template_file("csv")
    response = client.post(
        reverse("measures:import"), {"file": SimpleUploadedFile("v.csv", csv_content)}
    )
    assert response.status_code == 302  # same title: the run is added to the existing measure
    assert measure.runs.count() == 2


def test_xlsx_with_errors_is_reported(client_for, provider_x_manager):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["title", "summary", "legal_basis", "run_start", "run_places"])
    workbook.active.append(["Kurs", "", "sgb3_45", "01.03.2027", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client_for(provider_x_manager).post(
        reverse("measures:import"), {"file": SimpleUploadedFile("m.xlsx", buffer.getvalue())}
    )
    columns = {e.column for e in response.context["report"].errors}
    assert columns == {"Kurzbeschreibung", "Plätze"}
    assert not Measure.objects.exists()
