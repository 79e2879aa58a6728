"""Build the demo world from a fixed seed, up to a chosen stage.

    python manage.py build_demo --stage registry|screened|scored|selected|minuted|year [--xlsx FILE]
    python manage.py build_demo --national [--stage ...]   # + 76 more provinces: 100,000 / 300,000
    python manage.py build_demo --province 51              # the registry demo of another province

Each stage includes the ones before it. `year` develops the 20 approved products through the
year (selection.development_demo: plans, mentors, visits with photos, before and after). Modelled on pretalx's create_test_event.

year: the rest of 2565 after the minuted round: the June showcase round chained from round 1/2565
(20 → 1, approved); with --national also three more provinces' approved rounds and the national
contest, run by the `national` login (selection.demo_year).

--national keeps the Chiang Mai world exactly as without it (2,531 producers, 7,192 products,
the round and the meeting) and adds the other 76 provinces' registries, so that the whole
registry holds 100,000 producers and 300,000 products (producers.demo_national).
--province builds the registry stage only, in that province, and puts the admin, officer and
viewer logins in it.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

STAGES = ("registry", "screened", "scored", "selected", "minuted", "year")
DEFAULT_SEED = 2565


class Command(BaseCommand):
    help = "Build the Chiang Mai demo world (registry, round 1/2565, meeting) from a fixed seed."
    # Django's system checks import every view (and what they render with): not needed here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--stage", choices=STAGES, default="registry")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--xlsx", metavar="FILE", help="also write the registry as an import workbook")
        parser.add_argument("--national", action="store_true",
                            help="add the other 76 provinces: 100,000 producers and 300,000 products in all")
        parser.add_argument("--province", metavar="CODE", help="build the registry demo in this province (e.g. 51)")

    def handle(self, *args, stage, seed, xlsx, national=False, province=None, **options):
        from producers import demo as registry_demo
        from producers.models import Affiliation, Province

        if registry_demo.registry_exists():
            raise CommandError("The database already holds a registry; build the demo into an empty database.")
        if province is not None:
            if not Province.objects.filter(code=province).exists():
                raise CommandError(f"No province has the code {province}.")
            if stage != "registry":
                raise CommandError("--province builds the registry stage only (the round and meeting are "
                                   "Chiang Mai's).")
        upto = STAGES.index(stage)
        with transaction.atomic():
            users = registry_demo.create_users()
            registry = registry_demo.build_registry(random.Random(seed), province_code=province)
            if province is not None:
                for role in ("admin", "officer", "viewer"):
                    Affiliation.objects.create(user=users[role], province_id=province)
            if upto >= STAGES.index("screened"):
                from selection import demo as selection_demo

                selection_round = selection_demo.build(random.Random(seed), stage=stage, users=users)
            if upto >= STAGES.index("minuted"):
                from meetings import demo as meetings_demo

                meetings_demo.build(random.Random(seed), users=users)
            if upto >= STAGES.index("year"):
                from meetings import demo as meetings_demo
                from selection import demo_year, development_demo

                # January-March: the workshop, then the development of the 20; June: the showcase
                # round chained from them; January 2566: meeting 1/2566, whose item 1.2 is the summary.
                meetings_demo.build_workshop(random.Random(seed), users=users)
                development_demo.build(random.Random(seed), round=selection_round, users=users)
                demo_year.build_showcase(random.Random(seed), users=users)
                meetings_demo.build_next_year(selection_round, users=users)
        if national:
            import time

            from producers import demo_national

            started = time.perf_counter()
            added = demo_national.build_national(seed)
            registry = {key: registry[key] + added[key] for key in ("producers", "products")}
            self.stdout.write(f"National registry: {added['producers']:,} producers and {added['products']:,} "
                              f"products added in {added['provinces']} more provinces "
                              f"({time.perf_counter() - started:.1f} s).")
            if upto >= STAGES.index("year"):
                from selection import demo_year

                with transaction.atomic():
                    contest, contest_logins = demo_year.build_contest(random.Random(seed), users=users)
                self.stdout.write(f"National contest: {contest.name}, {contest.submissions.count()} entries, "
                                  f"approved.")
        if xlsx:
            registry_demo.write_workbook(xlsx, province)
            self.stdout.write(f"Workbook written: {xlsx}")
        self.stdout.write(self.style.SUCCESS(
            f"Demo built to stage '{stage}': {registry['producers']:,} producers, {registry['products']:,} products."))
        self.stdout.write("Demo logins (user / password):")
        for line in registry_demo.login_lines(users):
            self.stdout.write(f"  {line}")
        if upto >= STAGES.index("year"):
            from selection import development_demo

            self.stdout.write(f"  {development_demo.login_line()}")
        if national and upto >= STAGES.index("year"):
            for username, name, role in contest_logins:
                self.stdout.write(f"  {username:<10} / {registry_demo.DEMO_PASSWORD}   {name}, {role}")
