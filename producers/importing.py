"""Importing the producer registry from a district office's workbook.

Two passes, as pretix imports do:
1. Read every row and clean it with the functions the registry forms use (cleaning.py),
   collecting every problem as "row N, column X: message". Rows with a problem are left out.
2. Compare the valid rows with the database (a few queries, then Python) and write the
   differences in one short transaction with bulk operations: a failure leaves the registry
   as it was, and re-importing the same file writes nothing.

    report = import_registry("registry.xlsx", province=province, dry_run=True)
    report.as_dict()  # {"header_row": 4, "producers": {...}, "products": {...}, "errors": [...]}

Unusable files raise WorkbookRefused (from workbooks.py) before anything is read.
"""

import functools
import itertools
import pickle
import re
from dataclasses import asdict, astuple, dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import cleaning
from kbo_site.thaidates import arabic_digits

from .cleaning import clean_text, is_blank, key
from .bulk_sql import BATCH_SIZE, insert_history, insert_new, insert_values, update_rows
from .change_list import CREATED, UPDATED, write_change_list
from .columns import COLUMNS, COLUMNS_BY_KEY, ERASED_FIELDS, PRODUCER, PRODUCT, columns_of, values_of
from .import_format import KEY_BY_HEADER, HEADER_SEARCH_ROWS, MIN_HEADER_MATCHES, header_key, template_workbook
from .models import District, Producer, Product, Standard, Subdistrict
from .workbooks import ImportFailed, WorkbookRefused, open_sheet, write_bad_rows

__all__ = ["COLUMNS", "ImportFailed", "ImportReport", "ImportRun", "WorkbookRefused", "import_registry",
           "template_workbook"]


# The model fields (as values() names them) that each side's columns fill, and the column each
# comes from; the codes are the records' keys, apart.
PRODUCER_FIELDS = {column.attname: column.key for column in values_of(PRODUCER)}
PRODUCT_FIELDS = {column.attname: column.key for column in values_of(PRODUCT)}
# A later row of the same producer may leave an optional column blank without contradicting an
# earlier row: district offices often fill the contact details on the producer's first row only.
FILL_IN_FIELDS = {column.attname for column in values_of(PRODUCER) if not column.required}
# A product's changes as the columns they come from (moving to another producer included).
PRODUCT_COLUMNS = {**PRODUCT_FIELDS, "producer_code": "producer_code"}
COLUMN_ORDER = {column.key: position for position, column in enumerate(COLUMNS)}
_PRODUCER_MODEL_FIELDS = {column.attname: column.model_field for column in columns_of(PRODUCER)}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


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
class Progress:
    """How far the reading has got, for a progress bar: passed to import_registry's progress."""

    rows_total: int = 0  # the sheet's height, header and title rows included: an upper bound
    rows_read: int = 0
    rows_valid: int = 0
    rows_with_errors: int = 0
    writing: bool = False  # every row read; the registry is being written


# The preview shows this many records of each kind created and updated; the rest are in the
# change list's download.
PREVIEW_LIMIT = 50

# Report progress every this many rows: often enough for a bar that moves every second, rarely
# enough (one small UPDATE) to cost nothing next to the rows.
PROGRESS_EVERY = 5000


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
    process; _RowReader finds the header, maps the columns (columns.COLUMNS) and cleans each
    row with the columns' cleaners (cleaning.py), keeping one entry per producer and product;
    _Plan compares them with the registry and writes the differences (bulk_sql.py).

    Raises WorkbookRefused for an unusable file and ImportFailed when the registry changed
    under the import; in both cases nothing is written.
    """
    run = run or ImportRun()
    checked = run.checked
    rows = _load_checked(checked, province, run.file_name, dry_run) if checked and not dry_run else None
    if rows is None:
        sheet = open_sheet(source)
        report = ImportReport(file_name=run.file_name, format=sheet.format, dry_run=dry_run)
        reader = _RowReader(sheet, province, report, run.progress)
        producers, products = reader.read()
        sheet.close()  # calamine's copy of the cells is not needed any more
        del sheet, reader.sheet
        if dry_run and checked:
            _save_checked(checked, reader, producers, products)
    else:
        reader, producers, products = rows
        report = reader.report
        run.progress(reader.progress)
    plan = _Plan(reader)
    plan.compare(producers, products)
    if run.change_list:
        write_change_list(run.change_list, plan.listing(producers, products))
    del producers, products
    if not dry_run:
        reader.progress.writing = True
        run.progress(reader.progress)
        try:
            with transaction.atomic():
                run.before_write(report)
                plan.write(by=run.by)
        except IntegrityError:
            raise ImportFailed(_registry_changed()) from None
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
    """What _Plan needs of a reader, for rows loaded from a dry run's file."""

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


