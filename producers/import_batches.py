"""The web import's workflow steps: receive an upload, confirm it, or discard it, and the two
background steps (producers/tasks.py) that do the work.

An uploaded workbook is stored outside the web root under a random name and checked in the
background (a dry run, check_batch); the admin reads the preview, then confirms, which
imports the stored file for real, in the background too (import_batch). The batch carries
the task's progress for the page to show. One import at a time per province: the background
steps take the province's lock (province_lock). Each step the admin takes is one function
taking the batch and `by=user`; each raises ImportFailed with a message the admin can act on.

A task bounds its own memory (task_memory_bound) and the workbook is read in a process of its
own (producers/workbooks.py): a hostile or oversized file fails its batch, not the worker. A
step whose worker died anyway (killed, out of memory) is given up after MAX_ATTEMPTS starts.
"""

import fcntl
import hashlib
import logging
import os
import secrets
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .change_list import digest_path
from .importing import ImportRun, bad_rows_workbook, import_registry
from .models import IMPORT_RUNNING_STATES, ImportBatch, ImportStatus
from .task_memory import task_memory_bound
from .workbooks import ImportFailed, WorkbookRefused, WorkbookUnreadable, check_upload

logger = logging.getLogger(__name__)

IMPORT_DIR = "imports"
# The first key of the province import locks (pg_advisory_lock(space, province)): "KBOI".
IMPORT_LOCK_SPACE = 0x4B424F49
# A check or an import started this many times without finishing is given up.
MAX_ATTEMPTS = 3
# The preview lists at most this many errors of each column (the batch keeps them, with each
# column's count); the rows to fix, every one, are in the workbook the check writes.
ERRORS_KEPT_PER_COLUMN = 100
# ...and of each, this much of the cell's value (the page shows 60 characters).
ERROR_VALUE_KEPT = 200


def stored_file(batch):
    """Where the batch's workbook lies: stored_path is relative to MEDIA_ROOT (an absolute path,
    as tests store, is taken as it is)."""
    if not batch.stored_path:
        return None
    return Path(settings.MEDIA_ROOT) / batch.stored_path


def checked_file(batch):
    """Where the check leaves the workbook's clean rows for the import (beside the workbook)."""
    path = stored_file(batch)
    return None if path is None else path.with_name(path.name + ".checked")


def change_list_file(batch):
    """Where the check (and then the import) leaves the list of records created and updated."""
    path = stored_file(batch)
    return None if path is None else path.with_name(path.name + ".changes.xlsx")


def rows_to_fix_file(batch):
    """Where the check leaves the workbook of the rows with errors, for download (beside the workbook)."""
    path = stored_file(batch)
    return None if path is None else path.with_name(path.name + ".rows-to-fix.xlsx")


def _files(batch):
    changes = change_list_file(batch)
    paths = (stored_file(batch), checked_file(batch), changes, changes and digest_path(changes), rows_to_fix_file(batch))
    return [path for path in paths if path is not None]


def forget_files(batch):
    """Remove the batch's files: the stored workbook and what the check and the import left beside it."""
    for path in _files(batch):
        path.unlink(missing_ok=True)


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


def receive_workbook(upload, *, by, province, check=None):
    """Store an uploaded workbook and have it checked in the background (the preview).

    Side effects: writes the file under MEDIA_ROOT/imports; creates an ImportBatch being
    checked and enqueues `check` (producers.tasks.check_workbook), which reads every row without
    writing the registry; without it the batch waits for a test to check it. A file refused at
    once (too large, not a workbook, protected) is not kept, its batch kept as refused with the
    reason (the history shows who tried what), and WorkbookRefused is raised.
    """
    limit = settings.KBO_IMPORT_MAX_BYTES
    batch = ImportBatch(uploaded_by=by, province=province, file_name=_file_name(upload), size=upload.size,
                        status=ImportStatus.CHECKING)
    if upload.size > limit:
        # Refused before a byte is stored.
        error = WorkbookRefused(_("The file is %(size)s MB, over the limit of %(limit)s MB: split the registry "
                                  "into smaller workbooks.") % {"size": f"{upload.size / 2**20:,.0f}",
                                                                "limit": f"{limit / 2**20:,.0f}"})
        _refuse(batch, error)
    batch.stored_path, batch.sha256, batch.size = _store(upload)
    try:
        check_upload(stored_file(batch))
    except ImportFailed as error:
        stored_file(batch).unlink(missing_ok=True)
        batch.stored_path = ""
        _refuse(batch, error)
    batch.save()
    if check is not None:
        _enqueue(batch, check)
    return batch


