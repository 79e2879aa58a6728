"""Backup and restore at national scale (issue 10): `manage.py backup` of the whole database
(pg_dump of one snapshot, with the uploaded files) and `manage.py restore` of it into a new,
empty database, each timed; and a backup taken while a registry import is being written,
restored, which must hold all of that import or none of it.

Runs after the national bench (100,000 producers, 300,000 products in the database). Alone,
on a database that already holds the national demo:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kbo_backup_bench .venv/bin/python bench/backup_bench.py

The restores go to a database named like the bench's with `_restore` appended, created afresh
and dropped at the end; the restored uploads go to a temporary DATA_DIR.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BACKUP_TARGET_S = 60
RESTORE_TARGET_S = 120
IMPORT_PRODUCERS = 10_000  # × 3 products: a 30,000-row workbook of Lamphun


def _scratch_url(url):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_restore"))


def _drop(url):
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    admin = psycopg2.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                             user=parts.username or "postgres", password=parts.password, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(parts.path.lstrip("/"))))
    admin.close()


def _connect(url):
    import psycopg2

    parts = urlsplit(url)
    return psycopg2.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                            user=parts.username or "postgres", password=parts.password, dbname=parts.path.lstrip("/"))


def _table_counts(url):
    """Rows of every table of the database at url, by name."""
    conn = _connect(url)
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT format('%I', tablename) FROM pg_tables WHERE schemaname = current_schema()")
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def _restore_elsewhere(archive, url, data_dir):
    """`manage.py restore archive` into the database at url, as a separate process (as an admin
    runs it); returns (seconds, peak RSS in bytes of the largest process: Python, pg_restore or psql)."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), "DEBUG": "False"}
    probe = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, str(root / "manage.py"), "restore",
                           str(archive)], env=env, capture_output=True, text=True, cwd=root)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"restore failed: {done.stderr.strip()[-300:] or done.stdout.strip()[-300:]}")
    return seconds, int(done.stdout.strip().splitlines()[-1]) * 1024


def backup_figures(ctx):
    from django.db import connection

    from bench.common import Row, mib, seconds, timed
    from bench.run import fresh_database
    from kbo_site.backup import backup

    url = os.environ["DATABASE_URL"]
    scratch = _scratch_url(url)
    source = _table_counts(url)
    rows_total = sum(source.values())
    archive = Path(ctx.tmp) / "kbo-national.tar"
    rows = []
    try:
        backup_s, manifest = timed(backup, archive)
        rows.append(Row(f"Backup of the national database (pg_dump of one snapshot + files), {rows_total:,} rows",
                        f"{seconds(backup_s)}, {archive.stat().st_size / 2**20:.1f} MiB",
                        f"< {BACKUP_TARGET_S} s", backup_s < BACKUP_TARGET_S))
        fresh_database(scratch)
        restore_s, peak = _restore_elsewhere(archive, scratch, Path(ctx.tmp) / "restored-data")
        restored = _table_counts(scratch)
        left_out = set(manifest["left_out_tables"])
        same = {t: n for t, n in restored.items() if t not in left_out} == {
            t: n for t, n in source.items() if t not in left_out}
        rows.append(Row("Restore of it into a new, empty database (pg_restore through psql, one transaction)",
                        f"{seconds(restore_s)}, peak RSS {mib(peak)}", f"< {RESTORE_TARGET_S} s",
                        restore_s < RESTORE_TARGET_S))
        rows.append(Row("  every table's rows, restored against the source (sessions, axes, tasks left out)",
                        "equal" if same else "DIFFERENT", "equal", same))
        rows.append(during_import(ctx, scratch))
    finally:
        archive.unlink(missing_ok=True)
        connection.close()
        _drop(scratch)
    return rows


def _import_is_writing(batch):
    """The import task's transaction has begun writing producers (it holds their table's write lock)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE relation = 'producers_producer'::regclass "
                       "AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


def during_import(ctx, scratch):
    """A backup started while the import task writes a 30,000-row workbook, restored elsewhere."""
    from django.contrib.auth import get_user_model

    from bench import import_bench
    from bench.common import Row, seconds, timed
    from bench.run import fresh_database
    from kbo_site.backup import backup
    from producers.import_batches import forget_files
    from producers.models import ImportBatch, ImportStatus, Province

    label = f"Backup started while an import of {IMPORT_PRODUCERS * 3:,} rows is being written, then restored"
    province = Province.objects.get(code=import_bench.PROVINCE)
    admin, _created = get_user_model().objects.get_or_create(username="bench-backup-admin",
                                                            defaults={"is_superuser": True, "is_staff": True})
    workbook = Path(ctx.tmp) / "registry-backup-during-import.xlsx"
    import_bench.write_workbook(workbook, producers=IMPORT_PRODUCERS)
    archive = Path(ctx.tmp) / "kbo-during-import.tar"
    import_bench.empty_province(province.code)
    try:
        batch = import_bench.check(workbook, province, admin)
        outcome = {}

        def run():
            from django.db import connection

            try:
                outcome["batch"] = import_bench.confirm(batch, admin)
            finally:
                connection.close()

        importing = threading.Thread(target=run)
        importing.start()
        deadline = time.monotonic() + 300
        while not _import_is_writing(batch) and importing.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        overlapped = importing.is_alive()
        backup_s, _manifest = timed(backup, archive)
        importing.join()
        imported = outcome.get("batch") is not None and outcome["batch"].status == ImportStatus.IMPORTED
        fresh_database(scratch)
        _restore_elsewhere(archive, scratch, Path(ctx.tmp) / "restored-during-import")
        restored = _province_rows(scratch, province.code)
        whole = (IMPORT_PRODUCERS, IMPORT_PRODUCERS * 3)
        said = {(0, 0): "none of it", whole: "all of it"}.get(restored, "PART of it")
        return Row(label, f"{said} ({restored[0]:,} producers / {restored[1]:,} products; backup "
                          f"{seconds(backup_s)}{'' if overlapped else '; the import ended first'})",
                   "all or none", imported and overlapped and restored in ((0, 0), whole))
    finally:
        for stale in ImportBatch.objects.filter(province=province, uploaded_by=admin):
            forget_files(stale)
            stale.delete()
        import_bench.empty_province(province.code)
        archive.unlink(missing_ok=True)


def _province_rows(url, code):
    conn = _connect(url)
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM producers_producer WHERE province_id = %s", [code])
        producers = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM producers_product p JOIN producers_producer r ON r.id = p.producer_id "
                       "WHERE r.province_id = %s", [code])
        products = cursor.fetchone()[0]
    conn.close()
    return producers, products


def main():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbo_site.settings")
    os.environ.setdefault("DEBUG", "False")
    import tempfile

    import django

    django.setup()
    from bench.common import Context, render_table

    with tempfile.TemporaryDirectory(prefix="kbo-backup-bench-") as tmp:
        print(render_table(backup_figures(Context(tmp=Path(tmp)))))


if __name__ == "__main__":
    main()
