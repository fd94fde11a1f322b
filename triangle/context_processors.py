"""Role-aware navigation.

Each entry names a URL and the roles that see it. Entries whose URL does not exist (yet) are left
out, so the menu only ever shows pages that are there.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from triangle.models import PROVIDER_ROLES, Role

_JC = {Role.ADVISER, Role.TEAM_LEAD, Role.BENEFITS_OFFICER}
_ALL_STAFF = _JC | PROVIDER_ROLES | {Role.ORG_ADMIN, Role.DATA_PROTECTION_OFFICER}

NAVIGATION = [
    ("home", _("Start"), _ALL_STAFF | {Role.PARTICIPANT}),
    ("dashboard", _("Dashboard"), {Role.TEAM_LEAD, Role.PROVIDER_MANAGER}),
    ("measures:catalogue", _("Measure catalogue"), _JC | {Role.PROVIDER_MANAGER}),
    ("referrals:my_referrals", _("My referrals"), {Role.ADVISER, Role.TEAM_LEAD}),
    ("participant_list", _("Participants"), {Role.ADVISER, Role.TEAM_LEAD}),
    ("referrals:inbox", _("Inbox"), PROVIDER_ROLES),
    ("measures:my_measures", _("My measures"), PROVIDER_ROLES),
    ("referrals:attendance", _("Attendance"), PROVIDER_ROLES),
    ("contact_directory", _("Contacts"), _ALL_STAFF),
    ("audit_log", _("Audit log"), {Role.DATA_PROTECTION_OFFICER}),
    ("privacy_lookup", _("Participant rights"), {Role.DATA_PROTECTION_OFFICER}),
    ("my_data", _("My data and consents"), {Role.PARTICIPANT}),
]


def _resolve(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    roles = user.roles
    items = []
    for name, label, allowed in NAVIGATION:
        if roles & allowed:
            url = _resolve(name)
            if url:
                items.append({"url": url, "label": label, "active": request.path == url})
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("Administration"), "active": False})
    return {"nav_items": items}
