from tests.matrix import Row, staff

ROWS = [
    Row("home", default=200),
    Row("healthz", default=200, expect={"anonymous": 200}),
    Row("contact_directory", expect=staff(200, foreign=200, participant=200)),
    Row(
        "organisation_detail",
        args=lambda w: [w.jc_a.pk],
        expect=staff(200, participant=200),
        id="own job centre",
    ),
    Row(
        "organisation_detail",
        args=lambda w: [w.provider_y.pk],
        expect={**staff(404), "provider_y_staff": 200, "adviser_b": 200},
        id="provider Y seen from A",
    ),
]


# --- consent (issue 5) --------------------------------------------------------------------------
def _consent_world(w):
    from tests.factories import ConsentFactory, ParticipantFactory
    from triangle.models.consent import ParticipantAccount

    w.participant = ParticipantFactory(job_centre=w.jc_a)
    ParticipantAccount.objects.create(user=w.participant_user, participant=w.participant)
    w.consent = ConsentFactory(
        participant=w.participant, recorded_by=w.adviser_a, recipients=[w.provider_x]
    )


_JC_READ = {
    **staff(404),
    "adviser_a": 200,
    "team_lead_a": 200,
    "benefits_officer_a": 200,
}

ROWS += [
    Row(
        "participant_consents",
        setup=_consent_world,
        args=lambda w: [w.participant.pk],
        expect=_JC_READ,
    ),
    Row(
        "consent_create",
        setup=_consent_world,
        args=lambda w: [w.participant.pk],
        expect={**_JC_READ, "benefits_officer_a": 403},
    ),
    Row(
        "consent_detail",
        setup=_consent_world,
        args=lambda w: [w.consent.pk],
        expect={**_JC_READ, "participant_user": 302},
    ),
    Row(
        "consent_print",
        setup=_consent_world,
        args=lambda w: [w.consent.pk],
        expect={**_JC_READ, "participant_user": 200},
    ),
    Row(
        "consent_withdraw",
        setup=_consent_world,
        args=lambda w: [w.consent.pk],
        method="post",
        data=lambda w: {"how": "in_writing"},
        expect={
            **_JC_READ,
            "adviser_a": 302,
            "team_lead_a": 302,
            "benefits_officer_a": 403,
            "participant_user": 302,
        },
    ),
    Row("my_data", setup=_consent_world, expect={**staff(404), "participant_user": 200}),
]

# --- security: audit log and participant rights (data protection officer only) -----------------
_DPO_ONLY = {**staff(403, foreign=403, participant=403), "dpo_a": 200}
ROWS += [
    Row("audit_log", expect=_DPO_ONLY),
    Row("audit_log", expect=_DPO_ONLY, query="kind=changes&customer_number=X1", id="changes"),
    Row("audit_log_export", expect=_DPO_ONLY),
]


def _privacy_world(w):
    from tests.factories import ParticipantFactory

    w.privacy_participant = ParticipantFactory(job_centre=w.jc_a)


_DPO_OBJECT = {**staff(404, participant=404), "dpo_a": 200}
ROWS += [
    Row("privacy_lookup", expect=_DPO_ONLY, query="customer_number=123"),
    *[
        Row(
            name,
            setup=_privacy_world,
            args=lambda w: [w.privacy_participant.pk],
            expect=_DPO_OBJECT,
        )
        for name in ("privacy_participant", "privacy_export", "privacy_export_json")
    ],
    Row(
        "privacy_restrict",
        setup=_privacy_world,
        args=lambda w: [w.privacy_participant.pk],
        method="post",
        data=lambda w: {"restricted": "1"},
        expect={**_DPO_OBJECT, "dpo_a": 302},
    ),
]
