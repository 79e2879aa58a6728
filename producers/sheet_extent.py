"""How far a workbook's cells reach, measured the way python-calamine will place them, before
its dense grid of cells is allocated.

calamine holds a sheet as a rectangle from its first to its last cell, 32 bytes a cell, so one
value at XFD1048576 in a 2 KB file asks for 550 GB. These readers walk the file's structure
(XML through expat, .xls records by their lengths) in a few megabytes of memory and report the
rectangle each sheet will need, counted from A1 (an upper bound of what calamine allocates).

The readers follow calamine's own rules, not the specification's:
- elements are matched by their local name whatever their prefix (<row>, <x:row>, a default
  namespace), attributes by calamine's exact names, in either quoting (expat reads both);
- a cell without a reference comes after the one before it, a row without one after the last;
- cells with nothing in them are left out, as calamine leaves them out.

Anything expat cannot parse, a DTD (no entity is ever declared or expanded), a reference no
spreadsheet writes, and in .ods a table, row or cell where none can be, raise Malformed: the file
is then refused as damaged rather than guessed at. Nothing here holds a message for a person:
producers/workbooks.py turns these exceptions into refusals.
"""

import re
import struct
from dataclasses import dataclass
from xml.parsers import expat

# A reference longer than this is no spreadsheet's (and beyond calamine's 32-bit counters).
_MAX_REFERENCE_DIGITS = 15
_MAX_REFERENCE_LETTERS = 6
_MAX_COUNT_DIGITS = 19
_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SHEET_TYPES = {"worksheet", "chartsheet", "dialogsheet"}  # calamine's sheet relationships


class Malformed(Exception):
    """The part is not well-formed XML, or holds what no workbook program writes."""


@dataclass(frozen=True)
class Extent:
    """Rows and columns from A1 to the farthest cell with something in it."""

    rows: int = 0
    columns: int = 0

    @property
    def cells(self):
        return self.rows * self.columns


def _parser(start, end=None):
    """An expat parser that reads UTF-8 only and refuses any DTD, so no entity is ever declared,
    expanded or fetched."""
    parser = expat.ParserCreate("utf-8")  # the document's own encoding declaration is overridden
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    return parser


def _refuse_doctype(*args):
    raise Malformed("a DTD")


class _XmlPart:
    """Feed the part's bytes in chunks; close() checks that the document ended well."""

    def __init__(self):
        self._parser = _parser(self._start, getattr(self, "_end", None))

    def feed(self, chunk):
        try:
            self._parser.Parse(chunk, False)
        except expat.ExpatError as error:
            raise Malformed(str(error)) from None

    def close(self):
        self.feed(b"")
        try:
            self._parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise Malformed(str(error)) from None
        self._parser = None
        return self.result()


def _local_name(name):
    return name[name.rfind(":") + 1:]


def _attribute(attributes, key):
    """The value of attribute `key` (exact name, as calamine asks for it) in expat's ordered list."""
    if attributes and attributes[0] == key:
        return attributes[1]
    for index in range(2, len(attributes), 2):
        if attributes[index] == key:
            return attributes[index + 1]
    return None


def _row_number(digits):
    """A reference's row as calamine reads it (1-based in the file, 0-based here)."""
    if not (digits.isascii() and digits.isdigit()):
        raise Malformed(f"a reference with row {digits!r}")
    if len(digits) > _MAX_REFERENCE_DIGITS:
        raise Malformed(f"a row of {len(digits)} digits")
    row = int(digits) - 1
    if row < 0:
        raise Malformed("row 0")
    return row


def _column_number(letters):
    if len(letters) > _MAX_REFERENCE_LETTERS:
        raise Malformed(f"a column of {len(letters)} letters")
    if not (letters.isascii() and letters.isalpha()):
        raise Malformed(f"a reference with {letters!r}")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number - 1


