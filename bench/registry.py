"""Registry figures (issue 2): the demo world, the workbook import against an openpyxl parse,
and the server time of the registry list and the dashboard."""

import gc
import random
import tracemalloc

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from producers import demo
from producers.models import Producer, Product, Province

from .common import Row, mib, median, ms, not_available, percentile, seconds, time_requests, timed

PAGE_REQUESTS = 60
PAGE_TARGET_P95 = 0.100
REFERENCE_PARSE_S = 1.6


def world(ctx):
    """Build the registry stage of the demo world and write it as an import workbook."""
    elapsed, counts = timed(_build, ctx)
    ctx.workbook = ctx.tmp / "demo-registry.xlsx"
    write_s, _ = timed(demo.write_workbook, ctx.workbook)
    size = ctx.workbook.stat().st_size
    return [
        Row("Demo world, registry stage (build_demo)",
            f"{seconds(elapsed)} ({counts['producers']:,} producers, {counts['products']:,} products)",
            "a few seconds", elapsed < 10),
        Row("Demo workbook written (openpyxl write-only)", f"{seconds(write_s)}, {size / 2**20:.1f} MiB",
            "", None),
    ]


def _build(ctx):
    ctx.users = demo.create_users()
    return demo.build_registry(random.Random(2565))


def parse_workbook(path):
    """What the import is held against: read every row's values with openpyxl in read-only mode."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = 0
    for sheet in workbook.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            rows += 1
    workbook.close()
    return rows


def hold_workbook(path):
    """The whole sheet as Python rows at once: the memory an import must not spend twice."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]
    workbook.close()
    return rows


def _empty_registry():
    """Empty the registry as a fresh install would have it: on PostgreSQL a TRUNCATE, since
    rows deleted by the ORM leave dead tuples that would slow the import that follows."""
    from django.db import connection

    if connection.vendor == "postgresql":
        tables = [Product.standards.through._meta.db_table, Product._meta.db_table, Producer._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("ANALYZE")
        return
    Product.standards.through.objects.all().delete()
    Product.objects.all().delete()
    Producer.objects.all().delete()


def _counts(report):
    """(producers dict, products dict, error count) from the import's report, dict or object."""
    if hasattr(report, "as_dict"):
        report = report.as_dict()
    if isinstance(report, dict):
        return report["producers"], report["products"], len(report["errors"])
    return report.producers, report.products, len(report.errors)


def _peak_memory(fn, *args, **kwargs):
    gc.collect()
    tracemalloc.start()
    try:
        fn(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def import_figures(ctx):
    """The full demo workbook imported into an empty registry, re-imported, and its peak memory."""
    parse_runs = [timed(parse_workbook, ctx.workbook)[0] for _ in range(3)]
    parse_s = median(parse_runs)
    rows = [Row("openpyxl read-only parse of the workbook (median of 3)", seconds(parse_s),
                f"reference: about {REFERENCE_PARSE_S} s", None)]
    target = f"≤ parse ({seconds(parse_s)})"
    try:
        from producers.importing import import_registry
    except ImportError:
        why = "producers.importing is not written yet"
        return rows + [not_available("Import of the full workbook into an empty registry", target, why),
                       not_available("Re-import of the unchanged workbook", target, why),
                       not_available("Peak memory of the import (tracemalloc)", "bounded", why)]

    province = Province.objects.get(code=settings.KBO_PROVINCE_CODE)

    def run():
        return import_registry(ctx.workbook, province=province, dry_run=False)

    _empty_registry()
    import_s, report = timed(run)
    producers, products, errors = _counts(report)
    rows.append(Row("Import of the full workbook into an empty registry", seconds(import_s), target,
                    import_s <= parse_s))
    rows.append(Row("  created (producers / products / errors)",
                    f"{producers['created']:,} / {products['created']:,} / {errors}",
                    f"{demo.PRODUCERS:,} / {demo.PRODUCTS:,} / 0",
                    (producers["created"], products["created"], errors) == (demo.PRODUCERS, demo.PRODUCTS, 0)))
    reimport_s, report = timed(run)
    producers, products, errors = _counts(report)
    rows.append(Row("Re-import of the unchanged workbook", seconds(reimport_s), target, reimport_s <= parse_s))
    unchanged = (producers["unchanged"], products["unchanged"])
    rows.append(Row("  unchanged (producers / products)", f"{unchanged[0]:,} / {unchanged[1]:,}",
                    f"{demo.PRODUCERS:,} / {demo.PRODUCTS:,}", unchanged == (demo.PRODUCERS, demo.PRODUCTS)))

    # tracemalloc slows Python down, so memory is measured on runs of their own.
    parse_peak = _peak_memory(parse_workbook, ctx.workbook)
    sheet_peak = _peak_memory(hold_workbook, ctx.workbook)
    _empty_registry()
    import_peak = _peak_memory(run)
    # The issue asks for "bounded" without a number: shown against the whole sheet held once.
    rows.append(Row("Peak memory of the import (tracemalloc)", mib(import_peak),
                    f"reference: whole sheet as rows {mib(sheet_peak)}, streaming parse {mib(parse_peak)}", None))
    return rows


PAGES = (
    ("Product list, filtered and searched (?district=5001&q=ผ้า)", "producers:product_list",
     "?district=5001&q=%E0%B8%9C%E0%B9%89%E0%B8%B2"),
    ("Product list, first page, no filter", "producers:product_list", ""),
    ("Producer list, searched (?q=กลุ่มแม่บ้าน)", "producers:producer_list",
     "?q=%E0%B8%81%E0%B8%A5%E0%B8%B8%E0%B9%88%E0%B8%A1%E0%B9%81%E0%B8%A1%E0%B9%88%E0%B8%9A%E0%B9%89%E0%B8%B2%E0%B8%99"),
    ("Dashboard", "producers:dashboard", ""),
)


def page_figures(ctx):
    """Median and p95 server time over PAGE_REQUESTS requests, as an officer."""
    target = f"p95 < {PAGE_TARGET_P95 * 1000:.0f} ms"
    client = Client()
    client.force_login(ctx.users["officer"])
    rows = []
    for label, name, query in PAGES:
        url = reverse(name) + query
        try:
            durations = time_requests(client, url, count=PAGE_REQUESTS)
        except Exception as error:  # a page still being written must not stop the others
            rows.append(not_available(label, target, f"{type(error).__name__}: {error}"[:70]))
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = percentile(durations, 0.95)
        rows.append(Row(label, f"median {ms(median(durations))} · p95 {ms(p95)} · {len(queries)} queries",
                        target, p95 < PAGE_TARGET_P95))
    return rows
