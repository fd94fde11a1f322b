"""Audit of personal data: reads, exports, failed attempts and changes, never the data itself."""

import csv
import io

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.factories import MeasureFactory, ParticipantFactory, ReferralFactory, RunFactory
from triangle.audit import MASK, audited_models
from triangle.models import AccessLog, Participant

UNIQUE = "Quirinella-Zaunkönig-7391"


@pytest.fixture
def case(jc_a, provider_x, adviser_a, team_a):
    measure = MeasureFactory(provider=provider_x, commissioners=[jc_a])
    run = RunFactory(measure=measure, places=5)
    participant = ParticipantFactory(
        job_centre=jc_a, adviser=adviser_a, team=team_a, customer_number="123A000777"
    )
    referral = ReferralFactory(participant=participant, run=run, adviser=adviser_a, team=team_a)
    return participant, referral


def _access_rows():
    return [
        (e.user.username, e.action, e.content_type.model if e.content_type else "", e.status_code)
        for e in AccessLog.objects.order_by("pk").select_related("user", "content_type")
    ]


def test_scripted_actions_produce_exactly_the_expected_audit_rows(
    client, case, adviser_a, provider_x_staff, adviser_b, provider_y_staff
):
    participant, referral = case
    AccessLog.objects.all().delete()
    LogEntry.objects.all().delete()

    client.force_login(adviser_a)
    assert client.get(reverse("participant_detail", args=[participant.pk])).status_code == 200
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    client.force_login(provider_x_staff)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    client.force_login(adviser_b)
    assert client.get(reverse("participant_detail", args=[participant.pk])).status_code == 404
    client.force_login(provider_y_staff)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    # pages without personal data of one participant leave no read entry
    client.force_login(adviser_a)
    client.get(reverse("home"))
    client.get(reverse("contact_directory"))

    assert _access_rows() == [
        ("adviser_a", "read", "participant", None),
        ("adviser_a", "read", "referral", None),
        ("provider_x_staff", "read", "referral", None),
        ("adviser_b", "failed", "", 404),
        ("provider_y_staff", "failed", "", 404),
    ]
    reads = AccessLog.objects.filter(action="read")
    assert set(reads.values_list("participant_id", flat=True)) == {participant.pk}
    assert set(reads.values_list("job_centre_id", flat=True)) == {participant.job_centre_id}
    assert not LogEntry.objects.exists()  # reading changed nothing

    with set_actor(adviser_a):
        participant.last_name = UNIQUE
        participant.phone = "0170 1111111"
        participant.save()
        referral.note = f"Bitte {UNIQUE} anrufen"
        referral.save()
    entries = list(LogEntry.objects.order_by("pk"))
    assert [(e.content_type.model, e.action, e.actor) for e in entries] == [
        ("participant", LogEntry.Action.UPDATE, adviser_a),
        ("referral", LogEntry.Action.UPDATE, adviser_a),
    ]
    assert set(entries[0].changes_dict) >= {"last_name", "phone"}
    assert entries[0].changes_dict["last_name"] == [MASK, MASK]
    assert entries[1].changes_dict["note"] == [MASK, MASK]
    for e in entries:
        assert e.additional_data["participant_id"] == participant.pk


def test_change_log_never_holds_personal_data(case, adviser_a):
    participant, referral = case
    with set_actor(adviser_a):
        participant.first_name = UNIQUE
        participant.email = "quirinella@example.org"
        participant.save()
        referral.note = UNIQUE
        referral.save()
        referral.delete()
    assert LogEntry.objects.count() >= 3
    for e in LogEntry.objects.all():
        stored = " ".join(
            str(v)
            for v in (
                e.object_repr,
                e.changes,
                e.serialized_data,
                e.additional_data,
                e.changes_text,
            )
        )
        assert UNIQUE not in stored and "quirinella" not in stored
        assert "Mustermann" not in stored and "Max" not in e.object_repr


def test_every_audited_model_masks_every_non_plain_field():
    from auditlog.registry import auditlog

    from triangle.audit import AUDITED_MODELS, EXCLUDED_FIELDS

    models = audited_models()
    assert Participant in models
    for model in models:
        assert auditlog.contains(model), model
        fields = auditlog.get_model_fields(model)
        plain = AUDITED_MODELS[model._meta.label] | EXCLUDED_FIELDS.get(model._meta.label, set())
        for f in model._meta.concrete_fields:
            if not f.primary_key and f.name not in plain:
                assert f.name in fields["mask_fields"], f"{model._meta.label}.{f.name}"


def test_failed_attempt_on_unknown_id_is_logged(client_for, adviser_a):
    client_for(adviser_a).get(reverse("participant_detail", args=[999999]))
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_id, entry.status_code) == ("failed", "999999", 404)


