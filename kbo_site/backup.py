"""Backups: the database as it was at one moment, plus the uploaded files, in one tar archive.

Two forms, both read by `restore`:
  pg_dump (PostgreSQL's default)  database.dump: `pg_dump --format=custom` of one exported
                 snapshot; restored by pg_restore through psql in one transaction. Fast at
                 national scale and exact (schema, indexes, sequences). kbo_site/backup_pg.py.
  json (SQLite's backup, and `backup --json` anywhere)  data.json: every model's rows as Django
                 JSON with natural foreign keys, so a backup of SQLite loads into PostgreSQL and
                 back. Read in one transaction (REPEATABLE READ on PostgreSQL).
Beside the data part:
  media/...      every file under MEDIA_ROOT (import workbooks, meeting attachments);
  manifest.json  last: form, version, when, the applied migrations, the row count of every model
                 (and, for a dump, of every table) counted inside the same snapshot as the data,
                 and the sha256 of every other member.

Never saved: live sessions (a key from a backup logs its holder in), the login throttle's
attempt records, and the task queue's rows (`resume_imports` queues unfinished imports again).
The archive is written readable by its owner only; it holds personal data (README.md).
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "kbo-backup"
VERSION = 2  # 1: the JSON form before pg_dump; still read
JSON_FORM, DUMP_FORM = "json", "pg_dump"
DATA_MEMBER = {JSON_FORM: "data.json", DUMP_FORM: "database.dump"}
MANIFEST = "manifest.json"

# Apps whose rows no backup holds: live session keys, django-axes' login attempts and lock-outs,
# and the task queue (transient; the batches it served are resumed from their own state).
NOT_BACKED_UP_APPS = {"sessions", "axes", "django_tasks_database"}
# The JSON form leaves out what migrate makes itself; a dump holds them with their ids.
NOT_SAVED = {"contenttypes.contenttype", "auth.permission"}
# Rows a freshly migrated database has (data migrations); such a database is still "empty".
MADE_BY_MIGRATE = NOT_SAVED | {"auth.group", "producers.province", "producers.district", "producers.subdistrict"}
# PostgreSQL names as Django makes them; anything else in a manifest is refused, not quoted.
SQL_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}\Z")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _label(model):
    return model._meta.label_lower


def tables_of(models):
    return [model._meta.db_table for model in models if model._meta.managed and not model._meta.proxy]


def _all_models():
    return [model for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy]


def left_out_models():
    return [model for model in _all_models() if model._meta.app_label in NOT_BACKED_UP_APPS]


def counted_models(form):
    """The models whose rows a backup of `form` holds (link tables of many-to-many fields too)."""
    return [model for model in _all_models() if model._meta.app_label not in NOT_BACKED_UP_APPS
            and (form == DUMP_FORM or _label(model) not in NOT_SAVED)]


def saved_models():
    """The JSON form's models; their many-to-many links travel inside their rows."""
    return [model for model in counted_models(JSON_FORM) if not model._meta.auto_created]


def _existing(models):
    tables = set(connection.introspection.table_names())
    return [model for model in models if model._meta.db_table in tables]


def row_counts(models):
    return {_label(model): model._base_manager.count() for model in _existing(models)}


def user_rows():
    """Rows a freshly migrated database does not have, by model (tables that exist only)."""
    models = [model for model in counted_models(DUMP_FORM) if _label(model) not in MADE_BY_MIGRATE]
    return {label: count for label, count in row_counts(models).items() if count}


