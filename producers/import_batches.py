"""The web import's workflow steps: receive an upload, confirm it, or discard it.

An uploaded workbook is stored outside the web root under a random name and checked at once
(a dry run); the admin reads the preview, then confirms, which imports the stored file for
real. Each step is one function taking the batch and `by=user`; each raises ImportFailed
with a message the admin can act on.
"""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .importing import bad_rows_workbook, import_registry
from .models import ImportBatch, ImportStatus
from .workbooks import ImportFailed, WorkbookRefused

IMPORT_DIR = "imports"


def stored_file(batch):
    """Where the batch's workbook lies: stored_path is relative to MEDIA_ROOT (an absolute path,
    as tests store, is taken as it is)."""
    if not batch.stored_path:
        return None
    return Path(settings.MEDIA_ROOT) / batch.stored_path


def _store(upload):
    """Write the upload under MEDIA_ROOT/imports with a random name; returns (relative path, sha256, size)."""
    folder = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{IMPORT_DIR}/{secrets.token_hex(16)}.upload"
    digest, size = hashlib.sha256(), 0
    with open(Path(settings.MEDIA_ROOT) / relative, "xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return relative, digest.hexdigest(), size


def _file_name(upload):
    # The name as the admin's computer knew it, without any folder part, for people to read.
    return Path(str(upload.name).replace("\\", "/")).name[:255] or "workbook"


def receive_workbook(upload, *, by, province):
    """Store an uploaded workbook and check it without writing the registry (the preview).

    Side effects: writes the file under MEDIA_ROOT/imports; creates an ImportBatch, previewed
    with the dry run's report. A refused file is deleted, its batch kept as refused with the
    reason (the history shows who tried what), and WorkbookRefused is raised.
    """
    limit = settings.KBO_IMPORT_MAX_BYTES
    batch = ImportBatch(uploaded_by=by, province=province, file_name=_file_name(upload), size=upload.size)
    if upload.size > limit:
        # Refused before a byte is stored.
        error = WorkbookRefused(_("The file is %(size)s MB, over the limit of %(limit)s MB: split the registry "
                                  "into smaller workbooks.") % {"size": f"{upload.size / 2**20:,.0f}",
                                                                "limit": f"{limit / 2**20:,.0f}"})
        _refuse(batch, error)
    batch.stored_path, batch.sha256, batch.size = _store(upload)
    try:
        report = import_registry(stored_file(batch), province=province, dry_run=True, file_name=batch.file_name)
    except ImportFailed as error:
        stored_file(batch).unlink(missing_ok=True)
        batch.stored_path = ""
        _refuse(batch, error)
    _record_report(batch, report)
    batch.status = ImportStatus.PREVIEWED
    batch.save()
    return batch


def _record_report(batch, report):
    summary = report.as_dict()
    batch.errors = summary.pop("errors")
    batch.summary = summary
    batch.header_row = report.header_row
    batch.error_count = len(batch.errors)


def _refuse(batch, error):
    batch.status = ImportStatus.REFUSED
    batch.message = error.message
    batch.save()
    raise error


def confirm_import(batch, *, by):
    """Import a previewed batch for real, from its stored file.

    Side effects: writes the registry's changes in one transaction and, in the same
    transaction, marks the batch imported with the final counts, by and at. Confirming twice
    (a double click, two admins) imports once: the second finds the batch already imported.
    """
    _check_previewed(batch)
    path = stored_file(batch)
    if path is None or not path.is_file():
        raise ImportFailed(_("The uploaded file is no longer kept: upload the workbook again."))

    def mark_imported(report):
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _check_previewed(locked)
        locked.status = ImportStatus.IMPORTED
        _record_report(locked, report)
        locked.confirmed_by = by
        locked.confirmed_at = timezone.now()
        locked.save()

    return import_registry(path, province=batch.province, file_name=batch.file_name, before_write=mark_imported)


def discard_import(batch, *, by):
    """Drop a previewed batch without importing it.

    Side effects: marks the batch discarded, by and at; deletes its stored file once committed.
    """
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _check_previewed(locked)
        path = stored_file(locked)
        locked.status = ImportStatus.DISCARDED
        locked.discarded_by = by
        locked.discarded_at = timezone.now()
        locked.stored_path = ""
        locked.save()
        if path is not None:
            transaction.on_commit(lambda: path.unlink(missing_ok=True))


def _check_previewed(batch):
    if batch.status == ImportStatus.IMPORTED:
        raise ImportFailed(_("This workbook has already been imported; nothing was imported a second time."))
    if batch.status == ImportStatus.DISCARDED:
        raise ImportFailed(_("This upload was discarded: upload the workbook again to import it."))
    if batch.status != ImportStatus.PREVIEWED:
        raise ImportFailed(_("This file was refused and cannot be imported: upload a corrected workbook."))


def bad_rows(batch):
    """The batch's rows with errors as an .xlsx (bytes), from its stored file."""
    path = stored_file(batch)
    if path is None or not path.is_file():
        raise ImportFailed(_("The uploaded file is no longer kept: upload the workbook again."))
    return bad_rows_workbook(path, batch.errors, header_row=batch.header_row)

