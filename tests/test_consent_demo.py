"""Demo consents and handovers: every kind the walk-through needs, reachable with demo logins."""

from django.core.management import call_command
from django.utils import timezone

from referrals.models_handover import Handover
from triangle.consent_rules import shared_categories
from triangle.models.consent import Consent, ParticipantAccount


def test_seed_demo_gives_partial_withdrawn_and_expired_consents_and_handovers(db):
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert Consent.objects.filter(expires_on__lt=today, withdrawn_at__isnull=True).exists()
    categories = list(Consent.objects.values_list("categories", flat=True))
    assert any("barrier_debts" not in c for c in categories)  # partial consents
    assert any("barrier_debts" in c for c in categories)
    statuses = set(Handover.objects.values_list("status", flat=True))
    assert statuses == {"draft", "sent", "acknowledged"}

    account = ParticipantAccount.objects.select_related("participant").get(
        user__username="teilnehmer"
    )
    referral = account.participant.referrals.get(handover__status="sent")
    provider = referral.run.measure.provider
    assert provider.slug == "bw-lindenhof"
    assert shared_categories(account.participant, provider) == {
        "contact",
        "goals",
        "practical",
        "barrier_childcare",
    }