def _registry_changed():
    return _("Someone changed the registry while the workbook was being checked, so nothing was imported. "
             "Import the workbook again.")


# --- Pass 1: reading and cleaning -----------------------------------------------------------

# The closing lines of a district office's sheet: a total ("รวม 9 รายการ", "รวมทั้งสิ้น", with
# counts in other cells) or a signature ("ลงชื่อ ....... ผู้รายงาน"), and below them the short
# lines of the signer's name, position and date. Skipped with one note, not read as data.
_COUNTS = r"[\d\s,.:=\-–()]*"
_UNITS = r"(?:รายการ|ราย|กลุ่ม|ผลิตภัณฑ์|ผู้ผลิต|ผู้ประกอบการ|แห่ง|คน|ชิ้น|items?|products?|producers?)"
_TOTAL_ROW = re.compile(rf"(?:ยอด)?(?:รวม(?:ทั้งสิ้น|ทั้งหมด)?|(?:grand\s+)?total)(?:{_COUNTS}{_UNITS})*{_COUNTS}$",
                        re.IGNORECASE)
_SIGNATURE_ROW = re.compile(r"(?:ลงชื่อ|ลงนาม|signed\b|signature\b)", re.IGNORECASE)
_CLOSING_LEAD = " (.…_"
# How a closing line's first cell starts (checked first: cheap for the data rows).
_CLOSING_STARTS = {"รว", "ยอ", "ลง", "to", "gr", "si"}
# A closing block's later lines fill fewer cells than this; a data row fills far more.
CLOSING_LINE_CELLS = 3

