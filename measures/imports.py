"""Import measures and runs from CSV (UTF-8, ``;`` or ``,``) or XLSX.

One row is one run of a measure; rows with the same title belong to the same measure (its fields
come from the first of those rows). A title the provider already has gets the runs added, its
texts are left alone. A row without a start date creates only the measure. Every row is checked
with ``ImportRowForm``; errors are listed per row and column. Nothing is saved unless every row
is valid – or the user ticked "import the valid rows".
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures import services
from measures.models import (
    EntryMode,
    Language,
    LegalBasis,
    Measure,
    Run,
    TargetGroup,
)
from triangle.uploads import max_upload_bytes

MAX_ROWS = 2000
XLSX_MAGIC = b"PK\x03\x04"

# column → (label, required, example)
COLUMNS: dict[str, tuple[str, bool, str]] = {
    "title": (_("Title"), True, "Aktivierungscoaching Perspektive"),
    "summary": (_("Short summary"), True, "Individuelles Coaching mit Bewerbungstraining."),
    "legal_basis": (_("Legal basis (code)"), True, "sgb3_45"),
    "target_group": (_("Target group (code)"), False, "u25"),
    "entry_mode": (_("Entry mode (fixed/rolling)"), False, "fixed"),
    "goals": (_("Goals"), False, "Stabilisierung und Vermittlung in Ausbildung"),
    "street": (_("Street and number"), False, "Lindenstraße 4"),
    "postcode": (_("Postcode"), False, "31234"),
    "city": (_("City"), False, "Mittelfeld"),
    "hours_per_week": (_("Hours per week"), False, "20"),
    "languages": (_("Languages (codes, comma separated)"), False, "de, ar"),
    "step_free": (_("Step-free (yes/no)"), False, "ja"),
    "run_start": (_("Run start (DD.MM.YYYY)"), False, "01.03.2027"),
    "run_end": (_("Run end (DD.MM.YYYY)"), False, "31.08.2027"),
    "run_places": (_("Places"), False, "12"),
    "run_location": (_("Run location"), False, "Raum 2"),
}
YES = {"ja", "yes", "j", "y", "1", "true", "wahr", "x"}
NO = {"nein", "no", "n", "0", "false", "falsch", ""}
DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("UTF-8 CSV separated by semicolons or commas, or an .xlsx file."),
    )
    import_valid_rows = forms.BooleanField(
        label=_("Import the valid rows and skip the rows with errors"), required=False
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)d MB are allowed."),
                params={"mb": settings.MAX_UPLOAD_MB},
            )
        uploaded.seek(0)
        head = uploaded.read(2048)
        uploaded.seek(0)
        if head.startswith(XLSX_MAGIC):
            return uploaded
        if b"\x00" in head:
            raise forms.ValidationError(_("Please upload a CSV (UTF-8) or an .xlsx file."))
        return uploaded


def _choice(choices, value: str) -> str:
    """Accept a code or a label (any case); return the code, or the raw value to fail."""
    value = value.strip()
    lowered = value.lower()
    for code, label in choices:
        if lowered in {code.lower(), str(label).lower()}:
            return code
    return value


class ImportRowForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=300)
    legal_basis = forms.ChoiceField(choices=LegalBasis.choices)
    target_group = forms.ChoiceField(choices=TargetGroup.choices, required=False)
    entry_mode = forms.ChoiceField(choices=EntryMode.choices, required=False)
    goals = forms.CharField(required=False)
    street = forms.CharField(max_length=200, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    city = forms.CharField(max_length=100, required=False)
    hours_per_week = forms.IntegerField(min_value=1, max_value=60, required=False)
    languages = forms.CharField(required=False)
    step_free = forms.CharField(required=False)
    run_start = forms.DateField(required=False, input_formats=DATE_FORMATS)
    run_end = forms.DateField(required=False, input_formats=DATE_FORMATS)
    run_places = forms.IntegerField(min_value=0, required=False)
    run_location = forms.CharField(max_length=200, required=False)

    def __init__(self, data, **kwargs):
        data = dict(data)
        for name, choices in (
            ("legal_basis", LegalBasis.choices),
            ("target_group", TargetGroup.choices),
            ("entry_mode", EntryMode.choices),
        ):
            if data.get(name):
                data[name] = _choice(choices, data[name])
        super().__init__(data, **kwargs)

    def clean_languages(self):
        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        known = set(Language.values)
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(
                _("Unknown language code(s): %(codes)s. Allowed: %(allowed)s."),
                params={"codes": ", ".join(unknown), "allowed": ", ".join(sorted(known))},
            )
        return "," + ",".join(codes) + "," if codes else ",de,"

    def clean_step_free(self):
        value = self.cleaned_data["step_free"].strip().lower()
        if value in YES:
            return True
        if value in NO:
            return False
        raise forms.ValidationError(_("Please write “ja” or “nein”."))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("run_start"), cleaned.get("run_end")
        if start and end and end < start:
            self.add_error("run_end", _("The end date must not be before the start date."))
        if start and cleaned.get("run_places") is None and "run_places" not in self.errors:
            self.add_error("run_places", _("Please enter the number of places for the run."))
        if not start and (end or cleaned.get("run_places") is not None):
            self.add_error("run_start", _("Please enter the start date of the run."))
        return cleaned


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Report:
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, cleaned data)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def all_valid(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class Created:
    measures: int = 0
    runs: int = 0


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _raw_rows(uploaded) -> list[list[str]]:
    uploaded.seek(0)
    content = uploaded.read()
    if content.startswith(XLSX_MAGIC):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    text = content.decode("utf-8-sig")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_rows(uploaded, *, provider) -> Report:
    """Parse and validate every row; nothing is saved here."""
    report = Report()
    try:
        raw = _raw_rows(uploaded)
    except (UnicodeDecodeError, csv.Error, ValueError, OSError, KeyError):
        report.errors.append(
            RowError(0, "", gettext("The file could not be read. Please use the template."))
        )
        return report
    raw = [row for row in raw if any(row)]
    if not raw:
        report.errors.append(RowError(0, "", gettext("The file is empty.")))
        return report
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c, (_label, required, _ex) in COLUMNS.items() if required and c not in header]
    if missing:
        report.errors.append(
            RowError(
                1,
                ", ".join(missing),
                gettext("Required columns are missing. Please use the template."),
            )
        )
        return report
    if len(raw) - 1 > MAX_ROWS:
        report.errors.append(
            RowError(0, "", gettext("At most %(max)d rows per file.") % {"max": MAX_ROWS})
        )
        return report
    for number, values in enumerate(raw[1:], start=2):
        data = {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}
        data = {k: v for k, v in data.items() if k in COLUMNS}
        report.total += 1
        form = ImportRowForm(data)
        if form.is_valid():
            report.rows.append((number, form.cleaned_data))
            continue
        for name, messages in form.errors.items():
            label = str(COLUMNS[name][0]) if name in COLUMNS else ""
            for message in messages:
                report.errors.append(RowError(number, label, message))
    return report


@transaction.atomic
def import_rows(report: Report, *, provider, by) -> Created:
    """Save the valid rows of ``report`` in one transaction."""
    created = Created()
    by_title: dict[str, Measure] = {
        m.title: m for m in Measure.objects.filter(provider=provider).order_by("pk")
    }
    for _number, row in report.rows:
        measure = by_title.get(row["title"])
        if measure is None:
            measure = services.save_measure(
                Measure(
                    title=row["title"],
                    summary=row["summary"],
                    legal_basis=row["legal_basis"],
                    target_group=row["target_group"] or TargetGroup.ALL,
                    entry_mode=row["entry_mode"] or EntryMode.FIXED,
                    goals=row["goals"],
                    street=row["street"],
                    postcode=row["postcode"],
                    city=row["city"] or provider.city,
                    hours_per_week=row["hours_per_week"],
                    languages=row["languages"],
                    step_free=row["step_free"],
                ),
                by=by,
                provider=provider,
            )
            by_title[measure.title] = measure
            created.measures += 1
        if row["run_start"]:
            services.save_run(
                Run(
                    measure=measure,
                    start_date=row["run_start"],
                    end_date=row["run_end"],
                    places=row["run_places"],
                    location=row["run_location"],
                ),
                by=by,
            )
            created.runs += 1
    return created


def template_file(fmt: str) -> tuple[bytes, str, str]:
    """The template as (content, content type, file name); ``fmt`` is "csv" or "xlsx"."""
    header = list(COLUMNS)
    example = [example for _label, _required, example in COLUMNS.values()]
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Massnahmen"
        sheet.append(header)
        sheet.append(example)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return (
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "massnahmen-vorlage.xlsx",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerow(example)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv", "massnahmen-vorlage.csv"