class XlsxSheet(_XmlPart):
    """The extent of an .xlsx worksheet part (xl/worksheets/sheetN.xml), as calamine's cell
    reader walks it, from the first <sheetData> to the first end of one:
    - <row r="…"> sets the row and every </row> moves it on by one, nested or not;
    - <c r="…"> sets the cell's place, a cell without one comes after the cell before;
    - a cell counts when something is inside it: calamine reads only <v>, <is> or <f> there
      (anything else is an error it refuses the file for), and keeps the cell if it holds a value.

    Millions of elements pass through the two handlers, so they are closures over local
    variables, and the elements inside a cell (most of them) cost one test."""

    def __init__(self):
        row_kind, cell_kind, data_kind = 1, 2, 3
        kinds, columns = {}, {}
        # in_data: 0 before <sheetData>, 1 inside, 2 after; depth: elements open in the current
        # cell (the cell included); row and column: calamine's counters; pending: the open cell's
        # place until it shows it holds something.
        in_data, depth, row, column, pending = 0, 0, 0, 0, None
        last_row = last_column = -1

        def start(name, attributes):
            nonlocal in_data, depth, row, column, pending, last_row, last_column
            if depth:
                depth += 1
                if pending is not None:
                    if pending[0] > last_row:
                        last_row = pending[0]
                    if pending[1] > last_column:
                        last_column = pending[1]
                    pending = None
                return
            kind = kinds.get(name)
            if kind is None:
                kind = kinds[name] = {"row": row_kind, "c": cell_kind, "sheetData": data_kind}.get(
                    _local_name(name), 0)
            if in_data != 1:
                if kind == data_kind and not in_data:
                    in_data = 1
                return
            if kind == cell_kind:
                reference = attributes[1] if attributes and attributes[0] == "r" else _attribute(attributes, "r")
                if reference is None:
                    pending = (row, column)
                else:
                    letters = reference.rstrip(_DIGITS)
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = _column_number(letters)
                    pending = (_row_number(reference[len(letters):]), column)
                column += 1
                depth = 1
            elif kind == row_kind:
                reference = _attribute(attributes, "r")
                if reference is not None:
                    row = _row_number(reference.lstrip(_LETTERS))

        def end(name):
            nonlocal in_data, depth, row, column, pending
            if depth:
                depth -= 1
                if not depth:
                    pending = None  # an empty cell: calamine drops it
                return
            if in_data == 1:
                kind = kinds.get(name)
                if kind == row_kind:
                    row += 1
                    column = 0
                elif kind == data_kind:
                    in_data = 2

        def result():
            return Extent(last_row + 1, last_column + 1) if last_row >= 0 else Extent()

        self._start, self._end, self.result = start, end, result
        super().__init__()


def _greater_than(limit):
    """A regular expression (bytes) matching the decimal numbers, without leading zeros, that
    are greater than `limit`."""
    digits = str(limit)
    options = [rb"[1-9][0-9]{%d,}" % len(digits)]  # more digits
    for index, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - index - 1
            higher = rb"[%d-9]" % (int(digit) + 1)
            options.append(digits[:index].encode() + higher + (rb"[0-9]{%d}" % rest if rest else b""))
    return b"(?:" + b"|".join(options) + b")"