class _RowReader:
    """Reads the sheet row by row, cleans each row, and keeps one entry per producer and per
    product: a row either joins them or becomes errors. Rows are not kept."""

    def __init__(self, sheet, province, report, on_progress):
        self.sheet = sheet
        self.province = province
        self.report = report
        self.progress = Progress(rows_total=sheet.height)
        self.on_progress = on_progress
        self.gazetteer = cleaning.Gazetteer.for_province(province)
        self.districts = {d.code: d for d in self.gazetteer.districts_by_key.values()}
        self.subdistricts = {s.code: s for s in self.gazetteer.subdistricts_by_key.values()}
        self.related = {District: self.districts, Subdistrict: self.subdistricts}
        # Values repeat (types, districts, years, star levels): each distinct one is cleaned once.
        self.cache = {column.key: {} for column in COLUMNS}
        # A product code held by a producer of another province cannot move here.
        self.foreign_products = dict(Product.objects.exclude(producer__province=province).values_list(
            "code", "producer__province__name_th"))
        # producer code -> (first row, producer values); product code -> (row, producer code, values)
        self.producers, self.products = {}, {}
        # producer code -> {field: the row that filled it in, when not the first row}
        self.filled_in = {}

    def read(self):
        rows = self.sheet.rows()
        header_row, header_values, buffered = self._find_header(rows)
        self.report.header_row = header_row
        self.index, self.headers = self._map_columns(header_values)
        self.producer_plan, self.producer_fields = self._cleaning_plan(PRODUCER)
        self.product_plan, self.product_fields = self._cleaning_plan(PRODUCT)
        self.producer_positions = [position for _name, position, *_rest in self.producer_plan]
        self.last_raw_producer, self.last_producer = None, None
        self.in_closing = False
        progress, report = self.progress, self.report
        for number, values in itertools.chain(buffered, rows):
            record = self._read_row(number, values)
            if record is not None and self._accept(*record):
                progress.rows_valid += 1
            if report.rows - progress.rows_read >= PROGRESS_EVERY:
                self._report_progress()
        self._report_progress()
        if not self.report.rows:
            raise WorkbookRefused(_("The workbook has a header row (row %(row)d) but no data rows below it.")
                                  % {"row": header_row})
        self._fill_postcodes()
        return self.producers, self.products

    def _fill_postcodes(self):
        """A producer's postcode left blank on every row is its subdistrict's, as the form fills it.
        Done once all rows are read: a later row of the producer may have given it. With no
        postcode column, every producer gets it; only new ones take it (_Plan.compare)."""
        subdistricts = self.subdistricts
        for _row, producer in self.producers.values():
            if not producer.get("postcode") and producer.get("subdistrict_id"):
                postcodes = subdistricts[producer["subdistrict_id"]].postcode_list
                if postcodes:
                    producer["postcode"] = postcodes[0]

    def _report_progress(self):
        progress = self.progress
        progress.rows_read = self.report.rows
        progress.rows_with_errors = progress.rows_read - progress.rows_valid
        self.on_progress(progress)

    def _find_header(self, rows):
        buffered, best = [], (0, None, None)
        for number, values in rows:
            buffered.append((number, values))
            matches = len({KEY_BY_HEADER.get(header_key(v)) for v in values} - {None})
            if matches > best[0]:
                best = (matches, number, values)
            if len(buffered) >= HEADER_SEARCH_ROWS:
                break
        if not buffered:
            raise WorkbookRefused(_("The workbook is empty."))
        matches, header_row, header_values = best
        if matches < MIN_HEADER_MATCHES:
            raise WorkbookRefused(_(
                "No header row found in the first %(rows)d rows: the columns must be named, e.g. "
                "รหัสผู้ผลิต, ชื่อผู้ผลิต, ประเภทผู้ผลิต, … (download the template to see them all)."
            ) % {"rows": HEADER_SEARCH_ROWS})
        return header_row, header_values, [(n, v) for n, v in buffered if n > header_row]

    def _map_columns(self, header_values):
        index, headers, seen = {}, {}, {}
        for position, value in enumerate(header_values):
            text = clean_text(value)
            if not text:
                continue
            name = KEY_BY_HEADER.get(header_key(text))
            letter = self.sheet.column_letter(position)
            if name is None:
                self.report.ignored_columns.append(f"{text} ({letter})")
            elif name in index:
                raise WorkbookRefused(_("The column \"%(column)s\" appears twice (columns %(first)s and %(second)s): "
                                        "keep one and upload the workbook again.")
                                      % {"column": text, "first": seen[name], "second": letter})
            else:
                index[name], headers[name], seen[name] = position, text, letter
        missing = [column for column in COLUMNS if column.required and column.key not in index]
        if missing:
            raise WorkbookRefused(_("Required columns are missing: %(columns)s. Add them to the header row "
                                    "(row %(row)d) and upload the workbook again.") % {
                "columns": ", ".join(f"{c.header} ({c.key})" for c in missing),
                "row": self.report.header_row})
        return index, headers

    def _cleaning_plan(self, side):
        """How to clean the side's columns the sheet has: (key, position, cleaner, needs, repeats)
        in an order where a column comes after the columns it uses; and the (key, attname) of
        each field they fill but the code, in the table's order (a conflict between two rows of a
        producer names the leftmost column that differs)."""
        present = [column for column in columns_of(side) if column.key in self.index]
        plan = []
        for column in sorted(present, key=_depth):
            cleaner = column.clean
            if "gazetteer" in column.uses:
                cleaner = functools.partial(cleaner, gazetteer=self.gazetteer)
            needs = tuple(name for name in column.uses if name != "gazetteer")
            plan.append((column.key, self.index[column.key], cleaner, needs, column.repeats))
        fields = [(column.key, column.attname) for column in values_of(side) if column.key in self.index]
        return plan, fields

    def _clean(self, plan, values, errors, number):
        """The clean value of each of a side's cells, by column key; a cell with a problem is
        None and its error noted.

        Each distinct raw value (with the values it uses) is cleaned once in the file; a column
        whose values do not repeat (names, codes, phones) remembers only its last value, which
        spares the cleaning of a producer's columns on its second and later rows.
        """
        clean, caches, width = {}, self.cache, len(values)
        for name, position, cleaner, needs, repeats in plan:
            raw = values[position] if position < width else ""
            if needs:
                given = {need: clean.get(need) for need in needs}
                cache_key = (tuple(getattr(value, "pk", None) for value in given.values()), raw)
            else:
                given, cache_key = None, raw
            cache = caches[name]
            hit = cache.get(cache_key)
            if hit is None:
                try:
                    hit = (True, cleaner(raw, **given) if given else cleaner(raw))
                except ValidationError as error:
                    hit = (False, error.messages[0])
                if not repeats:
                    cache.clear()
                cache[cache_key] = hit
            ok, result = hit
            if ok:
                clean[name] = result
            else:
                clean[name] = None
                errors.append(RowError(number, self.headers[name], clean_text(raw), result))
        return clean

    def _is_closing(self, number, values):
        """Whether the row is one of the sheet's closing lines (see _TOTAL_ROW); notes it if so."""
        first = values[0] if values and values[0] not in ("", None) else next(
            (value for value in values if value not in ("", None)), None)
        closing = False
        if isinstance(first, str) and first.lstrip(_CLOSING_LEAD)[:2].lower() in _CLOSING_STARTS:
            text = " ".join(arabic_digits(clean_text(value)) for value in values if clean_text(value))
            text = text.lstrip(_CLOSING_LEAD)
            closing = bool(_TOTAL_ROW.match(text) or _SIGNATURE_ROW.match(text))
        if not closing and self.in_closing and first is not None:
            # The signer's name, position and the date, below a signature or a total.
            closing = sum(1 for value in values if clean_text(value)) < CLOSING_LINE_CELLS
        self.in_closing = closing or (self.in_closing and first is None)
        if closing:
            report = self.report
            report.closing_count += 1
            if report.closing_first is None:
                report.closing_first = number
        return closing

    def _read_row(self, number, values):
        index = self.index
        if self._is_closing(number, values):
            return None
        if not any(clean_text(values[i]) for i in index.values() if i < len(values)):
            return None  # a blank row between data rows
        self.report.rows += 1
        errors = []
        # A producer's rows come one after another with the same producer columns: clean them once.
        raw_producer = [values[i] if i < len(values) else "" for i in self.producer_positions]
        if raw_producer == self.last_raw_producer:
            producer_code, producer = self.last_producer[0], dict(self.last_producer[1])
        else:
            clean = self._clean(self.producer_plan, values, errors, number)
            producer_code, producer = clean["producer_code"], _record(self.producer_fields, clean)
            self.last_raw_producer = raw_producer if not errors else None
            self.last_producer = (producer_code, dict(producer))
        clean = self._clean(self.product_plan, values, errors, number)
        product_code, product = clean["product_code"], _record(self.product_fields, clean)
        if errors:
            self.report.errors.extend(errors)
            return None
        return number, producer_code, producer, product_code, product

    def _accept(self, number, producer_code, producer, product_code, product):
        """Add a clean row to the producers and products; later rows must agree with earlier ones.
        Returns whether the row was taken."""
        errors = self.report.errors
        if product_code in self.foreign_products:
            errors.append(RowError(number, self.headers["product_code"], product_code, _(
                "This product code belongs to a producer in %(province)s province.")
                % {"province": self.foreign_products[product_code]}))
            return False
        known = self.producers.get(producer_code)
        if known is not None:
            known_data = known[1]
            conflict = next((name for name, value in producer.items() if value != known_data[name] and not (
                name in FILL_IN_FIELDS and (value in ("", None) or known_data[name] in ("", None)))), None)
            if conflict is not None:
                earlier = self.filled_in[producer_code].get(conflict, known[0])
                errors.append(RowError(
                    number, self.headers[PRODUCER_FIELDS[conflict]], self.display(conflict, producer[conflict]),
                    _("The producer's data does not match row %(row)d, which has \"%(value)s\".")
                    % {"row": earlier, "value": self.display(conflict, known_data[conflict])}))
                return False
        same_code = self.products.get(product_code)
        if same_code is not None:
            if same_code[1] != producer_code or same_code[2] != product:
                errors.append(RowError(number, self.headers["product_code"], product_code, _(
                    "This product code is already in row %(row)d with different data.") % {"row": same_code[0]}))
                return False
            return True  # the same product twice, word for word: once is enough
        if known is None:
            self.producers[producer_code] = (number, producer)
            self.filled_in[producer_code] = {}
        else:
            for name in FILL_IN_FIELDS:
                if known_data.get(name) in ("", None) and producer.get(name) not in ("", None):
                    known_data[name] = producer[name]
                    self.filled_in[producer_code][name] = number
        self.products[product_code] = (number, producer_code, product)
        return True

    def display(self, name, value):
        """A producer's clean value as a person reads it, for messages."""
        if value is None:
            return ""
        field = _PRODUCER_MODEL_FIELDS[name]
        if field.is_relation:
            return self.related[field.related_model][value].name_th
        if field.choices:
            return str(dict(field.choices)[value])
        return str(value)


