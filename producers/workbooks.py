"""Reading and writing registry workbooks (.xlsx, .xls, .ods).

Reading goes through python-calamine, which is about ten times faster than openpyxl here,
after cheap checks that refuse what must never reach it: files over the size limit,
password-protected workbooks, zip bombs and sheets that would expand to millions of cells.
Writing (the template and the "bad rows" workbook) goes through openpyxl.

Every refusal raises WorkbookRefused with a message an admin can act on.
"""

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass

import olefile
import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A zip whose entries unpack to more than this, or far more than they weigh, is not opened:
# real registries compress about 5 to 15 times. A national workbook of 300,000 rows written
# with inline strings (openpyxl's write-only mode) unpacks to about 480 MB.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 5000
# calamine holds a sheet as a dense grid: one stray cell at XFD1048576 in a 5 KB file would
# ask for billions of cells. A provincial registry needs a few hundred thousand; a national
# one of 300,000 rows × 19 columns nearly six million.
MAX_SHEET_CELLS = 12_000_000
_READ_CHUNK = 1024 * 1024
_ROW_REF = re.compile(rb'<row[^>]*?\sr="(\d+)"')
_CELL_COLUMN = re.compile(rb' r="([A-Z]{2,3})\d')
_ODS_ROW = re.compile(rb"<table:table-row[\s>/]")
_ODS_COLUMNS_REPEAT = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_CONTENT = (b"<text:", b"office:value")


class ImportFailed(Exception):
    """An import that cannot be done; the message tells the admin what to do. Nothing was written."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class WorkbookRefused(ImportFailed):
    """The file itself cannot be used: not a workbook, protected, too large, no header row, …"""


def _file_size(source):
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source)
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def _megabytes(size):
    return f"{size / (1024 * 1024):,.0f}"


def _column_number(letters):
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number


def _check_zip(stream, *, unpack=True):
    """Refuse zip bombs, encrypted .ods and zips that are not workbooks; returns "xlsx" or "ods".

    unpack=False reads the zip's directory only (milliseconds), for a first answer at upload.
    """
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused(_not_a_workbook()) from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
            raise WorkbookRefused(_zip_bomb())
        for entry in entries:
            if entry.file_size > _READ_CHUNK and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
                raise WorkbookRefused(_zip_bomb())
        if "content.xml" in names and "mimetype" in names:
            kind = "ods"
            manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            if b"encryption-data" in manifest:
                raise WorkbookRefused(_password_protected())
        elif "xl/workbook.xml" in names:
            kind = "xlsx"
        else:
            raise WorkbookRefused(_not_a_workbook())
        if not unpack:
            return kind
        # The directory can lie about sizes; unpacking here checks every entry's size and CRC
        # before calamine trusts them, and measures how far each sheet spreads.
        for entry in entries:
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                span = _XlsxSpan()
            elif kind == "ods" and entry.filename == "content.xml":
                span = _OdsSpan()
            else:
                span = None
            try:
                with archive.open(entry) as member:
                    # In chunks: memory stays flat whatever the sheet's size.
                    while chunk := member.read(_READ_CHUNK):
                        if span:
                            span.feed(chunk)
                if span:
                    span.close()
            except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
                    NotImplementedError, RuntimeError):
                # RuntimeError: an entry encrypted the old zip way.
                raise WorkbookRefused(_damaged()) from None
    return kind


class _XlsxSpan:
    """How many rows and columns an .xlsx sheet's cells reach, read from its XML in chunks."""

    def __init__(self):
        self.last_row, self.last_column, self.carry = 0, 26, b""

    def feed(self, chunk):
        # A reference cut between two chunks is whole in carry + chunk.
        data = self.carry + chunk
        for number in _ROW_REF.findall(data):
            self.last_row = max(self.last_row, int(number))
        # Only cells beyond column Z need a look: most sheets have none.
        for letters in _CELL_COLUMN.findall(data):
            self.last_column = max(self.last_column, _column_number(letters))
        self.carry = data[-64:]

    def close(self):
        if self.last_row * self.last_column > MAX_SHEET_CELLS:
            raise WorkbookRefused(_spread(self.last_row, self.last_column))


