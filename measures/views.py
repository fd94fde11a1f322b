from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from measures import imports, services
from measures.access import (
    can_edit_measure,
    get_measure_for_user,
    get_open_day_for_user,
    get_run_for_user,
)
from measures.filters import CatalogueFilter
from measures.forms import MeasureForm, OpenDayForm, RunForm, StatusForm
from measures.models import Measure, OpenDay, OpenDaySignup, Run, provider_ids_of
from measures.selectors import occupancy_of_measure
from triangle.models import ContactEntry, Organisation, Role
from triangle.uploads import serve_protected_file

PAGE_SIZE = 25
CATALOGUE_COLUMNS = [
    "title",
    "summary",
    "legal_basis",
    "city",
    "entry_mode",
    "provider__name",
    "provider__short_name",
]


class CappedPaginator(Paginator):
    """Counts at most ``CAP`` + 1 rows: with 50 000 measures a broad search or filter would
    otherwise spend most of its time counting. Beyond the cap the page says "more than"."""

    CAP = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP


def _require_membership(user) -> None:
    if not user.active_memberships:
        raise PermissionDenied(_("You have no active membership."))


def _own_provider(user) -> Organisation:
    """The provider a provider staff member or manager creates measures for."""
    ids = sorted(provider_ids_of(user))
    if not ids:
        raise PermissionDenied(_("Only provider staff can maintain measures."))
    return Organisation.objects.get(pk=ids[0])


@login_required
def catalogue(request):
    _require_membership(request.user)
    base = (
        Measure.objects.visible_to(request.user)
        .published()
        .select_related("provider")
        # Only what a row shows: sorting narrow rows (no long texts, no search vector) keeps a
        # ranked search over thousands of matches fast.
        .only(*CATALOGUE_COLUMNS)
        .with_catalogue_figures()
    )
    filterset = CatalogueFilter(request.GET or None, queryset=base)
    measures = filterset.qs if filterset.is_bound else base.order_by("title", "pk")
    page = CappedPaginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measures/catalogue.html",
        {
            "filter": filterset,
            "page": page,
            "query_string": query.urlencode(),
            "can_create": bool(provider_ids_of(request.user)),
        },
    )


def _history(measure: Measure) -> list[dict]:
    """Who changed what, when: auditlog entries of the measure, its runs and open days."""
    types = ContentType.objects.get_for_models(Measure, Run, OpenDay)
    run_ids = [str(pk) for pk in measure.runs.values_list("pk", flat=True)]
    day_ids = [str(pk) for pk in measure.open_days.values_list("pk", flat=True)]
    entries = (
        LogEntry.objects.filter(
            Q(content_type=types[Measure], object_pk=str(measure.pk))
            | Q(content_type=types[Run], object_pk__in=run_ids)
            | Q(content_type=types[OpenDay], object_pk__in=day_ids)
        )
        .select_related("actor")
        .order_by("-timestamp")[:30]
    )
    model_of = {ct.pk: model for model, ct in types.items()}
    history = []
    for entry in entries:
        model = model_of[entry.content_type_id]
        fields = []
        for name in entry.changes_dict or {}:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a field removed since the entry was written
                fields.append(name)
            else:
                fields.append(str(getattr(field, "verbose_name", name)))
        history.append(
            {
                "timestamp": entry.timestamp,
                "actor": entry.actor,
                "object": model._meta.verbose_name,
                "action": entry.get_action_display(),
                "fields": fields,
            }
        )
    return history


def _refer_url(run_id: int) -> str | None:
    try:
        return reverse("referrals:create") + f"?run={run_id}"
    except NoReverseMatch:
        return None


@login_required
def detail(request, pk):
    measure = get_measure_for_user(request.user, pk)
    today = timezone.localdate()
    editable = can_edit_measure(request.user, measure)
    measure = (
        Measure.objects.filter(pk=measure.pk)
        .select_related("provider", "last_verified_by")
        .prefetch_related(
            "commissioners",
            Prefetch("contacts", queryset=ContactEntry.objects.select_related("team")),
        )
        .get()
    )
    runs = measure.runs.with_occupancy().order_by("start_date", "pk")
    if not editable:
        runs = runs.exclude(status=Run.Status.CANCELLED).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
    runs = list(runs)
    refer = _refer_url(0) is not None
    for run in runs:
        run.refer_url = _refer_url(run.pk) if refer and run.status == Run.Status.OPEN else None
    open_days = list(
        measure.open_days.upcoming()
        .annotate(
            signed_up=Count("signups"),
            mine=Exists(OpenDaySignup.objects.filter(open_day=OuterRef("pk"), user=request.user)),
        )
        .order_by("starts_at")
    )
    return render(
        request,
        "measures/detail.html",
        {
            "measure": measure,
            "runs": runs,
            "open_days": open_days,
            "occupancy": occupancy_of_measure(measure, today),
            "editable": editable,
            "history": _history(measure) if editable else None,
            "status_choices": Measure.Status.choices,
        },
    )


@login_required
def my_measures(request):
    if not provider_ids_of(request.user):
        raise PermissionDenied(_("Only provider staff can maintain measures."))
    measures = (
        Measure.objects.maintained_by(request.user)
        .select_related("provider", "last_verified_by")
        .with_catalogue_figures()
        .with_occupancy()
        .order_by("status", "title", "pk")
    )
    page = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "measures/my_measures.html",
        {
            "page": page,
            "can_import": request.user.has_role(Role.PROVIDER_MANAGER, Role.ORG_ADMIN),
        },
    )


def _measure_form_page(request, form, measure=None):
    return render(request, "measures/measure_form.html", {"form": form, "measure": measure})


