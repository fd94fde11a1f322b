"""The audit log for the data protection officer: search reads and changes, export as CSV."""

from __future__ import annotations

import csv
from datetime import datetime, time

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from triangle.audit import change_entries_visible_to, log_export
from triangle.models import Participant, Role
from triangle.models.audit import AccessLog

EXPORT_LIMIT = 50_000


class AuditFilterForm(forms.Form):
    KIND_CHOICES = [
        ("reads", gettext_lazy("Reads, exports and failed attempts")),
        ("changes", gettext_lazy("Changes")),
    ]
    kind = forms.ChoiceField(label=gettext_lazy("What"), choices=KIND_CHOICES, required=False)
    customer_number = forms.CharField(
        label=gettext_lazy("Customer number"), max_length=40, required=False
    )
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150, required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _require_dpo(user) -> set[int]:
    orgs = user.organisation_ids(Role.DATA_PROTECTION_OFFICER)
    if not orgs:
        raise PermissionDenied(_("Only the data protection officer can see the audit log."))
    return orgs


def _filtered(request):
    """(kind, form, queryset, participants by id) for the current filter."""
    orgs = _require_dpo(request.user)
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind") or "reads"
    if kind == "changes":
        qs = change_entries_visible_to(request.user).order_by("-timestamp", "-pk")
        time_field, user_field = "timestamp", "actor__username"
    else:
        qs = AccessLog.objects.visible_to(request.user).select_related("user", "content_type")
        time_field, user_field = "at", "user__username"
    if data.get("customer_number"):
        # The DPO's own job centres only; restricted records included (the DPO may see them).
        ids = list(
            Participant.objects.filter(
                job_centre_id__in=orgs, customer_number__iexact=data["customer_number"].strip()
            ).values_list("pk", flat=True)
        )
        if kind == "changes":
            qs = qs.filter(additional_data__participant_id__in=ids)
        else:
            qs = qs.filter(participant_id__in=ids)
    if data.get("username"):
        qs = qs.filter(**{user_field: data["username"].strip()})
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        start = timezone.make_aware(datetime.combine(data["date_from"], time.min), tz)
        qs = qs.filter(**{f"{time_field}__gte": start})
    if data.get("date_to"):
        end = timezone.make_aware(datetime.combine(data["date_to"], time.max), tz)
        qs = qs.filter(**{f"{time_field}__lte": end})
    return kind, form, qs, orgs


def _customer_numbers(ids, orgs) -> dict[int, str]:
    ids = {i for i in ids if i}
    return dict(
        Participant.objects.filter(pk__in=ids, job_centre_id__in=orgs).values_list(
            "pk", "customer_number"
        )
    )


def _cell(value) -> str:
    """CSV cell safe to open in a spreadsheet (no formula injection)."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _participant_id(entry) -> int | None:
    if isinstance(entry, LogEntry):
        return (entry.additional_data or {}).get("participant_id")
    return entry.participant_id


@login_required
def audit_log(request):
    kind, form, qs, orgs = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    numbers = _customer_numbers([_participant_id(e) for e in page], orgs)
    rows = [{"entry": e, "customer_number": numbers.get(_participant_id(e), "")} for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "triangle/audit_log.html",
        {"form": form, "kind": kind, "page": page, "rows": rows, "query": query.urlencode()},
    )


@login_required
def audit_log_export(request):
    kind, form, qs, orgs = _filtered(request)
    entries = list(qs[:EXPORT_LIMIT])
    numbers = _customer_numbers([_participant_id(e) for e in entries], orgs)
    log_export(request, None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{kind}-{stamp}.csv"'
    writer = csv.writer(response)
    if kind == "changes":
        writer.writerow(["time", "user", "action", "object", "changed_fields", "participant", "ip"])
        for e in entries:
            writer.writerow(
                map(
                    _cell,
                    [
                        timezone.localtime(e.timestamp).isoformat(),
                        e.actor.username if e.actor else "",
                        e.get_action_display(),
                        e.object_repr,
                        " ".join(sorted((e.changes_dict or {}).keys())),
                        numbers.get(_participant_id(e), ""),
                        e.remote_addr or "",
                    ],
                )
            )
    else:
        writer.writerow(
            ["time", "user", "action", "object_type", "object_id", "participant", "path", "status"]
        )
        for e in entries:
            writer.writerow(
                map(
                    _cell,
                    [
                        timezone.localtime(e.at).isoformat(),
                        e.user.username if e.user else "",
                        e.action,
                        e.content_type.model if e.content_type else "",
                        e.object_id,
                        numbers.get(e.participant_id, ""),
                        e.path,
                        e.status_code or "",
                    ],
                )
            )
    return response
