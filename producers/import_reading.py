"""The import's first pass: find the header, map the columns, and read and clean every row.

A row's path: RowReader.read finds the header among the first rows (_find_header), maps each
header to its column of the table (_map_columns, producers/columns.py), then for each row cleans
the producer's cells (once for a run of rows of the same producer) and the product's cells with
the columns' cleaners (_clean, the functions of cleaning.py that the forms use too), and keeps
one entry per producer and per product (_accept): a row either joins them or becomes errors,
"row N, column X: message". Rows are not kept.
"""

import functools
import itertools
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kbo_site.thaidates import arabic_digits

from . import cleaning
from .cleaning import clean_text, key
from .columns import COLUMNS, COLUMNS_BY_KEY, PRODUCER, PRODUCT, columns_of, values_of
from .models import District, Product, Subdistrict
from .workbooks import WorkbookRefused

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
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class Progress:
    """How far the reading has got, for a progress bar: passed to import_registry's progress."""

    rows_total: int = 0  # the sheet's height, header and title rows included: an upper bound
    rows_read: int = 0
    rows_valid: int = 0
    rows_with_errors: int = 0
    writing: bool = False  # every row read; the registry is being written


# Report progress every this many rows: often enough for a bar that moves every second, rarely
# enough (one small UPDATE) to cost nothing next to the rows.
PROGRESS_EVERY = 5000



# --- The header ------------------------------------------------------------------------------

HEADER_SEARCH_ROWS = 20
# A row naming fewer known columns than this is a title or a note, not the header.
MIN_HEADER_MATCHES = 3
_HEADER_NOTE = re.compile(r"\(.*?\)|\[.*?\]|\*")


def header_key(text):
    return key(_HEADER_NOTE.sub("", clean_text(text)))


# Headers match without regard to case, spaces, punctuation or a note in brackets:
# "ปีที่ลงทะเบียน (พ.ศ.)" is ปีที่ลงทะเบียน.
KEY_BY_HEADER = {header_key(name): column.key for column in COLUMNS for name in column.headers}


# --- The rows --------------------------------------------------------------------------------

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

class RowReader:
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
        postcode column, every producer gets it; only new ones take it (import_writing.Plan.compare)."""
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
