"""Indexes for the registry at national scale (100,000 producers, 300,000 products).

PostgreSQL only (SQLite holds one province and needs none): the pg_trgm extension and GIN
trigram indexes on UPPER(name) and UPPER(code) of producers and products. The registry
search (producers.filters.text_match) is Django's icontains, which PostgreSQL runs as
`UPPER(column::text) LIKE UPPER('%ผ้า%')`; an index on that very expression answers it
(pg_trgm reads Thai letters as word characters in a UTF-8 locale such as C.UTF-8).

Two covering btree indexes let the dashboard's two grouped counts read an index alone
(index-only scans) instead of every row of the tables; one on the producer code serves the
national producer list's default order.

The indexes are not in the models' state: the trigram ones are expressions with an operator
class that SQLite cannot build, and SQLite's one province needs none of them; so
makemigrations leaves them alone.
"""

from django.db import migrations

TABLES = ("producers_producer", "producers_product")
COLUMNS = ("name", "code")


COVERING = (
    # The dashboard: producers grouped by (type, year, district) of one province, or by
    # (type, year, province) of the whole country.
    ("producer_dashboard_idx", "producers_producer", "province_id, producer_type, registration_year, district_id"),
    # The dashboard: products grouped by (type, classification, stars).
    ("product_dashboard_idx", "producers_product", "product_type, classification, star_level"),
    # The national producer list, sorted by code (the default): a search walks the codes in
    # order and stops at the page's 50th match (unique (province, code) serves one province).
    ("producer_code_idx", "producers_producer", "code"),
)


def index_name(table, column):
    return f"{table.removeprefix('producers_')}_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        for column in COLUMNS:
            # The registry search: UPPER(column::text) LIKE UPPER('%…%') (icontains).
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{index_name(table, column)}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


    for name, table, columns in COVERING:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns})')
    # The geography tables were filled by a data migration: without statistics the planner
    # takes 928 districts for 160 and joins them row by row.
    for table in ("producers_province", "producers_district", "producers_subdistrict"):
        schema_editor.execute(f'ANALYZE "{table}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for column in COLUMNS:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table, column)}"')
    for name, _, _ in COVERING:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("producers", "0007_import_batch_progress"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
