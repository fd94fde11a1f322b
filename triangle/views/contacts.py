"""Maintaining the contact directory: create, edit, "still correct"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from triangle import contact_services
from triangle.access import contact_editor_organisation_ids, get_contact_for_user
from triangle.forms_contacts import ContactEntryForm
from triangle.models import ContactEntry


def _form_page(request, form, entry=None):
    return render(request, "triangle/contact_form.html", {"form": form, "entry": entry})


def _save(request, form, entry=None):
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.save_contact(form.save(commit=False), by=request.user)
        except contact_services.ContactError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("contact_directory")
    return _form_page(request, form, entry)


@login_required
def contact_create(request):
    organisation_ids = contact_editor_organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied(_("You may not change this organisation's contacts."))
    form = ContactEntryForm(
        request.POST or None, instance=ContactEntry(), organisation_ids=organisation_ids
    )
    return _save(request, form)


@login_required
def contact_edit(request, pk):
    entry = get_contact_for_user(request.user, pk, write=True)
    form = ContactEntryForm(
        request.POST or None,
        instance=entry,
        organisation_ids=contact_editor_organisation_ids(request.user),
    )
    return _save(request, form, entry)


@require_POST
@login_required
def contact_verify(request, pk):
    entry = get_contact_for_user(request.user, pk, write=True)
    contact_services.verify_contact(entry, by=request.user)
    messages.success(request, _("Thank you – the contact is marked as still correct."))
    return redirect("contact_directory")
