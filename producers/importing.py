"""Importing the producer registry from a district office's workbook.

Two passes, as pretix imports do:
1. Read every row and clean it with the functions the registry forms use (cleaning.py),
   collecting every problem as "row N, column X: message". Rows with a problem are left out
   (producers/import_reading.py).
2. Compare the valid rows with the database (a few queries, then Python) and write the
   differences in one short transaction with bulk operations: a failure leaves the registry
   as it was, and re-importing the same file writes nothing (producers/import_writing.py).

    report = import_registry("registry.xlsx", province=province, dry_run=True)
    report.as_dict()  # {"header_row": 4, "producers": {...}, "products": {...}, "errors": [...]}

Unusable files raise WorkbookRefused (from workbooks.py) before anything is read.
"""

import contextlib
import gc
import pickle
from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .change_list import write_change_list
from .columns import COLUMNS
from .import_reading import Progress, RowError, RowReader
from .import_writing import Plan, registry_changed
from .models import Producer, Product
from .workbooks import ImportFailed, WorkbookRefused, open_sheet, write_bad_rows

__all__ = ["COLUMNS", "ImportFailed", "ImportReport", "ImportRun", "Progress", "RowError", "WorkbookRefused",
           "import_registry"]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    file_name: str = ""
    format: str = ""
    header_row: int | None = None
    rows: int = 0  # data rows read, blank rows not counted
    producers: Counts = field(default_factory=Counts)
    products: Counts = field(default_factory=Counts)
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    dry_run: bool = False
    # Producers whose personal data was erased on request (PDPA): the workbook's contact name,
    # phone and house number for them were not written. A note, not an error.
    anonymised_kept_empty: int = 0
    # The sheet's closing lines (a total, a signature and its name and position), skipped: the
    # first one's row and how many. A note, not an error.
    closing_first: int | None = None
    closing_count: int = 0
    # The first PREVIEW_LIMIT records of each kind created and updated (or that would be):
    # {"producers_created": [{"row", "code", "name"}, …], "producers_updated": [… "columns"],
    #  "products_created": [… "producer"], "products_updated": [… "producer", "columns"]}.
    planned: dict = field(default_factory=dict)

    @property
    def error_rows(self):
        return sorted({error.row for error in self.errors})

    @property
    def changes(self):
        return (self.producers.created + self.producers.updated + self.products.created + self.products.updated)

    def as_dict(self):
        summary = {
            "header_row": self.header_row,
            "producers": asdict(self.producers),
            "products": asdict(self.products),
            "errors": [asdict(error) for error in self.errors],
            "ignored_columns": list(self.ignored_columns),
            "rows": self.rows,
            "error_rows": len(self.error_rows),
            "file_name": self.file_name,
            "format": self.format,
            "dry_run": self.dry_run,
        }
        if self.anonymised_kept_empty:
            summary["anonymised_kept_empty"] = self.anonymised_kept_empty
        if self.closing_count:
            summary["closing_rows"] = {"first": self.closing_first, "count": self.closing_count}
        if self.planned:
            summary["planned"] = self.planned
        return summary


@dataclass
class ImportRun:
    """One run's options beyond its file and province, and what it tells its caller on the way.

    file_name: the workbook's name as its sender knew it, for the report and the history.
    by: the user the history rows name (default: the signed-in user of the request, or nobody).
    checked: a path beside the stored workbook. A dry run leaves its clean rows there; the
    import of the same workbook then takes them from there instead of reading and cleaning
    every row again (they are compared with the registry as it is now all the same).
    change_list: a path where the list of every record created and updated (or that would be)
    is written as an .xlsx, once compared and before anything is written (producers.change_list).

    A caller that follows the run overrides progress() and before_write()
    (import_batches.BatchRun keeps them on the import's batch).
    """

    file_name: str = ""
    by: object = None
    checked: Path | None = None
    change_list: Path | None = None

    def progress(self, progress):
        """Called with a Progress every PROGRESS_EVERY rows, after the last row, and before the
        writing starts."""

    def before_write(self, report):
        """Runs first in the transaction that writes the registry, when not a dry run (even
        with nothing to write); raising ImportFailed there writes nothing."""


def import_registry(source, *, province, dry_run=False, run=None):
    """Import a registry workbook into `province`; source is a path or a binary file object.

    Returns an ImportReport. With dry_run nothing is written. Otherwise the valid rows are
    written in one transaction. run: an ImportRun, for the file's name, the user, the files
    kept beside a stored upload, and the progress.

    The path of a row, top-down: workbooks.open_sheet checks the file and starts the reader
    process; import_reading.RowReader finds the header, maps the columns (columns.COLUMNS) and
    cleans each row with the columns' cleaners (cleaning.py), keeping one entry per producer and
    product; import_writing.Plan compares them with the registry and writes the differences
    (bulk_sql.py).

    Raises WorkbookRefused for an unusable file and ImportFailed when the registry changed
    under the import; in both cases nothing is written.
    """
    run = run or ImportRun()
    with young_collections_only():
        return _import(source, province, dry_run, run)


# Allocations between two young collections during an import (Python's default is 700).
YOUNG_THRESHOLD = 10_000


