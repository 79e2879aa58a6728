"""A small .xlsx writer for large sheets: plain XML streamed into the zip, inline strings only.

openpyxl's write-only mode takes about two minutes for the 461,000 rows a district's broken
workbook can hold (a styled cell object per value); this writes them in a tenth of that. Text
is always an inline string, which a spreadsheet never reads as a formula: "=HYPERLINK(…)" in a
registry stays text. Numbers, booleans, dates and times keep their type.

    with SheetWriter(out, "แถวที่มีข้อผิดพลาด") as sheet:
        sheet.append(["รหัส", "ชื่อ"], style=HEADER, tail=("ข้อผิดพลาด", ERROR_HEADER))
        sheet.append(["P1", 3], tail=("แถวที่ 2: …", ERROR))
"""

import datetime
import math
import re
import zipfile


PLAIN, HEADER, ERROR, ERROR_HEADER = 0, 1, 2, 3
_DATE, _DATETIME, _TIME, _DURATION = 4, 5, 6, 7
_EPOCH = datetime.datetime(1899, 12, 30)
_FLUSH_ROWS = 2000
# What XML 1.0 cannot hold; and what must be escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>')
# Styles by index: plain; header (bold, blue); error (red); error header (bold, red); then the
# built-in formats of a date, a date and time, a time and a duration.
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFCE4E4"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _text(value):
    if _SPECIAL.search(value):
        value = _NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _cell(reference, value, style):
    """One <c> element; "" for an empty cell."""
    s = f' s="{style}"' if style else ""
    if isinstance(value, str):
        if not value:
            return ""
        space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
        return f'<c r="{reference}" t="inlineStr"{s}><is><t{space}>{_text(value)}</t></is></c>'
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return _cell(reference, str(value), style)
        return f'<c r="{reference}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        days, number_style = (value.replace(tzinfo=None) - _EPOCH) / datetime.timedelta(days=1), _DATETIME
    elif isinstance(value, datetime.date):
        days, number_style = (value - _EPOCH.date()).days, _DATE
    elif isinstance(value, datetime.time):
        days = (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
        number_style = _TIME
    elif isinstance(value, datetime.timedelta):
        days, number_style = value / datetime.timedelta(days=1), _DURATION
    else:
        return _cell(reference, str(value), style)
    return f'<c r="{reference}" s="{style or number_style}"><v>{days}</v></c>'


def column_letter(number):
    """A column's letters from its number, 1-based: 1 → A, 27 → AA (openpyxl's, without
    importing openpyxl)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class SheetWriter:
    """One worksheet written row by row into an .xlsx in `out` (a path or a binary file).

    compresslevel: zlib's, 1 (fast) unless the file's size matters more than the time.
    widths: the columns' widths in characters, from the first column."""

    def __init__(self, out, sheet_name, *, frozen_rows=1, compresslevel=1, widths=()):
        self._archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheet_name, self._frozen_rows, self._widths = sheet_name, frozen_rows, widths
        self._letters = []
        self._rows = []
        self._number = 0

    def __enter__(self):
        archive = self._archive
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_text(self._sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        self._part = archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        pane = (f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{self._frozen_rows}" '
                f'topLeftCell="A{self._frozen_rows + 1}" activePane="bottomLeft" state="frozen"/></sheetView>'
                "</sheetViews>" if self._frozen_rows else "")
        columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                          for n, width in enumerate(self._widths, start=1))
        columns = f"<cols>{columns}</cols>" if columns else ""
        self._part.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                          f"{pane}{columns}<sheetData>").encode())
        return self

    def append(self, values, *, style=PLAIN, tail=None):
        """A row of values, all in `style`; tail: a last (value, style) after them."""
        self._number += 1
        number = self._number
        letters = self._letters
        while len(letters) < len(values) + 1:
            letters.append(column_letter(len(letters) + 1))
        s = f' s="{style}"' if style else ""
        cells = []
        for letter, value in zip(letters, values):
            # Most cells are text without leading or trailing space: written here at once.
            if type(value) is str and value and not (value[0].isspace() or value[-1].isspace()):
                cells.append(f'<c r="{letter}{number}" t="inlineStr"{s}><is><t>{_text(value)}</t></is></c>')
            else:
                cells.append(_cell(f"{letter}{number}", value, style))
        if tail is not None:
            cells.append(_cell(f"{letters[len(values)]}{number}", *tail))
        self._rows.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(self._rows) >= _FLUSH_ROWS:
            self._flush()

    def _flush(self):
        self._part.write("".join(self._rows).encode())
        self._rows = []

    def __exit__(self, *exc):
        try:
            self._flush()
            self._part.write(b"</sheetData></worksheet>")
            self._part.close()
        finally:
            self._archive.close()
