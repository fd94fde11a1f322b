"""Add demo measures (with runs, no referrals) to an already seeded demo region.

For catalogue benchmarks: ``seed_demo --scale N`` also multiplies referrals (≈1 200 per scale
unit), which makes 50 000 measures (scale ≈ 1 700) impractically heavy. This command adds
``--scale N`` × 30 measures on top of ``seed_demo``, e.g. ``seed_measures --scale 1666`` after
``seed_demo`` gives 50 010 measures.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from measures.demo import STAFF, create_measures
from measures.models import Measure
from triangle.demo import DemoContext, is_seeded
from triangle.models import Organisation, User


class Command(BaseCommand):
    help = "Add N × 30 demo measures with runs to the seeded demo region (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2027)

    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if not is_seeded():
            raise CommandError("Run seed_demo first.")
        ctx = DemoContext(
            scale=scale,
            today=timezone.localdate(),
            rng=random.Random(seed),
            log=lambda msg: self.stdout.write(msg),
        )
        ctx.orgs = {o.slug: o for o in Organisation.objects.all()}
        ctx.users = {u.username: u for u in User.objects.filter(username__in=STAFF.values())}
        # Continue the lot numbers after what is there, so titles stay distinct.
        first_copy = Measure.objects.count() // 30 + 1
        with transaction.atomic():
            measures, runs, _links = create_measures(ctx, first_copy=first_copy)
        self.stdout.write(f"{len(measures)} Maßnahmen und {len(runs)} Durchläufe ergänzt.")
