"""The PostgreSQL form of a backup (kbo_site/backup.py): pg_dump of one exported snapshot, and
pg_restore's script loaded through psql in one transaction.

pg_dump, pg_restore and psql are Debian's postgresql-client; they connect as settings.DATABASES
says, the password in PGPASSWORD, never on a command line.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext as _

from kbo_site.backup import (
    DATA_MEMBER,
    DUMP_FORM,
    BackupError,
    applied_migrations,
    consistent_read,
    copy_files,
    counted_models,
    left_out_models,
    refuse_data_unless,
    row_counts,
    tables_of,
)


def _pg_environment():
    """libpq's environment for pg_dump, pg_restore and psql: the connection of settings.DATABASES
    (as this process uses it), the password in PGPASSWORD, never on a command line."""
    params = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (("PGHOST", params.get("HOST")), ("PGPORT", params.get("PORT")),
                            ("PGUSER", params.get("USER")), ("PGPASSWORD", params.get("PASSWORD")),
                            ("PGDATABASE", params.get("NAME"))):
        if value:
            env[variable] = str(value)
    options = params.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                             ("sslkey", "PGSSLKEY"), ("connect_timeout", "PGCONNECT_TIMEOUT"),
                             ("options", "PGOPTIONS")):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _pg_tool(name, *, at_least):
    """The path of pg_dump/pg_restore/psql, checked to be of major version `at_least` or later."""
    path = shutil.which(name)
    version = None
    if path:
        done = subprocess.run([path, "--version"], capture_output=True, text=True)
        match = re.search(r"\) (\d+)", done.stdout)
        version = int(match.group(1)) if match else None
    if version is None or version < at_least:
        raise BackupError(_("%(tool)s of PostgreSQL %(major)s or later is needed and was not found (install Debian's "
                            "postgresql-client-%(major)s); nothing was done.") % {"tool": name, "major": at_least})
    return path, version


def _server_major():
    return connection.pg_version // 10000


def _tail(text, limit=600):
    text = " ".join(text.split())
    return text if len(text) <= limit else "…" + text[-limit:]


def dump(work):
    """pg_dump of one exported snapshot, the row counts read in that same snapshot."""
    if connection.in_atomic_block:
        raise RuntimeError("a pg_dump backup reads committed data: call it outside a transaction")
    pg_dump, version = _pg_tool("pg_dump", at_least=_server_major())
    dump = Path(work) / DATA_MEMBER[DUMP_FORM]
    left_out = sorted(set(tables_of(left_out_models())))
    with consistent_read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_schema()")
            snapshot, schema = cursor.fetchone()
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
            tables = {}
            for (table,) in cursor.fetchall():
                if table not in left_out:
                    cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(schema)}."
                                   f"{connection.ops.quote_name(table)}")
                    tables[table] = cursor.fetchone()[0]
        counts = row_counts(counted_models(DUMP_FORM))
        migrations = applied_migrations()
        command = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dump}"]
        command += [f"--exclude-table-data={schema}.{table}" for table in left_out]
        done = subprocess.run(command, env=_pg_environment(), stdin=subprocess.DEVNULL, capture_output=True,
                              text=True)
    if done.returncode:
        raise BackupError(_("pg_dump failed, so nothing was backed up: %(error)s") % {"error": _tail(done.stderr)})
    return dump, {"counts": counts, "tables": tables, "schema": schema, "left_out_tables": left_out,
                  "migrations": migrations, "pg_dump_version": version, "server_version": _server_major()}


def _drop_everything_sql(schema):
    """Every table and sequence of the schema, whatever version made them: the dump brings its own."""
    return f"""
DO $kbo$ DECLARE t record; BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = '{schema}' LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', '{schema}', t.tablename);
  END LOOP;
  FOR t IN SELECT sequencename FROM pg_sequences WHERE schemaname = '{schema}' LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', '{schema}', t.sequencename);
  END LOOP;
