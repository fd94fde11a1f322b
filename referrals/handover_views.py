"""Handover pages. Every page that shows handover content takes the reader's categories from
``visible_categories`` and the content from ``handover_sections``: nothing else decides what a
provider sees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from referrals import handover_services as services
from referrals.handover_forms import HandoverDocumentForm, HandoverForm
from referrals.models_handover import Handover
from triangle.audit import log_access
from triangle.consent_rules import ALL_CATEGORIES, MINIMUM_FIELDS
from triangle.models.consent import DataCategory
from triangle.uploads import serve_protected_file


def _handover_of(referral) -> Handover | None:
    return Handover.objects.filter(referral=referral).select_related("acknowledged_by").first()


def _reader_context(request, referral) -> dict:
    handover = _handover_of(referral)
    categories = services.visible_categories(request.user, referral)
    return {
        "referral": referral,
        "participant": referral.participant,
        "handover": handover,
        "categories": categories,
        "sees_everything": categories == ALL_CATEGORIES,
        "sections": services.handover_sections(handover, referral, categories),
        "minimum": services.minimum_data(referral),
        "minimum_fields": MINIMUM_FIELDS,
        "is_provider": services.is_receiving_provider(request.user, referral),
        "can_write": services.can_write_handover(request.user, referral),
    }


@login_required
def handover_detail(request, pk):
    referral = services.get_referral_for_handover(request.user, pk)
    context = _reader_context(request, referral)
    log_access(request, context["handover"] or referral, action="read")
    return render(request, "referrals/handover_detail.html", context)


@login_required
def handover_export(request, pk):
    """Plain-text export of exactly what the reader may see (same rule as the page)."""
    referral = services.get_referral_for_handover(request.user, pk)
    context = _reader_context(request, referral)
    log_access(request, context["handover"] or referral, action="export")
    body = render_to_string("referrals/handover_export.txt", context, request=request)
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="uebergabe-{referral.pk}.txt"'
    response["Cache-Control"] = "private, no-store"
    return response


def _edit_page(request, referral, *, form=None, document_form=None, status=200):
    handover = _handover_of(referral)
    shared = services.consent_summary(referral)
    preview = [
        (c, c.value in shared) for c in DataCategory if c.value not in {"attendance", "progress"}
    ]
    return render(
        request,
        "referrals/handover_edit.html",
        {
            "referral": referral,
            "participant": referral.participant,
            "handover": handover,
            "form": form or HandoverForm(instance=handover),
            "document_form": document_form or HandoverDocumentForm(),
            "documents": list(handover.documents.all()) if handover else [],
            "missing": services.missing_items(handover) if handover else None,
            "preview": preview,
            "nothing_shared": not shared,
            "minimum_fields": MINIMUM_FIELDS,
            "earlier": services.earlier_referrals(referral),
        },
        status=status,
    )


@login_required
def handover_edit(request, pk):
    referral = services.get_referral_for_handover(request.user, pk, write=True)
    if request.method != "POST":
        log_access(request, _handover_of(referral) or referral, action="read")
        return _edit_page(request, referral)
    form = HandoverForm(request.POST, instance=_handover_of(referral))
    if not form.is_valid():
        return _edit_page(request, referral, form=form, status=400)
    try:
        services.save_handover(referral, by=request.user, data=form.service_data())
    except services.HandoverError as exc:
        form.add_error(None, str(exc))
        return _edit_page(request, referral, form=form, status=400)
    messages.success(request, _("The handover has been saved."))
    return redirect("referrals:handover_edit", pk=referral.pk)


@login_required
@require_POST
def handover_document_add(request, pk):
    referral = services.get_referral_for_handover(request.user, pk, write=True)
    form = HandoverDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_handover_document(
                referral,
                by=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                category=form.cleaned_data["category"],
            )
        except services.HandoverError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("The document has been added."))
            return redirect(reverse("referrals:handover_edit", args=[referral.pk]) + "#documents")
    return _edit_page(request, referral, document_form=form, status=400)


@login_required
def handover_document(request, pk):
    document = services.get_document_for_user(request.user, pk)
    log_access(request, document, action="export")
    return serve_protected_file(request, document.file, document.title)


@login_required
@require_POST
def handover_send(request, pk):
    referral = services.get_referral_for_handover(request.user, pk, write=True)
    handover = _handover_of(referral)
    if handover is None:
        messages.error(request, _("Please fill in and save the handover first."))
        return redirect("referrals:handover_edit", pk=referral.pk)
    try:
        services.send_handover(handover, by=request.user)
    except services.HandoverError as exc:
        messages.error(request, str(exc))
        return redirect("referrals:handover_edit", pk=referral.pk)
    messages.success(request, _("The handover has been sent to the provider."))
    return redirect("referrals:handover_detail", pk=referral.pk)


@login_required
@require_POST
def handover_acknowledge(request, pk):
    referral = services.get_referral_for_handover(request.user, pk)
    if not services.is_receiving_provider(request.user, referral):
        raise PermissionDenied(_("Only the receiving provider can acknowledge the handover."))
    handover = _handover_of(referral)
    try:
        if handover is None:
            raise services.HandoverError(_("This handover has not been sent yet."))
        services.acknowledge_handover(handover, by=request.user)
    except services.HandoverError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: the handover is acknowledged."))
    return redirect("referrals:handover_detail", pk=referral.pk)
