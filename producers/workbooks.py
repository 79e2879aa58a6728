"""Reading and writing registry workbooks (.xlsx, .xls, .ods).

Reading goes through python-calamine, which is about ten times faster than openpyxl here. It
runs in a process of its own (producers/sheet_reader.py) whose memory is bounded, because a
Rust allocation that fails aborts the process: a hostile or broken workbook then fails its own
batch, never the worker. Before its rows are used, the file is checked in this process: size,
password, zip bombs, and how far every sheet spreads, measured by producers/sheet_extent.py as
calamine will place the cells. The check runs while the reader loads (two cores, one wait);
the reader's memory bound holds meanwhile. Writing goes through openpyxl (the template) or a
plain-XML writer (the rows to fix, which can be hundreds of thousands).

Every refusal raises WorkbookRefused with a message an admin can act on.
"""

import html
import io
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import weakref
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path

import olefile
from django.conf import settings
from django.utils.translation import gettext as _

from . import sheet_extent, xlsx_writer
from .sheet_extent import Malformed
from .xlsx_writer import SheetWriter, column_letter

logger = logging.getLogger(__name__)

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
# one of 300,000 rows × 19 columns nearly six million. The workbook's sheets together, for the
# formats calamine reads whole when it opens them (.ods, .xls).
MAX_SHEET_CELLS = 12_000_000
# calamine reserves room for the shared strings a file declares before reading them: a count
# far above the strings actually there is a lie meant to exhaust memory.
SHARED_STRINGS_SLACK = 100_000
_READ_CHUNK = 1024 * 1024
READER = Path(__file__).with_name("sheet_reader.py")
# A reader still busy after this much processor time is stopped (a national workbook: ~15 s).
READER_CPU_SECONDS = 900


class ImportFailed(Exception):
    """An import that cannot be done; the message tells the admin what to do. Nothing was written."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class WorkbookRefused(ImportFailed):
    """The file itself cannot be used: not a workbook, protected, too large, no header row, …"""


class WorkbookUnreadable(ImportFailed):
    """The reader process ended without reading the sheet: out of its memory bound, or crashed."""


def _file_size(source):
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source)
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(0)
    return size


def _megabytes(size):
    return f"{size / (1024 * 1024):,.0f}"


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
        if unpack:
            _check_parts(archive, kind)
    return kind


def _check_parts(archive, kind):
    """Unpack every entry: the directory can lie about sizes, and unpacking checks each entry's
    size and CRC before calamine trusts them. The parts calamine reads cells from are measured
    on the way (sheet_extent), in chunks: memory stays flat whatever their size."""
    entries = archive.infolist()
    by_name = defaultdict(list)
    for entry in entries:
        by_name[sheet_extent.normal_name(entry.filename)].append(entry)
    sheets = strings = ()
    if kind == "xlsx":
        def relationships(name):
            return [found for entry in by_name.get(name, ())
                    for found in _read_entry(archive, entry, sheet_extent.Relationships())]

        sheets, strings = sheet_extent.xlsx_parts(relationships, set(by_name))
    tables = []
    for entry in entries:
        name = sheet_extent.normal_name(entry.filename)
        # calamine looks a sheet up by its relationship's Target as written, entities and all
        # ("a&#47;b.xml"), where the Target here was read decoded: such a name counts too.
        if name in sheets or sheet_extent.normal_name(html.unescape(entry.filename)) in sheets:
            bound = _read_entry(archive, entry, sheet_extent.XlsxSheetBound(MAX_SHEET_CELLS))
            _check_extent(bound if bound is not None else _read_entry(archive, entry, sheet_extent.XlsxSheet()))
        elif name in strings:
            declared, found = _read_entry(archive, entry, sheet_extent.SharedStrings())
            if declared > found + SHARED_STRINGS_SLACK:
                raise WorkbookRefused(_damaged())
        elif kind == "ods" and name == "content.xml":
            tables += _read_entry(archive, entry, sheet_extent.OdsContent())
        else:
            _read_entry(archive, entry, None)
    _check_extents(tables)


def _read_entry(archive, entry, part):
    """Unpack one entry, feeding part (a sheet_extent reader) if given; returns part's result."""
    try:
        with archive.open(entry) as member:
            while chunk := member.read(_READ_CHUNK):
                if part is not None:
                    part.feed(chunk)
        return part.close() if part is not None else None
    except (Malformed, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError):
        # RuntimeError: an entry encrypted the old zip way.
        raise WorkbookRefused(_damaged()) from None


def _check_extent(extent):
    if extent.cells > MAX_SHEET_CELLS:
        raise WorkbookRefused(_spread(extent.rows, extent.columns))


def _check_extents(extents):
    """The sheets of a workbook calamine reads whole (.ods, .xls): each, then all of them."""
    for extent in extents:
        _check_extent(extent)
    cells = sum(extent.cells for extent in extents)
    if cells > MAX_SHEET_CELLS:
        raise WorkbookRefused(_("The workbook's sheets hold %(cells)s cells together, far more than a registry: "
                                "delete the sheets that are not the registry, save, and upload it again.")
                              % {"cells": f"{cells:,}"})