def applied_migrations():
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def known_migrations():
    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def _program_version():
    """The commit the program runs from, when it is a git checkout (as README's install makes it)."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True,
                              timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or None) if done.returncode == 0 else None


@contextmanager
def consistent_read():
    """One read transaction: every query inside sees the database as at the first one, whatever
    other connections commit meanwhile. Inside a caller's transaction, that transaction's view."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: a deferred BEGIN; the settings' BEGIN IMMEDIATE would hold the write lock for the
    # whole backup, and writers would fail once their busy timeout runs out.
    mode = getattr(connection, "transaction_mode", None)
    connection.ensure_connection()
    connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            connection.transaction_mode = mode
            yield
    finally:
        connection.transaction_mode = mode


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class _Serializer(JSONSerializer):
    """Django's JSON serializer, taking many-to-many links from the prefetched rows alone: Django's
    own builds a query for every row even when the links are prefetched (half the time of a product)."""

    def handle_m2m_field(self, obj, field):
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get(field.name)
        if prefetched is None or not field.remote_field.through._meta.auto_created:
            return super().handle_m2m_field(obj, field)
        if self.use_natural_foreign_keys and hasattr(field.remote_field.model, "natural_key"):
            self._current[field.name] = [related.natural_key() for related in prefetched]
        else:
            self._current[field.name] = [self._value_from_field(related, related._meta.pk) for related in prefetched]


def _all_objects():
    """Every saved row, models in dependency order, each table by primary key (as dumpdata does)."""
    wanted = set(saved_models())
    by_app = {}
    for model in wanted:
        by_app.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    for model in serializers.sort_dependencies(by_app.items(), allow_cycles=True):
        if model in wanted:
            yield from _rows_for_serializing(model)


def _rows_for_serializing(model):
    """The model's rows by primary key, with what the serializer reads of each row fetched for a
    chunk at once: many-to-many links, and the rows that foreign keys name by natural key (a
    user by username); row by row, that was a query per row (300,000 for the products' standards)."""
    by_natural_key = [field.name for field in model._meta.concrete_fields
                      if field.remote_field and hasattr(field.remote_field.model, "natural_key")]
    links = [field.name for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created]
    rows = model._base_manager.order_by(model._meta.pk.name)
    if by_natural_key:
        rows = rows.select_related(*by_natural_key)
    if links:
        rows = rows.prefetch_related(*links)
    return rows.iterator(chunk_size=2000)


def _dump_json(work):
    data_path = Path(work) / DATA_MEMBER[JSON_FORM]
    with consistent_read():
        counts = row_counts(counted_models(JSON_FORM))
        migrations = applied_migrations()
        with open(data_path, "w", encoding="utf-8") as out:
            _Serializer().serialize(_all_objects(), stream=out, use_natural_foreign_keys=True, cls=ExactJSONEncoder)
    return data_path, {"counts": counts, "migrations": migrations}


# --- The archive ----------------------------------------------------------------------------------------

class _Hashing:
    """A file read through while its sha256 is taken, so the digest is of the bytes archived."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(archive, path, name):
    with open(path, "rb") as handle:
        info = archive.gettarinfo(arcname=name, fileobj=handle)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    return reader.digest.hexdigest()


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup(target, *, form=None):
    """Write the archive to `target` (a path; gzip-compressed when it ends in .gz or .tgz), readable
    by its owner only. `form`: DUMP_FORM (PostgreSQL's default) or JSON_FORM. Returns the manifest."""
    from kbo_site import backup_pg

    form = form or (DUMP_FORM if connection.vendor == "postgresql" else JSON_FORM)
    if form == DUMP_FORM and connection.vendor != "postgresql":
        raise BackupError(_("pg_dump backs up PostgreSQL only; use backup --json."))
    target = Path(target)
    root = Path(settings.MEDIA_ROOT)
    compressed = target.name.endswith((".gz", ".tgz"))
    # Beside the target, not in /tmp: the dump may be large, and the directory is the archive's own.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".kbo-backup-") as work:
        data_path, facts = backup_pg.dump(work) if form == DUMP_FORM else _dump_json(work)
        partial = target.with_name(target.name + ".part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, \
                    tarfile.open(fileobj=raw, mode="w:gz" if compressed else "w",
                                 **({"compresslevel": 6} if compressed else {})) as archive:
                parts = {data_path.name: _add(archive, data_path, data_path.name)}
                files, gone = {}, []
                for path in _media_files():
                    name = path.relative_to(root).as_posix()
                    try:
                        files[name] = _add(archive, path, f"media/{name}")
                    except FileNotFoundError:
                        # Removed once listed, by a change committed while the backup ran (an
                        # import's working files, a replaced photo): there is nothing to keep.
                        gone.append(name)
                manifest = {"format": FORMAT, "version": VERSION, "form": form,
                            "created_at": timezone.now().isoformat(), "database_vendor": connection.vendor,
                            "program": _program_version(), **facts, "parts": parts, "files": files,
                            "removed_while_backing_up": gone}
                payload = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(payload), 0o600, int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(payload))
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _corrupt(detail=""):
    message = _("The file is not a usable KBO backup (damaged or not made by manage.py backup); nothing was restored.")
    return BackupError(f"{message} {detail}".strip())