@contextlib.contextmanager
def young_collections_only():
    """Python's cycle collector, for the length of an import, looks at young objects only.

    An import keeps hundreds of thousands of rows alive (dicts, tuples, strings, none of them in
    a cycle) and every full collection walks all of them again: a fifth of a 300,000-row check's
    time (measured in bench/import_bench.py). Young objects are still collected, so short-lived
    cycles (a ValidationError refers to itself) go at once; the few that outlive a young
    collection are collected at the end."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG_THRESHOLD), 2**30, 2**30)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.collect(1)


def _import(source, province, dry_run, run):
    checked = run.checked
    rows = _load_checked(checked, province, run.file_name, dry_run) if checked and not dry_run else None
    if rows is None:
        sheet = open_sheet(source)
        report = ImportReport(file_name=run.file_name, format=sheet.format, dry_run=dry_run)
        reader = RowReader(sheet, province, report, run.progress)
        producers, products = reader.read()
        sheet.close()  # calamine's copy of the cells is not needed any more
        del sheet, reader.sheet
        if dry_run and checked:
            _save_checked(checked, reader, producers, products)
    else:
        reader, producers, products = rows
        report = reader.report
        run.progress(reader.progress)
    plan = Plan(reader)
    plan.compare(producers, products)
    if run.change_list:
        write_change_list(run.change_list, lambda: plan.listing(producers, products))
    del producers, products
    if not dry_run:
        reader.progress.writing = True
        run.progress(reader.progress)
        try:
            with transaction.atomic():
                run.before_write(report)
                plan.write(by=run.by)
        except IntegrityError:
            raise ImportFailed(registry_changed()) from None
        _refresh_statistics(report)
    return report


# An import that creates this many rows changes the tables' shape enough for the planner.
ANALYZE_AFTER_ROWS = 1000


def _refresh_statistics(report):
    """After a large import, give PostgreSQL's planner fresh statistics of the registry at once,
    instead of when autovacuum next comes by: with the statistics of an empty registry, the
    first searches after importing a province would pick slow plans (seen in `make bench`:
    a filtered search 160 ms instead of 25 ms)."""
    if connection.vendor != "postgresql":
        return
    if report.changes < ANALYZE_AFTER_ROWS:
        return
    tables = (Producer._meta.db_table, Product._meta.db_table, Product.standards.through._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


CHECKED_FORMAT = 2


def _save_checked(path, reader, producers, products):
    """The clean rows of a dry run, for the import that follows. Pickled: the file is the
    worker's own, written and read beside the stored upload, never anything a user sent."""
    report = reader.report
    data = {"version": CHECKED_FORMAT, "province": reader.province.pk, "format": report.format,
            "header_row": report.header_row, "rows": report.rows, "ignored_columns": report.ignored_columns,
            "closing": (report.closing_first, report.closing_count),
            "errors": [astuple(error) for error in report.errors], "headers": reader.headers,
            "progress": astuple(reader.progress), "producers": producers, "products": products}
    temporary = Path(f"{path}.part")
    with open(temporary, "wb") as out:
        pickle.dump(data, out, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


class _CheckedRows:
    """What a Plan needs of a reader, for rows loaded from a dry run's file."""

    def __init__(self, province, report, headers, progress):
        self.province, self.report, self.headers, self.progress = province, report, headers, progress
        self.index = dict.fromkeys(headers)


def _load_checked(path, province, file_name, dry_run):
    """(rows, producers, products) from a dry run's file, or None to read the workbook again."""
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    if not isinstance(data, dict) or data.get("version") != CHECKED_FORMAT or data.get("province") != province.pk:
        return None
    products = data["products"]
    # A product code taken by another province since the check: read again, to report it.
    foreign = Product.objects.exclude(producer__province=province).values_list("code", flat=True)
    if not set(foreign.iterator(chunk_size=10_000)).isdisjoint(products):
        return None
    report = ImportReport(file_name=file_name, format=data["format"], header_row=data["header_row"],
                          rows=data["rows"], errors=[RowError(*error) for error in data["errors"]],
                          ignored_columns=data["ignored_columns"], dry_run=dry_run)
    report.closing_first, report.closing_count = data["closing"]
    rows = _CheckedRows(province, report, data["headers"], Progress(*data["progress"]))
    return rows, data["producers"], products


def closing_note(closing):
    """The one note on the sheet's closing lines, from a report's "closing_rows"; the import
    preview's template says the same (templates/producers/_import_changes.html)."""
    return ngettext(
        "%(counter)s closing row (a total or a signature) was skipped: row %(first)s.",
        "%(counter)s closing rows (totals, signatures and the lines that go with them) were skipped, from row "
        "%(first)s.", closing["count"]) % {"counter": closing["count"], "first": closing["first"]}


# --- The bad rows ---------------------------------------------------------------------------

def bad_rows_workbook(source, errors, *, header_row):
    """The rows of the original file that had errors, with an added error column (.xlsx bytes).

    errors: RowError objects or their dicts, as kept in an import batch's summary.
    """
    messages = {}
    for error in errors:
        error = error if isinstance(error, dict) else asdict(error)
        text = f"{error['column']}: {error['message']}"
        messages[error["row"]] = f"{messages[error['row']]}; {text}" if error["row"] in messages else text
    messages = {row: _("Row %(row)d: %(errors)s") % {"row": row, "errors": text} for row, text in messages.items()}
    return write_bad_rows(open_sheet(source), header_row, messages, error_header=_("Errors (this column is ignored "
                                                                                    "when imported)"))
