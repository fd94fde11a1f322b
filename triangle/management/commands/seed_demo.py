import random
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from triangle.demo import DemoContext, is_seeded

# Each app contributes its part; order matters (parties → measures → referrals → feedback).
STEPS = [
    "triangle.demo",
    "measures.demo",
    "referrals.demo",
    "triangle.demo_consent",
    "feedback.demo",
]


def _load(module_name: str):
    try:
        return import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


class Command(BaseCommand):
    help = "Build the fictional demo region (Landkreis Mittelfeld). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply the volume (benchmarks)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (deterministic).")

    def handle(self, *args, scale: int, seed: int, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if is_seeded():
            self.stdout.write("Die Demo-Region ist bereits angelegt – nichts zu tun.")
            return
        ctx = DemoContext(
            scale=scale,
            today=timezone.localdate(),
            rng=random.Random(seed),
            log=lambda msg: self.stdout.write(msg),
        )
        with transaction.atomic():
            for name in STEPS:
                module = _load(name)
                if module is not None:
                    self.stdout.write(f"{name} …")
                    module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo-Region angelegt (scale={scale})."))
