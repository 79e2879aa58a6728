"""The national registry (issue 5): 100,000 producers and 300,000 products over 77 provinces.

Runs after the registry bench (Chiang Mai's demo registry and users in the database) and the
import bench (which leaves no rows behind): builds the other 76 provinces the way
`build_demo --national` does, then times the registry pages through Django's test client as
a national officer and as a provincial officer, like bench/registry.py.
"""

import time

from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers import demo_national
from producers.models import Affiliation, Producer, Product

from .common import Row, median, ms, percentile, seconds, time_requests

REQUESTS = 60
LIST_TARGET_P95 = 0.150
DASHBOARD_TARGET_P95 = 0.300
BUILD_TARGET_S = 60

# (label, URL name, query, target) per user.
NATIONAL_PAGES = (
    ("Product list, national, filtered and searched (?product_type=textile&q=ผ้าฝ้าย)", "producers:product_list",
     {"product_type": "textile", "q": "ผ้าฝ้าย"}, LIST_TARGET_P95),
    ("Product list, national, searched by a common short term (?q=ผ้า)", "producers:product_list",
     {"q": "ผ้า"}, LIST_TARGET_P95),
    ("Product list, national, one province searched (?province=51&q=ผ้า)", "producers:product_list",
     {"province": "51", "q": "ผ้า"}, LIST_TARGET_P95),
    ("Product list, national, first page, no filter", "producers:product_list", {}, LIST_TARGET_P95),
    ("Producer list, national, searched (?q=กลุ่มแม่บ้าน)", "producers:producer_list",
     {"q": "กลุ่มแม่บ้าน"}, LIST_TARGET_P95),
    ("Dashboard, national (77 provinces)", "producers:dashboard", {}, DASHBOARD_TARGET_P95),
    ("Dashboard, national, one province (?province=30)", "producers:dashboard", {"province": "30"},
     DASHBOARD_TARGET_P95),
)
PROVINCIAL_PAGES = (
    ("Product list, Chiang Mai officer, filtered and searched (?district=5001&q=ผ้า)", "producers:product_list",
     {"district": "5001", "q": "ผ้า"}, LIST_TARGET_P95),
    ("Producer list, Chiang Mai officer, searched (?q=กลุ่มแม่บ้าน)", "producers:producer_list",
     {"q": "กลุ่มแม่บ้าน"}, LIST_TARGET_P95),
    ("Dashboard, Chiang Mai officer", "producers:dashboard", {}, DASHBOARD_TARGET_P95),
)


def _national_user():
    user, created = User.objects.get_or_create(username="bench-national", defaults={"first_name": "ระดับประเทศ"})
    if created:
        user.groups.add(Group.objects.get(name="officer"))
    Affiliation.objects.update_or_create(user=user, defaults={"province": None})
    return user


def _provincial_user(ctx):
    officer = ctx.users.get("officer") or User.objects.filter(username="officer").first()
    if officer is None:
        officer = User.objects.create(username="bench-officer")
        officer.groups.add(Group.objects.get(name="officer"))
    return officer


def _vacuum():
    """VACUUM ANALYZE the registry (outside a transaction): fresh statistics, and a visibility
    map so that counts can read the indexes alone, as on a server whose autovacuum has run."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Producer, Product, Product.standards.through)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")


def build(ctx):
    started = time.perf_counter()
    added = demo_national.build_national(2565)
    build_s = time.perf_counter() - started
    _vacuum()
    totals = (Producer.objects.count(), Product.objects.count())
    return [
        Row("National registry built (build_demo --national: 76 more provinces)",
            f"{seconds(build_s)} (+{added['producers']:,} producers, +{added['products']:,} products)",
            f"< {BUILD_TARGET_S} s", build_s < BUILD_TARGET_S),
        Row("  registry now (producers / products)", f"{totals[0]:,} / {totals[1]:,}",
            f"{demo_national.TOTAL_PRODUCERS:,} / {demo_national.TOTAL_PRODUCTS:,}",
            totals == (demo_national.TOTAL_PRODUCERS, demo_national.TOTAL_PRODUCTS)),
    ]


def page_rows(user, pages, count=REQUESTS):
    client = Client()
    client.force_login(user)
    rows = []
    for label, name, params, target in pages:
        url = reverse(name)
        if params:
            from urllib.parse import urlencode

            url = f"{url}?{urlencode(params)}"
        durations = time_requests(client, url, count=count)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = percentile(durations, 0.95)
        rows.append(Row(label, f"median {ms(median(durations))} · p95 {ms(p95)} · {len(queries)} queries",
                        f"p95 < {target * 1000:.0f} ms", p95 < target))
    return rows


def national_figures(ctx):
    """Build the national registry, then time the registry pages for both kinds of user."""
    rows = build(ctx)
    rows += page_rows(_national_user(), NATIONAL_PAGES)
    rows += page_rows(_provincial_user(ctx), PROVINCIAL_PAGES)
    return rows


def main():
    """Standalone, on a database that already holds the national registry (after django.setup()):
    DATABASE_URL=postgres://…/kbo_h1 DJANGO_SETTINGS_MODULE=kbo_site.settings .venv/bin/python -c
    "import django; django.setup(); from bench.national_bench import main; main()" [requests]"""
    import sys

    from django.test.utils import override_settings

    from .common import render_table

    count = int(sys.argv[1]) if len(sys.argv) > 1 else REQUESTS
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["*"]):
        rows = page_rows(_national_user(), NATIONAL_PAGES, count)
        rows += page_rows(User.objects.get(username="officer"), PROVINCIAL_PAGES, count)
    print(render_table(rows))