# --- the data protection officer's page -------------------------------------------------------
def _read_as(client, user, participant):
    client.force_login(user)
    client.get(reverse("participant_detail", args=[participant.pk]))


def test_dpo_searches_by_customer_number_user_and_period(client, case, adviser_a, dpo_a, jc_a):
    participant, _ = case
    other = ParticipantFactory(job_centre=jc_a, customer_number="123A000888")
    _read_as(client, adviser_a, participant)
    _read_as(client, adviser_a, other)
    client.force_login(dpo_a)
    page = client.get(reverse("audit_log"), {"customer_number": "123a000777"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    assert "123A000777" in page.content.decode()
    assert (
        client.get(reverse("audit_log"), {"username": "adviser_a"}).context["page"].paginator.count
        == 2
    )
    assert (
        client.get(reverse("audit_log"), {"date_to": "2000-01-01"}).context["page"].paginator.count
        == 0
    )


def test_dpo_sees_restricted_participants_entries(client, case, adviser_a, dpo_a):
    participant, _ = case
    _read_as(client, adviser_a, participant)
    Participant.objects.filter(pk=participant.pk).update(restricted=True)
    client.force_login(dpo_a)
    page = client.get(reverse("audit_log"), {"customer_number": participant.customer_number})
    assert page.context["page"].paginator.count == 1


def test_dpo_does_not_see_other_job_centres_log(client, jc_b, adviser_b, dpo_a):
    participant = ParticipantFactory(job_centre=jc_b)
    _read_as(client, adviser_b, participant)
    assert AccessLog.objects.count() == 1
    client.force_login(dpo_a)
    assert client.get(reverse("audit_log")).context["page"].paginator.count == 0


def test_dpo_sees_changes_with_field_names_only(client, case, adviser_a, dpo_a):
    participant, _ = case
    LogEntry.objects.all().delete()  # the creation entries of the fixture
    with set_actor(adviser_a):
        participant.last_name = UNIQUE
        participant.save()
    client.force_login(dpo_a)
    page = client.get(
        reverse("audit_log"),
        {"kind": "changes", "customer_number": participant.customer_number},
    )
    text = page.content.decode()
    assert page.context["page"].paginator.count == 1
    assert "last_name" in text and UNIQUE not in text


def test_csv_export_is_itself_logged(client, case, adviser_a, dpo_a):
    participant, _ = case
    _read_as(client, adviser_a, participant)
    client.force_login(dpo_a)
    response = client.get(reverse("audit_log_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["time", "user", "action"]
    assert rows[1][1:3] == ["adviser_a", "read"]
    assert rows[1][5] == participant.customer_number
    export = AccessLog.objects.filter(action="export").get()
    assert export.user == dpo_a and export.path == reverse("audit_log_export")
    assert ContentType.objects.count()  # sanity: content types exist


def test_csv_cells_cannot_start_a_formula():
    from triangle.views.audit import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("/participants/1/") == "/participants/1/"


def test_dpo_start_page_counts_failed_attempts_and_exports_with_fixed_queries(
    client, case, adviser_b, dpo_a, jc_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    participant, _ = case
    client.force_login(dpo_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for _n in range(3):
        ParticipantFactory(job_centre=jc_a, restricted=True)
        AccessLog.objects.create(user=adviser_b, action="failed", job_centre_id=jc_a.pk)
    client.get(reverse("privacy_export", args=[participant.pk]))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home"))
    assert len(many) == len(few)
    panel = page.content.decode()
    assert "<strong>3</strong> fehlgeschlagene Zugriffe" in panel
    assert "<strong>1</strong> Exporte" in panel
    assert "<strong>3</strong> Datensätze mit eingeschränkter Verarbeitung" in panel


def test_refused_page_is_logged_as_failed_attempt(client_for, adviser_a):
    assert client_for(adviser_a).get(reverse("audit_log")).status_code == 403
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.status_code, entry.path) == (
        adviser_a,
        "failed",
        403,
        reverse("audit_log"),
    )


def test_role_and_password_changes_are_logged_without_values(adviser_a, org_admin_a):
    from triangle.models import Membership

    with set_actor(org_admin_a):
        membership = Membership.objects.get(user=adviser_a)
        membership.role = "team_lead"
        membership.save()
        adviser_a.set_password("Ein-neues-Passwort-2026")
        adviser_a.save()
    role_change = LogEntry.objects.get_for_object(membership).latest("pk")
    assert role_change.changes_dict["role"] == ["adviser", "team_lead"]
    password_change = LogEntry.objects.get_for_object(adviser_a).latest("pk")
    assert password_change.changes_dict["password"] == [MASK, MASK]
    assert "last_login" not in password_change.changes_dict
