"""Portable backups: the whole database as Django JSON plus the uploaded files, in one .tar.gz.

The archive holds
  manifest.json  format, version, when, the row count of every model, the sha256 of every file;
  data.json      dumpdata of every app with natural foreign keys (content types and permissions by
                 name, so a backup from SQLite loads into PostgreSQL and back);
  media/...      every file under MEDIA_ROOT (import workbooks, meeting attachments).

Primary keys are kept, so links between rows and the ids in URLs survive a restore.
Content types and permissions are not saved: migrate makes them on the target.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "kbo-backup"
VERSION = 1
# Rows these models hold come from migrate itself (content types, permissions) or from the data
# migrations (geography, role groups); a freshly migrated database has them and is still "empty".
NOT_SAVED = {"contenttypes.contenttype", "auth.permission"}
MADE_BY_MIGRATE = NOT_SAVED | {"auth.group", "producers.province", "producers.district",
                               "producers.subdistrict", "sessions.session"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _label(model):
    return model._meta.label_lower


def saved_models():
    return [model for model in apps.get_models() if _label(model) not in NOT_SAVED]


def row_counts():
    return {_label(model): model._default_manager.count() for model in saved_models()}


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def _all_objects():
    """Every saved row, models in dependency order, each table by primary key (as dumpdata does)."""
    wanted = set(saved_models())
    by_app = {}
    for model in wanted:
        by_app.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    for model in serializers.sort_dependencies(by_app.items(), allow_cycles=True):
        if model in wanted and not model._meta.proxy:
            yield from model._default_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup(target):
    """Write the archive to `target` (a path); returns the manifest."""
    target = Path(target)
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        data_path = Path(work) / "data.json"
        # One read transaction: the rows and the counts describe the same moment.
        with transaction.atomic():
            with open(data_path, "w", encoding="utf-8") as out:
                serializers.serialize("json", _all_objects(), stream=out, use_natural_foreign_keys=True,
                                      cls=ExactJSONEncoder)
            counts = row_counts()
        files = {path.relative_to(root).as_posix(): _sha256_file(path) for path in _media_files()}
        manifest = {"format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(),
                    "database_vendor": connection.vendor, "counts": counts,
                    "data_sha256": _sha256_file(data_path), "files": files}
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            payload = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            archive.add(data_path, arcname="data.json")
            for name in files:
                archive.add(root / name, arcname=f"media/{name}")
        os.replace(partial, target)
    return manifest


def _corrupt(detail=""):
    message = _("The file is not a usable KBO backup (damaged or not made by manage.py backup); nothing was restored.")
    return BackupError(f"{message} {detail}".strip())


def _read_archive(source, work):
    """Unpack and check every member against the manifest before anything is written."""
    try:
        archive = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError, EOFError) as error:
        raise _corrupt(str(error)) from None
    with archive:
        try:
            member = archive.extractfile("manifest.json")
            manifest = json.loads(member.read())
        except (KeyError, AttributeError, ValueError, OSError, tarfile.TarError, EOFError):
            raise _corrupt() from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise _corrupt()
        if manifest.get("version") != VERSION:
            raise BackupError(_("This backup was made by another version of the program (format %(version)s); "
                                "nothing was restored.") % {"version": manifest.get("version")})
        files = manifest.get("files")
        if not isinstance(files, dict) or not isinstance(manifest.get("counts"), dict):
            raise _corrupt()
        # Only plain relative names: an archive must not write outside MEDIA_ROOT.
        for name in files:
            parts = Path(name).parts
            if not parts or Path(name).is_absolute() or ".." in parts or "\\" in name:
                raise _corrupt(name)
        expected = {"data.json": manifest.get("data_sha256")}
        expected.update({f"media/{name}": digest for name, digest in manifest.get("files", {}).items()})
        seen = set()
        try:
            for member in archive:
                if member.name == "manifest.json":
                    continue
                name = member.name
                if name not in expected or not member.isfile():
                    raise _corrupt(name)
                destination = Path(work) / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as handle, open(destination, "wb") as out:
                    shutil.copyfileobj(handle, out)
                if _sha256_file(destination) != expected[name]:
                    raise _corrupt(name)
                seen.add(name)
        except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
            raise _corrupt(str(error)) from None
        if seen != set(expected):
            raise _corrupt(", ".join(sorted(set(expected) - seen)))
    return manifest


def user_rows():
    """Rows a freshly migrated database does not have, by model."""
    return {label: count for label, count in row_counts().items() if count and label not in MADE_BY_MIGRATE}


def _empty_tables():
    models = [model for model in apps.get_models(include_auto_created=True) if _label(model) not in NOT_SAVED]
    tables = [model._meta.db_table for model in models if model._meta.managed and not model._meta.proxy]
    tables = [table for table in dict.fromkeys(tables) if table in connection.introspection.table_names()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred checks pending in this transaction: run them now,
            # then defer again for the load (rows may name rows that come later in the file).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore(source, *, force=False):
    """Load the archive at `source`: all of it in one transaction, or nothing. Returns the manifest."""
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        manifest = _read_archive(source, work)
        with transaction.atomic():
            present = user_rows()
            if present and not force:
                raise BackupError(_("The database already holds data (%(count)s rows, e.g. %(example)s); "
                                    "nothing was restored. Restore into an empty database, or add --force "
                                    "to replace everything in it.")
                                  % {"count": sum(present.values()), "example": next(iter(present))})
            if force:
                _empty_tables()
            call_command("loaddata", str(Path(work) / "data.json"), verbosity=0)
            counts = row_counts()
            wrong = {label: (counts.get(label), n) for label, n in manifest["counts"].items()
                     if counts.get(label) != n}
            if wrong:
                raise BackupError(_("After loading, the row counts differ from the backup's (%(tables)s); "
                                    "nothing was restored.") % {"tables": ", ".join(sorted(wrong))})
            # Files last, still inside the transaction: a failed copy rolls the rows back.
            for name in manifest["files"]:
                destination = root / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(work) / "media" / name, destination)
    return manifest
