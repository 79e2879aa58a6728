"""The national demo registry: 100,000 producers and 300,000 products over all 77 provinces.

Called by `manage.py build_demo --national` after the Chiang Mai demo (producers.demo), and by
the national bench. The provinces that already hold producers (Chiang Mai's exact 2,531 /
7,192) are kept as they are; the rest of the totals is spread over the other provinces in
proportion to their number of subdistricts (a stand-in for population), over their real
districts and subdistricts (the rows loaded from geothai). Each province is planned by
producers.demo.plan_registry from its own seed (`seed`-`code`), so the result is
deterministic and a province's rows do not depend on the others'.

Writing: COPY on PostgreSQL (a few seconds for 400,000 rows, where INSERTs take a minute),
bulk_create elsewhere. No history rows: the demo is the starting state, as after an import.
"""

import io
import random
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from .columns import PRODUCER, PRODUCT, fields_of
from .demo import plan_registry, province_geography
from .models import District, Producer, Product, Province, Standard, Subdistrict

TOTAL_PRODUCERS = 100_000
TOTAL_PRODUCTS = 300_000


def _allocate(total, weights):
    """Split total into integer parts proportional to weights (largest remainder)."""
    scale = total / sum(weights.values())
    exact = {key: weight * scale for key, weight in weights.items()}
    parts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - parts[k], reverse=True)[:total - sum(parts.values())]:
        parts[key] += 1
    return parts


def plan_targets(producers=TOTAL_PRODUCERS, products=TOTAL_PRODUCTS):
    """{province code: (producers, products)} for the provinces without producers, so that the
    registry reaches the totals. Empty when it already holds them."""
    existing = dict(Producer.objects.order_by().values_list("province_id").annotate(n=Count("id")))
    existing_products = Product.objects.count()
    missing_producers = producers - sum(existing.values())
    missing_products = products - existing_products
    sizes = dict(Subdistrict.objects.order_by().values_list("district__province_id").annotate(n=Count("code")))
    weights = {code: sizes.get(code, 1) for code in Province.objects.values_list("code", flat=True)
               if code not in existing}
    if missing_producers <= 0 or not weights:
        return {}
    producer_parts = _allocate(missing_producers, weights)
    product_parts = _allocate(max(missing_products, missing_producers), producer_parts)
    return {code: (producer_parts[code], product_parts[code]) for code in weights if producer_parts[code]}


def build_national(seed, producers=TOTAL_PRODUCERS, products=TOTAL_PRODUCTS):
    """Fill the provinces that hold no producers yet, up to the totals.

    Side effects: inserts producers, products, their standards (and any standard not yet
    known); runs ANALYZE on PostgreSQL. Returns {"producers": n, "products": n, "provinces": n}
    of what it added.
    """
    targets = plan_targets(producers, products)
    now = timezone.now()
    producer_rows, product_rows = [], []
    for code, (n_producers, n_products) in sorted(targets.items()):
        planned, planned_products = plan_registry(random.Random(f"{seed}-{code}"), province_geography(code),
                                                  n_producers, n_products)
        offset = len(producer_rows)
        for row in planned:
            row["province"] = code
        for row in planned_products:
            row["producer"] += offset
        producer_rows += planned
        product_rows += planned_products
    with transaction.atomic():
        names = sorted({name for row in product_rows for name in row["standards"]})
        standards = {s.name: s.pk for s in (Standard.objects.get_or_create(name=name)[0] for name in names)}
        if connection.vendor == "postgresql":
            with _indexes_set_aside():
                _copy(producer_rows, product_rows, standards, now)
        else:
            _bulk_create(producer_rows, product_rows, standards, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Province, District, Subdistrict, Producer, Product, Product.standards.through):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return {"producers": len(producer_rows), "products": len(product_rows), "provinces": len(targets)}


# The planned rows' keys (model field names): the import's columns, the province, the producer.
PRODUCER_FIELDS = ("province", *fields_of(PRODUCER))
PRODUCT_FIELDS = ("producer", *(name for name in fields_of(PRODUCT) if not Product._meta.get_field(name).many_to_many))
STAMPS = ("version", "created_at", "updated_at")


def _copied_columns(model, fields):
    return ", ".join((*(model._meta.get_field(name).attname for name in fields), *STAMPS))


def _values(model, row, fields):
    """A planned row's values; a column the demo does not plan gets its field's default."""
    return (row[name] if name in row else model._meta.get_field(name).get_default() for name in fields)


def _producer_values(row, now):
    return (*_values(Producer, row, PRODUCER_FIELDS), 1, now, now)


def _product_values(row, producer_id, now):
    return (producer_id, *_values(Product, row, PRODUCT_FIELDS[1:]), 1, now, now)


@contextmanager
def _indexes_set_aside():
    """Drop the indexes that back no constraint (trigram, filters, foreign keys) for the load and
    build them again after it: building an index once is several times faster than keeping it
    up to date row by row, GIN trigram indexes above all. Inside the caller's transaction."""
    tables = [model._meta.db_table for model in (Producer, Product)]
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""", [tables])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # The foreign keys are checked at commit (deferred); an index cannot be built while
        # those checks wait, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)


def _tsv(rows):
    """COPY's text format. The demo's text holds no tab, newline or backslash."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    return buffer


def _copy(producer_rows, product_rows, standards, now):
    quote = connection.ops.quote_name
    through = Product.standards.through
    stamp = now.isoformat()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor: copy_expert
        copied = _copied_columns(Producer, PRODUCER_FIELDS)
        raw.copy_expert(f"COPY {quote(Producer._meta.db_table)} ({copied}) FROM STDIN",
                        _tsv(_producer_values(row, stamp) for row in producer_rows))
        cursor.execute(f"SELECT code, id FROM {quote(Producer._meta.db_table)} WHERE code = ANY(%s)",
                       [[row["code"] for row in producer_rows]])
        producer_ids = dict(cursor.fetchall())
        ids = [producer_ids[row["code"]] for row in producer_rows]
        raw.copy_expert(f"COPY {quote(Product._meta.db_table)} ({_copied_columns(Product, PRODUCT_FIELDS)}) FROM STDIN",
                        _tsv(_product_values(row, ids[row["producer"]], stamp) for row in product_rows))
        cursor.execute(f"SELECT code, id FROM {quote(Product._meta.db_table)} WHERE code = ANY(%s)",
                       [[row["code"] for row in product_rows if row["standards"]]])
        product_ids = dict(cursor.fetchall())
        raw.copy_expert(f"COPY {quote(through._meta.db_table)} (product_id, standard_id) FROM STDIN",
                        _tsv((product_ids[row["code"]], standards[name])
                             for row in product_rows for name in row["standards"]))


def _bulk_create(producer_rows, product_rows, standards, now):
    created = Producer.objects.bulk_create(
        [Producer(province_id=row["province"], district_id=row["district"], subdistrict_id=row["subdistrict"],
                  **{k: v for k, v in row.items() if k not in ("province", "district", "subdistrict")})
         for row in producer_rows], batch_size=1000)
    products = Product.objects.bulk_create(
        [Product(producer_id=created[row["producer"]].pk,
                 **{k: v for k, v in row.items() if k not in ("producer", "standards")})
         for row in product_rows], batch_size=1000)
    through = Product.standards.through
    through.objects.bulk_create(
        [through(product_id=product.pk, standard_id=standards[name])
         for product, row in zip(products, product_rows) for name in row["standards"]], batch_size=2000)