def _enqueue(batch, task):
    result = task.enqueue(batch.pk)
    # An immediate backend (the tests) has run the task already and changed the batch.
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    batch.refresh_from_db()


def check_batch(batch):
    """The background check of an uploaded workbook: read and clean every row, write nothing.

    Side effects: waits for an earlier import of the same province (the batch shows it), counts
    the attempt (a batch started MAX_ATTEMPTS times is failed instead), then records the rows'
    progress on the batch as it reads, writes the workbook of the rows to fix beside the upload,
    and leaves the batch previewed with the report, or refused with the reason (its files
    deleted). A workbook that cannot be read within the memory bound fails the batch, its files
    deleted. Any other failure marks the batch failed with a Thai message and is raised again,
    for the worker's log.
    """
    if batch.status != ImportStatus.CHECKING:
        return
    with _batch_lock(batch):
        if not ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.CHECKING).exists():
            return  # a resumed copy of the task: the first one finished while this one waited
        if not _start_attempt(batch):
            return
        try:
            with task_memory_bound():
                report = import_registry(stored_file(batch), province=batch.province, dry_run=True,
                                         run=BatchRun(batch))
                _write_rows_to_fix(batch, report)
        except (WorkbookUnreadable, MemoryError) as error:
            forget_files(batch)
            _fail(batch, error.message if isinstance(error, ImportFailed) else _out_of_memory(), stored_path="")
            return
        except ImportFailed as error:
            forget_files(batch)
            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.REFUSED, message=error.message,
                                                           stored_path="", writing=False)
            return
        except Exception:
            _fail(batch, _("The workbook could not be checked because of an unexpected error; nothing was "
                           "written. Try again; if it happens again, tell the system administrator."))
            raise
    _record_report(batch, report)
    batch.status = ImportStatus.PREVIEWED
    batch.message = ""
    batch.save(update_fields=["errors", "summary", "header_row", "error_count", "status", "message"])


def _record_report(batch, report):
    """The report on the batch: its counts, each column's count of errors, and the first
    ERRORS_KEPT_PER_COLUMN errors of each column (a file of bad rows can hold hundreds of
    thousands: the preview need not load them all, the rows to fix hold every one)."""
    summary = report.as_dict()
    errors = summary.pop("errors")
    per_column = Counter(error["column"] for error in errors)
    summary["errors_by_column"] = sorted(per_column.items(), key=lambda item: (-item[1], item[0]))
    summary["errors_digest"] = _errors_digest(errors)
    kept = Counter()
    batch.errors = []
    for error in errors:
        kept[error["column"]] += 1
        if kept[error["column"]] <= ERRORS_KEPT_PER_COLUMN:
            batch.errors.append({**error, "value": error["value"][:ERROR_VALUE_KEPT]})
    batch.summary = summary
    batch.header_row = report.header_row
    batch.error_count = len(errors)


def _errors_digest(errors):
    """A fingerprint of a report's errors: the import writes the rows to fix again only when it
    found other errors than the check."""
    digest = hashlib.sha256()
    for error in errors:
        digest.update(repr((error["row"], error["column"], error["value"], error["message"])).encode())
    return digest.hexdigest()


def _write_rows_to_fix(batch, report):
    """The rows with errors as an .xlsx beside the upload, whole before it can be seen; none when
    every row is good."""
    path = rows_to_fix_file(batch)
    if not report.errors:
        path.unlink(missing_ok=True)
        return
    content = bad_rows_workbook(stored_file(batch), report.errors, header_row=report.header_row)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.part")
    temporary.write_bytes(content)
    temporary.replace(path)


def _start_attempt(batch):
    """Count a start of the batch's task, committed at once; fail the batch instead when it has
    been started MAX_ATTEMPTS times already (each time its worker died before the end)."""
    rows = ImportBatch.objects.filter(pk=batch.pk)
    rows.update(attempts=F("attempts") + 1)
    attempts = rows.values_list("attempts", flat=True).get()
    if attempts > MAX_ATTEMPTS:
        _fail(batch, _given_up(attempts - 1))
        return False
    return True


def _given_up(attempts):
    return _("The work on this workbook stopped %(count)d times before it could finish (the background worker "
             "stopped while on it), so it was given up; nothing was written to the registry. Save the workbook "
             "again, or split it into smaller workbooks, and upload it again; if it happens again, tell the "
             "system administrator.") % {"count": attempts}


