"""Participant pages for the job centre: list with search, detail with every referral past and
present ("Maßnahmenhopping" visible before referring again), create and edit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referrals.models import ACTIVE, Referral, Status
from triangle import participant_services as services
from triangle.access import get_participant_for_user
from triangle.audit import log_access
from triangle.models import JOB_CENTRE_ROLES, Organisation, Participant, Role, Team, User

PAGE_SIZE = 50


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = services.FIELDS
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "customer_number": {"required": gettext_lazy("Please enter the customer number.")},
            "first_name": {"required": gettext_lazy("Please enter the first name.")},
            "last_name": {"required": gettext_lazy("Please enter the last name.")},
            "email": {"invalid": gettext_lazy("Please enter a valid e-mail address.")},
        }

    def __init__(self, *args, job_centre: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_centre = job_centre
        self.fields["adviser"].queryset = User.objects.filter(
            memberships__organisation=job_centre,
            memberships__role__in=[Role.ADVISER, Role.TEAM_LEAD],
            memberships__is_active=True,
        ).distinct()
        self.fields["team"].queryset = Team.objects.filter(organisation=job_centre)

    def clean_customer_number(self) -> str:
        number = self.cleaned_data["customer_number"].strip().upper()
        clash = Participant.objects.filter(job_centre=self.job_centre, customer_number=number)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("A participant with this customer number already exists at this job centre.")
            )
        return number

    def validate_unique(self):
        # job_centre is not a form field; the customer number check above covers the constraint
        pass


def _job_centre_of(user) -> Organisation:
    ids = user.organisation_ids(*services.EDITING_ROLES)
    if not ids:
        raise PermissionDenied(_("Only advisers and team leads can add participants."))
    return Organisation.objects.get(pk=min(ids))


@login_required
def participant_list(request):
    user = request.user
    if not user.has_role(*JOB_CENTRE_ROLES):
        raise PermissionDenied(_("The participant list is for job centre staff."))
    query = request.GET.get("q", "").strip()
    participants = (
        Participant.objects.visible_to(user, via_referrals=False)
        .search(query)
        .select_related("adviser", "team")
        # a correlated count, so the database counts only for the 50 rows of the page
        .annotate(
            active_referrals=Coalesce(
                Subquery(
                    Referral.objects.filter(participant=OuterRef("pk"), status__in=ACTIVE)
                    .order_by()
                    .values("participant")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "triangle/participant_list.html",
        {
            "page": page,
            "q": query,
            "query": f"q={query}" if query else "",
            "can_add": user.has_role(*services.EDITING_ROLES),
        },
    )


@login_required
def participant_detail(request, pk):
    participant = get_participant_for_user(request.user, pk)
    log_access(request, participant)
    referrals = (
        Referral.objects.filter(participant=participant)
        .select_related("run__measure__provider", "adviser")
        .order_by("-created_at", "-pk")
    )
    referrals = list(referrals)
    return render(
        request,
        "triangle/participant_detail.html",
        {
            "participant": participant,
            "referrals": referrals,
            "dropouts": sum(1 for r in referrals if r.status == Status.DROPPED_OUT),
            "can_edit": participant.job_centre_id
            in request.user.organisation_ids(*services.EDITING_ROLES),
        },
    )


@login_required
def participant_create(request):
    job_centre = _job_centre_of(request.user)
    form = ParticipantForm(
        request.POST or None,
        job_centre=job_centre,
        initial={"adviser": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.FIELDS}
        participant = services.create_participant(by=request.user, job_centre=job_centre, **data)
        messages.success(request, _("Participant added."))
        return redirect(participant)
    return render(
        request,
        "triangle/participant_form.html",
        {"form": form, "title": _("Add participant")},
    )


@login_required
def participant_edit(request, pk):
    participant = get_participant_for_user(request.user, pk, write=True)
    log_access(request, participant)
    form = ParticipantForm(
        request.POST or None, instance=participant, job_centre=participant.job_centre
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.FIELDS}
        services.update_participant(participant, by=request.user, **data)
        messages.success(request, _("Changes saved."))
        return redirect(participant)
    return render(
        request,
        "triangle/participant_form.html",
        {"form": form, "title": _("Edit participant"), "participant": participant},
    )
