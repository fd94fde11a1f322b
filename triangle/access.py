"""Access helpers: the one way views, exports, the API and dashboards fetch objects.

Rule: 404 when the user has no relation to the object, 403 when they may see but not change it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from triangle.models import ContactEntry, Organisation, Participant, Role
from triangle.participant_services import EDITING_ROLES


def get_visible_or_404(queryset: QuerySet, pk) -> Model:
    """Fetch ``pk`` from an already scoped queryset; anything outside it is a 404."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Not found.")) from exc


def get_organisation_for_user(user, pk, *, write: bool = False) -> Organisation:
    organisation = get_visible_or_404(Organisation.objects.visible_to(user), pk)
    if write and organisation.pk not in user.organisation_ids(Role.ORG_ADMIN):
        raise PermissionDenied(_("Only an admin of this organisation can change it."))
    return organisation


def contact_editor_organisation_ids(user) -> set[int]:
    """Organisations whose directory entries the user maintains."""
    return user.organisation_ids(Role.ORG_ADMIN, Role.TEAM_LEAD, Role.PROVIDER_MANAGER)


def can_edit_contacts(user, organisation_id: int) -> bool:
    return organisation_id in contact_editor_organisation_ids(user)


def get_contact_for_user(user, pk, *, write: bool = False) -> ContactEntry:
    entry = get_visible_or_404(ContactEntry.objects.visible_to(user), pk)
    if write and not can_edit_contacts(user, entry.organisation_id):
        raise PermissionDenied(_("You may not change this organisation's contacts."))
    return entry


def get_participant_for_user(user, pk, *, write: bool = False) -> Participant:
    """The full record is for the participant's job centre (advisers, team leads, benefits
    officers); providers see participants only inside referral pages. Changing: advisers and
    team leads."""
    participant = get_visible_or_404(
        Participant.objects.visible_to(user, via_referrals=False).select_related(
            "job_centre", "adviser", "team"
        ),
        pk,
    )
    if write and participant.job_centre_id not in user.organisation_ids(*EDITING_ROLES):
        raise PermissionDenied(_("You may read this participant's record but not change it."))
    return participant
