"""`make bench`: the performance figures of the issues, measured in one run on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbo_bench .venv/bin/python bench/run.py

The database named in DATABASE_URL is dropped and created afresh, migrated, and filled with
the demo world; nothing else is touched. Prints one table: figure, measured value, target or
reference, verdict. Exits 0 even when a target is missed (the table says so). Benches run
with DEBUG off, as in production.

BENCH_ONLY=pdf_figures,year_figures runs the world (always) and the named functions only.

To add figures: write `bench/<area>.py` with functions `fn(ctx) -> list[Row]` (see
bench/common.py) and list them in `benches()` below, after the registry's (which builds the
demo registry, the users and the workbook that later benches may use through ctx).
"""

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbo_site.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kbo_bench")


def benches():
    """The figures, in the order they run and print."""
    from bench import (
        backup_bench,
        development_bench,
        import_bench,
        load_bench,
        meetings_bench,
        national_bench,
        offline_bench,
        registry,
        saturation_bench,
        selection_bench,
        startup_bench,
    )

    return [
        registry.world,
        registry.import_figures,
        # Issue 11 (a fast start): the whole import_registry process against an openpyxl parse process.
        startup_bench.process_figures,
        registry.page_figures,
        # Issue 3 (selection): ranking 200 submissions × 15 members × 6 criteria (< 200 ms, fixed
        # queries); autosave p95 under 15 parallel members (< 100 ms).
        selection_bench.ranking_figures,
        selection_bench.autosave_figures,
        # Issue 4 (meetings): minutes and agenda PDF render times against the one-page floor.
        meetings_bench.pdf_figures,
        # Issue 12: the year's summary PDF (< 2 s), on the demo year built on that round.
        meetings_bench.year_figures,
        # Issue 14 §2 (flaky Wi-Fi): the scoring page's bytes on a phone, first and cached loads;
        # the first score input under slow 3G; 30 scores entered offline on the server < 5 s
        # after reconnecting; 0 duplicates when every post is retried 3 times.
        offline_bench.offline_figures,
        # Issue 10 (saturation): the Chiang Mai demo as built so far (the minuted stage), 50
        # clients with no think time over the mixed pages for 30 s under gunicorn as deployed
        # (≥ 100 req/s, p95 < 300 ms, 0 errors), beside the /healthz ceiling; before the
        # national registry is added.
        saturation_bench.saturation_figures,
        # Issue 5 (national scale): a 300,000-row workbook imported by the background task
        # (< 60 s, < 1 GB); the national registry of 100,000 producers / 300,000 products
        # (list p95 < 150 ms, dashboard p95 < 300 ms); a national morning under gunicorn with
        # 4 workers (200 browsing + 50 scoring for 60 s) against a minimal view's ceiling.
        import_bench.import_figures,
        national_bench.national_figures,
        load_bench.load_figures,
        # Issue 10 (backups): the national database backed up (< 60 s) and restored into a new
        # database (< 120 s); a backup taken while an import is written holds all of it or none.
        backup_bench.backup_figures,
        # Issue 12 (activity 2): the development board of one province (20 products) and the
        # national overview (77 provinces × 20), p95 < 150 ms in fixed queries; a 12 MB phone
        # photo stored resized without its metadata in < 2 s. Builds its own 77 rounds, last.
        development_bench.development_figures,
    ]


def fresh_database(url):
    """Drop and create the PostgreSQL database named in url (a bench owns its database)."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"make bench runs on PostgreSQL; DATABASE_URL is {parts.scheme}://…")
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                             user=parts.username or "postgres", password=parts.password, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name)))
    admin.close()
    return name


def log(message):
    print(message, file=sys.stderr, flush=True)


def main():
    started = time.perf_counter()
    name = fresh_database(os.environ["DATABASE_URL"])
    log(f"bench: database {name} created")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"bench: migrated ({time.perf_counter() - started:.0f} s)")

    from bench.common import Context, Row, render_table

    from django.test.utils import override_settings

    rows = []
    # Production-like: with DEBUG on, Django would keep every SQL statement in memory.
    with tempfile.TemporaryDirectory(prefix="kbo-bench-") as tmp, override_settings(DEBUG=False):
        ctx = Context(tmp=Path(tmp))
        only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
        for bench in benches():
            label = f"{bench.__module__}.{bench.__name__}"
            if only and bench.__name__ not in only and bench is not benches()[0]:
                continue
            log(f"bench: {label} …")
            try:
                rows += bench(ctx)
            except Exception as error:  # one broken bench must not hide the others' figures
                traceback.print_exc()
                rows.append(Row(label, f"failed: {type(error).__name__}: {error}"[:100], "", False))

    from django.db import connection

    print()
    print(f"KBO benchmark · {connection.vendor} {connection.pg_version // 10000 if connection.vendor == 'postgresql' else ''}"
          f" · {os.cpu_count()} CPUs · Python {sys.version.split()[0]}")
    print(render_table(rows))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"(whole run {time.perf_counter() - started:.0f} s; load average at the end {load}: "
          f"figures taken while other work shares the CPUs are slower)")


if __name__ == "__main__":
    main()
