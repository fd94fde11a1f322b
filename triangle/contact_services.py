"""Writes to the contact directory (Ansprechpartnerverzeichnis)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from triangle.access import can_edit_contacts
from triangle.models import ContactEntry


class ContactError(Exception):
    """Not allowed; the message is translated and shown to the user."""


def _check(entry: ContactEntry, by) -> None:
    if not can_edit_contacts(by, entry.organisation_id):
        raise ContactError(_("You may not change this organisation's contacts."))
    if entry.team_id and entry.team.organisation_id != entry.organisation_id:
        raise ContactError(_("The team must belong to the organisation."))


@transaction.atomic
def save_contact(entry: ContactEntry, *, by) -> ContactEntry:
    """Create or change an entry; saving it counts as checking it."""
    _check(entry, by)
    entry.last_verified_at = timezone.localdate()
    entry.last_verified_by = by
    entry.save()
    return entry


@transaction.atomic
def verify_contact(entry: ContactEntry, *, by) -> ContactEntry:
    """ "Still correct": confirm the entry today."""
    _check(entry, by)
    entry.last_verified_at = timezone.localdate()
    entry.last_verified_by = by
    entry.save(update_fields=["last_verified_at", "last_verified_by"])
    return entry
