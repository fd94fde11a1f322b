"""Handover: reads that apply the consent rule, and the writes (save, send, acknowledge, upload).

``handover_sections`` is the one place that turns a handover into what a given reader may see:
pages, the export, and anything else that shows handover data call it; e-mails carry only a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referrals.access import get_referral_for_user
from referrals.models import Referral, Status
from referrals.models_handover import Handover, HandoverDocument, HandoverEvent
from triangle.access import get_visible_or_404
from triangle.consent_rules import ALL_CATEGORIES, MINIMUM_FIELDS, shared_categories
from triangle.consent_rules import visible_categories as consent_visible_categories
from triangle.consent_services import provider_staff
from triangle.mail_links import notify_with_link
from triangle.models import Notification, Role, User
from triangle.models.consent import BARRIER_CATEGORIES, DataCategory
from triangle.uploads import KINDS, FileValidator, sniff_kind
from triangle.workdays import add_working_days

ACKNOWLEDGE_WORKING_DAYS = 2
DOCUMENT_VALIDATOR = FileValidator(kinds=("pdf", "png", "jpeg"))

# Section → (category, [(model field, label)]). Barriers are added per category below.
_TEXT_SECTIONS: list[tuple[str, list[str]]] = [
    (DataCategory.GOALS, ["reason_goals", "next_steps", "strengths"]),
    (DataCategory.CONTACT, ["contact_preferences"]),
    (DataCategory.PRACTICAL, ["availability", "travel", "childcare"]),
]

# What must be filled before sending (field name → label for the "missing" list).
REQUIRED_FIELDS = ["reason_goals", "next_steps", "availability", "contact_preferences"]


class HandoverError(Exception):
    """A handover action was refused; the message is for the user."""


# --- access -------------------------------------------------------------------------------------
def can_write_handover(user, referral: Referral) -> bool:
    return referral.participant.job_centre_id in user.organisation_ids(Role.ADVISER, Role.TEAM_LEAD)


def is_receiving_provider(user, referral: Referral) -> bool:
    return referral.run.measure.provider_id in user.organisation_ids(
        Role.PROVIDER_STAFF, Role.PROVIDER_MANAGER
    )


def get_referral_for_handover(user, referral_pk, *, write: bool = False) -> Referral:
    """The referral whose handover ``user`` opens: 404 without relation (the referral's own
    access helper); providers see a handover only once it was sent; 403 for changes by anyone
    but the job centre's advisers and team leads."""
    referral = get_referral_for_user(user, referral_pk)
    if is_receiving_provider(user, referral) and not can_write_handover(user, referral):
        handover = Handover.objects.filter(referral=referral).first()
        if handover is None or handover.status == Handover.Status.DRAFT:
            raise Http404(_("Not found."))
    if write and not can_write_handover(user, referral):
        raise PermissionDenied(_("Only the job centre's advisers can change the handover."))
    return referral


def get_document_for_user(user, pk) -> HandoverDocument:
    """404 unless the user may open the referral and the document's category is shared."""
    document = get_visible_or_404(HandoverDocument.objects.select_related("handover"), pk)
    referral = get_referral_for_handover(user, document.handover.referral_id)
    if document.category not in visible_categories(user, referral):
        raise Http404(_("Not found."))
    return document


# --- the sharing rule, applied ------------------------------------------------------------------
def visible_categories(user, referral: Referral, *, on: date | None = None) -> frozenset[str]:
    return consent_visible_categories(
        user, referral.participant, referral.run.measure.provider, on=on
    )


@dataclass
class Section:
    category: str
    label: str
    shared: bool
    fields: list[tuple[str, str]] = field(default_factory=list)
    earlier: list = field(default_factory=list)
    documents: list = field(default_factory=list)


def earlier_referrals(referral: Referral) -> list[Referral]:
    """The participant's other referrals, newest first: earlier measures from the system."""
    return list(
        Referral.objects.filter(participant_id=referral.participant_id)
        .exclude(pk=referral.pk)
        .select_related("run__measure__provider")
        .order_by("-created_at")[:50]
    )