def _spread(rows, columns):
    return _("The sheet spreads over %(rows)s rows and %(columns)s columns, far more than a registry: "
             "delete the stray cells below or to the right of the data, save, and upload it again."
             ) % {"rows": f"{rows:,}", "columns": f"{columns:,}"}


def _check_ole(stream, *, unpack=True):
    """An OLE container is either an .xls or an encrypted .xlsx (Excel's "Encrypt with Password")."""
    try:
        container = olefile.OleFileIO(stream)
    except Exception:  # olefile meets arbitrary bytes here and fails in many ways (OSError, ValueError, …)
        raise WorkbookRefused(_not_a_workbook()) from None
    with container:
        if container.exists("EncryptionInfo") or container.exists("EncryptedPackage"):
            raise WorkbookRefused(_password_protected())
        # calamine takes the first of Workbook, Book, WORKBOOK, BOOK; olefile finds names in any case.
        streams = [path for path in container.listdir(streams=True, storages=False)
                   if len(path) == 1 and path[0].lower() in ("workbook", "book")]
        if not streams:
            raise WorkbookRefused(_not_a_workbook())
        if unpack:
            # Read through olefile, not calamine's own container reader: a container the two read
            # differently is left to the reader's memory bound.
            extents = []
            for path in streams:
                try:
                    extents += sheet_extent.xls_extents(container.openstream(path).read())
                except Exception:  # a damaged container: olefile fails in many ways
                    raise WorkbookRefused(_damaged()) from None
            # calamine builds every sheet of an .xls when it opens the file.
            _check_extents(extents)
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


def _unreadable():
    return _("The workbook could not be read: reading it needs more memory than an import may use "
             "(%(limit)s MB), or the file is damaged. Split the registry into smaller workbooks, or open it in "
             "Excel or LibreOffice and save it again as a new .xlsx file, then upload it again."
             ) % {"limit": f"{settings.KBO_IMPORT_TASK_MEMORY_MB:,}"}


# --- The reader process ------------------------------------------------------------------------

class _Frames(pickle.Unpickler):
    """The reader's frames hold plain values and calamine's dates and times, nothing else."""

    ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
               ("datetime", "timezone")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


class _Reader:
    """producers/sheet_reader.py reading one workbook: started at once, so that calamine loads
    while this process checks the file."""

    def __init__(self, source, kind):
        self.folder = tempfile.mkdtemp(prefix="kbo-workbook-")
        # The extension tells calamine the format; a link to a stored file costs nothing.
        workbook = os.path.join(self.folder, f"workbook.{kind}")
        if isinstance(source, (str, os.PathLike)):
            os.symlink(os.path.abspath(source), workbook)
        else:
            source.seek(0)
            with open(workbook, "wb") as out:
                shutil.copyfileobj(source, out)
            source.seek(0)
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(READER), workbook, str(settings.KBO_IMPORT_TASK_MEMORY_MB),
             str(READER_CPU_SECONDS)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.errors, cwd=self.folder,
            env={"RUST_BACKTRACE": "0", "LC_ALL": "C.UTF-8"})
        # A reader dropped without stop() (an exception between open and read) still ends.
        self._finalizer = weakref.finalize(self, _end_reader, self.process, self.folder, self.errors)

    def frame(self):
        """The reader's next frame; WorkbookUnreadable when it died before sending it."""
        try:
            return _Frames(self.process.stdout).load()
        except (EOFError, pickle.UnpicklingError, ValueError, TypeError, OSError):
            self.crashed()

    def crashed(self):
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        self.errors.seek(0, os.SEEK_END)
        self.errors.seek(max(0, self.errors.tell() - 2000))
        logger.warning("The workbook reader stopped (exit status %s): %s", code,
                       self.errors.read().decode(errors="replace").strip())
        self.stop()
        raise WorkbookUnreadable(_unreadable())

    def stop(self):
        """End the reader if still running, let go of its files; returns its exit status."""
        self._finalizer()
        return self.process.returncode


def _end_reader(process, folder, errors):
    if process.poll() is None:
        process.kill()
    process.stdout.close()
    process.wait()
    shutil.rmtree(folder, ignore_errors=True)
    errors.close()


class Sheet:
    """The first visible worksheet of a workbook, read row by row from the reader process."""

    def __init__(self, reader, *, name, format, first_column, height):
        self._reader = reader
        self.name = name
        self.format = format
        self.first_column = first_column
        self.height = height  # rows from the first to the last used one

    def close(self):
        """Stop the reader (it holds the sheet's cells) and let go of its files."""
        if self._reader is not None:
            self._reader.stop()
            self._reader = None

    def rows(self):
        """(row number as Excel shows it, list of cell values), blank rows included; once."""
        reader = self._reader
        try:
            while True:
                frame = reader.frame()
                if frame[0] == "rows":
                    yield from frame[1]
                elif frame[0] == "end":
                    return
                else:
                    reader.crashed()
        finally:
            self.close()

    def column_letter(self, index):
        return column_letter(self.first_column + index + 1)


