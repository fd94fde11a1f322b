"""Consent pages: a participant's consents (job centre), record, print, withdraw; and the
participant's own page "My data and consents" where withdrawing is one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from triangle.access import get_visible_or_404
from triangle.audit import log_access
from triangle.consent_rules import MINIMUM_FIELDS
from triangle.consent_services import (
    ConsentError,
    allowed_recipients,
    can_manage_consents,
    record_consent,
    withdraw_consent,
)
from triangle.forms_consent import ConsentForm, WithdrawConsentForm
from triangle.models import Participant
from triangle.models.consent import Consent, DataCategory, ParticipantAccount, WithdrawalMethod


def get_participant_for_consents(user, pk, *, write: bool = False) -> Participant:
    """Job-centre staff of the participant's job centre (404 otherwise); changes only by its
    advisers and team leads (403)."""
    participant = get_visible_or_404(
        Participant.objects.visible_to(user, via_referrals=False).select_related("job_centre"),
        pk,
    )
    if write and not can_manage_consents(user, participant):
        raise PermissionDenied(_("Only advisers and team leads can record consents."))
    return participant


def get_consent_for_user(user, pk, *, write: bool = False) -> Consent:
    consent = get_visible_or_404(
        Consent.objects.visible_to(user).select_related(
            "participant__job_centre", "recorded_by", "withdrawn_by"
        ),
        pk,
    )
    if write and not (
        can_manage_consents(user, consent.participant) or _own_account(user, consent)
    ):
        raise PermissionDenied(_("You may not change this consent."))
    return consent


def _own_account(user, consent: Consent) -> bool:
    account = getattr(user, "participant_account", None) if user.is_authenticated else None
    return account is not None and account.participant_id == consent.participant_id


@login_required
def participant_consents(request, pk):
    participant = get_participant_for_consents(request.user, pk)
    consents = participant.consents.prefetch_related("recipients")
    log_access(request, participant, action="read")
    return render(
        request,
        "triangle/consent_list.html",
        {
            "participant": participant,
            "consents": consents,
            "can_manage": can_manage_consents(request.user, participant),
            "minimum_fields": MINIMUM_FIELDS,
        },
    )


@login_required
def consent_create(request, pk):
    participant = get_participant_for_consents(request.user, pk, write=True)
    log_access(request, participant, action="read")
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        recipients_queryset=allowed_recipients(participant),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = record_consent(
                participant,
                by=request.user,
                purpose=data["purpose"],
                purpose_detail=data.get("purpose_detail", ""),
                categories=data["categories"],
                recipients=data["recipients"],
                how_given=data["how_given"],
                witness=data.get("witness", ""),
                date_given=data["date_given"],
                expires_on=data.get("expires_on"),
            )
        except ConsentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect(consent)
    return render(request, "triangle/consent_form.html", {"participant": participant, "form": form})


@login_required
def consent_detail(request, pk):
    consent = get_consent_for_user(request.user, pk)
    if _own_account(request.user, consent):
        return redirect("my_data")
    log_access(request, consent, action="read")
    return render(
        request,
        "triangle/consent_detail.html",
        {
            "consent": consent,
            "participant": consent.participant,
            "recipients": consent.recipients.all(),
            "can_manage": can_manage_consents(request.user, consent.participant),
            "withdraw_form": WithdrawConsentForm(),
        },
    )


@login_required
def consent_print(request, pk):
    consent = get_consent_for_user(request.user, pk)
    log_access(request, consent, action="export")
    chosen = set(consent.categories)
    return render(
        request,
        "triangle/consent_print.html",
        {
            "consent": consent,
            "participant": consent.participant,
            "recipients": consent.recipients.all(),
            "categories": [c for c in DataCategory if c.value in chosen],
            "minimum_fields": MINIMUM_FIELDS,
        },
    )


@login_required
@require_POST
def consent_withdraw(request, pk):
    consent = get_consent_for_user(request.user, pk, write=True)
    if _own_account(request.user, consent):
        how, back = WithdrawalMethod.DIGITAL, "my_data"
    else:
        form = WithdrawConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please choose how the consent was withdrawn."))
            return redirect(consent)
        how, back = form.cleaned_data["how"], None
    try:
        withdraw_consent(consent, by=request.user, how=how)
    except ConsentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "The consent has been withdrawn. The recipients no longer see the data shared "
                "under it."
            ),
        )
    return redirect(back or consent)


@login_required
def my_data(request):
    """The participant's own page: what is stored about them and which consents they gave."""
    account = (
        ParticipantAccount.objects.filter(user=request.user)
        .select_related("participant__job_centre", "participant__adviser")
        .first()
    )
    if account is None:
        raise Http404(_("Not found."))
    participant = account.participant
    consents = participant.consents.prefetch_related("recipients")
    log_access(request, participant, action="read")
    return render(
        request,
        "triangle/consent_my_data.html",
        {"participant": participant, "consents": consents},
    )