def handover_sections(
    handover: Handover | None, referral: Referral, categories: frozenset[str]
) -> list[Section]:
    """Every section of the handover, each either with its content or marked as not shared.

    Content of a category outside ``categories`` is never put into the result.
    """
    sections: list[Section] = []

    def text_section(category: str, names: list[str]) -> Section:
        shared = category in categories
        section = Section(category, DataCategory(category).label, shared)
        if shared:
            section.fields = [
                (Handover._meta.get_field(n).verbose_name, getattr(handover, n, "") or "")
                for n in names
            ]
        return section

    for category, names in _TEXT_SECTIONS:
        sections.append(text_section(category, names))
    for category in BARRIER_CATEGORIES:
        shared = category in categories
        section = Section(category.value, category.label, shared)
        if shared:
            text = (handover.barriers or {}).get(category.value, "") if handover else ""
            section.fields = [(gettext_lazy("Description"), text)]
        sections.append(section)
    earlier = Section(
        DataCategory.EARLIER_MEASURES,
        DataCategory.EARLIER_MEASURES.label,
        DataCategory.EARLIER_MEASURES in categories,
    )
    if earlier.shared:
        earlier.earlier = earlier_referrals(referral)
        earlier.fields = [
            (
                Handover._meta.get_field("earlier_measures_note").verbose_name,
                handover.earlier_measures_note if handover else "",
            )
        ]
    sections.append(earlier)
    if handover is not None:
        documents = list(handover.documents.all())
        by_category = {s.category: s for s in sections}
        for document in documents:
            if document.category in categories:
                target = by_category.get(document.category)
                if target is None:
                    target = Section(document.category, document.get_category_display(), True)
                    by_category[document.category] = target
                    sections.append(target)
                target.documents.append(document)
    return sections


def minimum_data(referral: Referral) -> list[tuple[str, str]]:
    """What every formal referral carries, consent or not: name, contact, measure, start."""
    participant = referral.participant
    contact = ", ".join(x for x in [participant.phone, participant.email] if x)
    start = referral.planned_start or referral.run.start_date
    return [
        (MINIMUM_FIELDS[0], participant.full_name),
        (MINIMUM_FIELDS[1], contact),
        (MINIMUM_FIELDS[2], referral.run.measure.title),
        (MINIMUM_FIELDS[3], start),
    ]


# --- completeness ---------------------------------------------------------------------------------
def missing_items(handover: Handover) -> list[str]:
    """What is missing before the handover can be sent (labels, in form order)."""
    missing = [
        str(Handover._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if not (getattr(handover, name) or "").strip()
    ]
    if handover.meeting_at and not handover.meeting_place.strip():
        missing.append(str(Handover._meta.get_field("meeting_place").verbose_name))
    return missing


# --- writes ---------------------------------------------------------------------------------------
@transaction.atomic
def save_handover(referral: Referral, *, by: User, data: dict) -> Handover:
    """Create or update the draft (and, until acknowledged, the sent handover)."""
    if not can_write_handover(by, referral):
        raise HandoverError(_("Only the job centre's advisers can change the handover."))
    handover, _created = Handover.objects.select_for_update().get_or_create(
        referral=referral, defaults={"created_by": by}
    )
    if handover.status == Handover.Status.ACKNOWLEDGED:
        raise HandoverError(
            _("The provider has acknowledged this handover; it can no longer be changed.")
        )
    allowed = {f.name for f in Handover._meta.get_fields()} & set(EDITABLE_FIELDS)
    barriers = {
        c.value: (data.get("barriers") or {}).get(c.value, "").strip() for c in BARRIER_CATEGORIES
    }
    for name in allowed:
        if name in data:
            value = data[name]
            setattr(handover, name, value.strip() if isinstance(value, str) else value)
    handover.barriers = {k: v for k, v in barriers.items() if v}
    handover.save()
    return handover


EDITABLE_FIELDS = [
    "reason_goals",
    "next_steps",
    "strengths",
    "earlier_measures_note",
    "availability",
    "travel",
    "childcare",
    "contact_preferences",
    "meeting_at",
    "meeting_place",
    "meeting_is_video",
]


def _transition(handover: Handover, to: str, *, by: User, note: str = "", **changes) -> Handover:
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.status == to:
        return locked
    if to not in Handover.TRANSITIONS[locked.status]:
        raise HandoverError(_("This step is not possible in the handover's current state."))
    from_status = locked.status
    locked.status = to
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *changes])
    HandoverEvent.objects.create(
        handover=locked, from_status=from_status, to_status=to, actor=by, note=note
    )
    return locked