@login_required
def create(request):
    provider = _own_provider(request.user)
    form = MeasureForm(request.POST or None, request.FILES or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        measure = services.save_measure(
            form.save(commit=False),
            by=request.user,
            provider=provider,
            commissioners=form.cleaned_data["commissioners"],
            contacts=form.cleaned_data["contacts"],
        )
        messages.success(request, _("The measure was saved as a draft."))
        return redirect(measure)
    return _measure_form_page(request, form)


@login_required
def edit(request, pk):
    measure = get_measure_for_user(request.user, pk, write=True)
    form = MeasureForm(
        request.POST or None, request.FILES or None, instance=measure, provider=measure.provider
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_measure(
                form.save(commit=False),
                by=request.user,
                commissioners=form.cleaned_data["commissioners"],
                contacts=form.cleaned_data["contacts"],
            )
        except services.MeasureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(measure)
    return _measure_form_page(request, form, measure)


@require_POST
@login_required
def verify(request, pk):
    measure = get_measure_for_user(request.user, pk, write=True)
    services.verify_measure(measure, by=request.user)
    messages.success(request, _("Thank you – the measure is marked as still correct."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = measure.get_absolute_url()
    return redirect(target)


@require_POST
@login_required
def change_status(request, pk):
    measure = get_measure_for_user(request.user, pk, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid status."))
        return redirect(measure)
    try:
        measure = services.set_measure_status(measure, form.cleaned_data["status"], by=request.user)
    except services.MeasureError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Status changed to “%(status)s”.") % {"status": measure.get_status_display()}
        )
    return redirect(measure)


@login_required
def flyer(request, pk):
    measure = get_measure_for_user(request.user, pk)
    return serve_protected_file(request, measure.flyer, f"Flyer {measure.title}")


# --- runs ---------------------------------------------------------------------------------------
def _run_form_page(request, form, measure, run=None):
    return render(request, "measures/run_form.html", {"form": form, "measure": measure, "run": run})


@login_required
def run_create(request, pk):
    measure = get_measure_for_user(request.user, pk, write=True)
    form = RunForm(request.POST or None, instance=Run(measure=measure))
    return _save_run(request, form, measure)


@login_required
def run_edit(request, pk):
    run = get_run_for_user(request.user, pk, write=True)
    form = RunForm(request.POST or None, instance=run)
    return _save_run(request, form, run.measure, run)


def _save_run(request, form, measure, run=None):
    if request.method == "POST" and form.is_valid():
        try:
            services.save_run(form.save(commit=False), by=request.user)
        except services.MeasureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The run was saved."))
            return redirect(measure)
    return _run_form_page(request, form, measure, run)


# --- open days ----------------------------------------------------------------------------------
@login_required
def open_day_create(request, pk):
    measure = get_measure_for_user(request.user, pk, write=True)
    form = OpenDayForm(request.POST or None, instance=OpenDay(measure=measure))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_open_day(form.save(commit=False), by=request.user)
        except services.MeasureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The date was announced."))
            return redirect(measure)
    return render(request, "measures/open_day_form.html", {"form": form, "measure": measure})


@login_required
def open_day_detail(request, pk):
    open_day = get_open_day_for_user(request.user, pk)
    editable = can_edit_measure(request.user, open_day.measure)
    signups = (
        open_day.signups.select_related("user", "organisation").order_by("created_at")
        if editable
        else None
    )
    return render(
        request,
        "measures/open_day_detail.html",
        {
            "open_day": open_day,
            "measure": open_day.measure,
            "signups": signups,
            "signed_up": open_day.signups.count(),
            "mine": open_day.signups.filter(user=request.user).exists(),
            "editable": editable,
        },
    )


@require_POST
@login_required
def open_day_signup(request, pk):
    open_day = get_open_day_for_user(request.user, pk)
    if not request.user.has_role(Role.ADVISER, Role.TEAM_LEAD, Role.BENEFITS_OFFICER):
        raise PermissionDenied(_("Only job centre staff can sign up."))
    try:
        services.sign_up_for_open_day(open_day, user=request.user)
    except services.MeasureError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are signed up."))
    return redirect(open_day.measure)


@require_POST
@login_required
def open_day_cancel(request, pk):
    open_day = get_open_day_for_user(request.user, pk)
    services.cancel_open_day_signup(open_day, user=request.user)
    messages.success(request, _("Your sign-up was cancelled."))
    return redirect(open_day.measure)


# --- import -------------------------------------------------------------------------------------
def _importing_provider(user) -> Organisation:
    ids = user.organisation_ids(Role.PROVIDER_MANAGER) | (
        user.organisation_ids(Role.ORG_ADMIN)
        & set(Organisation.objects.providers().values_list("pk", flat=True))
    )
    if not ids:
        raise PermissionDenied(_("Only a provider's manager or admin can import measures."))
    return Organisation.objects.get(pk=sorted(ids)[0])


@login_required
def import_measures(request):
    provider = _importing_provider(request.user)
    form = imports.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.read_rows(form.cleaned_data["file"], provider=provider)
        if (
            form.cleaned_data["file"]
            and report.rows
            and (report.all_valid or form.cleaned_data["import_valid_rows"])
        ):
            created = imports.import_rows(report, provider=provider, by=request.user)
            messages.success(
                request,
                _("%(measures)d measures and %(runs)d runs were imported.")
                % {"measures": created.measures, "runs": created.runs},
            )
            return redirect("measures:my_measures")
    return render(
        request,
        "measures/import.html",
        {"form": form, "report": report, "provider": provider, "columns": imports.COLUMNS},
    )


@login_required
def import_template(request, fmt):
    _importing_provider(request.user)
    if fmt not in {"csv", "xlsx"}:
        raise Http404(_("Unknown format."))
    content, content_type, name = imports.template_file(fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
