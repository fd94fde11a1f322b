"""Dry run of the retention job: what would be deleted or anonymised tonight (ids, no names)."""

from django.core.management.base import BaseCommand

from triangle.retention import expired_participants, retention_days


class Command(BaseCommand):
    help = "List the participants whose retention period is over (dry run, changes nothing)."

    def handle(self, *args, **options):
        expired = list(expired_participants().select_related("job_centre"))
        by_centre: dict = {}
        for participant in expired:
            by_centre.setdefault(participant.job_centre, []).append(participant)
        for job_centre, participants in sorted(by_centre.items(), key=lambda kv: kv[0].pk):
            ids = ", ".join(str(p.pk) for p in participants)
            self.stdout.write(
                f"{job_centre} (retention {retention_days(job_centre)} days): "
                f"{len(participants)} participant(s) would be anonymised: ids {ids}"
            )
            for p in participants:
                referrals = p.referrals.count()
                self.stdout.write(
                    f"  participant {p.pk}: {referrals} referral(s) kept anonymously, "
                    f"last change {p.last_change or p.created_at:%Y-%m-%d}"
                )
        self.stdout.write(f"Total: {len(expired)} participant(s). Nothing was changed (dry run).")