@transaction.atomic
def send_handover(handover: Handover, *, by: User) -> Handover:
    referral = handover.referral
    if not can_write_handover(by, referral):
        raise HandoverError(_("Only the job centre's advisers can send the handover."))
    if referral.status == Status.RECOMMENDED:
        raise HandoverError(
            _("A recommendation is informal; convert it into a formal referral first.")
        )
    missing = missing_items(handover)
    if missing:
        raise HandoverError(
            _("The handover is not complete. Missing: %(items)s.") % {"items": ", ".join(missing)}
        )
    provider = referral.run.measure.provider
    now = timezone.now()
    sent = _transition(
        handover,
        Handover.Status.SENT,
        by=by,
        sent_at=now,
        acknowledge_by=add_working_days(
            timezone.localdate(),
            ACKNOWLEDGE_WORKING_DAYS,
            state=referral.participant.job_centre.federal_state,
        ),
    )
    link = sent_link(referral)
    staff = provider_staff([provider.pk])
    text = gettext_lazy("A new handover has arrived. Please acknowledge it within 2 working days.")
    notify_with_link(
        staff,
        kind=Notification.Kind.HANDOVER_SENT,
        text=text,
        subject=gettext_lazy("New handover"),
        link=link,
        key=f"handover-sent:{handover.pk}",
    )
    return sent


@transaction.atomic
def acknowledge_handover(handover: Handover, *, by: User) -> Handover:
    referral = handover.referral
    if not is_receiving_provider(by, referral):
        raise HandoverError(_("Only the receiving provider can acknowledge the handover."))
    if handover.status == Handover.Status.DRAFT:
        raise HandoverError(_("This handover has not been sent yet."))
    done = _transition(
        handover,
        Handover.Status.ACKNOWLEDGED,
        by=by,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
    )
    if done.acknowledged_by_id == by.pk and referral.adviser_id:
        link = sent_link(referral)
        Notification.objects.send(
            kind=Notification.Kind.HANDOVER_ACKNOWLEDGED,
            text=_("The provider has acknowledged a handover."),
            link=link,
            users=[referral.adviser],
            key=f"handover-ack:{handover.pk}",
        )
    return done


@transaction.atomic
def add_handover_document(
    referral: Referral, *, by: User, upload, title: str, category: str
) -> HandoverDocument:
    if not can_write_handover(by, referral):
        raise HandoverError(_("Only the job centre's advisers can add documents."))
    if category not in ALL_CATEGORIES:
        raise HandoverError(_("Please choose a data category."))
    try:
        DOCUMENT_VALIDATOR(upload)
    except ValidationError as exc:
        raise HandoverError(" ".join(exc.messages)) from exc
    content_type = KINDS[sniff_kind(upload)][0]
    handover, _created = Handover.objects.get_or_create(
        referral=referral, defaults={"created_by": by}
    )
    return HandoverDocument.objects.create(
        handover=handover,
        category=category,
        title=title.strip() or upload.name[:200],
        file=upload,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


# --- helpers --------------------------------------------------------------------------------------
def sent_link(referral: Referral) -> str:
    from django.urls import reverse

    return reverse("referrals:handover_detail", args=[referral.pk])


def consent_summary(referral: Referral) -> frozenset[str]:
    """What the receiving provider may see today (for the adviser's preview)."""
    return shared_categories(referral.participant, referral.run.measure.provider)