def _depth(column):
    """How many columns a column's cleaning waits for."""
    needs = [name for name in column.uses if name != "gazetteer"]
    return max((1 + _depth(COLUMNS_BY_KEY[name]) for name in needs), default=0)


def _record(fields, clean):
    """A side's field values from its clean cells: related records by primary key."""
    return {attname: getattr(clean[name], "pk", clean[name]) for name, attname in fields}


def _preview_entry(entry):
    change, kind, row, code, name, producer, columns = entry
    shown = {"row": row, "code": code, "name": name}
    if kind == PRODUCT:
        shown["producer"] = producer
    if change == UPDATED:
        shown["columns"] = columns
    return shown


# --- Pass 2: comparing and writing ----------------------------------------------------------

class _Plan:
    """What the valid rows change in the registry, worked out in Python from a few queries."""

    def __init__(self, reader):
        self.province = reader.province
        self.report = reader.report
        self.headers = reader.headers
        self.present = reader.index.keys()
        # The code of each record to update, by (PRODUCER or PRODUCT, primary key): for the list.
        self.changed_codes = {}

    def compare(self, producers, products):
        report = self.report
        existing_producers = {
            row[0]: row for row in Producer.objects.filter(province=self.province).values_list(
                "code", "id", "version", *PRODUCER_FIELDS, "anonymised_at")}
        producer_codes_by_id = {row[1]: code for code, row in existing_producers.items()}
        self.producer_ids = {code: row[1] for code, row in existing_producers.items()}
        existing_products = {
            row[0]: row for row in Product.objects.filter(producer__province=self.province).values_list(
                "code", "id", "version", "producer_id", *[f for f in PRODUCT_FIELDS if f != "standards"])}

        self.new_producers, self.changed_producers = [], []
        # Without a postcode column, the one filled from the subdistrict is for new producers only.
        kept = set() if "postcode" in self.present else {"postcode"}
        for code, (row, data) in producers.items():
            current = existing_producers.get(code)
            if current is None:
                self.new_producers.append((code, data))
                continue
            values = dict(zip(PRODUCER_FIELDS, current[3:]))
            changes = {name: value for name, value in data.items() if values[name] != value and name not in kept}
            if current[-1] is not None and changes.keys() & ERASED_FIELDS:
                # Erased on the person's request: a later workbook must not bring the data back.
                report.anonymised_kept_empty += 1
                changes = {name: value for name, value in changes.items() if name not in ERASED_FIELDS}
            if changes:
                self.changed_producers.append((current[1], current[2], values, changes))
                self.changed_codes[PRODUCER, current[1]] = code
            else:
                report.producers.unchanged += 1
        report.producers.created = len(self.new_producers)
        report.producers.updated = len(self.changed_producers)

        held = {}
        if "standards" in self.present and existing_products:
            for product_id, name in Product.standards.through.objects.filter(
                    product__producer__province=self.province).values_list("product_id", "standard__name"):
                held.setdefault(product_id, set()).add(name)
        self.new_products, self.changed_products = [], []
        product_fields = [f for f in PRODUCT_FIELDS if f != "standards"]
        for code, (row, producer_code, data) in products.items():
            current = existing_products.get(code)
            if current is None:
                self.new_products.append((code, producer_code, data))
                continue
            values = dict(zip(product_fields, current[4:]))
            values["standards"] = tuple(sorted(held.get(current[1], ())))
            changes = {name: value for name, value in data.items() if values[name] != value}
            if producer_codes_by_id.get(current[3]) != producer_code:
                changes["producer_code"] = producer_code
            if changes:
                self.changed_products.append((current[1], current[2], current[3], values, changes))
                self.changed_codes[PRODUCT, current[1]] = code
            else:
                report.products.unchanged += 1
        report.products.created = len(self.new_products)
        report.products.updated = len(self.changed_products)
        column_order = {header: COLUMN_ORDER[name] for name, header in self.headers.items()}
        report.errors.sort(key=lambda error: (error.row, column_order.get(error.column, len(COLUMNS))))
        report.planned = {}
        for (change, kind), entries in self._listings(producers, products):
            if entries:
                first = itertools.islice(entries, PREVIEW_LIMIT)
                report.planned[f"{kind}s_{change}"] = [_preview_entry(entry) for entry in first]

    def listing(self, producers, products):
        """Every record created or updated (or that would be), from compare's producers and
        products: new producers, updated producers, new products, updated products, each in the
        workbook's order, as (CREATED or UPDATED, PRODUCER or PRODUCT, row, code, name,
        producer code, changed columns)."""
        for _kind, entries in self._listings(producers, products):
            yield from entries

    def _listings(self, producers, products):
        headers, codes = self.headers, self.changed_codes

        def columns(changes, fields):
            return ", ".join(headers[fields.get(name, name)] for name in changes)

        def updated_producers():
            for pk, _version, _values, changes in self.changed_producers:
                code = codes[PRODUCER, pk]
                row, data = producers[code]
                yield UPDATED, PRODUCER, row, code, data["name"], "", columns(changes, PRODUCER_FIELDS)

        def updated_products():
            for pk, _version, _producer_id, _values, changes in self.changed_products:
                code = codes[PRODUCT, pk]
                row, producer, data = products[code]
                yield UPDATED, PRODUCT, row, code, data["name"], producer, columns(changes, PRODUCT_COLUMNS)

        # Lists and dicts keep the workbook's order: a record comes where its first row is.
        return [
            ((CREATED, PRODUCER), self.new_producers and (
                (CREATED, PRODUCER, producers[code][0], code, data["name"], "", "")
                for code, data in self.new_producers)),
            ((UPDATED, PRODUCER), self.changed_producers and updated_producers()),
            ((CREATED, PRODUCT), self.new_products and (
                (CREATED, PRODUCT, products[code][0], code, data["name"], producer, "")
                for code, producer, data in self.new_products)),
            ((UPDATED, PRODUCT), self.changed_products and updated_products()),
        ]

    @property
    def has_writes(self):
        return bool(self.new_producers or self.changed_producers or self.new_products or self.changed_products)

    def write(self, by=None):
        """Write the planned changes; the caller holds the transaction."""
        now = timezone.now()
        self._lock_and_check_versions()
        standard_ids = self._standard_ids()
        created = new_producer_ids = insert_new(Producer, ({"province_id": self.province.pk, "code": code, **data}
                                     for code, data in self.new_producers), now=now)
        producer_ids = {**self.producer_ids, **{code: pk for (code, _data), pk in zip(self.new_producers, created)}}
        if self.changed_producers:
            objects, fields = [], {"version", "updated_at"}
            for pk, version, values, changes in self.changed_producers:
                objects.append(Producer(pk=pk, **{**values, **changes}, version=version + 1, updated_at=now))
                fields |= changes.keys()
            update_rows(Producer, objects, _field_names(fields))

        through = Product.standards.through
        created = new_product_ids = insert_new(Product, (
            {"code": code, "producer_id": producer_ids[producer_code],
             **{name: value for name, value in data.items() if name != "standards"}}
            for code, producer_code, data in self.new_products), now=now)
        links = [(pk, standard_ids[name]) for pk, (_code, _producer, data) in zip(created, self.new_products)
                 for name in data.get("standards", ())]
        if self.changed_products:
            objects, fields, restandardised = [], {"version", "updated_at"}, []
            for pk, version, producer_id, values, changes in self.changed_products:
                changes = dict(changes)
                if "producer_code" in changes:
                    producer_id = producer_ids[changes.pop("producer_code")]
                    fields.add("producer_id")
                if "standards" in changes:
                    restandardised.append(pk)
                    links += [(pk, standard_ids[name]) for name in changes["standards"]]
                row = {**values, **changes}
                row.pop("standards")
                objects.append(Product(pk=pk, producer_id=producer_id, **row, version=version + 1, updated_at=now))
                fields |= changes.keys() - {"standards"}
            update_rows(Product, objects, _field_names(fields))
            for start in range(0, len(restandardised), BATCH_SIZE):
                through.objects.filter(product_id__in=restandardised[start:start + BATCH_SIZE]).delete()
        insert_values(through, ["product", "standard"], links)
        # The history the registry's pages show (simple-history's signals do not see plain SQL).
        history = {"now": now, "file_name": self.report.file_name, "by": by}
        insert_history(Producer, new_producer_ids, "+", **history)
        insert_history(Producer, [pk for pk, *_rest in self.changed_producers], "~", **history)
        insert_history(Product, new_product_ids, "+", **history)
        insert_history(Product, [pk for pk, *_rest in self.changed_products], "~", **history)

    def _lock_and_check_versions(self):
        """The rows to update must still be as they were read; a concurrent edit aborts the import."""
        for model, planned in ((Producer, {pk: version for pk, version, *_ in self.changed_producers}),
                               (Product, {pk: version for pk, version, *_ in self.changed_products})):
            pks = sorted(planned)
            for start in range(0, len(pks), BATCH_SIZE):
                current = dict(model.objects.select_for_update().filter(pk__in=pks[start:start + BATCH_SIZE])
                               .values_list("pk", "version"))
                if any(current.get(pk) != planned[pk] for pk in pks[start:start + BATCH_SIZE]):
                    raise ImportFailed(_registry_changed())

    def _standard_ids(self):
        names = {name for *_rest, data in self.new_products for name in data.get("standards", ())}
        names |= {name for *_rest, changes in self.changed_products for name in changes.get("standards", ())}
        if not names:
            return {}
        ids = dict(Standard.objects.filter(name__in=names).values_list("name", "id"))
        if names - ids.keys():
            Standard.objects.bulk_create([Standard(name=name) for name in sorted(names - ids.keys())],
                                         ignore_conflicts=True)
            ids = dict(Standard.objects.filter(name__in=names).values_list("name", "id"))
        return ids


def _field_names(attnames):
    return sorted(name[:-3] if name.endswith("_id") else name for name in attnames)


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