def _out_of_memory():
    return _("The workbook needs more memory than an import may use (%(limit)s MB), so the work was stopped and "
             "nothing was written to the registry. Split the registry into smaller workbooks and upload them one "
             "by one.") % {"limit": f"{settings.KBO_IMPORT_TASK_MEMORY_MB:,}"}


def _refuse(batch, error):
    batch.status = ImportStatus.REFUSED
    batch.message = error.message
    batch.save()
    raise error


def _fail(batch, message, **fields):
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, message=message, waiting=False,
                                                   writing=False, **fields)


class BatchRun(ImportRun):
    """An import run of a batch's stored workbook: its progress is stored on the batch as the
    rows are read (one UPDATE, committed at once, so that the page polling it sees the numbers
    while the task runs), and the import marks the batch imported in its own transaction."""

    def __init__(self, batch, *, by=None):
        super().__init__(file_name=batch.file_name, by=by, checked=checked_file(batch),
                         change_list=change_list_file(batch))
        self.batch = batch

    def progress(self, progress):
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            rows_total=progress.rows_total, rows_read=progress.rows_read, rows_valid=progress.rows_valid,
            rows_with_errors=progress.rows_with_errors, writing=progress.writing, progress_at=timezone.now())

    def before_write(self, report):
        locked = ImportBatch.objects.select_for_update().get(pk=self.batch.pk)
        if locked.status != ImportStatus.IMPORTING:
            raise ImportFailed(_("This workbook has already been imported; nothing was imported a second time."))
        locked.status = ImportStatus.IMPORTED
        _record_report(locked, report)
        locked.writing = False
        locked.save()


def province_busy(code):
    """Whether an import of province `code` holds its lock now (a live worker is on it)."""
    try:
        with province_lock(code, on_wait=_raise_busy):
            return False
    except _Busy:
        return True


class _Busy(Exception):
    pass


def _raise_busy():
    raise _Busy


def resume_abandoned(tasks, *, given_up=None):
    """Enqueue again the task of every batch left checking or importing by a worker that
    stopped (a restart, a crash, a killed process): its task is not waiting to run and no worker
    holds its province's lock. The tasks check the batch's state under the lock, so a batch
    resumed twice is still imported once. A batch already started MAX_ATTEMPTS times is failed
    with a Thai message instead (appended to given_up, when a list is given): its workbook
    would bring the worker down again. Returns the batches resumed. tasks: the task that works
    on a batch in each running state (producers.tasks.BY_STATE).

    Run before the worker starts (deploy/kbo-worker.service) and at any time with
    `manage.py resume_imports`."""
    from django_tasks import TaskResultStatus

    resumed = []
    for batch in ImportBatch.objects.filter(status__in=IMPORT_RUNNING_STATES).order_by("pk"):
        task = tasks[batch.status]
        if batch.attempts >= MAX_ATTEMPTS and not province_busy(batch.province_id):
            # Every start ended with its worker; one more would too.
            _fail(batch, _given_up(batch.attempts))
            if given_up is not None:
                given_up.append(batch)
            continue
        try:
            status = task.get_result(batch.task_id).status if batch.task_id else None
        except Exception:  # no such result (pruned), a backend that keeps none: judge by the lock
            status = None
        if status == TaskResultStatus.READY:
            continue  # queued: a worker will take it
        if province_busy(batch.province_id):
            continue  # a live worker is importing this province (maybe this very batch)
        ImportBatch.objects.filter(pk=batch.pk).update(waiting=False)
        _enqueue(batch, task)
        resumed.append(batch)
    return resumed


@contextmanager
def province_lock(code, *, on_wait=None):
    """Hold the import lock of province `code`: a second import of the same province waits here
    (on_wait() is called first, to say so) until the first has finished.

    PostgreSQL: a session-level advisory lock, not a transaction's: the task commits its
    progress as it goes, and a worker that dies lets go of the lock with its connection.
    SQLite (one machine, one file): an exclusive flock on a file per province beside the
    uploads, let go by the kernel when the process ends.
    """
    code = str(code)
    if connection.vendor == "postgresql":
        key = (IMPORT_LOCK_SPACE, int(code) if code.isdigit() else zlib.crc32(code.encode()) & 0x7FFFFFFF)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            if not cursor.fetchone()[0]:
                if on_wait:
                    on_wait()
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        return
    folder = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".province-{code}.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _batch_lock(batch):
    """The province lock for a batch's task; the batch shows whether it is waiting for it."""
    rows = ImportBatch.objects.filter(pk=batch.pk)
    with province_lock(batch.province_id, on_wait=lambda: rows.update(waiting=True)):
        rows.update(waiting=False)
        yield


