from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from triangle.access import contact_editor_organisation_ids, get_organisation_for_user
from triangle.models import ContactEntry, Organisation, Role


@login_required
def home(request):
    """Start page: one panel per role the user holds, each showing what needs doing today."""
    order = [
        Role.ADVISER,
        Role.TEAM_LEAD,
        Role.BENEFITS_OFFICER,
        Role.PROVIDER_STAFF,
        Role.PROVIDER_MANAGER,
        Role.ORG_ADMIN,
        Role.DATA_PROTECTION_OFFICER,
        Role.PARTICIPANT,
    ]
    roles = [role for role in order if role in request.user.roles]
    panels = [
        {"role": role, "label": Role(role).label, "template": f"_partials/home_{role}.html"}
        for role in roles
    ]
    return render(
        request,
        "triangle/home.html",
        {"panels": panels, "memberships": request.user.active_memberships},
    )


@login_required
def organisation_detail(request, pk):
    organisation = get_organisation_for_user(request.user, pk)
    contacts = ContactEntry.objects.filter(organisation=organisation).select_related("team")
    teams = organisation.teams.all()
    return render(
        request,
        "triangle/organisation_detail.html",
        {"organisation": organisation, "contacts": contacts, "teams": teams},
    )


@login_required
def contact_directory(request):
    """Who to contact for what, across the organisations the user works with."""
    query = request.GET.get("q", "").strip()
    entries = ContactEntry.objects.visible_to(request.user).select_related("organisation", "team")
    if query:
        entries = entries.filter(
            Q(name__icontains=query)
            | Q(topic__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(team__name__icontains=query)
        )
    organisations = Organisation.objects.visible_to(request.user).order_by("name")
    organisation = request.GET.get("organisation", "")
    if organisation.isdigit():
        entries = entries.filter(organisation_id=int(organisation))
    stale_only = bool(request.GET.get("stale"))
    if stale_only:
        cutoff = timezone.localdate() - timedelta(days=ContactEntry.STALE_AFTER_DAYS)
        entries = entries.filter(Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=cutoff))
    editable_ids = contact_editor_organisation_ids(request.user)
    return render(
        request,
        "triangle/contact_directory.html",
        {
            "entries": entries[:200],
            "query": query,
            "title": _("Contact directory"),
            "organisations": organisations,
            "organisation": organisation,
            "stale_only": stale_only,
            "editable_ids": editable_ids,
        },
    )


@never_cache
def healthz(request):
    """Health check for compose and load balancers: 200 "ok" when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
