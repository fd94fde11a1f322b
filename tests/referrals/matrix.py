"""Permission matrix rows for the referral pages and the participant pages."""

from tests.factories import MeasureFactory, ParticipantFactory, ReferralFactory, RunFactory
from tests.matrix import ROLES, Row
from triangle.models import Notification

ALL = [r for r in ROLES if r != "anonymous"]


def only(status: int, *roles, default: int) -> dict:
    """``status`` for the named roles, ``default`` for everyone else signed in."""
    return {r: (status if r in roles else default) for r in ALL}


def _world(w):
    w.measure = MeasureFactory(provider=w.provider_x, commissioners=[w.jc_a])
    w.run = RunFactory(measure=w.measure, places=5)
    w.participant = ParticipantFactory(job_centre=w.jc_a, adviser=w.adviser_a, team=w.team_a)
    w.referral = ReferralFactory(
        participant=w.participant, run=w.run, adviser=w.adviser_a, team=w.team_a
    )
    w.notification = Notification.objects.create(
        recipient_user=w.adviser_a, kind="referral_answered", text="x", link="/"
    )


JC_READ = ("adviser_a", "team_lead_a", "benefits_officer_a")
JC_WRITE = ("adviser_a", "team_lead_a")
PROVIDER_X = ("provider_x_staff", "provider_x_manager")

ROWS = [
    Row(
        "referrals:my_referrals",
        expect=only(200, *JC_WRITE, "adviser_b", default=403),
    ),
    Row("referrals:create", expect=only(200, *JC_WRITE, "adviser_b", default=403)),
    Row(
        "referrals:inbox",
        expect=only(200, *PROVIDER_X, "provider_y_staff", default=403),
    ),
    Row(
        "referrals:detail",
        setup=_world,
        args=lambda w: [w.referral.pk],
        expect=only(200, *JC_READ, *PROVIDER_X, default=404),
    ),
    Row(
        "referrals:act",
        setup=_world,
        args=lambda w: [w.referral.pk, "accept"],
        method="post",
        expect={
            **only(302, *PROVIDER_X, default=404),
            "adviser_a": 403,
            "team_lead_a": 403,
            "benefits_officer_a": 403,
        },
        id="accept",
    ),
    Row(
        "referrals:act",
        setup=_world,
        args=lambda w: [w.referral.pk, "withdraw"],
        method="post",
        data=lambda w: {"withdraw-reason": "other"},
        expect={
            **only(302, *JC_WRITE, default=404),
            "benefits_officer_a": 403,
            "provider_x_staff": 403,
            "provider_x_manager": 403,
        },
        id="withdraw",
    ),
    Row(
        "referrals:post_message",
        setup=_world,
        args=lambda w: [w.referral.pk],
        method="post",
        data=lambda w: {"body": "Guten Tag"},
        expect={**only(302, *JC_WRITE, *PROVIDER_X, default=404), "benefits_officer_a": 403},
    ),
    Row(
        "referrals:bulk_start",
        setup=_world,
        args=lambda w: [w.run.pk],
        expect=only(200, *PROVIDER_X, default=403),
    ),
    Row(
        "referrals:open_notification",
        setup=_world,
        args=lambda w: [w.notification.pk],
        expect=only(302, "adviser_a", default=404),
    ),
    # participants (triangle URLs, owned by the referral lifecycle)
    Row("participant_list", expect=only(200, *JC_READ, "adviser_b", default=403)),
    Row("participant_create", expect=only(200, *JC_WRITE, "adviser_b", default=403)),
    Row(
        "participant_detail",
        setup=_world,
        args=lambda w: [w.participant.pk],
        expect=only(200, *JC_READ, default=404),
    ),
    Row(
        "participant_edit",
        setup=_world,
        args=lambda w: [w.participant.pk],
        expect={**only(200, *JC_WRITE, default=404), "benefits_officer_a": 403},
    ),
]


# --- handover (issue 5) ---------------------------------------------------------------------------
def _handover_world(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from referrals.handover_services import add_handover_document, save_handover, send_handover
    from tests.factories import ConsentFactory

    _world(w)
    save_handover(
        w.referral,
        by=w.adviser_a,
        data={
            "reason_goals": "Ziele",
            "next_steps": "Termin",
            "availability": "vormittags",
            "contact_preferences": "Telefon",
        },
    )
    w.handover = send_handover(w.referral.handover, by=w.adviser_a)
    ConsentFactory(
        participant=w.participant,
        recorded_by=w.adviser_a,
        categories=["goals"],
        recipients=[w.provider_x],
    )
    w.document = add_handover_document(
        w.referral,
        by=w.adviser_a,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="Kooperationsplan",
        category="goals",
    )


_HO_READ = only(200, *JC_READ, *PROVIDER_X, default=404)
_HO_WRITE_403 = {"benefits_officer_a": 403, "provider_x_staff": 403, "provider_x_manager": 403}

ROWS += [
    Row(
        "referrals:handover_detail",
        setup=_handover_world,
        args=lambda w: [w.referral.pk],
        expect=_HO_READ,
    ),
    Row(
        "referrals:handover_export",
        setup=_handover_world,
        args=lambda w: [w.referral.pk],
        expect=_HO_READ,
    ),
    Row(
        "referrals:handover_edit",
        setup=_handover_world,
        args=lambda w: [w.referral.pk],
        expect={**only(200, *JC_WRITE, default=404), **_HO_WRITE_403},
    ),
    Row(
        "referrals:handover_send",
        setup=_handover_world,
        args=lambda w: [w.referral.pk],
        method="post",
        expect={**only(302, *JC_WRITE, default=404), **_HO_WRITE_403},
    ),
    Row(
        "referrals:handover_document_add",
        setup=_handover_world,
        args=lambda w: [w.referral.pk],
        method="post",
        expect={**only(400, *JC_WRITE, default=404), **_HO_WRITE_403},
    ),
    Row(
        "referrals:handover_acknowledge",
        setup=_handover_world,
        args=lambda w: [w.referral.pk],
        method="post",
        expect={**only(302, *PROVIDER_X, default=404), **dict.fromkeys(JC_READ, 403)},
    ),
    Row(
        "referrals:handover_document",
        setup=_handover_world,
        args=lambda w: [w.document.pk],
        expect=only(200, *JC_WRITE, *PROVIDER_X, default=404),
    ),
]
