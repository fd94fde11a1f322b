"""Referral pages: refer in a minute, my referrals, the provider inbox, the referral page with
its timeline, actions and messages, bulk start. Views are thin: access helper → form → one
service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from measures.access import get_run_for_user
from referrals import forms, services
from referrals.access import get_referral_for_user
from referrals.models import OPEN, TRANSITIONS, Side, Status
from referrals.selectors import (
    INBOX_GROUPS,
    decorate,
    inbox_counts,
    participant_warnings,
    provider_inbox,
)
from referrals.selectors import (
    my_referrals as select_my_referrals,
)
from triangle.access import get_visible_or_404
from triangle.audit import log_access
from triangle.models import JOB_CENTRE_ROLES, PROVIDER_ROLES, Notification, Participant, Role

PAGE_SIZE = 50


class Action:
    def __init__(self, slug, target, label, form, service, style="outline-primary"):
        self.slug, self.target, self.label = slug, target, label
        self.form, self.service, self.style = form, service, style
        # the side that may take this action (None: the author of the last change, checked
        # by the correction service)
        sides = {side for (_from, to), side in TRANSITIONS.items() if to == target}
        self.side = sides.pop() if len(sides) == 1 else None


ACTIONS = {
    a.slug: a
    for a in [
        Action("submit", Status.SUBMITTED, gettext_lazy("Make it a formal referral"),
               forms.NoteForm, services.submit_referral, "primary"),
        Action("accept", Status.ACCEPTED, gettext_lazy("Accept"), forms.AcceptForm,
               services.accept_referral, "success"),
        Action("waitlist", Status.WAITLISTED, gettext_lazy("Put on the waiting list"),
               forms.NoteForm, services.waitlist_referral),
        Action("decline", Status.DECLINED, gettext_lazy("Decline"), forms.DeclineForm,
               services.decline_referral, "outline-danger"),
        Action("start", Status.STARTED, gettext_lazy("Record start"), forms.StartForm,
               services.record_start, "success"),
        Action("no_show", Status.NO_SHOW, gettext_lazy("Record no-show"), forms.NoShowForm,
               services.record_no_show, "outline-danger"),
        Action("interrupt", Status.INTERRUPTED, gettext_lazy("Record interruption"),
               forms.NoteForm, services.interrupt_referral),
        Action("resume", Status.STARTED, gettext_lazy("Record resumption"), forms.NoteForm,
               services.resume_referral, "success"),
        Action("complete", Status.COMPLETED, gettext_lazy("Record completion"),
               forms.CompleteForm, services.complete_referral, "success"),
        Action("dropout", Status.DROPPED_OUT, gettext_lazy("Record dropout"),
               forms.DropoutForm, services.record_dropout, "outline-danger"),
        Action("withdraw", Status.WITHDRAWN, gettext_lazy("Withdraw referral"),
               forms.WithdrawForm, services.withdraw_referral, "outline-danger"),
        Action("correct", None, gettext_lazy("Correct my last status change"),
               forms.CorrectForm, services.correct_referral, "outline-secondary"),
    ]
}  # fmt: skip


def available_actions(referral, user) -> list[Action]:
    sides = services.sides_of(user, referral)
    result = []
    for action in ACTIONS.values():
        if action.target is None:
            continue
        side = TRANSITIONS.get((referral.status, action.target))
        if side not in sides:
            continue
        # started is reached by "start" from accepted and by "resume" from interrupted
        if action.target == Status.STARTED and (action.slug == "resume") != (
            referral.status == Status.INTERRUPTED
        ):
            continue
        result.append(action)
    return result


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _render_detail(request, referral, *, bound=None, message_form=None, status=200):
    events = list(referral.events.select_related("actor", "actor_organisation"))
    thread = list(referral.messages.select_related("author", "author_organisation"))
    timeline = sorted(
        [("event", e.at, e) for e in events] + [("message", m.at, m) for m in thread],
        key=lambda item: item[1],
    )
    actions = available_actions(referral, request.user)
    if services.correctable_change(referral, events, by=request.user):
        actions.append(ACTIONS["correct"])
    action_forms = [
        (a, bound if bound is not None and bound[0] == a.slug else None) for a in actions
    ]
    action_forms = [(a, b[1] if b else a.form(prefix=a.slug)) for a, b in action_forms]
    sides = services.sides_of(request.user, referral)
    decorate([referral])
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "participant": referral.participant,
            "timeline": timeline,
            "action_forms": action_forms,
            "message_form": message_form or forms.MessageForm(),
            "can_write": bool(sides),
            "is_provider": Side.PROVIDER in sides,
            "full_participant": referral.participant.job_centre_id
            in request.user.organisation_ids(*JOB_CENTRE_ROLES),
        },
        status=status,
    )


@login_required
def detail(request, pk):
    referral = get_referral_for_user(request.user, pk)
    log_access(request, referral)
    return _render_detail(request, referral)


@login_required
@require_POST
def act(request, pk, action):
    referral = get_referral_for_user(request.user, pk, write=True)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("Not found."))
    if spec.side is not None and spec.side not in services.sides_of(request.user, referral):
        raise PermissionDenied(_("The other side of the referral does this."))
    form = spec.form(request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Please check the form."))
        return _render_detail(request, referral, bound=(action, form), status=400)
    try:
        spec.service(referral, by=request.user, **form.service_kwargs())
    except services.RunFullError as exc:
        messages.warning(request, str(exc))
    except services.ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect(_safe_next(request, referral.get_absolute_url()))


@login_required
@require_POST
def post_message(request, pk):
    referral = get_referral_for_user(request.user, pk, write=True)
    form = forms.MessageForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, referral, message_form=form, status=400)
    services.post_message(referral, by=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("Message sent."))
    return redirect(referral.get_absolute_url() + "#thread")


@login_required
def create(request):
    user = request.user
    if not user.has_role(Role.ADVISER, Role.TEAM_LEAD):
        raise PermissionDenied(_("Only advisers and team leads can refer."))
    initial = {}
    participant = run = None
    if request.GET.get("participant"):
        participant = get_visible_or_404(
            Participant.objects.visible_to(user, via_referrals=False), request.GET["participant"]
        )
        initial["customer_number"] = participant.customer_number
    if request.GET.get("run"):
        run = get_run_for_user(user, request.GET["run"])
        initial["run"] = run.pk
    form = forms.ReferralCreateForm(request.POST or None, user=user, initial=initial)
    warnings = None
    if request.method == "POST" and form.is_valid():
        participant = form.cleaned_data["participant"]
        run = form.cleaned_data["run"]
        warnings = participant_warnings(participant, run)
        needs_confirm = warnings["active"] or warnings["dropped_out"] or warnings["run_full"]
        if needs_confirm and not form.cleaned_data["confirm"]:
            messages.warning(request, _("Please read the notes and confirm."))
        else:
            try:
                referral = services.create_referral(
                    participant,
                    run=run,
                    by=user,
                    formal=form.cleaned_data["kind"] == "formal",
                    note=form.cleaned_data["note"],
                    planned_start=form.cleaned_data["planned_start"],
                )
            except services.ReferralError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Referral sent to the provider."))
                return redirect(referral)
    elif participant is not None and run is not None:
        warnings = participant_warnings(participant, run)
    return render(
        request,
        "referrals/referral_create.html",
        {"form": form, "warnings": warnings, "participant": participant, "run": run},
    )


@login_required
def my_referrals(request):
    user = request.user
    if not user.has_role(Role.ADVISER, Role.TEAM_LEAD):
        raise PermissionDenied(_("This list is for advisers and team leads."))
    filters = forms.ReferralFilterForm(request.GET or None, user=user)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    referrals = select_my_referrals(
        user,
        status=criteria.get("status") or "",
        measure=criteria.get("measure"),
        provider=criteria.get("provider"),
        team=criteria.get("team"),
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = decorate(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/my_referrals.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "is_team_lead": user.has_role(Role.TEAM_LEAD),
        },
    )


INBOX_TABS = [
    ("new", gettext_lazy("New")),
    ("waiting", gettext_lazy("Waiting list")),
    ("accepted", gettext_lazy("Accepted, start pending")),
    ("running", gettext_lazy("In the measure")),
]


@login_required
def inbox(request):
    user = request.user
    if not user.has_role(*PROVIDER_ROLES):
        raise PermissionDenied(_("The inbox is for provider staff."))
    group = request.GET.get("group", "new")
    if group not in INBOX_GROUPS:
        group = "new"
    referrals = provider_inbox(user, group=group)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = decorate(page.object_list)
    counts = inbox_counts(user)
    return render(
        request,
        "referrals/inbox.html",
        {
            "group": group,
            "tabs": [(key, label, counts[key]) for key, label in INBOX_TABS],
            "page": page,
            "rows": rows,
            "open_statuses": OPEN,
            "decline_form": forms.DeclineForm,
        },
    )


@login_required
def bulk_start(request, run_pk):
    run = get_run_for_user(request.user, run_pk, write=True)
    accepted = (
        run.referrals.filter(status=Status.ACCEPTED, participant__restricted=False)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name")
    )
    form = forms.BulkStartForm(request.POST or None, queryset=accepted)
    if request.method == "POST" and form.is_valid():
        count = services.record_starts(
            list(form.cleaned_data["referrals"].select_related("run", "participant")),
            by=request.user,
            actual_start=form.cleaned_data["actual_start"],
        )
        messages.success(
            request, _("Start recorded for %(count)d participants.") % {"count": count}
        )
        return redirect(reverse("referrals:inbox") + "?group=running")
    return render(request, "referrals/bulk_start.html", {"run": run, "form": form})


@login_required
def open_notification(request, pk):
    """Mark a notification read and go to what it links to."""
    notification = get_visible_or_404(Notification.objects.visible_to(request.user), pk)
    if not notification.is_read:
        Notification.objects.filter(pk=notification.pk).update(is_read=True)
    link = notification.link
    if not url_has_allowed_host_and_scheme(link, {request.get_host()}):
        link = reverse("home")
    return redirect(link)