def check_upload(source):
    """The checks that take no time, for an answer while the admin waits: size, type by
    content, password, and what the zip's directory says. The rest (unpacking, reading) is the
    background task's, in open_sheet. Raises WorkbookRefused."""
    _check_file(source, unpack=False)


def open_sheet(source):
    """Check and open a workbook; source is a path or a binary file object.

    Raises WorkbookRefused when the file is too large, empty, not a workbook, protected
    with a password, a zip bomb, spread over too many cells, or damaged; WorkbookUnreadable
    when the reader process ends without reading it (over its memory bound, or a crash).
    """
    kind = _check_file(source, unpack=False)
    reader = _Reader(source, kind)
    try:
        fingerprint = _fingerprint(source)
        if fingerprint is None or fingerprint not in _checked_files:
            _check_file(source, unpack=True)  # while the reader loads the sheet
            if fingerprint is not None:
                _checked_files[fingerprint] = None
                while len(_checked_files) > 16:
                    del _checked_files[next(iter(_checked_files))]
        frame = reader.frame()
        if frame[0] == "refused":
            raise WorkbookRefused({"password": _password_protected, "empty": _empty}.get(frame[1], _damaged)())
        if frame[0] != "sheet":
            reader.crashed()
    except BaseException:
        reader.stop()
        raise
    _, name, height, _first_row, first_column = frame
    return Sheet(reader, name=name, format=kind, first_column=first_column, height=height)


def _empty():
    return _("The workbook is empty.")


# Files this process checked whole already, by _fingerprint: the check of an upload reads it
# twice when it has rows to fix (once to clean every row, once to copy the bad ones), and
# measuring a national sheet costs seconds. The reader's memory bound holds either way.
_checked_files = {}


def _fingerprint(source):
    """A stored file's identity (device, inode, size, modification time), or None for a stream."""
    if not isinstance(source, (str, os.PathLike)):
        return None
    status = os.stat(source)
    return os.path.realpath(source), status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _check_file(source, *, unpack):
    """Size, type by content, and the container's checks (unpack: every entry and sheet too);
    returns "xlsx", "ods" or "xls"."""
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
            return _check_zip(stream, unpack=unpack)
        if magic == OLE_MAGIC:
            return _check_ole(stream, unpack=unpack)
        raise WorkbookRefused(_not_a_workbook())
    finally:
        if stream is not source:
            stream.close()
        else:
            stream.seek(0)


# --- Writing -------------------------------------------------------------------------------

HEADER_FILL_COLOUR = "DDEBF7"


def write_template(headers, lists, *, notes=(), text_columns=(), widths=None):
    """The blank import workbook: one header row, drop-down lists from a hidden sheet.

    headers: column titles in order; lists: {header: [choices]} for the drop-downs;
    notes: rows of (title, text) for an explanation sheet; text_columns: headers whose cells
    keep leading zeros (codes, phones, postcodes).
    """
    # openpyxl is imported here, not with the module: the import's reading does not need it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL_COLOUR)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ทะเบียน OTOP"
    sheet.append(list(headers))
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = (widths or {}).get(header, max(12, len(header) + 4))
        if header in text_columns:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    choices = workbook.create_sheet("รายการ")
    for list_index, (header, values) in enumerate(lists.items(), start=1):
        letter = column_letter(list_index)
        choices.cell(row=1, column=list_index, value=header)
        for row, value in enumerate(values, start=2):
            choices.cell(row=row, column=list_index, value=value)
        target = column_letter(list(headers).index(header) + 1)
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
            cell.font = header_font
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_bad_rows(sheet, header_row, messages, *, error_header):
    """The rows that had errors, under the original header row, with an added error column.

    sheet: the opened Sheet of the original file; messages: {row number: "text"}.
    The district fixes the rows and sends the workbook back: the importer ignores the
    error column, and the title rows above the header are left out. Written as plain XML
    (producers/xlsx_writer.py): a file of 461,000 bad rows in the task's time, not minutes.
    """
    out = io.BytesIO()
    width = 0
    with SheetWriter(out, "แถวที่มีข้อผิดพลาด") as writer:
        for number, values in sheet.rows():
            if number == header_row:
                width = len(values)
                writer.append(values, style=xlsx_writer.HEADER, tail=(error_header, xlsx_writer.ERROR_HEADER))
            elif number in messages:
                cells = values[:width]
                if len(cells) < width:
                    cells = cells + [""] * (width - len(cells))
                writer.append(cells, tail=(messages[number], xlsx_writer.ERROR))
    return out.getvalue()