def confirm_import(batch, *, by, task=None):
    """Have a previewed batch imported for real, in the background, from its stored file.

    Side effects: marks the batch being imported, confirmed by and at, and enqueues `task`
    (producers.tasks.import_workbook; without it the batch waits for a test to import it).
    Confirming twice (a double click, two admins) imports
    once: the second finds the batch no longer previewed.
    """
    path = stored_file(batch)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _check_previewed(locked)
        if path is None or not path.is_file():
            raise ImportFailed(_("The uploaded file is no longer kept: upload the workbook again."))
        locked.status = ImportStatus.IMPORTING
        locked.confirmed_by = by
        locked.confirmed_at = timezone.now()
        locked.message = ""
        locked.rows_read = locked.rows_valid = locked.rows_with_errors = 0
        locked.writing = False
        locked.attempts = 0  # the import's own starts
        locked.save()
    if task is not None:
        _enqueue(locked, task)
    batch.refresh_from_db()
    return batch



def import_batch(batch):
    """The background import of a confirmed batch.

    Side effects: waits for an earlier import of the same province; counts the attempt (a batch
    started MAX_ATTEMPTS times is failed instead); writes the registry's changes in one
    transaction and, in the same transaction, marks the batch imported with the final counts;
    then writes the rows to fix again if the import found other errors than the check. When the
    registry changed under it (ImportFailed), nothing is written and the batch is previewed
    again with the reason, to be confirmed again; a workbook that needs more memory than allowed
    fails the batch, writing nothing; any other failure marks it failed, writes nothing, and is
    raised again for the worker's log.
    """
    if batch.status != ImportStatus.IMPORTING:
        return
    checked_digest = (batch.summary or {}).get("errors_digest")

    with _batch_lock(batch):
        if not ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTING).exists():
            return  # a resumed copy of the task: the first one finished while this one waited
        if not _start_attempt(batch):
            return
        try:
            with task_memory_bound():
                report = import_registry(stored_file(batch), province=batch.province,
                                         run=BatchRun(batch, by=batch.confirmed_by))
        except (WorkbookUnreadable, MemoryError) as error:
            _fail(batch, error.message if isinstance(error, ImportFailed) else _out_of_memory())
            return
        except ImportFailed as error:
            ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.IMPORTING).update(
                status=ImportStatus.PREVIEWED, message=error.message, confirmed_by=None, confirmed_at=None,
                writing=False)
            return
        except Exception:
            _fail(batch, _("The import stopped because of an unexpected error, and nothing was written: the "
                           "registry is as it was. Try again; if it happens again, tell the system administrator."))
            raise
    # The clean rows served their purpose; the workbook stays for the rows to fix.
    checked_file(batch).unlink(missing_ok=True)
    if _errors_digest([asdict(error) for error in report.errors]) != checked_digest:
        try:
            with task_memory_bound():
                _write_rows_to_fix(batch, report)
        except (ImportFailed, MemoryError):
            # The registry is written; only the download is missing, and the page says so.
            rows_to_fix_file(batch).unlink(missing_ok=True)
            logger.warning("The rows to fix of import batch %s could not be written again", batch.pk)


def discard_import(batch, *, by):
    """Drop a previewed batch without importing it.

    Side effects: marks the batch discarded, by and at; deletes its stored file once committed.
    """
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _check_previewed(locked)
        paths = _files(locked)
        locked.status = ImportStatus.DISCARDED
        locked.discarded_by = by
        locked.discarded_at = timezone.now()
        locked.stored_path = ""
        locked.save()
        transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in paths])


def _check_previewed(batch):
    if batch.status == ImportStatus.IMPORTED:
        raise ImportFailed(_("This workbook has already been imported; nothing was imported a second time."))
    if batch.status == ImportStatus.DISCARDED:
        raise ImportFailed(_("This upload was discarded: upload the workbook again to import it."))
    if batch.status != ImportStatus.PREVIEWED:
        raise ImportFailed(_("This file was refused and cannot be imported: upload a corrected workbook."))


def bad_rows(batch):
    """The path of the batch's rows with errors as an .xlsx, written by its check (or import)."""
    path = rows_to_fix_file(batch)
    if path is None or not path.is_file():
        raise ImportFailed(_("The uploaded file is no longer kept: upload the workbook again."))
    return path