def _safe_media_name(name):
    """A plain relative name under media/: an archive must not write outside its folders."""
    parts = name.split("/")
    return (len(parts) >= 2 and parts[0] == "media" and "\\" not in name and "\x00" not in name
            and all(part not in ("", ".", "..") for part in parts))


def _is_count_table(value):
    return isinstance(value, dict) and all(isinstance(key, str) and type(count) is int and count >= 0
                                           for key, count in value.items())


def _check_manifest(manifest):
    """The manifest's shape, its version, and its form; returns the members it names with their sha256."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _corrupt()
    if manifest.get("version") not in (1, VERSION):
        raise BackupError(_("This backup was made by another version of the program (format %(version)s); "
                            "nothing was restored.") % {"version": manifest.get("version")})
    if manifest["version"] == 1:  # the JSON form, before pg_dump: the data's digest stood alone
        manifest.update(form=JSON_FORM, parts={DATA_MEMBER[JSON_FORM]: manifest.get("data_sha256")})
    form, parts, files = manifest.get("form"), manifest.get("parts"), manifest.get("files")
    if (form not in DATA_MEMBER or not isinstance(parts, dict) or set(parts) != {DATA_MEMBER[form]}
            or not isinstance(files, dict) or not _is_count_table(manifest.get("counts"))
            or not isinstance(manifest.get("migrations", []), list)):
        raise _corrupt()
    if not all(isinstance(name, str) for name in manifest.get("migrations", [])):
        raise _corrupt()
    if form == DUMP_FORM and not (_is_count_table(manifest.get("tables"))
                                  and type(manifest.get("pg_dump_version", 0)) is int
                                  and all(SQL_NAME.match(name) for name in [manifest.get("schema") or "",
                                                                             *manifest["tables"]])):
        raise _corrupt()
    for name in files:
        if not isinstance(name, str) or not _safe_media_name(f"media/{name}"):
            raise _corrupt(str(name))
    return {**parts, **{f"media/{name}": digest for name, digest in files.items()}}


def _read_archive(source, work):
    """Unpack every member into `work`, then check each against the manifest, before anything is
    written where it counts. Returns the manifest."""
    try:
        archive = tarfile.open(source, "r:*")
    except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
        raise _corrupt(str(error)) from None
    manifest, digests = None, {}
    with archive:
        try:
            for member in archive:
                name = member.name
                if not member.isfile() or name in digests or (
                        name != MANIFEST and name not in DATA_MEMBER.values() and not _safe_media_name(name)):
                    raise _corrupt(name)
                with archive.extractfile(member) as handle:
                    if name == MANIFEST:
                        try:
                            manifest = json.loads(handle.read())
                        except ValueError:
                            raise _corrupt() from None
                        continue
                    destination = Path(work) / name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    reader = _Hashing(handle)
                    with open(destination, "xb") as out:
                        shutil.copyfileobj(reader, out, 1 << 20)
                    digests[name] = reader.digest.hexdigest()
        except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
            raise _corrupt(str(error)) from None
    expected = _check_manifest(manifest)
    if set(digests) != set(expected):
        raise _corrupt(", ".join(sorted(set(expected) ^ set(digests))))
    wrong = sorted(name for name, digest in expected.items() if digests[name] != digest)
    if wrong:
        raise _corrupt(", ".join(wrong))
    return manifest


def _newer_migrations(manifest):
    unknown = sorted(set(manifest.get("migrations", [])) - known_migrations())
    if unknown:
        raise BackupError(_("This backup was made by a newer version of the program (migrations this program does "
                            "not know: %(names)s); nothing was restored. Update the program first, then restore.")
                          % {"names": ", ".join(unknown)})


# --- Restore --------------------------------------------------------------------------------------------

def refuse_data_unless(force):
    present = user_rows()
    if present and not force:
        raise BackupError(_("The database already holds data (%(count)s rows, e.g. %(example)s); "
                            "nothing was restored. Restore into an empty database, or add --force "
                            "to replace everything in it.")
                          % {"count": sum(present.values()), "example": next(iter(present))})


def copy_files(manifest, work):
    root = Path(settings.MEDIA_ROOT)
    for name in manifest["files"]:
        destination = root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(work) / "media" / name, destination)


def _empty_tables():
    """Every table the JSON form fills, and the left-out ones (a restore signs everyone out)."""
    models = [model for model in _all_models() if _label(model) not in NOT_SAVED]
    tables = list(dict.fromkeys(tables_of(_existing(models))))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred checks pending in this transaction: run them now,
            # then defer again for the load (rows may name rows that come later in the file).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _restore_json(manifest, work, force):
    """loaddata in one transaction, the counts checked and the files copied before it commits."""
    backup_migrations = manifest.get("migrations")
    if backup_migrations is not None:
        here = applied_migrations()
        missing, extra = sorted(set(backup_migrations) - set(here)), sorted(set(here) - set(backup_migrations))
        if missing or extra:
            detail = "; ".join(
                [_("this database lacks: %(names)s") % {"names": ", ".join(missing)}] * bool(missing)
                + [_("this database has migrations the backup has not: %(names)s") % {"names": ", ".join(extra)}]
                * bool(extra))
            raise BackupError(_("This backup was made from a database of another version (%(detail)s); nothing "
                                "was restored. Migrate an empty database with the version of the program that made "
                                "the backup, then restore.") % {"detail": detail})
    with transaction.atomic():
        refuse_data_unless(force)
        if force:
            _empty_tables()
        call_command("loaddata", str(Path(work) / DATA_MEMBER[JSON_FORM]), verbosity=0)
        # A backup of format 1 still held sessions and login attempts: they do not come back.
        for model in left_out_models():
            model._base_manager.all().delete()
        saved = {_label(model) for model in counted_models(JSON_FORM)}
        counts = row_counts([model for model in _all_models() if _label(model) in manifest["counts"]])
        wrong = sorted(label for label, count in manifest["counts"].items()
                       if label in saved and counts.get(label) != count)
        if wrong:
            raise BackupError(_("After loading, the row counts differ from the backup's (%(tables)s); "
                                "nothing was restored.") % {"tables": ", ".join(wrong)})
        # Files last, still inside the transaction: a failed copy rolls the rows back.
        copy_files(manifest, work)


def restore(source, *, force=False):
    """Load the archive at `source`, all of it or nothing, after checking every member against the
    manifest. Returns the manifest and the migrations of this program the backup predates (run
    `migrate` for them)."""
    from kbo_site import backup_pg

    with tempfile.TemporaryDirectory(prefix="kbo-restore-") as work:
        manifest = _read_archive(source, work)
        _newer_migrations(manifest)
        if manifest["form"] == DUMP_FORM:
            backup_pg.restore_dump(manifest, work, force)
        else:
            _restore_json(manifest, work, force)
    return manifest, pending_migrations()


def pending_migrations():
    """This program's migrations the database has not had (after restoring an older backup)."""
    loader = MigrationLoader(connection)
    return sorted(f"{app}.{name}" for app, name in set(loader.graph.nodes) - set(loader.applied_migrations))
