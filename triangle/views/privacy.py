"""Participant rights for the data protection officer: find a record (restricted ones too),
export everything held about it (Art. 15 GDPR: print view and JSON), restrict processing
(Art. 18 GDPR)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from triangle.access import get_visible_or_404
from triangle.audit import log_access, log_export
from triangle.models import Participant, Role
from triangle.privacy import PrivacyError, participant_data, set_participant_restriction
from triangle.views.audit import _require_dpo


def _participants_for_dpo(user):
    """The DPO's job centres' participants, restricted ones included (only for the DPO)."""
    orgs = user.organisation_ids(Role.DATA_PROTECTION_OFFICER)
    return Participant.objects.filter(job_centre_id__in=orgs)


def get_participant_for_dpo(user, pk) -> Participant:
    return get_visible_or_404(_participants_for_dpo(user), pk)


@login_required
def privacy_lookup(request):
    _require_dpo(request.user)
    number = request.GET.get("customer_number", "").strip()
    found = []
    if number:
        found = list(
            _participants_for_dpo(request.user)
            .filter(customer_number__iexact=number)
            .select_related("job_centre")
        )
    return render(request, "triangle/privacy_lookup.html", {"number": number, "found": found})


@login_required
def privacy_participant(request, pk):
    participant = get_participant_for_dpo(request.user, pk)
    log_access(request, participant)
    return render(request, "triangle/privacy_participant.html", {"participant": participant})


@login_required
def privacy_export(request, pk):
    participant = get_participant_for_dpo(request.user, pk)
    log_export(request, participant)
    return render(
        request,
        "triangle/privacy_export.html",
        {"participant": participant, "data": participant_data(participant)},
    )


@login_required
def privacy_export_json(request, pk):
    participant = get_participant_for_dpo(request.user, pk)
    log_export(request, participant)
    body = json.dumps(participant_data(participant), cls=DjangoJSONEncoder, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="auskunft-{participant.pk}-{stamp}.json"'
    )
    return response


@login_required
@require_POST
def privacy_restrict(request, pk):
    participant = get_participant_for_dpo(request.user, pk)
    restricted = request.POST.get("restricted") == "1"
    try:
        set_participant_restriction(participant, restricted=restricted, by=request.user)
    except PrivacyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Processing is now restricted: only you can see this record.")
            if restricted
            else _("The restriction has been lifted."),
        )
    return redirect("privacy_participant", pk=participant.pk)