class _OdsSpan:
    """calamine spells out repeated cells that hold a value: "x" repeated over 16,384 columns
    and a million rows is a few bytes in the file. Empty repeats (LibreOffice writes them
    after the data) cost nothing and are not counted. Read in chunks, whole rows at a time."""

    ROW_END = b"</table:table-row>"

    def __init__(self):
        self.rows = self.columns = self.empty_rows = 0
        self.pending = b""

    def feed(self, chunk):
        data = self.pending + chunk
        cut = data.rfind(self.ROW_END)
        if cut < 0:
            self.pending = data
            return
        cut += len(self.ROW_END)
        self.pending = data[cut:]
        self._scan(data[:cut])

    def close(self):
        self._scan(self.pending)

    def _scan(self, xml):
        position = 0
        while (found := _ODS_ROW.search(xml, position)) is not None:
            tag_end = xml.find(b">", found.start())
            repeat = _ods_repeat(xml[found.start():tag_end], b"rows")
            if xml[tag_end - 1:tag_end] == b"/":
                self.empty_rows += repeat
                position = tag_end
                continue
            row_end = xml.find(self.ROW_END, tag_end)
            body = xml[tag_end:row_end if row_end >= 0 else len(xml)]
            position = row_end if row_end >= 0 else len(xml)
            last = max(body.rfind(marker) for marker in _ODS_CONTENT)
            if last < 0:
                self.empty_rows += repeat
                continue
            self.rows += self.empty_rows + repeat
            self.empty_rows = 0
            # Cells up to the last one with content, each counted as often as it repeats.
            used = body[:body.find(b">", last) + 1]
            cells = used.count(b"<table:table-cell") + used.count(b"<table:covered-table-cell")
            self.columns = max(self.columns, cells + sum(int(n) - 1 for n in _ODS_COLUMNS_REPEAT.findall(used)))
            if self.rows * self.columns > MAX_SHEET_CELLS:
                raise WorkbookRefused(_spread(self.rows, self.columns))


def _ods_repeat(tag, kind):
    found = re.search(rb"table:number-" + kind + rb'-repeated="(\d+)"', tag)
    return int(found.group(1)) if found else 1


def _spread(rows, columns):
    return _("The sheet spreads over %(rows)s rows and %(columns)s columns, far more than a registry: "
             "delete the stray cells below or to the right of the data, save, and upload it again."
             ) % {"rows": f"{rows:,}", "columns": f"{columns:,}"}


def _check_ole(stream):
    """An OLE container is either an .xls or an encrypted .xlsx (Excel's "Encrypt with Password")."""
    try:
        container = olefile.OleFileIO(stream)
    except Exception:  # olefile meets arbitrary bytes here and fails in many ways (OSError, ValueError, …)
        raise WorkbookRefused(_not_a_workbook()) from None
    with container:
        if container.exists("EncryptionInfo") or container.exists("EncryptedPackage"):
            raise WorkbookRefused(_password_protected())
        if not (container.exists("Workbook") or container.exists("Book")):
            raise WorkbookRefused(_not_a_workbook())
    return "xls"


def _not_a_workbook():
    return _("This file is not a workbook: save it from Excel or LibreOffice as .xlsx, .xls or .ods "
             "and upload it again.")


def _password_protected():
    return _("The workbook is protected with a password: open it, remove the password "
             "(in Excel: File › Info › Protect Workbook › Encrypt with Password), save, and upload it again.")


def _zip_bomb():
    return _("The file unpacks to far more data than a workbook holds (a “zip bomb”), so it was not opened. "
             "Save the registry again as a new .xlsx file.")


def _damaged():
    return _("The workbook is damaged and cannot be read: open it in Excel or LibreOffice, save it again "
             "as .xlsx, and upload the new file.")


@dataclass
class Sheet:
    """The first visible worksheet of a workbook, read row by row."""

    name: str
    format: str
    first_column: int
    _calamine_sheet: object
    height: int = 0  # rows from the first to the last used one

    def close(self):
        """Let go of the sheet's cells (calamine holds them all) before the writing starts."""
        self._calamine_sheet = None

    def rows(self):
        """(row number as Excel shows it, list of cell values), blank rows included."""
        sheet = self._calamine_sheet
        if sheet.start is None:
            return
        rows = iter(sheet.iter_rows())
        first = next(rows, None)
        if first is None:
            return
        # calamine yields from the sheet's first row (blank rows above the data included); should
        # a version start at the first row with data instead, that row is not blank.
        offset = sheet.start[0] if sheet.start[0] > 0 and any(value != "" for value in first) else 0
        yield offset + 1, first
        yield from enumerate(rows, start=offset + 2)

    def column_letter(self, index):
        return get_column_letter(self.first_column + index + 1)


def check_upload(source):
    """The checks that take no time, for an answer while the admin waits: size, type by
    content, password, and what the zip's directory says. The rest (unpacking, reading) is the
    background task's, in open_sheet. Raises WorkbookRefused."""
    _check_file(source, unpack=False)