END $kbo$;
"""


COUNTS_DIFFER = "kbo-restore-counts-differ:"


def _check_counts_sql(schema, tables):
    """Raise, and so roll the whole restore back, unless every table holds the backup's count."""
    checks = "\n".join(
        f"  SELECT count(*) INTO n FROM \"{schema}\".\"{table}\"; "
        f"IF n <> {count} THEN wrong := wrong || ' {table}'; END IF;" for table, count in sorted(tables.items()))
    return f"""
DO $kbo$ DECLARE wrong text := ''; n bigint; BEGIN
{checks}
  IF wrong <> '' THEN RAISE EXCEPTION '{COUNTS_DIFFER}%', wrong; END IF;
END $kbo$;
"""


def restore_dump(manifest, work, force):
    """pg_restore's script through psql in one transaction: the old tables dropped, the dump's
    created and loaded, every table's count checked, statistics taken, then COMMIT. Any error
    on the way, and the database is as it was."""
    if connection.vendor != "postgresql":
        raise BackupError(_("This backup is a PostgreSQL dump (pg_dump): it restores into a PostgreSQL database "
                            "only; nothing was restored. To move to SQLite, back up with backup --json."))
    if connection.in_atomic_block:
        raise RuntimeError("a pg_dump restore replaces the tables from another connection: call it outside a "
                           "transaction")
    pg_restore, _version = _pg_tool("pg_restore", at_least=manifest.get("pg_dump_version") or _server_major())
    psql, _version = _pg_tool("psql", at_least=0)
    refuse_data_unless(force)
    copy_files(manifest, work)  # under their stored names; rows that name them come with the commit
    connection.close()  # holds no lock the restore would wait for
    schema = manifest["schema"]
    prelude = ("SET client_min_messages = warning;\nBEGIN;\nSET LOCAL maintenance_work_mem = '256MB';\n"
               + _drop_everything_sql(schema)).encode()
    epilogue = (_check_counts_sql(schema, manifest["tables"]) + "ANALYZE;\nCOMMIT;\n").encode()
    env = {**_pg_environment(), "PGAPPNAME": "kbo-restore"}
    with tempfile.TemporaryFile() as reader_errors, tempfile.TemporaryFile() as loader_output:
        loader = subprocess.Popen([psql, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1",
                                   "--file=-"], stdin=subprocess.PIPE, stdout=loader_output,
                                  stderr=subprocess.STDOUT, env=env)
        reader = subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "--no-comments", "--file=-",
                                   str(Path(work) / DATA_MEMBER[DUMP_FORM])], stdout=subprocess.PIPE,
                                  stderr=reader_errors, env=env)
        try:
            loader.stdin.write(prelude)
            shutil.copyfileobj(reader.stdout, loader.stdin, 1 << 20)
            # COMMIT only after a whole script: a pg_restore that stopped part-way commits nothing.
            if reader.wait() == 0:
                loader.stdin.write(epilogue)
        except BrokenPipeError:
            pass  # psql stopped at an error; its output says which
        finally:
            reader.stdout.close()
            try:
                loader.stdin.close()
            except BrokenPipeError:
                pass
            reader.wait()
            loader.wait()
        reader_errors.seek(0)
        loader_output.seek(0)
        errors = reader_errors.read().decode("utf-8", "replace")
        output = loader_output.read().decode("utf-8", "replace")
    ContentType.objects.clear_cache()
    if COUNTS_DIFFER in output:
        wrong = output.split(COUNTS_DIFFER, 1)[1].splitlines()[0].split()
        raise BackupError(_("After loading, the row counts differ from the backup's (%(tables)s); "
                            "nothing was restored.") % {"tables": ", ".join(wrong)})
    if reader.returncode or loader.returncode:
        raise BackupError(_("The database refused the restore (%(error)s); nothing was restored.")
                          % {"error": _tail(errors + " " + output)})
