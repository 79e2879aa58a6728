"""Build the demo world from a fixed seed, up to a chosen stage.

    python manage.py build_demo --stage registry|screened|scored|selected|minuted [--xlsx FILE]

Each stage includes the ones before it. Modelled on pretalx's create_test_event.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

STAGES = ("registry", "screened", "scored", "selected", "minuted")
DEFAULT_SEED = 2565


class Command(BaseCommand):
    help = "Build the Chiang Mai demo world (registry, round 1/2565, meeting) from a fixed seed."

    def add_arguments(self, parser):
        parser.add_argument("--stage", choices=STAGES, default="registry")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--xlsx", metavar="FILE", help="also write the registry as an import workbook")

    def handle(self, *args, stage, seed, xlsx, **options):
        from producers import demo as registry_demo

        if registry_demo.registry_exists():
            raise CommandError("The database already holds a registry; build the demo into an empty database.")
        upto = STAGES.index(stage)
        with transaction.atomic():
            users = registry_demo.create_users()
            registry = registry_demo.build_registry(random.Random(seed))
            if upto >= STAGES.index("screened"):
                from selection import demo as selection_demo

                selection_demo.build(random.Random(seed), stage=stage, users=users)
            if upto >= STAGES.index("minuted"):
                from meetings import demo as meetings_demo

                meetings_demo.build(random.Random(seed), users=users)
        if xlsx:
            registry_demo.write_workbook(xlsx)
            self.stdout.write(f"Workbook written: {xlsx}")
        self.stdout.write(self.style.SUCCESS(
            f"Demo built to stage '{stage}': {registry['producers']:,} producers, {registry['products']:,} products."))
        self.stdout.write("Demo logins (user / password):")
        for line in registry_demo.login_lines(users):
            self.stdout.write(f"  {line}")