class XlsxSheetBound:
    """A quick upper bound of an .xlsx worksheet's extent, for the sheets every spreadsheet
    program writes, in a few regular-expression passes (C speed) instead of a Python call per
    element: a registry of 300,000 rows has 15 million elements, and XlsxSheet takes seconds
    on them.

    It answers only when the bound is certain; result() is None otherwise, and the caller then
    measures the part with XlsxSheet. It is certain when:
    - the part is ASCII-compatible UTF-8 with no NUL byte, no other declared encoding, and no
      markup declaration, comment or CDATA section (no "<!"): what the patterns see is what the
      XML parser reads;
    - no cell has a prefix (no ":c" before a space, "/" or ">" anywhere), and every <c> start
      tag has an r attribute of 1–3 letters and a row number without leading zeros, found after
      a run of complete name="value" pairs (so a quoted "r=…" inside another attribute's value
      does not count): calamine then places every cell at its own reference and no counter
      matters;
    - every r= anywhere in the part (any element, even in text) is quoted and reads the same way.
    The bound is then the largest letters and number among all of those r values, read from the
    whole part (not only <sheetData>, empty cells included): never less than what calamine
    places. Only a bound that fits `limit` cells is given; a larger one is left to XlsxSheet,
    which also words the refusal.
    """

    # Each pattern starts with a literal ("r", "<c", ":c"), which the regular-expression engine
    # finds at C speed; a pattern that starts with a look-behind is tried at every byte.
    _NOT_NAME = rb"(?<![A-Za-z0-9_.:\-\x80-\xff]r)"  # the r is a whole name, not the end of one
    _R_VALUE = rb"r" + _NOT_NAME + rb"\s*=\s*([\"'])"
    _STRICT_VALUE = rb"[A-Za-z]{0,3}[1-9][0-9]{0,6}"
    # An r= whose value is not a quoted reference of that shape.
    _OTHER_R = re.compile(rb"r" + _NOT_NAME + rb"\s*=(?!\s*([\"'])" + _STRICT_VALUE + rb"\1)")
    # A cell with a prefix (<x:c>, <a:b:c>) shows ":c" before its end: none may be there.
    _PREFIXED_CELL = re.compile(rb":c[\s/>]")
    _PAIR = rb"\s+[^\s=<>/\"']+\s*=\s*(?:\"[^\"]*\"|'[^']*')"
    # A <c> start tag without such an r among its name="value" pairs.
    _CELL_WITHOUT_R = re.compile(rb"<c(?=[\s/>])(?!(?:" + _PAIR + rb")*?\s+r\s*=\s*([\"'])[A-Za-z]{1,3}[1-9][0-9]{0,6}\1)")
    _LETTERS = {2: re.compile(_R_VALUE + rb"[A-Za-z]{2}"), 3: re.compile(_R_VALUE + rb"[A-Za-z]{3}")}
    _LETTERS_ANY = re.compile(_R_VALUE)
    # The last column that references of 1, 2 and 3 letters can name (Z, ZZ, ZZZ).
    _COLUMNS = {1: 26, 2: 702, 3: 18_278}
    # An encoding named anywhere (a declaration belongs at the start, but a lenient parser
    # might honour one further on).
    _DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
    _MAX_CARRY = 1024 * 1024

    def __init__(self, limit):
        self.limit = limit
        self.certain = True
        self._carry = b""
        self._letters = 1
        self._found = False  # any reference yet
        self._rows_beyond = {letters: re.compile(self._R_VALUE + rb"[A-Za-z]{0,3}"
                                                 + _greater_than(limit // self._COLUMNS[letters]) + rb"\1")
                             for letters in (1, 2, 3)}

    def feed(self, chunk):
        if not self.certain:
            return
        data = self._carry + chunk
        end = data.rfind(b">") + 1
        self._carry = data[end:]
        if len(self._carry) > self._MAX_CARRY:
            self.certain = False
            return
        self._scan(data[:end])

    def _scan(self, data):
        if any(name.lower().replace(b"-", b"") != b"utf8" for name in self._DECLARATION.findall(data)):
            self.certain = False
            return
        if b"\0" in data or b"<!" in data:
            self.certain = False
            return
        if self._OTHER_R.search(data) or self._PREFIXED_CELL.search(data) or self._CELL_WITHOUT_R.search(data):
            self.certain = False
            return
        if self._LETTERS_ANY.search(data) is None:
            return
        letters = self._letters
        while letters < 3 and self._LETTERS[letters + 1].search(data):
            letters += 1
        if letters != self._letters and self._found:
            # Earlier chunks were checked against a longer row limit than this width allows.
            self.certain = False
            return
        self._letters, self._found = letters, True
        if self._rows_beyond[letters].search(data):
            self.certain = False

    def close(self):
        if self.certain and self._carry:
            self._scan(self._carry)
            self._carry = b""
        return self.result()

    def result(self):
        """An Extent that certainly covers the part and fits the limit, or None."""
        if not self.certain:
            return None
        if not self._found:
            return Extent()
        columns = self._COLUMNS[self._letters]
        return Extent(self.limit // columns, columns)


class SharedStrings(_XmlPart):
    """xl/sharedStrings.xml: calamine reserves room for the count the file declares
    (<sst uniqueCount="…">) before it reads a string; result() is (declared, strings found)."""

    def __init__(self):
        self.declared = 0
        self.found = 0
        super().__init__()

    def _start(self, name, attributes):
        local = _local_name(name)
        if local == "si":
            self.found += 1
        elif local == "sst" and not self.declared:
            count = _attribute(attributes, "uniqueCount") or ""
            if count.isascii() and count.isdigit():
                self.declared = int(count[:_MAX_COUNT_DIGITS + 1])

    def result(self):
        return self.declared, self.found


_ODS_VALUE_ATTRIBUTES = {"value", "string-value", "date-value", "time-value", "boolean-value", "value-type",
                         "formula"}


class OdsContent(_XmlPart):
    """content.xml of an .ods: calamine reads every table of it when the file is opened, spelling
    out repeated rows and cells that hold something (a value, a formula, any child element).
    LibreOffice's empty repeats after the data cost nothing and are not counted.
    result() is the list of the tables' extents."""

    def __init__(self):
        self.tables = []
        self._depth = 0  # elements open inside the current cell
        self._in_table = self._in_row = False
        self._row = self._column = 0
        self._row_repeat = 1
        self._cell = None  # (first column, repeat, holds something) of the open cell
        self._last_row = self._last_column = -1
        super().__init__()

    def _start(self, name, attributes):
        if self._depth:
            self._depth += 1
            self._cell = self._cell[:2] + (True,)  # a child element: text, an annotation, …
            if _local_name(name) in ("table", "table-row", "table-cell", "covered-table-cell"):
                raise Malformed(f"<{name}> inside a cell")
            return
        local = _local_name(name)
        if local == "table":
            if self._in_table:
                raise Malformed("a table inside a table")
            self._in_table, self._row, self._last_row, self._last_column = True, 0, -1, -1
        elif not self._in_table:
            return
        elif local == "table-row":
            if self._in_row:
                raise Malformed("a row inside a row")
            self._in_row, self._column = True, 0
            self._row_repeat = self._repeat(attributes, "number-rows-repeated")
        elif local in ("table-cell", "covered-table-cell"):
            if not self._in_row:
                raise Malformed("a cell outside a row")
            holds = any(_local_name(attributes[i]) in _ODS_VALUE_ATTRIBUTES for i in range(0, len(attributes), 2))
            self._cell = (self._column, self._repeat(attributes, "number-columns-repeated"), holds)
            self._depth = 1

    def _end(self, name):
        if self._depth:
            self._depth -= 1
            if not self._depth:
                column, repeat, holds = self._cell
                self._column = column + repeat
                if holds:
                    self._last_column = max(self._last_column, self._column - 1)
                    self._last_row = max(self._last_row, self._row + self._row_repeat - 1)
            return
        local = _local_name(name)
        if self._in_row and local == "table-row":
            self._in_row = False
            self._row += self._row_repeat
        elif self._in_table and local == "table":
            self._in_table = False
            if self._last_row >= 0:
                self.tables.append(Extent(self._last_row + 1, self._last_column + 1))

    @staticmethod
    def _repeat(attributes, local):
        """A repeat count by its local name (calamine asks for table:…; any prefix counts here)."""
        for index in range(0, len(attributes), 2):
            if _local_name(attributes[index]) == local:
                value = attributes[index + 1]
                if not (value.isascii() and value.isdigit()) or len(value) > _MAX_COUNT_DIGITS:
                    raise Malformed(f"{local}={value!r}")
                return int(value)
        return 1

    def result(self):
        return self.tables


class Relationships(_XmlPart):
    """A package's .rels part: (type, target) of every relationship."""

    def __init__(self):
        self.found = []
        super().__init__()

    def _start(self, name, attributes):
        if _local_name(name) == "Relationship":
            self.found.append((_attribute(attributes, "Type") or "", _attribute(attributes, "Target") or ""))

    def result(self):
        return self.found


def read_xml(part, member, chunk_size=1024 * 1024):
    """Feed a zip member (an open file) to part in chunks; returns part's result."""
    while chunk := member.read(chunk_size):
        part.feed(chunk)
    return part.close()


def xlsx_parts(relationships, names):
    """The parts calamine may read cells or strings from in an .xlsx: (sheets, shared strings), as
    sets of normalised names (normal_name). Wider than calamine's own choice: the workbook folder
    of every officeDocument relationship and xl/, every sheet relationship's target as calamine
    resolves it, and every part in a worksheets/ folder.

    relationships(normalised name) gives the (type, target) pairs of a .rels part (none when the
    file has no such part); names: the normalised names of the file's parts.
    """
    folders = {"xl/"}
    for rel_type, target in relationships("_rels/.rels"):
        if rel_type.endswith("/relationships/officeDocument"):
            target = normal_name(target)
            for path in (target.removeprefix("/"), target.lstrip("/")):
                folders.add(path[:path.rfind("/") + 1])
    sheets = {name for name in names if "worksheets/" in name and name.endswith(".xml")}
    for folder in folders:
        for rel_type, target in relationships(f"{folder}_rels/workbook.xml.rels"):
            if rel_type.rsplit("/", 1)[-1] in _SHEET_TYPES:
                target = normal_name(target)
                sheets.add(target[1:] if target.startswith("/") else folder + target)
    strings = {f"{folder}sharedstrings.xml" for folder in folders}
    return sheets, strings


def normal_name(name):
    """A part name as calamine looks it up: any case, backslashes as slashes."""
    return name.replace("\\", "/").lower()


# --- .xls (BIFF records inside the OLE container) ------------------------------------------------

_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _MULRK = 0x0809, 0x000A, 0x0085, 0x0200, 0x00BD
# The records calamine turns into cells (blanks are not kept): number, label, rich string, boolean
# or error, RK, shared-string label, formula, and a formula's string value at the formula's place.
_CELL_RECORDS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}


def xls_extents(stream):
    """The extents of the sheets of an .xls Workbook stream (bytes), as calamine builds them all when
    the file is opened: each sheet from its BOUNDSHEET position to its EOF, nested substreams
    (charts) skipped. calamine also reserves room for the rectangle a sheet's DIMENSIONS record
    claims, so a sheet counts whichever is larger."""
    positions = []
    for typ, data in _records(stream, 0):
        if typ == _BOUNDSHEET and len(data) >= 4:
            positions.append(struct.unpack_from("<I", data)[0])
        elif typ == _EOF:
            break
    return [_xls_sheet(stream, position) for position in positions if position < len(stream)]


def _records(stream, position):
    while position + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, position)
        data = stream[position + 4:position + 4 + length]
        position += 4 + length
        yield typ, data


def _xls_sheet(stream, position):
    last_row = last_column = -1
    claimed = Extent()
    seen_bof, depth = False, 0
    for typ, data in _records(stream, position):
        if depth:
            depth += {_BOF: 1, _EOF: -1}.get(typ, 0)
            continue
        if typ == _BOF:
            if seen_bof:
                depth = 1
            seen_bof = True
        elif typ == _EOF:
            break
        elif typ == _DIMENSIONS:
            claimed = max(claimed, _claimed(data), key=lambda extent: extent.cells)
        elif typ in _CELL_RECORDS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data)
            last_row, last_column = max(last_row, row), max(last_column, column)
        elif typ == _MULRK and len(data) >= 6:
            row, first = struct.unpack_from("<HH", data)
            last = struct.unpack_from("<H", data, len(data) - 2)[0]
            last_row, last_column = max(last_row, row), max(last_column, first, last)
    cells = Extent(last_row + 1, last_column + 1) if last_row >= 0 else Extent()
    return claimed if claimed.cells > cells.cells else cells


def _claimed(data):
    """The rectangle calamine reserves for a DIMENSIONS record, with its 32-bit arithmetic."""
    if len(data) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", data)
    elif len(data) == 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", data)
    else:
        return Extent()
    if first_column > 0xFF or last_column < first_column:
        first_column = 0
    end = (last_row - 1, last_column - 1) if last_row >= 1 and last_column >= 1 else (first_row, first_column)
    return Extent((end[0] - first_row + 1) & 0xFFFFFFFF, (end[1] - first_column + 1) & 0xFFFFFFFF)