def open_sheet(source):
    """Check and open a workbook; source is a path or a binary file object.

    Raises WorkbookRefused when the file is too large, empty, not a workbook, protected
    with a password, a zip bomb, or damaged.
    """
    return _check_file(source, unpack=True)


def _check_file(source, *, unpack):
    size = _file_size(source)
    limit = settings.KBO_IMPORT_MAX_BYTES
    if size > limit:
        raise WorkbookRefused(_("The file is %(size)s MB, over the limit of %(limit)s MB: split the registry "
                                "into smaller workbooks.") % {"size": _megabytes(size), "limit": _megabytes(limit)})
    if size == 0:
        raise WorkbookRefused(_("The file is empty."))
    stream = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source
    try:
        stream.seek(0)
        magic = stream.read(8)
        stream.seek(0)
        if magic.startswith(ZIP_MAGIC):
            kind = _check_zip(stream, unpack=unpack)
        elif magic == OLE_MAGIC:
            kind = _check_ole(stream)
        else:
            raise WorkbookRefused(_not_a_workbook())
        if not unpack:
            return None
        stream.seek(0)
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
            visible = [meta.name for meta in workbook.sheets_metadata
                       if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
                       and meta.visible == python_calamine.SheetVisibleEnum.Visible]
            if not visible:
                raise WorkbookRefused(_("The workbook is empty."))
            sheet = workbook.get_sheet_by_name(visible[0])
        except python_calamine.PasswordError:
            raise WorkbookRefused(_password_protected()) from None
        except python_calamine.CalamineError:
            raise WorkbookRefused(_damaged()) from None
        if sheet.start is None:
            raise WorkbookRefused(_("The workbook is empty."))
        return Sheet(name=sheet.name, format=kind, first_column=sheet.start[1], _calamine_sheet=sheet,
                     height=sheet.height)
    finally:
        if stream is not source:
            stream.close()


# --- Writing -------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ERROR_FILL = PatternFill("solid", fgColor="FCE4E4")


def _text_cell(sheet, value, **style):
    """A cell that shows value as written: "=1+1" or "@x" stays text and never runs as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def write_template(headers, lists, *, notes=(), text_columns=(), widths=None):
    """The blank import workbook: one header row, drop-down lists from a hidden sheet.

    headers: column titles in order; lists: {header: [choices]} for the drop-downs;
    notes: rows of (title, text) for an explanation sheet; text_columns: headers whose cells
    keep leading zeros (codes, phones, postcodes).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ทะเบียน OTOP"
    sheet.append(list(headers))
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = (widths or {}).get(header, max(12, len(header) + 4))
        if header in text_columns:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    choices = workbook.create_sheet("รายการ")
    for list_index, (header, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(list_index)
        choices.cell(row=1, column=list_index, value=header)
        for row, value in enumerate(values, start=2):
            choices.cell(row=row, column=list_index, value=value)
        target = get_column_letter(list(headers).index(header) + 1)
        validation = DataValidation(type="list", formula1=f"'รายการ'!${letter}$2:${letter}${len(values) + 1}",
                                    allow_blank=True, showErrorMessage=False)
        validation.add(f"{target}2:{target}5000")
        sheet.add_data_validation(validation)
    choices.sheet_state = "hidden"

    if notes:
        help_sheet = workbook.create_sheet("คำอธิบาย")
        help_sheet.column_dimensions["A"].width = 24
        help_sheet.column_dimensions["B"].width = 100
        for title, text in notes:
            help_sheet.append([title, text])
        for cell in help_sheet["A"]:
            cell.font = HEADER_FONT
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_bad_rows(sheet, header_row, messages, *, error_header):
    """The rows that had errors, under the original header row, with an added error column.

    sheet: the opened Sheet of the original file; messages: {row number: "text"}.
    The district fixes the rows and sends the workbook back: the importer ignores the
    error column, and the title rows above the header are left out.
    """
    workbook = Workbook(write_only=True)
    out_sheet = workbook.create_sheet("แถวที่มีข้อผิดพลาด")
    width = 0
    for number, values in sheet.rows():
        if number == header_row:
            width = len(values)
            out_sheet.append([_text_cell(out_sheet, value, font=HEADER_FONT, fill=HEADER_FILL) for value in values]
                             + [_text_cell(out_sheet, error_header, font=HEADER_FONT, fill=ERROR_FILL)])
        elif number in messages:
            cells = [_text_cell(out_sheet, value if value != "" else None) for value in values[:width]]
            cells += [None] * (width - len(cells))
            out_sheet.append(cells + [_text_cell(out_sheet, messages[number], fill=ERROR_FILL)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
